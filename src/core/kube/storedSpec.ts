/** Reading the spec a revision record stores (its `spec.yaml`), with the reason when it cannot be read. */
import { parse } from 'yaml';
import { escapeControl } from '../escapeText';
import type { RevisionSpec } from '../spec/revisionSpec';
import { RecordSpecKey } from './labels';

export type StoredSpec = { spec: RevisionSpec } | { error: string };

export function readStoredSpec(data: Record<string, string> | undefined): StoredSpec {
  const text = data?.[RecordSpecKey];
  if (text === undefined) return { error: `the record has no ${RecordSpecKey}` };
  try {
    const spec = parse(text, { maxAliasCount: 100 }) as unknown;
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return { error: 'the stored spec is not a mapping' };
    return { spec: spec as RevisionSpec };
  } catch (error) {
    // The parser's first line says what and where; the lines after it quote the text.
    return { error: `the stored spec is not valid YAML: ${escapeControl((error as Error).message.split('\n')[0] ?? '')}` };
  }
}
