/**
 * The `serve-revisions` command line over the same core as the extension. Kept free of
 * process-wide state (argv, exit, console) so tests run it in-process.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { kubeErrorOf } from '../core/kube/kubeErrors';
import { loadKube, type Kube } from '../core/kube/loadKube';
import { renderRevision, revisionObjectList } from '../core/kube/renderObjects';
import { describeState, type RevisionModel, type ServiceModel } from '../core/kube/revisionState';
import { escapeControl } from '../core/spec/messageText';
import type { RevisionSpec } from '../core/spec/revisionSpec';
import { diagnoseParsedSpec, parseSpecText, type SpecDiagnostic } from '../core/spec/specDocument';
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

const Usage = `Usage: serve-revisions <command> [options]

Commands:
  validate FILE...          check revision specs; prints FILE:LINE:COL: error|warning: MESSAGE
                            exits 1 if any error, 0 if none, 2 on usage errors or unreadable files
  render FILE               print the Kubernetes objects a spec becomes, as multi-document YAML
      --namespace NS        namespace to render into (default: the spec's, else "default")
      --revision N          revision number to render (default: the spec's, else 1)

Cluster commands (act on the current kubeconfig context):
  list [--service NAME]                 services and revisions with their state
  create FILE [--launch]                store FILE as the next revision; --launch starts it too
  start SERVICE REVISION [--wait]       run a revision; --wait until it is running or failed
  stop SERVICE REVISION                 remove its pods and autoscaler, keep the recipe
  scale SERVICE REVISION --replicas N   set the replica count of a running revision
  scale SERVICE REVISION --min N --max M
                                        set the bounds of an autoscaled revision
  reproduce SERVICE REVISION [--message TEXT] [--launch]
                                        a new revision with the same settings
  delete SERVICE REVISION --yes         remove the recipe and everything it created
      --kubeconfig FILE     kubeconfig to read (default: KUBECONFIG, else ~/.kube/config)
      --context NAME        context to use (default: the kubeconfig's current context)
  -n, --namespace NS        namespace (default: the context's, else "default")
      --timeout SECONDS     how long --wait waits (default 300)

Options:
  -o, --output text|json    output format (default: text)
  -h, --help                show this help
`;

class UsageError extends Error {}

export const defaultIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path),
};

export async function runCli(argv: string[], io: CliIo = defaultIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    switch (command) {
      case 'validate':
        return await validate(rest, io);
      case 'render':
        return await render(rest, io);
      case 'list':
      case 'create':
      case 'start':
      case 'stop':
      case 'scale':
      case 'reproduce':
      case 'delete':
        return await cluster(command, rest, io);
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
    // Thrown in dist/kube.js: read as data, its class there is not the one here.
    const kubeError = kubeErrorOf(error);
    if (kubeError) {
      io.stderr(`serve-revisions: ${kubeError.message}\n`);
      return kubeError.kind === 'unsupportedRuntime' ? ExitCode.usage : ExitCode.findings;
    }
    throw error;
  }
}

function outputOption(value: string | undefined): 'text' | 'json' {
  if (value === undefined || value === 'text') return 'text';
  if (value === 'json') return 'json';
  throw new UsageError(`--output must be "text" or "json", not "${value}"`);
}

/** The file's text; or, when it is not UTF-8, the finding that says so; undefined when unreadable (said on stderr). */
async function readSpecFile(path: string, io: CliIo): Promise<{ text: string } | { problem: SpecDiagnostic } | undefined> {
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
function formatDiagnostic(file: string, d: SpecDiagnostic): string {
  return `${escapeControl(file)}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${d.severity}: ${escapeControl(d.message)}`;
}

/** The diagnostics of a file: its decoding problem, or what the checks find in its text. */
function diagnoseFile(read: { text: string } | { problem: SpecDiagnostic }): { diagnostics: SpecDiagnostic[]; parsed?: ReturnType<typeof parseSpecText> } {
  if ('problem' in read) return { diagnostics: [read.problem] };
  const parsed = parseSpecText(read.text);
  return { diagnostics: diagnoseParsedSpec(parsed), parsed };
}

async function validate(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { output: { type: 'string', short: 'o' } } });
  const output = outputOption(values.output);
  if (positionals.length === 0) throw new UsageError('validate needs at least one FILE');
  let unreadable = false;
  let errors = 0;
  const report: Array<{ file: string; diagnostics: SpecDiagnostic[] }> = [];
  for (const file of positionals) {
    const read = await readSpecFile(file, io);
    if (read === undefined) {
      unreadable = true;
      continue;
    }
    const { diagnostics } = diagnoseFile(read);
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
  const read = await readSpecFile(file, io);
  if (read === undefined) return ExitCode.usage;
  const { diagnostics, parsed } = diagnoseFile(read);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0 || !parsed) {
    for (const d of errors) io.stderr(`${formatDiagnostic(file, d)}\n`);
    io.stderr(`serve-revisions: ${escapeControl(file)} has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} to render.\n`);
    return ExitCode.findings;
  }
  const spec = parsed.value as RevisionSpec;
  const objects = revisionObjectList(renderRevision(spec, { namespace: values.namespace ?? spec.namespace ?? 'default', revision: revision ?? spec.revision ?? 1 }));
  if (output === 'json') io.stdout(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`);
  else io.stdout(objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  return ExitCode.ok;
}

const ClusterOptions = {
  output: { type: 'string', short: 'o' },
  namespace: { type: 'string', short: 'n' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  service: { type: 'string' },
  launch: { type: 'boolean' },
  wait: { type: 'boolean' },
  timeout: { type: 'string' },
  replicas: { type: 'string' },
  min: { type: 'string' },
  max: { type: 'string' },
  message: { type: 'string' },
  yes: { type: 'boolean' },
} as const;

function wholeNumber(value: string | undefined, what: string, min: number): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < min) throw new UsageError(`${what} must be a whole number of at least ${min}, not "${value ?? ''}"`);
  return n;
}

function age(createdAt: string | undefined, now: number): string {
  if (!createdAt) return '-';
  const seconds = Math.max(0, Math.round((now - Date.parse(createdAt)) / 1000));
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)}m`;
  if (seconds < 172800) return `${Math.round(seconds / 3600)}h`;
  return `${Math.round(seconds / 86400)}d`;
}

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}

function revisionJson(r: RevisionModel): Record<string, unknown> {
  const { spec: _spec, ...rest } = r;
  return { ...rest, stateText: describeState(r.state) };
}

async function cluster(command: string, args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: ClusterOptions });
  const output = outputOption(values.output);
  const kube = (io.loadKube ?? loadKube)();
  const client = kube.RevisionClient.connect({
    ...(values.kubeconfig ? { kubeconfig: values.kubeconfig } : {}),
    ...(values.context ? { context: values.context } : {}),
    ...(values.namespace ? { namespace: values.namespace } : {}),
  });
  const namespace = client.namespace;
  const print = (text: string, json: unknown): void => io.stdout(output === 'json' ? `${JSON.stringify(json, null, 2)}\n` : text);
  const ref = (): { service: string; revision: number; namespace: string } => {
    if (positionals.length !== 2) throw new UsageError(`${command} needs SERVICE and REVISION, e.g. "serve-revisions ${command} iris 3"`);
    return { service: positionals[0] as string, revision: wholeNumber(positionals[1], 'REVISION', 1), namespace };
  };
  switch (command) {
    case 'list': {
      if (positionals.length > 0) throw new UsageError('list takes no arguments; use --service NAME to show one service');
      const services: ServiceModel[] = (await client.listServices(namespace)).filter((s) => !values.service || s.name === values.service);
      const now = Date.now();
      const rows = [['SERVICE', 'REVISION', 'STATE', 'IMAGE', 'AGE', 'MESSAGE']];
      for (const s of services) for (const r of s.revisions) rows.push([s.name, String(r.revision), describeState(r.state) + (r.state.kind === 'failed' ? ` (${r.state.message})` : ''), r.image, age(r.createdAt, now), r.message]);
      const text = services.length === 0 ? `No services in namespace "${namespace}" of context "${client.contextName}". Create one with: serve-revisions create FILE\n` : table(rows);
      print(text, { context: client.contextName, namespace, services: services.map((s) => ({ ...s, revisions: s.revisions.map(revisionJson) })) });
      return ExitCode.ok;
    }
    case 'create': {
      if (positionals.length !== 1) throw new UsageError('create needs exactly one FILE');
      const file = positionals[0] as string;
      const read = await readSpecFile(file, io);
      if (read === undefined) return ExitCode.usage;
      // The cluster's version decides rules that changed between releases (environment variable names).
      const kubernetesVersion = await client.kubernetesVersion();
      const parsed = 'text' in read ? parseSpecText(read.text) : undefined;
      const errors = (parsed ? diagnoseParsedSpec(parsed, kubernetesVersion ? { kubernetesVersion } : {}) : 'problem' in read ? [read.problem] : []).filter((d) => d.severity === 'error');
      if (errors.length > 0 || !parsed) {
        for (const d of errors) io.stderr(`${formatDiagnostic(file, d)}\n`);
        io.stderr(`serve-revisions: ${escapeControl(file)} has ${errors.length} error${errors.length === 1 ? '' : 's'}; nothing was created.\n`);
        return ExitCode.findings;
      }
      const result = await client.create(parsed.value as RevisionSpec, { namespace: values.namespace ?? (parsed.value as RevisionSpec).namespace ?? namespace, ...(values.launch ? { launch: true } : {}) });
      print(`Created revision ${result.revision} of "${result.service}" in namespace "${result.namespace}"${result.started ? ' and started it' : ''}.\n`, result);
      return ExitCode.ok;
    }
    case 'start': {
      const target = ref();
      await client.start(target);
      if (values.wait) {
        const timeoutMs = wholeNumber(values.timeout ?? '300', '--timeout', 1) * 1000;
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const revision = await client.getRevision(target);
          if (revision.state.kind === 'running' || revision.state.kind === 'failed') {
            print(`Revision ${target.revision} of "${target.service}" is ${describeState(revision.state)}${revision.state.kind === 'failed' ? `: ${revision.state.message}` : ''}.\n`, revisionJson(revision));
            return revision.state.kind === 'running' ? ExitCode.ok : ExitCode.findings;
          }
          if (Date.now() > deadline) {
            io.stderr(`serve-revisions: revision ${target.revision} of "${target.service}" is still ${describeState(revision.state)} after ${timeoutMs / 1000} s.\n`);
            return ExitCode.findings;
          }
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
      print(`Started revision ${target.revision} of "${target.service}".\n`, { ...target, started: true });
      return ExitCode.ok;
    }
    case 'stop': {
      const target = ref();
      const { wasRunning } = await client.stop(target);
      print(wasRunning ? `Stopped revision ${target.revision} of "${target.service}"; its recipe is kept.\n` : `Revision ${target.revision} of "${target.service}" was not running.\n`, { ...target, wasRunning });
      return ExitCode.ok;
    }
    case 'scale': {
      const target = ref();
      if (values.replicas !== undefined && (values.min !== undefined || values.max !== undefined)) throw new UsageError('give either --replicas, or --min and --max');
      if (values.replicas !== undefined) {
        const replicas = wholeNumber(values.replicas, '--replicas', 0);
        await client.scale(target, { replicas });
        print(`Scaled revision ${target.revision} of "${target.service}" to ${replicas} replica${replicas === 1 ? '' : 's'}.\n`, { ...target, replicas });
      } else if (values.min !== undefined && values.max !== undefined) {
        const bounds = { minReplicas: wholeNumber(values.min, '--min', 1), maxReplicas: wholeNumber(values.max, '--max', 1) };
        await client.scale(target, bounds);
        print(`Revision ${target.revision} of "${target.service}" now autoscales between ${bounds.minReplicas} and ${bounds.maxReplicas} replicas.\n`, { ...target, ...bounds });
      } else {
        throw new UsageError('scale needs --replicas N, or --min N and --max M for an autoscaled revision');
      }
      return ExitCode.ok;
    }
    case 'reproduce': {
      const target = ref();
      const result = await client.reproduce(target, values.message !== undefined ? { message: values.message } : {}, values.launch ? { launch: true } : {});
      print(`Created revision ${result.revision} of "${result.service}", reproduced from revision ${target.revision}${result.started ? ', and started it' : ''}.\n`, { ...result, reproducedFrom: target.revision });
      return ExitCode.ok;
    }
    case 'delete': {
      const target = ref();
      if (!values.yes) throw new UsageError(`delete removes revision ${target.revision} of "${target.service}" and everything it runs; add --yes to confirm`);
      await client.delete(target);
      print(`Deleted revision ${target.revision} of "${target.service}" and everything it created.\n`, { ...target, deleted: true });
      return ExitCode.ok;
    }
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}
