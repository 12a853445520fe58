/**
 * Which namespace an action works in. The one order every surface follows (tree, YAML commands,
 * form, CLI, dry run, render): a namespace given for this one command (the CLI's --namespace),
 * then the spec's own `namespace:`, then the one chosen in the extension (Switch Namespace), then
 * the kubeconfig context's, then "default" — as kubectl does.
 */
const DefaultNamespace = 'default';

export interface NamespaceSources {
  /** Given for this one command: the CLI's `--namespace`. */
  flag?: string | undefined;
  /** The spec's `namespace:`; anything but a non-empty string is ignored (the checks report it). */
  spec?: unknown;
  /** Chosen in the extension with Switch Namespace, kept per workspace. */
  chosen?: string | undefined;
  /** The kubeconfig context's namespace. */
  context?: string | undefined;
}

function given(value: unknown): value is string {
  return typeof value === 'string' && value !== '';
}

export function resolveNamespace(sources: NamespaceSources): string {
  for (const candidate of [sources.flag, sources.spec, sources.chosen, sources.context]) if (given(candidate)) return candidate;
  return DefaultNamespace;
}
