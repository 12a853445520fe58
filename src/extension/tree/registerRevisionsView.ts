import * as vscode from 'vscode';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';
import { StoredSpecScheme, ViewIds } from '../ids';
import { RevisionsTreeModel } from './revisionsTreeModel';
import { RevisionsTreeProvider } from './revisionsTreeProvider';
import { StoredSpecProvider } from './storedSpecProvider';
import { StoredSpecs } from './storedSpecs';
import type { TreeNode } from './treeNodes';

/** The Revisions view's parts, for the commands that act on it (and the end-to-end tests). */
export interface RevisionsView {
  model: RevisionsTreeModel;
  provider: RevisionsTreeProvider;
  view: vscode.TreeView<TreeNode>;
}

/** The Revisions view and the read-only documents of stored specs. Nothing connects until the view is shown or a command runs. */
export function registerRevisionsView(context: vscode.ExtensionContext, session: ClusterSession, logger: Logger): RevisionsView {
  const model = new RevisionsTreeModel(session, logger);
  const provider = new RevisionsTreeProvider(model, new StoredSpecs(session));
  const view = vscode.window.createTreeView<TreeNode>(ViewIds.revisions, { treeDataProvider: provider, showCollapseAll: true });
  const describeTarget = (): void => {
    const where = model.where;
    // Where we are, always visible; not view.message, which would hide the welcome content
    // that explains "no services" and "no kubeconfig".
    view.description = where ? `${where.context} · ${where.namespace}` : undefined;
  };
  context.subscriptions.push(model, provider, view, model.onDidChangeState(describeTarget), vscode.workspace.registerTextDocumentContentProvider(StoredSpecScheme, new StoredSpecProvider(session)));
  return { model, provider, view };
}
