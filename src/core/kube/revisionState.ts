/**
 * What a revision is doing, derived from the plain objects a few label-selected LIST calls (or
 * the watch caches) return. Pure, so the tree, the CLI and the tests agree on every state. The
 * grouping of a namespace's objects into services is namespaceIndex.ts's.
 */
import type { V1ConfigMap, V1Deployment, V1EndpointSlice, V1ObjectMeta, V1Pod, V1Service, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { RevisionTraffic, ServiceTraffic } from '../traffic/serviceTraffic';
import type { RecordSummary } from './recordSummary';

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
  /** The record's uid. The model holds no spec: RevisionStore.readRecord fetches it when needed. */
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

/** A record as the tree lists it: its metadata only (PartialObjectMetadata); a whole ConfigMap fits too. */
export interface RecordObject {
  metadata?: V1ObjectMeta;
}

export interface NamespaceObjects {
  records: RecordObject[];
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

export function deriveState(deployment: V1Deployment | undefined, pods: readonly V1Pod[]): RevisionState {
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

/** `<name>.<namespace>.svc:<port>` of a Service. */
export function serviceAddress(service: V1Service | undefined): string | undefined {
  if (!service?.metadata?.name) return undefined;
  const port = service.spec?.ports?.[0]?.port;
  return `${service.metadata.name}.${service.metadata.namespace ?? 'default'}.svc${port !== undefined ? `:${port}` : ''}`;
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

/** What runs for one revision, as the index holds it. */
export interface RevisionWorkloads {
  deployment?: V1Deployment;
  autoscaler?: V2HorizontalPodAutoscaler;
  pods: readonly V1Pod[];
  service?: V1Service;
}

/** One record with what runs for it, as the revision a person sees. */
export function revisionModel(namespace: string, record: RecordSummary, workloads: RevisionWorkloads): RevisionModel {
  const { deployment } = workloads;
  const model: RevisionModel = {
    service: record.service,
    namespace,
    revision: record.revision,
    message: record.message,
    image: record.image,
    recordUid: record.uid,
    state: deriveState(deployment, workloads.pods),
    pods: workloads.pods.map(podSummary),
  };
  if (record.createdAt) model.createdAt = record.createdAt;
  if (record.createdBy) model.createdBy = record.createdBy;
  if (record.reproducedFrom) model.reproducedFrom = record.reproducedFrom;
  const autoscaling = autoscalingOf(workloads.autoscaler);
  if (autoscaling) model.autoscaling = autoscaling;
  const endpoint = deployment ? serviceAddress(workloads.service) : undefined;
  if (endpoint) model.endpoint = endpoint;
  return model;
}
