// The first half of the activation test: a revision spec left open beside whatever else is open,
// so that the window the runner reloads starts with it showing. specAtStartup.afterReload.test.ts,
// run by the reloaded window, checks what activation loaded.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as driver from './driver';

describe('A revision spec open when the window reloads', () => {
  it('is left open in an editor of its own', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the e2e workspace folder is open');
    const editor = await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, 'iris.revision.yaml'), { viewColumn: vscode.ViewColumn.Beside, preview: false, preserveFocus: true });
    assert.equal(editor.document.languageId, 'revision-yaml');
    await driver.reloadWindowAfterRun({ specAtStartup: true });
  });
});
