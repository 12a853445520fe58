/**
 * The commands on one revision: Start, Stop, Scale, Delete and Open Stored Spec (the endpoint
 * commands are in endpointCommands.ts). Invoked from the tree they get its node; from the palette
 * they ask for the revision with a quick pick. Prompts and notifications name a revision as the
 * tree does (`#2 of iris`).
 */
import * as vscode from 'vscode';
import { launchOutcome } from '../../core/kube/launchOutcome';
import type { RevisionModel, ServiceModel } from '../../core/kube/revisionState';
import { servesTraffic, splitText } from '../../core/traffic/trafficModel';
import { moveShare, stopDecision } from '../../core/traffic/trafficPolicy';
import { notify } from '../common/notify';
import { registerCommand } from '../common/registerCommand';
import { CommandIds, LanguageId } from '../ids';
import { deleteConsequences, revisionName, stateText } from '../tree/revisionPresentation';
import { storedSpecUri } from '../tree/storedSpecProvider';
import { DetailNode, RevisionNode } from '../tree/treeNodes';
import type { CommandDeps } from './commandDeps';
import { VerdictWaitMs } from './createFlow';
import { confirmFit } from '../common/fitConfirmation';

/**
 * A command's target: a tree node (context menu), `{ service, revision }` (scripts, other
 * commands, a notification's button), or nothing (palette: a quick pick asks).
 */
export type RevisionArg = RevisionNode | DetailNode | { service: string; revision: number; namespace?: string } | undefined;

export function ref(r: RevisionModel): { service: string; revision: number; namespace: string } {
  return { service: r.service, revision: r.revision, namespace: r.namespace };
}

/** Validates a replica count as it is typed; undefined when fine. */
function replicaProblem(text: string, min = 0, max = 1000): string | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return 'Enter a whole number, e.g. 2.';
  const n = Number(trimmed);
  if (n < min) return `Enter at least ${min}.`;
  if (n > max) return `Enter at most ${max}.`;
  return undefined;
}

async function pickRevision({ tree, ui }: CommandDeps, placeHolder: string, filter: (r: RevisionModel) => boolean = () => true): Promise<RevisionModel> {
  await tree.model.ensureStarted();
  const items = tree.model.services.flatMap((s) => s.revisions.filter(filter).map((r) => ({ label: revisionName(r), description: `${stateText(r)} · ${r.message}`, revision: r })));
  if (items.length === 0) throw new Error(`No revision to choose in namespace "${tree.model.where?.namespace ?? '?'}": create one first (Serve Revisions: New Revision…).`);
  return (await ui.pick(items, { placeHolder, matchOnDescription: true })).revision;
}

/** The revision a command acts on; current data from the watch when it has it. */
export async function target(deps: CommandDeps, arg: RevisionArg, placeHolder: string, filter?: (r: RevisionModel) => boolean): Promise<RevisionModel> {
  const model = deps.tree.model;
  if (arg instanceof RevisionNode) return model.service(arg.model.service)?.revisions.find((r) => r.revision === arg.model.revision) ?? arg.model;
  if (arg instanceof DetailNode) return arg.revision;
  if (arg && typeof arg === 'object' && 'service' in arg) {
    await model.ensureStarted();
    const shown = arg.namespace === undefined || arg.namespace === model.where?.namespace;
    const found = shown ? model.service(arg.service)?.revisions.find((r) => r.revision === arg.revision) : undefined;
    return found ?? (await deps.session.getClient().getRevision(arg));
  }
  return pickRevision(deps, placeHolder, filter);
}

/** The service a revision belongs to, from the view when it shows that namespace, else from the cluster. */
async function serviceOf(deps: CommandDeps, r: RevisionModel): Promise<ServiceModel | undefined> {
  if (deps.tree.model.where?.namespace === r.namespace) return deps.tree.model.service(r.service);
  return (await deps.session.getClient().listServices(r.namespace)).find((s) => s.name === r.service);
}

function withProgress<T>(title: string, task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task);
}

async function start(deps: CommandDeps, arg?: RevisionArg): Promise<void> {
  const { session, logger } = deps;
  const r = await target(deps, arg, 'Revision to start', (x) => x.state.kind === 'stopped');
  // Will its pods fit? When not, the person decides (Start Anyway) before anything changes.
  await confirmFit(deps, revisionName(r), 'Start Anyway', () => session.getClient().checkFit(ref(r)));
  const verdict = await withProgress(`Starting ${revisionName(r)}…`, async () => {
    await session.getClient().start(ref(r));
    return session.getClient().firstVerdict(ref(r), VerdictWaitMs);
  });
  const outcome = launchOutcome(verdict);
  const text = `${revisionName(r)} ${outcome.text}.`;
  logger.info(`${text} (namespace "${r.namespace}")`);
  void notify(logger, outcome.severity, text.charAt(0).toUpperCase() + text.slice(1));
}

/**
 * A revision that serves traffic cannot be stopped as it is: asks to move its share to another
 * running revision first (the revision it moves to, or undefined when there is nothing to move or
 * it is the only one running and the person agreed to leave the service with no traffic).
 */
async function askToMoveShare(deps: CommandDeps, r: RevisionModel, service: ServiceModel | undefined): Promise<number | undefined> {
  const current = service?.revisions.find((x) => x.revision === r.revision) ?? r;
  if (!servesTraffic(current)) return undefined;
  const traffic = service?.traffic?.record.traffic ?? [];
  const decision = stopDecision(traffic, r.revision, (service?.revisions ?? []).map((x) => ({ revision: x.revision, state: x.state.kind })));
  if (decision.kind === 'free') return undefined;
  const ready = r.state.kind === 'stopped' || r.state.kind === 'stopping' ? 0 : r.state.ready;
  const endpoint = service?.endpoint ?? r.service;
  const pods = `Its ${ready === 1 ? 'ready pod stops' : `${ready} ready pods stop`} and the service's endpoint ${endpoint} no longer reaches ${ready === 1 ? 'it' : 'them'}.`;
  const recipe = 'The recipe stays: Start brings back the same revision.';
  const title = `Stop ${revisionName(r)}? It serves traffic.`;
  if (decision.kind === 'lastServing') {
    await deps.ui.confirm(title, `${pods} It serves ${decision.share}% of the traffic and no other revision of ${r.service} runs, so the endpoint answers nothing until one starts. ${recipe}`, 'Stop');
    return undefined;
  }
  const to = decision.candidates[0] as number;
  const then = splitText(moveShare(traffic, r.revision, to));
  await deps.ui.confirm(title, `${pods} It serves ${decision.share}% of the traffic, and a stopped revision cannot hold traffic: its share moves to #${to} first (then ${then}). To split it otherwise, use Split Traffic… first. ${recipe}`, `Move Its Share to #${to} and Stop`);
  return to;
}

async function stop(deps: CommandDeps, arg?: RevisionArg): Promise<void> {
  const { session, logger } = deps;
  const r = await target(deps, arg, 'Revision to stop', (x) => x.state.kind !== 'stopped' && x.state.kind !== 'stopping');
  const moveTrafficTo = await askToMoveShare(deps, r, await serviceOf(deps, r));
  await withProgress(`Stopping ${revisionName(r)}…`, () => session.getClient().stop(ref(r), moveTrafficTo !== undefined ? { moveTrafficTo } : {}));
  const moved = moveTrafficTo !== undefined ? `; its traffic went to #${moveTrafficTo}` : '';
  logger.info(`Stopped ${revisionName(r)}${moved} (namespace "${r.namespace}")`);
  // Not awaited: the command is done; the notification offers the way back for as long as it shows.
  void notify(logger, 'info', `Stopped ${revisionName(r)}${moved}. Its recipe stays.`, { actions: ['Start Again'] }).then((again) => {
    if (again) void vscode.commands.executeCommand(CommandIds.start, ref(r));
  });
}

async function scale(deps: CommandDeps, arg?: RevisionArg): Promise<void> {
  const { ui, session, logger } = deps;
  const r = await target(deps, arg, 'Revision to scale', (x) => x.state.kind !== 'stopped' && x.state.kind !== 'stopping');
  const name = revisionName(r);
  if (r.state.kind === 'stopped' || r.state.kind === 'stopping') throw new Error(`Could not scale ${name}: it is not running. Start it first.`);
  const autoscaling = r.autoscaling;
  if (autoscaling) {
    const title = `Scale ${name} (autoscaled)`;
    const min = Number(await ui.ask({ title, prompt: 'Minimum replicas', value: String(autoscaling.minReplicas), validateInput: (t) => replicaProblem(t, 1) }));
    const max = Number(await ui.ask({ title, prompt: `Maximum replicas (at least ${min})`, value: String(Math.max(min, autoscaling.maxReplicas)), validateInput: (t) => replicaProblem(t, Math.max(1, min)) }));
    await withProgress(`Scaling ${name} to ${min}–${max}…`, () => session.getClient().scale(ref(r), { minReplicas: min, maxReplicas: max }));
    logger.info(`Scaled ${name} to ${min}–${max} replicas (autoscaled; namespace "${r.namespace}")`);
    return;
  }
  const current = r.state.desired;
  const replicas = Number(await ui.ask({ title: `Scale ${name}`, prompt: 'Number of replicas (0 keeps the recipe but runs no pods)', value: String(current), validateInput: (t) => replicaProblem(t, 0) }));
  await withProgress(`Scaling ${name} to ${replicas}…`, () => session.getClient().scale(ref(r), { replicas }));
  logger.info(`Scaled ${name} from ${current} to ${replicas} replica${replicas === 1 ? '' : 's'} (namespace "${r.namespace}")`);
}

async function remove(deps: CommandDeps, arg?: RevisionArg): Promise<void> {
  const r = await target(deps, arg, 'Revision to delete');
  const service = await serviceOf(deps, r);
  const current = service?.revisions.find((x) => x.revision === r.revision) ?? r;
  if (servesTraffic(current)) {
    throw new Error(`Could not delete ${revisionName(r)}: it serves ${current.traffic?.percent ?? 0}% of the traffic of ${r.service}. Move its traffic to another revision first (Split Traffic…, or Route All Traffic Here on another revision), or stop it if it is the only one running.`);
  }
  await deps.ui.confirm(`Delete ${revisionName(r)} in namespace "${r.namespace}"?`, deleteConsequences(r, service), 'Delete');
  await withProgress(`Deleting ${revisionName(r)}…`, () => deps.session.getClient().delete(ref(r)));
  deps.logger.info(`Deleted ${revisionName(r)} (namespace "${r.namespace}")`);
}

async function openSpec(deps: CommandDeps, arg?: RevisionArg): Promise<string> {
  const r = await target(deps, arg, 'Revision whose stored spec to open');
  const doc = await vscode.workspace.openTextDocument(storedSpecUri(r));
  await vscode.languages.setTextDocumentLanguage(doc, LanguageId);
  await vscode.window.showTextDocument(doc, { preview: true });
  return doc.uri.toString();
}

export function registerRevisionCommands(deps: CommandDeps): void {
  const { logger } = deps;
  deps.context.subscriptions.push(
    registerCommand(logger, CommandIds.start, (arg?: RevisionArg) => start(deps, arg)),
    registerCommand(logger, CommandIds.stop, (arg?: RevisionArg) => stop(deps, arg)),
    registerCommand(logger, CommandIds.scale, (arg?: RevisionArg) => scale(deps, arg)),
    registerCommand(logger, CommandIds.delete, (arg?: RevisionArg) => remove(deps, arg)),
    registerCommand(logger, CommandIds.openSpec, (arg?: RevisionArg) => openSpec(deps, arg)),
  );
}
