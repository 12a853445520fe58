/**
 * Whether a text is a revision spec, and where its actions go: plain text tests with no import,
 * so the extension decides which files are specs without loading the spec engine (yaml and the
 * schema validator, dist/engine.js); the engine loads when a spec's diagnostics are first computed.
 */
import type { SpecDocumentKind } from '../spec/schemaFindings';

const DeclarationPattern = /^apiVersion:[ \t]*["']?serve-revisions\/v1["']?[ \t]*(#.*)?$/m;

/** A YAML text declares itself a revision spec by its apiVersion (looked for near the top). */
export function declaresRevisionSpec(text: string): boolean {
  return DeclarationPattern.test(text.slice(0, 4096));
}

/** The line the spec actions sit above: the apiVersion line, else the first line with content. */
export function codeLensLine(text: string): number {
  const lines = text.split(/\r?\n/);
  const api = lines.findIndex((l) => /^apiVersion:/.test(l));
  if (api !== -1) return api;
  const first = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  return first === -1 ? 0 : first;
}

/** The kind a spec text declares (`kind: Service` near the top), for completion before it parses and for the code lenses. */
export function declaredKind(text: string): SpecDocumentKind {
  return /^kind:[ \t]*["']?Service["']?[ \t]*(#.*)?$/m.test(text.slice(0, 8192)) ? 'Service' : 'Revision';
}
