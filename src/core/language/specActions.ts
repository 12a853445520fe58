/**
 * What the editor's spec actions need without a cluster: whether a YAML text is a revision
 * spec and where the CodeLens goes (specDeclaration.ts, light enough for activation), and the
 * objects a spec becomes as multi-document YAML.
 */
import { stringify } from 'yaml';
import { renderRevision, revisionObjectList } from '../kube/renderObjects';
import type { RevisionSpec } from '../spec/revisionSpec';
import type { ParsedSpec } from '../spec/specDocument';

export { codeLensLine, declaresRevisionSpec } from './specDeclaration';

/** The spec value when it parsed without YAML errors into a mapping; undefined otherwise. */
export function specValue(parsed: ParsedSpec): RevisionSpec | undefined {
  if (parsed.syntax.some((d) => d.severity === 'error')) return undefined;
  const value = parsed.value;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RevisionSpec) : undefined;
}

/** Every object `create` + `start` would make, as multi-document YAML (what `serve-revisions render` prints). */
export function renderedObjectsYaml(spec: RevisionSpec, namespace: string, revision = spec.revision ?? 1, defaultGpuResourceName?: string): string {
  const objects = revisionObjectList(renderRevision(spec, { namespace, revision, ...(defaultGpuResourceName ? { defaultGpuResourceName } : {}) }));
  const header = `# The objects revision ${revision} of "${spec.service}" becomes in namespace "${namespace}" (the number is assigned on create).\n`;
  return header + objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}
