/**
 * A revision spec as YAML text: parsing with source positions, and diagnostics placed on the
 * key or value they are about.
 */
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { type SpecFinding, type SpecFix, type SpecPath, type Severity } from './semanticChecks';
import { findSpecProblems } from './validateSpec';

/** Zero-based line and character, as VS Code and the language server protocol count them. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface SpecDiagnostic {
  severity: Severity;
  message: string;
  range: Range;
  code: string;
  /** The spec path the diagnostic is about; absent for YAML syntax errors. */
  path?: SpecPath;
  fixes?: SpecFix[];
}

export interface ParsedSpec {
  text: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
  /** The plain value, or undefined when the YAML could not be turned into one. */
  value: unknown;
  /** YAML syntax problems (and document-level ones like a second document). */
  syntax: SpecDiagnostic[];
}

/** Aliases expand on conversion; bounding them stops "billion laughs" documents. */
const MaxAliasCount = 100;

export function parseSpecText(text: string): ParsedSpec {
  const lineCounter = new LineCounter();
  // logLevel 'error': odd input (e.g. a list used as a key) is reported as a diagnostic, not as a process warning.
  const documents = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false, logLevel: 'error' });
  repairLineCounter(lineCounter, text);
  const toRange = (start: number, end: number): Range => offsetsToRange(lineCounter, text, start, end);
  const syntax: SpecDiagnostic[] = [];
  // parseAllDocuments returns an EmptyStream (an array with no documents) for an empty text.
  const all = Array.isArray(documents) ? documents : [documents];
  const document = all[0] ?? parseDocument('');
  for (const doc of all) {
    for (const error of doc.errors) {
      syntax.push({ severity: 'error', code: `yaml-${error.code}`, message: describeYamlError(error.code, error.message), range: toRange(error.pos[0], error.pos[1]) });
    }
    for (const warning of doc.warnings) {
      syntax.push({ severity: 'warning', code: `yaml-${warning.code}`, message: warning.message.split('\n')[0] ?? warning.message, range: toRange(warning.pos[0], warning.pos[1]) });
    }
  }
  for (const extra of all.slice(1)) {
    const start = extra.range[0];
    syntax.push({ severity: 'error', code: 'multiple-documents', message: 'a spec file holds one revision: move this document to a file of its own.', range: toRange(start, Math.max(start, lineEnd(text, start))) });
  }
  let value: unknown;
  {
    try {
      value = document.toJS({ maxAliasCount: MaxAliasCount });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      syntax.push({ severity: 'error', code: 'yaml-alias', message: `the YAML cannot be expanded: ${message}. Use fewer aliases.`, range: toRange(0, lineEnd(text, 0)) });
    }
  }
  return { text, document, lineCounter, value, syntax };
}

/**
 * yaml's LineCounter can miss a line break while the parser recovers from some errors (seen by
 * the fuzz test in test/unit/fuzz), which would put later ranges on the wrong line; recount then.
 */
function repairLineCounter(lineCounter: LineCounter, text: string): void {
  let breaks = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) breaks++;
  if (lineCounter.lineStarts.length === breaks + 1) return;
  lineCounter.lineStarts.length = 0;
  lineCounter.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineCounter.addNewLine(i + 1);
}

function describeYamlError(code: string, message: string): string {
  const first = message.split('\n')[0] ?? message;
  if (code === 'DUPLICATE_KEY') return `${first}: a field may appear once in a mapping; remove or rename one of them.`;
  if (code === 'BAD_INDENT' || code === 'MISSING_CHAR' || code === 'BLOCK_AS_IMPLICIT_KEY') return `YAML syntax: ${first}. Check the indentation of this line against its neighbours.`;
  return `YAML syntax: ${first}`;
}

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline;
}

export function offsetsToRange(lineCounter: LineCounter, text: string, start: number, end: number): Range {
  const clamp = (offset: number): number => Math.max(0, Math.min(offset, text.length));
  const toPosition = (offset: number): Position => {
    const { line, col } = lineCounter.linePos(clamp(offset));
    return { line: line - 1, character: col - 1 };
  };
  return { start: toPosition(start), end: toPosition(Math.max(start, end)) };
}

/** The pair holding `segment` in a map node, comparing keys as text (YAML keys may be numbers). */
function findPair(map: Node, segment: string | number): Pair<Node, Node | null> | undefined {
  if (!isMap(map)) return undefined;
  for (const item of map.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === String(segment)) return item as Pair<Node, Node | null>;
  }
  return undefined;
}

/**
 * The source offsets of what a finding is about: the value at `path`, or its key. Where the path
 * does not exist (a missing field), the nearest existing ancestor's key is used.
 */
export function locate(parsed: ParsedSpec, path: SpecPath, target: 'key' | 'value'): [number, number] {
  const { document, text } = parsed;
  let node: Node | null | undefined = document.contents as Node | null;
  let pair: Pair<Node, Node | null> | undefined;
  let ancestorKey: Pair<Node, Node | null> | undefined;
  let lastItem: Node | undefined;
  for (const segment of path) {
    if (node && isMap(node)) {
      const found = findPair(node, segment);
      if (!found) {
        node = undefined;
        break;
      }
      pair = found;
      ancestorKey = found;
      lastItem = undefined;
      node = found.value;
    } else if (node && isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment] as Node | undefined;
      if (!item) {
        node = undefined;
        break;
      }
      pair = undefined;
      lastItem = item;
      node = item;
    } else {
      node = undefined;
      break;
    }
  }
  const keyRange = (p: Pair<Node, Node | null>): [number, number] | undefined => (p.key?.range ? [p.key.range[0], p.key.range[1]] : undefined);
  if (node !== undefined && node !== null) {
    const isCollection = isMap(node) || isSeq(node);
    if ((target === 'key' || isCollection) && pair) return keyRange(pair) ?? firstLine(node, text);
    if (isCollection) return firstLine(lastItem ?? node, text);
    if (node.range) return [node.range[0], node.range[1]];
  }
  if (node === null && pair) return keyRange(pair) ?? [0, lineEnd(text, 0)];
  if (ancestorKey) return keyRange(ancestorKey) ?? [0, lineEnd(text, 0)];
  if (lastItem) return firstLine(lastItem, text);
  const contents = document.contents as Node | null;
  const start = contents?.range?.[0] ?? 0;
  return [start, lineEnd(text, start)];
}

function firstLine(node: Node, text: string): [number, number] {
  const start = node.range?.[0] ?? 0;
  return [start, Math.max(start, Math.min(lineEnd(text, start), node.range?.[1] ?? start))];
}

export function findingToDiagnostic(parsed: ParsedSpec, finding: SpecFinding): SpecDiagnostic {
  const [start, end] = locate(parsed, finding.path, finding.target);
  const diagnostic: SpecDiagnostic = {
    severity: finding.severity,
    message: finding.message,
    code: finding.code,
    path: finding.path,
    range: offsetsToRange(parsed.lineCounter, parsed.text, start, end),
  };
  if (finding.fixes) diagnostic.fixes = finding.fixes;
  return diagnostic;
}

/** Every diagnostic of a spec text, in document order. YAML syntax errors stop further checks. */
export function diagnoseSpecText(text: string): SpecDiagnostic[] {
  const parsed = parseSpecText(text);
  return diagnoseParsedSpec(parsed);
}

export function diagnoseParsedSpec(parsed: ParsedSpec): SpecDiagnostic[] {
  const errors = parsed.syntax.filter((d) => d.severity === 'error');
  if (errors.length > 0 || parsed.value === undefined) return sortDiagnostics(parsed.syntax);
  if (parsed.value === null) {
    const end = lineEnd(parsed.text, 0);
    return [{ severity: 'error', code: 'empty-spec', message: 'the spec is empty: start with "apiVersion: serve-revisions/v1", "kind: Revision", then service, message and image.', range: offsetsToRange(parsed.lineCounter, parsed.text, 0, end) }];
  }
  const findings = findSpecProblems(parsed.value);
  return sortDiagnostics([...parsed.syntax, ...findings.map((f) => findingToDiagnostic(parsed, f))]);
}

function sortDiagnostics(diagnostics: SpecDiagnostic[]): SpecDiagnostic[] {
  return diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
