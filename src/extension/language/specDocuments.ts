import * as vscode from 'vscode';
import { declaresRevisionSpec } from '../../core/language/specDeclaration';
import type { Range, SpecDiagnostic } from '../../core/spec/specDocument';
import { Settings } from '../common/settings';
import { LanguageId } from '../ids';

/** The `source` of our diagnostics, so quick fixes act only on those. */
export const DiagnosticSource = 'Serve Revisions';

/** Both languages our providers register for; isSpecDocument says which documents they act on. */
export const SpecSelector: vscode.DocumentSelector = [{ language: LanguageId }, { language: 'yaml' }];

/** A revision spec our features act on: our language, or (in "diagnose" mode) a plain YAML file declaring the apiVersion. */
export function isSpecDocument(doc: vscode.TextDocument): boolean {
  if (doc.languageId === LanguageId) return true;
  return doc.languageId === 'yaml' && Settings.plainYamlSpecs() === 'diagnose' && declaresRevisionSpec(doc.getText());
}

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toDiagnostic(d: SpecDiagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(d.range), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diagnostic.source = DiagnosticSource;
  diagnostic.code = d.code;
  return diagnostic;
}
