/**
 * The rules of a revision record that every surface shares: which fields creation assigns (so
 * they never travel into a new draft), how a reproduction reads, and which number comes next.
 */
import type { RevisionSpec } from '../spec/revisionSpec';
import { Labels } from './labels';

/** The spec a person authored, without what creation assigns (number, time, author). */
export function authoredSpec(spec: RevisionSpec): RevisionSpec {
  const copy: RevisionSpec = structuredClone(spec);
  delete copy.revision;
  delete copy.createdAt;
  delete copy.createdBy;
  return copy;
}

/** A stored spec as the start of the next revision of its service: same settings, a message to write, no origin. */
export function nextRevisionDraft(latest: RevisionSpec): RevisionSpec {
  const draft = authoredSpec(latest);
  delete draft.reproducedFrom;
  return { ...draft, message: '' };
}

/** `Reproduced from revision 3: <its message>`, the message a reproduction starts with. */
function reproducedMessage(revision: number, message: string): string {
  return `Reproduced from revision ${revision}: ${message}`;
}

/** The draft that reproduces a stored revision: the same settings, recording where it came from. */
export function reproducedSpec(stored: RevisionSpec, revision: number): RevisionSpec {
  return { ...authoredSpec(stored), reproducedFrom: revision, message: reproducedMessage(revision, stored.message) };
}

/** The number after the highest one among a service's records (1 for the first). */
export function nextRevisionNumber(records: ReadonlyArray<{ metadata?: { labels?: Record<string, string> } }>): number {
  return Math.max(0, ...records.map((r) => Number(r.metadata?.labels?.[Labels.revision]) || 0)) + 1;
}
