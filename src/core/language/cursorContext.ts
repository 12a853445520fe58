/**
 * What the cursor is on, read from indentation rather than from the YAML tree: a spec being
 * typed is often not valid YAML (a half-typed key, a broken line above), and completion must
 * still know which mapping the cursor is in. Block-style YAML says that by columns alone.
 */
import type { Position, Range } from '../spec/specDocument';

/** One line of block YAML: its list dashes, and the key that starts its content, if any. */
export interface LineShape {
  /** Columns of the `- ` markers at the start of the line, left to right. */
  dashes: number[];
  /** Column where the content after the dashes starts. */
  contentCol: number;
  /** The key (unquoted) when the content is `key:`; undefined otherwise. */
  key?: string;
  /** Column just after the key's colon. */
  afterColon?: number;
  /** The value text after the colon, without a trailing comment, trimmed. */
  valueText: string;
  blank: boolean;
  comment: boolean;
}

const KeyPattern = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[\]},&*!|>%@`-][^:#]*?|-[^\s:#][^:#]*?)[ \t]*:(?=[ \t]|$)/;

export function shapeOf(line: string): LineShape {
  let pos = 0;
  while (pos < line.length && line[pos] === ' ') pos++;
  const dashes: number[] = [];
  while (line[pos] === '-' && (pos + 1 === line.length || line[pos + 1] === ' ' || line[pos + 1] === '\t')) {
    dashes.push(pos);
    pos++;
    while (line[pos] === ' ' || line[pos] === '\t') pos++;
  }
  const rest = line.slice(pos);
  const blank = rest.trim() === '' && dashes.length === 0;
  const comment = rest.startsWith('#') && dashes.length === 0;
  const shape: LineShape = { dashes, contentCol: pos, valueText: '', blank, comment };
  if (blank || comment) return shape;
  const match = KeyPattern.exec(rest);
  if (match?.[1] !== undefined) {
    shape.key = unquote(match[1]);
    shape.afterColon = pos + match[0].length;
    shape.valueText = stripComment(line.slice(shape.afterColon)).trim();
  }
  return shape;
}

function unquote(key: string): string {
  if (key.startsWith('"') && key.endsWith('"') && key.length >= 2) {
    try {
      return JSON.parse(key) as string;
    } catch {
      return key.slice(1, -1);
    }
  }
  if (key.startsWith("'") && key.endsWith("'") && key.length >= 2) return key.slice(1, -1).replace(/''/g, "'");
  return key.trim();
}

function stripComment(text: string): string {
  const match = /(^|\s)#/.exec(text);
  return match ? text.slice(0, match.index) : text;
}

/**
 * The path of the mapping (or list) that holds an entry starting at column `col` of line
 * `lineIndex`. List items are numbered by counting the dashes above them.
 */
export function containerPath(lines: readonly string[], lineIndex: number, col: number): Array<string | number> {
  const path: Array<string | number> = [];
  let mode: 'map' | 'seq' = 'map';
  let k = lineIndex;
  let current = col;
  let steps = 0;
  while (k >= 0 && !(mode === 'map' && current === 0) && steps++ < 10_000) {
    const shape = shapeOf(lines[k] ?? '');
    if (shape.blank || shape.comment) {
      k--;
      continue;
    }
    let candidate: { col: number; key?: string } | undefined;
    for (const d of shape.dashes) if (d < current) candidate = { col: d };
    if (shape.key !== undefined && (shape.contentCol < current || (mode === 'seq' && shape.contentCol === current && !shape.dashes.includes(current)))) {
      // In a list, an owning key may stand in the same column as the dashes (`ports:` / `- name`).
      if (shape.contentCol < current || shape.valueText === '') candidate = { col: shape.contentCol, key: shape.key };
    }
    if (!candidate) {
      k--;
      continue;
    }
    if (candidate.key !== undefined) {
      path.unshift(candidate.key);
      mode = 'map';
    } else {
      path.unshift(itemIndex(lines, k, candidate.col));
      mode = 'seq';
    }
    current = candidate.col;
  }
  return path;
}

/** Which item of its list the item whose dash is at `col` on line `k` is. */
function itemIndex(lines: readonly string[], k: number, col: number): number {
  let index = 0;
  for (let i = k - 1; i >= 0; i--) {
    const shape = shapeOf(lines[i] ?? '');
    if (shape.blank || shape.comment) continue;
    const first = shape.dashes[0] ?? shape.contentCol;
    if (first < col) break;
    if (first === col && shape.dashes.length === 0) break; // the owning key in the same column
    if (shape.dashes.includes(col) && first === col) index++;
  }
  return index;
}

/** Keys (with their value text) already present in the mapping whose keys start at `col`. */
export function siblingEntries(lines: readonly string[], lineIndex: number, col: number): Map<string, string> {
  const found = new Map<string, string>();
  const own = shapeOf(lines[lineIndex] ?? '');
  const startsItem = own.dashes.some((d) => d < col) && own.contentCol === col;
  const visit = (i: number): 'stop' | 'go' => {
    const shape = shapeOf(lines[i] ?? '');
    if (shape.blank || shape.comment) return 'go';
    const first = shape.dashes[0] ?? shape.contentCol;
    if (shape.contentCol === col && shape.key !== undefined && !found.has(shape.key)) found.set(shape.key, shape.valueText);
    if (first < col) return 'stop';
    return 'go';
  };
  if (!startsItem) {
    for (let i = lineIndex - 1; i >= 0; i--) if (visit(i) === 'stop') break;
  }
  for (let i = lineIndex + 1; i < lines.length; i++) {
    const shape = shapeOf(lines[i] ?? '');
    const first = shape.dashes[0] ?? shape.contentCol;
    if (!shape.blank && !shape.comment && first < col) break;
    visit(i);
  }
  return found;
}

export type CursorContext =
  | {
      kind: 'key';
      /** The mapping (or list, see `inList`) the key being typed belongs to. */
      path: Array<string | number>;
      prefix: string;
      /** What a chosen key replaces: the half-typed word under the cursor. */
      range: Range;
      /** Column where the key starts, and the line's own indentation (VS Code indents inserted lines by it). */
      keyCol: number;
      lineIndent: number;
      /** The line starts a list item at the cursor (`- |`). */
      afterDash: boolean;
      siblings: Map<string, string>;
    }
  | {
      kind: 'value';
      /** The field whose value is being typed. */
      path: Array<string | number>;
      prefix: string;
      range: Range;
      siblings: Map<string, string>;
      /** The cursor is right after the colon: a value needs a space before it. */
      needsSpace: boolean;
    }
  | { kind: 'none' };

export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

export function cursorContext(lines: readonly string[], position: Position): CursorContext {
  const line = lines[position.line];
  if (line === undefined) return { kind: 'none' };
  const character = Math.max(0, Math.min(position.character, line.length));
  const before = line.slice(0, character);
  const wordAfter = /^[^\s:#]*/.exec(line.slice(character))?.[0] ?? '';
  const lineIndent = /^ */.exec(line)?.[0].length ?? 0;
  if (/^\s*#/.test(before) || /\s#/.test(before)) return { kind: 'none' };

  const keyMatch = /^( *)((?:- +)*)([^\s:#'"{[]*)$/.exec(before);
  if (keyMatch) {
    const keyCol = (keyMatch[1]?.length ?? 0) + (keyMatch[2]?.length ?? 0);
    const prefix = keyMatch[3] ?? '';
    return {
      kind: 'key',
      path: containerPath(lines, position.line, keyCol),
      prefix,
      range: { start: { line: position.line, character: keyCol }, end: { line: position.line, character: character + wordAfter.length } },
      keyCol,
      lineIndent,
      afterDash: (keyMatch[2]?.length ?? 0) > 0,
      siblings: siblingEntries(lines, position.line, keyCol),
    };
  }
  const shape = shapeOf(line);
  if (shape.key !== undefined && shape.afterColon !== undefined && character >= shape.afterColon) {
    const raw = line.slice(shape.afterColon);
    const valueStart = shape.afterColon + (raw.length - raw.trimStart().length);
    const valueEnd = shape.afterColon + stripComment(raw).trimEnd().length;
    if (/^[[{|>&*!]/.test(line.slice(valueStart))) return { kind: 'none' };
    const start = Math.min(valueStart, character);
    return {
      kind: 'value',
      path: [...containerPath(lines, position.line, shape.contentCol), shape.key],
      prefix: line.slice(start, character).replace(/^["']/, ''),
      range: { start: { line: position.line, character: start }, end: { line: position.line, character: Math.max(character, valueEnd) } },
      siblings: siblingEntries(lines, position.line, shape.contentCol),
      needsSpace: start === shape.afterColon && line[start - 1] === ':',
    };
  }
  return { kind: 'none' };
}
