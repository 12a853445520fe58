import * as vscode from 'vscode';
import { CommandIds, ViewIds } from '../ids';
import type { RevisionsView } from './registerRevisionsView';
import { revisionName } from './revisionPresentation';

/** The argument of serveRevisions.revealRevision, passed by the form and the YAML create commands. */
export interface RevealTarget {
  service: string;
  revision: number;
  /** Where the revision was created; when the view shows another namespace, the person is offered a switch. */
  namespace?: string;
  /** Move keyboard focus to the tree (the form closes); false keeps it in the editor. Default true. */
  focus?: boolean;
}

/** How long reveal waits for the watch to bring a just-created revision into the view. */
const RevealWaitMs = 15_000;

/** Offers to switch the view to the namespace a revision was created in; not awaited, so a closing form never hangs on it. */
function offerNamespaceSwitch(target: RevealTarget & { namespace: string }, shown: string): void {
  const action = `Show Namespace "${target.namespace}"`;
  void vscode.window.showInformationMessage(`${revisionName(target)} is in namespace "${target.namespace}"; the Revisions view shows "${shown}".`, action).then(async (choice) => {
    if (choice !== action) return;
    await vscode.commands.executeCommand(CommandIds.switchNamespace, target.namespace);
    await vscode.commands.executeCommand(CommandIds.revealRevision, { ...target });
  });
}

/** Selects a revision in the view once the watch has it; false when it is in another namespace than the view shows. */
export async function revealRevision(tree: RevisionsView, target?: RevealTarget): Promise<boolean> {
  if (!target || typeof target.service !== 'string' || typeof target.revision !== 'number' || !Number.isInteger(target.revision)) {
    throw new Error('Reveal Revision needs { service, revision }: the service name and the revision number.');
  }
  const { service, revision } = target;
  const { model, provider, view } = tree;
  // reveal() opens the view itself; focusing first shows "Loading…" while a fresh view connects.
  if (target.focus !== false) await vscode.commands.executeCommand(`${ViewIds.revisions}.focus`);
  await model.ensureStarted();
  const shown = model.where?.namespace;
  if (target.namespace && shown && target.namespace !== shown) {
    offerNamespaceSwitch({ ...target, namespace: target.namespace }, shown);
    return false;
  }
  if (model.state.kind !== 'ready' && model.state.kind !== 'noServices') {
    throw new Error(`Could not show revision ${revision} of "${service}": the Revisions view is not connected (${model.state.kind === 'error' ? model.state.message : model.state.kind}). Use Retry in the view.`);
  }
  if (!(await model.waitForRevision(service, revision, RevealWaitMs))) {
    throw new Error(`${revisionName({ service, revision })} has not reached the Revisions view after ${RevealWaitMs / 1000} s. Refresh the view to list the namespace again.`);
  }
  const node = provider.revisionNode(service, revision);
  if (!node) return false;
  await view.reveal(node, { select: true, focus: target.focus ?? true, expand: false });
  return true;
}

