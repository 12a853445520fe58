/**
 * What the traffic tests read back from the local control plane, as a person would with kubectl:
 * the service object, the stable Service's selector, pods' serving labels, tag Services, the
 * HTTPRoute. Helpers only; every value comes from the real API server.
 */
import { CustomObjectsApi } from '@kubernetes/client-node';
import { Labels, ServiceObjectKey } from '../../src/core/kube/labels';
import type { ServiceRecord, TrafficTarget } from '../../src/core/traffic/trafficModel';
import type { RevisionClient } from '../../src/kube/revisionClient';
import { adminCore, makeSpec, waitFor } from './cluster';
import { adminKubeConfig } from './simulation';

export async function storedRecord(namespace: string, service: string): Promise<ServiceRecord & { resourceVersion: string }> {
  const object = await adminCore().readNamespacedConfigMap({ name: service, namespace });
  return { ...(JSON.parse(object.data?.[ServiceObjectKey] ?? '{}') as ServiceRecord), resourceVersion: object.metadata?.resourceVersion ?? '' };
}

export async function storedTraffic(namespace: string, service: string): Promise<TrafficTarget[]> {
  return (await storedRecord(namespace, service)).traffic;
}

/**
 * Stores `traffic` in the service object and changes nothing else, as a client does that wrote a
 * change and stopped (or lost the API server) before routing it. Written by hand, as kubectl would.
 */
export async function storeTrafficOnly(namespace: string, service: string, traffic: TrafficTarget[]): Promise<void> {
  const object = await adminCore().readNamespacedConfigMap({ name: service, namespace });
  const record = JSON.parse(object.data?.[ServiceObjectKey] ?? '{}') as ServiceRecord;
  await adminCore().replaceNamespacedConfigMap({ name: service, namespace, body: { ...object, data: { ...object.data, [ServiceObjectKey]: JSON.stringify({ ...record, traffic }) } } });
}

export async function stableSelectorOf(namespace: string, service: string): Promise<Record<string, string> | undefined> {
  return (await adminCore().readNamespacedService({ name: service, namespace })).spec?.selector;
}

/** Pod name → its serving label ('true' or absent), for the pods of one service. */
export async function servingLabels(namespace: string, service: string): Promise<Map<number, string[]>> {
  const pods = await adminCore().listNamespacedPod({ namespace, labelSelector: `${Labels.service}=${service}` });
  const byRevision = new Map<number, string[]>();
  for (const pod of pods.items.filter((p) => !p.metadata?.deletionTimestamp)) {
    const revision = Number(pod.metadata?.labels?.[Labels.revision]);
    byRevision.set(revision, [...(byRevision.get(revision) ?? []), pod.metadata?.labels?.[Labels.serving] ?? '-']);
  }
  return byRevision;
}

export interface RouteRule {
  matches?: Array<{ headers?: Array<{ name: string; value: string }>; path?: { type: string; value: string } }>;
  backendRefs?: Array<{ name: string; port: number; weight: number }>;
}

export async function httpRoute(namespace: string, name: string): Promise<{ rules: RouteRule[]; parentRefs: Array<Record<string, string>>; owner?: string; resourceVersion: string } | undefined> {
  const custom = adminKubeConfig().makeApiClient(CustomObjectsApi);
  try {
    const route = (await custom.getNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace, plural: 'httproutes', name })) as { spec: { rules: RouteRule[]; parentRefs: Array<Record<string, string>> }; metadata: { ownerReferences?: Array<{ name: string }>; resourceVersion?: string } };
    return { rules: route.spec.rules, parentRefs: route.spec.parentRefs, ...(route.metadata.ownerReferences?.[0] ? { owner: route.metadata.ownerReferences[0].name } : {}), resourceVersion: route.metadata.resourceVersion ?? '' };
  } catch (error) {
    if ((error as { code?: number }).code === 404) return undefined;
    throw error;
  }
}

/** A tag's rule: the header it matches and the backend it sends to. */
export function tagRules(route: { rules: RouteRule[] } | undefined): Array<{ header: string; value: string; backend: string }> {
  return (route?.rules ?? []).flatMap((r) => (r.matches ?? []).flatMap((m) => (m.headers ?? []).map((h) => ({ header: h.name, value: h.value, backend: r.backendRefs?.[0]?.name ?? '' }))));
}

/** The split rule's weights (the rule matching no header): `{ 'iris-r1': 90, 'iris-r2': 10 }`. */
export function routeWeights(route: { rules: RouteRule[] } | undefined): Record<string, number> {
  // The API server defaults a rule without matches to a PathPrefix "/" match.
  const split = route?.rules.find((r) => !(r.matches ?? []).some((m) => m.headers && m.headers.length > 0));
  return Object.fromEntries((split?.backendRefs ?? []).map((b) => [b.name, b.weight]));
}

/** The two data planes a service may use, for the tests that must hold on both. */
export interface DataPlaneCase {
  /** As the model names it (`ServiceModel.traffic.dataPlane`). */
  name: 'plain' | 'gateway';
  title: string;
  /** Puts `service` on this data plane (before its first revision, or after). */
  choose(client: RevisionClient, service: string): Promise<void>;
}

export const dataPlanes: readonly DataPlaneCase[] = [
  { name: 'plain', title: 'the plain data plane', choose: async () => undefined },
  {
    name: 'gateway',
    title: 'the Gateway API data plane',
    choose: async (client, service) => {
      await client.traffic.applySettings(service, { gateway: { name: 'public' } });
    },
  },
];

/** What the cluster routes for `service`, read back: the stable Service's selector and, when an HTTPRoute exists, its split's weights. */
export async function routed(namespace: string, service: string): Promise<{ selector: Record<string, string> | undefined; weights?: Record<string, number> }> {
  const route = await httpRoute(namespace, service);
  return { selector: await stableSelectorOf(namespace, service), ...(route ? { weights: routeWeights(route) } : {}) };
}

/**
 * What `routed` reads for `split` (revision → percent) on `plane`, stated as a person would, not
 * with the product's code: a lone revision at 100% is selected by its number, several by the
 * serving label; the Gateway's route weighs every revision with a share, and the plain plane has no route.
 */
export function expectedRouting(plane: DataPlaneCase, service: string, split: Record<number, number>): { selector: Record<string, string>; weights?: Record<string, number> } {
  const serving = Object.entries(split).filter(([, percent]) => percent > 0);
  const selector: Record<string, string> = serving.length === 1 ? { [Labels.service]: service, [Labels.revision]: serving[0]?.[0] ?? '' } : { [Labels.service]: service, [Labels.serving]: 'true' };
  return { selector, ...(plane.name === 'gateway' ? { weights: Object.fromEntries(serving.map(([revision, percent]) => [`${service}-r${revision}`, percent])) } : {}) };
}

/** `[{ revision: 2, percent: 10 }, …]` as `{ 2: 10, … }`. */
export function shares(traffic: readonly TrafficTarget[]): Record<number, number> {
  return Object.fromEntries(traffic.map((t) => [t.revision, t.percent]));
}

/** Creates and launches `count` revisions of `service` and waits until all run. */
export async function runningRevisions(client: RevisionClient, service: string, count: number, replicas = 1): Promise<void> {
  for (let i = 0; i < count; i++) await client.create(makeSpec(service, { replicas, message: `${service} v${i + 1}` }), { launch: true });
  await waitFor(async () => {
    const model = await client.traffic.service(service);
    return model.revisions.length === count && model.revisions.every((r) => r.state.kind === 'running');
  }, `${count} revisions of "${service}" running`);
}

/** The effective shares the model reads from the EndpointSlices, once they equal `want`. */
export function waitForEffective(client: RevisionClient, service: string, want: Record<number, number>): Promise<true> {
  return waitFor(async () => {
    const model = await client.traffic.service(service);
    const shown = Object.fromEntries(model.revisions.map((r) => [r.revision, r.traffic?.effectivePercent ?? 0]));
    return Object.entries(want).every(([revision, percent]) => shown[Number(revision)] === percent) || undefined;
  }, `effective shares ${JSON.stringify(want)} of "${service}"`);
}
