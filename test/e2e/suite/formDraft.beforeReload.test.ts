// The first half of the reload test: a person types a draft into a blank revision form, and the
// runner reloads the window once this run's tests have ended. formDraft.afterReload.test.ts, run
// by the reloaded window, checks that the form came back with exactly this draft.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import * as driver from './driver';
import { fieldValue, fill, inFrames, openBlankFormFromPalette, type ReloadDraft } from './form.fixture';
import { extensionId } from './tree.fixture';

describe('The revision form before a window reload', function () {
  const draft: ReloadDraft = {
    service: `form-reload-${Date.now().toString(36)}`,
    namespace: 'demo',
    message: 'Typed before the window reload',
    image: 'busybox:1.36',
    cpu: '100m',
    memory: '96Mi',
    envName: 'RELOAD_PROBE',
    envValue: 'kept across the reload',
  };

  it('takes a typed draft, which the workbench holds when the window reloads', async function () {
    await vscode.extensions.getExtension(extensionId)?.activate();
    await openBlankFormFromPalette();

    await fill('f-service', draft.service);
    await fill('f-namespace', draft.namespace);
    await fill('f-message', draft.message, 'vscode-textarea');
    await fill('f-image', draft.image);
    await fill('f-resources-cpu', draft.cpu);
    await fill('f-resources-memory', draft.memory);
    await driver.click('vscode-button#add-env', inFrames);
    await fill('f-env-0-name', draft.envName);
    await fill('f-env-0-value', draft.envValue);

    // The webview hands its state to the workbench asynchronously. Hiding the form destroys its
    // webview (it does not retain its context when hidden) and showing it again builds a new one
    // from the state the workbench holds: once the last value is back, a reload stores it.
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the e2e workspace folder is open');
    const other = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'iris.revision.yaml'));
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.Active, preview: false });
    await driver.waitFor(() => vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputText, { message: 'the form hidden behind the spec file' });
    await driver.click('.tabs-container .tab:has-text("New revision")');
    await driver.waitFor(async () => (await fieldValue('f-env-0-value')) === draft.envValue, { message: 'the draft shown again from the saved state' });

    await driver.reloadWindowAfterRun({ draft });
  });
});
