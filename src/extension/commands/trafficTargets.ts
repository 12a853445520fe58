/**
 * What a traffic or rollout command acts on: a tree node (a service, one of its lines, a revision
 * or one of its lines), `{ service, revision? }` (scripts, the status bar, other commands), or
 * nothing (palette: a quick pick asks). Current data from the watch when it has it.
 */
import * as vscode from 'vscode';
import type { RevisionModel, ServiceModel } from '../../core/kube/revisionState';
import { stateText } from '../tree/revisionPresentation';
import { revisionTrafficText, serviceTrafficText } from '../tree/trafficPresentation';
import { DetailNode, RevisionNode, ServiceDetailNode, ServiceNode } from '../tree/treeNodes';
import type { CommandDeps } from './commandDeps';

export type TrafficArg = ServiceNode | ServiceDetailNode | RevisionNode | DetailNode | { service: string; revision?: number; namespace?: string } | undefined;

function named(arg: TrafficArg): { service: string; revision?: number } | undefined {
  if (arg instanceof ServiceNode) return { service: arg.name };
  if (arg instanceof ServiceDetailNode) return { service: arg.service.name };
  if (arg instanceof RevisionNode) return { service: arg.model.service, revision: arg.model.revision };
  if (arg instanceof DetailNode) return { service: arg.revision.service, revision: arg.revision.revision };
  if (arg && typeof arg === 'object' && typeof (arg as { service?: unknown }).service === 'string') return arg as { service: string; revision?: number };
  return undefined;
}

/** The service a command acts on; a quick pick of those `filter` admits when none is given. */
export async function serviceTarget(deps: CommandDeps, arg: TrafficArg, placeHolder: string, filter: (s: ServiceModel) => boolean = () => true): Promise<ServiceModel> {
  const model = deps.tree.model;
  await model.ensureStarted();
  const given = named(arg);
  if (given) {
    const found = model.service(given.service) ?? (await deps.session.getClient().traffic.service(given.service));
    return found;
  }
  const items = model.services.filter(filter).map((s) => ({ label: s.name, description: serviceTrafficText(s) || `${s.revisions.length} revisions`, service: s }));
  if (items.length === 0) throw new Error(`No service to choose in namespace "${model.where?.namespace ?? '?'}" for this: ${placeHolder.toLowerCase()}.`);
  return (await deps.ui.pick(items, { placeHolder, matchOnDescription: true })).service;
}

/** The revision a command acts on; a quick pick of those `filter` admits when none is given. */
export async function revisionTarget(deps: CommandDeps, arg: TrafficArg, placeHolder: string, filter: (r: RevisionModel) => boolean = () => true): Promise<{ service: ServiceModel; revision: RevisionModel }> {
  const given = named(arg);
  if (given?.revision !== undefined) {
    const service = await serviceTarget(deps, arg, placeHolder);
    const revision = service.revisions.find((r) => r.revision === given.revision);
    if (!revision) throw new Error(`Revision ${given.revision} of "${given.service}" is gone: refresh the Revisions view.`);
    return { service, revision };
  }
  await deps.tree.model.ensureStarted();
  const items = deps.tree.model.services.flatMap((s) => s.revisions.filter(filter).map((r) => ({ label: `${r.service} #${r.revision}`, description: [stateText(r), revisionTrafficText(r), r.message].filter(Boolean).join(' · '), service: s, revision: r })));
  if (items.length === 0) throw new Error(`No revision to choose in namespace "${deps.tree.model.where?.namespace ?? '?'}": ${placeHolder.toLowerCase()} needs one that is running.`);
  const picked = await deps.ui.pick(items, { placeHolder, matchOnDescription: true });
  return { service: picked.service, revision: picked.revision };
}

export function withProgress<T>(title: string, task: (progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken) => Promise<T>, cancellable = false): Thenable<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable }, task);
}

/** An AbortSignal that follows a progress notification's Cancel button. */
export function signalOf(token: vscode.CancellationToken): AbortSignal {
  const controller = new AbortController();
  token.onCancellationRequested(() => controller.abort());
  return controller.signal;
}
