// Traffic and rollouts in a real VS Code: a split made from the tree's context menu and its
// prompts, a rollout watched advancing step by step in the tree and aborted from it, and two
// revisions compared side by side. The cluster is the local control plane; nothing is mocked.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RevisionClient } from '../../../src/kube/index';
import type { ExtensionTestApi } from '../../../src/extension/extension';
import type { ServiceModel } from '../../../src/core/kube/revisionState';
import type { TreeNode } from '../../../src/extension/tree/treeNodes';
import * as driver from './driver';
import { adminClient, extensionApi, freshNamespace, revisionNode, spec, waitForShown } from './tree.fixture';

const sidebar = '.part.sidebar';
const input = '.quick-input-widget .quick-input-box input';

async function serviceNode(api: ExtensionTestApi, name: string): Promise<TreeNode> {
  const roots: TreeNode[] = await api.revisionsTree.getChildren();
  const node = roots.find((n) => (n as { model?: ServiceModel }).model?.revisions !== undefined && (n as unknown as { model: ServiceModel }).model.name === name);
  if (!node) throw new Error(`service "${name}" is not in the tree`);
  return node;
}

/** The service's row text as the view draws it (its description: data plane, rollout). */
async function serviceDescription(api: ExtensionTestApi, name: string): Promise<string> {
  return String(api.revisionsTree.getTreeItem(await serviceNode(api, name)).description ?? '');
}

/** Types an answer into the open input box, replacing what is there. */
async function answer(text: string): Promise<void> {
  await driver.press('Control+a', input);
  await driver.type(text, input);
}

describe('Traffic and rollouts', () => {
  let api: ExtensionTestApi;
  let admin: RevisionClient;
  let namespace: string;

  before(async () => {
    api = await extensionApi();
    namespace = await freshNamespace(adminClient('default'), 'traffic-e2e');
    admin = adminClient(namespace);
    await admin.create(spec('iris', 'Stable classifier', 'ghcr.io/example/iris:1.0.0', { replicas: 1 }), { launch: true });
    await admin.create(spec('iris', 'Retrained classifier', 'ghcr.io/example/iris:1.1.0', { replicas: 1 }), { launch: true });
    await vscode.commands.executeCommand('serveRevisions.switchNamespace', namespace);
    await waitForShown(api, 'iris', 1, /^running 1\/1 · 100%/);
    await waitForShown(api, 'iris', 2, /^running 1\/1 · 0%/);
  });

  after(async () => {
    await admin.core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('splits traffic from the tree: a right-click on the service, one share per revision checked as typed', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.serveRevisions');
    // The service's row: its description counts its revisions (revision rows show an image with "iris" in it).
    const row = `${sidebar} .monaco-list-row:has-text("2 revisions · 2 running")`;
    await driver.waitForSelector(row);
    await driver.rightClick(row);
    await driver.waitForSelector('.monaco-menu .action-label:has-text("Split Traffic…")');
    await driver.screenshot('traffic-service-menu');
    await driver.click('.monaco-menu .action-label:has-text("Split Traffic…")');
    await driver.waitForSelector(input, { timeoutMs: 3000 }).catch(async () => {
      if ((await driver.count('.monaco-menu .action-label:has-text("Split Traffic…")')) > 0) await driver.press('Enter');
      await driver.waitForSelector(input);
    });
    // Newest first: revision 2's share, checked against what is left as it is typed.
    await driver.waitForSelector('.quick-input-widget:has-text("Share of #2")');
    await answer('150');
    await driver.waitForSelector('.quick-input-widget .quick-input-message:has-text("Only 100% is left")');
    await answer('30');
    await driver.press('Enter', input);
    await driver.waitForSelector('.quick-input-widget:has-text("Share of #1")');
    await answer('60');
    await driver.waitForSelector('.quick-input-widget .quick-input-message:has-text("must add up to 100")');
    await answer('70');
    await driver.press('Enter', input);

    await waitForShown(api, 'iris', 2, /^running 1\/1 · 30%/);
    await waitForShown(api, 'iris', 1, /^running 1\/1 · 70%/);
    const model = await admin.traffic.service('iris');
    assert.deepEqual(model.revisions.map((r) => [r.revision, r.traffic?.percent]), [[2, 30], [1, 70]]);
    await driver.waitForSelector(`${sidebar} .monaco-list-row:has-text("#2 running 1/1"):has-text("30%")`);
    await driver.screenshot('traffic-split');
  });

  it('shows a rollout advancing step by step in the tree and aborts it from there, restoring the split before', async () => {
    const node = await revisionNode(api, 'iris', 2);
    await api.userInput.runWithAnswers(['40,70,100', 'Other…', '8s', 'Start Rollout'], () => vscode.commands.executeCommand('serveRevisions.startRollout', node));
    const first = await driver.waitFor(async () => {
      const text = await serviceDescription(api, 'iris');
      return /rollout #2 1\/3 at 40%, progressing/.test(text) ? text : undefined;
    }, { timeoutMs: driver.Deadline.cluster, message: 'the first step in the tree' });
    assert.match(first, /^2 revisions · 2 running · rollout #2 1\/3 at 40%, progressing$/);
    await driver.waitForSelector('.statusbar-item:has-text("iris → #2")');
    await driver.waitFor(async () => /rollout #2 2\/3 at 70%/.test(await serviceDescription(api, 'iris')), { timeoutMs: driver.Deadline.cluster, message: 'the rollout advancing to its second step' });
    await waitForShown(api, 'iris', 2, /· 70%/);
    await driver.screenshot('traffic-rollout-step-2');

    await api.userInput.runWithAnswers(['Abort Rollout'], async () => vscode.commands.executeCommand('serveRevisions.abortRollout', await serviceNode(api, 'iris')));
    await waitForShown(api, 'iris', 2, /^running 1\/1 · 30%/);
    await waitForShown(api, 'iris', 1, /^running 1\/1 · 70%/);
    await driver.waitFor(async () => !/rollout/.test(await serviceDescription(api, 'iris')), { message: 'the rollout gone from the service row' });
    await driver.waitForSelector('.statusbar-item:has-text("iris → #2")', { state: 'detached' });
    const record = (await admin.traffic.service('iris')).traffic?.record;
    assert.equal(record?.rollout?.state, 'aborted');
    assert.deepEqual(record?.traffic, [{ revision: 2, percent: 30 }, { revision: 1, percent: 70 }]);
  });

  it('compares two revisions side by side: their stored specs without what creation assigns', async () => {
    await vscode.commands.executeCommand('serveRevisions.compareWithPrevious', await revisionNode(api, 'iris', 2));
    const tab = await driver.waitFor(() => {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      return input instanceof vscode.TabInputTextDiff ? input : undefined;
    }, { message: 'a diff editor' });
    assert.match(tab.original.path, /\/iris-r1\.revision\.yaml$/);
    assert.match(tab.modified.path, /\/iris-r2\.revision\.yaml$/);
    const [left, right] = await Promise.all([vscode.workspace.openTextDocument(tab.original), vscode.workspace.openTextDocument(tab.modified)]);
    assert.match(left.getText(), /^message: Stable classifier$/m);
    assert.match(right.getText(), /^image: ghcr\.io\/example\/iris:1\.1\.0$/m);
    for (const doc of [left, right]) assert.doesNotMatch(doc.getText(), /^(revision|createdAt|createdBy):/m, 'what creation assigns is left out');
    await driver.waitForSelector('.monaco-diff-editor');
    await driver.screenshot('traffic-compare');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
  it('offers, after Create and launch from a YAML spec, to route all traffic to the new revision', async () => {
    const content = [
      'apiVersion: serve-revisions/v1',
      'kind: Revision',
      'service: iris',
      `namespace: ${namespace}`,
      'message: Third classifier',
      'image: ghcr.io/example/iris:1.2.0',
      'replicas: 1',
      'resources:',
      '  cpu: 100m',
      '  memory: 128Mi',
      'ports:',
      '  - name: http',
      '    containerPort: 3000',
      '    protocol: http',
      '',
    ].join('\n');
    const doc = await vscode.workspace.openTextDocument({ language: 'revision-yaml', content });
    await vscode.window.showTextDocument(doc);
    const created = await vscode.commands.executeCommand<{ revision: number; started: boolean }>('serveRevisions.createAndLaunchFromSpec', doc.uri);
    assert.deepEqual([created.revision, created.started], [3, true]);
    // Starting never moves traffic: the notification says so and offers the two ways to give it some.
    await vscode.commands.executeCommand('notifications.showList');
    const row = '.notifications-center .monaco-list-row:has-text("Created #3 of iris")';
    await driver.waitForSelector(`${row}:has-text("It serves no traffic yet")`, { timeoutMs: driver.Deadline.cluster });
    assert.equal(await driver.count(`${row} .monaco-button:has-text("Start Rollout…")`), 1);
    await api.userInput.runWithAnswers(['Route All Traffic'], async () => {
      await driver.click(`${row} .monaco-button:has-text("Route All Traffic Here")`);
      await waitForShown(api, 'iris', 3, /^running 1\/1 · 100%/);
    });
    assert.deepEqual((await admin.traffic.service('iris')).traffic?.record.traffic.filter((t) => t.percent > 0), [{ revision: 3, percent: 100 }]);
    await vscode.commands.executeCommand('notifications.hideList');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
