/**
 * Text that came from outside (a file, the cluster, an exception) made safe to show on one line,
 * in a terminal or an editor: C0 and C1 controls, DEL, line and paragraph separators and the
 * bidirectional controls are shown as escapes instead of acting (recolouring a terminal, moving
 * its cursor, breaking a message over lines, reordering what an editor shows).
 */

const Unsafe = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const Named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeControl(text: string): string {
  return text.replace(Unsafe, (c) => Named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Multi-line text from outside (a diff of stored specs): each line escaped, the line breaks kept. */
export function escapeControlLines(text: string): string {
  return text.split('\n').map(escapeControl).join('\n');
}
