/**
 * The traffic commands: Split Traffic…, Route All Traffic Here, Tag Revision…, Choose Data Plane…,
 * Size Replicas to Match the Split, and comparing two revisions (Compare with Previous Revision,
 * Compare with…). Invoked from the tree they get its node; from the palette they ask.
 */
import * as vscode from 'vscode';
import { loadEngine } from '../../bundles/loadEngine';
import type { RevisionModel, ServiceModel } from '../../core/kube/revisionState';
import { rolloutActive, splitText } from '../../core/traffic/trafficModel';
import { replicasForSplit, shareInputProblem, tagProblem } from '../../core/traffic/trafficPolicy';
import { notify } from '../common/notify';
import { registerCommand } from '../common/registerCommand';
import { CommandIds } from '../ids';
import { stateText } from '../tree/revisionPresentation';
import { storedSpecUri } from '../tree/storedSpecProvider';
import type { CommandDeps } from './commandDeps';
import { revisionTarget, serviceTarget, signalOf, withProgress, type TrafficArg } from './trafficTargets';

const live = (r: RevisionModel): boolean => r.state.kind === 'running' || r.state.kind === 'starting';

function refuseDuringRollout(s: ServiceModel, what: string): void {
  const rollout = s.traffic?.record.rollout;
  if (rolloutActive(rollout)) throw new Error(`Could not ${what} of "${s.name}": a rollout of revision ${rollout.target} is under way. Abort it (Abort Rollout), or let it finish, first.`);
}

/** One input box per revision that runs or has a share, each checked as typed; the last takes what is left. */
async function splitTraffic(deps: CommandDeps, arg?: TrafficArg): Promise<string> {
  const s = await serviceTarget(deps, arg, 'Service whose traffic to split', (x) => x.revisions.some(live));
  refuseDuringRollout(s, 'split the traffic');
  const candidates = s.revisions.filter((r) => live(r) || (r.traffic?.percent ?? 0) > 0);
  if (candidates.length === 0) throw new Error(`Could not split the traffic of "${s.name}": none of its revisions runs. Start one first.`);
  const split: Array<{ revision: number; percent: number }> = [];
  let remaining = 100;
  for (const [i, r] of candidates.entries()) {
    const last = i === candidates.length - 1;
    const now = r.traffic?.percent ?? 0;
    const text = await deps.ui.ask({
      title: `Split the traffic of "${s.name}" (${i + 1} of ${candidates.length})`,
      prompt: `Share of #${r.revision} ${r.message} (${stateText(r)}; now ${now}%): ${remaining}% left to give`,
      value: String(last ? remaining : Math.min(now, remaining)),
      validateInput: (t) => shareInputProblem(t, remaining, last),
    });
    const percent = Number(text.trim().replace(/%$/, ''));
    split.push({ revision: r.revision, percent });
    remaining -= percent;
  }
  const client = deps.session.getClient();
  const expected = s.traffic?.record.traffic ?? [];
  const record = await withProgress(`Splitting the traffic of "${s.name}"…`, () => client.traffic.edit(s.name, { split, expected }, s.namespace));
  const approximate = s.traffic?.dataPlane === 'gateway' ? 'exact per request (Gateway API)' : 'approximate: on the plain data plane it follows ready pods (Size Replicas to Match the Split helps)';
  const message = `Traffic of "${s.name}": ${splitText(record.traffic)} — ${approximate}.`;
  deps.logger.info(message);
  void notify(deps.logger, 'info', message);
  return splitText(record.traffic);
}

/** Opens the stored specs of two revisions side by side, without what creation assigns. */
export async function compareRevisions(deps: CommandDeps, service: ServiceModel, a: number, b: number): Promise<void> {
  const [older, newer] = a < b ? [a, b] : [b, a];
  const uri = (revision: number) => storedSpecUri({ namespace: service.namespace, service: service.name, revision }).with({ query: 'compare' });
  await vscode.commands.executeCommand('vscode.diff', uri(older), uri(newer), `${service.name}: #${older} ↔ #${newer} (stored specs)`, { preview: true });
  deps.logger.debug(`Compared revisions ${older} and ${newer} of "${service.name}"`);
}

/** The revision that serves most of a service's traffic (the one a promotion or rollback replaces). */
function primary(s: ServiceModel): number | undefined {
  return [...(s.traffic?.record.traffic ?? [])].filter((t) => t.percent > 0).sort((x, y) => y.percent - x.percent)[0]?.revision;
}

/** Rollback (or promotion) in one action: all traffic to this revision, starting it first when stopped. */
async function routeAllTrafficHere(deps: CommandDeps, arg?: TrafficArg): Promise<string> {
  const { service: s, revision: r } = await revisionTarget(deps, arg, 'Revision to route all traffic to');
  const now = s.traffic?.record;
  if ((r.traffic?.percent ?? 0) === 100) {
    void notify(deps.logger, 'info', `#${r.revision} of ${s.name} already serves all its traffic.`);
    return splitText(now?.traffic ?? []);
  }
  const stopped = r.state.kind === 'stopped' || r.state.kind === 'stopping';
  const rollout = rolloutActive(now?.rollout) ? ` The rollout of revision ${now?.rollout?.target} under way ends.` : '';
  const detail = `Now: ${splitText(now?.traffic ?? [])}. After: #${r.revision} 100%.${stopped ? ' It is stopped: it is started first, and the traffic moves once it is ready.' : ''}${rollout}`;
  const from = primary(s);
  const buttons = from !== undefined && from !== r.revision ? ['Route All Traffic', 'Compare First'] : ['Route All Traffic'];
  const answer = await deps.ui.choose(`Route all traffic of "${s.name}" to revision ${r.revision}?`, detail, buttons);
  if (answer === 'Compare First' && from !== undefined) {
    await compareRevisions(deps, s, from, r.revision);
    return splitText(now?.traffic ?? []);
  }
  const client = deps.session.getClient();
  const by = await client.traffic.describeClient('VS Code');
  const record = await withProgress(
    `Routing all traffic of "${s.name}" to revision ${r.revision}…`,
    (progress, token) => client.traffic.routeAll({ service: s.name, revision: r.revision, namespace: s.namespace }, { by, expected: now?.traffic ?? [], signal: signalOf(token), onProgress: (message) => progress.report({ message }) }),
    true,
  );
  deps.logger.info(`All traffic of "${s.name}" now goes to revision ${r.revision}`);
  return splitText(record.traffic);
}

async function tagRevision(deps: CommandDeps, arg?: TrafficArg): Promise<string[]> {
  const { service: s, revision: r } = await revisionTarget(deps, arg, 'Revision to tag');
  const tags = r.traffic?.tags ?? [];
  const client = deps.session.getClient();
  if (tags.length > 0) {
    const items = [{ label: 'Add a tag…', tag: undefined as string | undefined }, ...tags.map((tag) => ({ label: `Remove tag ${tag}`, description: `${s.name}-${tag} stops reaching #${r.revision}`, tag }))];
    const picked = await deps.ui.pick(items, { placeHolder: `Tags of revision ${r.revision} of "${s.name}"` });
    if (picked.tag) {
      const record = await withProgress(`Removing tag "${picked.tag}"…`, () => client.traffic.edit(s.name, { untag: [picked.tag as string] }, s.namespace));
      return record.traffic.find((t) => t.revision === r.revision)?.tags ?? [];
    }
  }
  const elsewhere = new Map((s.traffic?.record.traffic ?? []).flatMap((t) => (t.tags ?? []).map((tag) => [tag, t.revision] as const)));
  const tag = await deps.ui.ask({
    title: `Tag revision ${r.revision} of "${s.name}"`,
    prompt: `A stable name with its own address (${s.name}-TAG) that follows whichever revision holds it${s.traffic?.dataPlane === 'gateway' ? ', and the request header X-Serve-Revisions-Tag through the Gateway' : ''}`,
    placeHolder: 'canary',
    validateInput: (t) => (tags.includes(t) ? `Revision ${r.revision} already has the tag "${t}".` : tagProblem(s.name, t)),
  });
  const record = await withProgress(`Tagging revision ${r.revision} of "${s.name}" "${tag}"…`, () => client.traffic.edit(s.name, { tag: [{ revision: r.revision, tag }] }, s.namespace));
  const moved = elsewhere.get(tag);
  void notify(deps.logger, 'info', `Tag "${tag}" of "${s.name}" now reaches revision ${r.revision}${moved !== undefined ? ` (moved from #${moved})` : ''}: ${s.name}-${tag}.${s.namespace}.svc.`);
  return record.traffic.find((t) => t.revision === r.revision)?.tags ?? [];
}

async function compareWithPrevious(deps: CommandDeps, arg?: TrafficArg): Promise<void> {
  const { service: s, revision: r } = await revisionTarget(deps, arg, 'Revision to compare with the one before it');
  const previous = s.revisions.filter((x) => x.revision < r.revision).sort((a, b) => b.revision - a.revision)[0];
  if (!previous) throw new Error(`Revision ${r.revision} is the oldest revision of "${s.name}": there is no previous one to compare it with.`);
  await compareRevisions(deps, s, previous.revision, r.revision);
}

async function compareWith(deps: CommandDeps, arg?: TrafficArg): Promise<void> {
  const { service: s, revision: r } = await revisionTarget(deps, arg, 'Revision to compare');
  const others = s.revisions.filter((x) => x.revision !== r.revision).map((x) => ({ label: `#${x.revision} ${x.message}`, description: [stateText(x), x.image].join(' · '), revision: x.revision }));
  if (others.length === 0) throw new Error(`"${s.name}" has only revision ${r.revision}: there is nothing to compare it with.`);
  const picked = await deps.ui.pick(others, { placeHolder: `Compare revision ${r.revision} of "${s.name}" with…` });
  await compareRevisions(deps, s, picked.revision, r.revision);
}

/** The data plane: plain, or a Gateway of the namespace (or another one) for exact weights. */
async function chooseDataPlane(deps: CommandDeps, arg?: TrafficArg): Promise<string> {
  const s = await serviceTarget(deps, arg, 'Service whose data plane to choose');
  const client = deps.session.getClient();
  const served = await client.traffic.servesGatewayApi().catch(() => false);
  const gateways = served ? await client.traffic.listGateways(s.namespace).catch(() => []) : [];
  type Item = vscode.QuickPickItem & { gateway?: { name: string; namespace?: string; sectionName?: string }; other?: boolean };
  const items: Item[] = [
    { label: 'Plain Kubernetes', description: 'the stable Service selects the serving revisions; approximate, the split follows ready pods' },
    ...gateways.flatMap((g): Item[] => [{ label: `Gateway ${g.name}`, description: 'HTTPRoute weights: exact per request', gateway: { name: g.name } }, ...g.listeners.map((l) => ({ label: `Gateway ${g.name}, listener ${l}`, gateway: { name: g.name, sectionName: l } }))]),
    ...(served ? [{ label: 'Gateway in another namespace…', other: true }] : []),
  ];
  const picked = await deps.ui.pick(items, { placeHolder: served ? `How traffic reaches the revisions of "${s.name}"` : `The cluster serves no Gateway API: "${s.name}" can only use the plain data plane` });
  let gateway = picked.gateway;
  if (picked.other) {
    const text = await deps.ui.ask({ prompt: 'The Gateway as NAMESPACE/NAME (it must allow routes from this namespace)', placeHolder: 'infra/public', validateInput: (t) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?\/[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/.test(t.trim()) ? undefined : 'Write it as NAMESPACE/NAME, e.g. infra/public.') });
    const [namespace, name] = text.trim().split('/') as [string, string];
    gateway = { name, namespace };
  }
  const settings = { ...(s.traffic?.record.settings ?? {}) };
  delete settings.gateway;
  if (gateway) settings.gateway = gateway;
  await withProgress(`Setting the data plane of "${s.name}"…`, () => client.traffic.applySettings(s.name, settings, s.namespace));
  return gateway ? 'gateway' : 'plain';
}

async function sizeReplicas(deps: CommandDeps, arg?: TrafficArg): Promise<void> {
  const s = await serviceTarget(deps, arg, 'Service whose split to size replicas for', (x) => x.traffic?.dataPlane !== 'gateway');
  const traffic = s.traffic?.record.traffic ?? [];
  const total = s.revisions.reduce((n, r) => n + ((r.traffic?.percent ?? 0) > 0 && 'desired' in r.state ? r.state.desired : 0), 0);
  const plan = replicasForSplit(traffic, total);
  if (plan.length < 2) throw new Error(`Could not size replicas for "${s.name}": its traffic is not split (${splitText(traffic)}).`);
  await deps.ui.confirm(`Scale the split's revisions of "${s.name}" so ready pods approximate ${splitText(traffic)}?`, `${plan.map((p) => `#${p.revision} → ${p.replicas} replica${p.replicas === 1 ? '' : 's'}`).join(', ')} (${total} in all now). Autoscaled revisions are left to their autoscaler.`, 'Scale');
  const result = await withProgress(`Scaling the revisions of "${s.name}"…`, () => deps.session.getClient().traffic.sizeReplicasToSplit(s.name, s.namespace));
  void notify(deps.logger, 'info', `Scaled ${result.scaled.map((p) => `#${p.revision} to ${p.replicas}`).join(', ')}${result.autoscaled.length > 0 ? `; autoscaled, left alone: ${result.autoscaled.map((n) => `#${n}`).join(', ')}` : ''}.`);
}

/** The settings of a service as a `kind: Service` spec, to edit and apply as YAML. */
async function openServiceSettings(deps: CommandDeps, arg?: TrafficArg): Promise<void> {
  const s = await serviceTarget(deps, arg, 'Service whose settings to open');
  const engine = loadEngine();
  const content = `# The settings of "${s.name}": edit, then Apply service settings (CLI: serve-revisions create FILE).\n${engine.stringifyYaml(engine.serviceSpecOf(s.name, s.namespace, s.traffic?.record.settings ?? {}), { lineWidth: 0 })}`;
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'revision-yaml', content }));
}

export function registerTrafficCommands(deps: CommandDeps): void {
  const { logger } = deps;
  deps.context.subscriptions.push(
    registerCommand(logger, CommandIds.splitTraffic, (arg?: TrafficArg) => splitTraffic(deps, arg)),
    registerCommand(logger, CommandIds.routeAllTrafficHere, (arg?: TrafficArg) => routeAllTrafficHere(deps, arg)),
    registerCommand(logger, CommandIds.tagRevision, (arg?: TrafficArg) => tagRevision(deps, arg)),
    registerCommand(logger, CommandIds.compareWithPrevious, (arg?: TrafficArg) => compareWithPrevious(deps, arg)),
    registerCommand(logger, CommandIds.compareWith, (arg?: TrafficArg) => compareWith(deps, arg)),
    registerCommand(logger, CommandIds.chooseDataPlane, (arg?: TrafficArg) => chooseDataPlane(deps, arg)),
    registerCommand(logger, CommandIds.sizeReplicasToSplit, (arg?: TrafficArg) => sizeReplicas(deps, arg)),
    registerCommand(logger, CommandIds.openServiceSettings, (arg?: TrafficArg) => openServiceSettings(deps, arg)),
  );
}
