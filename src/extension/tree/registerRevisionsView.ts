import * as vscode from 'vscode';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';
import { registerRevisionCommands } from '../commands/revisionCommands';
import { registerCommand } from '../common/runCommand';
import { CommandIds, ViewIds } from '../ids';
import { RevisionsTreeModel } from './revisionsTreeModel';
import { RevisionsTreeProvider } from './revisionsTreeProvider';
import type { TreeNode } from './treeNodes';

/**
 * What activate() returns for the end-to-end tests (not a public API): the view's provider, so a
 * test reads the same nodes and items the view draws, and the model, to wait for its state.
 */
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

export interface RevisionsViewTestApi {
  revisionsTree: RevisionsTreeProvider;
  revisionsModel: RevisionsTreeModel;
}

/** The Revisions view and every revision command. Nothing connects until the view is shown or a command runs. */
export function registerRevisionsView(context: vscode.ExtensionContext, session: ClusterSession, logger: Logger): RevisionsViewTestApi {
  const model = new RevisionsTreeModel(session, logger);
  const provider = new RevisionsTreeProvider(model);
  const view = vscode.window.createTreeView<TreeNode>(ViewIds.revisions, { treeDataProvider: provider, showCollapseAll: true });
  const describeTarget = (): void => {
    const where = model.where;
    // Where we are, always visible; not view.message, which would hide the welcome content
    // that explains "no services" and "no kubeconfig".
    view.description = where ? `${where.context} · ${where.namespace}` : undefined;
  };
  context.subscriptions.push(model, provider, view, model.onDidChangeState(describeTarget));
  registerRevisionCommands(context, session, logger, model, provider);

  const reveal = async (target?: RevealTarget): Promise<boolean> => {
    if (!target || typeof target.service !== 'string' || typeof target.revision !== 'number' || !Number.isInteger(target.revision)) {
      throw new Error('Reveal Revision needs { service, revision }: the service name and the revision number.');
    }
    const { service, revision } = target;
    // reveal() opens the view itself; focusing first shows "Loading…" while a fresh view connects.
    if (target.focus !== false) await vscode.commands.executeCommand(`${ViewIds.revisions}.focus`);
    await model.ensureStarted();
    const shown = model.where?.namespace;
    if (target.namespace && shown && target.namespace !== shown) {
      // Not awaited: the caller (a closing form) must not hang on a notification.
      const action = `Show Namespace "${target.namespace}"`;
      void vscode.window
        .showInformationMessage(`Revision ${revision} of "${service}" is in namespace "${target.namespace}"; the Revisions view shows "${shown}".`, action)
        .then(async (choice) => {
          if (choice !== action) return;
          await vscode.commands.executeCommand(CommandIds.switchNamespace, target.namespace);
          await vscode.commands.executeCommand(CommandIds.revealRevision, { ...target });
        });
      return false;
    }
    if (model.state.kind !== 'ready' && model.state.kind !== 'noServices') {
      throw new Error(`Could not show revision ${revision} of "${service}": the Revisions view is not connected (${model.state.kind === 'error' ? model.state.message : model.state.kind}). Use Retry in the view.`);
    }
    if (!(await model.waitForRevision(service, revision, RevealWaitMs))) {
      throw new Error(`Revision ${revision} of "${service}" has not reached the Revisions view after ${RevealWaitMs / 1000} s. Refresh the view to list the namespace again.`);
    }
    const node = provider.revisionNode(service, revision);
    if (!node) return false;
    await view.reveal(node, { select: true, focus: target.focus ?? true, expand: false });
    return true;
  };
  context.subscriptions.push(registerCommand(logger, CommandIds.revealRevision, reveal));
  return { revisionsTree: provider, revisionsModel: model };
}
