/**
 * The `serve-revisions` command line over the same core as the extension. Kept free of
 * process-wide state (argv, exit, console) so tests run it in-process.
 */
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { loadKube } from '../bundles/loadKube';
import { kubeErrorOf } from '../core/kube/kubeErrors';
import { renderRevision, revisionObjectList } from '../core/kube/renderObjects';
import { resolveNamespace } from '../core/kube/resolveNamespace';
import { escapeControl, escapeControlLines } from '../core/escapeText';
import type { RevisionSpec } from '../core/spec/revisionSpec';
import { specErrorSummary } from '../core/spec/specErrorSummary';
import { diagnoseParsedSpec, parseSpecText, type SpecDiagnostic } from '../core/spec/specDocument';
import { defaultIo, ExitCode, formatDiagnostic, outputOption, readSpecFile, UsageError, type CliIo } from './cliIo';
import { runClusterCommand } from './clusterCommands';
import { runTrafficCommand } from './trafficCommands';
import { renderServiceSpec, type ServiceSpec } from '../core/spec/serviceSpec';
import { specKindOf } from '../core/spec/schemaFindings';

const Usage = `Usage: serve-revisions <command> [options]

Commands:
  validate FILE...          check revision specs (and kind: Service specs); prints
                            FILE:LINE:COL: error|warning: MESSAGE
                            exits 1 if any error, 0 if none, 2 on usage errors or unreadable files
  render FILE               print the Kubernetes objects a spec becomes, as multi-document YAML
      --namespace NS        namespace to render into (default: the spec's, else the
                            kubeconfig context's, else "default")
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
  describe SERVICE REVISION             why it is (not) ready: replicas, conditions, pods,
                                        refusals, autoscaler and events, newest first
  logs SERVICE REVISION [-f] [--tail N] [--since 10m] [--previous] [--container NAME] [--grep TEXT]
                                        the logs of all its pods, each line after its pod's
                                        name; -f follows (pods join and leave), --tail from
                                        the last N lines of each (default 100), --grep shows
                                        matching lines only (text, or /regular expression/)
                                        (a kind: Service FILE given to create sets the service's
                                        settings: its gateway and default rollout plan)
  traffic SERVICE                       the split: each revision's share, effective share, tags
  traffic SERVICE REV=PERCENT... [--tag REV=TAG]... [--untag TAG]...
                                        set the split (whole percents adding up to 100) and tags
  rollout SERVICE REV [--steps 10,50,100] [--interval 2m | --manual] [--wait]
                                        move traffic to REV step by step; --wait drives it here
  rollout status|pause|resume|abort SERVICE
                                        see or steer a rollout from any client (resume --wait
                                        drives it here)
  diff SERVICE A B                      the difference of two revisions' stored specs
                                        (exit 0 same, 1 different, 2 trouble)
      --kubeconfig FILE     kubeconfig to read (default: KUBECONFIG, else ~/.kube/config)
      --context NAME        context to use (default: the kubeconfig's current context)
  -n, --namespace NS        namespace (default: the context's, else "default")
      --timeout SECONDS     how long --wait waits (default 300)

Options:
  -o, --output text|json    output format (default: text)
  -h, --help                show this help
`;

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
      case 'describe':
      case 'logs':
        return await runClusterCommand(command, rest, io);
      case 'traffic':
      case 'rollout':
      case 'diff':
        return await runTrafficCommand(command, rest, io);
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
      io.stderr(`serve-revisions: ${escapeControl(error.message)}\nRun "serve-revisions --help" for usage.\n`);
      return ExitCode.usage;
    }
    // Thrown in dist/kube.js: read as data, its class there is not the one here.
    const kubeError = kubeErrorOf(error);
    if (kubeError) {
      // Its message quotes the API server and names from the user's files: escaped, as all output.
      io.stderr(`serve-revisions: ${escapeControlLines(kubeError.message)}\n`);
      return kubeError.kind === 'unsupportedRuntime' ? ExitCode.usage : ExitCode.findings;
    }
    throw error;
  }
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
    io.stderr(`serve-revisions: ${escapeControl(file)} ${specErrorSummary(errors.map((d) => d.message), 0)}; fix ${errors.length === 1 ? 'it' : 'them'} to render.\n`);
    return ExitCode.findings;
  }
  const spec = parsed.value as RevisionSpec;
  const namespace = resolveNamespace({ flag: values.namespace, spec: spec.namespace, context: values.namespace || spec.namespace ? undefined : contextNamespace(io) });
  const objects = specKindOf(spec) === 'Service' ? renderServiceSpec(parsed.value as ServiceSpec, namespace) : revisionObjectList(renderRevision(spec, { namespace, revision: revision ?? spec.revision ?? 1 }));
  if (output === 'json') io.stdout(`${JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }, null, 2)}\n`);
  else io.stdout(objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  return ExitCode.ok;
}

/**
 * The namespace of the kubeconfig's current context, for render when neither --namespace nor the
 * spec names one; undefined without a readable kubeconfig (render works offline).
 */
function contextNamespace(io: CliIo): string | undefined {
  try {
    return (io.loadKube ?? loadKube)().connect().contextNamespace;
  } catch {
    return undefined;
  }
}
