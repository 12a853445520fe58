import { schemaFindings } from './schemaFindings';
import { checkSpec, type CheckOptions, type SpecFinding } from './semanticChecks';
import { written, type DeferredFinding } from './specFinding';

/**
 * Every problem of a spec value: schema errors first, then the semantic rules. The one entry point
 * for the form, the webview message guard and the YAML diagnostics.
 */
export function findSpecProblems(spec: unknown, options: CheckOptions = {}): SpecFinding[] {
  return findSpecProblemsDeferred(spec, options).map(written);
}

/** The same problems, the schema's messages written only when read: the YAML diagnostics show at most 50. */
export function findSpecProblemsDeferred(spec: unknown, options: CheckOptions = {}): Array<SpecFinding | DeferredFinding> {
  return [...schemaFindings(spec), ...checkSpec(spec, options)];
}

export function hasErrors(findings: readonly { severity: string }[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
