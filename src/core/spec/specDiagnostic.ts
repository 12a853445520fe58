/**
 * What the checks report about a spec text, and where: positions as an editor counts them, from
 * offsets into the text.
 */
import type { Document, LineCounter } from 'yaml';
import type { Severity, SpecFix, SpecPath } from './specFinding';

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
  /** Where reading stopped after a wall of syntax errors: the rest of the text was not parsed. */
  unreadFrom?: Position;
}

/** The offset of the end of the line holding `offset`. */
export function lineEnd(text: string, offset: number): number {
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
