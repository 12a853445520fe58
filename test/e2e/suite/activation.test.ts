// Proves the extension works in a real VS Code (code-server's workbench in Chromium): it loads
// and activates, its activity-bar view shows and connects, revision spec files get
// the revision-yaml language, and "New Revision Spec File" opens a usable spec.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import * as driver from './driver';

const extensionId = 'serve-revisions.serve-revisions';

describe('Serve Revisions in VS Code', () => {
  it('is installed and activates', async () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(ext, `${extensionId} is not loaded`);
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('shows the Revisions view in the activity bar container', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.serveRevisions');
    // The sidebar composite is the view container; the pane inside it is the view.
    await driver.waitForSelector('.part.sidebar [id="workbench.view.extension.serveRevisions"]');
    const title = await driver.text('.part.sidebar .composite.title');
    assert.match(title ?? '', /serve revisions/i);
    await driver.waitForSelector('.activitybar [aria-label^="Serve Revisions"]');
    // Connected to the local cluster: the first row names the context and namespace.
    await driver.waitForSelector('.part.sidebar .monaco-list-row:has-text("namespace ")', { timeoutMs: driver.Deadline.cluster });
    await driver.screenshot('workbench');
  });

  it('gives *.revision.yaml files the revision-yaml language', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the e2e workspace folder is not open');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(join(folder.uri.fsPath, 'iris.revision.yaml')));
    assert.equal(doc.languageId, 'revision-yaml');
  });

  /** Resolves with the next active editor that shows a revision spec other than `before`. */
  const nextSpecEditor = (before: vscode.TextDocument | undefined, message: string) =>
    driver.waitFor(
      () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document !== before && e.document.languageId === 'revision-yaml' ? e : undefined;
      },
      { message },
    );

  it('opens a new revision spec with the "New Revision Spec File" command', async () => {
    const before = vscode.window.activeTextEditor?.document;
    await vscode.commands.executeCommand('serveRevisions.newSpecFile');
    const editor = await nextSpecEditor(before, 'an editor with a new revision spec');
    assert.match(editor.document.getText(), /^kind: Revision$/m);
  });

  it('opens a new revision spec from the Command Palette', async () => {
    const before = vscode.window.activeTextEditor?.document;
    await driver.press('F1');
    await driver.waitForSelector('.quick-input-widget .quick-input-box input');
    await driver.type('Serve Revisions: New Revision Spec File');
    await driver.waitForSelector('.quick-input-list .monaco-list-row.focused:has-text("New Revision Spec File")');
    await driver.press('Enter');
    const editor = await nextSpecEditor(before, 'the editor opened from the Command Palette');
    assert.match(editor.document.getText(), /^kind: Revision$/m);
    await driver.waitForSelector('.quick-input-widget', { state: 'hidden' });
  });
});
