/**
 * Text from a spec file (or the cluster) as it may appear in a message: a spec written by someone
 * else must not recolour a terminal, move its cursor, break a finding over lines or reorder what
 * an editor shows. Every finding's message passes through escapeControl (src/core/escapeText.ts);
 * values quoted in messages go through quoted(), which also cuts long ones.
 */
import { escapeControl } from '../escapeText';

/** `"value"`, escaped and, past `max` characters, cut with an ellipsis and its length. */
export function quoted(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : String(value);
  if (text.length <= max) return `"${escapeControl(text)}"`;
  return `"${escapeControl(text.slice(0, max))}…" (${text.length} characters)`;
}
