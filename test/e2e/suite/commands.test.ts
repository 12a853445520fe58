// Every revision command, run through VS Code's command API with a tree node as the context
// menu passes it, changes the local cluster as expected, and the tree shows it without a refresh.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RevisionClient } from '../../../src/kube/index';
import type { ExtensionTestApi } from '../../../src/extension/extension';
import * as driver from './driver';
import { adminClient, extensionApi, freshNamespace, revisionNode, shownRevisions, spec, waitForShown } from './tree.fixture';

describe('Revision commands', () => {
  let api: ExtensionTestApi;
  let admin: RevisionClient;
  let namespace: string;
  const run = async (command: string, service: string, n: number): Promise<unknown> => vscode.commands.executeCommand(`serveRevisions.${command}`, await revisionNode(api, service, n));
  /** Runs a command whose prompts (input boxes, the delete confirmation) are answered in order by `answers`. */
  const runAnswering = async (answers: string[], command: string, service: string, n: number): Promise<unknown> => {
    const node = await revisionNode(api, service, n);
    return api.userInput.runWithAnswers(answers, () => vscode.commands.executeCommand(`serveRevisions.${command}`, node));
  };

  before(async () => {
    api = await extensionApi();
    namespace = await freshNamespace(adminClient('default'), 'commands-e2e');
    admin = adminClient(namespace);
    await admin.create(spec('iris', 'First', 'ghcr.io/example/iris:1.0.0'), { launch: false });
    await admin.create(spec('iris', 'Second', 'ghcr.io/example/iris:1.1.0'), { launch: true });
    await admin.create(spec('iris', 'Autoscaled', 'ghcr.io/example/iris:1.1.0', { autoscaling: { minReplicas: 1, maxReplicas: 3, metric: 'cpu', target: 70 } }), { launch: true });
    await vscode.commands.executeCommand('serveRevisions.switchNamespace', namespace);
    await waitForShown(api, 'iris', 3, /^(running|starting)/);
  });

  after(async () => {
    await admin.core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('Start runs a stopped revision', async () => {
    await waitForShown(api, 'iris', 1, /^stopped/);
    await run('start', 'iris', 1);
    assert.equal((await admin.getRevision({ service: 'iris', revision: 1 })).state.kind === 'stopped', false);
    await waitForShown(api, 'iris', 1, /^running 1\/1/);
  });

  it('Scale sets the replicas of a running revision', async () => {
    await runAnswering(['2'], 'scale', 'iris', 1);
    const deployment = await admin.apps.readNamespacedDeployment({ name: 'iris-r1', namespace });
    assert.equal(deployment.spec?.replicas, 2);
    await waitForShown(api, 'iris', 1, /^running 2\/2/);
  });

  it('Scale changes min/max of an autoscaled revision', async () => {
    const shown = await waitForShown(api, 'iris', 3, /./);
    assert.match(shown.contextValue, /\bautoscaled\b/);
    await runAnswering(['2', '5'], 'scale', 'iris', 3);
    const hpa = await admin.autoscaling.readNamespacedHorizontalPodAutoscaler({ name: 'iris-r3', namespace });
    assert.equal(hpa.spec?.minReplicas, 2);
    assert.equal(hpa.spec?.maxReplicas, 5);
    await driver.waitFor(() => api.revisionsModel.service('iris')?.revisions.find((r) => r.revision === 3)?.autoscaling?.maxReplicas === 5, { message: 'the tree model to show max 5' });
  });

  it('Copy Endpoint puts the running revision\'s URL on the clipboard', async () => {
    await driver.waitFor(async () => (await shownRevisions(api, 'iris'))?.get(2)?.contextValue.includes('hasEndpoint'), { message: 'revision 2 with an endpoint' });
    const endpoint = await run('copyEndpoint', 'iris', 2);
    assert.match(String(endpoint), new RegExp(`^http://iris-r2\\.${namespace}\\.svc:\\d+$`));
    assert.equal(await vscode.env.clipboard.readText(), endpoint);
  });

  it('Open Stored Spec shows the recipe read-only as revision YAML', async () => {
    const uri = String(await run('openSpec', 'iris', 2));
    const doc = await driver.waitFor(() => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri), { message: 'the stored spec document' });
    assert.equal(doc.languageId, 'revision-yaml');
    assert.match(doc.getText(), /^service: iris$/m);
    assert.match(doc.getText(), /^message: Second$/m);
    assert.equal(doc.uri.scheme, 'serve-revisions-spec');
    // Nothing can write it back: the scheme has content, no file system.
    await assert.rejects(Promise.resolve(vscode.workspace.fs.writeFile(doc.uri, new TextEncoder().encode('x'))));
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  /** The open form panels' tab labels. */
  const formTabs = (): string[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview).map((t) => t.label);
  const closeForms = async (): Promise<void> => {
    for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview)) await vscode.window.tabGroups.close(tab);
  };

  it('Reproduce Revision… opens the form with the same settings', async () => {
    await run('reproduceInForm', 'iris', 2);
    await driver.waitFor(() => formTabs().includes('Reproduce #2 of iris'), { message: 'the reproduce form' });
    await driver.frameWaitForSelector('[data-path="reproducedFrom"]:has-text("Reproduced from revision 2")');
    await closeForms();
  });

  it('New Revision… on a service opens the form for it, prefilled from its latest revision', async () => {
    const roots = await api.revisionsTree.getChildren();
    const service = roots.find((n) => (n as { model?: { name?: string; revisions?: unknown } }).model?.revisions && (n as unknown as { model: { name: string } }).model.name === 'iris');
    await vscode.commands.executeCommand('serveRevisions.openForm', service);
    await driver.waitFor(() => formTabs().includes('New revision of iris'), { message: 'the form for iris' });
    await driver.frameWaitForSelector('.subtitle:has-text("Prefilled from revision 3")');
    await closeForms();
  });

  it('Stop asks first when the revision serves traffic, moves its share, then removes the workload but keeps the recipe', async () => {
    // Revision 2 was the first started: it serves all the traffic, so Stop asks to move its share.
    await runAnswering(['Move Its Share to #3 and Stop'], 'stop', 'iris', 2);
    assert.equal((await admin.traffic.service('iris')).revisions.find((r) => r.revision === 3)?.traffic?.percent, 100);
    assert.equal((await admin.getRevision({ service: 'iris', revision: 2 })).state.kind, 'stopped');
    await waitForShown(api, 'iris', 2, /^stopped/);
  });

  it('Delete removes the revision after confirmation', async () => {
    await runAnswering(['Delete'], 'delete', 'iris', 2);
    await assert.rejects(admin.readRecord({ service: 'iris', revision: 2 }), /not found|does not exist/i);
    await driver.waitFor(async () => (await shownRevisions(api, 'iris'))?.has(2) === false, { message: 'revision 2 gone from the tree' });
  });

  it('Refresh and Switch Context keep showing the same namespace', async () => {
    await vscode.commands.executeCommand('serveRevisions.refresh');
    await waitForShown(api, 'iris', 1, /^running/);
    const context = api.revisionsModel.where?.context;
    assert.ok(context);
    await vscode.commands.executeCommand('serveRevisions.switchContext', context);
    // A context switch starts in the context's own namespace; come back to ours.
    await vscode.commands.executeCommand('serveRevisions.switchNamespace', namespace);
    await waitForShown(api, 'iris', 1, /^running/);
    assert.equal(api.revisionsModel.where?.namespace, namespace);
  });
  it('from the Command Palette, asks for the revision with a quick pick, and confirms stopping one that serves', async () => {
    // The pick and VS Code's modal question are both answered through the user-input seam (no
    // modal dialog comes up while extension tests run); it records what was offered and asked.
    // Stop moved revision 2's share to revision 3, which now serves all the traffic: stopping it asks to move that share to #1.
    await api.userInput.runWithAnswers(['#3 of iris', 'Move Its Share to #1 and Stop'], () => vscode.commands.executeCommand('serveRevisions.stop'));
    const [pick, confirm] = api.userInput.prompts;
    // Only revisions that can be stopped are offered.
    assert.match(pick ?? '', /^pick "Revision to stop": #3 of iris \| #1 of iris$/);
    assert.match(confirm ?? '', /^confirm "Stop #3 of iris\? It serves traffic\." .*It serves 100% of the traffic, and a stopped revision cannot hold traffic: its share moves to #1 first/);
    assert.equal((await admin.getRevision({ service: 'iris', revision: 3 })).state.kind, 'stopped');
    assert.equal((await admin.traffic.service('iris')).revisions.find((r) => r.revision === 1)?.traffic?.percent, 100);
    await waitForShown(api, 'iris', 3, /^stopped/);
    await waitForShown(api, 'iris', 1, /^running \d\/\d · 100%/);
  });
});
