/**
 * The CLI commands of traffic and rollouts (a contract scripts depend on):
 *   traffic SERVICE [REV=PERCENT…] [--tag REV=TAG…] [--untag TAG…]
 *   rollout SERVICE REV [--steps 10,50,100] [--interval 2m | --manual] [--wait]
 *   rollout status|pause|resume|abort SERVICE
 *   diff SERVICE A B            (exit 0 same, 1 different, 2 trouble, like diff)
 */
import { parseArgs } from 'node:util';
import type { RevisionClient } from '../bundles/loadKube';
import { describeState } from '../core/kube/describeState';
import { kubeErrorOf } from '../core/kube/kubeErrors';
import type { ServiceModel } from '../core/kube/revisionState';
import { escapeControl, escapeControlLines } from '../core/escapeText';
import { parseDuration, parseSteps, rolloutViewText, type RolloutView } from '../core/traffic/rollout';
import { DefaultRolloutPlan, planText, type RolloutPlan } from '../core/traffic/trafficModel';
import { parseAssignment } from '../core/traffic/trafficPolicy';
import { connectClient, ExitCode, outputOption, table, UsageError, type CliIo } from './cliIo';

const Options = {
  output: { type: 'string', short: 'o' },
  namespace: { type: 'string', short: 'n' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  tag: { type: 'string', multiple: true },
  untag: { type: 'string', multiple: true },
  steps: { type: 'string' },
  interval: { type: 'string' },
  manual: { type: 'boolean' },
  wait: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof Options; allowPositionals: true }>>['values'];

interface Run {
  values: Values;
  positionals: string[];
  io: CliIo;
  client: RevisionClient;
  namespace: string;
  json: boolean;
  print(text: string, json: unknown): void;
}

/** `{"service", "dataPlane", "traffic": [{"revision", "percent", "effectivePercent", "tags"}]}`: the JSON contract of `traffic`. */
export function trafficJson(model: ServiceModel): { service: string; dataPlane: string; traffic: Array<{ revision: number; percent: number; effectivePercent: number; tags: string[] }> } {
  return {
    service: model.name,
    dataPlane: model.traffic?.dataPlane ?? 'plain',
    traffic: model.revisions.map((r) => ({ revision: r.revision, percent: r.traffic?.percent ?? 0, effectivePercent: r.traffic?.effectivePercent ?? 0, tags: r.traffic?.tags ?? [] })),
  };
}

function dataPlaneLine(model: ServiceModel, namespace: string): string {
  const traffic = model.traffic;
  if (traffic?.dataPlane === 'gateway' && traffic.gateway) {
    const g = traffic.gateway;
    return `Service "${model.name}" in namespace "${namespace}": Gateway API data plane (HTTPRoute "${model.name}" on Gateway "${g.namespace ? `${g.namespace}/` : ''}${g.name}"${g.sectionName ? `, listener "${g.sectionName}"` : ''}): exact weights per request.`;
  }
  return `Service "${model.name}" in namespace "${namespace}": plain data plane (the stable Service "${model.name}"): the split follows ready pods, so it is approximate; EFFECTIVE is each revision's share of the ready endpoints now.`;
}

function rolloutLine(view: RolloutView | undefined): string {
  if (!view) return '';
  return `${escapeControl(`${rolloutViewText(view)}${view.driver && !view.driverGone ? `, driven by ${view.driver}` : ''}${view.message ? ` — ${view.message}` : ''}`)}\n`;
}

function trafficText(model: ServiceModel, namespace: string, view: RolloutView | undefined): string {
  const rows = [['REVISION', 'PERCENT', 'EFFECTIVE', 'TAGS', 'STATE']];
  for (const r of model.revisions) rows.push([String(r.revision), `${r.traffic?.percent ?? 0}%`, `${r.traffic?.effectivePercent ?? 0}%`, r.traffic?.tags.join(',') || '-', describeState(r.state)]);
  return `${escapeControl(dataPlaneLine(model, namespace))}\n${escapeControlLines(table(rows))}${rolloutLine(view)}`;
}

/** `--tag 3=canary` → revision 3, tag canary. */
function tagArgument(text: string): { revision: number; tag: string } {
  const match = /^#?(\d+)=(.+)$/.exec(text);
  if (!match) throw new UsageError(`--tag must be REV=TAG, e.g. --tag 3=canary, not "${text}"`);
  return { revision: Number(match[1]), tag: match[2] as string };
}

async function traffic(run: Run): Promise<number> {
  const [service, ...assignments] = run.positionals;
  if (!service) throw new UsageError('traffic needs SERVICE, e.g. "serve-revisions traffic iris" or "serve-revisions traffic iris 3=10 2=90"');
  const split = assignments.map((a) => {
    const parsed = parseAssignment(a);
    if (typeof parsed === 'string') throw new UsageError(parsed);
    return parsed;
  });
  const tag = (run.values.tag ?? []).map(tagArgument);
  const untag = run.values.untag ?? [];
  if (split.length > 0 || tag.length > 0 || untag.length > 0) {
    await run.client.traffic.edit(service, { ...(split.length > 0 ? { split } : {}), ...(tag.length > 0 ? { tag } : {}), ...(untag.length > 0 ? { untag } : {}) }, run.namespace);
  }
  const model = await run.client.traffic.service(service, run.namespace);
  const view = await run.client.traffic.rolloutStatus(service, run.namespace);
  run.print(trafficText(model, run.namespace, view), trafficJson(model));
  return ExitCode.ok;
}

/** The plan from --steps, --interval and --manual, else the service's default. */
async function planFrom(run: Run, service: string): Promise<RolloutPlan | undefined> {
  const { steps, interval, manual } = run.values;
  if (interval !== undefined && manual) throw new UsageError('give either --interval or --manual, not both');
  if (steps === undefined && interval === undefined && !manual) return undefined;
  const base = (await run.client.traffic.service(service, run.namespace)).traffic?.record.settings.rollout ?? DefaultRolloutPlan;
  const parsedSteps = steps !== undefined ? parseSteps(steps) : base.steps;
  if (typeof parsedSteps === 'string') throw new UsageError(`--steps: ${parsedSteps}`);
  if (manual) return { steps: parsedSteps, manual: true };
  const seconds = interval !== undefined ? parseDuration(interval) : (base.intervalSeconds ?? DefaultRolloutPlan.intervalSeconds);
  if (typeof seconds === 'string') throw new UsageError(`--interval: ${seconds}`);
  return { steps: parsedSteps, intervalSeconds: seconds ?? 120 };
}

/** Drives the service's rollout from here until it ends; Ctrl-C leaves it paused at its step. */
async function drive(run: Run, service: string, driver: string): Promise<number> {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let last = '';
  try {
    const result = await run.client.traffic
      .driver(service, driver, {
        namespace: run.namespace,
        signal: controller.signal,
        onUpdate: (view) => {
          const line = rolloutLine(view);
          if (line !== last && !run.json) run.io.stdout(line);
          last = line;
        },
      })
      .run();
    run.print(`Rollout of "${service}" ${result.state === 'released' ? 'left' : result.state}: ${escapeControl(result.message)}.\n`, { service, state: result.state, message: result.message, ...(result.view ? { rollout: result.view } : {}) });
    return result.state === 'done' || result.state === 'released' || result.state === 'taken' ? ExitCode.ok : ExitCode.findings;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

async function startRollout(run: Run, service: string, revisionText: string): Promise<number> {
  if (!/^\d+$/.test(revisionText) || Number(revisionText) < 1) throw new UsageError(`REV must be a revision number, not "${revisionText}"`);
  const target = Number(revisionText);
  const plan = await planFrom(run, service);
  const driver = await run.client.traffic.describeClient('serve-revisions CLI');
  const record = await run.client.traffic.startRollout(service, target, plan, { namespace: run.namespace, ...(run.values.wait ? { driver } : {}) });
  const rollout = record.rollout;
  const applied = rollout && rollout.step >= 0 ? `step 1 applied (${rollout.plan.steps[0]}%)` : `no step applied yet (revision ${target} is not ready)`;
  const started = `Started a rollout of revision ${target} of "${service}": ${planText(rollout?.plan ?? DefaultRolloutPlan)}; ${applied}.`;
  if (run.values.wait) {
    if (!run.json) run.io.stdout(`${started}\n`);
    return drive(run, service, driver);
  }
  run.print(`${started} It advances only while a client drives it: run "serve-revisions rollout resume ${service} --wait", or Resume Rollout in VS Code.\n`, { service, rollout });
  return ExitCode.ok;
}

async function rolloutAction(run: Run, action: string, service: string): Promise<number> {
  const traffic = run.client.traffic;
  const by = await traffic.describeClient('serve-revisions CLI');
  switch (action) {
    case 'status': {
      const view = await traffic.rolloutStatus(service, run.namespace);
      run.print(view ? rolloutLine(view) : `No rollout of "${service}" yet.\n`, view ?? null);
      return ExitCode.ok;
    }
    case 'pause':
      await traffic.pauseRollout(service, run.namespace, by);
      break;
    case 'abort':
      await traffic.abortRollout(service, run.namespace, by);
      break;
    case 'resume': {
      const view = await traffic.rolloutStatus(service, run.namespace);
      if (run.values.wait) {
        await traffic.resumeRollout(service, run.namespace, by);
        return drive(run, service, by);
      }
      if (view && (view.driverGone || !view.driver)) {
        throw new UsageError(`no client drives the rollout of "${service}" now, so resuming it from here means driving it: run "serve-revisions rollout resume ${service} --wait"`);
      }
      await traffic.resumeRollout(service, run.namespace);
      break;
    }
  }
  const view = await traffic.rolloutStatus(service, run.namespace);
  run.print(rolloutLine(view), view ?? null);
  return ExitCode.ok;
}

async function rollout(run: Run): Promise<number> {
  const [first, second, ...rest] = run.positionals;
  if (!first || !second || rest.length > 0) throw new UsageError('rollout needs SERVICE REV (e.g. "serve-revisions rollout iris 3 --steps 10,50,100 --interval 2m --wait"), or status|pause|resume|abort SERVICE');
  // `rollout status iris` unless the second word is a revision number (a service may be called "status").
  if (['status', 'pause', 'resume', 'abort'].includes(first) && !/^\d+$/.test(second)) return rolloutAction(run, first, second);
  return startRollout(run, first, second);
}

/** Like diff(1): prints the unified diff, exits 0 when the stored specs are the same, 1 when they differ, 2 on trouble. */
async function diff(run: Run): Promise<number> {
  const [service, a, b, ...rest] = run.positionals;
  if (!service || !a || !b || rest.length > 0 || !/^\d+$/.test(a) || !/^\d+$/.test(b)) throw new UsageError('diff needs SERVICE and two revision numbers, e.g. "serve-revisions diff iris 2 3"');
  try {
    const text = await run.client.traffic.diff(service, Number(a), Number(b), run.namespace);
    run.print(escapeControlLines(text), { service, a: Number(a), b: Number(b), same: text === '', diff: text });
    return text === '' ? ExitCode.ok : ExitCode.findings;
  } catch (error) {
    const known = kubeErrorOf(error);
    if (!known) throw error;
    run.io.stderr(`serve-revisions: ${known.message}\n`);
    return ExitCode.usage;
  }
}

const Commands: Record<string, (run: Run) => Promise<number>> = { traffic, rollout, diff };

export async function runTrafficCommand(command: string, args: string[], io: CliIo): Promise<number> {
  const handler = Object.hasOwn(Commands, command) ? Commands[command] : undefined;
  if (!handler) throw new UsageError(`unknown command "${command}"`);
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: Options });
  const output = outputOption(values.output);
  const client = connectClient(values, io);
  const json = output === 'json';
  const print = (text: string, data: unknown): void => io.stdout(json ? `${JSON.stringify(data, null, 2)}\n` : text);
  return handler({ values, positionals, io, client, namespace: client.namespace, json, print });
}
