/**
 * The parsed YAML tree, walked once without recursion: its shape (nesting, alias expansion,
 * cycles, duplicate keys, alias targets) and its plain value. Both are linear in the document,
 * where yaml's own alias resolution and duplicate-key check are quadratic.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type Node } from 'yaml';
import { SpecLimits } from './specLimits';

/** An empty document (`---` with nothing or only comments after it): Kubernetes tooling skips these. */
export function isEmptyDocument(doc: Document.Parsed): boolean {
  const contents = doc.contents as Node | null;
  return contents === null || (isScalar(contents) && contents.value === null && contents.tag === undefined && (contents.source === '' || contents.source === undefined));
}

export interface Shape {
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
export function keyText(value: unknown): string {
  if (typeof value === 'symbol') return value.description ?? '';
  return value === null || value === undefined ? '' : String(value);
}

const isMergeKey = (key: unknown): boolean => isScalar(key) && typeof key.value === 'symbol' && key.value.description === '<<';

export function children(node: Node): Node[] {
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

/** The `next`-th child of a collection (a map's pairs count twice: key, then value), or undefined past the end. */
function childAt(node: Node, next: number): { child: Node | null } | undefined {
  if (isMap(node)) {
    const item = node.items[next >> 1];
    if (item === undefined) return undefined;
    if (!isPair(item)) return { child: null };
    return { child: ((next & 1) === 0 ? item.key : item.value) as Node | null };
  }
  if (isSeq(node)) {
    if (next >= node.items.length) return undefined;
    const item = node.items[next] as unknown;
    return { child: item !== null && typeof item === 'object' ? (item as Node) : null };
  }
  return undefined;
}

/** Keys that appear twice in a mapping, as text (`<<` merge keys may repeat). */
function duplicateKeys(map: Node, into: Shape['duplicates']): void {
  if (!isMap(map) || map.items.length < 2) return;
  // Most mappings have a few keys: compared in place; a set only for the large ones.
  const seen: string[] | Set<string> = map.items.length <= 8 ? [] : new Set<string>();
  for (const item of map.items) {
    if (!isPair(item) || !isScalar(item.key) || isMergeKey(item.key)) continue;
    const text = keyText(item.key.value);
    if (Array.isArray(seen) ? seen.includes(text) : seen.has(text)) into.push({ key: item.key as Node, text });
    if (Array.isArray(seen)) seen.push(text);
    else seen.add(text);
  }
}

/**
 * One pass over the document in document order, without recursion (so no depth can overflow the
 * stack) and without a record per node: the nesting depth, the values aliases add once expanded
 * (each collection's expanded size is summed into its parent's as it closes; only anchored nodes
 * keep theirs, for the aliases after them, so linear in the source), alias cycles, duplicate keys
 * (a set per mapping; yaml's own check is quadratic) and each alias's target (yaml resolves an
 * alias by scanning the document, quadratic too).
 */
export function measureShape(doc: Document.Parsed): Shape {
  const shape: Shape = { duplicates: [], aliasTargets: new Map() };
  const root = doc.contents as Node | null;
  if (!root) return shape;
  const anchors = new Map<string, Node>();
  const anchoredSize = new Map<Node, number>();
  const open = new Set<Node>();
  const stack: Array<{ node: Node; next: number; size: number }> = [];
  let sourceValues = 0;
  /** Visits a node: its expanded size when it is done at once (a scalar, an alias), else -1 (a collection now open). */
  const visit = (node: Node): number => {
    if (isAlias(node)) {
      const found = anchors.get(node.source);
      if (!found) {
        shape.unresolved ??= node;
        return 1;
      }
      shape.aliasTargets.set(node, found);
      if (open.has(found)) {
        shape.cyclic ??= node;
        return 1;
      }
      return anchoredSize.get(found) ?? 1;
    }
    sourceValues++;
    if (node.anchor) anchors.set(node.anchor, node);
    if (!isMap(node) && !isSeq(node)) {
      if (node.anchor) anchoredSize.set(node, 1);
      return 1;
    }
    if (stack.length >= SpecLimits.maxDepth) {
      shape.tooDeep ??= node;
      return 1;
    }
    if (node.anchor) open.add(node);
    duplicateKeys(node, shape.duplicates);
    stack.push({ node, next: 0, size: 1 });
    return -1;
  };
  let rootSize = visit(root);
  while (stack.length > 0 && !shape.tooDeep && !shape.cyclic) {
    const frame = stack[stack.length - 1] as (typeof stack)[number];
    const at = childAt(frame.node, frame.next++);
    if (at) {
      if (at.child) {
        const size = visit(at.child);
        if (size >= 0) frame.size += size;
      }
      continue;
    }
    stack.pop();
    if (frame.node.anchor) {
      anchoredSize.set(frame.node, frame.size);
      open.delete(frame.node);
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.size += frame.size;
    else rootSize = frame.size;
  }
  if (rootSize - sourceValues > SpecLimits.maxAliasValues) shape.tooLarge = true;
  return shape;
}

/** Sets an own property; `__proto__` as a key is a field like any other, not the prototype. */
function setOwn(object: Record<string, unknown>, name: string, value: unknown): void {
  if (name === '__proto__') Object.defineProperty(object, name, { value, writable: true, enumerable: true, configurable: true });
  else object[name] = value;
}

/**
 * The document as plain JavaScript values, with `<<` merge keys applied (explicit keys win, then
 * the first merge), aliases resolved from the anchor map (each target converted once and shared,
 * as yaml does) and keys as text. Linear in the document, unlike yaml's own alias resolution.
 */
export function plainValue(doc: Document.Parsed, aliasTargets: Map<Node, Node>, text: string): unknown {
  const done = new Map<Node, unknown>();
  const convert = (node: Node | null | undefined): unknown => {
    if (node === null || node === undefined) return null;
    const source = isAlias(node) ? aliasTargets.get(node) : node;
    if (!source) throw new Error(`the alias *${(node as { source?: string }).source ?? ''} has no anchor before it`);
    // Only an anchored node can be reached twice (through its aliases): only those are remembered.
    const shared = source.anchor !== undefined;
    if (shared && done.has(source)) return done.get(source);
    let value: unknown;
    if (isMap(source)) {
      const object: Record<string, unknown> = {};
      if (shared) done.set(source, object);
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
        setOwn(object, name, convert(item.value as Node | null));
      }
      for (const part of merged) {
        for (const [k, v] of Object.entries(part)) {
          if (!Object.prototype.hasOwnProperty.call(object, k)) setOwn(object, k, v);
        }
      }
      value = object;
    } else if (isSeq(source)) {
      const list: unknown[] = [];
      if (shared) done.set(source, list);
      for (const item of source.items) list.push(convert(item as Node | null));
      value = list;
    } else {
      value = isScalar(source) ? source.value : null;
      if (shared) done.set(source, value);
    }
    return value;
  };
  return convert(doc.contents as Node | null);
}

/** The ranges of a document's quoted scalars, in order: collected once, when a quote error needs them. */
export function quotedScalars(doc: Document.Parsed): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const visit: Node[] = doc.contents ? [doc.contents as Node] : [];
  while (visit.length > 0) {
    const node = visit.pop() as Node;
    if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && node.range) out.push([node.range[0], node.range[1]]);
    for (const kid of children(node)) visit.push(kid);
  }
  return out.sort((a, b) => a[0] - b[0]);
}
