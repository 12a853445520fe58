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

/**
 * One pass over the document in document order, without recursion (so no depth can overflow the
 * stack): the nesting depth, the values aliases add once expanded (sizes memoised, so linear in
 * the source), alias cycles, duplicate keys (a set per mapping; yaml's own check is quadratic)
 * and each alias's target (yaml resolves an alias by scanning the document, quadratic too).
 */
export function measureShape(doc: Document.Parsed): Shape {
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
