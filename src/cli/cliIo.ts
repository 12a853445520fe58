/** What every CLI command shares: its I/O (injected, so tests run the CLI in-process), exit codes and output helpers. */
import { readFile } from 'node:fs/promises';
import { loadKube, type Kube, type RevisionClient } from '../bundles/loadKube';
import { escapeControl } from '../core/escapeText';
import type { SpecDiagnostic } from '../core/spec/specDocument';
import { decodeSpecFile } from '../core/spec/specFile';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The file's bytes (decoded here, so a file that is not UTF-8 is reported as such), or its text. */
  readFile: (path: string) => Promise<Uint8Array | string>;
  /** The Kubernetes bundle, loaded only by commands that talk to a cluster. */
  loadKube?: () => Kube;
}

export const ExitCode = { ok: 0, findings: 1, usage: 2 } as const;

/** A mistake in the command line: reported with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

export const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path),
};

export function outputOption(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new UsageError(`--output must be "text" or "json", not "${value}"`);
}

/** The file's text; or, when it is not UTF-8, the finding that says so; undefined when unreadable (said on stderr). */
export async function readSpecFile(path: string, io: CliIo): Promise<{ text: string } | { problem: SpecDiagnostic } | undefined> {
  try {
    return decodeSpecFile(await io.readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    io.stderr(`serve-revisions: cannot read ${escapeControl(path)}: ${escapeControl(reason)}\n`);
    return undefined;
  }
}

/** `FILE:LINE:COL: severity: MESSAGE` on one line: file names and messages never carry control characters. */
export function formatDiagnostic(file: string, d: SpecDiagnostic): string {
  return `${escapeControl(file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${escapeControl(d.message)}`;
}

/** The client of a cluster command: --kubeconfig, --context and --namespace as kubectl reads them. */
export function connectClient(values: { kubeconfig?: string | undefined; context?: string | undefined; namespace?: string | undefined }, io: CliIo): RevisionClient {
  return (io.loadKube ?? loadKube)().RevisionClient.connect({
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.context ? { context: values.context } : {}),
    ...(values.namespace ? { namespace: values.namespace } : {}),
  });
}

/** Rows as aligned columns (the last one unpadded), for the text output of list and traffic. */
export function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}
