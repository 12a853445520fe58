/**
 * Warnings only the live cluster can give: a referenced Secret, ConfigMap, PVC or service
 * account missing in the namespace, a GPU request no node can satisfy, GPU autoscaling without
 * a custom metrics API; and the errors of rules that depend on the cluster's Kubernetes version
 * (environment variable names before 1.32). Pure: the adapter fetches the facts, this places them.
 */
import { quoted } from '../spec/messageText';
import { isEnvVarName } from '../spec/names';
import { checkSpec, usesStrictEnvNames, type SpecFinding, type SpecPath } from '../spec/semanticChecks';
import { SpecDefaults } from '../spec/specDefaults';
import { findingToDiagnostic, type ParsedSpec, type SpecDiagnostic } from '../spec/specDocument';

export interface ClusterFacts {
  namespace: string;
  context?: string;
  /** Each list is undefined when it could not be read (no permission, unreachable): no warning then. */
  secrets?: readonly string[];
  /** Keys of Secrets, by name, for the Secrets the spec references. */
  secretKeys?: Readonly<Record<string, readonly string[]>>;
  configMaps?: readonly string[];
  configMapKeys?: Readonly<Record<string, readonly string[]>>;
  persistentVolumeClaims?: readonly string[];
  serviceAccounts?: readonly string[];
  /** Per extended resource name, the most any single node can allocate. */
  gpuCapacity?: Readonly<Record<string, number>>;
  customMetricsServed?: boolean;
  /** The GPU resource name used when the spec names none. */
  defaultGpuResourceName?: string;
  /** The API server's version (`v1.31.4`), when it said. */
  kubernetesVersion?: string;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** What the spec references by name, for the adapter to know which keys to fetch. */
export function referencedNames(spec: unknown): { secrets: string[]; configMaps: string[] } {
  const secrets = new Set<string>();
  const configMaps = new Set<string>();
  if (!isObject(spec)) return { secrets: [], configMaps: [] };
  for (const entry of list(spec['env'])) {
    if (!isObject(entry)) continue;
    const s = entry['secretKeyRef'];
    if (isObject(s) && typeof s['name'] === 'string') secrets.add(s['name']);
    const c = entry['configMapKeyRef'];
    if (isObject(c) && typeof c['name'] === 'string') configMaps.add(c['name']);
  }
  for (const volume of list(spec['volumes'])) {
    if (!isObject(volume)) continue;
    const s = volume['secret'];
    if (isObject(s) && typeof s['secretName'] === 'string') secrets.add(s['secretName']);
    const c = volume['configMap'];
    if (isObject(c) && typeof c['name'] === 'string') configMaps.add(c['name']);
  }
  return { secrets: [...secrets], configMaps: [...configMaps] };
}

/**
 * The codes of cluster findings that mean "as it is, this revision cannot run here": its pods
 * would stay Pending or fail to start, or Start is refused. Launching with one asks first.
 */
const CannotRun = new Set([
  'cluster-secret-missing',
  'cluster-secret-key-missing',
  'cluster-configmap-missing',
  'cluster-configmap-key-missing',
  'cluster-pvc-missing',
  'cluster-service-account-missing',
  'cluster-gpu-unavailable',
  'cluster-gpu-too-many',
  'cluster-no-custom-metrics',
]);

export function preventsRunning(finding: Pick<SpecFinding, 'code'>): boolean {
  return CannotRun.has(finding.code);
}

/** The cluster's findings placed on the spec text (the editor's diagnostics). */
export function clusterDiagnostics(parsed: ParsedSpec, facts: ClusterFacts): SpecDiagnostic[] {
  return clusterFindings(parsed.value, facts).map((finding) => findingToDiagnostic(parsed, finding));
}

/**
 * What only the live cluster can say about a spec, by field path: the editor places them on the
 * text, the form beside its fields, Create and launch asks before launching one that prevents
 * running, the dry run reports them. One code path for every surface.
 */
export function clusterFindings(spec: unknown, facts: ClusterFacts): SpecFinding[] {
  if (!isObject(spec)) return [];
  const out: SpecFinding[] = [];
  const where = `namespace ${quoted(facts.namespace)}${facts.context ? ` of context ${quoted(facts.context)}` : ''}`;
  const warn = (code: string, path: SpecPath, message: string): void => {
    out.push({ severity: 'warning', code, path, message, target: 'value' });
  };
  const missing = (known: readonly string[] | undefined, name: unknown): name is string => known !== undefined && typeof name === 'string' && name !== '' && !known.includes(name);

  list(spec['env']).forEach((entry, index) => {
    if (!isObject(entry)) return;
    for (const [field, kind, names, keys] of [
      ['secretKeyRef', 'Secret', facts.secrets, facts.secretKeys],
      ['configMapKeyRef', 'ConfigMap', facts.configMaps, facts.configMapKeys],
    ] as const) {
      const ref = entry[field];
      if (!isObject(ref) || ref['optional'] === true) continue;
      const name = ref['name'];
      if (missing(names, name)) {
        warn(`cluster-${kind.toLowerCase()}-missing`, ['env', index, field, 'name'], `${kind} ${quoted(name)} does not exist in ${where}: create it before starting this revision (or fix the name), otherwise its pods cannot start.`);
      } else if (typeof name === 'string' && missing(keys?.[name], ref['key'])) {
        warn(`cluster-${kind.toLowerCase()}-key-missing`, ['env', index, field, 'key'], `${kind} ${quoted(name)} in ${where} has no key ${quoted(String(ref['key']))}; its keys are ${(keys?.[name] ?? []).map((k) => quoted(k)).join(', ') || 'none'}.`);
      }
    }
  });
  list(spec['volumes']).forEach((volume, index) => {
    if (!isObject(volume)) return;
    const claim = volume['persistentVolumeClaim'];
    if (isObject(claim) && missing(facts.persistentVolumeClaims, claim['claimName'])) {
      warn('cluster-pvc-missing', ['volumes', index, 'persistentVolumeClaim', 'claimName'], `PersistentVolumeClaim ${quoted(String(claim['claimName']))} does not exist in ${where}: create it (or fix the name), otherwise the pods stay Pending.`);
    }
    const secret = volume['secret'];
    if (isObject(secret) && missing(facts.secrets, secret['secretName'])) {
      warn('cluster-secret-missing', ['volumes', index, 'secret', 'secretName'], `Secret ${quoted(String(secret['secretName']))} does not exist in ${where}: create it (or fix the name), otherwise the pods cannot start.`);
    }
    const configMap = volume['configMap'];
    if (isObject(configMap) && missing(facts.configMaps, configMap['name'])) {
      warn('cluster-configmap-missing', ['volumes', index, 'configMap', 'name'], `ConfigMap ${quoted(String(configMap['name']))} does not exist in ${where}: create it (or fix the name), otherwise the pods cannot start.`);
    }
  });
  if (missing(facts.serviceAccounts, spec['serviceAccountName'])) {
    warn('cluster-service-account-missing', ['serviceAccountName'], `Service account ${quoted(String(spec['serviceAccountName']))} does not exist in ${where}: create it (bound to the cloud identity you need), or the Deployment cannot create pods.`);
  }
  const resources = spec['resources'];
  const gpu = isObject(resources) ? resources['gpu'] : undefined;
  const count = isObject(gpu) ? gpu['count'] : undefined;
  if (facts.gpuCapacity && isObject(gpu) && typeof count === 'number' && count > 0) {
    const resourceName = typeof gpu['resourceName'] === 'string' ? gpu['resourceName'] : (facts.defaultGpuResourceName ?? SpecDefaults.gpuResourceName);
    const most = facts.gpuCapacity[resourceName];
    if (most === undefined || most === 0) {
      const known = Object.keys(facts.gpuCapacity);
      warn('cluster-gpu-unavailable', ['resources', 'gpu', typeof gpu['resourceName'] === 'string' ? 'resourceName' : 'count'], `No node in context ${quoted(facts.context ?? '')} advertises ${quoted(resourceName)}, so the pods would stay Pending${known.length > 0 ? `; nodes advertise ${known.map((k) => quoted(k)).join(', ')}` : ''}.`);
    } else if (count > most) {
      warn('cluster-gpu-too-many', ['resources', 'gpu', 'count'], `resources.gpu.count ${count} is more than any node can give: the largest node has ${most} × ${quoted(resourceName)} allocatable, so the pods would stay Pending. Ask for at most ${most}.`);
    }
  }
  if (usesStrictEnvNames(facts.kubernetesVersion)) {
    // The spec's own checks follow the current release; this cluster is older.
    for (const finding of checkSpec(spec, { kubernetesVersion: facts.kubernetesVersion })) {
      const name = finding.code === 'env-name' ? list(spec['env'])[finding.path[1] as number] : undefined;
      if (isObject(name) && typeof name['name'] === 'string' && isEnvVarName(name['name'], true)) out.push(finding);
    }
  }
  const autoscaling = spec['autoscaling'];
  if (isObject(autoscaling) && autoscaling['metric'] === 'gpu' && facts.customMetricsServed === false) {
    warn('cluster-no-custom-metrics', ['autoscaling', 'metric'], `The cluster serves no custom metrics API (custom.metrics.k8s.io), so a GPU-utilisation autoscaler could never act and starting this revision is refused. Install a metrics adapter (e.g. DCGM exporter with prometheus-adapter) or scale on "cpu" or "memory".`);
  }
  return out;
}
