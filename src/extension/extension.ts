import type * as vscode from 'vscode';
import { registerCommands } from './commands/registerCommands';
import { ClusterSession } from './common/clusterSession';
import { Logger } from './common/logger';
import { RolloutDrivers } from './common/rolloutDrivers';
import { UserInputSeam } from './common/userInput';
import { RevisionForms } from './form/revisionForms';
import { registerLanguageFeatures } from './language/registerLanguageFeatures';
import { registerRevisionsView } from './tree/registerRevisionsView';
import type { RevisionsTreeModel } from './tree/revisionsTreeModel';
import type { RevisionsTreeProvider } from './tree/revisionsTreeProvider';

/**
 * What activate() returns for the end-to-end tests (not a public API): the view's provider, so a
 * test reads the same nodes and items the view draws; the model, to wait for its state; and the
 * user-input seam, to answer the prompts of the commands it runs.
 */
export interface ExtensionTestApi {
  revisionsTree: RevisionsTreeProvider;
  revisionsModel: RevisionsTreeModel;
  userInput: Pick<UserInputSeam, 'runWithAnswers'>;
}

/**
 * Activation wires objects and returns: everything heavy (the Kubernetes client, the spec engine,
 * the webview) is created on first use so that opening a window stays cheap.
 */
export function activate(context: vscode.ExtensionContext): ExtensionTestApi {
  const logger = new Logger();
  const session = new ClusterSession(context.workspaceState, logger);
  const ui = new UserInputSeam();
  context.subscriptions.push(logger, session);
  const parses = registerLanguageFeatures(context, session, logger);
  const drivers = new RolloutDrivers(logger);
  context.subscriptions.push(drivers);
  const forms = new RevisionForms(context, session, logger, drivers);
  const tree = registerRevisionsView(context, session, logger);
  registerCommands({ context, session, logger, ui, tree, forms, parses, drivers });
  return { revisionsTree: tree.provider, revisionsModel: tree.model, userInput: ui };
}

export function deactivate(): void {
  // Nothing to release: every disposable is in context.subscriptions.
}
