import * as vscode from 'vscode';
import { loadEngine } from '../../bundles/loadEngine';
import { declaresRevisionSpec } from '../../core/language/specDeclaration';
import type { ClusterChecks } from '../common/clusterChecks';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';
import { Settings } from '../common/settings';
import { LanguageId } from '../ids';
import type { ParseCache } from './parseCache';
import { isSpecDocument, toDiagnostic } from './specDocuments';

const DebounceMs = 200;

/**
 * The diagnostics of open specs, 200 ms after the last keystroke: syntax, schema and semantic
 * checks at once, then the cluster-aware warnings when the cluster answers. Also switches a plain
 * YAML file that declares a revision spec to our language, when the setting says so.
 */
export class DiagnosticsScheduler implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('serve-revisions');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    session: ClusterSession,
    private readonly checks: ClusterChecks,
    private readonly parses: ParseCache,
    private readonly logger: Logger,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((doc) => this.adoptPlainYaml(doc)),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && (e.document.languageId === LanguageId || e.document.languageId === 'yaml')) this.schedule(e.document);
      }),
      vscode.workspace.onDidCloseTextDocument((doc) => {
        this.diagnostics.delete(doc.uri);
        parses.forget(doc);
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('serveRevisions')) this.scheduleAll();
      }),
      // The session drops its cached lookups with the old connection.
      session.onDidChangeTarget(() => this.scheduleAll()),
    ];
    vscode.workspace.textDocuments.forEach((doc) => this.adoptPlainYaml(doc));
  }

  private scheduleAll(): void {
    vscode.workspace.textDocuments.forEach((d) => this.schedule(d, 0));
  }

  private schedule(doc: vscode.TextDocument, delay = DebounceMs): void {
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.diagnose(doc);
      }, delay),
    );
  }

  private adoptPlainYaml(doc: vscode.TextDocument): void {
    if (doc.languageId === 'yaml' && Settings.plainYamlSpecs() === 'switchLanguage' && declaresRevisionSpec(doc.getText())) {
      this.logger.info(`${doc.uri.fsPath || doc.uri.toString()} declares apiVersion serve-revisions/v1: treating it as a revision spec (setting serveRevisions.yaml.plainYamlSpecs).`);
      void vscode.languages.setTextDocumentLanguage(doc, LanguageId);
      return;
    }
    this.schedule(doc, 0);
  }

  private async diagnose(doc: vscode.TextDocument): Promise<void> {
    if (!isSpecDocument(doc)) {
      this.diagnostics.delete(doc.uri);
      return;
    }
    const version = doc.version;
    const parsed = this.parses.get(doc);
    let found = loadEngine().diagnoseParsedSpec(parsed);
    // In a plain YAML file the YAML extension (when installed) reports syntax errors itself.
    if (doc.languageId === 'yaml' && vscode.extensions.getExtension('redhat.vscode-yaml')) found = found.filter((d) => !d.code.startsWith('yaml-') && d.code !== 'multiple-documents');
    this.diagnostics.set(doc.uri, found.map(toDiagnostic));
    const spec = loadEngine().specValue(parsed);
    if (!spec) return;
    // The same cluster checks as the form and Create and launch (ClusterChecks), placed on the text.
    const cluster = await this.checks.findings(spec);
    if (doc.isClosed || doc.version !== version || cluster.length === 0) return;
    this.diagnostics.set(doc.uri, [...found, ...cluster.map((f) => loadEngine().findingToDiagnostic(parsed, f))].map(toDiagnostic));
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    for (const s of this.subscriptions) s.dispose();
    this.diagnostics.dispose();
  }
}
