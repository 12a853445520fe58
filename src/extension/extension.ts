import * as vscode from 'vscode';
import { CommandIds, LanguageId, ViewIds } from './ids';
import { newRevisionSpecTemplate } from '../core/spec/template';

/**
 * Activation wires objects and returns: everything heavy (the Kubernetes client,
 * the webview) is created on first use so that opening a window stays cheap.
 */
export function activate(context: vscode.ExtensionContext): void {
  const emptyTree: vscode.TreeDataProvider<never> = {
    getTreeItem: (element) => element,
    getChildren: () => [],
  };
  context.subscriptions.push(
    vscode.window.registerTreeDataProvider(ViewIds.revisions, emptyTree),
    vscode.commands.registerCommand(CommandIds.newSpecFile, async () => {
      const doc = await vscode.workspace.openTextDocument({ language: LanguageId, content: newRevisionSpecTemplate() });
      await vscode.window.showTextDocument(doc);
    }),
  );
}

export function deactivate(): void {
  // Nothing to release: every disposable is in context.subscriptions.
}
