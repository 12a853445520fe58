// The revision form in a real VS Code against the local control plane: a person opens it from the
// Command Palette, fills it (types, picks, adds an env var and a volume), sees the inline error for
// memory "8GB", fixes it, and creates and launches the revision, which then runs in the cluster.
// Screenshots of the form in a light and a dark theme land in the e2e artifacts folder.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Kube } from '../../../src/bundles/loadKube';
import type { RevisionClient } from '../../../src/kube/index';
import * as driver from './driver';
import { chooseBlankForm, fill, inFrames, openBlankFormFromPalette } from './form.fixture';
import { removeService } from './tree.fixture';

const extensionId = 'serve-revisions.serve-revisions';
const repo = join(__dirname, '../../../..');
const namespace = 'demo';
const service = `form-e2e-${Date.now().toString(36)}`;

/** Picks an option of a vscode-single-select by its visible text, with the mouse, as a person does. */
async function pick(id: string, optionText: string): Promise<void> {
  await driver.click(`vscode-single-select#${id}`, inFrames);
  await driver.click(`vscode-single-select#${id} li.option:has-text("${optionText}")`, inFrames);
  await driver.frameWaitForSelector(`vscode-single-select#${id} .select-face:has-text("${optionText}")`);
}

async function setTheme(theme: string, bodyClass: string): Promise<void> {
  await vscode.workspace.getConfiguration('workbench').update('colorTheme', theme, vscode.ConfigurationTarget.Global);
  // The webview's body carries the theme kind once VS Code has pushed the new colours into it.
  await driver.frameWaitForSelector(`body.${bodyClass} #form-title`);
}

describe('The revision form', function () {
  let client: RevisionClient;

  before(async () => {
    assert.ok(process.env['KUBECONFIG'], 'KUBECONFIG is not set in the extension host: run through npm test or scripts/e2e.mjs --env KUBECONFIG=…');
    await vscode.extensions.getExtension(extensionId)?.activate();
    // A computed path: esbuild leaves the require alone, so the test uses the built kube bundle.
    const kube = require(join(repo, 'dist', 'kube.js')) as Kube;
    client = kube.RevisionClient.connect({ kubeconfig: process.env['KUBECONFIG'] ?? '', namespace });
    // The Revisions view shows the namespace the form creates in, so the new revision can be revealed there.
    await vscode.commands.executeCommand('serveRevisions.switchNamespace', namespace);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('workbench').update('colorTheme', undefined, vscode.ConfigurationTarget.Global);
    await removeService(client, service, namespace);
  });

  it('opens from the Command Palette as a blank form with short help from the schema, the rest on demand', async () => {
    await openBlankFormFromPalette();
    const help = await driver.text('[data-path="resources.memory"] .help', inFrames);
    assert.match(help ?? '', /^Memory per replica as a Kubernetes quantity/);
    assert.doesNotMatch(help ?? '', /8GB/);
    await driver.click('vscode-checkbox#detailed-help', inFrames);
    await driver.frameWaitForSelector('[data-path="resources.memory"] .help:has-text("8GB is not a Kubernetes quantity")');
    await driver.click('vscode-checkbox#detailed-help', inFrames);
    for (const section of ['Metadata', 'Deployment', 'Advanced', 'Storage & identity', 'Health']) {
      await driver.frameWaitForSelector(`details.section summary:has-text("${section}")`);
    }
  });

  it('shows the inline error for memory "8GB" as the user types, and clears it once fixed', async () => {
    await fill('f-service', service);
    await fill('f-namespace', namespace);
    await fill('f-message', 'Created from the form by the end-to-end test', 'vscode-textarea');
    await fill('f-image', 'ghcr.io/acme-ml/iris-classifier:2.0.1');
    await fill('f-resources-memory', '8GB');
    const problem = await driver.waitFor(
      async () => {
        const t = await driver.text('[data-path="resources.memory"] .problems', { inFrames: true, timeoutMs: 5_000 });
        return t?.includes('8Gi') ? t : undefined;
      },
      { message: 'the inline error beside Memory' },
    );
    // In the field's own words, not the spec's path.
    assert.match(problem, /^Error: Memory "8GB" is not a Kubernetes quantity/);
    assert.doesNotMatch(problem, /resources\.memory/);
    await driver.frameWaitForSelector('vscode-textfield#f-resources-memory[invalid]');
    await driver.screenshot('form-memory-error');
    await fill('f-resources-memory', '512Mi');
    await driver.frameWaitForSelector('[data-path="resources.memory"] vscode-textfield:not([invalid])');
    await fill('f-resources-cpu', '250m');
  });

  it('adds an environment variable and a volume, picking their sources', async () => {
    await driver.click('vscode-button#add-env', inFrames);
    await fill('f-env-0-name', 'MODEL_NAME');
    await fill('f-env-0-value', 'iris');
    await driver.click('vscode-button#add-env', inFrames);
    await fill('f-env-1-name', 'LOG_LEVEL');
    await pick('f-env-1-source', 'ConfigMap key');
    await fill('f-env-1-configMapKeyRef-name', 'iris-settings');
    await fill('f-env-1-configMapKeyRef-key', 'log_level');
    await driver.click('vscode-checkbox#f-env-1-configMapKeyRef-optional', inFrames);

    // Storage & identity starts folded while it holds nothing.
    await driver.click('details#section-storage summary', inFrames);
    await driver.click('vscode-button#add-volume', inFrames);
    await fill('f-volumes-0-name', 'cache');
    await fill('f-volumes-0-mountPath', '/cache');
    await pick('f-volumes-0-source', 'emptyDir (scratch)');
    await fill('f-volumes-0-emptyDir-sizeLimit', '1Gi');
    await driver.click('details#section-health summary', inFrames);
    await fill('f-healthCheck-path', '/readyz');
    // No field shows a problem now.
    // Checks run as the person types: wait until every field's verdict is in, then none is invalid.
    await driver.waitFor(async () => !(await driver.text('vscode-textfield[invalid]', { inFrames: true, timeoutMs: 500 }).then(() => true, () => false)), { message: 'no field marked invalid' });
  });

  it('looks right in a light and a dark theme', async () => {
    // Clicking the title scrolls the top of the form into view for the screenshots.
    await driver.click('#form-title', inFrames);
    await setTheme('Default Light Modern', 'vscode-light');
    await driver.screenshot('form-light');
    await setTheme('Default Dark Modern', 'vscode-dark');
    await driver.screenshot('form-dark');
    await setTheme('Default High Contrast', 'vscode-high-contrast');
    await driver.screenshot('form-high-contrast');
  });

  it('shows why a create failed and keeps every value typed', async function () {
    await fill('f-namespace', 'no-such-namespace');
    await driver.click('vscode-button#create', inFrames);
    const banner = await driver.waitFor(
      async () => {
        const t = await driver.text('#form-banner.error', { inFrames: true, timeoutMs: 5_000 });
        return t && t.length > 0 ? t : undefined;
      },
      { message: 'the error banner after a failed create' },
    );
    assert.match(banner, /no-such-namespace/);
    await driver.screenshot('form-create-failed');
    // The values stay: only the namespace is changed back; the create below stores all the rest.
    await fill('f-namespace', namespace);
  });

  it('creates and launches the revision, which then runs in the cluster', async function () {
    await driver.click('vscode-button#create-launch', inFrames);
    const revision = await driver.waitFor(
      async () => {
        const services = await client.listServices(namespace);
        return services.find((s) => s.name === service)?.revisions[0];
      },
      { message: `a revision of "${service}" in namespace ${namespace}`, timeoutMs: driver.Deadline.cluster, intervalMs: 500 },
    );
    assert.equal(revision.revision, 1);
    assert.equal(revision.message, 'Created from the form by the end-to-end test');
    // The listing carries no spec (records are listed as metadata): it is read from the record.
    const { spec } = await client.readRecord({ service, revision: 1, namespace });
    assert.equal(spec.resources?.memory, '512Mi');
    assert.deepEqual(spec.env, [
      { name: 'MODEL_NAME', value: 'iris' },
      { name: 'LOG_LEVEL', configMapKeyRef: { name: 'iris-settings', key: 'log_level', optional: true } },
    ]);
    assert.deepEqual(spec.volumes, [{ name: 'cache', mountPath: '/cache', emptyDir: { sizeLimit: '1Gi' } }]);
    const running = await driver.waitFor(
      async () => {
        const r = await client.getRevision({ service, revision: 1, namespace });
        return r.state.kind === 'running' ? r : undefined;
      },
      { message: `revision 1 of "${service}" running`, timeoutMs: driver.Deadline.cluster, intervalMs: 500 },
    );
    assert.equal(running.state.kind, 'running');
    // The form closes once the revision is created.
    await driver.waitFor(() => !vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview)), {
      message: 'the form to close after creating',
    });
    // ...and the Revisions view shows the new revision selected, with keyboard focus on it, running.
    const row = `.part.sidebar .monaco-list-row.selected.focused:has-text("Created from the form by the end-to-end test")`;
    await driver.waitForSelector(row);
    await driver.waitForSelector(`${row}:has-text("running 1/1")`, { timeoutMs: driver.Deadline.cluster });
    await driver.screenshot('form-created-revealed-in-tree');
  });
});

describe('The revision form from the Revisions view', function () {
  it('opens from the + in the view title bar', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.serveRevisions');
    // VS Code hands a title bar command the view's focused row, and "New Revision in Form" then
    // opens the form for that row's service without asking. The revision revealed above is being
    // deleted by its suite's cleanup: wait until its row, and so the focus, has left the view.
    await driver.waitFor(async () => (await driver.count('.part.sidebar .monaco-list-row.focused')) === 0, { message: 'no focused row in the Revisions view' });
    await driver.click('.part.sidebar .title-actions .action-label[aria-label^="New Revision…"]');
    await chooseBlankForm();
    await driver.click('vscode-button#cancel', inFrames);
    await driver.waitFor(() => !vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview)), { message: 'the form to close on Cancel' });
  });
});

describe('The revision form for reproducing', function () {
  const service = `form-repro-${Date.now().toString(36)}`;
  let client: RevisionClient;

  before(async () => {
    await vscode.extensions.getExtension(extensionId)?.activate();
    const kube = require(join(repo, 'dist', 'kube.js')) as Kube;
    client = kube.RevisionClient.connect({ kubeconfig: process.env['KUBECONFIG'] ?? '', namespace });
    await client.create({ apiVersion: 'serve-revisions/v1', kind: 'Revision', service, namespace, message: 'The original', image: 'busybox:1.36', resources: { cpu: '100m', memory: '64Mi' }, ports: [{ name: 'http', containerPort: 8080 }] });
  });

  after(async () => {
    // Untitled documents are dirty: revert them so closing asks nothing.
    for (const doc of vscode.workspace.textDocuments.filter((d) => d.isUntitled)) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await removeService(client, service, namespace);
  });

  it('opens prefilled from the revision, keeps a typed draft while hidden, and opens it as YAML', async () => {
    await vscode.commands.executeCommand('serveRevisions.reproduceInForm', { service, revision: 1, namespace });
    await driver.frameWaitForSelector(`#form-title:has-text('Reproduce #1 of ${service}')`);
    await driver.frameWaitForSelector('[data-path="reproducedFrom"]:has-text("Reproduced from revision 1")');
    await fill('f-message', 'Reproduced with more memory', 'vscode-textarea');
    await fill('f-resources-memory', '128Mi');

    // Hide the panel behind another editor in the same group, then come back to it.
    const other = await vscode.workspace.openTextDocument({ content: 'hides the form' });
    await vscode.window.showTextDocument(other, { viewColumn: vscode.ViewColumn.Active });
    await driver.waitFor(() => !vscode.window.tabGroups.activeTabGroup.activeTab?.label.startsWith('Reproduce'), { message: 'the form hidden' });
    const tab = vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview);
    assert.ok(tab, 'the form tab is still open');
    await driver.click(`.tabs-container .tab:has-text("Reproduce #1 of ${service}")`);
    // Without retainContextWhenHidden the webview was destroyed while hidden: what it shows now
    // comes from its saved state, which the YAML below proves holds the typed values.
    await driver.frameWaitForSelector('vscode-textfield#f-resources-memory');

    const before = new Set(vscode.workspace.textDocuments);
    await driver.click('vscode-button#open-yaml', inFrames);
    const yaml = await driver.waitFor(() => vscode.workspace.textDocuments.find((d) => !before.has(d) && d.languageId === 'revision-yaml'), { message: 'the spec opened as YAML' });
    const text = yaml.getText();
    assert.match(text, /^reproducedFrom: 1$/m);
    assert.match(text, /^message: Reproduced with more memory$/m);
    assert.match(text, /^ {2}memory: 128Mi$/m);

    // Cancel closes the form.
    await driver.click('vscode-button#cancel', inFrames);
    await driver.waitFor(() => !vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview)), { message: 'the form to close on Cancel' });
  });
});
