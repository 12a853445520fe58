/**
 * Notifications stay one or two lines: the first sentences of a message, up to a length a
 * notification shows without a scroll; the whole text goes behind *Show Details* and into the log.
 */

/** About two lines of a VS Code notification. */
export const NotificationLength = 180;

/** Sentence ends: `. ` before a capital or a quote, so names like `iris-r4.demo.svc` or `nvidia.com/gpu` are not cut. */
const SentenceEnd = /(?<=[.!?])\s+(?=[A-Z"(])/;

/** The sentences of `text` that fit in `max` characters (at least the first, cut with `…` if it alone is longer). */
export function notificationSummary(text: string, max = NotificationLength): string {
  const flat = text.replace(/\s*\n\s*/g, ' ').trim();
  if (flat.length <= max) return flat;
  const sentences = flat.split(SentenceEnd);
  let summary = '';
  for (const sentence of sentences) {
    const next = summary === '' ? sentence : `${summary} ${sentence}`;
    if (next.length > max) break;
    summary = next;
  }
  if (summary === '') summary = `${flat.slice(0, max - 1).trimEnd()}…`;
  return summary;
}

/** Whether the summary leaves something out, so *Show Details* has more to say. */
export function hasMoreDetail(text: string, max = NotificationLength): boolean {
  return notificationSummary(text, max) !== text.replace(/\s*\n\s*/g, ' ').trim();
}
