/** The CLI commands that act on a cluster: list, create, start, stop, scale, reproduce, delete. */
import { parseArgs } from 'node:util';
import type { FitVerdict, RevisionClient } from '../bundles/loadKube';
import { fitWarning } from '../core/observe/fitCheck';
import { describeState } from '../core/kube/describeState';
import { formatAge } from '../core/kube/formatAge';
import { launchOutcome } from '../core/kube/launchOutcome';
import { resolveNamespace } from '../core/kube/resolveNamespace';
import type { RevisionModel } from '../core/kube/revisionState';
import type { RevisionSpec } from '../core/spec/revisionSpec';
import { specKindOf } from '../core/spec/schemaFindings';
import { settingsOf, type ServiceSpec } from '../core/spec/serviceSpec';
import { escapeControl } from '../core/escapeText';
import { specErrorSummary } from '../core/spec/specErrorSummary';
import { diagnoseParsedSpec, parseSpecText } from '../core/spec/specDocument';
import { connectClient, ExitCode, formatDiagnostic, outputOption, readSpecFile, table, UsageError, type CliIo } from './cliIo';
import { describe, logs } from './observeCommands';

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
  follow: { type: 'boolean', short: 'f' },
  tail: { type: 'string' },
  since: { type: 'string' },
  previous: { type: 'boolean', short: 'p' },
  container: { type: 'string', short: 'c' },
  grep: { type: 'string' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof ClusterOptions; allowPositionals: true }>>['values'];

/** One cluster command's parsed line, client and output. */
interface Run {
  command: string;
  values: Values;
  positionals: string[];
  io: CliIo;
  client: RevisionClient;
  /** The namespace of this connection: --namespace, else the context's, else "default". */
  namespace: string;
  print(text: string, json: unknown): void;
}

type Target = { service: string; revision: number; namespace: string };

function wholeNumber(value: string | undefined, what: string, min: number): number {
  const n = Number(value);
  if (value === undefined || !/^\d+$/.test(value) || n < min) throw new UsageError(`${what} must be a whole number of at least ${min}, not "${value ?? ''}"`);
  return n;
}

function revisionJson(r: RevisionModel): Record<string, unknown> {
  return { ...r, stateText: describeState(r.state), trafficPercent: r.traffic?.percent ?? 0 };
}

/** SERVICE REVISION from the command line. */
function target(run: Run): Target {
  if (run.positionals.length !== 2) throw new UsageError(`${run.command} needs SERVICE and REVISION, e.g. "serve-revisions ${run.command} iris 3"`);
  return { service: run.positionals[0] as string, revision: wholeNumber(run.positionals[1], 'REVISION', 1), namespace: run.namespace };
}

async function list({ positionals, values, client, namespace, print }: Run): Promise<number> {
  if (positionals.length > 0) throw new UsageError('list takes no arguments; use --service NAME to show one service');
  // One service: its label narrows the LISTs, rather than listing the namespace and filtering.
  const services = values.service ? [await client.listService(values.service, namespace)].flatMap((s) => s ?? []) : await client.listServices(namespace);
  const now = Date.now();
  const rows = [['SERVICE', 'REVISION', 'STATE', 'TRAFFIC', 'IMAGE', 'AGE', 'MESSAGE']];
  for (const s of services) for (const r of s.revisions) rows.push([s.name, String(r.revision), describeState(r.state) + (r.state.kind === 'failed' ? ` (${r.state.message})` : ''), `${r.traffic?.percent ?? 0}%`, r.image, formatAge(r.createdAt, now) || '-', r.message]);
  const text = services.length === 0 ? `No services in namespace "${namespace}" of context "${client.contextName}". Create one with: serve-revisions create FILE\n` : table(rows);
  print(text, { context: client.contextName, namespace, services: services.map(({ traffic: _traffic, ...s }) => ({ ...s, dataPlane: _traffic?.dataPlane ?? 'plain', revisions: s.revisions.map(revisionJson) })) });
  return ExitCode.ok;
}

async function create(run: Run): Promise<number> {
  const { positionals, values, io, client, print } = run;
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
    io.stderr(`serve-revisions: ${escapeControl(file)} ${specErrorSummary(errors.map((d) => d.message), 0)}; nothing was created.\n`);
    return ExitCode.findings;
  }
  if (specKindOf(parsed.value) === 'Service') {
    // A service's settings: stored in its service object; no revision is made, no traffic moves.
    const spec = parsed.value as ServiceSpec;
    const namespace = resolveNamespace({ flag: values.namespace, spec: spec.namespace, chosen: client.namespace });
    await client.traffic.applySettings(spec.service, settingsOf(spec), namespace);
    print(`Applied the settings of "${spec.service}" in namespace "${namespace}": ${spec.gateway ? `traffic through the Gateway "${spec.gateway.name}"` : 'the plain data plane'}${spec.rollout ? `, rollouts of ${spec.rollout.steps.join(' → ')}` : ''}.\n`, { service: spec.service, namespace, applied: true });
    return ExitCode.ok;
  }
  const spec = parsed.value as RevisionSpec;
  if (values.launch || spec.launchImmediately) await warnUnlessFits(run, `A new revision of "${spec.service}"`, () => client.checkSpecFit(spec, values.namespace ? { namespace: values.namespace } : {}));
  // --namespace wins over the spec's, the spec's over the context's (resolveNamespace, in the client).
  const result = await client.create(spec, { ...(values.namespace ? { namespace: values.namespace } : {}), ...(values.launch ? { launch: true } : {}) });
  // What a launch led to, as the editor says it: never "started" for pods that already fail.
  const state = result.started ? await client.firstVerdict(result, LaunchVerdictWaitMs) : undefined;
  const outcome = result.started ? ` and ${launchOutcome(state).text.replace(/\.$/, '')}` : '';
  print(`Created revision ${result.revision} of "${result.service}" in namespace "${result.namespace}"${outcome}.\n`, { ...result, ...(state ? { state: describeState(state) } : {}) });
  return ExitCode.ok;
}

/** How long create --launch waits for the first verdict on the pods (start --wait waits for as long as asked). */
const LaunchVerdictWaitMs = 8_000;

/** Before starting: a warning on stderr when its pods will not fit now (the start goes on, as a person may know better). */
async function warnUnlessFits(run: Run, what: string, check: () => Promise<FitVerdict>): Promise<void> {
  let verdict: FitVerdict;
  try {
    verdict = await check();
  } catch {
    return; // Not knowing is no reason to stop: the start itself reports what the cluster says.
  }
  if (!verdict.fits) run.io.stderr(`serve-revisions: warning: ${escapeControl(fitWarning(what, verdict))} Starting it anyway.\n${verdict.problems.slice(1).map((p) => `serve-revisions: warning: also ${p}\n`).join('')}`);
}

/** Polls until the revision runs or fails, or the timeout passes. */
async function waitForStart(run: Run, t: Target): Promise<number> {
  const timeoutMs = wholeNumber(run.values.timeout ?? '300', '--timeout', 1) * 1000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const revision = await run.client.getRevision(t);
    if (revision.state.kind === 'running' || revision.state.kind === 'failed') {
      run.print(`Revision ${t.revision} of "${t.service}" is ${describeState(revision.state)}${revision.state.kind === 'failed' ? `: ${revision.state.message}` : ''}.\n`, revisionJson(revision));
      return revision.state.kind === 'running' ? ExitCode.ok : ExitCode.findings;
    }
    if (Date.now() > deadline) {
      run.io.stderr(`serve-revisions: revision ${t.revision} of "${t.service}" is still ${describeState(revision.state)} after ${timeoutMs / 1000} s.\n`);
      return ExitCode.findings;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

async function start(run: Run): Promise<number> {
  const t = target(run);
  await warnUnlessFits(run, `Revision ${t.revision} of "${t.service}"`, () => run.client.checkFit(t));
  await run.client.start(t);
  if (run.values.wait) return waitForStart(run, t);
  run.print(`Started revision ${t.revision} of "${t.service}".\n`, { ...t, started: true });
  return ExitCode.ok;
}

async function stop(run: Run): Promise<number> {
  const t = target(run);
  const { wasRunning } = await run.client.stop(t);
  run.print(wasRunning ? `Stopped revision ${t.revision} of "${t.service}"; its recipe is kept.\n` : `Revision ${t.revision} of "${t.service}" was not running.\n`, { ...t, wasRunning });
  return ExitCode.ok;
}

async function scale(run: Run): Promise<number> {
  const t = target(run);
  const { values } = run;
  if (values.replicas !== undefined && (values.min !== undefined || values.max !== undefined)) throw new UsageError('give either --replicas, or --min and --max');
  if (values.replicas !== undefined) {
    const replicas = wholeNumber(values.replicas, '--replicas', 0);
    await run.client.scale(t, { replicas });
    run.print(`Scaled revision ${t.revision} of "${t.service}" to ${replicas} replica${replicas === 1 ? '' : 's'}.\n`, { ...t, replicas });
  } else if (values.min !== undefined && values.max !== undefined) {
    const bounds = { minReplicas: wholeNumber(values.min, '--min', 1), maxReplicas: wholeNumber(values.max, '--max', 1) };
    await run.client.scale(t, bounds);
    run.print(`Revision ${t.revision} of "${t.service}" now autoscales between ${bounds.minReplicas} and ${bounds.maxReplicas} replicas.\n`, { ...t, ...bounds });
  } else {
    throw new UsageError('scale needs --replicas N, or --min N and --max M for an autoscaled revision');
  }
  return ExitCode.ok;
}

async function reproduce(run: Run): Promise<number> {
  const t = target(run);
  const result = await run.client.reproduce(t, run.values.message !== undefined ? { message: run.values.message } : {}, run.values.launch ? { launch: true } : {});
  run.print(`Created revision ${result.revision} of "${result.service}", reproduced from revision ${t.revision}${result.started ? ', and started it' : ''}.\n`, { ...result, reproducedFrom: t.revision });
  return ExitCode.ok;
}

async function remove(run: Run): Promise<number> {
  const t = target(run);
  if (!run.values.yes) throw new UsageError(`delete removes revision ${t.revision} of "${t.service}" and everything it runs; add --yes to confirm`);
  await run.client.delete(t);
  run.print(`Deleted revision ${t.revision} of "${t.service}" and everything it created.\n`, { ...t, deleted: true });
  return ExitCode.ok;
}

const Commands: Record<string, (run: Run) => Promise<number>> = { list, create, start, stop, scale, reproduce, delete: remove, describe, logs };

export async function runClusterCommand(command: string, args: string[], io: CliIo): Promise<number> {
  const handler = Object.hasOwn(Commands, command) ? Commands[command] : undefined;
  if (!handler) throw new UsageError(`unknown command "${command}"`);
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: ClusterOptions });
  const output = outputOption(values.output);
  const client = connectClient(values, io);
  const print = (text: string, json: unknown): void => io.stdout(output === 'json' ? `${JSON.stringify(json, null, 2)}\n` : text);
  return handler({ command, values, positionals, io, client, namespace: client.namespace, print });
}
