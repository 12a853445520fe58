/**
 * A revision spec as YAML text: parsing with source positions, and diagnostics placed on the
 * key or value they are about.
 *
 * YAML is read as Kubernetes tooling reads it (`<<` merge keys, empty documents around the spec,
 * anchors used as often as wanted), and the work is bounded on any input: a file over 1 MiB is
 * refused unread, nesting deeper than 64 levels and alias expansion beyond 100,000 nodes give one
 * finding each, a document with syntax errors is never converted, and a file reports at most 50
 * findings. Every message is one line with control characters escaped.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, type Document, type Node, type Pair } from 'yaml';
import { escapeControl, quoted } from './messageText';
import { type CheckOptions, type SpecFinding, type SpecFix, type SpecPath, type Severity } from './semanticChecks';
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

/** The limits that keep the work and the output bounded on any input (documented in the README). */
export const SpecLimits = {
  /** A revision is stored in a ConfigMap, which holds at most 1 MiB. */
  maxBytes: 1024 * 1024,
  /** Collections inside collections; a spec needs about six. */
  maxDepth: 64,
  /** Nodes once every alias is expanded: stops "billion laughs" documents, allows any real reuse. */
  maxExpandedNodes: 100_000,
  /** Findings reported per file; the rest are counted in one last finding. */
  maxFindings: 50,
} as const;

/** The UTF-8 size of a text, without encoding it. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** An empty document (`---` with nothing or only comments after it): Kubernetes tooling skips these. */
function isEmptyDocument(doc: Document.Parsed): boolean {
  const contents = doc.contents as Node | null;
  return contents === null || (isScalar(contents) && contents.value === null && contents.tag === undefined && (contents.source === '' || contents.source === undefined));
}

interface Shape {
  /** The first node nested deeper than the limit. */
  tooDeep?: Node;
  /** The expanded size passed the limit. */
  tooLarge?: boolean;
  /** An alias that refers to a node containing it. */
  cyclic?: Node;
  duplicates: Array<{ key: Node; text: string }>;
}

function children(node: Node): Node[] {
  if (isMap(node)) {
    const out: Node[] = [];
    for (const item of node.items) {
      if (!isPair(item)) continue;
      if (item.key) out.push(item.key as Node);
      if (item.value) out.push(item.value as Node);
    }
    return out;
  }
  if (isSeq(node)) return node.items.filter((item): item is Node => item !== null && typeof item === 'object');
  return [];
}

/**
 * One pass over the document, without recursion (so no depth can overflow the stack): the
 * nesting depth, the size with aliases expanded (memoised, so linear in the source), alias
 * cycles and duplicate keys (with a set per mapping; yaml's own check is quadratic).
 */
function measureShape(doc: Document.Parsed): Shape {
  const shape: Shape = { duplicates: [] };
  const root = doc.contents as Node | null;
  if (!root) return shape;
  const size = new Map<Node, number>();
  const open = new Set<Node>();
  const stack: Array<{ node: Node; kids: Node[]; next: number; total: number }> = [];
  const push = (node: Node): void => {
    let target: Node = node;
    if (isAlias(node)) {
      const resolved = node.resolve(doc) as Node | undefined;
      if (!resolved) {
        size.set(node, 1);
        return;
      }
      target = resolved;
    }
    if (size.has(target)) return;
    if (open.has(target)) {
      shape.cyclic ??= node;
      return;
    }
    if (stack.length >= SpecLimits.maxDepth && !isScalar(target)) {
      shape.tooDeep ??= target;
      return;
    }
    open.add(target);
    if (isMap(target)) {
      const seen = new Set<string>();
      for (const item of target.items) {
        if (!isPair(item) || !isScalar(item.key)) continue;
        const text = String(item.key.value);
        if (text === '<<') continue;
        if (seen.has(text)) shape.duplicates.push({ key: item.key as Node, text });
        seen.add(text);
      }
    }
    stack.push({ node: target, kids: children(target), next: 0, total: 1 });
  };
  push(root);
  while (stack.length > 0 && !shape.tooDeep && !shape.cyclic && !shape.tooLarge) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    if (frame.next < frame.kids.length) {
      const kid = frame.kids[frame.next++] as Node;
      push(kid);
      continue;
    }
    for (const kid of frame.kids) {
      const target = isAlias(kid) ? ((kid.resolve(doc) as Node | undefined) ?? kid) : kid;
      frame.total += size.get(target) ?? 1;
    }
    size.set(frame.node, frame.total);
    open.delete(frame.node);
    stack.pop();
    if (frame.total > SpecLimits.maxExpandedNodes) shape.tooLarge = true;
  }
  return shape;
}

export function parseSpecText(text: string): ParsedSpec {
  const lineCounter = new LineCounter();
  const syntax: SpecDiagnostic[] = [];
  const toRange = (start: number, end: number): Range => offsetsToRange(lineCounter, text, start, end);
  const refuse = (code: string, message: string, at = 0): ParsedSpec => {
    repairLineCounter(lineCounter, text);
    const document = parseDocument('');
    return { text, document, lineCounter, value: undefined, syntax: [{ severity: 'error', code, message, range: toRange(at, Math.max(at, lineEnd(text, at))) }] };
  };
  const bytes = utf8Length(text);
  if (bytes > SpecLimits.maxBytes) {
    return refuse('file-too-large', `the file is ${(bytes / 1024 / 1024).toFixed(1)} MiB: a revision spec is at most 1 MiB, the most a Kubernetes ConfigMap (the revision's record) can hold.`);
  }
  const tooDeep = `the YAML nests collections more than ${SpecLimits.maxDepth} levels deep, which no revision spec needs: check the brackets and indentation from here.`;
  let documents: Document.Parsed[];
  try {
    // logLevel 'error': odd input (e.g. a list used as a key) is reported as a diagnostic, not as a process warning.
    const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: false, merge: true, prettyErrors: false, logLevel: 'error' });
    // parseAllDocuments returns an EmptyStream (an array with no documents) for an empty text.
    documents = Array.isArray(parsed) ? parsed : [parsed];
  } catch (error) {
    if (error instanceof RangeError) return refuse('nesting-too-deep', tooDeep);
    return refuse('yaml-unreadable', `the YAML could not be read: ${escapeControl(String(error instanceof Error ? error.message : error).split('\n')[0] ?? '')}.`);
  }
  repairLineCounter(lineCounter, text);
  const nonEmpty = documents.filter((doc) => !isEmptyDocument(doc));
  const document = nonEmpty[0] ?? documents[0] ?? parseDocument('');
  let deepAt: number | undefined;
  for (const doc of documents) {
    for (const error of doc.errors) {
      if (error.code === 'RESOURCE_EXHAUSTION') {
        deepAt ??= error.pos[0];
        continue;
      }
      const [start, end] = locateYamlError(doc, error.code, error.message, error.pos);
      syntax.push({ severity: 'error', code: `yaml-${error.code}`, message: describeYamlError(error.code, error.message), range: toRange(start, end) });
    }
    for (const warning of doc.warnings) {
      syntax.push({ severity: 'warning', code: `yaml-${warning.code}`, message: escapeControl(warning.message.split('\n')[0] ?? warning.message), range: toRange(warning.pos[0], warning.pos[1]) });
    }
  }
  for (const extra of nonEmpty.slice(1)) {
    const start = extra.range[0];
    syntax.push({ severity: 'error', code: 'multiple-documents', message: 'a spec file holds one revision: move this document to a file of its own.', range: toRange(start, Math.max(start, lineEnd(text, start))) });
  }
  const shape = measureShape(document);
  const deepNode = shape.tooDeep?.range?.[0];
  if (deepAt !== undefined || deepNode !== undefined) {
    const at = Math.min(deepAt ?? Infinity, deepNode ?? Infinity);
    return { text, document, lineCounter, value: undefined, syntax: [{ severity: 'error', code: 'nesting-too-deep', message: tooDeep, range: toRange(at, Math.max(at, lineEnd(text, at))) }] };
  }
  for (const { key, text: name } of shape.duplicates) {
    const [start, end] = key.range ?? [0, 0];
    syntax.push({ severity: 'error', code: 'yaml-DUPLICATE_KEY', message: `the field ${quoted(name)} appears twice in this mapping: a field may appear once; remove or rename one of them.`, range: toRange(start, end) });
  }
  if (shape.cyclic) {
    const at = shape.cyclic.range?.[0] ?? 0;
    syntax.push({ severity: 'error', code: 'yaml-alias', message: 'this alias refers to a collection that contains it, which has no end when expanded: refer to something outside it.', range: toRange(at, Math.max(at, lineEnd(text, at))) });
  } else if (shape.tooLarge) {
    syntax.push({ severity: 'error', code: 'yaml-alias', message: `the YAML grows to more than ${SpecLimits.maxExpandedNodes.toLocaleString('en')} values once its aliases are expanded, which no revision spec needs: use fewer aliases of aliases.`, range: toRange(0, lineEnd(text, 0)) });
  }
  let value: unknown;
  // A document with errors is not converted: the value would be thrown away.
  if (!syntax.some((d) => d.severity === 'error')) {
    try {
      value = document.toJS({ maxAliasCount: -1 });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      syntax.push({ severity: 'error', code: 'yaml-alias', message: `the YAML cannot be expanded: ${escapeControl(message.split('\n')[0] ?? '')}.`, range: toRange(0, lineEnd(text, 0)) });
    }
  }
  return { text, document, lineCounter, value, syntax };
}

/**
 * Where a YAML error is about. An unclosed quote is reported by the parser at the end of the
 * document; the quote that was never closed is what to point at.
 */
function locateYamlError(doc: Document.Parsed, code: string, message: string, pos: [number, number]): [number, number] {
  if (code === 'MISSING_CHAR' && /quote/.test(message)) {
    let found: [number, number] | undefined;
    const visit: Node[] = doc.contents ? [doc.contents as Node] : [];
    while (visit.length > 0 && !found) {
      const node = visit.pop() as Node;
      if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range && node.range[1] >= pos[0]) found = [node.range[0], node.range[0] + 1];
      visit.push(...children(node));
    }
    if (found) return found;
  }
  return pos;
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
  const first = escapeControl(message.split('\n')[0] ?? message);
  const quote = code === 'MISSING_CHAR' ? /closing (["'])quote/.exec(first)?.[1] : undefined;
  if (quote) return `YAML syntax: this quote is never closed: end the text with ${quote === '"' ? '"' : "'"} where it should stop (the rest of the file is read as part of it until then).`;
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

/**
 * The pair holding `segment` in a map node, comparing keys as text (YAML keys may be numbers);
 * fields brought in by a `<<` merge key are found in what it merges.
 */
function findPair(parsed: ParsedSpec, map: Node, segment: string | number): Pair<Node, Node | null> | undefined {
  if (!isMap(map)) return undefined;
  let merged: Node[] = [];
  for (const item of map.items) {
    if (!isPair(item) || !isScalar(item.key)) continue;
    if (String(item.key.value) === String(segment)) return item as Pair<Node, Node | null>;
    if (item.key.value === '<<' && item.value) merged = isSeq(item.value) ? (item.value.items as Node[]) : [item.value as Node];
  }
  for (const source of merged) {
    const target = isAlias(source) ? (source.resolve(parsed.document) as Node | undefined) : source;
    const found = target && target !== map ? findPair(parsed, target, segment) : undefined;
    if (found) return found;
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
    if (node && isAlias(node)) node = (node.resolve(document) as Node | undefined) ?? node;
    if (node && isMap(node)) {
      const found = findPair(parsed, node, segment);
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
    message: escapeControl(finding.message),
    code: finding.code,
    path: finding.path,
    range: offsetsToRange(parsed.lineCounter, parsed.text, start, end),
  };
  if (finding.fixes) diagnostic.fixes = finding.fixes;
  return diagnostic;
}

/** Every diagnostic of a spec text, in document order. YAML syntax errors stop further checks. */
export function diagnoseSpecText(text: string, options: CheckOptions = {}): SpecDiagnostic[] {
  return diagnoseParsedSpec(parseSpecText(text), options);
}

export function diagnoseParsedSpec(parsed: ParsedSpec, options: CheckOptions = {}): SpecDiagnostic[] {
  const errors = parsed.syntax.filter((d) => d.severity === 'error');
  if (errors.length > 0 || parsed.value === undefined) return bounded(sortDiagnostics(parsed.syntax));
  if (parsed.value === null) {
    const end = lineEnd(parsed.text, 0);
    return [{ severity: 'error', code: 'empty-spec', message: 'the spec is empty: start with "apiVersion: serve-revisions/v1", "kind: Revision", then service, message and image.', range: offsetsToRange(parsed.lineCounter, parsed.text, 0, end) }];
  }
  const findings = findSpecProblems(parsed.value, options);
  return bounded(sortDiagnostics([...parsed.syntax, ...findings.map((f) => findingToDiagnostic(parsed, f))]));
}

/** The first findings, and one more that counts the rest (an error when any of the rest is one). */
function bounded(diagnostics: SpecDiagnostic[]): SpecDiagnostic[] {
  if (diagnostics.length <= SpecLimits.maxFindings) return diagnostics;
  const shown = diagnostics.slice(0, SpecLimits.maxFindings);
  const rest = diagnostics.slice(SpecLimits.maxFindings);
  const restErrors = rest.filter((d) => d.severity === 'error').length;
  const first = rest[0] as SpecDiagnostic;
  shown.push({
    severity: restErrors > 0 ? 'error' : 'warning',
    code: 'more-findings',
    message: `… and ${rest.length} more finding${rest.length === 1 ? '' : 's'} (${restErrors} error${restErrors === 1 ? '' : 's'}) not shown: fix the ones above first.`,
    range: first.range,
  });
  return shown;
}

function sortDiagnostics(diagnostics: SpecDiagnostic[]): SpecDiagnostic[] {
  return diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
