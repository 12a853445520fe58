/**
 * Comparing two revisions: their stored specs without what creation assigns (number, time,
 * author), written the same way, so a diff shows only what a person changed. The CLI's `diff`
 * prints the unified diff; the editor shows the same texts side by side.
 */
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff';
import { parse, stringify } from 'yaml';
import { authoredSpec } from '../kube/revisionRecord';
import type { RevisionSpec } from '../spec/revisionSpec';

/** A stored spec's text as compared: parsed, creation's fields left out, written back in one style. */
export function comparableSpecText(stored: string): string {
  const value = parse(stored, { maxAliasCount: 100 }) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return stored;
  return stringify(authoredSpec(value as RevisionSpec), { lineWidth: 0 });
}

/** The unified diff of two stored specs (empty when they are the same). */
export function specDiff(service: string, a: { revision: number; text: string }, b: { revision: number; text: string }): string {
  const left = comparableSpecText(a.text);
  const right = comparableSpecText(b.text);
  if (left === right) return '';
  // `--- iris/r2` / `+++ iris/r3` as diff -u prints them, without the tab-separated headers (a tab is escaped on output).
  return createTwoFilesPatch(`${service}/r${a.revision}`, `${service}/r${b.revision}`, left, right, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
}
