/**
 * Quick fixes as text edits: the machine-readable fixes the semantic checks attach to findings
 * (replace a value, swap two values, move a literal into a Secret reference), plus adding a
 * missing required field and starting an empty spec.
 */
import { isMap, isPair, isScalar, type Node, type Pair, type YAMLMap } from 'yaml';
import type { SpecFix, SpecPath } from '../spec/semanticChecks';
import { offsetsToRange, type ParsedSpec, type Range, type SpecDiagnostic } from '../spec/specDocument';
import { escapeControl } from '../escapeText';
import { suggestDnsLabel } from '../spec/names';
import { newRevisionSpecTemplate } from '../spec/template';
import { fieldText } from './completion';
import { specKindOf } from '../spec/schemaFindings';
import { schemaNodeAt, yamlScalar } from './schemaInfo';

export interface TextEdit {
  range: Range;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The one fix to apply with "Fix" when there is no doubt. */
  preferred: boolean;
}

function nodeAt(parsed: ParsedSpec, path: SpecPath): Node | undefined {
  if (path.length === 0) return (parsed.document.contents as Node | null) ?? undefined;
  try {
    return (parsed.document.getIn(path as Array<string | number>, true) as Node | undefined) ?? undefined;
  } catch {
    return undefined;
  }
}

function rangeOf(parsed: ParsedSpec, start: number, end: number): Range {
  return offsetsToRange(parsed.lineCounter, parsed.text, start, end);
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function lineEndOffset(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  return newline === -1 ? text.length : newline;
}

function replaceValue(parsed: ParsedSpec, fix: Extract<SpecFix, { kind: 'replaceValue' }>): QuickFix | undefined {
  const node = nodeAt(parsed, fix.path);
  if (!isScalar(node) || !node.range) return undefined;
  // A block scalar's range ends after its last line break, which belongs to the lines below.
  let end = node.range[1];
  while (end > node.range[0] && (parsed.text[end - 1] === '\n' || parsed.text[end - 1] === '\r')) end--;
  return { title: fix.title, edits: [{ range: rangeOf(parsed, node.range[0], end), newText: yamlScalar(fix.value) }], preferred: false };
}

function swapValues(parsed: ParsedSpec, fix: Extract<SpecFix, { kind: 'swapValues' }>): QuickFix | undefined {
  const a = nodeAt(parsed, fix.paths[0]);
  const b = nodeAt(parsed, fix.paths[1]);
  if (!isScalar(a) || !isScalar(b) || !a.range || !b.range) return undefined;
  const textA = parsed.text.slice(a.range[0], a.range[1]);
  const textB = parsed.text.slice(b.range[0], b.range[1]);
  return {
    title: fix.title,
    edits: [
      { range: rangeOf(parsed, a.range[0], a.range[1]), newText: textB },
      { range: rangeOf(parsed, b.range[0], b.range[1]), newText: textA },
    ],
    preferred: true,
  };
}

/** `value: hf_…` becomes a `secretKeyRef` to a Secret named after the variable. */
function useSecretRef(parsed: ParsedSpec, fix: Extract<SpecFix, { kind: 'useSecretRef' }>): QuickFix | undefined {
  const entry = nodeAt(parsed, fix.path);
  if (!isMap(entry)) return undefined;
  const pair = entry.items.find((item): item is Pair<Node, Node> => isPair(item) && isScalar(item.key) && item.key.value === 'value');
  const nameNode = nodeAt(parsed, [...fix.path, 'name']);
  const envName = isScalar(nameNode) ? String(nameNode.value) : 'secret';
  const key = pair?.key;
  const value = pair?.value;
  if (!key?.range || !value?.range) return undefined;
  const secretName = suggestDnsLabel(envName.toLowerCase().replace(/_/g, '-'), 63);
  const secretKey = envName.toLowerCase().replace(/[^-._a-z0-9]/g, '_');
  const keyCol = columnOf(parsed.text, key.range[0]);
  const newText = (entry as YAMLMap).flow
    ? `secretKeyRef: { name: ${secretName}, key: ${secretKey} }`
    : `secretKeyRef:\n${' '.repeat(keyCol + 2)}name: ${secretName}\n${' '.repeat(keyCol + 2)}key: ${secretKey}`;
  return {
    title: `${fix.title} (Secret "${secretName}", key "${secretKey}"; create it with kubectl create secret generic ${secretName} --from-literal=${secretKey}=…)`,
    edits: [{ range: rangeOf(parsed, key.range[0], value.range[1]), newText }],
    preferred: true,
  };
}

/** Adds a required field at the end of its mapping, with the schema's default or example. */
function addRequiredFields(parsed: ParsedSpec, path: SpecPath, fields: readonly string[]): QuickFix | undefined {
  if (fields.length === 0) return undefined;
  const text = parsed.text;
  const container = nodeAt(parsed, path);
  let insertAt: number;
  let indent: number;
  if (isMap(container) && !container.flow && container.items.length > 0) {
    const first = container.items[0];
    const last = container.items[container.items.length - 1];
    const firstKey = isPair(first) ? (first.key as Node | null) : null;
    if (!firstKey?.range || !isPair(last)) return undefined;
    indent = columnOf(text, firstKey.range[0]);
    const lastNode = ((last.value as Node | null) ?? (last.key as Node | null)) as Node | null;
    const end = lastNode?.range?.[1] ?? firstKey.range[1];
    insertAt = lineEndOffset(text, Math.max(0, end - 1));
    if (end > 0 && text[end - 1] === '\n') insertAt = end - 1;
  } else if ((container === undefined || container === null || (isScalar(container) && container.value === null)) && path.length > 0) {
    // `resources:` with nothing under it: put the field under that key.
    const parentPath = path.slice(0, -1);
    const parent = nodeAt(parsed, parentPath);
    if (!isMap(parent)) return undefined;
    const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(path[path.length - 1]));
    const key = pair && isPair(pair) ? (pair.key as Node | null) : null;
    if (!key?.range) return undefined;
    indent = columnOf(text, key.range[0]) + 2;
    insertAt = lineEndOffset(text, key.range[0]);
  } else {
    return undefined;
  }
  const pad = ' '.repeat(indent);
  // A field of a block with a documented default (resources) starts from that default.
  const kind = specKindOf(parsed.value);
  const parentDefault = schemaNodeAt(path, kind)?.default;
  const given = (field: string): unknown => (typeof parentDefault === 'object' && parentDefault !== null && !Array.isArray(parentDefault) ? (parentDefault as Record<string, unknown>)[field] : undefined);
  const block = fields.map((field) => fieldText(field, schemaNodeAt([...path, field], kind), given(field))).join('\n').split('\n').map((line) => pad + line).join('\n');
  const position = rangeOf(parsed, insertAt, insertAt);
  const title = fields.length === 1 ? `Add the required field "${fields[0]}"` : `Add the required fields ${fields.map((f) => `"${f}"`).join(', ')}`;
  return { title, edits: [{ range: position, newText: `\n${block}` }], preferred: true };
}

export function quickFixesFor(parsed: ParsedSpec, diagnostic: SpecDiagnostic): QuickFix[] {
  const fixes: QuickFix[] = [];
  for (const fix of diagnostic.fixes ?? []) {
    let made: QuickFix | undefined;
    if (fix.kind === 'replaceValue') made = replaceValue(parsed, fix);
    else if (fix.kind === 'swapValues') made = swapValues(parsed, fix);
    else if (fix.kind === 'useSecretRef') made = useSecretRef(parsed, fix);
    if (made) fixes.push(made);
  }
  // Titles show values from the file: one line, control characters escaped.
  for (const fix of fixes) fix.title = escapeControl(fix.title);
  if (fixes.length === 1 && fixes[0]) fixes[0].preferred = true;
  const path = diagnostic.path ?? [];
  if (diagnostic.code === 'schema-required') {
    const missing = /missing required field "([^"]+)"/.exec(diagnostic.message)?.[1];
    const made = missing ? addRequiredFields(parsed, path, [missing]) : undefined;
    if (made) fixes.push(made);
  }
  if (diagnostic.code === 'schema-type' && path.length > 0) {
    // `resources:` left empty: fill in the fields it needs.
    const node = nodeAt(parsed, path);
    const required = schemaNodeAt(path, specKindOf(parsed.value))?.required ?? [];
    const made = isScalar(node) && node.value === null ? addRequiredFields(parsed, path, required) : undefined;
    if (made) fixes.push(made);
  }
  if (diagnostic.code === 'empty-spec') {
    const end = parsed.text.length;
    fixes.push({ title: 'Insert a minimal revision spec', edits: [{ range: rangeOf(parsed, end, end), newText: newRevisionSpecTemplate() }], preferred: true });
  }
  return fixes;
}

/** Applies edits to a text (for tests and previews); edits must not overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  const toOffset = (p: { line: number; character: number }): number => Math.min(text.length, (starts[p.line] ?? text.length) + p.character);
  const sorted = [...edits].sort((a, b) => toOffset(b.range.start) - toOffset(a.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, toOffset(edit.range.start)) + edit.newText + out.slice(toOffset(edit.range.end));
  return out;
}
