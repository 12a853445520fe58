/**
 * One cheap pass over a YAML text before it is parsed, finding what would make the parser itself
 * slow or hungry. Linear, no allocation per character.
 */
import { SpecLimits } from './specLimits';

/** The UTF-8 size of a text, without encoding it. */
export function utf8Length(text: string): number {
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

/** The index just before the next line break (or the end): where a skipped line ends. */
function beforeLineEnd(text: string, from: number): number {
  const end = text.indexOf('\n', from);
  return end === -1 ? text.length : end - 1;
}

/** `- - - x` and `? ? x` from `at`: each indicator opens a level of its own. */
function compactIndicators(text: string, at: number): { count: number; end: number } {
  let k = at;
  let count = 0;
  while ((text[k] === '-' || text[k] === '?') && (text[k + 1] === ' ' || text[k + 1] === '\t')) {
    count++;
    k += 2;
    while (text[k] === ' ') k++;
  }
  return { count, end: k };
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
          i = beforeLineEnd(text, j);
          continue;
        }
        blockIndent = -1;
      }
      atLineStart = false;
      if (!blank && text[j] !== '#') values++;
      if (quote === undefined && depth === 0) {
        const compact = compactIndicators(text, j);
        if (compact.count > limit) return { deepAt: compact.end, values, marks };
        values += Math.max(0, compact.count - 1);
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
      i = beforeLineEnd(text, i);
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
