// The first ten minutes, as a new user meets them in a real VS Code against the local control
// plane: one way to create, the same checks in the form as in the YAML editor, honest messages
// after a launch, a confirmation before stopping what serves, pickers on the current value, ages
// that tick, a calm empty namespace, and a form a keyboard reaches in order. It writes the
// screenshot set of the first ten minutes (first-ten-*.png) into the e2e artifacts folder.
import * as assert from 'node:assert/strict';
import { request } from 'node:http';
import * as vscode from 'vscode';
import type { ExtensionTestApi } from '../../../src/extension/extension';
import type { RevisionClient } from '../../../src/kube/index';
import * as driver from './driver';
import { chooseBlankForm, fill, inFrames, openBlankFormFromPalette } from './form.fixture';
import { adminClient, extensionApi, freshNamespace, spec, waitForShown } from './tree.fixture';

const sidebarRow = (text: string): string => `.part.sidebar .monaco-list-row:has-text(${JSON.stringify(text)})`;
const formTabs = (): vscode.Tab[] => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview);
async function closeForms(): Promise<void> {
  for (const tab of formTabs()) await vscode.window.tabGroups.close(tab);
  await driver.waitFor(() => formTabs().length === 0, { message: 'every form closed' });
}
/** A notification in VS Code's notification center (opened for it), by a part of its text. */
const notification = (text: string): string => `.notifications-center .monaco-list-row:has-text(${JSON.stringify(text)})`;
async function notificationText(text: string): Promise<string> {
  await vscode.commands.executeCommand('notifications.showList');
  return driver.waitFor(async () => driver.text(notification(text)), { message: `a notification saying "${text}"`, timeoutMs: driver.Deadline.cluster });
}

/** GET through node:http (the extension host's fetch is patched for proxies); rejects when nothing listens. */
function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { connection: 'close' }, timeout: 15_000 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.end();
  });
}

describe('The first ten minutes', function () {
  let api: ExtensionTestApi;
  let admin: RevisionClient;
  let namespace: string;

  before(async () => {
    api = await extensionApi();
    namespace = await freshNamespace(adminClient('default'), 'first-ten');
    admin = adminClient(namespace);
    await admin.create(spec('iris', 'First classifier', 'ghcr.io/example/iris-bentoml:1.0.0'), { launch: false });
    await admin.create(spec('iris', 'Retrained on the full dataset', 'ghcr.io/example/iris-bentoml:1.1.0', { replicas: 2 }), { launch: true });
    await admin.create(spec('iris', 'Try the new base image', 'ghcr.io/example/iris-bentoml:fail-pull'), { launch: true });
    await vscode.commands.executeCommand('serveRevisions.switchNamespace', namespace);
    await vscode.commands.executeCommand('workbench.view.extension.serveRevisions');
    await waitForShown(api, 'iris', 2, /^running 2\/2/);
    await waitForShown(api, 'iris', 3, /^failed: ImagePullBackOff/);
  });

  // A test that fails with a menu or a quick pick open would leave it in front of the next one.
  afterEach(async () => {
    if ((await driver.count('.monaco-menu-container .monaco-menu, .quick-input-widget:visible')) > 0) await driver.press('Escape');
  });

  after(async () => {
    await closeForms().catch(() => undefined);
    await admin.core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('shows each revision state first, with a short image, and the whole image in the tooltip', async () => {
    const shown = await waitForShown(api, 'iris', 2, /^running 2\/2 · 100% · Retrained on the full dataset · iris-bentoml:1\.1\.0 · (<1m|\d+m)$/);
    assert.equal(shown.label, '#2 running 2/2');
    await driver.waitForSelector(sidebarRow('#3 failed: ImagePullBackOff'));
    const node = (await api.revisionsTree.getChildren((await api.revisionsTree.getChildren()).find((n) => String(api.revisionsTree.getTreeItem(n).label) === 'iris'))).find(
      (n) => String(api.revisionsTree.getTreeItem(n).label).startsWith('#2 '),
    );
    assert.ok(node);
    // The tooltip is made on hover (resolveTreeItem), with the revision's stored spec.
    const resolved = await api.revisionsTree.resolveTreeItem(api.revisionsTree.getTreeItem(node), node);
    const tooltip = { value: (resolved.tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\/g, '') };
    assert.match(tooltip.value, /Image: ghcr\.io\/example\/iris-bentoml:1\.1\.0/);
    assert.match(tooltip.value, /Created \d{4}-\d\d-\d\d \d\d:\d\d \((\d+s|\d+m) ago\)/);
    assert.doesNotMatch(tooltip.value, /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/, 'no raw ISO time');
    await driver.screenshot('first-ten-1-sidebar', '.part.sidebar', { maxHeight: 240 });
  });

  it('groups the context menu as VS Code does and offers only what fits the state', async () => {
    await driver.rightClick(sidebarRow('Retrained on the full dataset'));
    await driver.waitForSelector('.monaco-menu .action-label:has-text("Stop Revision")');
    const labels = await driver.evaluate<string[]>('.monaco-menu', '(menu) => [...menu.querySelectorAll(".action-label")].map((a) => a.textContent.trim()).filter(Boolean)');
    // The traffic of a revision that already has all of it (issue 14) after the state actions, Compare after creating from it.
    assert.deepEqual(labels, ['Stop Revision', 'Scale Revision…', 'Split Traffic…', 'Tag Revision…', 'Reproduce Revision…', 'Compare with Previous Revision', 'Compare with…', 'Open Endpoint', 'Open Stored Spec', 'Show Details', 'Show Logs', 'Show Logs with Options…', 'Copy Endpoint', 'Delete Revision…']);
    await driver.screenshot('first-ten-2-menu');
    await driver.press('Escape');
    // A failed revision has a workload that does not come up: Stop fits, Start does not.
    await driver.rightClick(sidebarRow('Try the new base image'));
    await driver.waitForSelector('.monaco-menu .action-label:has-text("Stop Revision")');
    assert.equal(await driver.count('.monaco-menu .action-label:has-text("Start Revision")'), 0);
    await driver.press('Escape');
  });

  it('has one way to create: New Revision… opens the form from the palette, the title bar and a service', async () => {
    const ext = vscode.extensions.getExtension(`serve-revisions.serve-revisions`);
    const titles = ((ext?.packageJSON as { contributes: { commands: Array<{ title: string }> } }).contributes.commands ?? []).map((c) => c.title).filter((t) => /^(New|Create)/.test(t));
    assert.deepEqual(titles, ['New Revision…', 'New Revision Spec File', 'Create Revision from This Spec', 'Create and Launch Revision from This Spec']);
    // The service's inline +: the form for that service.
    await driver.hover(sidebarRow('iris'));
    await driver.click(`${sidebarRow('iris')} .actions .action-label[aria-label^="New Revision…"]`);
    await driver.waitFor(() => formTabs().some((t) => t.label === 'New revision of iris'), { message: 'the form for iris from its inline +' });
    await driver.frameWaitForSelector('#form-title:has-text("New revision of iris")');
    await closeForms();
    // The palette: the same form.
    await openBlankFormFromPalette();
    await closeForms();
  });

  it('keeps a fresh form calm, then lists the fields to fix as links that focus them', async () => {
    await openBlankFormFromPalette();
    assert.equal(await driver.evaluate<number>('main', '(main) => main.querySelectorAll(".problems, #form-summary").length', inFrames), 0, 'a fresh form shows no problem');
    const height = await driver.evaluate<number>('main', '(main) => Math.round(main.getBoundingClientRect().height)', inFrames);
    console.log(`    a blank form is ${height} px tall`);
    assert.ok(height < 1800, `the blank form is ${height} px tall`);
    await driver.click('#form-title', inFrames);
    await driver.screenshot('first-ten-3-form-top', '.part.editor');
    // One primary action, the others secondary.
    assert.equal(await driver.evaluate<boolean>('vscode-button#create', '(b) => b.hasAttribute("secondary")', inFrames), false);
    assert.equal(await driver.evaluate<boolean>('vscode-button#create-launch', '(b) => b.hasAttribute("secondary")', inFrames), true);
    // In the form's own frame (driver.count reads only the workbench page): the image field is
    // there, the Launch immediately checkbox is not.
    assert.deepEqual(await driver.evaluate<number[]>('main', '(main) => [main.querySelectorAll("#f-image").length, main.querySelectorAll("#f-launchImmediately").length]', inFrames), [1, 0]);

    await fill('f-resources-memory', '8GB');
    await driver.click('vscode-button#create', inFrames);
    await driver.frameWaitForSelector('#form-summary');
    const summary = (await driver.text('#form-summary', inFrames)) ?? '';
    for (const field of ['Service', 'Message', 'Image', 'Memory']) assert.match(summary, new RegExp(`^${field}: `, 'm'), `${field} in ${summary}`);
    assert.doesNotMatch(summary, /resources\.memory/);
    await driver.screenshot('first-ten-4-form-error', '.part.editor');
    await driver.click('#form-summary a.field-link:has-text("Image")', inFrames);
    await driver.waitFor(async () => (await driver.focused()) === 'f-image', { message: 'the Image field focused by its link' });
    await closeForms();
  });

  it('is usable with the keyboard alone: Tab reaches every control in order, radios are radios, help is tied to its field', async () => {
    await openBlankFormFromPalette();
    assert.equal(await driver.evaluate<number>('main', '(main) => main.querySelectorAll("input[type=radio]").length', inFrames), 3);
    await driver.frameWaitForSelector('role=radio[name="Shell line"]');
    await driver.frameWaitForSelector('role=group[name="Start command"]');
    const described = await driver.evaluate<string[]>('vscode-textfield#f-resources-memory', '(el) => (el.shadowRoot.querySelector("input").ariaDescribedByElements ?? []).map((e) => e.id)', inFrames);
    assert.deepEqual(described, ['f-resources-memory-help']);

    // Every control the form shows, in document order, as the focus reports it.
    const expected = await driver.evaluate<string[]>(
      'main',
      `(main) => [...main.querySelectorAll('summary, vscode-textfield, vscode-textarea, vscode-single-select, vscode-checkbox, vscode-button, input[type=radio]:checked, a')]
        .filter((el) => !el.closest('details:not([open]) > .section-body') && !el.hasAttribute('disabled'))
        .map((el) => el.id || el.tagName.toLowerCase() + ':' + el.textContent.trim().slice(0, 40))`,
      inFrames,
    );
    await driver.click('vscode-checkbox#detailed-help', inFrames);
    await driver.click('vscode-checkbox#detailed-help', inFrames);
    const reached: string[] = [(await driver.focused()) ?? ''];
    for (let i = 1; i < expected.length; i++) {
      await driver.press('Tab');
      reached.push((await driver.focused()) ?? '(nothing)');
    }
    assert.deepEqual(reached, expected);
    await closeForms();
  });

  it("shows the cluster's warnings in the form, asks before launching what cannot run, and says what happened", async () => {
    await openBlankFormFromPalette();
    const service = 'gpu-heavy';
    await fill('f-service', service);
    await fill('f-message', 'More GPUs than any node has', 'vscode-textarea');
    await fill('f-image', 'vllm/vllm-openai:v0.6.3');
    await fill('f-resources-gpu-count', '16');
    // The same warning the YAML editor shows, from the same checks, beside the field.
    const warning = await driver.waitFor(
      async () => {
        const t = await driver.text('[data-path="resources.gpu.count"] .problems li.warning', { inFrames: true, timeoutMs: 2_000 }).catch(() => null);
        return t && /more than any node can give/.test(t) ? t : undefined;
      },
      { message: 'the cluster warning beside GPU count', timeoutMs: driver.Deadline.cluster },
    );
    assert.match(warning, /^Warning: GPU count 16 is more than any node can give: the largest node has 8 × "nvidia\.com\/gpu"/);
    await driver.screenshot('first-ten-form-cluster-warning', '.part.editor');

    // VS Code shows no modal dialog while extension tests run: the question is answered through
    // the extension's user-input seam, which records what was asked.
    await api.userInput.runWithAnswers(['Create and Launch Anyway'], async () => {
      await driver.click('vscode-button#create-launch', inFrames);
      await driver.waitFor(() => formTabs().length === 0, { message: 'the form to close after creating', timeoutMs: driver.Deadline.cluster });
    });
    assert.equal(api.userInput.prompts.length, 1);
    assert.match(api.userInput.prompts[0] ?? '', /^confirm "Launch a revision of gpu-heavy that cannot run as it is\?" GPU count 16 is more than any node can give/, 'in the form\'s words, as the warning beside the field');
    const message = await notificationText(`of ${service}`);
    assert.match(message, new RegExp(`Created #1 of ${service} in namespace "${namespace}" and started, but its pods are pending: 0/3 nodes are available`));
    await driver.screenshot('first-ten-launch-outcome');
    await vscode.commands.executeCommand('notifications.hideList');
    assert.equal((await admin.getRevision({ service, revision: 1 })).state.kind, 'failed');
  });

  it('asks before stopping a revision that serves, and offers to start it again', async () => {
    // Earlier suites in this window may have left a "Stopped #2 of iris" of another namespace: its Start Again would start that one.
    await vscode.commands.executeCommand('notifications.clearAll');
    await api.userInput.runWithAnswers(['Stop'], async () => {
      await driver.hover(sidebarRow('Retrained on the full dataset'));
      await driver.click(`${sidebarRow('Retrained on the full dataset')} .actions .action-label[aria-label^="Stop Revision"]`);
      await waitForShown(api, 'iris', 2, /^stopped/);
    });
    assert.match(api.userInput.prompts[0] ?? '', /^confirm "Stop #2 of iris\? It serves traffic\." Its 2 ready pods stop and the service's endpoint iris\.[-a-z0-9]+\.svc:3000 no longer reaches them\./);
    await notificationText('Stopped #2 of iris');
    await driver.click(`${notification('Stopped #2 of iris')} .monaco-button:has-text("Start Again")`);
    await vscode.commands.executeCommand('notifications.hideList');
    await waitForShown(api, 'iris', 2, /^running 2\/2/, driver.Deadline.cluster);
  });

  it('preselects the current namespace and context in their pickers, system namespaces last', async () => {
    const picked = vscode.commands.executeCommand('serveRevisions.switchNamespace');
    await driver.waitForSelector(`.quick-input-list .monaco-list-row.focused:has-text("${namespace}")`);
    const names = await driver.evaluate<string[]>('.quick-input-list', '(list) => [...list.querySelectorAll(".monaco-list-row .label-name")].map((l) => l.textContent.trim())');
    const firstSystem = names.findIndex((n) => n.startsWith('kube-'));
    assert.ok(firstSystem > 0 && names.slice(firstSystem).every((n) => n.startsWith('kube-')), `system namespaces last: ${names.join(', ')}`);
    await driver.press('Enter');
    await picked;
    assert.equal(api.revisionsModel.where?.namespace, namespace, 'Enter keeps the current namespace');

    const context = api.revisionsModel.where?.context ?? '';
    const contextPicked = vscode.commands.executeCommand('serveRevisions.switchContext');
    const row = `.quick-input-list .monaco-list-row.focused:has-text("${context}")`;
    await driver.waitForSelector(row);
    assert.match((await driver.text(row)) ?? '', new RegExp(`namespace ${namespace}`), "the context's row names the view's namespace");
    await driver.press('Escape');
    await contextPicked;
  });

  it('opens a stored spec named after its revision, with Reproduce instead of Create', async () => {
    const uri = String(await vscode.commands.executeCommand('serveRevisions.openSpec', { service: 'iris', revision: 1 }));
    assert.match(uri, /\/iris-r1\.revision\.yaml$/);
    await driver.waitForSelector('.tabs-container .tab:has-text("iris-r1.revision.yaml")');
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', vscode.Uri.parse(uri));
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Reproduce #1 of iris…']);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('copies an http:// URL and opens the endpoint through a local port, stopped with the revision', async () => {
    const copied = String(await vscode.commands.executeCommand('serveRevisions.copyEndpoint', { service: 'iris', revision: 2 }));
    assert.match(copied, new RegExp(`^http://iris-r2\\.${namespace}\\.svc:3000$`));
    const local = String(await vscode.commands.executeCommand('serveRevisions.openEndpoint', { service: 'iris', revision: 2 }));
    assert.match(local, /^http:\/\/127\.0\.0\.1:\d+$/);
    const answer = await driver.waitFor(async () => {
      const got = await get(`${local}/v1/models`);
      return got.status === 200 ? got : undefined;
    }, { message: 'the forwarded endpoint to answer', timeoutMs: driver.Deadline.cluster });
    assert.equal((JSON.parse(answer.body) as { server: string }).server, 'simulated model server');
    // Stopping the revision ends the forward: the local port closes.
    await api.userInput.runWithAnswers(['Stop'], () => vscode.commands.executeCommand('serveRevisions.stop', { service: 'iris', revision: 2 }));
    await driver.waitFor(async () => get(local).then(() => false, () => true), { message: 'the local port to close once the revision stopped' });
  });

  it('keeps the ages ticking while the view shows, and stops when it is hidden', async () => {
    await admin.create(spec('ages', 'Young revision', 'ghcr.io/example/iris:1.0.0'), { launch: false });
    await waitForShown(api, 'ages', 1, / · <1m$/);
    await driver.waitForSelector(sidebarRow('<1m'));
    assert.equal(api.ageClock.running, true);
    // No change to the revision: only the clock moves it from "<1m" to "1m".
    await waitForShown(api, 'ages', 1, / · 1m$/, driver.Deadline.cluster);
    await driver.waitForSelector(`${sidebarRow('Young revision')}:has-text("· 1m")`);
    await vscode.commands.executeCommand('workbench.view.explorer');
    await driver.waitFor(() => !api.ageClock.running, { message: 'the age clock to stop with the view hidden' });
    await vscode.commands.executeCommand('workbench.view.extension.serveRevisions');
    await driver.waitFor(() => api.ageClock.running, { message: 'the age clock to run again' });
  });

  it('shows YAML completion with each key once', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'revision-yaml', content: 'apiVersion: serve-revisions/v1\nkind: Revision\nservice: iris\nmessage: m\nimage: ghcr.io/example/iris:1.0.0\nreplicas: 2\n' });
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(doc.lineCount - 1, 0, doc.lineCount - 1, 0);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(doc.lineCount - 1, 0));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.deepEqual(labels.filter((l, i) => labels.indexOf(l) !== i), []);
    for (const absent of ['autoscaling', 'reproducedFrom', 'revision', 'createdAt']) assert.ok(!labels.includes(absent), `${absent} offered`);
    await vscode.commands.executeCommand('editor.action.triggerSuggest');
    await driver.waitForSelector('.editor-widget.suggest-widget.visible .monaco-list-row');
    await driver.screenshot('first-ten-5-yaml-completion');
    await driver.press('Escape');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows an empty namespace as one message naming it, under the context row', async () => {
    const empty = await freshNamespace(admin, 'first-ten-empty');
    try {
      await vscode.commands.executeCommand('serveRevisions.switchNamespace', empty);
      await vscode.commands.executeCommand('workbench.view.extension.serveRevisions');
      const labels = await driver.waitFor(
        async () => {
          const roots = await api.revisionsTree.getChildren();
          const l = roots.map((n) => String(api.revisionsTree.getTreeItem(n).label));
          return l.some((t) => t.startsWith('No services')) ? l : undefined;
        },
        { message: 'the empty-namespace rows', timeoutMs: driver.Deadline.cluster },
      );
      assert.equal(labels.length, 3, labels.join(' | '));
      assert.equal(labels[1], `No services in namespace "${empty}" yet`);
      assert.equal(labels[2], 'New revision…');
      await driver.waitForSelector(sidebarRow(`namespace ${empty}`));
      await driver.waitForSelector(sidebarRow(`No services in namespace "${empty}" yet`));
      assert.equal(await driver.count('.part.sidebar .welcome-view-content'), 0, 'no welcome content beside the rows');
      await driver.screenshot('first-ten-6-empty-namespace', '.part.sidebar', { maxHeight: 160 });
      // Its "New revision…" row opens the form, without a question: there is nothing to prefill
      // from. (Run as a click would run it: leaving the focus on a row that a namespace switch
      // removes makes VS Code's tree throw when the view is next focused.)
      const roots = await api.revisionsTree.getChildren();
      const create = api.revisionsTree.getTreeItem(roots[2] as (typeof roots)[number]).command;
      assert.equal(create?.command, 'serveRevisions.openForm');
      await vscode.commands.executeCommand(create.command, ...(create.arguments ?? []));
      await chooseBlankForm();
      await closeForms();
    } finally {
      await vscode.commands.executeCommand('serveRevisions.switchNamespace', namespace);
      await admin.core.deleteNamespace({ name: empty }).catch(() => undefined);
    }
  });
});
