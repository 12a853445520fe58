/**
 * Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): a signed decimal number
 * followed by a binary-SI suffix (Ki…Ei), a decimal-SI suffix (n, u, m, k, M, G, T, P, E) or a
 * decimal exponent (e3, E-2).
 */
const QuantityPattern = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E|[eE][+-]?\d+)?$/;

const Multipliers: Record<string, number> = {
  '': 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** The value of a quantity in base units (cores, bytes), or undefined when it is not one. */
export function parseQuantity(input: string | number): number | undefined {
  if (typeof input === 'number') return Number.isFinite(input) ? input : undefined;
  const match = QuantityPattern.exec(input);
  if (!match) return undefined;
  const number = Number(match[1]);
  const suffix = match[2] ?? '';
  const multiplier = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : Multipliers[suffix];
  if (multiplier === undefined || !Number.isFinite(number)) return undefined;
  return number * multiplier;
}

/**
 * What the user probably meant by a memory size that is not a quantity, e.g. `8GB` → `8Gi` or
 * `8G`, `512 mb` → `512Mi` or `512M`. Empty when nothing plausible comes to mind.
 */
export function suggestMemoryQuantity(input: string): string[] {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgtpe])(i?)b?(?:ytes?)?\s*$/i.exec(input);
  if (!match) return [];
  const [, number, unit = '', binary] = match;
  const decimalUnit = unit.toLowerCase() === 'k' ? 'k' : unit.toUpperCase();
  const binaryUnit = `${unit.toUpperCase()}i`;
  const suggestions = binary ? [`${number}${binaryUnit}`] : [`${number}${binaryUnit}`, `${number}${decimalUnit}`];
  return suggestions.filter((s) => s !== input);
}

/** Like suggestMemoryQuantity, for CPU: `2 cores` → `2`, `500mc`/`500 millicores` → `500m`. */
export function suggestCpuQuantity(input: string): string[] {
  const cores = /^\s*(\d+(?:\.\d+)?)\s*(?:cores?|cpus?|vcpus?)\s*$/i.exec(input);
  if (cores) return [cores[1] ?? ''];
  const milli = /^\s*(\d+)\s*(?:mc|millicores?|millicpus?|m)\s*$/i.exec(input);
  if (milli) return [`${milli[1]}m`];
  return [];
}
