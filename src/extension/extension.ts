import * as vscode from 'vscode';
import { newRevisionSpecTemplate } from '../core/spec/template';
import { ClusterSession } from './common/clusterSession';
import { Logger } from './common/logger';
import { registerCommand } from './common/runCommand';
import { CommandIds, LanguageId } from './ids';
import { registerRevisionsView, type RevisionsViewTestApi } from './tree/registerRevisionsView';
import { registerRevisionForm } from './form/revisionForm';
import { registerLanguageFeatures } from './language/registerLanguageFeatures';

/**
 * Activation wires objects and returns: everything heavy (the Kubernetes client, the webview)
 * is created on first use so that opening a window stays cheap.
 */
export function activate(context: vscode.ExtensionContext): RevisionsViewTestApi {
  const logger = new Logger();
  const session = new ClusterSession(context.workspaceState, logger);
  context.subscriptions.push(logger, session);
  registerLanguageFeatures(context, session, logger);
  registerRevisionForm(context, session, logger);

  const revisionsView = registerRevisionsView(context, session, logger);
  context.subscriptions.push(
    registerCommand(logger, CommandIds.newSpecFile, async () => {
      const doc = await vscode.workspace.openTextDocument({ language: LanguageId, content: newRevisionSpecTemplate() });
      await vscode.window.showTextDocument(doc);
    }),
  );
  return revisionsView;
}

export function deactivate(): void {
  // Nothing to release: every disposable is in context.subscriptions.
}
