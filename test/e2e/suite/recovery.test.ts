// The Revisions view when the cluster cannot be listed, as a person meets it and gets out of it:
// no kubeconfig at all, a stored context the kubeconfig no longer has, a namespace the user may
// not read, and an empty namespace. Each is clicked through to a working tree, like a person
// does: welcome buttons, tree rows, the file dialog and the pickers, through the driver.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import { parse, stringify } from 'yaml';
import type { ExtensionTestApi } from '../../../src/extension/extension';
import * as driver from './driver';
import { adminClient, extensionApi, freshNamespace, removeScratchDirs, scratchDir } from './tree.fixture';

const settings = () => vscode.workspace.getConfiguration('serveRevisions');
const sidebar = '.part.sidebar';
const quickInput = '.quick-input-widget .quick-input-box input';
/** A tree row of the Revisions view whose text contains `text`. */
const row = (text: string) => `${sidebar} .monaco-list-row:has-text(${JSON.stringify(text)})`;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suite through \`npm test -- e2e\``);
  return value;
}

/** The kubeconfig's current-context: the extension's own choice is per workspace and outlives a test. */
const currentContext = (file: string): string => /^current-context:\s*"?([^"\n]+)"?\s*$/m.exec(readFileSync(file, 'utf8'))?.[1] ?? '';

/** Waits until the view lists a namespace again (its services, or that it has none). */
async function treeWorks(api: ExtensionTestApi, message: string): Promise<void> {
  await driver.waitFor(() => ['ready', 'noServices'].includes(api.revisionsModel.state.kind), { message, timeoutMs: driver.Deadline.cluster });
  await driver.waitForSelector(row('namespace '));
}

/** The labels of the root rows, once the model is in `kind`. */
async function rootLabelsIn(api: ExtensionTestApi, kind: string, message: string): Promise<string[]> {
  await driver.waitFor(() => api.revisionsModel.state.kind === kind, { message, timeoutMs: driver.Deadline.cluster });
  const roots = await api.revisionsTree.getChildren();
  return roots.map((n) => String(api.revisionsTree.getTreeItem(n).label));
}

/**
 * Picks `file` in VS Code's file dialog (the simple one a remote window uses), as a person does:
 * type the path, look, press Enter, and look again. The dialog completes a path as it is typed and
 * reads each folder on the way, so a keystroke can be lost while it rewrites the field, and Enter
 * while it is still reading a folder can leave it open. Each attempt waits for the dialog to show
 * the typed path and list the file before Enter, then for the dialog to close; an attempt that
 * leaves it open is logged (with what the dialog says) and repeated.
 */
async function chooseInFileDialog(file: string, open: () => Promise<void>): Promise<void> {
  const dialogOpen = async () => (await driver.count('.quick-input-widget:visible')) > 0;
  const fileRow = `.quick-input-list .monaco-list-row:has-text(${JSON.stringify(basename(file))})`;
  let shown = '';
  for (let attempt = 1; attempt <= 3; attempt++) {
    if (!(await dialogOpen())) await open();
    await driver.waitForSelector(quickInput);
    // It fills in its starting folder and lists it, then places the cursor: select all after that.
    await driver.waitFor(async () => (await driver.value(quickInput)).length > 0, { message: 'the file dialog\'s starting folder' });
    await driver.waitForSelector('.quick-input-list .monaco-list-row');
    await driver.press('Control+a', quickInput);
    await driver.type(file, quickInput);
    shown = await driver
      .waitFor(async () => {
        const value = await driver.value(quickInput);
        return value === file || (value.length >= file.length && !file.startsWith(value)) ? value : undefined;
      }, { message: 'the typed path in the file dialog', timeoutMs: 15_000 })
      .catch(async () => driver.value(quickInput));
    if (shown !== file) {
      console.log(`    the file dialog showed "${shown}" after typing (attempt ${attempt})`);
      continue;
    }
    // The dialog reads the typed folder before it knows the file: Enter before then is lost.
    const listed = await driver.waitForSelector(fileRow, { timeoutMs: driver.Deadline.ui }).then(() => true, () => false);
    if (!listed) {
      console.log(`    the file dialog did not list ${basename(file)} (attempt ${attempt})`);
      continue;
    }
    await driver.press('Enter', quickInput);
    const closed = await driver.waitFor(async () => !(await dialogOpen()), { message: 'the file dialog to close', timeoutMs: driver.Deadline.ui }).then(() => true, () => false);
    if (closed) return;
    const message = await driver.text('.quick-input-widget .quick-input-message');
    console.log(`    the file dialog stayed open after Enter, showing "${await driver.value(quickInput)}"${message ? ` and "${message}"` : ''} (attempt ${attempt})`);
  }
  await driver.screenshot('recovery-file-dialog-stuck');
  assert.fail(`the file dialog did not take ${file} in three attempts; it last showed "${shown}"`);
}

describe('Revisions view with no kubeconfig at all', () => {
  let api: ExtensionTestApi;
  const admin = () => required('SERVE_REVISIONS_ADMIN_KUBECONFIG');
  const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };

  before(async () => {
    api = await extensionApi();
    await vscode.commands.executeCommand('workbench.view.extension.serveRevisions');
    // As on a machine with no cluster set up: no KUBECONFIG, and a home without ~/.kube/config.
    // The tests run inside the extension host, so this is the extension's environment too.
    delete process.env.KUBECONFIG;
    process.env.HOME = scratchDir('home-without-kubeconfig-');
    await settings().update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('serveRevisions.refresh');
  });

  after(async () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    await settings().update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('serveRevisions.switchContext', currentContext(admin()));
    await treeWorks(api, 'the tree back on the admin kubeconfig');
    removeScratchDirs();
  });

  it('says so in the welcome view, alone, and still offers to write a spec', async () => {
    await driver.waitFor(() => api.revisionsModel.state.kind === 'noKubeconfig', { message: 'the no-kubeconfig state' });
    const welcome = await driver.waitFor(
      async () => {
        const t = await driver.text(`${sidebar} .welcome-view-content`);
        return t?.includes('No usable kubeconfig') ? t : undefined;
      },
      { message: 'the no-kubeconfig welcome text' },
    );
    // One message: the generic welcome is not stacked on it.
    assert.doesNotMatch(welcome, /will be listed here/);
    assert.match(welcome, /Choose Kubeconfig File/);
    await driver.screenshot('recovery-no-kubeconfig');

    const before = vscode.window.activeTextEditor?.document;
    await driver.click(`${sidebar} .welcome-view-content .monaco-button:has-text("New revision spec")`);
    const editor = await driver.waitFor(
      () => {
        const e = vscode.window.activeTextEditor;
        return e && e.document !== before && e.document.languageId === 'revision-yaml' ? e : undefined;
      },
      { message: 'the editor opened by the welcome button' },
    );
    assert.match(editor.document.getText(), /^kind: Revision$/m);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('lets the person choose a kubeconfig file from the welcome view; the tree appears', async () => {
    await driver.waitFor(() => api.revisionsModel.state.kind === 'noKubeconfig', { message: 'the no-kubeconfig state' });
    await chooseInFileDialog(admin(), () => driver.click(`${sidebar} .welcome-view-content .monaco-button:has-text("Choose Kubeconfig File")`));
    await driver.waitFor(() => settings().get<string>('kubeconfig') === admin(), { message: 'the setting pointing at the chosen file' });
    await treeWorks(api, 'the tree on the chosen kubeconfig');
    assert.equal(api.revisionsModel.where?.context, currentContext(admin()));
    await driver.screenshot('recovery-kubeconfig-chosen');
  });
});

describe('Revisions view, from a stale or forbidden choice to a working tree', () => {
  let api: ExtensionTestApi;
  const admin = () => required('SERVE_REVISIONS_ADMIN_KUBECONFIG');

  before(async () => {
    api = await extensionApi();
    await vscode.commands.executeCommand('workbench.view.extension.serveRevisions');
  });

  afterEach(async () => {
    await settings().update('kubeconfig', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('serveRevisions.switchContext', currentContext(admin()));
    await treeWorks(api, 'the tree back on the admin kubeconfig');
    removeScratchDirs();
  });

  it('says a stored context is gone from the kubeconfig, and Switch Context gets a working tree', async () => {
    // A kubeconfig with a second context "gone", chosen in this workspace...
    const file = join(scratchDir('stale-context-'), 'config');
    const original = readFileSync(admin(), 'utf8');
    const config = parse(original) as { contexts: Array<{ name: string; context: Record<string, string> }> };
    const first = config.contexts[0];
    assert.ok(first);
    writeFileSync(file, stringify({ ...config, contexts: [...config.contexts, { name: 'gone', context: { ...first.context } }] }));
    await settings().update('kubeconfig', file, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('serveRevisions.switchContext', 'gone');
    await treeWorks(api, 'the tree in context "gone"');
    // ...then deleted from the kubeconfig (e.g. by a cloud CLI), and the view refreshed.
    writeFileSync(file, original);
    await vscode.commands.executeCommand('serveRevisions.refresh');

    const labels = await rootLabelsIn(api, 'error', 'the stale-context error');
    assert.equal(api.revisionsModel.state.kind === 'error' && api.revisionsModel.state.errorKind, 'unknownContext');
    assert.match(labels[0] ?? '', /^Context "gone" is not in the kubeconfig .*, or no longer\. Choose one of "[^"]+"/);
    assert.deepEqual(labels.slice(1), ['Switch context…', 'Retry']);
    await driver.waitForSelector(row('Context "gone" is not in the kubeconfig'));
    await driver.screenshot('recovery-stale-context');

    // The picker lists the kubeconfig's contexts without connecting with the stale choice.
    await driver.click(row('Switch context…'));
    await driver.waitForSelector(`${quickInput}[placeholder*='Context "gone" is no longer in the kubeconfig']`);
    const wanted = first.name;
    await driver.type(wanted, quickInput);
    await driver.waitForSelector(`.quick-input-list .monaco-list-row.focused:has-text(${JSON.stringify(wanted)})`);
    await driver.press('Enter', quickInput);
    await treeWorks(api, `the tree in context "${wanted}"`);
    assert.equal(api.revisionsModel.where?.context, wanted);
  });

  it('offers Switch Namespace, not Retry, on a forbidden namespace, and the switch gets a working tree', async () => {
    const viewer = required('SERVE_REVISIONS_VIEWER_KUBECONFIG');
    await settings().update('kubeconfig', viewer, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('serveRevisions.switchContext', currentContext(viewer));
    // The viewer may read only "demo" (cluster/README.md); the stored choice is "default".
    await vscode.commands.executeCommand('serveRevisions.switchNamespace', 'default');

    const labels = await rootLabelsIn(api, 'error', 'the forbidden error');
    assert.match(labels.find((t) => /forbidden/.test(t)) ?? '', /namespace "default".*forbidden \(needs list on/);
    assert.deepEqual(labels.slice(-2), ['Switch namespace…', 'Switch context…']);
    assert.equal(labels.includes('Retry'), false, `Retry offered in ${labels.join(' | ')}`);
    await driver.waitForSelector(row('forbidden'));
    await driver.screenshot('recovery-forbidden');

    // The viewer may not list namespaces either: the picker asks for a name, validating as typed.
    // The pointer away first: a row's hover (the context row's tooltip) can lie over the next row.
    await driver.hover('.part.editor');
    await driver.click(row('Switch namespace…'));
    await driver.waitForSelector(quickInput);
    await driver.press('Control+a', quickInput);
    await driver.type('Demo', quickInput);
    await driver.waitForSelector('.quick-input-widget .quick-input-message:has-text("lowercase")');
    await driver.press('Control+a', quickInput);
    await driver.type('demo', quickInput);
    await driver.press('Enter', quickInput);
    await treeWorks(api, 'the tree in namespace demo');
    assert.equal(api.revisionsModel.where?.namespace, 'demo');
  });

  it('shows one message naming an empty namespace, with New revision… (switching is on the context row)', async () => {
    const namespace = await freshNamespace(adminClient('default'), 'empty-e2e');
    try {
      await vscode.commands.executeCommand('serveRevisions.switchNamespace', namespace);
      const labels = await rootLabelsIn(api, 'noServices', 'the empty namespace');
      assert.deepEqual(labels.slice(1), [`No services in namespace "${namespace}" yet`, 'New revision…']);
      await driver.waitForSelector(row(`No services in namespace "${namespace}" yet`));
      // The tree has rows, so no welcome text is stacked on them.
      assert.equal(await driver.count(`${sidebar} .welcome-view-content:visible`), 0);
      await driver.screenshot('recovery-empty-namespace');
    } finally {
      await adminClient('default').core.deleteNamespace({ name: namespace }).catch(() => undefined);
    }
  });
});
