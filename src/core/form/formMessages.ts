/**
 * What the form's host accepts from its webview, and where the form shows each finding. Pure, so
 * the host's guard and the webview's inline validation are tested in plain Node and agree.
 */
import { formatPath, type SpecFinding } from '../spec/semanticChecks';
import { findingText, specErrorSummary } from '../spec/specErrorSummary';
import { findSpecProblems } from '../spec/validateSpec';
import { parseFormMessage, type FormOrigin, type WebviewToHost } from '../../shared/formProtocol';

export type GuardResult =
  | { ok: true; message: WebviewToHost; findings: SpecFinding[] }
  | { ok: false; reason: string; requestId?: number; findings?: SpecFinding[] };

/**
 * The host's check of every incoming message: its shape (parseFormMessage), then the spec it
 * carries against the schema and the semantic rules. A create with any error is refused; opening
 * the spec as YAML is allowed with errors (the YAML editor shows them) but not with a malformed
 * message. The reason names what was wrong, for the log and the person.
 */
export function guardFormMessage(raw: unknown): GuardResult {
  const parsed = parseFormMessage(raw);
  if (!parsed.ok) {
    const id = typeof raw === 'object' && raw !== null ? (raw as { requestId?: unknown }).requestId : undefined;
    return { ok: false, reason: parsed.reason, ...(typeof id === 'number' && Number.isSafeInteger(id) ? { requestId: id } : {}) };
  }
  const message = parsed.message;
  if (message.type !== 'create' && message.type !== 'openYaml') return { ok: true, message, findings: [] };
  const findings = findSpecProblems(message.spec);
  const errors = findings.filter((f) => f.severity === 'error');
  if (message.type === 'create' && errors.length > 0) {
    return { ok: false, requestId: message.requestId, findings, reason: `the spec ${specErrorSummary(errors.map(findingText), 5)}` };
  }
  return { ok: true, message, findings };
}

/** The origin kept in the webview's saved state, checked before the host uses it after a reload. */
export function parseSavedOrigin(state: unknown): FormOrigin | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const origin = (state as { origin?: unknown }).origin;
  if (typeof origin !== 'object' || origin === null) return undefined;
  const { kind, service, revision } = origin as Record<string, unknown>;
  if (kind !== 'blank' && kind !== 'service' && kind !== 'reproduce') return undefined;
  const result: FormOrigin = { kind };
  if (typeof service === 'string' && service.length <= 253) result.service = service;
  if (typeof revision === 'number' && Number.isSafeInteger(revision) && revision > 0) result.revision = revision;
  return result;
}

export interface PlacedFindings {
  /** Findings by the `data-path` of the field that shows them (`resources.memory`, `env[0]`). */
  byField: Map<string, SpecFinding[]>;
  /** Findings no field of the form shows (listed above the buttons). */
  unplaced: SpecFinding[];
}

/**
 * Puts each finding beside the field its path names, or the nearest enclosing field or row the
 * form shows (a finding on `command[2]` goes to the command field, a oneOf on `env[0]` to the row).
 */
export function placeFindings(findings: readonly SpecFinding[], fieldPaths: ReadonlySet<string>): PlacedFindings {
  const byField = new Map<string, SpecFinding[]>();
  const unplaced: SpecFinding[] = [];
  for (const finding of findings) {
    let path = [...finding.path];
    let placed = false;
    while (path.length > 0) {
      const key = formatPath(path);
      if (fieldPaths.has(key)) {
        byField.set(key, [...(byField.get(key) ?? []), finding]);
        placed = true;
        break;
      }
      path = path.slice(0, -1);
    }
    if (!placed) unplaced.push(finding);
  }
  return { byField, unplaced };
}
