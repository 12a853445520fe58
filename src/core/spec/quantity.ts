/**
 * Kubernetes resource quantities, read exactly as the API server reads them: JSON decoding trims
 * surrounding white space, then k8s.io/apimachinery's ParseQuantity takes an optional sign,
 * digits with an optional fraction, and a suffix: decimal SI (n u m k M G T P E), binary SI
 * (Ki Mi Gi Ti Pi Ei) or a decimal exponent (e3, E-2). Its quirks are kept on purpose ("+", "."
 * and "1." are quantities), so this checker and the cluster agree; the differential test
 * (test/integration/specOracle.test.ts) holds them to it.
 */

/** A parsed quantity: sign × (digits as an integer) × 10^exp10 × 2^exp2. */
export interface Quantity {
  negative: boolean;
  /** The significant digits, without a decimal point ("15" for 1.5). */
  digits: bigint;
  exp10: number;
  exp2: number;
}

/**
 * This tool's own limit on decimal exponents. Kubernetes reads the exponent as a 64-bit number
 * and wraps it to 32 bits (so "1e4294967296" is 1), and its parser needs time and memory that grow
 * with the exponent: on "1e2147483648" it never returns. No real amount needs more than ±1000.
 */
export const MaxQuantityExponent = 1000;

const DecimalSuffixes: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BinarySuffixes: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const SuffixChars = 'eEinumkKMGTP';
/**
 * What the API server trims: Go's strings.TrimSpace runs on the quantity's JSON text, in which
 * control characters (tab, newline) and U+2028/U+2029 arrive escaped, so only the other white
 * space characters are removed. (Not String.prototype.trim, which also removes U+FEFF.)
 */
const GoSpace = /^[ \u0085\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+|[ \u0085\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+$/g;

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

/** The text the renderer writes for a quantity field: numbers as JavaScript prints them. */
export function quantityText(input: string | number): string {
  return typeof input === 'number' ? String(input) : input;
}

export type QuantityProblem = 'format' | 'exponent';

/** Splits a quantity as the API server's parseQuantityString does, or undefined when it refuses it. */
function split(str: string): { negative: boolean; value: string; num: string; denom: string; suffix: string } | undefined {
  let negative = false;
  let pos = 0;
  const end = str.length;
  if (str[0] === '-') {
    negative = true;
    pos++;
  } else if (str[0] === '+') {
    pos++;
  }
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return { negative, value: '0', num: '0', denom: '', suffix: '' };
  let i = pos;
  while (i < end && isDigit(str[i])) i++;
  if (i >= end) return { negative, value: str, num: str.slice(pos), denom: '', suffix: '' };
  const num = str.slice(pos, i) || '0';
  pos = i;
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    i = pos;
    while (i < end && isDigit(str[i])) i++;
    if (i >= end) return { negative, value: str, num, denom: str.slice(pos), suffix: '' };
    denom = str.slice(pos, i);
    pos = i;
  }
  const value = str.slice(0, pos);
  const suffixStart = pos;
  i = pos;
  while (i < end && SuffixChars.includes(str[i] as string)) i++;
  if (i >= end) return { negative, value, num, denom, suffix: str.slice(suffixStart) };
  pos = i;
  if (str[pos] === '-' || str[pos] === '+') pos++;
  while (pos < end && isDigit(str[pos])) pos++;
  if (pos >= end) return { negative, value, num, denom, suffix: str.slice(suffixStart) };
  return undefined;
}

/**
 * Reads a quantity, or says why it is not one: `format` (Kubernetes refuses it too) or
 * `exponent` (beyond this tool's ±1000).
 */
export function readQuantity(input: string | number): Quantity | QuantityProblem {
  const str = quantityText(input).replace(GoSpace, '');
  if (str === '') return 'format';
  const parts = split(str);
  if (!parts) return 'format';
  const { negative, value, num, denom, suffix } = parts;
  let base: 2 | 10;
  let exponent: number;
  if (suffix in DecimalSuffixes) {
    base = 10;
    exponent = DecimalSuffixes[suffix] as number;
  } else if (suffix in BinarySuffixes) {
    base = 2;
    exponent = BinarySuffixes[suffix] as number;
  } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E')) {
    const text = suffix.slice(1);
    // strconv.ParseInt(text, 10, 64): an optional sign and digits, within 64 bits.
    if (!/^[+-]?\d+$/.test(text)) return 'format';
    const big = BigInt(text);
    if (big > 9223372036854775807n || big < -9223372036854775808n) return 'format';
    if (big > BigInt(MaxQuantityExponent) || big < BigInt(-MaxQuantityExponent)) return 'exponent';
    base = 10;
    exponent = Number(big);
  } else {
    return 'format';
  }
  // Where Kubernetes does not take its 64-bit fast path, it parses `value` as a decimal, which
  // needs a digit ("." alone is zero on the fast path and an error off it).
  let fast: boolean;
  if (base === 10) fast = 18 - (num.length + denom.length) >= 0 && exponent - denom.length >= -9;
  else fast = denom.length === 0 && 15 - num.length - Math.trunc((exponent * 3) / 10) - 1 >= 0;
  if (!fast && !/\d/.test(value)) return 'format';
  const digits = BigInt(`${num}${denom}`.replace(/^0+(?=\d)/, '') || '0');
  return { negative: negative && digits !== 0n, digits, exp10: (base === 10 ? exponent : 0) - denom.length, exp2: base === 2 ? exponent : 0 };
}

/** The quantity, or undefined when Kubernetes (or this tool's exponent limit) refuses it. */
export function parseQuantity(input: string | number): Quantity | undefined {
  const read = readQuantity(input);
  return typeof read === 'string' ? undefined : read;
}

/** Compares two quantities exactly: -1, 0 or 1. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const sign = (q: Quantity): number => (q.digits === 0n ? 0 : q.negative ? -1 : 1);
  if (sign(a) !== sign(b)) return Math.sign(sign(a) - sign(b));
  if (sign(a) === 0) return 0;
  const e10 = Math.min(a.exp10, b.exp10);
  const e2 = Math.min(a.exp2, b.exp2);
  const scale = (q: Quantity): bigint => q.digits * 10n ** BigInt(q.exp10 - e10) * 2n ** BigInt(q.exp2 - e2);
  const x = scale(a);
  const y = scale(b);
  const magnitude = x === y ? 0 : x > y ? 1 : -1;
  return sign(a) < 0 ? -magnitude : magnitude;
}

/** Compares a quantity with a constant written as a quantity (e.g. "1m", "1Mi"). */
export function compareQuantity(a: Quantity, constant: string): number {
  const b = parseQuantity(constant);
  if (!b) throw new Error(`not a quantity: ${constant}`);
  return compareQuantities(a, b);
}

/** Approximately, in base units (cores, bytes): for messages, not for decisions. */
export function quantityNumber(q: Quantity): number {
  const value = Number(`${q.digits}e${q.exp10}`) * 2 ** q.exp2;
  return q.negative ? -value : value;
}

/**
 * What the user probably meant by a memory size that is not a quantity, e.g. `8GB` → `8Gi` or
 * `8G`, `512 mb` → `512Mi` or `512M`. Empty when nothing plausible comes to mind. Every
 * suggestion is itself a quantity.
 */
export function suggestMemoryQuantity(input: string): string[] {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgtpe])(i?)b?(?:ytes?)?\s*$/i.exec(input);
  if (!match) return [];
  const [, number, unit = '', binary] = match;
  const decimalUnit = unit.toLowerCase() === 'k' ? 'k' : unit.toUpperCase();
  const binaryUnit = `${unit.toUpperCase()}i`;
  const suggestions = binary ? [`${number}${binaryUnit}`] : [`${number}${binaryUnit}`, `${number}${decimalUnit}`];
  return suggestions.filter((s) => s !== input && parseQuantity(s) !== undefined);
}

/** Like suggestMemoryQuantity, for CPU: `2 cores` → `2`, `500mc`/`500 millicores` → `500m`. */
export function suggestCpuQuantity(input: string): string[] {
  const cores = /^\s*(\d+(?:\.\d+)?)\s*(?:cores?|cpus?|vcpus?)\s*$/i.exec(input);
  if (cores) return [cores[1] ?? ''];
  const milli = /^\s*(\d+)\s*(?:mc|millicores?|millicpus?|m)\s*$/i.exec(input);
  if (milli) return [`${milli[1]}m`];
  return [];
}
