// The YAML language features in a real VS Code against the local control plane: completion
// (schema and cluster values) through VS Code's command API, diagnostics as the user types, a
// quick fix applied as a workspace edit, and the spec CodeLens actions (dry-run on the cluster,
// rendered objects).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { CreateResult, DryRunResult } from '../../../src/kube/index';
import type { ExtensionTestApi } from '../../../src/extension/extension';
import * as driver from './driver';

const extensionId = 'serve-revisions.serve-revisions';
const repo = join(__dirname, '../../../..');

describe('YAML language support for revision specs', function () {
  let uri: vscode.Uri;
  let doc: vscode.TextDocument;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the e2e workspace folder is not open');
    assert.ok(process.env['KUBECONFIG'], 'KUBECONFIG is not set in the extension host: run through npm test or scripts/e2e.mjs --env KUBECONFIG=…');
    // A copy of an example, in the namespace the local control plane provides.
    const example = readFileSync(join(repo, 'examples/iris-bentoml.revision.yaml'), 'utf8').replace(/^service: iris$/m, 'service: iris-lang\nnamespace: demo');
    uri = vscode.Uri.file(join(folder.uri.fsPath, 'language-e2e.revision.yaml'));
    writeFileSync(uri.fsPath, example);
    await vscode.extensions.getExtension(extensionId)?.activate();
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
  });

  after(async () => {
    // Saved first: a dirty editor would write the file back after it is deleted.
    await vscode.window.showTextDocument(doc);
    await doc.save();
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    await vscode.workspace.fs.delete(uri, { useTrash: false });
    assert.equal(existsSync(uri.fsPath), false, `${uri.fsPath} is still there`);
  });

  const ours = () => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Serve Revisions');
  const lineOf = (pattern: RegExp) => doc.getText().split('\n').findIndex((l) => pattern.test(l));

  it('gives the example copy the revision-yaml language and checks it against the cluster', async () => {
    assert.equal(doc.languageId, 'revision-yaml');
    // The example references ConfigMap "iris-settings", which demo does not have: a cluster-aware warning.
    const warning = await driver.waitFor(() => ours().find((d) => d.code === 'cluster-configmap-missing'), { message: 'the missing-ConfigMap warning from the cluster', timeoutMs: driver.Deadline.cluster });
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, /ConfigMap "iris-settings" does not exist in namespace "demo"/);
    assert.equal(doc.getText(warning.range), 'iris-settings');
    assert.deepEqual(ours().filter((d) => d.severity === vscode.DiagnosticSeverity.Error), []);
  });

  it('completes top-level keys, enum values and cluster values through the completion command', async () => {
    const editor = await vscode.window.showTextDocument(doc);
    const end = doc.lineAt(doc.lineCount - 1).range.end;
    await editor.edit((b) => b.insert(end, end.character === 0 ? '' : '\n'));
    const last = new vscode.Position(doc.lineCount - 1, 0);
    const keys = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, last);
    const labels = keys.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const expected of ['volumes', 'serviceAccountName']) assert.ok(labels.includes(expected), `${expected} missing from ${labels.join(', ')}`);
    assert.ok(!labels.includes('image'), 'a key already present is not offered again');
    assert.ok(!labels.includes('autoscaling'), 'the example sets replicas: autoscaling is not offered beside it');

    const protocolLine = lineOf(/^\s+protocol: http$/);
    const protocol = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(protocolLine, doc.lineAt(protocolLine).text.length));
    assert.deepEqual(protocol.items.map((i) => String(i.label)).filter((l) => ['http', 'grpc', 'tcp'].includes(l)).sort(), ['grpc', 'http', 'tcp']);

    await editor.edit((b) => b.insert(last, 'serviceAccountName: '));
    const position = new vscode.Position(last.line, 'serviceAccountName: '.length);
    // The first answer may come before the cluster's: the lookup fills its cache in the background.
    const accounts = await driver.waitFor(
      async () => {
        const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position);
        const item = list.items.find((i) => i.label === 'default');
        return item ? list : undefined;
      },
      { message: 'the service accounts of namespace demo in completion', timeoutMs: driver.Deadline.cluster },
    );
    assert.equal(accounts.items.find((i) => i.label === 'default')?.kind, vscode.CompletionItemKind.Reference);
    await editor.edit((b) => b.delete(doc.lineAt(last.line).rangeIncludingLineBreak));
  });

  it('shows the schema documentation on hover', async () => {
    const line = lineOf(/^\s+protocol: http$/);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(line, doc.lineAt(line).text.indexOf('protocol') + 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*ports\[0\]\.protocol\*\*/);
    assert.match(text, /Allowed values: `http`, `grpc`, `tcp`/);
  });

  it('shows a diagnostic on a bad value as the user types, and its quick fix repairs it', async () => {
    const line = lineOf(/^\s+memory: 1Gi$/);
    const value = new vscode.Range(line, doc.lineAt(line).text.indexOf('1Gi'), line, doc.lineAt(line).text.length);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, value, '8GB');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const diagnostic = await driver.waitFor(() => ours().find((d) => d.code === 'memory-quantity'), { message: 'the memory-quantity diagnostic' });
    assert.equal(doc.getText(diagnostic.range), '8GB');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    await driver.screenshot('language-diagnostic');

    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range);
    const fix = actions.find((a) => a.title === 'Change to 8Gi');
    assert.ok(fix?.edit, `no "Change to 8Gi" fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(doc.lineAt(line).text.trim(), 'memory: 8Gi');
    await driver.waitFor(() => (ours().some((d) => d.code === 'memory-quantity') ? undefined : true), { message: 'the diagnostic to go away after the fix' });
  });

  it('puts the spec actions in a CodeLens and dry-runs the spec on the cluster', async () => {
    await doc.save();
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
    assert.deepEqual(lenses.map((l) => l.command?.title), ['Create revision', 'Create and launch', 'Dry-run on the cluster', 'Show rendered objects']);
    assert.equal(lenses[0]?.range.start.line, lineOf(/^apiVersion:/));
    const dryRun = lenses[2]?.command;
    assert.ok(dryRun);
    const result = await vscode.commands.executeCommand<DryRunResult>(dryRun.command, ...(dryRun.arguments ?? []));
    assert.ok(result, 'the dry run returned nothing (see the log for its error)');
    assert.equal(result.namespace, 'demo');
    assert.deepEqual(result.objects.map((o) => `${o.kind} ${o.ok}`), ['ConfigMap true', 'Deployment true', 'Service true', 'Service true']);
    assert.equal(result.ok, true);
  });

  it('reports what the API server would reject in a dry run', async () => {
    const line = lineOf(/^namespace: demo$/);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, doc.lineAt(line).range, 'namespace: no-such-namespace');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const result = await vscode.commands.executeCommand<DryRunResult>('serveRevisions.dryRunSpec', uri);
    assert.ok(result);
    assert.equal(result.ok, false);
    const rejected = result.objects.find((o) => !o.ok);
    assert.match(rejected?.message ?? '', /Could not dry-run ConfigMap "iris-lang-r1" of revision 1 of "iris-lang" in namespace "no-such-namespace".*not found/);
    const back = new vscode.WorkspaceEdit();
    back.replace(uri, doc.lineAt(line).range, 'namespace: demo');
    assert.ok(await vscode.workspace.applyEdit(back));
  });

  it('creates and launches the revision from the CodeLens, in a namespace of its own', async () => {
    // Its own namespace, so the revisions made here never show up in other suites' views of demo.
    const kubectl = process.env['SERVE_REVISIONS_KUBECTL'];
    assert.ok(kubectl, 'SERVE_REVISIONS_KUBECTL is not set in the extension host');
    const namespace = `lang-e2e-${Date.now().toString(36)}`;
    execFileSync(kubectl, ['--kubeconfig', process.env['KUBECONFIG'] ?? '', 'create', 'namespace', namespace], { stdio: 'pipe' });
    const line = lineOf(/^namespace: demo$/);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(uri, doc.lineAt(line).range, `namespace: ${namespace}`);
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
      const launch = lenses.find((l) => l.command?.title === 'Create and launch')?.command;
      const create = lenses.find((l) => l.command?.title === 'Create revision')?.command;
      assert.ok(launch && create);
      // The example reads a ConfigMap this namespace lacks: launching it is asked about first.
      const api = await vscode.extensions.getExtension<ExtensionTestApi>(extensionId)?.activate();
      assert.ok(api);
      const first = await api.userInput.runWithAnswers(['Create and Launch Anyway'], () => vscode.commands.executeCommand<CreateResult>(launch.command, ...(launch.arguments ?? [])));
      assert.deepEqual(first, { service: 'iris-lang', namespace, revision: 1, started: true });
      const deployment = execFileSync(kubectl, ['--kubeconfig', process.env['KUBECONFIG'] ?? '', '-n', namespace, 'get', 'deployment', 'iris-lang-r1', '-o', 'jsonpath={.spec.replicas}'], { encoding: 'utf8' });
      assert.equal(deployment, '2');
      const second = await vscode.commands.executeCommand<CreateResult>(create.command, ...(create.arguments ?? []));
      assert.deepEqual(second, { service: 'iris-lang', namespace, revision: 2, started: false });
    } finally {
      const back = new vscode.WorkspaceEdit();
      back.replace(uri, doc.lineAt(line).range, 'namespace: demo');
      await vscode.workspace.applyEdit(back);
      execFileSync(kubectl, ['--kubeconfig', process.env['KUBECONFIG'] ?? '', 'delete', 'namespace', namespace, '--wait=false'], { stdio: 'pipe' });
    }
  });

  it('opens the rendered objects beside the spec', async () => {
    await vscode.commands.executeCommand('serveRevisions.showRenderedObjects', uri);
    const rendered = await driver.waitFor(
      () => vscode.window.visibleTextEditors.find((e) => e.document.languageId === 'yaml' && e.document.getText().includes('kind: Deployment'))?.document,
      { message: 'an editor with the rendered objects' },
    );
    const text = rendered.getText();
    assert.match(text, /kind: ConfigMap[\s\S]*name: iris-lang-r1/);
    assert.match(text, /^---$/m);
    assert.match(text, /namespace: demo/);
    await vscode.window.showTextDocument(rendered);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('switches a plain YAML file that declares the spec apiVersion to the revision-yaml language', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const plain = vscode.Uri.file(join(folder.uri.fsPath, 'language-e2e-plain.yaml'));
    writeFileSync(plain.fsPath, '# a spec in a plain YAML file\napiVersion: serve-revisions/v1\nkind: Revision\n');
    try {
      const opened = await vscode.workspace.openTextDocument(plain);
      const switched = await driver.waitFor(() => vscode.workspace.textDocuments.find((d) => d.uri.toString() === plain.toString() && d.languageId === 'revision-yaml'), {
        message: `${plain.fsPath} (opened as ${opened.languageId}) to become revision-yaml`,
      });
      // Now checked as a spec: the required fields it lacks are reported.
      await driver.waitFor(() => vscode.languages.getDiagnostics(switched.uri).find((d) => d.source === 'Serve Revisions' && /missing required field "service"/.test(d.message)), { message: 'the missing-service diagnostic' });
    } finally {
      await vscode.workspace.fs.delete(plain, { useTrash: false });
    }
  });

  it('with plainYamlSpecs "diagnose", keeps a plain YAML spec as yaml and still checks it', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const settings = vscode.workspace.getConfiguration('serveRevisions');
    await settings.update('yaml.plainYamlSpecs', 'diagnose', vscode.ConfigurationTarget.Global);
    const plain = vscode.Uri.file(join(folder.uri.fsPath, 'language-e2e-diagnose.yaml'));
    writeFileSync(plain.fsPath, '# a spec in a plain YAML file\napiVersion: serve-revisions/v1\nkind: Revision\nservice: Bad_Name\n');
    try {
      const opened = await vscode.workspace.openTextDocument(plain);
      const found = await driver.waitFor(() => vscode.languages.getDiagnostics(plain).find((d) => d.source === 'Serve Revisions' && d.code === 'service-name'), { message: 'the service-name diagnostic in a plain YAML file' });
      assert.equal(opened.languageId, 'yaml');
      assert.equal(opened.getText(found.range), 'Bad_Name');
      const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', plain, new vscode.Position(3, 2));
      assert.ok(hovers.some((h) => h.contents.some((c) => (typeof c === 'string' ? c : c.value).includes('Name of the service'))), 'hover in a plain YAML spec');
    } finally {
      await settings.update('yaml.plainYamlSpecs', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.fs.delete(plain, { useTrash: false });
    }
  });
});
