/**
 * The cluster's names that completion offers and the cluster-aware diagnostics check against,
 * read through one connection's client and cached (30 s; failures 15 s) so typing never waits on
 * the API server. Only names and keys are kept: Secret values never leave this module.
 */
import type { ClusterFacts } from '../core/language/clusterChecks';
import { AsyncCache, lookupKey, type ClusterLookup } from '../core/language/clusterLookup';
import type { RevisionClient } from './revisionClient';

/** Names of resources a node advertises that are GPUs: extended resources other than the built-in ones. */
function gpuResources(allocatable: Record<string, string> | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, amount] of Object.entries(allocatable ?? {})) {
    if (!name.includes('/') || name.startsWith('hugepages-') || name.startsWith('kubernetes.io/') || name.startsWith('attachable-volumes-')) continue;
    const count = Number(amount);
    if (Number.isFinite(count)) out[name] = count;
  }
  return out;
}

/** One per connection: a new context or namespace starts with an empty cache. */
export class ClusterLookups {
  private readonly cache: AsyncCache;

  constructor(
    private readonly client: RevisionClient,
    onError: (key: string, error: unknown) => void,
  ) {
    this.cache = new AsyncCache({ onError });
  }

  private loader(lookup: ClusterLookup): () => Promise<string[]> {
    return async () => {
      const core = this.client.core;
      switch (lookup.kind) {
        case 'namespaces':
          return (await core.listNamespace()).items.map((n) => n.metadata?.name ?? '').filter(Boolean);
        case 'serviceAccounts':
          return (await core.listNamespacedServiceAccount({ namespace: lookup.namespace })).items.map((n) => n.metadata?.name ?? '').filter(Boolean);
        case 'persistentVolumeClaims':
          return (await core.listNamespacedPersistentVolumeClaim({ namespace: lookup.namespace })).items.map((n) => n.metadata?.name ?? '').filter(Boolean);
        case 'secrets':
          // Only names are kept: Secret values never leave this function.
          return (await core.listNamespacedSecret({ namespace: lookup.namespace })).items.map((n) => n.metadata?.name ?? '').filter(Boolean);
        case 'configMaps':
          return (await core.listNamespacedConfigMap({ namespace: lookup.namespace })).items.map((n) => n.metadata?.name ?? '').filter(Boolean);
        case 'secretKeys': {
          const secret = await core.readNamespacedSecret({ name: lookup.name, namespace: lookup.namespace });
          return [...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})];
        }
        case 'configMapKeys': {
          const map = await core.readNamespacedConfigMap({ name: lookup.name, namespace: lookup.namespace });
          return [...Object.keys(map.data ?? {}), ...Object.keys(map.binaryData ?? {})];
        }
        case 'gpuResourceNames':
          return Object.keys(await this.gpuCapacityNow());
        case 'gpuProducts': {
          const nodes = await core.listNode();
          return [...new Set(nodes.items.map((n) => n.metadata?.labels?.['nvidia.com/gpu.product']).filter((p): p is string => !!p))];
        }
      }
    };
  }

  private async gpuCapacityNow(): Promise<Record<string, number>> {
    const nodes = await this.client.core.listNode();
    const most: Record<string, number> = {};
    for (const node of nodes.items) {
      for (const [name, count] of Object.entries(gpuResources(node.status?.allocatable))) most[name] = Math.max(most[name] ?? 0, count);
    }
    return most;
  }

  /** Never waits: the cached answer, and a background refresh when it is missing or stale. */
  peek(lookup: ClusterLookup): string[] | undefined {
    return this.cache.peek(lookupKey(lookup), this.loader(lookup));
  }

  wait(lookup: ClusterLookup, timeoutMs: number): Promise<string[] | undefined> {
    return this.cache.wait(lookupKey(lookup), this.loader(lookup), timeoutMs);
  }

  /** Everything the cluster-aware diagnostics need; parts that cannot be read stay undefined. */
  async facts(namespace: string, referenced: { secrets: string[]; configMaps: string[] }, needs: { gpu: boolean; customMetrics: boolean }, timeoutMs: number): Promise<ClusterFacts> {
    const client = this.client;
    const facts: ClusterFacts = { namespace, context: client.contextName };
    const list = (kind: 'secrets' | 'configMaps' | 'persistentVolumeClaims' | 'serviceAccounts') => this.wait({ kind, namespace }, timeoutMs);
    const [secrets, configMaps, claims, accounts] = await Promise.all([list('secrets'), list('configMaps'), list('persistentVolumeClaims'), list('serviceAccounts')]);
    if (secrets) facts.secrets = secrets;
    if (configMaps) facts.configMaps = configMaps;
    if (claims) facts.persistentVolumeClaims = claims;
    if (accounts) facts.serviceAccounts = accounts;
    const keysOf = async (kind: 'secretKeys' | 'configMapKeys', names: string[], existing: string[] | undefined) => {
      const out: Record<string, string[]> = {};
      await Promise.all(
        names.filter((n) => existing?.includes(n)).map(async (name) => {
          const keys = await this.wait({ kind, namespace, name }, timeoutMs);
          if (keys) out[name] = keys;
        }),
      );
      return out;
    };
    facts.secretKeys = await keysOf('secretKeys', referenced.secrets, secrets);
    facts.configMapKeys = await keysOf('configMapKeys', referenced.configMaps, configMaps);
    if (needs.gpu) {
      const capacity = await this.cache.wait('gpuCapacity', () => this.gpuCapacityNow(), timeoutMs);
      if (capacity) facts.gpuCapacity = capacity;
    }
    // Rules that changed between Kubernetes releases follow the cluster's version.
    const version = await this.cache.wait('kubernetesVersion', () => client.kubernetesVersion(), timeoutMs);
    if (version) facts.kubernetesVersion = version;
    if (needs.customMetrics) {
      const served = await this.cache.wait('customMetrics', () => client.servesCustomMetrics(), timeoutMs);
      if (served !== undefined) facts.customMetricsServed = served;
    }
    return facts;
  }
}
