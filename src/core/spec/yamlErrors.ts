/**
 * yaml's errors and warnings as diagnostics: placed where they are about, worded for a person,
 * a wall of them counted rather than described.
 */
import type { Document, LineCounter } from 'yaml';
import { escapeControl } from '../escapeText';
import type { Range, SpecDiagnostic } from './specDiagnostic';
import { SpecLimits } from './specLimits';
import { quotedScalars } from './yamlTree';

/**
 * yaml's errors and warnings as diagnostics, the first few hundred in full (one more than the
 * limit, so the caller can tell that some were left out). A stack overflow while composing is
 * nesting too deep, reported apart.
 */
export function collectYamlErrors(documents: Document.Parsed[], syntax: SpecDiagnostic[], toRange: (start: number, end: number) => Range): { exhausted?: number; omitted: number } {
  let exhausted: number | undefined;
  let omitted = 0;
  for (const doc of documents) {
    let quotes: Array<[number, number]> | undefined;
    for (const error of doc.errors) {
      if (error.code === 'RESOURCE_EXHAUSTION') {
        exhausted ??= error.pos[0];
        continue;
      }
      if (syntax.length > SpecLimits.maxSyntaxErrors) {
        omitted++;
        continue;
      }
      const [start, end] = locateYamlError(() => (quotes ??= quotedScalars(doc)), error.code, error.message, error.pos);
      syntax.push({ severity: 'error', code: `yaml-${error.code}`, message: describeYamlError(error.code, error.message), range: toRange(start, end) });
    }
    for (const warning of doc.warnings) {
      if (syntax.length > SpecLimits.maxSyntaxErrors) continue;
      syntax.push({ severity: 'warning', code: `yaml-${warning.code}`, message: escapeControl(warning.message.split('\n')[0] ?? warning.message), range: toRange(warning.pos[0], warning.pos[1]) });
    }
  }
  return { ...(exhausted !== undefined ? { exhausted } : {}), omitted };
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
export function repairLineCounter(lineCounter: LineCounter, text: string): void {
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
