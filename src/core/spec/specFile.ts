/**
 * The bytes of a spec file as text. A spec is UTF-8 (YAML and Kubernetes both say so); a file in
 * another encoding (Latin-1, UTF-16) is reported as such, at its first byte that is not UTF-8,
 * instead of being read with replacement characters that would then be stored in the record.
 */
import type { SpecDiagnostic } from './specDocument';

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    let need: number;
    let min: number;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else {
      return i;
    }
    if (i + need >= bytes.length) return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

export type DecodedSpecFile = { text: string } | { problem: SpecDiagnostic };

export function decodeSpecFile(input: string | Uint8Array): DecodedSpecFile {
  if (typeof input === 'string') return { text: input };
  const bad = firstInvalidUtf8(input);
  if (bad === -1) return { text: new TextDecoder('utf-8').decode(input) };
  let lineStart = 0;
  let line = 0;
  for (let i = 0; i < bad; i++) {
    if (input[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const character = new TextDecoder('utf-8').decode(input.subarray(lineStart, bad)).length;
  const byte = (input[bad] as number).toString(16).toUpperCase().padStart(2, '0');
  const utf16 = input.length >= 2 && ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff));
  const hint = utf16 ? 'it looks like UTF-16' : 'Latin-1 or Windows-1252, perhaps';
  return {
    problem: {
      severity: 'error',
      code: 'not-utf8',
      message: `the file is not UTF-8 text (byte 0x${byte} here; ${hint}): save it as UTF-8, as YAML and Kubernetes expect.`,
      range: { start: { line, character }, end: { line, character: character + 1 } },
    },
  };
}
