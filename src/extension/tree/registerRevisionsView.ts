import * as vscode from 'vscode';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';
import { StoredSpecScheme, ViewIds } from '../ids';
import { AgeClock } from './ageClock';
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
  /** Keeps the rows' ages current while the view is visible. */
  ageClock: AgeClock;
  /** The stored specs fetched for the view (the model holds none): what a command needs of a spec, it gets here. */
  specs: StoredSpecs;
}

/** The Revisions view and the read-only documents of stored specs. Nothing connects until the view is shown or a command runs. */
export function registerRevisionsView(context: vscode.ExtensionContext, session: ClusterSession, logger: Logger): RevisionsView {
  const model = new RevisionsTreeModel(session, logger);
  const specs = new StoredSpecs(session);
  const provider = new RevisionsTreeProvider(model, specs);
  const view = vscode.window.createTreeView<TreeNode>(ViewIds.revisions, { treeDataProvider: provider, showCollapseAll: true });
  const describeTarget = (): void => {
    const where = model.where;
    // Where we are, always visible; not view.message, which would hide the welcome content
    // that explains "no services" and "no kubeconfig".
    view.description = where ? `${where.context} · ${where.namespace}` : undefined;
  };
  const ageClock = new AgeClock(() => provider.tickAges());
  ageClock.setVisible(view.visible);
  context.subscriptions.push(
    model,
    provider,
    view,
    ageClock,
    model.onDidChangeState(describeTarget),
    // After the provider's own handlers (subscribed first): a new revision may need an earlier tick.
    model.onDidChangeState(() => ageClock.reschedule()),
    model.onDidChangeServices(() => ageClock.reschedule()),
    view.onDidChangeVisibility((e) => ageClock.setVisible(e.visible)),
    vscode.workspace.registerTextDocumentContentProvider(StoredSpecScheme, new StoredSpecProvider(session)),
  );
  return { model, provider, view, ageClock, specs };
}
