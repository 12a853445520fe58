/**
 * The one way every surface says that a spec has errors when it refuses to act on it (the form's
 * host, a create from YAML, the Kubernetes client, the CLI): `has 2 errors: a; b; and 3 more`.
 * Callers put the subject before it and the next step after it.
 */
import { formatPath, type SpecFinding } from './specFinding';

/** A finding as one line of text, led by the field it is about unless its message already names it. */
export function findingText(finding: SpecFinding): string {
  const path = formatPath(finding.path);
  return finding.path.length === 0 || finding.message.startsWith(path) ? finding.message : `${path}: ${finding.message}`;
}

/** `has 1 error`, or with the errors listed: `has 4 errors: a; b; and 2 more` (at most `limit` shown). */
export function specErrorSummary(errors: readonly string[], limit = errors.length): string {
  const head = `has ${errors.length} error${errors.length === 1 ? '' : 's'}`;
  if (limit <= 0 || errors.length === 0) return head;
  const shown = errors.slice(0, limit);
  const more = errors.length > shown.length ? `; and ${errors.length - shown.length} more` : '';
  return `${head}: ${shown.join('; ')}${more}`;
}
