/**
 * Hover documentation for a revision spec: the field under the cursor, found in the YAML tree,
 * described from the schema (description, allowed values, default and an example).
 */
import { isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { offsetsToRange, type ParsedSpec, type Position, type Range } from '../spec/specDocument';
import { formatPath, type SpecPath } from '../spec/semanticChecks';
import { fieldText } from './completion';
import { specKindOf } from '../spec/schemaFindings';
import { allowedValues, firstExample, schemaNodeAt, typeLabel } from './schemaInfo';
import { declaredKind } from './specDeclaration';

export interface SpecHover {
  /** Markdown. */
  markdown: string;
  range: Range;
  path: SpecPath;
}

export function positionToOffset(text: string, position: Position): number {
  let offset = 0;
  for (let line = 0; line < position.line; line++) {
    const newline = text.indexOf('\n', offset);
    if (newline === -1) return text.length;
    offset = newline + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  const end = lineEnd === -1 ? text.length : lineEnd;
  return Math.min(offset + Math.max(0, position.character), end);
}

/** The spec path of the key or value at `offset`, and the source range of that key or value. */
export function pathAtOffset(parsed: ParsedSpec, offset: number): { path: Array<string | number>; range: [number, number] } | undefined {
  let node = parsed.document.contents as Node | null;
  const path: Array<string | number> = [];
  const inside = (range: readonly number[] | null | undefined): boolean => !!range && offset >= (range[0] ?? 0) && offset <= (range[1] ?? -1);
  for (let depth = 0; node && depth < 100; depth++) {
    if (isMap(node)) {
      let next: Node | null = null;
      for (const item of node.items) {
        if (!isPair(item)) continue;
        const key = item.key as Node | null;
        const keyText = isScalar(key) ? String(key.value) : undefined;
        if (keyText === undefined) continue;
        if (key && inside(key.range)) return { path: [...path, keyText], range: [key.range?.[0] ?? 0, key.range?.[1] ?? 0] };
        const value = item.value as Node | null;
        if (value && inside(value.range)) {
          path.push(keyText);
          next = value;
          break;
        }
      }
      if (!next) return undefined;
      node = next;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => inside((item as Node | null)?.range));
      if (index === -1) return undefined;
      path.push(index);
      node = node.items[index] as Node;
    } else if (isScalar(node)) {
      return { path, range: [node.range?.[0] ?? 0, node.range?.[1] ?? 0] };
    } else {
      return undefined;
    }
  }
  return undefined;
}

export function hoverSpec(parsed: ParsedSpec, position: Position): SpecHover | undefined {
  const offset = positionToOffset(parsed.text, position);
  const found = pathAtOffset(parsed, offset);
  if (!found || found.path.length === 0) return undefined;
  const kind = parsed.value !== undefined ? specKindOf(parsed.value) : declaredKind(parsed.text);
  const node = schemaNodeAt(found.path, kind);
  if (!node) return undefined;
  const name = [...found.path].reverse().find((s): s is string => typeof s === 'string') ?? '';
  const parts: string[] = [`**${formatPath(found.path)}** — ${typeLabel(node)}`];
  if (node.description) parts.push(node.description);
  const allowed = allowedValues(node);
  if (allowed && allowed.length > 1) parts.push(`Allowed values: ${allowed.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (node.default !== undefined) parts.push(`Default: \`${typeof node.default === 'object' ? JSON.stringify(node.default) : String(node.default)}\``);
  const example = firstExample(node);
  if (example !== undefined) {
    const exampleNode = { ...node, default: example, examples: [example] };
    parts.push(`Example:\n\n\`\`\`yaml\n${fieldText(name, exampleNode)}\n\`\`\``);
  }
  if (node.readOnly) parts.push('_Set by the cluster when the revision is created; ignored when creating._');
  return { markdown: parts.join('\n\n'), range: offsetsToRange(parsed.lineCounter, parsed.text, found.range[0], found.range[1]), path: found.path };
}
