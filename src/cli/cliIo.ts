/** What every CLI command shares: its I/O (injected, so tests run the CLI in-process), exit codes and output helpers. */
import { readFile } from 'node:fs/promises';
import type { Kube } from '../bundles/loadKube';
import type { SpecDiagnostic } from '../core/spec/specDocument';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => Promise<string>;
  /** The Kubernetes bundle, loaded only by commands that talk to a cluster. */
  loadKube?: () => Kube;
}

export const ExitCode = { ok: 0, findings: 1, usage: 2 } as const;

/** A mistake in the command line: reported with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

export const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
};

export function outputOption(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new UsageError(`--output must be "text" or "json", not "${value}"`);
}

/** The file's text, or undefined after saying on stderr why it cannot be read. */
export async function readSpecFile(path: string, io: CliIo): Promise<string | undefined> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    io.stderr(`serve-revisions: cannot read ${path}: ${reason}\n`);
    return undefined;
  }
}

export function formatDiagnostic(file: string, d: SpecDiagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message}`;
}
