/**
 * A YAML text as yaml's lexical tokens, read before anything is parsed and stopped as soon as the
 * text passes a limit: the parser's time and memory grow with the number of tokens (about a
 * microsecond and a kilobyte each) and its composer recurses once per level of nesting. The
 * parser and composer are then fed these same tokens (composeDocuments), so the text is lexed
 * once.
 */
import { Composer, CST, Lexer, Parser, type Document, type LineCounter } from 'yaml';
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

export type YamlTokens =
  /** Every token, in order. */
  | { tokens: string[] }
  /** Nesting passed `maxDepth` at this offset. */
  | { tooDeepAt: number }
  /** The text has more than `maxTokens` tokens. */
  | { tooMany: true };

/**
 * The text's tokens, or which limit it passes first. Nesting counts flow brackets (`[[[[`,
 * `{a: {a:`) and compact indicators on one line (`- - - -`, `? ? ?`), which the lexer tells apart
 * from the same characters in quotes, comments and block scalars. Block nesting by indentation
 * costs a line per level, so the 1 MiB file limit keeps it shallow enough for the composer; the
 * document's own depth is checked after parsing.
 */
export function yamlTokens(text: string, maxTokens: number, maxDepth: number): YamlTokens {
  const tokens: string[] = [];
  let offset = 0;
  let flow = 0;
  let compact = 0;
  for (const token of new Lexer().lex(text)) {
    if (tokens.length >= maxTokens) return { tooMany: true };
    tokens.push(token);
    switch (token) {
      case '[':
      case '{':
        if (++flow > maxDepth) return { tooDeepAt: offset };
        break;
      case ']':
      case '}':
        if (flow > 0) flow--;
        break;
      case '-':
      case '?':
        if (flow === 0 && ++compact > maxDepth) return { tooDeepAt: offset };
        break;
      case '\n':
      case '\r\n':
        compact = 0;
        break;
    }
    // The lexer's markers (a plain scalar follows, document mode, the end of a broken flow) take no room in the text.
    if (token !== CST.SCALAR && token !== CST.DOCUMENT && token !== CST.FLOW_END) offset += token.length;
  }
  return { tokens };
}

/**
 * Runs `work` without capturing stack traces: yaml's errors are Error objects, whose traces are
 * never shown and cost half of the parse of a wall of syntax errors.
 */
export function withoutStackTraces<T>(work: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return work();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/**
 * The documents of a text from its tokens, as yaml's parseAllDocuments would make them from the
 * text, except that after `maxSyntaxErrors` errors outside any document (what is left of a file
 * once its structure broke) the rest is not parsed: `unreadFrom` is where it stops. logLevel
 * 'error': odd input (e.g. a list used as a key) is reported as a diagnostic, not as a process
 * warning.
 */
export function composeDocuments(tokens: string[], lineCounter: LineCounter): { documents: Document.Parsed[]; unreadFrom?: number } {
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer({ uniqueKeys: false, merge: true, logLevel: 'error' });
  let strayErrors = 0;
  let unreadFrom: number | undefined;
  lineCounter.addNewLine(0);
  function* syntaxTree(): Generator<CST.Token> {
    for (const token of tokens) {
      for (const node of parser.next(token)) {
        yield node;
        if (node.type === 'error' && ++strayErrors >= SpecLimits.maxSyntaxErrors) {
          unreadFrom = node.offset + node.source.length;
          yield* parser.end();
          return;
        }
      }
    }
    yield* parser.end();
  }
  const documents = Array.from(composer.compose(syntaxTree()));
  return unreadFrom === undefined ? { documents } : { documents, unreadFrom };
}
