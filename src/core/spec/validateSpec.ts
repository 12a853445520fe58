import { schemaFindings } from './schemaFindings';
import { checkSpec, type CheckOptions, type SpecFinding } from './semanticChecks';

/**
 * Every problem of a spec value: schema errors first, then the semantic rules. The one entry point
 * for the form, the webview message guard and the YAML diagnostics.
 */
export function findSpecProblems(spec: unknown, options: CheckOptions = {}): SpecFinding[] {
  return [...schemaFindings(spec), ...checkSpec(spec, options)];
}

export function hasErrors(findings: readonly { severity: string }[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
