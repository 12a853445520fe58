/**
 * The rollout commands: Start Rollout… (this window then drives it, in the background), Pause,
 * Resume (approving a held step; taking over a rollout whose driver went away) and Abort Rollout,
 * and the rollout actions of the status bar item. Any window or the CLI can steer a rollout: its
 * state is in the cluster.
 */
import type * as vscode from 'vscode';
import { parseDuration, parseSteps } from '../../core/traffic/rollout';
import { DefaultRolloutPlan, durationText, planText, splitText, type RolloutPlan } from '../../core/traffic/trafficModel';
import { registerCommand } from '../common/registerCommand';
import { CommandIds } from '../ids';
import { serviceRollout } from '../tree/trafficPresentation';
import type { CommandDeps } from './commandDeps';
import { compareRevisions } from './trafficCommands';
import { revisionTarget, serviceTarget, withProgress, type TrafficArg } from './trafficTargets';

const HoldChoices = ['30s', '2m', '5m', '15m'];

async function askPlan(deps: CommandDeps, service: string, base: RolloutPlan): Promise<RolloutPlan> {
  const stepsText = await deps.ui.ask({
    title: `Roll out a revision of "${service}": steps`,
    prompt: "The new revision's share at each step, in percent, ending at 100",
    value: base.steps.join(','),
    validateInput: (t) => {
      const parsed = parseSteps(t);
      return typeof parsed === 'string' ? parsed : undefined;
    },
  });
  const steps = parseSteps(stepsText) as number[];
  const own = base.manual ? 'Until approved (the service’s plan)' : `${durationText(base.intervalSeconds ?? 120)} (the service’s plan)`;
  type Item = vscode.QuickPickItem & { seconds?: number; manual?: boolean; other?: boolean };
  const items: Item[] = [
    { label: own, ...(base.manual ? { manual: true } : { seconds: base.intervalSeconds ?? 120 }) },
    ...HoldChoices.map((d) => ({ label: d, seconds: parseDuration(d) as number })),
    { label: 'Until approved', description: 'each step waits for Resume Rollout', manual: true },
    { label: 'Other…', other: true },
  ];
  const hold = await deps.ui.pick(items, { title: `Roll out a revision of "${service}": hold each step`, placeHolder: 'How long each step holds while the new revision stays healthy' });
  if (hold.manual) return { steps, manual: true };
  if (hold.other) {
    const text = await deps.ui.ask({ prompt: 'Hold each step for (e.g. 45s, 10m, 1h30m)', validateInput: (t) => (typeof parseDuration(t) === 'string' ? (parseDuration(t) as string) : undefined) });
    return { steps, intervalSeconds: parseDuration(text) as number };
  }
  return { steps, intervalSeconds: hold.seconds ?? 120 };
}

async function startRollout(deps: CommandDeps, arg?: TrafficArg): Promise<string> {
  const { service: s, revision: r } = await revisionTarget(deps, arg, 'Revision to roll out', (x) => x.state.kind === 'running' || x.state.kind === 'starting');
  if (r.state.kind === 'stopped' || r.state.kind === 'stopping') throw new Error(`Could not roll out revision ${r.revision} of "${s.name}": it is ${r.state.kind}. Start it first.`);
  const plan = await askPlan(deps, s.name, s.traffic?.record.settings.rollout ?? DefaultRolloutPlan);
  const from = [...(s.traffic?.record.traffic ?? [])].filter((t) => t.percent > 0).sort((a, b) => b.percent - a.percent)[0]?.revision;
  const detail = `${planText(plan)}. Now: ${splitText(s.traffic?.record.traffic ?? [])}. A step advances only while #${r.revision} is healthy (all pods ready, no restarts). This window drives it: keep it open. Any window or the CLI can pause, resume or abort it.`;
  const answer = await deps.ui.choose(`Roll out revision ${r.revision} of "${s.name}"?`, detail, from !== undefined && from !== r.revision ? ['Start Rollout', 'Compare First'] : ['Start Rollout']);
  if (answer === 'Compare First' && from !== undefined) {
    await compareRevisions(deps, s, from, r.revision);
    return 'compared';
  }
  const client = deps.session.getClient();
  const driver = await client.traffic.describeClient('VS Code');
  await withProgress(`Starting the rollout of revision ${r.revision} of "${s.name}"…`, () => client.traffic.startRollout(s.name, r.revision, plan, { namespace: s.namespace, driver }));
  void deps.drivers.drive(client, s.name, s.namespace, driver);
  deps.logger.info(`Started a rollout of revision ${r.revision} of "${s.name}": ${planText(plan)}`);
  return 'started';
}

const hasRollout = (s: Parameters<typeof serviceRollout>[0]): boolean => serviceRollout(s) !== undefined;

async function pauseRollout(deps: CommandDeps, arg?: TrafficArg): Promise<void> {
  const s = await serviceTarget(deps, arg, 'Service whose rollout to pause', hasRollout);
  const client = deps.session.getClient();
  await withProgress(`Pausing the rollout of "${s.name}"…`, async () => client.traffic.pauseRollout(s.name, s.namespace, await client.traffic.describeClient('VS Code')));
}

/** Goes on (approving a held step); a rollout no client drives any more is driven from this window. */
async function resumeRollout(deps: CommandDeps, arg?: TrafficArg): Promise<string> {
  const s = await serviceTarget(deps, arg, 'Service whose rollout to resume', hasRollout);
  const client = deps.session.getClient();
  const view = await client.traffic.rolloutStatus(s.name, s.namespace);
  const orphaned = !view || view.driverGone || !view.driver;
  if (orphaned && !deps.drivers.isDriving(client, s.name, s.namespace)) {
    const driver = await client.traffic.describeClient('VS Code');
    await withProgress(`Resuming the rollout of "${s.name}"…`, () => client.traffic.resumeRollout(s.name, s.namespace, driver));
    void deps.drivers.drive(client, s.name, s.namespace, driver);
    return 'driving';
  }
  await withProgress(`Resuming the rollout of "${s.name}"…`, () => client.traffic.resumeRollout(s.name, s.namespace));
  return 'resumed';
}

async function abortRollout(deps: CommandDeps, arg?: TrafficArg): Promise<void> {
  const s = await serviceTarget(deps, arg, 'Service whose rollout to abort', hasRollout);
  const rollout = s.traffic?.record.rollout;
  const before = rollout ? splitText(rollout.before) : 'the split before it';
  await deps.ui.confirm(`Abort the rollout of "${s.name}"?`, `All traffic returns to the split before the rollout: ${before}.`, 'Abort Rollout');
  const client = deps.session.getClient();
  await withProgress(`Aborting the rollout of "${s.name}"…`, async () => client.traffic.abortRollout(s.name, s.namespace, await client.traffic.describeClient('VS Code')));
}

/** The status bar item's menu: what can be done to a rollout now. */
async function rolloutActions(deps: CommandDeps, arg?: TrafficArg): Promise<void> {
  const s = await serviceTarget(deps, arg, 'Service whose rollout to steer', hasRollout);
  const view = serviceRollout(s);
  const items = [
    ...(view?.state === 'progressing' ? [{ label: 'Pause Rollout', command: CommandIds.pauseRollout }] : []),
    ...(view?.state === 'paused' || view?.state === 'waiting-approval' ? [{ label: view.state === 'waiting-approval' ? 'Approve the Next Step' : 'Resume Rollout', command: CommandIds.resumeRollout }] : []),
    { label: 'Abort Rollout', command: CommandIds.abortRollout },
  ];
  const picked = await deps.ui.pick(items, { placeHolder: view ? `Rollout of #${view.target} of "${s.name}": ${view.state}` : `"${s.name}"` });
  const handlers: Record<string, (d: CommandDeps, a?: TrafficArg) => Promise<unknown>> = { [CommandIds.pauseRollout]: pauseRollout, [CommandIds.resumeRollout]: resumeRollout, [CommandIds.abortRollout]: abortRollout };
  await handlers[picked.command]?.(deps, { service: s.name, namespace: s.namespace });
}

export function registerRolloutCommands(deps: CommandDeps): void {
  const { logger } = deps;
  deps.context.subscriptions.push(
    registerCommand(logger, CommandIds.startRollout, (arg?: TrafficArg) => startRollout(deps, arg)),
    registerCommand(logger, CommandIds.pauseRollout, (arg?: TrafficArg) => pauseRollout(deps, arg)),
    registerCommand(logger, CommandIds.resumeRollout, (arg?: TrafficArg) => resumeRollout(deps, arg)),
    registerCommand(logger, CommandIds.abortRollout, (arg?: TrafficArg) => abortRollout(deps, arg)),
    registerCommand(logger, CommandIds.rolloutActions, (arg?: TrafficArg) => rolloutActions(deps, arg)),
  );
}
