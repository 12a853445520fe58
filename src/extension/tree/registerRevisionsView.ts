import * as vscode from 'vscode';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';
import { registerRevisionCommands } from '../commands/revisionCommands';
import { ViewIds } from '../ids';
import { RevisionsTreeModel } from './revisionsTreeModel';
import { RevisionsTreeProvider } from './revisionsTreeProvider';
import type { TreeNode } from './treeNodes';

/**
 * What activate() returns for the end-to-end tests (not a public API): the view's provider, so a
 * test reads the same nodes and items the view draws, and the model, to wait for its state.
 */
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
  return { revisionsTree: provider, revisionsModel: model };
}
