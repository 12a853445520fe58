/**
 * What the checks report and the small helpers every check module shares: a finding (what is
 * wrong, where, how to fix it), the fixes the editor and the form can apply, and how a field is
 * named in a message.
 */
export type Severity = 'error' | 'warning';
export type SpecPath = ReadonlyArray<string | number>;

/** A machine-readable fix: quick fixes in the editor and the form apply it. */
export type SpecFix =
  | { kind: 'replaceValue'; path: SpecPath; value: unknown; title: string }
  | { kind: 'swapValues'; paths: [SpecPath, SpecPath]; title: string }
  | { kind: 'useSecretRef'; path: SpecPath; title: string };

export interface SpecFinding {
  severity: Severity;
  /** What is wrong and how to fix it, naming the field. */
  message: string;
  /** Where in the spec; the YAML layer turns it into a range. */
  path: SpecPath;
  /** Mark the key (a field that should not be there, a duplicate) or the value. */
  target: 'key' | 'value';
  /** A stable identifier of the rule, e.g. `memory-quantity`. */
  code: string;
  fixes?: SpecFix[];
}

/**
 * A finding whose message is written only when it is read: a YAML file with thousands of unknown
 * fields shows 50 of them, and the others need only their path and code to be placed and counted.
 */
export interface DeferredFinding extends Omit<SpecFinding, 'message'> {
  describe(): string;
}

/** A finding's message, written now if it was deferred. */
export function findingMessage(finding: SpecFinding | DeferredFinding): string {
  return 'describe' in finding ? finding.describe() : finding.message;
}

/** The finding with its message written. */
export function written(finding: SpecFinding | DeferredFinding): SpecFinding {
  if (!('describe' in finding)) return finding;
  const { severity, path, target, code, fixes } = finding;
  return { severity, message: finding.describe(), path, target, code, ...(fixes ? { fixes } : {}) };
}

export interface CheckOptions {
  /**
   * The Kubernetes version of the cluster the spec is for (`v1.31.4`, `1.31`), when the surface
   * knows it; rules that changed between releases follow it. Unknown: the current release.
   */
  kubernetesVersion?: string;
}

/** `ports[1].containerPort`: how the messages name a field. */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

export type Add = (severity: Severity, code: string, path: SpecPath, message: string, target?: 'key' | 'value', fixes?: SpecFix[]) => void;

export function replace(path: SpecPath, value: unknown, title = `Change to ${String(value)}`): SpecFix {
  return { kind: 'replaceValue', path, value, title };
}
