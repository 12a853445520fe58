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
import { SpecLimits } from './specLimits';
import { prescanYaml, utf8Length } from './yamlPrescan';
import { isEmptyDocument, keyText, measureShape, plainValue, quotedScalars } from './yamlTree';
import { escapeControl } from '../escapeText';
import { quoted } from './messageText';
import { type CheckOptions, type SpecFinding, type SpecFix, type SpecPath, type Severity } from './semanticChecks';
import { findDocumentProblems } from './validateSpec';

export { SpecLimits } from './specLimits';

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
  /** Syntax errors past the first few hundred, counted but not described. */
  omittedErrors?: number;
}

/** Syntax errors described in full; a wall of them is counted after this many. */
const MaxSyntaxDetails = 500;

/** Per parsed spec: alias targets and, per mapping, its keys, so locating a finding is O(depth). */
const Indexes = new WeakMap<ParsedSpec, { aliasTargets: Map<Node, Node>; keys: WeakMap<Node, Map<string, Pair<Node, Node | null>>> }>();

const TooDeep = `the YAML nests collections more than ${SpecLimits.maxDepth} levels deep, which no revision spec needs: check the brackets and indentation from here.`;

/** What refuses a text before it is parsed: its size, its nesting, the number of values or syntax marks. */
function beforeParsing(text: string): { code: string; message: string; at?: number } | undefined {
  const bytes = utf8Length(text);
  if (bytes > SpecLimits.maxBytes) {
    return { code: 'file-too-large', message: `the file is ${(bytes / 1024 / 1024).toFixed(1)} MiB: a revision spec is at most 1 MiB, the most a Kubernetes ConfigMap (the revision's record) can hold.` };
  }
  const { deepAt, values, marks } = prescanYaml(text);
  if (deepAt !== -1) return { code: 'nesting-too-deep', message: TooDeep, at: deepAt };
  if (values > SpecLimits.maxValues) {
    return { code: 'too-many-values', message: `the YAML holds about ${values.toLocaleString('en')} values, more than the ${SpecLimits.maxValues.toLocaleString('en')} this tool reads (no revision spec needs as many): remove what is not part of the spec.` };
  }
  if (marks > SpecLimits.maxMarks) {
    return { code: 'too-many-values', message: `the YAML has ${marks.toLocaleString('en')} syntax marks ([, {, :, - and the like), more than the ${SpecLimits.maxMarks.toLocaleString('en')} this tool reads: this does not look like a revision spec.` };
  }
  return undefined;
}

/**
 * yaml's errors and warnings as diagnostics, the first few hundred in full (one more than the
 * limit, so the caller can tell that some were left out). A stack overflow while composing is
 * nesting too deep, reported apart.
 */
function collectYamlErrors(documents: Document.Parsed[], syntax: SpecDiagnostic[], toRange: (start: number, end: number) => Range): { exhausted?: number; omitted: number } {
  let exhausted: number | undefined;
  let omitted = 0;
  for (const doc of documents) {
    let quotes: Array<[number, number]> | undefined;
    for (const error of doc.errors) {
      if (error.code === 'RESOURCE_EXHAUSTION') {
        exhausted ??= error.pos[0];
        continue;
      }
      if (syntax.length > MaxSyntaxDetails) {
        omitted++;
        continue;
      }
      const [start, end] = locateYamlError(() => (quotes ??= quotedScalars(doc)), error.code, error.message, error.pos);
      syntax.push({ severity: 'error', code: `yaml-${error.code}`, message: describeYamlError(error.code, error.message), range: toRange(start, end) });
    }
    for (const warning of doc.warnings) {
      if (syntax.length > MaxSyntaxDetails) continue;
      syntax.push({ severity: 'warning', code: `yaml-${warning.code}`, message: escapeControl(warning.message.split('\n')[0] ?? warning.message), range: toRange(warning.pos[0], warning.pos[1]) });
    }
  }
  return { ...(exhausted !== undefined ? { exhausted } : {}), omitted };
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
  const refusal = beforeParsing(text);
  if (refusal) return refuse(refusal.code, refusal.message, refusal.at);
  let documents: Document.Parsed[];
  try {
    // logLevel 'error': odd input (e.g. a list used as a key) is reported as a diagnostic, not as a process warning.
    const parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: false, merge: true, prettyErrors: false, logLevel: 'error' });
    // parseAllDocuments returns an EmptyStream (an array with no documents) for an empty text.
    documents = Array.isArray(parsed) ? parsed : [parsed];
  } catch (error) {
    if (error instanceof RangeError) return refuse('nesting-too-deep', TooDeep);
    return refuse('yaml-unreadable', `the YAML could not be read: ${escapeControl(String(error instanceof Error ? error.message : error).split('\n')[0] ?? '')}.`);
  }
  repairLineCounter(lineCounter, text);
  const nonEmpty = documents.filter((doc) => !isEmptyDocument(doc));
  const document = nonEmpty[0] ?? documents[0] ?? parseDocument('');
  const { exhausted, omitted: notDescribed } = collectYamlErrors(documents, syntax, toRange);
  let omitted = notDescribed + (syntax.length > MaxSyntaxDetails ? syntax.splice(MaxSyntaxDetails).length : 0);
  for (const extra of nonEmpty.slice(1)) {
    const start = extra.range[0];
    syntax.push({ severity: 'error', code: 'multiple-documents', message: 'a spec file holds one revision: move this document to a file of its own.', range: toRange(start, Math.max(start, lineEnd(text, start))) });
  }
  const shape = measureShape(document);
  const deepNode = shape.tooDeep?.range?.[0];
  if (exhausted !== undefined || deepNode !== undefined) {
    const at = Math.min(exhausted ?? Infinity, deepNode ?? Infinity);
    return { text, document, lineCounter, value: undefined, syntax: [{ severity: 'error', code: 'nesting-too-deep', message: TooDeep, range: toRange(at, Math.max(at, lineEnd(text, at))) }] };
  }
  for (const { key, text: name } of shape.duplicates) {
    if (syntax.length >= MaxSyntaxDetails) {
      omitted++;
      continue;
    }
    const [start, end] = key.range ?? [0, 0];
    syntax.push({ severity: 'error', code: 'yaml-DUPLICATE_KEY', message: `the field ${quoted(name)} appears twice in this mapping: a field may appear once; remove or rename one of them.`, range: toRange(start, end) });
  }
  const aliasProblem = (node: Node, message: string): void => {
    const at = node.range?.[0] ?? 0;
    syntax.push({ severity: 'error', code: 'yaml-alias', message, range: toRange(at, Math.max(at, node.range?.[1] ?? at)) });
  };
  if (shape.cyclic) aliasProblem(shape.cyclic, 'this alias refers to a collection that contains it, which has no end when expanded: refer to something outside it.');
  else if (shape.unresolved) aliasProblem(shape.unresolved, `the alias ${quoted((shape.unresolved as { source?: string }).source ?? '')} has no anchor before it: define it with "&name" first.`);
  else if (shape.tooLarge) aliasProblem(document.contents as Node, `aliases make this YAML more than ${SpecLimits.maxAliasValues.toLocaleString('en')} values larger once expanded, which no revision spec needs: use fewer aliases of aliases.`);
  let value: unknown;
  // A document with errors is not converted: the value would be thrown away.
  if (!syntax.some((d) => d.severity === 'error')) {
    try {
      value = plainValue(document, shape.aliasTargets, text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      syntax.push({ severity: 'error', code: 'yaml-alias', message: `the YAML cannot be read as values: ${escapeControl(message.split('\n')[0] ?? '')}.`, range: toRange(0, lineEnd(text, 0)) });
    }
  }
  const parsed: ParsedSpec = { text, document, lineCounter, value, syntax, ...(omitted > 0 ? { omittedErrors: omitted } : {}) };
  Indexes.set(parsed, { aliasTargets: shape.aliasTargets, keys: new WeakMap() });
  return parsed;
}

/**
 * Where a YAML error is about. An unclosed quote is reported by the parser at the end of the
 * document; the quote that was never closed is what to point at.
 */
function locateYamlError(quotes: () => Array<[number, number]>, code: string, message: string, pos: [number, number]): [number, number] {
  if (code === 'MISSING_CHAR' && /quote/.test(message)) {
    // The last quoted scalar starting before the error that runs up to it.
    const list = quotes();
    let lo = 0;
    let hi = list.length - 1;
    let found: [number, number] | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const range = list[mid] as [number, number];
      if (range[0] < pos[0]) {
        found = range;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (found && found[1] >= pos[0]) return [found[0], found[0] + 1];
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

/** The alias's target, from the index built while parsing (yaml's own resolve scans the document). */
function resolveAlias(parsed: ParsedSpec, node: Node): Node | undefined {
  return Indexes.get(parsed)?.aliasTargets.get(node) ?? (isAlias(node) ? (node.resolve(parsed.document) as Node | undefined) : undefined);
}

/**
 * The pair holding `segment` in a map node, comparing keys as text (YAML keys may be numbers);
 * fields brought in by a `<<` merge key are found in what it merges. Keys are indexed per map on
 * first use, so many findings in a large mapping cost no more than one.
 */
function findPair(parsed: ParsedSpec, map: Node, segment: string | number, seen = new Set<Node>()): Pair<Node, Node | null> | undefined {
  if (!isMap(map) || seen.has(map)) return undefined;
  seen.add(map);
  const indexes = Indexes.get(parsed);
  let keys = indexes?.keys.get(map);
  if (!keys) {
    keys = new Map();
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key) && !keys.has(keyText(item.key.value))) keys.set(keyText(item.key.value), item as Pair<Node, Node | null>);
    }
    indexes?.keys.set(map, keys);
  }
  const own = keys.get(String(segment));
  if (own) return own;
  const merge = keys.get('<<');
  if (!merge?.value) return undefined;
  const from = isAlias(merge.value) ? resolveAlias(parsed, merge.value) : merge.value;
  const sources = from && isSeq(from) ? (from.items as Node[]) : [merge.value];
  for (const source of sources) {
    const target = isAlias(source) ? resolveAlias(parsed, source) : source;
    const found = target ? findPair(parsed, target, segment, seen) : undefined;
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
    if (node && isAlias(node)) node = resolveAlias(parsed, node) ?? node;
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
  if (errors.length > 0 || parsed.value === undefined) return bounded(sortDiagnostics(parsed.syntax).map((d) => ({ diagnostic: d })), parsed.omittedErrors ?? 0);
  if (parsed.value === null) {
    const end = lineEnd(parsed.text, 0);
    return [{ severity: 'error', code: 'empty-spec', message: 'the spec is empty: start with "apiVersion: serve-revisions/v1", "kind: Revision", then service, message and image.', range: offsetsToRange(parsed.lineCounter, parsed.text, 0, end) }];
  }
  // Every finding is placed (cheap), and only those shown get their message written.
  const placed: Placed[] = parsed.syntax.map((d) => ({ diagnostic: d }));
  for (const finding of findDocumentProblems(parsed.value, options)) {
    const [start, end] = locate(parsed, finding.path, finding.target);
    placed.push({ finding, range: offsetsToRange(parsed.lineCounter, parsed.text, start, end) });
  }
  placed.sort((a, b) => {
    const x = rangeOf(a).start;
    const y = rangeOf(b).start;
    return x.line - y.line || x.character - y.character;
  });
  return bounded(placed);
}

type Placed = { diagnostic: SpecDiagnostic } | { finding: SpecFinding; range: Range };

const rangeOf = (p: Placed): Range => ('diagnostic' in p ? p.diagnostic.range : p.range);
const severityOf = (p: Placed): Severity => ('diagnostic' in p ? p.diagnostic.severity : p.finding.severity);

function materialise(p: Placed): SpecDiagnostic {
  if ('diagnostic' in p) return p.diagnostic;
  const { finding, range } = p;
  const diagnostic: SpecDiagnostic = { severity: finding.severity, message: escapeControl(finding.message), code: finding.code, path: finding.path, range };
  if (finding.fixes) diagnostic.fixes = finding.fixes;
  return diagnostic;
}

/** The first findings, and one more that counts the rest (an error when any of the rest is one). */
function bounded(placed: Placed[], omittedErrors = 0): SpecDiagnostic[] {
  if (placed.length <= SpecLimits.maxFindings && omittedErrors === 0) return placed.map(materialise);
  const shown = placed.slice(0, SpecLimits.maxFindings).map(materialise);
  const rest = placed.slice(SpecLimits.maxFindings);
  const more = rest.length + omittedErrors;
  const restErrors = rest.filter((p) => severityOf(p) === 'error').length + omittedErrors;
  const last = shown[shown.length - 1] as SpecDiagnostic;
  shown.push({
    severity: restErrors > 0 ? 'error' : 'warning',
    code: 'more-findings',
    message: `… and ${more} more finding${more === 1 ? '' : 's'} (${restErrors} error${restErrors === 1 ? '' : 's'}) not shown: fix the ones above first.`,
    range: rest[0] ? rangeOf(rest[0]) : last.range,
  });
  return shown;
}

function sortDiagnostics(diagnostics: SpecDiagnostic[]): SpecDiagnostic[] {
  return diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
