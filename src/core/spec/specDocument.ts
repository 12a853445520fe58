/**
 * A revision spec as YAML text: parsing with source positions, and diagnostics placed on the
 * key or value they are about.
 *
 * YAML is read as Kubernetes tooling reads it (`<<` merge keys, empty documents around the spec,
 * anchors used as often as wanted), and the work is bounded on any input (SpecLimits): a file
 * over 1 MiB is refused unread; its tokens are counted before anything is parsed, and too many
 * for its size, or nesting deeper than 64 levels, give one finding; alias expansion beyond
 * 100,000 nodes gives one finding; the parser stops after 200 errors outside any document; a
 * document with syntax errors is never converted; a file reports at most 50 findings. Every
 * message is one line with control characters escaped.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import { lineEnd, offsetsToRange, type ParsedSpec, type Position, type Range, type SpecDiagnostic } from './specDiagnostic';
import { SpecLimits, tokenLimit } from './specLimits';
import { collectYamlErrors, repairLineCounter } from './yamlErrors';
import { composeDocuments, utf8Length, withoutStackTraces, yamlTokens } from './yamlTokens';
import { isEmptyDocument, keyText, measureShape, plainValue } from './yamlTree';
import { escapeControl } from '../escapeText';
import { quoted } from './messageText';
import { type CheckOptions, type SpecFinding, type SpecPath, type Severity } from './semanticChecks';
import { findingMessage, type DeferredFinding } from './specFinding';
import { findDocumentProblemsDeferred } from './validateSpec';

export { SpecLimits } from './specLimits';
export { offsetsToRange, type ParsedSpec, type Position, type Range, type SpecDiagnostic } from './specDiagnostic';

/** Per parsed spec: alias targets and, per mapping, its keys, so locating a finding is O(depth). */
const Indexes = new WeakMap<ParsedSpec, { aliasTargets: Map<Node, Node>; keys: WeakMap<Node, Map<string, Pair<Node, Node | null>>> }>();

const TooDeep = `the YAML nests collections more than ${SpecLimits.maxDepth} levels deep, which no revision spec needs: check the brackets and indentation from here.`;

/**
 * The text's tokens, or why it is refused before it is parsed: its size, its nesting, or more
 * tokens than the parser may take on (see SpecLimits).
 */
function readTokens(text: string): { tokens: string[] } | { code: string; message: string; at?: number } {
  const bytes = utf8Length(text);
  if (bytes > SpecLimits.maxBytes) {
    return { code: 'file-too-large', message: `the file is ${(bytes / 1024 / 1024).toFixed(1)} MiB: a revision spec is at most 1 MiB, the most a Kubernetes ConfigMap (the revision's record) can hold.` };
  }
  const limit = tokenLimit(bytes);
  const read = yamlTokens(text, limit, SpecLimits.maxDepth);
  if ('tooDeepAt' in read) return { code: 'nesting-too-deep', message: TooDeep, at: read.tooDeepAt };
  if ('tooMany' in read) {
    const size = bytes < 10 * 1024 ? `${bytes.toLocaleString('en')} bytes` : `${Math.round(bytes / 1024).toLocaleString('en')} KB`;
    const than =
      limit === SpecLimits.maxTokens
        ? `than the ${limit.toLocaleString('en')} this tool reads in any file (2,000 volumes take about 80,000)`
        : `than the ${limit.toLocaleString('en')} this tool reads in ${size} (${SpecLimits.tokensPerByte} per byte; specs written by hand or by a tool have about half as many)`;
    return { code: 'too-many-values', message: `the YAML has more values, keys and syntax marks ${than}: remove what is not part of the spec.` };
  }
  return read;
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
  const read = readTokens(text);
  if (!('tokens' in read)) return refuse(read.code, read.message, read.at);
  let documents: Document.Parsed[];
  let unreadFrom: number | undefined;
  try {
    ({ documents, unreadFrom } = withoutStackTraces(() => composeDocuments(read.tokens, lineCounter)));
  } catch (error) {
    if (error instanceof RangeError) return refuse('nesting-too-deep', TooDeep);
    return refuse('yaml-unreadable', `the YAML could not be read: ${escapeControl(String(error instanceof Error ? error.message : error).split('\n')[0] ?? '')}.`);
  }
  repairLineCounter(lineCounter, text);
  const nonEmpty = documents.filter((doc) => !isEmptyDocument(doc));
  const document = nonEmpty[0] ?? documents[0] ?? parseDocument('');
  const { exhausted, omitted: notDescribed } = collectYamlErrors(documents, syntax, toRange);
  let omitted = notDescribed + (syntax.length > SpecLimits.maxSyntaxErrors ? syntax.splice(SpecLimits.maxSyntaxErrors).length : 0);
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
    if (syntax.length >= SpecLimits.maxSyntaxErrors) {
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
  const parsed: ParsedSpec = { text, document, lineCounter, value, syntax, ...(omitted > 0 ? { omittedErrors: omitted } : {}), ...(unreadFrom !== undefined ? { unreadFrom: toRange(unreadFrom, unreadFrom).start } : {}) };
  Indexes.set(parsed, { aliasTargets: shape.aliasTargets, keys: new WeakMap() });
  return parsed;
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
function findPair(parsed: ParsedSpec, map: Node, segment: string | number, seen?: Set<Node>): Pair<Node, Node | null> | undefined {
  if (!isMap(map) || seen?.has(map)) return undefined;
  const name = String(segment);
  const own = ownPair(parsed, map, name);
  if (own) return own;
  const merge = ownPair(parsed, map, '<<');
  if (!merge?.value) return undefined;
  // Only a merge key leads to other mappings, and only there can a cycle of merges lead back.
  const visited = seen ?? new Set<Node>();
  visited.add(map);
  const from = isAlias(merge.value) ? resolveAlias(parsed, merge.value) : merge.value;
  const sources = from && isSeq(from) ? (from.items as Node[]) : [merge.value];
  for (const source of sources) {
    const target = isAlias(source) ? resolveAlias(parsed, source) : source;
    const found = target ? findPair(parsed, target, segment, visited) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** The first pair of a mapping whose key reads `name`: a scan of a small mapping, an index (built once) of a large one. */
function ownPair(parsed: ParsedSpec, map: YAMLMap, name: string): Pair<Node, Node | null> | undefined {
  if (map.items.length <= 8) {
    for (const item of map.items) if (isPair(item) && isScalar(item.key) && keyText(item.key.value) === name) return item as Pair<Node, Node | null>;
    return undefined;
  }
  const indexes = Indexes.get(parsed);
  let keys = indexes?.keys.get(map);
  if (!keys) {
    keys = new Map();
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key) && !keys.has(keyText(item.key.value))) keys.set(keyText(item.key.value), item as Pair<Node, Node | null>);
    }
    indexes?.keys.set(map, keys);
  }
  return keys.get(name);
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
  const toRange = (start: number, end: number): Range => offsetsToRange(parsed.lineCounter, parsed.text, start, end);
  const errors = parsed.syntax.filter((d) => d.severity === 'error');
  if (errors.length > 0 || parsed.value === undefined) return bounded(sortDiagnostics(parsed.syntax).map((d) => ({ diagnostic: d, at: 0 })), toRange, parsed.omittedErrors ?? 0, parsed.unreadFrom);
  if (parsed.value === null) {
    const end = lineEnd(parsed.text, 0);
    return [{ severity: 'error', code: 'empty-spec', message: 'the spec is empty: start with "apiVersion: serve-revisions/v1", "kind: Revision", then service, message and image.', range: toRange(0, end) }];
  }
  // Every finding is placed by its offsets (cheap), and only those shown get a range and their message written.
  const lineStarts = parsed.lineCounter.lineStarts;
  const placed: Placed[] = parsed.syntax.map((d) => ({ diagnostic: d, at: (lineStarts[d.range.start.line] ?? 0) + d.range.start.character }));
  for (const finding of findDocumentProblemsDeferred(parsed.value, options)) {
    const [at, end] = locate(parsed, finding.path, finding.target);
    placed.push({ finding, at, end });
  }
  placed.sort((a, b) => a.at - b.at);
  return bounded(placed, toRange);
}

/** A diagnostic, or a finding with the offsets it is about, ordered by where it starts. */
type Placed = { diagnostic: SpecDiagnostic; at: number } | { finding: SpecFinding | DeferredFinding; at: number; end: number };

const severityOf = (p: Placed): Severity => ('diagnostic' in p ? p.diagnostic.severity : p.finding.severity);

function materialise(p: Placed, toRange: (start: number, end: number) => Range): SpecDiagnostic {
  if ('diagnostic' in p) return p.diagnostic;
  const { finding } = p;
  const diagnostic: SpecDiagnostic = { severity: finding.severity, message: escapeControl(findingMessage(finding)), code: finding.code, path: finding.path, range: toRange(p.at, p.end) };
  if (finding.fixes) diagnostic.fixes = finding.fixes;
  return diagnostic;
}

/** The first findings, and one more that counts the rest (an error when any of the rest is one). */
function bounded(placed: Placed[], toRange: (start: number, end: number) => Range, omittedErrors = 0, unreadFrom?: Position): SpecDiagnostic[] {
  if (placed.length <= SpecLimits.maxFindings && omittedErrors === 0) return placed.map((p) => materialise(p, toRange));
  const shown = placed.slice(0, SpecLimits.maxFindings).map((p) => materialise(p, toRange));
  const rest = placed.slice(SpecLimits.maxFindings);
  const more = rest.length + omittedErrors;
  const restErrors = rest.filter((p) => severityOf(p) === 'error').length + omittedErrors;
  const last = shown[shown.length - 1] as SpecDiagnostic;
  shown.push({
    severity: restErrors > 0 ? 'error' : 'warning',
    code: 'more-findings',
    message: `… and ${more} more finding${more === 1 ? '' : 's'} (${restErrors} error${restErrors === 1 ? '' : 's'}) not shown${unreadFrom ? `, and the file was not read past line ${unreadFrom.line + 1}` : ''}: fix the ones above first.`,
    range: rest[0] ? materialise(rest[0], toRange).range : last.range,
  });
  return shown;
}

function sortDiagnostics(diagnostics: SpecDiagnostic[]): SpecDiagnostic[] {
  return diagnostics.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
