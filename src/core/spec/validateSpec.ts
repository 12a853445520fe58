import { schemaFindings, specKindOf } from './schemaFindings';
import { checkSpec, type CheckOptions, type SpecFinding } from './semanticChecks';
import { checkServiceSpec } from './serviceSpec';
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

/**
 * Every problem of a spec document of either kind: a service's settings (`kind: Service`) by the
 * service schema and its rules, anything else as a revision spec. For the YAML diagnostics and the
 * CLI's validate; what creates a revision (the form, the client) asks findSpecProblems, so a
 * service spec can never pass for a revision.
 */
export function findDocumentProblems(value: unknown, options: CheckOptions = {}): SpecFinding[] {
  return findDocumentProblemsDeferred(value, options).map(written);
}

/** findDocumentProblems with the schema's messages written only when read (the YAML diagnostics). */
export function findDocumentProblemsDeferred(value: unknown, options: CheckOptions = {}): Array<SpecFinding | DeferredFinding> {
  if (specKindOf(value) === 'Service') return [...schemaFindings(value, 'Service'), ...checkServiceSpec(value)];
  return findSpecProblemsDeferred(value, options);
}

export function hasErrors(findings: readonly { severity: string }[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
