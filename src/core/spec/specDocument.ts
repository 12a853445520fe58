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
  /** Syntax errors past the first few hundred, counted but not described. */
  omittedErrors?: number;
}

/** Syntax errors described in full; a wall of them is counted after this many. */
const MaxSyntaxDetails = 500;

/** The limits that keep the work and the output bounded on any input (documented in the README). */
export const SpecLimits = {
  /** A revision is stored in a ConfigMap, which holds at most 1 MiB. */
  maxBytes: 1024 * 1024,
  /** Collections inside collections; a spec needs about six. */
  maxDepth: 64,
  /** Values (lines with content, flow items) read at all: bounds the parser's time and memory; a large spec has a few hundred. */
  maxValues: 10_000,
  /** Syntax marks outside quotes, comments and block scalars (`[]{},?|>&*!%@` and `: `/`- `): bounds the parser's work on garbage. */
  maxMarks: 200_000,
  /** Values aliases add once expanded: stops "billion laughs" documents, allows any real reuse. */
  maxAliasValues: 100_000,
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
  /** Aliases add more than the limit of values once expanded. */
  tooLarge?: boolean;
  /** An alias that refers to a node containing it. */
  cyclic?: Node;
  /** An alias with no anchor before it. */
  unresolved?: Node;
  duplicates: Array<{ key: Node; text: string }>;
  /** What each alias refers to: the last node with its anchor before it, as YAML says. */
  aliasTargets: Map<Node, Node>;
}

/** A key as text; a `<<` merge key is a symbol in yaml's tree. */
function keyText(value: unknown): string {
  if (typeof value === 'symbol') return value.description ?? '';
  return value === null || value === undefined ? '' : String(value);
}

const isMergeKey = (key: unknown): boolean => isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';

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
 * One pass over the document in document order, without recursion (so no depth can overflow the
 * stack): the nesting depth, the values aliases add once expanded (sizes memoised, so linear in
 * the source), alias cycles, duplicate keys (a set per mapping; yaml's own check is quadratic)
 * and each alias's target (yaml resolves an alias by scanning the document, quadratic too).
 */
function measureShape(doc: Document.Parsed): Shape {
  const shape: Shape = { duplicates: [], aliasTargets: new Map() };
  const root = doc.contents as Node | null;
  if (!root) return shape;
  const anchors = new Map<string, Node>();
  const size = new Map<Node, number>();
  const open = new Set<Node>();
  const stack: Array<{ node: Node; kids: Node[]; next: number }> = [];
  const target = (node: Node): Node | undefined => (isAlias(node) ? shape.aliasTargets.get(node) : node);
  const push = (node: Node): void => {
    if (isAlias(node)) {
      const found = anchors.get(node.source);
      if (!found) {
        shape.unresolved ??= node;
        return;
      }
      shape.aliasTargets.set(node, found);
      if (open.has(found)) shape.cyclic ??= node;
      return;
    }
    if (node.anchor) anchors.set(node.anchor, node);
    if (!isMap(node) && !isSeq(node)) {
      size.set(node, 1);
      return;
    }
    if (stack.length >= SpecLimits.maxDepth) {
      shape.tooDeep ??= node;
      return;
    }
    open.add(node);
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const item of node.items) {
        if (!isPair(item) || !isScalar(item.key) || isMergeKey(item.key)) continue;
        const text = keyText(item.key.value);
        if (seen.has(text)) shape.duplicates.push({ key: item.key as Node, text });
        seen.add(text);
      }
    }
    stack.push({ node, kids: children(node), next: 0 });
  };
  push(root);
  let sourceValues = 0;
  while (stack.length > 0 && !shape.tooDeep && !shape.cyclic) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    if (frame.next < frame.kids.length) {
      push(frame.kids[frame.next++] as Node);
      continue;
    }
    let total = 1;
    for (const kid of frame.kids) {
      const resolved = target(kid);
      total += resolved ? (size.get(resolved) ?? 1) : 1;
    }
    size.set(frame.node, total);
    open.delete(frame.node);
    stack.pop();
  }
  for (const node of size.keys()) if (!isAlias(node)) sourceValues++;
  const expanded = size.get(root) ?? 1;
  if (expanded - sourceValues > SpecLimits.maxAliasValues) shape.tooLarge = true;
  return shape;
}

/**
 * What would make the YAML parser itself slow or hungry, found in one cheap pass before parsing:
 * nesting (it recurses per level) by flow brackets (`[[[[`, `{a: {a:`) and compact sequences on
 * one line (`- - - -`), and the number of values (its syntax tree takes about a kilobyte per
 * value while it parses). Brackets count only where a flow collection can start; text inside
 * quotes, comments and block scalars is skipped. `deepAt` is the offset where the depth passes
 * the limit, or -1; `values` estimates the values (lines with content, flow items).
 */
export function prescanYaml(text: string, limit: number = SpecLimits.maxDepth): { deepAt: number; values: number; marks: number } {
  let values = 0;
  let marks = 0;
  let depth = 0;
  let quote: '"' | "'" | undefined;
  let blockIndent = -1;
  let lineIndent = 0;
  let atLineStart = true;
  let lastSignificant = '\n';
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\n' || c === '\r') {
      atLineStart = true;
      lastSignificant = '\n';
      continue;
    }
    if (atLineStart) {
      let j = i;
      while (text[j] === ' ') j++;
      lineIndent = j - i;
      const blank = j >= text.length || text[j] === '\n' || text[j] === '\r';
      if (blockIndent >= 0 && quote === undefined && depth === 0) {
        if (blank || lineIndent > blockIndent) {
          const end = text.indexOf('\n', j);
          i = end === -1 ? text.length : end - 1;
          continue;
        }
        blockIndent = -1;
      }
      atLineStart = false;
      if (!blank && text[j] !== '#') values++;
      if (quote === undefined && depth === 0) {
        // `- - - x` and `? ? x`: each indicator opens a level of its own.
        let k = j;
        let compact = 0;
        while ((text[k] === '-' || text[k] === '?') && (text[k + 1] === ' ' || text[k + 1] === '\t')) {
          compact++;
          k += 2;
          while (text[k] === ' ') k++;
        }
        if (compact > limit) return { deepAt: k, values, marks };
        values += Math.max(0, compact - 1);
      }
      i = j - 1;
      continue;
    }
    if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = undefined;
      continue;
    }
    if (quote === "'") {
      if (c === "'" && text[i + 1] === "'") i++;
      else if (c === "'") quote = undefined;
      continue;
    }
    if (c === ' ' || c === '\t') continue;
    if ('[]{},?|>&*!%@`'.includes(c) || ((c === ':' || c === '-') && (text[i + 1] === ' ' || text[i + 1] === '\n' || i + 1 === text.length))) marks++;
    const tokenStart = depth > 0 ? '[{,:?\n'.includes(lastSignificant) || lastSignificant === '-' : ':-?\n'.includes(lastSignificant);
    if (c === '#' && (text[i - 1] === ' ' || text[i - 1] === '\t' || lastSignificant === '\n')) {
      const end = text.indexOf('\n', i);
      i = end === -1 ? text.length : end - 1;
      continue;
    }
    if ((c === '"' || c === "'") && tokenStart) {
      quote = c;
      lastSignificant = c;
      continue;
    }
    if ((c === '[' || c === '{') && (depth > 0 || tokenStart)) {
      depth++;
      values++;
      if (depth > limit) return { deepAt: i, values, marks };
    } else if ((c === ']' || c === '}') && depth > 0) {
      depth--;
    } else if (c === ',' && depth > 0) {
      values++;
    } else if ((c === '|' || c === '>') && depth === 0 && tokenStart) {
      blockIndent = lineIndent;
    }
    lastSignificant = c;
  }
  return { deepAt: -1, values, marks };
}

/**
 * The document as plain JavaScript values, with `<<` merge keys applied (explicit keys win, then
 * the first merge), aliases resolved from the anchor map (each target converted once and shared,
 * as yaml does) and keys as text. Linear in the document, unlike yaml's own alias resolution.
 */
function plainValue(doc: Document.Parsed, aliasTargets: Map<Node, Node>, text: string): unknown {
  const done = new Map<Node, unknown>();
  const convert = (node: Node | null | undefined): unknown => {
    if (node === null || node === undefined) return null;
    const source = isAlias(node) ? aliasTargets.get(node) : node;
    if (!source) throw new Error(`the alias *${(node as { source?: string }).source ?? ''} has no anchor before it`);
    if (done.has(source)) return done.get(source);
    let value: unknown;
    if (isMap(source)) {
      const object: Record<string, unknown> = {};
      done.set(source, object);
      const merged: Array<Record<string, unknown>> = [];
      for (const item of source.items) {
        if (!isPair(item)) continue;
        const key = item.key as Node | null;
        if (isMergeKey(key)) {
          const from = item.value as Node | null;
          const resolved = from && isAlias(from) ? aliasTargets.get(from) : from;
          const list = resolved && isSeq(resolved) ? (resolved.items as Node[]) : [from as Node];
          for (const entry of list) {
            const part = convert(entry);
            if (typeof part !== 'object' || part === null || Array.isArray(part)) throw new Error('a << merge key takes a mapping or a list of mappings');
            merged.push(part as Record<string, unknown>);
          }
          continue;
        }
        const name = key === null ? '' : isScalar(key) ? keyText(key.value) : text.slice(key.range?.[0] ?? 0, key.range?.[1] ?? 0);
        Object.defineProperty(object, name, { value: convert(item.value as Node | null), writable: true, enumerable: true, configurable: true });
      }
      for (const part of merged) {
        for (const [k, v] of Object.entries(part)) {
          if (!Object.prototype.hasOwnProperty.call(object, k)) Object.defineProperty(object, k, { value: v, writable: true, enumerable: true, configurable: true });
        }
      }
      value = object;
    } else if (isSeq(source)) {
      const list: unknown[] = [];
      done.set(source, list);
      for (const item of source.items) list.push(convert(item as Node | null));
      value = list;
    } else {
      value = isScalar(source) ? source.value : null;
      done.set(source, value);
    }
    return value;
  };
  return convert(doc.contents as Node | null);
}

/** Per parsed spec: alias targets and, per mapping, its keys, so locating a finding is O(depth). */
const Indexes = new WeakMap<ParsedSpec, { aliasTargets: Map<Node, Node>; keys: WeakMap<Node, Map<string, Pair<Node, Node | null>>> }>();

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
  const { deepAt, values, marks } = prescanYaml(text);
  if (deepAt !== -1) return refuse('nesting-too-deep', tooDeep, deepAt);
  if (values > SpecLimits.maxValues) {
    return refuse('too-many-values', `the YAML holds about ${values.toLocaleString('en')} values, more than the ${SpecLimits.maxValues.toLocaleString('en')} this tool reads (no revision spec needs as many): remove what is not part of the spec.`);
  }
  if (marks > SpecLimits.maxMarks) {
    return refuse('too-many-values', `the YAML has ${marks.toLocaleString('en')} syntax marks ([, {, :, - and the like), more than the ${SpecLimits.maxMarks.toLocaleString('en')} this tool reads: this does not look like a revision spec.`);
  }
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
  let exhausted: number | undefined;
  let omitted = 0;
  for (const doc of documents) {
    let quotes: Array<[number, number]> | undefined;
    for (const error of doc.errors) {
      if (error.code === 'RESOURCE_EXHAUSTION') {
        exhausted ??= error.pos[0];
        continue;
      }
      // Only the first are shown; past a few hundred, the rest are only counted.
      if (syntax.length >= MaxSyntaxDetails) {
        omitted++;
        continue;
      }
      const [start, end] = locateYamlError(() => (quotes ??= quotedScalars(doc)), error.code, error.message, error.pos);
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
  if (exhausted !== undefined || deepNode !== undefined) {
    const at = Math.min(exhausted ?? Infinity, deepNode ?? Infinity);
    return { text, document, lineCounter, value: undefined, syntax: [{ severity: 'error', code: 'nesting-too-deep', message: tooDeep, range: toRange(at, Math.max(at, lineEnd(text, at))) }] };
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

/** The ranges of a document's quoted scalars, in order: collected once, when a quote error needs them. */
function quotedScalars(doc: Document.Parsed): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const visit: Node[] = doc.contents ? [doc.contents as Node] : [];
  while (visit.length > 0) {
    const node = visit.pop() as Node;
    if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range) out.push([node.range[0], node.range[1]]);
    for (const kid of children(node)) visit.push(kid);
  }
  return out.sort((a, b) => a[0] - b[0]);
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
  for (const finding of findSpecProblems(parsed.value, options)) {
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
