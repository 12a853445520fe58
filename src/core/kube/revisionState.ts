/**
 * What a revision is doing, derived from the plain objects a few label-selected LIST calls (or
 * the watch caches) return. Pure, so the tree, the CLI and the tests agree on every state.
 */
import type { V1ConfigMap, V1Deployment, V1EndpointSlice, V1Pod, V1Service, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { parse } from 'yaml';
import type { RevisionSpec } from '../spec/revisionSpec';
import { revisionTraffic, serviceTraffic, type RevisionTraffic, type ServiceTraffic } from '../traffic/serviceTraffic';
import { Annotations, Labels, RecordSpecKey } from './labels';

export type RevisionState =
  | { kind: 'stopped' }
  | { kind: 'starting'; ready: number; desired: number; reason?: string }
  | { kind: 'running'; ready: number; desired: number }
  | { kind: 'failed'; reason: string; message: string; ready: number; desired: number }
  | { kind: 'stopping' };

export interface RevisionModel {
  service: string;
  namespace: string;
  revision: number;
  message: string;
  image: string;
  createdAt?: string;
  createdBy?: string;
  reproducedFrom?: number;
  /** The stored recipe; undefined when the record's spec cannot be read (shown, not hidden). */
  spec?: RevisionSpec;
  specError?: string;
  recordUid: string;
  state: RevisionState;
  autoscaling?: { minReplicas: number; maxReplicas: number; current?: number; metric: string };
  pods: Array<{ name: string; phase: string; ready: boolean; node?: string; reason?: string }>;
  /** `<name>.<namespace>.svc:<port>` of the revision's own Service, when it is running. */
  endpoint?: string;
  /** Its share of the service's traffic (desired and effective) and its tags. */
  traffic?: RevisionTraffic;
}

export interface ServiceModel {
  name: string;
  namespace: string;
  /** Newest first. */
  revisions: RevisionModel[];
  /** The stable endpoint's address, when its Service exists. */
  endpoint?: string;
  /** Its traffic policy, data plane and rollout (core/traffic/serviceTraffic.ts). */
  traffic?: ServiceTraffic;
}

export interface NamespaceObjects {
  records: V1ConfigMap[];
  deployments: V1Deployment[];
  autoscalers: V2HorizontalPodAutoscaler[];
  pods: V1Pod[];
  services: V1Service[];
  /** The service objects (component=service ConfigMaps): traffic, counter, rollout. */
  serviceObjects?: V1ConfigMap[];
  /** The stable Services' EndpointSlices: the effective shares. */
  endpointSlices?: V1EndpointSlice[];
}

/** Waiting and termination reasons that mean the revision will not come up by itself. */
const FailingReasons = new Set([
  'ImagePullBackOff',
  'ErrImagePull',
  'InvalidImageName',
  'ErrImageNeverPull',
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'ContainerCannotRun',
  'OOMKilled',
  'Error',
]);

function revisionKey(service: string, revision: number): string {
  return `${service}\u0000${revision}`;
}

function labelledRevision(labels: Record<string, string> | undefined): { service: string; revision: number } | undefined {
  const service = labels?.[Labels.service];
  const revision = Number(labels?.[Labels.revision]);
  if (!service || !Number.isInteger(revision) || revision < 1) return undefined;
  return { service, revision };
}

/** The first reason found in a pod that says it is failing, with the kubelet's message. */
export function podFailure(pod: V1Pod): { reason: string; message: string } | undefined {
  for (const status of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) {
    const waiting = status.state?.waiting;
    if (waiting?.reason && FailingReasons.has(waiting.reason)) return { reason: waiting.reason, message: waiting.message ?? `container ${status.name} is waiting: ${waiting.reason}` };
    const terminated = status.state?.terminated;
    if (terminated && terminated.exitCode !== 0 && terminated.reason && FailingReasons.has(terminated.reason)) {
      return { reason: terminated.reason, message: terminated.message ?? `container ${status.name} exited with code ${terminated.exitCode}` };
    }
  }
  if (pod.status?.phase === 'Failed') return { reason: pod.status.reason ?? 'Failed', message: pod.status.message ?? 'the pod failed' };
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return { reason: 'Unschedulable', message: scheduled.message ?? 'no node can run the pod' };
  }
  return undefined;
}

function waitingReason(pod: V1Pod): string | undefined {
  for (const status of pod.status?.containerStatuses ?? []) {
    if (status.state?.waiting?.reason) return status.state.waiting.reason;
  }
  return pod.status?.phase === 'Pending' ? 'Pending' : undefined;
}

export function deriveState(deployment: V1Deployment | undefined, pods: V1Pod[]): RevisionState {
  if (!deployment) return { kind: 'stopped' };
  if (deployment.metadata?.deletionTimestamp) return { kind: 'stopping' };
  const desired = deployment.spec?.replicas ?? 1;
  const ready = deployment.status?.readyReplicas ?? 0;
  const live = pods.filter((p) => !p.metadata?.deletionTimestamp);
  for (const pod of live) {
    const failure = podFailure(pod);
    if (failure) return { kind: 'failed', ...failure, ready, desired };
  }
  const replicaFailure = deployment.status?.conditions?.find((c) => c.type === 'ReplicaFailure' && c.status === 'True');
  if (replicaFailure) return { kind: 'failed', reason: replicaFailure.reason ?? 'ReplicaFailure', message: replicaFailure.message ?? 'the ReplicaSet cannot create pods', ready, desired };
  const progress = deployment.status?.conditions?.find((c) => c.type === 'Progressing');
  if (progress?.status === 'False' && progress.reason === 'ProgressDeadlineExceeded') {
    return { kind: 'failed', reason: 'ProgressDeadlineExceeded', message: progress.message ?? 'the revision did not become ready in time', ready, desired };
  }
  if (ready >= desired) return { kind: 'running', ready, desired };
  const reason = live.map(waitingReason).find((r) => r !== undefined);
  return reason ? { kind: 'starting', ready, desired, reason } : { kind: 'starting', ready, desired };
}

function readRecordSpec(record: V1ConfigMap): { spec?: RevisionSpec; error?: string } {
  const text = record.data?.[RecordSpecKey];
  if (text === undefined) return { error: `the record has no ${RecordSpecKey}` };
  try {
    const spec = parse(text, { maxAliasCount: 100 }) as RevisionSpec;
    if (typeof spec !== 'object' || spec === null) return { error: 'the stored spec is not a mapping' };
    return { spec };
  } catch (error) {
    return { error: `the stored spec is not valid YAML: ${(error as Error).message}` };
  }
}

/**
 * The stored spec is parsed when first read, not while building the model: listing a namespace
 * of 10,000 revisions must not parse 10,000 YAML documents the tree never shows.
 */
function defineLazySpec(model: RevisionModel, record: V1ConfigMap): void {
  let parsed: { spec?: RevisionSpec; error?: string } | undefined;
  const read = (): { spec?: RevisionSpec; error?: string } => (parsed ??= readRecordSpec(record));
  Object.defineProperty(model, 'spec', { enumerable: true, configurable: true, get: () => read().spec });
  Object.defineProperty(model, 'specError', { enumerable: true, configurable: true, get: () => read().error });
  if (!model.message) model.message = read().spec?.message ?? '';
  if (!model.image) model.image = read().spec?.image ?? '';
}

function serviceAddress(service: V1Service | undefined): string | undefined {
  if (!service?.metadata?.name) return undefined;
  const port = service.spec?.ports?.[0]?.port;
  return `${service.metadata.name}.${service.metadata.namespace ?? 'default'}.svc${port !== undefined ? `:${port}` : ''}`;
}

/** A namespace's objects other than records, looked up by revision. */
interface RevisionIndex {
  deployments: Map<string, V1Deployment>;
  autoscalers: Map<string, V2HorizontalPodAutoscaler>;
  pods: Map<string, V1Pod[]>;
  revisionServices: Map<string, V1Service>;
  /** By service name: the stable endpoint of the whole service. */
  stableServices: Map<string, V1Service>;
  /** By service name: the service object. */
  serviceObjects: Map<string, V1ConfigMap>;
  /** By service name: its stable Service's EndpointSlices. */
  slices: Map<string, V1EndpointSlice[]>;
  /** A pod's revision by the pod's name. */
  podRevisions: Map<string, number>;
}

function byRevision<T extends { metadata?: { labels?: Record<string, string> } }>(objects: readonly T[]): Map<string, T> {
  const map = new Map<string, T>();
  for (const o of objects) {
    const id = labelledRevision(o.metadata?.labels);
    if (id) map.set(revisionKey(id.service, id.revision), o);
  }
  return map;
}

function indexObjects(objects: NamespaceObjects): RevisionIndex {
  const pods = new Map<string, V1Pod[]>();
  const podRevisions = new Map<string, number>();
  for (const p of objects.pods) {
    const id = labelledRevision(p.metadata?.labels);
    if (!id) continue;
    if (p.metadata?.name) podRevisions.set(p.metadata.name, id.revision);
    const key = revisionKey(id.service, id.revision);
    const list = pods.get(key);
    if (list) list.push(p);
    else pods.set(key, [p]);
  }
  const stableServices = new Map<string, V1Service>();
  for (const s of objects.services) {
    const service = s.metadata?.labels?.[Labels.service];
    // A tag's Service carries a revision label too, but is neither: only the stable one is.
    if (service && s.metadata?.labels?.[Labels.component] === 'service-endpoint') stableServices.set(service, s);
  }
  const serviceObjects = new Map<string, V1ConfigMap>();
  for (const o of objects.serviceObjects ?? []) {
    const service = o.metadata?.labels?.[Labels.service];
    if (service) serviceObjects.set(service, o);
  }
  const slices = new Map<string, V1EndpointSlice[]>();
  for (const slice of objects.endpointSlices ?? []) {
    const service = slice.metadata?.labels?.[Labels.service];
    if (service) slices.set(service, [...(slices.get(service) ?? []), slice]);
  }
  const revisionServices = byRevision(objects.services.filter((s) => s.metadata?.labels?.[Labels.component] === 'endpoint'));
  return { deployments: byRevision(objects.deployments), autoscalers: byRevision(objects.autoscalers), pods, revisionServices, stableServices, serviceObjects, slices, podRevisions };
}

function podSummary(p: V1Pod): RevisionModel['pods'][number] {
  const failure = podFailure(p);
  return {
    name: p.metadata?.name ?? '',
    phase: p.status?.phase ?? 'Unknown',
    ready: p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
    ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
    ...(failure ? { reason: failure.reason } : {}),
  };
}

function autoscalingOf(hpa: V2HorizontalPodAutoscaler | undefined): RevisionModel['autoscaling'] {
  if (!hpa?.spec) return undefined;
  const metric = hpa.spec.metrics?.[0];
  return {
    minReplicas: hpa.spec.minReplicas ?? 1,
    maxReplicas: hpa.spec.maxReplicas,
    metric: metric?.type === 'Pods' ? 'gpu' : (metric?.resource?.name ?? 'cpu'),
    ...(hpa.status?.currentReplicas !== undefined ? { current: hpa.status.currentReplicas } : {}),
  };
}

/** One record with what runs for it, as the revision a person sees. */
function revisionModel(namespace: string, record: V1ConfigMap, id: { service: string; revision: number }, index: RevisionIndex): RevisionModel {
  const key = revisionKey(id.service, id.revision);
  const deployment = index.deployments.get(key);
  const revisionPods = index.pods.get(key) ?? [];
  const annotations = record.metadata?.annotations ?? {};
  const model: RevisionModel = {
    service: id.service,
    namespace,
    revision: id.revision,
    message: annotations[Annotations.message] ?? '',
    image: annotations[Annotations.image] ?? '',
    recordUid: record.metadata?.uid ?? '',
    state: deriveState(deployment, revisionPods),
    pods: revisionPods.map(podSummary),
  };
  const createdAt = record.metadata?.creationTimestamp ? new Date(record.metadata.creationTimestamp).toISOString() : undefined;
  if (createdAt) model.createdAt = createdAt;
  const createdBy = annotations[Annotations.createdBy];
  if (createdBy) model.createdBy = createdBy;
  const origin = Number(annotations[Annotations.reproducedFrom]);
  if (Number.isInteger(origin) && origin > 0) model.reproducedFrom = origin;
  defineLazySpec(model, record);
  const autoscaling = autoscalingOf(index.autoscalers.get(key));
  if (autoscaling) model.autoscaling = autoscaling;
  const endpoint = deployment ? serviceAddress(index.revisionServices.get(key)) : undefined;
  if (endpoint) model.endpoint = endpoint;
  return model;
}

/** Adds each service's traffic (policy, effective shares, tags, rollout) to it and its revisions. */
function addTraffic(service: ServiceModel, index: RevisionIndex): void {
  const legacy = service.revisions.map((r) => ({ revision: r.revision, state: r.state.kind, ready: 'ready' in r.state ? r.state.ready : 0 }));
  const { traffic, effective } = serviceTraffic(service.name, index.serviceObjects.get(service.name), index.slices.get(service.name) ?? [], legacy, (pod) => index.podRevisions.get(pod));
  service.traffic = traffic;
  for (const revision of service.revisions) revision.traffic = revisionTraffic(traffic, effective, revision.revision);
}

function newService(name: string, namespace: string, index: RevisionIndex): ServiceModel {
  const service: ServiceModel = { name, namespace, revisions: [] };
  const stable = serviceAddress(index.stableServices.get(name));
  if (stable) service.endpoint = stable;
  return service;
}

/** Groups a namespace's objects into services and revisions, newest revision first. */
export function buildNamespaceModel(namespace: string, objects: NamespaceObjects): ServiceModel[] {
  const index = indexObjects(objects);
  const services = new Map<string, ServiceModel>();
  for (const record of objects.records) {
    const id = labelledRevision(record.metadata?.labels);
    if (!id) continue;
    let service = services.get(id.service);
    if (!service) {
      service = newService(id.service, namespace, index);
      services.set(id.service, service);
    }
    service.revisions.push(revisionModel(namespace, record, id, index));
  }
  // A service whose settings were applied before its first revision: shown, with no revisions yet.
  for (const name of index.serviceObjects.keys()) if (!services.has(name)) services.set(name, newService(name, namespace, index));
  const result = [...services.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const service of result) {
    service.revisions.sort((a, b) => b.revision - a.revision);
    addTraffic(service, index);
  }
  return result;
}
