/**
 * The commands on one revision (Start, Stop, Scale, Reproduce, Delete, Copy Endpoint, Open Stored
 * Spec) and Create Revision on a service. Invoked from the tree they get its node; from the
 * palette they ask for the revision with a quick pick.
 */
import * as vscode from 'vscode';
import type { RevisionModel, ServiceModel } from '../../core/kube/revisionState';
import { newRevisionSpecTemplate } from '../../core/spec/template';
import { servesTraffic, splitText } from '../../core/traffic/trafficModel';
import { moveShare, stopDecision } from '../../core/traffic/trafficPolicy';
import { loadEngine } from '../../bundles/loadEngine';
import { registerCommand } from '../common/registerCommand';
import { CommandIds, LanguageId } from '../ids';
import { stateText } from '../tree/revisionPresentation';
import { storedSpecUri } from '../tree/storedSpecProvider';
import { DetailNode, RevisionNode, ServiceNode } from '../tree/treeNodes';
import type { CommandDeps } from './commandDeps';

/**
 * A command's target: a tree node (context menu), `{ service, revision }` (scripts, other
 * commands), or nothing (palette: a quick pick asks).
 */
type RevisionArg = RevisionNode | DetailNode | { service: string; revision: number } | undefined;

function describe(r: { service: string; revision: number }): string {
  return `revision ${r.revision} of "${r.service}"`;
}

function ref(r: RevisionModel): { service: string; revision: number; namespace: string } {
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
  const items = tree.model.services.flatMap((s) => s.revisions.filter(filter).map((r) => ({ label: `${r.service} #${r.revision}`, description: `${stateText(r)} · ${r.message}`, revision: r })));
  if (items.length === 0) throw new Error(`No revision to choose in namespace "${tree.model.where?.namespace ?? '?'}": create one first (Serve Revisions: Create Revision).`);
  return (await ui.pick(items, { placeHolder, matchOnDescription: true })).revision;
}

/** The revision a command acts on; current data from the watch when it has it. */
async function target(deps: CommandDeps, arg: RevisionArg, placeHolder: string, filter?: (r: RevisionModel) => boolean): Promise<RevisionModel> {
  const model = deps.tree.model;
  if (arg instanceof RevisionNode) return model.service(arg.model.service)?.revisions.find((r) => r.revision === arg.model.revision) ?? arg.model;
  if (arg instanceof DetailNode) return arg.revision;
  if (arg && typeof arg === 'object' && 'service' in arg) {
    await model.ensureStarted();
    const found = model.service(arg.service)?.revisions.find((r) => r.revision === arg.revision);
    return found ?? (await deps.session.getClient().getRevision(arg));
  }
  return pickRevision(deps, placeHolder, filter);
}

function withProgress<T>(title: string, task: () => Promise<T>): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, task);
}

async function scale(deps: CommandDeps, arg?: RevisionArg): Promise<void> {
  const { ui, session } = deps;
  const r = await target(deps, arg, 'Revision to scale', (x) => x.state.kind !== 'stopped' && x.state.kind !== 'stopping');
  if (r.state.kind === 'stopped' || r.state.kind === 'stopping') throw new Error(`Could not scale ${describe(r)}: it is not running. Start it first.`);
  const autoscaling = r.autoscaling;
  if (autoscaling) {
    const title = `Scale ${describe(r)} (autoscaled)`;
    const min = Number(await ui.ask({ title, prompt: 'Minimum replicas', value: String(autoscaling.minReplicas), validateInput: (t) => replicaProblem(t, 1) }));
    const max = Number(await ui.ask({ title, prompt: `Maximum replicas (at least ${min})`, value: String(Math.max(min, autoscaling.maxReplicas)), validateInput: (t) => replicaProblem(t, Math.max(1, min)) }));
    await withProgress(`Scaling ${describe(r)} to ${min}–${max}…`, () => session.getClient().scale(ref(r), { minReplicas: min, maxReplicas: max }));
    return;
  }
  const current = r.state.kind === 'running' || r.state.kind === 'starting' || r.state.kind === 'failed' ? r.state.desired : 1;
  const replicas = Number(await ui.ask({ title: `Scale ${describe(r)}`, prompt: 'Number of replicas (0 keeps the recipe but runs no pods)', value: String(current), validateInput: (t) => replicaProblem(t, 0) }));
  await withProgress(`Scaling ${describe(r)} to ${replicas}…`, () => session.getClient().scale(ref(r), { replicas }));
}

/**
 * A revision that serves traffic cannot be stopped as it is: asks to move its share to another
 * running revision first (the revision it moves to, or undefined when there is nothing to move or
 * it is the only one running and the person agreed to leave the service with no traffic).
 */
async function askToMoveShare(deps: CommandDeps, r: RevisionModel): Promise<number | undefined> {
  if (!servesTraffic(r)) return undefined;
  const service = deps.tree.model.service(r.service);
  const traffic = service?.traffic?.record.traffic ?? [];
  const decision = stopDecision(traffic, r.revision, (service?.revisions ?? []).map((x) => ({ revision: x.revision, state: x.state.kind })));
  if (decision.kind === 'free') return undefined;
  if (decision.kind === 'lastServing') {
    await deps.ui.confirm(`Stop ${describe(r)}?`, `It serves ${decision.share}% of the traffic and no other revision runs: "${r.service}" then has no revision serving until one is started.`, 'Stop');
    return undefined;
  }
  const to = decision.candidates[0] as number;
  await deps.ui.confirm(`Stop ${describe(r)}?`, `It serves ${decision.share}% of the traffic, and a stopped revision cannot hold traffic. Its share moves to revision ${to} first (then: ${splitText(moveShare(traffic, r.revision, to))}). To split it otherwise, use Split Traffic… first.`, `Move Its Share to #${to} and Stop`);
  return to;
}

async function stop(deps: CommandDeps, arg?: RevisionArg): Promise<void> {
  const r = await target(deps, arg, 'Revision to stop', (x) => x.state.kind !== 'stopped');
  const moveTrafficTo = await askToMoveShare(deps, r);
  await withProgress(`Stopping ${describe(r)}…`, () => deps.session.getClient().stop(ref(r), moveTrafficTo !== undefined ? { moveTrafficTo } : {}));
  deps.logger.info(`Stopped ${describe(r)}${moveTrafficTo !== undefined ? `; its traffic went to revision ${moveTrafficTo}` : ''}`);
}

async function remove(deps: CommandDeps, arg?: RevisionArg): Promise<void> {
  const r = await target(deps, arg, 'Revision to delete');
  if (servesTraffic(r)) {
    throw new Error(`Could not delete ${describe(r)}: it serves ${r.traffic?.percent ?? 0}% of the traffic of "${r.service}". Move its traffic to another revision first (Split Traffic…, or Route All Traffic Here on another revision), or stop it if it is the only one running.`);
  }
  const running = r.state.kind !== 'stopped' ? ' It is running: its pods, its endpoint and its autoscaler go too.' : '';
  await deps.ui.confirm(`Delete ${describe(r)} in namespace "${r.namespace}"?`, `The stored recipe "${r.message}" (${r.image}) is removed for good.${running} Other revisions stay.`, 'Delete');
  await withProgress(`Deleting ${describe(r)}…`, () => deps.session.getClient().delete(ref(r)));
  deps.logger.info(`Deleted ${describe(r)}`);
}

/** Opens the reproduce draft of a revision for editing as YAML (the form has its own command). */
async function reproduce(deps: CommandDeps, arg?: RevisionArg): Promise<void> {
  const r = await target(deps, arg, 'Revision to reproduce');
  const draft = await deps.session.getClient().reproduceDraft(ref(r));
  const content = `# Reproduce ${describe(r)}: edit, then create it (CLI: serve-revisions create FILE).\n${loadEngine().stringifyYaml(draft, { lineWidth: 0 })}`;
  await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: LanguageId, content }));
}

async function copyEndpoint(deps: CommandDeps, arg?: RevisionArg | ServiceNode): Promise<string> {
  let endpoint: string | undefined;
  let what: string;
  if (arg instanceof ServiceNode) {
    endpoint = deps.tree.model.service(arg.name)?.endpoint ?? arg.model.endpoint;
    what = `service "${arg.name}"`;
  } else {
    const r = await target(deps, arg, 'Revision whose endpoint to copy', (x) => x.endpoint !== undefined);
    endpoint = r.endpoint;
    what = describe(r);
  }
  if (!endpoint) throw new Error(`Could not copy the endpoint of ${what}: it has none while stopped. Start it first.`);
  await vscode.env.clipboard.writeText(endpoint);
  void vscode.window.setStatusBarMessage(`Copied ${endpoint}`, 3000);
  return endpoint;
}

async function openSpec(deps: CommandDeps, arg?: RevisionArg): Promise<string> {
  const r = await target(deps, arg, 'Revision whose stored spec to open');
  const doc = await vscode.workspace.openTextDocument(storedSpecUri(r));
  await vscode.languages.setTextDocumentLanguage(doc, LanguageId);
  await vscode.window.showTextDocument(doc, { preview: true });
  return doc.uri.toString();
}

/** A new spec as YAML from the template, for the node's service if any (the form is New Revision in Form…). */
async function createRevision(deps: CommandDeps, arg?: ServiceNode | RevisionNode): Promise<void> {
  const service: ServiceModel | undefined = arg instanceof ServiceNode ? arg.model : arg instanceof RevisionNode ? deps.tree.model.service(arg.model.service) : undefined;
  const doc = await vscode.workspace.openTextDocument({ language: LanguageId, content: newRevisionSpecTemplate(service?.name) });
  await vscode.window.showTextDocument(doc);
}

export function registerRevisionCommands(deps: CommandDeps): void {
  const { logger, session } = deps;
  deps.context.subscriptions.push(
    registerCommand(logger, CommandIds.start, async (arg?: RevisionArg) => {
      const r = await target(deps, arg, 'Revision to start', (x) => x.state.kind !== 'running');
      await withProgress(`Starting ${describe(r)}…`, () => session.getClient().start(ref(r)));
      logger.info(`Started ${describe(r)}`);
    }),
    registerCommand(logger, CommandIds.stop, (arg?: RevisionArg) => stop(deps, arg)),
    registerCommand(logger, CommandIds.scale, (arg?: RevisionArg) => scale(deps, arg)),
    registerCommand(logger, CommandIds.reproduce, (arg?: RevisionArg) => reproduce(deps, arg)),
    registerCommand(logger, CommandIds.delete, (arg?: RevisionArg) => remove(deps, arg)),
    registerCommand(logger, CommandIds.copyEndpoint, (arg?: RevisionArg | ServiceNode) => copyEndpoint(deps, arg)),
    registerCommand(logger, CommandIds.openSpec, (arg?: RevisionArg) => openSpec(deps, arg)),
    registerCommand(logger, CommandIds.createRevision, (arg?: ServiceNode | RevisionNode) => createRevision(deps, arg)),
  );
}
