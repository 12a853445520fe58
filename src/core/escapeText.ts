/**
 * Text that came from outside (a file, the cluster, an exception) made safe to print on one line:
 * control characters (newlines, escape sequences that would move the cursor or recolour a
 * terminal) are shown as escapes instead of acting.
 */
export function escapeControlCharacters(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    }
  });
}
