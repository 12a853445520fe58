/**
 * Resource amounts as the scheduler and the quota admission count them: CPU in millicores,
 * everything else (memory, GPUs, pods) in whole units, each rounded up as Kubernetes rounds a
 * request. Pure; for decisions (the fit check), unlike quantityNumber, which is for messages.
 */
import type { V1Container, V1PodSpec } from '@kubernetes/client-node';
import { parseQuantity } from '../spec/quantity';

/** A resource's amount in its counting unit: millicores for `cpu`, whole units otherwise; 0 for what is not a quantity. */
export function amountOf(resource: string, quantity: string | number | undefined): number {
  if (quantity === undefined) return 0;
  const q = parseQuantity(quantity);
  if (!q || q.negative) return 0;
  const scale = resource === 'cpu' ? 3 : 0;
  const exp10 = q.exp10 + scale;
  let value = q.digits * 2n ** BigInt(q.exp2);
  if (exp10 >= 0) return Number(value * 10n ** BigInt(exp10));
  const divisor = 10n ** BigInt(-exp10);
  const whole = value / divisor;
  value = value % divisor === 0n ? whole : whole + 1n;
  return Number(value);
}

/** `cpu 1500` → `1.5`, `memory 2147483648` → `2Gi`, `nvidia.com/gpu 4` → `4`: short and exact enough to act on. */
export function formatAmount(resource: string, amount: number): string {
  if (resource === 'cpu') return amount % 1000 === 0 ? String(amount / 1000) : amount >= 1000 ? String(Math.round(amount / 10) / 100) : `${amount}m`;
  if (resource === 'memory' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-')) {
    for (const [suffix, size] of [['Ti', 2 ** 40], ['Gi', 2 ** 30], ['Mi', 2 ** 20], ['Ki', 2 ** 10]] as const) {
      if (Math.abs(amount) >= size) return `${Math.round((amount / size) * 10) / 10}${suffix}`;
    }
    return String(amount);
  }
  return String(amount);
}

/** `40 CPU`, `200Gi of memory`, `4 × nvidia.com/gpu`. */
export function describeAmount(resource: string, amount: number): string {
  if (resource === 'cpu') return `${formatAmount('cpu', amount)} CPU`;
  if (resource === 'memory') return `${formatAmount('memory', amount)} of memory`;
  if (resource === 'pods') return `${amount} pod${amount === 1 ? '' : 's'}`;
  return `${formatAmount(resource, amount)} × ${resource}`;
}

function containerAmounts(container: V1Container, kind: 'requests' | 'limits'): Record<string, number> {
  const out: Record<string, number> = {};
  const resources = container.resources;
  // A container that sets only a limit gets it as its request (the API server defaults it so).
  const source = kind === 'requests' ? { ...(resources?.limits ?? {}), ...(resources?.requests ?? {}) } : (resources?.limits ?? {});
  for (const [name, quantity] of Object.entries(source)) out[name] = amountOf(name, quantity);
  return out;
}

/**
 * What one pod asks for, as the scheduler counts it: the sum over its containers, or the largest
 * init container where that is more.
 */
export function podAmounts(spec: V1PodSpec | undefined, kind: 'requests' | 'limits' = 'requests'): Record<string, number> {
  const total: Record<string, number> = {};
  for (const c of spec?.containers ?? []) for (const [name, amount] of Object.entries(containerAmounts(c, kind))) total[name] = (total[name] ?? 0) + amount;
  for (const c of spec?.initContainers ?? []) for (const [name, amount] of Object.entries(containerAmounts(c, kind))) total[name] = Math.max(total[name] ?? 0, amount);
  return total;
}
