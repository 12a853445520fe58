import type * as vscode from 'vscode';
import { loadEngine } from '../../bundles/loadEngine';
import type { ParsedSpec } from '../../core/spec/specDocument';

/** Parses each document version once; every provider and the spec commands share the result. */
export class ParseCache {
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
