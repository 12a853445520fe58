/**
 * The providers of revision specs — completion (schema and live cluster), hover, quick fixes and
 * the CodeLens actions — adapting the pure ones in src/core/language to VS Code.
 */
import * as vscode from 'vscode';
import { loadEngine } from '../../bundles/loadEngine';
import { codeLensLine, declaredKind } from '../../core/language/specDeclaration';
import type { ClusterLookup } from '../../core/language/clusterLookup';
import type { SpecCompletion } from '../../core/language/completion';
import type { ClusterSession } from '../common/clusterSession';
import { CommandIds } from '../ids';
import { storedSpecRef } from '../tree/storedSpecProvider';
import type { ParseCache } from './parseCache';
import { DiagnosticSource, isSpecDocument, SpecSelector, toRange } from './specDocuments';

/** How long completion waits for a cluster lookup that is not cached yet, before answering without it. */
const CompletionClusterWaitMs = 300;

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

function completionProvider(session: ClusterSession): vscode.CompletionItemProvider {
  return {
    async provideCompletionItems(doc, position, token, completionContext) {
      if (!isSpecDocument(doc)) return undefined;
      const before = doc.lineAt(position.line).text.slice(0, position.character);
      // A space only asks for values right after `key: ` or a new list item.
      if (completionContext.triggerCharacter === ' ' && !/(:|^\s*-) $/.test(before)) return undefined;
      const text = doc.getText();
      const lookups = session.getLookups();
      const options = { defaultNamespace: session.namespaceFor(), ...(lookups ? { cluster: (l: ClusterLookup) => lookups.peek(l) } : {}) };
      let result = loadEngine().completeSpec(text, position, options);
      if (lookups && result.pending.length > 0) {
        await Promise.all(result.pending.map((l) => lookups.wait(l, CompletionClusterWaitMs)));
        if (token.isCancellationRequested) return undefined;
        result = loadEngine().completeSpec(text, position, options);
      }
      return result.items.map(toCompletionItem);
    },
  };
}

function quickFixProvider(parses: ParseCache): vscode.CodeActionProvider {
  return {
    provideCodeActions(doc, range, actionContext) {
      if (!isSpecDocument(doc)) return undefined;
      const ours = actionContext.diagnostics.filter((d) => d.source === DiagnosticSource);
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
  };
}

/**
 * The spec actions above `apiVersion`: they run the spec commands on this document. A stored
 * spec (read-only, already a revision) offers Reproduce instead of creating it again.
 */
const codeLensProvider: vscode.CodeLensProvider = {
  provideCodeLenses(doc) {
    if (!isSpecDocument(doc)) return [];
    const line = codeLensLine(doc.getText());
    const range = new vscode.Range(line, 0, line, 0);
    const stored = storedSpecRef(doc.uri);
    if (stored) return [new vscode.CodeLens(range, { title: `Reproduce #${stored.revision} of ${stored.service}…`, command: CommandIds.reproduceInForm, arguments: [stored] })];
    if (declaredKind(doc.getText()) === 'Service') {
      return [
        new vscode.CodeLens(range, { title: 'Apply service settings', command: CommandIds.applyServiceSpec, arguments: [doc.uri] }),
        new vscode.CodeLens(range, { title: 'Show rendered objects', command: CommandIds.showRenderedObjects, arguments: [doc.uri] }),
      ];
    }
    return [
      new vscode.CodeLens(range, { title: 'Create revision', command: CommandIds.createRevisionFromSpec, arguments: [doc.uri] }),
      new vscode.CodeLens(range, { title: 'Create and launch', command: CommandIds.createAndLaunchFromSpec, arguments: [doc.uri] }),
      new vscode.CodeLens(range, { title: 'Dry-run on the cluster', command: CommandIds.dryRunSpec, arguments: [doc.uri] }),
      new vscode.CodeLens(range, { title: 'Show rendered objects', command: CommandIds.showRenderedObjects, arguments: [doc.uri] }),
    ];
  },
};

export function registerSpecProviders(context: vscode.ExtensionContext, session: ClusterSession, parses: ParseCache): void {
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(SpecSelector, completionProvider(session), ' '),
    vscode.languages.registerHoverProvider(SpecSelector, {
      provideHover(doc, position) {
        if (!isSpecDocument(doc)) return undefined;
        const hover = loadEngine().hoverSpec(parses.get(doc), position);
        return hover ? new vscode.Hover(new vscode.MarkdownString(hover.markdown), toRange(hover.range)) : undefined;
      },
    }),
    vscode.languages.registerCodeActionsProvider(SpecSelector, quickFixProvider(parses), { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
    vscode.languages.registerCodeLensProvider(SpecSelector, codeLensProvider),
  );
}
