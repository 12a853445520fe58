/**
 * Whether a person asked for the details of a failure (a stack trace): `--debug` on the command
 * line, or SERVE_REVISIONS_DEBUG=1 (also true/yes). Without it, no command shows a stack trace.
 * The Node scripts follow the same rule through scripts/toolchain.mjs (they cannot import this).
 */
export function debugRequested(args: readonly string[] = [], env: Record<string, string | undefined> = process.env): boolean {
  return args.includes('--debug') || /^(1|true|yes)$/i.test(env['SERVE_REVISIONS_DEBUG'] ?? '');
}
