/**
 * The first check of every message a webview sends, whichever its protocol (formProtocol.ts,
 * detailsProtocol.ts): a plain object, serialisable, within the size cap, of a known type, with no
 * field beyond that type's keys. Each protocol then checks its own fields. No `vscode`, no DOM.
 */

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function byteLength(value: unknown): number | undefined {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : new TextEncoder().encode(text).length;
  } catch {
    return undefined;
  }
}

export type Envelope<Type extends string> = { ok: true; raw: Record<string, unknown>; type: Type; allowed: readonly string[] } | { ok: false; reason: string };

/** Checks the envelope of a message against its protocol's keys per type and its size cap; the reason names what is wrong. */
export function checkEnvelope<Type extends string>(raw: unknown, keys: Record<Type, readonly string[]>, maxBytes: number): Envelope<Type> {
  if (!isPlainObject(raw)) return { ok: false, reason: `not an object but ${raw === null ? 'null' : Array.isArray(raw) ? 'an array' : typeof raw}` };
  const size = byteLength(raw);
  if (size === undefined) return { ok: false, reason: 'not serialisable as JSON' };
  if (size > maxBytes) return { ok: false, reason: `too large: ${size} bytes, at most ${maxBytes}` };
  const type = raw['type'];
  if (typeof type !== 'string' || !Object.hasOwn(keys, type)) return { ok: false, reason: `unknown message type ${JSON.stringify(type)}` };
  const allowed = keys[type as Type];
  const extra = Object.keys(raw).filter((k) => !allowed.includes(k));
  if (extra.length > 0) return { ok: false, reason: `"${type}" message has unexpected field${extra.length === 1 ? '' : 's'} ${extra.join(', ')}` };
  return { ok: true, raw, type: type as Type, allowed };
}
