import * as vscode from 'vscode';
import { loadKube } from '../../core/kube/loadKube';
import type { SpecCompletion } from '../../core/language/completion';
import { loadEngine } from '../../core/loadEngine';
import type { RevisionSpec } from '../../core/spec/revisionSpec';
import type { ParsedSpec, Range, SpecDiagnostic } from '../../core/spec/specDocument';
import type { DryRunResult } from '../../kube/index';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';
import { registerCommand } from '../common/runCommand';
import { CommandIds, LanguageId } from '../ids';
import type { RevealTarget } from '../tree/registerRevisionsView';
import { ClusterLookups } from './clusterFacts';

const Source = 'Serve Revisions';
const DebounceMs = 200;
/** How long completion waits for a cluster lookup that is not cached yet, before answering without it. */
const CompletionClusterWaitMs = 300;
const DiagnosticsClusterWaitMs = 5_000;

type PlainYamlMode = 'switchLanguage' | 'diagnose' | 'ignore';

function plainYamlMode(): PlainYamlMode {
  return vscode.workspace.getConfiguration('serveRevisions').get<PlainYamlMode>('yaml.plainYamlSpecs') ?? 'switchLanguage';
}

function clusterChecksEnabled(): boolean {
  return vscode.workspace.getConfiguration('serveRevisions').get<boolean>('yaml.clusterChecks') ?? true;
}

/** A revision spec our features act on: our language, or (in "diagnose" mode) a plain YAML file declaring the apiVersion. */
function isSpecDocument(doc: vscode.TextDocument): boolean {
  if (doc.languageId === LanguageId) return true;
  return doc.languageId === 'yaml' && plainYamlMode() === 'diagnose' && loadEngine().declaresRevisionSpec(doc.getText());
}

const toRange = (r: Range): vscode.Range => new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);

function toDiagnostic(d: SpecDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diagnostic.source = Source;
  diagnostic.code = d.code;
  return diagnostic;
}

const CompletionKinds: Record<SpecCompletion['kind'], vscode.CompletionItemKind> = {
  property: vscode.CompletionItemKind.Property,
  value: vscode.CompletionItemKind.Value,
  enum: vscode.CompletionItemKind.EnumMember,
  snippet: vscode.CompletionItemKind.Snippet,
  cluster: vscode.CompletionItemKind.Reference,
};

function toCompletionItem(c: SpecCompletion): vscode.CompletionItem {
  const item = new vscode.CompletionItem(c.label, CompletionKinds[c.kind]);
  if (c.detail) item.detail = c.detail;
  if (c.documentation) item.documentation = new vscode.MarkdownString(c.documentation);
  item.insertText = c.snippet ? new vscode.SnippetString(c.insertText) : c.insertText;
  item.range = toRange(c.range);
  item.sortText = c.sortText;
  if (c.filterText) item.filterText = c.filterText;
  return item;
}

/** Parses each document version once; every provider shares the result. */
class ParseCache {
  private readonly entries = new Map<string, { version: number; parsed: ParsedSpec }>();

  get(doc: vscode.TextDocument): ParsedSpec {
    const key = doc.uri.toString();
    const hit = this.entries.get(key);
    if (hit && hit.version === doc.version) return hit.parsed;
    const parsed = loadEngine().parseSpecText(doc.getText());
    this.entries.set(key, { version: doc.version, parsed });
    return parsed;
  }

  forget(doc: vscode.TextDocument): void {
    this.entries.delete(doc.uri.toString());
  }
}

/**
 * The YAML language features of revision specs: completion (schema and live cluster), hover,
 * debounced diagnostics with cluster-aware warnings, quick fixes and the spec CodeLens actions.
 * The work is done by the pure providers in src/core/language; this only adapts them.
 */
export function registerLanguageFeatures(context: vscode.ExtensionContext, session: ClusterSession, logger: Logger): void {
  const diagnostics = vscode.languages.createDiagnosticCollection('serve-revisions');
  const parses = new ParseCache();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  const tryClient = () => {
    try {
      return session.getClient();
    } catch (error) {
      logger.debug(`Spec features without the cluster: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  };
  const lookups = new ClusterLookups(tryClient, (key, error) => logger.debug(`Cluster lookup ${key} failed: ${error instanceof Error ? error.message : String(error)}`));
  const selector: vscode.DocumentSelector = [{ language: LanguageId }, { language: 'yaml' }];
  const defaultNamespace = (): string | undefined => session.target.namespace ?? tryClient()?.namespace;

  const diagnose = async (doc: vscode.TextDocument): Promise<void> => {
    if (!isSpecDocument(doc)) {
      diagnostics.delete(doc.uri);
      return;
    }
    const version = doc.version;
    const parsed = parses.get(doc);
    let found = loadEngine().diagnoseParsedSpec(parsed);
    // In a plain YAML file the YAML extension (when installed) reports syntax errors itself.
    if (doc.languageId === 'yaml' && vscode.extensions.getExtension('redhat.vscode-yaml')) found = found.filter((d) => !d.code.startsWith('yaml-') && d.code !== 'multiple-documents');
    diagnostics.set(doc.uri, found.map(toDiagnostic));
    const spec = loadEngine().specValue(parsed);
    if (!spec || !clusterChecksEnabled()) return;
    try {
      const client = tryClient();
      if (!client) return;
      const namespace = typeof spec.namespace === 'string' && spec.namespace !== '' ? spec.namespace : (session.target.namespace ?? client.namespace);
      const facts = await lookups.facts(namespace, loadEngine().referencedNames(spec), { gpu: (spec.resources?.gpu?.count ?? 0) > 0, customMetrics: spec.autoscaling?.metric === 'gpu' }, DiagnosticsClusterWaitMs);
      const gpu = vscode.workspace.getConfiguration('serveRevisions').get<string>('gpuResourceName');
      if (gpu) facts.defaultGpuResourceName = gpu;
      if (doc.isClosed || doc.version !== version) return;
      const cluster = loadEngine().clusterDiagnostics(parsed, facts);
      if (cluster.length > 0) diagnostics.set(doc.uri, [...found, ...cluster].map(toDiagnostic));
    } catch (error) {
      logger.debug(`Cluster checks of ${doc.uri.fsPath} skipped: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const schedule = (doc: vscode.TextDocument, delay = DebounceMs): void => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        void diagnose(doc);
      }, delay),
    );
  };

  const adoptPlainYaml = (doc: vscode.TextDocument): void => {
    if (doc.languageId === 'yaml' && plainYamlMode() === 'switchLanguage' && loadEngine().declaresRevisionSpec(doc.getText())) {
      logger.info(`${doc.uri.fsPath || doc.uri.toString()} declares apiVersion serve-revisions/v1: treating it as a revision spec (setting serveRevisions.yaml.plainYamlSpecs).`);
      void vscode.languages.setTextDocumentLanguage(doc, LanguageId);
      return;
    }
    schedule(doc, 0);
  };

  context.subscriptions.push(
    diagnostics,
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
    vscode.workspace.onDidOpenTextDocument(adoptPlainYaml),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && (e.document.languageId === LanguageId || e.document.languageId === 'yaml')) schedule(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      diagnostics.delete(doc.uri);
      parses.forget(doc);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('serveRevisions')) vscode.workspace.textDocuments.forEach((d) => schedule(d, 0));
    }),
    session.onDidChangeTarget(() => {
      lookups.clear();
      vscode.workspace.textDocuments.forEach((d) => schedule(d, 0));
    }),
  );
  vscode.workspace.textDocuments.forEach(adoptPlainYaml);

  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(
      selector,
      {
        async provideCompletionItems(doc, position, token, completionContext) {
          if (!isSpecDocument(doc)) return undefined;
          const before = doc.lineAt(position.line).text.slice(0, position.character);
          // A space only asks for values right after `key: ` or a new list item.
          if (completionContext.triggerCharacter === ' ' && !/(:|^\s*-) $/.test(before)) return undefined;
          const text = doc.getText();
          const namespace = defaultNamespace();
          const options = { cluster: (l: Parameters<ClusterLookups['peek']>[0]) => lookups.peek(l), ...(namespace ? { defaultNamespace: namespace } : {}) };
          let result = loadEngine().completeSpec(text, position, options);
          if (result.pending.length > 0) {
            await Promise.all(result.pending.map((l) => lookups.wait(l, CompletionClusterWaitMs)));
            if (token.isCancellationRequested) return undefined;
            result = loadEngine().completeSpec(text, position, options);
          }
          return result.items.map(toCompletionItem);
        },
      },
      ' ',
    ),
    vscode.languages.registerHoverProvider(selector, {
      provideHover(doc, position) {
        if (!isSpecDocument(doc)) return undefined;
        const hover = loadEngine().hoverSpec(parses.get(doc), position);
        return hover ? new vscode.Hover(new vscode.MarkdownString(hover.markdown), toRange(hover.range)) : undefined;
      },
    }),
    vscode.languages.registerCodeActionsProvider(
      selector,
      {
        provideCodeActions(doc, range, actionContext) {
          if (!isSpecDocument(doc)) return undefined;
          const ours = actionContext.diagnostics.filter((d) => d.source === Source);
          if (ours.length === 0) return undefined;
          const parsed = parses.get(doc);
          const all = loadEngine().diagnoseParsedSpec(parsed);
          const actions: vscode.CodeAction[] = [];
          for (const shown of ours) {
            const spec = all.find((d) => d.code === shown.code && toRange(d.range).isEqual(shown.range)) ?? all.find((d) => d.code === shown.code && toRange(d.range).intersection(range));
            if (!spec) continue;
            for (const fix of loadEngine().quickFixesFor(parsed, spec)) {
              const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
              action.diagnostics = [shown];
              action.isPreferred = fix.preferred;
              const edit = new vscode.WorkspaceEdit();
              for (const e of fix.edits) edit.replace(doc.uri, toRange(e.range), e.newText);
              action.edit = edit;
              actions.push(action);
            }
          }
          return actions;
        },
      },
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.languages.registerCodeLensProvider(selector, {
      provideCodeLenses(doc) {
        if (!isSpecDocument(doc)) return [];
        const line = loadEngine().codeLensLine(doc.getText());
        const range = new vscode.Range(line, 0, line, 0);
        return [
          new vscode.CodeLens(range, { title: 'Create revision', command: CommandIds.createRevisionFromSpec, arguments: [doc.uri] }),
          new vscode.CodeLens(range, { title: 'Create and launch', command: CommandIds.createAndLaunchFromSpec, arguments: [doc.uri] }),
          new vscode.CodeLens(range, { title: 'Dry-run on the cluster', command: CommandIds.dryRunSpec, arguments: [doc.uri] }),
          new vscode.CodeLens(range, { title: 'Show rendered objects', command: CommandIds.showRenderedObjects, arguments: [doc.uri] }),
        ];
      },
    }),
  );

  /** The spec of the given (or active) document, refusing with the errors when it has any. */
  const specOf = async (uri: vscode.Uri | undefined, action: string): Promise<{ spec: RevisionSpec; doc: vscode.TextDocument }> => {
    const doc = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!doc) throw new Error(`Could not ${action}: no revision spec is open. Open a *.revision.yaml file and try again.`);
    const parsed = parses.get(doc);
    const errors = loadEngine().diagnoseParsedSpec(parsed).filter((d) => d.severity === 'error');
    const name = vscode.workspace.asRelativePath(doc.uri);
    if (errors.length > 0) {
      const list = errors.slice(0, 3).map((e) => `line ${e.range.start.line + 1}: ${e.message}`).join('; ');
      throw new Error(`Could not ${action} from ${name}: the spec has ${errors.length} error${errors.length === 1 ? '' : 's'} (${list}${errors.length > 3 ? '; …' : ''}). Fix them (see the Problems panel) and try again.`);
    }
    const spec = loadEngine().specValue(parsed);
    if (!spec) throw new Error(`Could not ${action} from ${name}: it does not hold a revision spec.`);
    return { spec, doc };
  };

  const create = async (uri: vscode.Uri | undefined, launch: boolean) => {
    const { spec } = await specOf(uri, launch ? 'create and launch a revision' : 'create a revision');
    const client = session.getClient();
    const namespace = spec.namespace ?? session.target.namespace;
    const result = await client.create(spec, { launch, ...(namespace ? { namespace } : {}) });
    const message = `Created revision ${result.revision} of "${result.service}" in namespace "${result.namespace}" of context "${client.contextName}"${result.started ? ' and started it' : ''}.`;
    logger.info(message);
    void vscode.window.showInformationMessage(message);
    // Selected in the tree, keyboard focus left in the editor the person is working in.
    const target: RevealTarget = { service: result.service, revision: result.revision, namespace: result.namespace, focus: false };
    void vscode.commands.executeCommand(CommandIds.revealRevision, target);
    return result;
  };

  context.subscriptions.push(
    registerCommand(logger, CommandIds.createRevisionFromSpec, (uri?: vscode.Uri) => create(uri, false), { progressTitle: 'Creating the revision…' }),
    registerCommand(logger, CommandIds.createAndLaunchFromSpec, (uri?: vscode.Uri) => create(uri, true), { progressTitle: 'Creating and launching the revision…' }),
    registerCommand(
      logger,
      CommandIds.dryRunSpec,
      async (uri?: vscode.Uri): Promise<DryRunResult> => {
        const { spec, doc } = await specOf(uri, 'dry-run the revision');
        const client = session.getClient();
        const namespace = spec.namespace ?? session.target.namespace;
        const gpu = vscode.workspace.getConfiguration('serveRevisions').get<string>('gpuResourceName');
        const result = await loadKube().dryRunRevision(client, spec, { ...(namespace ? { namespace } : {}), ...(gpu ? { defaultGpuResourceName: gpu } : {}) });
        const name = vscode.workspace.asRelativePath(doc.uri);
        const rejected = result.objects.filter((o) => !o.ok);
        logger.info(`Dry run of ${name} as revision ${result.revision} of "${spec.service}" in namespace "${result.namespace}" of context "${result.context}":`);
        for (const o of result.objects) logger.info(`  ${o.ok ? 'accepted' : 'REJECTED'} ${o.kind} "${o.name}"${o.message ? `: ${o.message}` : ''}`);
        for (const w of result.warnings) logger.warn(`  ${w}`);
        if (rejected.length === 0 && result.warnings.length === 0) {
          void vscode.window.showInformationMessage(`Dry run of ${name}: the API server of context "${result.context}" would accept all ${result.objects.length} objects in namespace "${result.namespace}".`);
        } else {
          const summary = rejected.length > 0 ? `the API server would reject ${rejected.length} of ${result.objects.length} objects. ${rejected[0]?.message ?? ''}` : (result.warnings[0] ?? '');
          void vscode.window.showWarningMessage(`Dry run of ${name}: ${summary}`, 'Show Log').then((choice) => {
            if (choice === 'Show Log') logger.show();
          });
        }
        return result;
      },
      { progressTitle: 'Dry-running the revision on the cluster…' },
    ),
    registerCommand(logger, CommandIds.showRenderedObjects, async (uri?: vscode.Uri) => {
      const { spec, doc } = await specOf(uri, 'render the objects');
      const namespace = spec.namespace ?? loadEngine().declaredNamespace(doc.getText()) ?? defaultNamespace() ?? 'default';
      const gpu = vscode.workspace.getConfiguration('serveRevisions').get<string>('gpuResourceName');
      const rendered = await vscode.workspace.openTextDocument({ language: 'yaml', content: loadEngine().renderedObjectsYaml(spec, namespace, undefined, gpu) });
      await vscode.window.showTextDocument(rendered, { viewColumn: vscode.ViewColumn.Beside, preview: true });
      return rendered;
    }),
  );
}
