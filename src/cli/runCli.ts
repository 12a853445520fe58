/**
 * The `serve-revisions` command line over the same core as the extension. Kept free of
 * process-wide state (argv, exit, console) so tests run it in-process.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { renderRevision, revisionObjectList } from '../core/kube/renderObjects';
import type { RevisionSpec } from '../core/spec/revisionSpec';
import { diagnoseParsedSpec, parseSpecText, type SpecDiagnostic } from '../core/spec/specDocument';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => Promise<string>;
}

export const ExitCode = { ok: 0, findings: 1, usage: 2 } as const;

const Usage = `Usage: serve-revisions <command> [options]

Commands:
  validate FILE...          check revision specs; prints FILE:LINE:COL: error|warning: MESSAGE
                            exits 1 if any error, 0 if none, 2 on usage errors or unreadable files
  render FILE               print the Kubernetes objects a spec becomes, as multi-document YAML
      --namespace NS        namespace to render into (default: the spec's, else "default")
      --revision N          revision number to render (default: the spec's, else 1)

Options:
  -o, --output text|json    output format (default: text)
  -h, --help                show this help
`;

class UsageError extends Error {}

export const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, 'utf8'),
};

export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'validate':
        return await validate(rest, io);
      case 'render':
        return await render(rest, io);
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        io.stdout(Usage);
        return command === undefined ? ExitCode.usage : ExitCode.ok;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`serve-revisions: ${error.message}\nRun "serve-revisions --help" for usage.\n`);
      return ExitCode.usage;
    }
    throw error;
  }
}

function outputOption(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new UsageError(`--output must be "text" or "json", not "${value}"`);
}

async function readSpecFile(path: string, io: CliIo): Promise<string | undefined> {
  try {
    return await io.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : (error as Error).message;
    io.stderr(`serve-revisions: cannot read ${path}: ${reason}\n`);
    return undefined;
  }
}

function formatDiagnostic(file: string, d: SpecDiagnostic): string {
  return `${file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${d.message}`;
}

async function validate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { output: { type: 'string', short: 'o' } } });
  const output = outputOption(values.output);
  if (positionals.length === 0) throw new UsageError('validate needs at least one FILE');
  let unreadable = false;
  let errors = 0;
  const report: Array<{ file: string; diagnostics: SpecDiagnostic[] }> = [];
  for (const file of positionals) {
    const text = await readSpecFile(file, io);
    if (text === undefined) {
      unreadable = true;
      continue;
    }
    const diagnostics = diagnoseParsedSpec(parseSpecText(text));
    errors += diagnostics.filter((d) => d.severity === 'error').length;
    report.push({ file, diagnostics });
    if (output === 'text') for (const d of diagnostics) io.stdout(`${formatDiagnostic(file, d)}\n`);
  }
  if (output === 'json') {
    io.stdout(`${JSON.stringify(report.map(({ file, diagnostics }) => ({ file, diagnostics: diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, line: d.range.start.line + 1, column: d.range.start.character + 1, endLine: d.range.end.line + 1, endColumn: d.range.end.character + 1 })) })), null, 2)}\n`);
  }
  if (unreadable) return ExitCode.usage;
  return errors > 0 ? ExitCode.findings : ExitCode.ok;
}

async function render(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { output: { type: 'string', short: 'o' }, namespace: { type: 'string', short: 'n' }, revision: { type: 'string' } },
  });
  const output = outputOption(values.output);
  if (positionals.length !== 1) throw new UsageError('render needs exactly one FILE');
  const file = positionals[0] as string;
  let revision: number | undefined;
  if (values.revision !== undefined) {
    revision = Number(values.revision);
    if (!Number.isInteger(revision) || revision < 1) throw new UsageError(`--revision must be a whole number from 1, not "${values.revision}"`);
  }
  const text = await readSpecFile(file, io);
  if (text === undefined) return ExitCode.usage;
  const parsed = parseSpecText(text);
  const diagnostics = diagnoseParsedSpec(parsed);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    for (const d of errors) io.stderr(`${formatDiagnostic(file, d)}\n`);
    io.stderr(`serve-revisions: ${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} to render.\n`);
    return ExitCode.findings;
  }
  const spec = parsed.value as RevisionSpec;
  const objects = revisionObjectList(renderRevision(spec, { namespace: values.namespace ?? spec.namespace ?? 'default', revision: revision ?? spec.revision ?? 1 }));
  if (output === 'json') io.stdout(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`);
  else io.stdout(objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  return ExitCode.ok;
}
