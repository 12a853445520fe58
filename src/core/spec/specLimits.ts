/** The limits that keep the work and the output bounded on any input (documented in the README). */
export const SpecLimits = {
  /** A revision is stored in a ConfigMap, which holds at most 1 MiB. */
  maxBytes: 1024 * 1024,
  /** Collections inside collections; a spec needs about six. */
  maxDepth: 64,
  /**
   * Lexical tokens (keys, values, indicators, spaces, line breaks) read at all: the parser's time
   * and memory grow with them, about a microsecond and a kilobyte each. A 500-line spec has about
   * 4,000; 2,000 volumes of five lines each about 80,000.
   */
  maxTokens: 90_000,
  /**
   * Tokens per byte of text past the first `denseTokens`: keeps the parse within its share of
   * 100 ms per 100 KB. Specs as people and tools write them have 0.2 to 0.4 (JSON included);
   * thousands of tiny values (`[a, a, a`, `k1: 1`) or walls of broken lines have 0.5 to 1.3.
   */
  tokensPerByte: 0.5,
  /**
   * Tokens read whatever the density: at most about 10 ms of parsing (a wall of syntax errors costs
   * twice as much per token as a clean spec), and more than a 500-line spec has (about 4,000).
   */
  denseTokens: 5_000,
  /** Values aliases add once expanded: stops "billion laughs" documents, allows any real reuse. */
  maxAliasValues: 100_000,
  /**
   * YAML syntax errors described in full (a wall of them is counted after this many); the parser
   * also stops after this many errors outside any document, what is left of a file past its breakage.
   */
  maxSyntaxErrors: 200,
  /** Findings reported per file; the rest are counted in one last finding. */
  maxFindings: 50,
} as const;

/** The number of tokens a text of `bytes` may have. */
export function tokenLimit(bytes: number): number {
  return Math.min(SpecLimits.maxTokens, Math.max(SpecLimits.denseTokens, Math.floor(bytes * SpecLimits.tokensPerByte)));
}
