/**
 * The checks of compute resources and autoscaling: quantities as the API server reads them, and
 * this tool's stricter bounds (CPU from 1m to 4,096 cores, memory above 0), said as its own.
 */
import { quoted } from './messageText';
import { isExtendedResourceName, isLabelValue, isPathSegmentName, isQualifiedName } from './names';
import { compareQuantity, MaxQuantityExponent, quantityText, readQuantity, suggestCpuQuantity, suggestMemoryQuantity, type Quantity } from './quantity';
import { SpecDefaults } from './specDefaults';
import { isInteger, isObject, replace, type Add, type Json, type SpecFix, type SpecPath } from './specFinding';

/** This tool's limit: no node offers more cores (the largest machines have a few hundred). */
export const MaxCpuCores = 4096;

const exponentRule = `this tool refuses decimal exponents beyond ±${MaxQuantityExponent}, which no amount needs and which Kubernetes' parser takes ever longer to read (it never returns on some)`;

export function quantityProblem(value: string | number, field: string, code: string, path: SpecPath, add: Add, suggest: (text: string) => string[], hint: string): Quantity | undefined {
  const read = readQuantity(value);
  if (typeof read !== 'string') return read;
  if (read === 'exponent') {
    add('error', code, path, `${field} ${quoted(quantityText(value))} is out of range: ${exponentRule}.`);
    return undefined;
  }
  const suggestions = typeof value === 'string' ? suggest(value) : [];
  const text = suggestions.length > 0 ? `write ${suggestions.map((s) => `"${s}"`).join(' or ')}` : hint;
  add('error', code, path, `${field} ${quoted(quantityText(value))} is not a Kubernetes quantity: ${text}.`, 'value', suggestions.map((s) => replace(path, s)));
  return undefined;
}

/** Memory amounts a tiny one probably meant: the same number in Mi, and in M (for `m`) or Gi. */
function tinyMemoryFixes(value: string | number, path: SpecPath): SpecFix[] {
  const text = quantityText(value).trim();
  const number = /^\+?(\d+(?:\.\d*)?|\.\d+)/.exec(text)?.[1];
  if (number === undefined) return [];
  const suffix = text.slice(text.indexOf(number) + number.length);
  const candidates = [`${number}Mi`, suffix === 'm' ? `${number}M` : `${number}Gi`];
  return candidates
    .filter((c, i, all) => all.indexOf(c) === i && c !== text)
    .filter((c) => {
      const q = readQuantity(c);
      return typeof q !== 'string' && compareQuantity(q, '1Mi') >= 0;
    })
    .map((c) => replace(path, c));
}

/** Checks resources and returns the GPU count per replica (0 when none). */
export function checkResources(spec: Json, add: Add): number {
  const resources = spec['resources'];
  if (!isObject(resources)) return 0;
  const cpu = resources['cpu'];
  const cpuPath = ['resources', 'cpu'];
  if (typeof cpu === 'string' || typeof cpu === 'number') {
    const value = quantityProblem(cpu, 'resources.cpu', 'cpu-quantity', cpuPath, add, suggestCpuQuantity, 'write cores ("2", "0.5") or millicores ("500m")');
    if (value && value.negative) {
      add('error', 'cpu-positive', cpuPath, `resources.cpu ${quoted(quantityText(cpu))} is negative: ask for at least "100m".`);
    } else if (value && value.digits === 0n) {
      add('error', 'cpu-positive', cpuPath, `resources.cpu is 0: this tool asks for some CPU, since a server given none is starved by its neighbours; ask for at least "100m".`);
    } else if (value && compareQuantity(value, '1m') < 0) {
      add('error', 'cpu-precision', cpuPath, `resources.cpu ${quoted(quantityText(cpu))} is below 1m: this tool's rule, since Kubernetes schedules CPU in whole millicores and would give it 1m; ask for at least "1m".`);
    } else if (value && compareQuantity(value, String(MaxCpuCores)) > 0) {
      const text = quantityText(cpu).trim();
      const milli = /^\d+(\.\d+)?M$/.test(text) ? `${text.slice(0, -1)}m` : undefined;
      add('error', 'cpu-too-large', cpuPath, `resources.cpu ${quoted(text)} asks for more than ${MaxCpuCores} cores, which no node has (this tool's rule: the pods would stay Pending)${milli ? `: did you mean millicores, "${milli}"?` : '.'}`, 'value', milli ? [replace(cpuPath, milli)] : []);
    }
  }
  const memory = resources['memory'];
  const memoryPath = ['resources', 'memory'];
  if (typeof memory === 'string' || typeof memory === 'number') {
    const value = quantityProblem(memory, 'resources.memory', 'memory-quantity', memoryPath, add, suggestMemoryQuantity, 'write it with a unit such as "512Mi" or "8Gi" (binary) or "8G" (decimal)');
    if (value && value.negative) {
      add('error', 'memory-positive', memoryPath, `resources.memory ${quoted(quantityText(memory))} is negative: ask for at least "128Mi".`);
    } else if (value && value.digits === 0n) {
      add('error', 'memory-positive', memoryPath, 'resources.memory is 0: this tool asks for some memory, since no server runs in none; ask for at least "128Mi".');
    } else if (value && compareQuantity(value, '1Mi') < 0) {
      const fixes = tinyMemoryFixes(memory, memoryPath);
      const hint = fixes.length > 0 ? `: did you mean ${fixes.map((f) => `"${String((f as { value: unknown }).value)}"`).join(' or ')}?` : ': write it with a unit such as "512Mi".';
      add('warning', 'memory-tiny', memoryPath, `resources.memory ${quoted(quantityText(memory))} is less than 1 MiB, which no server can run in${hint}`, 'value', fixes);
    }
  }
  const gpu = resources['gpu'];
  if (!isObject(gpu)) return 0;
  const resourceName = gpu['resourceName'];
  if (typeof resourceName === 'string' && !isExtendedResourceName(resourceName)) {
    const why = !resourceName.includes('/') && resourceName !== ''
      ? `this tool's rule: a GPU is an extended resource with a domain, and a standard name such as ${quoted(resourceName, 20)} would replace the revision's own request of it with the GPU count; write e.g. "${SpecDefaults.gpuResourceName}"`
      : resourceName.includes('kubernetes.io/')
      ? 'device plugins may not advertise names in the kubernetes.io domain'
      : resourceName.startsWith('requests.')
        ? 'names starting with "requests." are reserved for quotas'
        : isQualifiedName(resourceName) && resourceName.includes('/')
          ? 'Kubernetes also needs it to be a valid name once prefixed with "requests." (the domain is too long)'
          : `write it as domain/name, e.g. "${SpecDefaults.gpuResourceName}"`;
    add('error', 'gpu-resource-name', ['resources', 'gpu', 'resourceName'], `resources.gpu.resourceName ${quoted(resourceName)} is not an extended resource name a device plugin can advertise: ${why}.`);
  }
  const product = gpu['product'];
  if (typeof product === 'string' && !isLabelValue(product)) {
    add('error', 'gpu-product', ['resources', 'gpu', 'product'], `resources.gpu.product ${quoted(product)} cannot be a node label value: use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, as in "NVIDIA-A100-SXM4-80GB".`);
  }
  const count = gpu['count'];
  return isInteger(count) ? count : 0;
}

export function checkAutoscaling(spec: Json, gpuCount: number, add: Add): void {
  const autoscaling = spec['autoscaling'];
  if (!isObject(autoscaling)) return;
  const min = autoscaling['minReplicas'];
  const max = autoscaling['maxReplicas'];
  if (isInteger(min) && isInteger(max) && min > max) {
    add('error', 'autoscaling-min-max', ['autoscaling', 'minReplicas'], `autoscaling.minReplicas (${min}) is greater than autoscaling.maxReplicas (${max}): make minReplicas at most maxReplicas, e.g. swap them.`, 'value', [
      { kind: 'swapValues', paths: [['autoscaling', 'minReplicas'], ['autoscaling', 'maxReplicas']], title: `Swap minReplicas and maxReplicas (${max} and ${min})` },
    ]);
  }
  if (autoscaling['metric'] === 'gpu' && gpuCount < 1) {
    add('error', 'gpu-metric-without-gpu', ['autoscaling', 'metric'], 'autoscaling.metric is "gpu" but the revision requests no GPU: add resources.gpu.count (at least 1) or scale on "cpu" or "memory".');
  }
  const metricName = autoscaling['gpuMetricName'];
  if (typeof metricName === 'string' && metricName !== '' && !isPathSegmentName(metricName)) {
    add('error', 'gpu-metric-name', ['autoscaling', 'gpuMetricName'], `autoscaling.gpuMetricName ${quoted(metricName)} cannot name a custom metric: it must not be "." or ".." nor contain '/' or '%', e.g. "${SpecDefaults.gpuMetricName}".`, 'value', [
      replace(['autoscaling', 'gpuMetricName'], SpecDefaults.gpuMetricName),
    ]);
  }
  if (spec['replicas'] !== undefined) {
    add('warning', 'replicas-with-autoscaling', ['replicas'], 'replicas is ignored while autoscaling is on: the autoscaler runs between autoscaling.minReplicas and autoscaling.maxReplicas. Remove replicas or remove autoscaling.', 'key');
  }
}
