// The second half of the reload test, run only by the window that the runner reloaded after
// formDraft.beforeReload.test.ts: VS Code restores the form through the extension's webview
// panel serializer, and it must show exactly the draft typed before the reload and still create it.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RevisionClient } from '../../../src/kube/index';
import { RevisionFormViewType } from '../../../src/shared/formProtocol';
import * as driver from './driver';
import { fieldValue, inFrames, type ReloadDraft } from './form.fixture';
import { adminClient } from './tree.fixture';

describe('The revision form after a window reload', function () {
  let draft: ReloadDraft;
  let client: RevisionClient;

  before(async () => {
    const handed = await driver.afterReload<{ draft?: ReloadDraft }>();
    assert.ok(handed?.draft, 'the run before the reload handed over the typed draft');
    draft = handed.draft;
    client = adminClient(draft.namespace);
  });

  after(async () => {
    const services = await client.listServices(draft.namespace).catch(() => []);
    for (const r of services.find((s) => s.name === draft.service)?.revisions ?? []) await client.delete({ service: draft.service, revision: r.revision, namespace: draft.namespace }).catch(() => undefined);
  });

  it('shows the draft typed before the reload', async () => {
    // Nobody opens it: the form is back because VS Code restored the open editors. It keeps a
    // webview editor only while its extension can revive it, so without the serializer the tab is gone.
    await driver.waitFor(
      () => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith(RevisionFormViewType))),
      { message: "the form's tab, restored by the reload" },
    );
    await driver.frameWaitForSelector('#form-title:has-text("New revision")');
    const shown: ReloadDraft = {
      service: await fieldValue('f-service'),
      namespace: await fieldValue('f-namespace'),
      message: await fieldValue('f-message', 'vscode-textarea'),
      image: await fieldValue('f-image'),
      cpu: await fieldValue('f-resources-cpu'),
      memory: await fieldValue('f-resources-memory'),
      envName: await fieldValue('f-env-0-name'),
      envValue: await fieldValue('f-env-0-value'),
    };
    assert.deepEqual(shown, draft);
    await driver.screenshot('form-after-reload');
  });

  it('creates the revision from the restored draft', async function () {
    await driver.click('vscode-button#create', inFrames);
    const revision = await driver.waitFor(
      async () => (await client.listServices(draft.namespace)).find((s) => s.name === draft.service)?.revisions[0],
      { message: `a revision of "${draft.service}" in namespace ${draft.namespace}`, timeoutMs: driver.Deadline.cluster, intervalMs: 500 },
    );
    assert.equal(revision.message, draft.message);
    const { spec } = await client.readRecord({ service: draft.service, revision: revision.revision, namespace: draft.namespace });
    assert.equal(spec.image, draft.image);
    assert.deepEqual(spec.resources, { cpu: draft.cpu, memory: draft.memory });
    assert.deepEqual(spec.env, [{ name: draft.envName, value: draft.envValue }]);
    await driver.waitFor(() => !vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview)), {
      message: 'the form to close after creating',
    });
  });
});
