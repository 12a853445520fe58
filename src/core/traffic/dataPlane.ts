/**
 * The objects that carry a service's traffic policy into the cluster, as pure functions, and the
 * share each revision gets in effect:
 * - plain Kubernetes: the stable Service `<service>` selects one revision exactly when it holds
 *   100 %, else the pods labelled `serve-revisions.dev/serving=true` (those of the revisions with a
 *   share); the split then follows ready pods, so the effective share is read from its EndpointSlices;
 * - Gateway API: an HTTPRoute `<service>` with weighted backendRefs to the per-revision Services
 *   (exact per request), and one header-matched rule per tag;
 * - tags: a Service `<service>-<tag>` selecting the tagged revision, in both.
 */
import type { V1EndpointSlice, V1OwnerReference, V1Pod, V1Service, V1ServicePort } from '@kubernetes/client-node';
import { Labels, revisionObjectName, serviceLabels } from '../kube/labels';
import { apportion } from './trafficPolicy';
import { servingTargets, type GatewayParent, type ServiceRecord, type TrafficTarget } from './trafficModel';

export const GatewayGroup = 'gateway.networking.k8s.io';
export const GatewayVersion = 'v1';

/** The request header that picks a tagged revision through the Gateway: `X-Serve-Revisions-Tag: canary`. */
export const TagHeader = 'X-Serve-Revisions-Tag';

/** Owner reference to the service object: GC removes what carries the service's traffic with it. */
export function serviceOwnerReference(service: string, uid: string): V1OwnerReference {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: service, uid, controller: true, blockOwnerDeletion: true };
}

/**
 * What the stable Service selects: one revision exactly while it holds all the traffic (exact even
 * with no client running), else the pods carrying the serving label.
 */
export function stableSelector(service: string, traffic: readonly TrafficTarget[]): Record<string, string> {
  const serving = servingTargets(traffic);
  const only = serving.length === 1 ? serving[0] : undefined;
  if (only) return { [Labels.service]: service, [Labels.revision]: String(only.revision) };
  return { [Labels.service]: service, [Labels.serving]: 'true' };
}

/**
 * What a namespace watch can tell of a service's data plane against its stored record: `inLine`
 * when the stable Service (the only part a watch sees: tag Services and the HTTPRoute are not
 * watched) already selects what the record says and is owned by its service object `uid`;
 * `drifted` when it does not; `unseen` when the record has tags or a Gateway, whose objects must
 * be read to know. Pod labels are checked pod by pod (wantsServingLabel).
 */
export function watchedDataPlane(record: ServiceRecord, stable: V1Service | undefined, uid: string): 'inLine' | 'drifted' | 'unseen' {
  if (record.settings.gateway || record.traffic.some((t) => (t.tags?.length ?? 0) > 0)) return 'unseen';
  // Nothing serves and there is no stable Service yet: the plane has nothing to carry.
  if (!stable) return servingTargets(record.traffic).length === 0 ? 'inLine' : 'drifted';
  const owned = stable.metadata?.ownerReferences?.some((o) => o.uid === uid) ?? false;
  return owned && sameSelector(stable.spec?.selector, stableSelector(record.service, record.traffic)) ? 'inLine' : 'drifted';
}

/** Whether two selectors are the same; the API server returns a map's keys sorted, so compare sorted pairs. */
export function sameSelector(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const sorted = (selector: Record<string, string> | undefined) => JSON.stringify(Object.entries(selector ?? {}).sort());
  return sorted(a) === sorted(b);
}

/** Whether a pod of `revision` should carry the serving label. */
export function wantsServingLabel(traffic: readonly TrafficTarget[], revision: number): boolean {
  return traffic.some((t) => t.revision === revision && t.percent > 0);
}

export interface DataPlaneOwner {
  uid: string;
}

export function renderStableService(service: string, namespace: string, ports: V1ServicePort[], selector: Record<string, string>, owner?: DataPlaneOwner): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: service,
      namespace,
      labels: serviceLabels(service, 'service-endpoint'),
      ...(owner ? { ownerReferences: [serviceOwnerReference(service, owner.uid)] } : {}),
    },
    spec: { type: 'ClusterIP', selector, ports },
  };
}

export function tagServiceName(service: string, tag: string): string {
  return `${service}-${tag}`;
}

/** A tag's stable address: `<service>-<tag>` reaches whichever revision holds the tag. */
export function renderTagService(service: string, tag: string, revision: number, namespace: string, ports: V1ServicePort[], owner: DataPlaneOwner): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: tagServiceName(service, tag),
      namespace,
      labels: { ...serviceLabels(service, 'tag-endpoint'), [Labels.tag]: tag, [Labels.revision]: String(revision) },
      ownerReferences: [serviceOwnerReference(service, owner.uid)],
    },
    spec: { type: 'ClusterIP', selector: { [Labels.service]: service, [Labels.revision]: String(revision) }, ports },
  };
}

export interface HttpRoute {
  apiVersion: string;
  kind: 'HTTPRoute';
  metadata: { name: string; namespace: string; labels: Record<string, string>; ownerReferences?: V1OwnerReference[] };
  spec: {
    parentRefs: Array<{ group: string; kind: string; name: string; namespace?: string; sectionName?: string }>;
    rules: Array<{
      matches?: Array<{ headers: Array<{ type: 'Exact'; name: string; value: string }> }>;
      backendRefs?: Array<{ group: ''; kind: 'Service'; name: string; port: number; weight: number }>;
    }>;
  };
}

/**
 * The HTTPRoute of a service: one rule per tag (a request carrying the tag header reaches the
 * tagged revision), then the split, its weights the percents. A revision with no port is left out
 * (a Service backend needs one); `portOf` gives each revision's first port.
 */
export function renderHttpRoute(service: string, namespace: string, gateway: GatewayParent, traffic: readonly TrafficTarget[], portOf: (revision: number) => number | undefined, owner?: DataPlaneOwner): HttpRoute {
  const backend = (revision: number, weight: number) => {
    const port = portOf(revision);
    return port === undefined ? [] : [{ group: '' as const, kind: 'Service' as const, name: revisionObjectName(service, revision), port, weight }];
  };
  const tagRules = traffic
    .flatMap((t) => (t.tags ?? []).map((tag) => ({ tag, revision: t.revision })))
    .sort((a, b) => a.tag.localeCompare(b.tag))
    .map(({ tag, revision }) => ({ matches: [{ headers: [{ type: 'Exact' as const, name: TagHeader, value: tag }] }], backendRefs: backend(revision, 1) }));
  const split = servingTargets(traffic).flatMap((t) => backend(t.revision, t.percent));
  return {
    apiVersion: `${GatewayGroup}/${GatewayVersion}`,
    kind: 'HTTPRoute',
    metadata: {
      name: service,
      namespace,
      labels: serviceLabels(service, 'route'),
      ...(owner ? { ownerReferences: [serviceOwnerReference(service, owner.uid)] } : {}),
    },
    spec: {
      parentRefs: [{ group: GatewayGroup, kind: 'Gateway', name: gateway.name, ...(gateway.namespace ? { namespace: gateway.namespace } : {}), ...(gateway.sectionName ? { sectionName: gateway.sectionName } : {}) }],
      rules: [...tagRules, split.length > 0 ? { backendRefs: split } : {}],
    },
  };
}

/**
 * The share of traffic each revision gets in effect on the plain data plane: its ready endpoints
 * in the stable Service's EndpointSlices, as whole percents adding up to 100 (none when no
 * endpoint is ready). `revisionOfPod` maps a pod's name to its revision.
 */
export function effectiveShares(slices: readonly V1EndpointSlice[], revisionOfPod: (pod: string) => number | undefined): Map<number, number> {
  const ready = new Map<number, number>();
  const seen = new Set<string>();
  for (const slice of slices) {
    for (const endpoint of slice.endpoints ?? []) {
      const pod = endpoint.targetRef?.kind === 'Pod' ? endpoint.targetRef.name : undefined;
      // An endpoint's readiness left unset means ready (EndpointSlice API); a pod may sit in two slices while they are rebalanced.
      if (!pod || endpoint.conditions?.ready === false || seen.has(pod)) continue;
      seen.add(pod);
      const revision = revisionOfPod(pod);
      if (revision !== undefined) ready.set(revision, (ready.get(revision) ?? 0) + 1);
    }
  }
  return new Map(apportion([...ready].map(([revision, weight]) => ({ revision, weight })), 100).map((s) => [s.revision, s.percent]));
}

/** A pod's revision from its labels, for effectiveShares. */
export function podRevision(pod: V1Pod): number | undefined {
  const revision = Number(pod.metadata?.labels?.[Labels.revision]);
  return Number.isInteger(revision) && revision > 0 ? revision : undefined;
}
