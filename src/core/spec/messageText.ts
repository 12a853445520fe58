/**
 * Text from a spec file (or the cluster) as it may appear in a message: a spec written by someone
 * else must not recolour a terminal, move its cursor, break a finding over lines or reorder what
 * an editor shows. Every finding's message passes through escapeControl; values quoted in
 * messages go through quoted(), which also cuts long ones.
 */

// C0 and C1 controls, DEL, line and paragraph separators, and the bidirectional controls.
const Unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const Named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeControl(text: string): string {
  return text.replace(Unsafe, (c) => Named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `"value"`, escaped and, past `max` characters, cut with an ellipsis and its length. */
export function quoted(value: unknown, max = 60): string {
  const text = typeof value === 'string' ? value : String(value);
  if (text.length <= max) return `"${escapeControl(text)}"`;
  return `"${escapeControl(text.slice(0, max))}…" (${text.length} characters)`;
}
