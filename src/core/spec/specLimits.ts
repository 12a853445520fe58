/** The limits that keep the work and the output bounded on any input (documented in the README). */
export const SpecLimits = {
  /** A revision is stored in a ConfigMap, which holds at most 1 MiB. */
  maxBytes: 1024 * 1024,
  /** Collections inside collections; a spec needs about six. */
  maxDepth: 64,
  /** Values (lines with content, flow items) read at all: bounds the parser's time and memory; a large spec has a few hundred. */
  maxValues: 10_000,
  /** Syntax marks outside quotes, comments and block scalars (`[]{},?|>&*!%@` and `: `/`- `): bounds the parser's work on garbage. */
  maxMarks: 200_000,
  /** Values aliases add once expanded: stops "billion laughs" documents, allows any real reuse. */
  maxAliasValues: 100_000,
  /** Findings reported per file; the rest are counted in one last finding. */
  maxFindings: 50,
} as const;
