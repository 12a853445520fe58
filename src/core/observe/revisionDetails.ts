/**
 * Why a revision is (not) ready, in the cluster's own words: its replicas, the conditions of its
 * Deployment and pods, each pod's phase, node, restarts and reason, what refused to create its
 * pods, its autoscaler, and the events of its objects, newest first. Pure: the kube layer watches
 * the objects (src/kube/revisionObserver.ts) and the details view, the CLI's `describe` and the
 * tests all read the same derivation. Every text that came from the cluster is escaped here.
 */
import type { CoreV1Event, V1Deployment, V1Pod, V1PodCondition, V1ReplicaSet, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { DetailsAutoscaler, DetailsCondition, DetailsContainer, DetailsEvent, DetailsPod, RevisionDetailsView } from '../../shared/detailsProtocol';
import { escapeControl } from '../escapeText';
import { describeState } from '../kube/describeState';
import { revisionObjectName } from '../kube/labels';
import { deriveState, podFailure, type RevisionState } from '../kube/revisionState';

/** What the kube layer gathered about one revision (plain API objects). */
export interface RevisionObjects {
  deployment?: V1Deployment;
  replicaSets: readonly V1ReplicaSet[];
  pods: readonly V1Pod[];
  autoscaler?: V2HorizontalPodAutoscaler;
  /** The namespace's events (or a superset of the revision's): filtered here. */
  events: readonly CoreV1Event[];
  /** The last lines of the previous container's log, by pod name, for pods that restarted. */
  previousLogs?: ReadonlyMap<string, readonly string[]>;
}

export interface DetailsTarget {
  service: string;
  revision: number;
  namespace: string;
  context?: string;
  message?: string;
  image?: string;
}

/** At most this many events are shown: the newest. */
export const MaxEvents = 50;

const esc = (text: string | undefined): string | undefined => (text === undefined ? undefined : escapeControl(text));
const iso = (time: Date | string | undefined): string | undefined => {
  if (time === undefined) return undefined;
  const ms = new Date(time).getTime();
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
};

/** When the event last happened, as a number for ordering (0 when it does not say). */
export function eventTime(event: CoreV1Event): number {
  const t = event.lastTimestamp ?? event.series?.lastObservedTime ?? event.eventTime ?? event.firstTimestamp ?? event.metadata?.creationTimestamp;
  const ms = t === undefined ? NaN : new Date(t).getTime();
  return Number.isFinite(ms) ? ms : 0;
}

/**
 * Whether an event is about one of the revision's objects: by uid when the object is known, else
 * by name: the Deployment and autoscaler are `<service>-r<n>`, its ReplicaSets `<name>-<hash>` and
 * pods `<name>-<hash>-<suffix>` (also ones already gone, whose events stay a while).
 */
export function revisionEventFilter(target: { service: string; revision: number }, objects: Pick<RevisionObjects, 'deployment' | 'replicaSets' | 'pods' | 'autoscaler'>): (event: CoreV1Event) => boolean {
  const base = revisionObjectName(target.service, target.revision);
  const uids = new Set<string>();
  for (const o of [objects.deployment, objects.autoscaler, ...objects.replicaSets, ...objects.pods]) if (o?.metadata?.uid) uids.add(o.metadata.uid);
  const generated = new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[a-z0-9]{5,10}(-[a-z0-9]{5})?$`);
  return (event) => {
    const about = event.involvedObject;
    if (about.uid && uids.has(about.uid)) return true;
    const name = about.name ?? '';
    if (about.kind === 'Deployment' || about.kind === 'HorizontalPodAutoscaler') return name === base;
    if (about.kind === 'Pod' || about.kind === 'ReplicaSet') return generated.test(name);
    return false;
  };
}

function eventLine(event: CoreV1Event): DetailsEvent {
  const time = eventTime(event);
  return {
    ...(time > 0 ? { time: new Date(time).toISOString() } : {}),
    type: esc(event.type) ?? 'Normal',
    reason: esc(event.reason) ?? '',
    object: esc(`${event.involvedObject.kind ?? '?'}/${event.involvedObject.name ?? '?'}`) ?? '',
    message: esc(event.message?.trim()) ?? '',
    count: event.count ?? event.series?.count ?? 1,
  };
}

/**
 * Newest first. Most events carry times to the second only (lastTimestamp), others to the
 * microsecond (eventTime), so times are compared to the second and ties go by the order the API
 * server stored them (resourceVersion, when it reads as a number).
 */
export function compareEventsNewestFirst(a: CoreV1Event, b: CoreV1Event): number {
  const seconds = Math.floor(eventTime(b) / 1000) - Math.floor(eventTime(a) / 1000);
  if (seconds !== 0) return seconds;
  const version = (e: CoreV1Event): number => Number(e.metadata?.resourceVersion ?? NaN);
  const [x, y] = [version(a), version(b)];
  return Number.isFinite(x) && Number.isFinite(y) ? y - x : 0;
}

/** Events newest first, at most `limit`. */
export function newestEvents(events: readonly CoreV1Event[], limit = MaxEvents): DetailsEvent[] {
  return [...events].sort(compareEventsNewestFirst).slice(0, limit).map(eventLine);
}

function condition(object: string, c: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: Date | string }): DetailsCondition {
  const since = iso(c.lastTransitionTime);
  return {
    object,
    type: esc(c.type) ?? '',
    status: esc(c.status) ?? '',
    ...(c.reason ? { reason: escapeControl(c.reason) } : {}),
    ...(c.message ? { message: escapeControl(c.message) } : {}),
    ...(since ? { since } : {}),
  };
}

function containerDetails(pod: V1Pod): DetailsContainer[] {
  const statuses = new Map((pod.status?.containerStatuses ?? []).map((s) => [s.name, s]));
  return (pod.spec?.containers ?? []).map((c): DetailsContainer => {
    const s = statuses.get(c.name);
    const state = s?.state?.running ? 'running' : s?.state?.waiting ? 'waiting' : s?.state?.terminated ? 'terminated' : 'unknown';
    const now = s?.state?.waiting ?? s?.state?.terminated;
    const last = s?.lastState?.terminated;
    const finished = iso(last?.finishedAt);
    return {
      name: escapeControl(c.name),
      image: escapeControl(s?.image || c.image || ''),
      ready: s?.ready ?? false,
      restarts: s?.restartCount ?? 0,
      state,
      ...(now?.reason ? { reason: escapeControl(now.reason) } : {}),
      ...(now?.message ? { message: escapeControl(now.message) } : {}),
      ...(last ? { lastExitCode: last.exitCode } : {}),
      ...(last?.reason ? { lastReason: escapeControl(last.reason) } : {}),
      ...(finished ? { lastFinishedAt: finished } : {}),
    };
  });
}

function isTrue(conditions: V1PodCondition[] | undefined, type: string): boolean {
  return conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

/** A pod's reason and message: a failure first, else what it waits for. */
function podReason(pod: V1Pod): { reason?: string; message?: string } {
  const failure = podFailure(pod);
  if (failure) return failure;
  for (const s of pod.status?.containerStatuses ?? []) {
    if (s.state?.waiting?.reason) return { reason: s.state.waiting.reason, ...(s.state.waiting.message ? { message: s.state.waiting.message } : {}) };
  }
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False') return { reason: scheduled.reason ?? 'NotScheduled', ...(scheduled.message ? { message: scheduled.message } : {}) };
  if (pod.status?.phase === 'Pending') return { reason: 'Pending' };
  return {};
}

function podDetails(pod: V1Pod, previousLogs: RevisionObjects['previousLogs']): DetailsPod {
  const name = pod.metadata?.name ?? '';
  const containers = containerDetails(pod);
  const { reason, message } = podReason(pod);
  const previous = previousLogs?.get(name);
  const created = iso(pod.metadata?.creationTimestamp);
  return {
    name: escapeControl(name),
    phase: escapeControl(pod.status?.phase ?? 'Unknown'),
    ready: isTrue(pod.status?.conditions, 'Ready'),
    ...(pod.spec?.nodeName ? { node: escapeControl(pod.spec.nodeName) } : {}),
    restarts: containers.reduce((sum, c) => sum + c.restarts, 0),
    ...(reason ? { reason: escapeControl(reason) } : {}),
    ...(message ? { message: escapeControl(message) } : {}),
    containers,
    ...(previous && previous.length > 0 ? { previousLog: previous.map((l) => escapeControl(l)) } : {}),
    ...(created ? { createdAt: created } : {}),
    deleting: pod.metadata?.deletionTimestamp !== undefined,
  };
}

/** What refused to create the revision's pods: the ReplicaSets' ReplicaFailure conditions (quota, admission). */
function refusals(replicaSets: readonly V1ReplicaSet[]): string[] {
  const out: string[] = [];
  for (const rs of replicaSets) {
    for (const c of rs.status?.conditions ?? []) {
      if (c.type === 'ReplicaFailure' && c.status === 'True') out.push(escapeControl(`ReplicaSet ${rs.metadata?.name ?? '?'}: ${c.reason ?? 'ReplicaFailure'}: ${c.message ?? 'cannot create pods'}`));
    }
  }
  return out;
}

function autoscalerDetails(hpa: V2HorizontalPodAutoscaler | undefined, events: DetailsEvent[]): DetailsAutoscaler | undefined {
  if (!hpa?.spec) return undefined;
  const spec = hpa.spec.metrics?.[0];
  const current = hpa.status?.currentMetrics?.[0];
  let metric = 'cpu';
  let target = '';
  let now: string | undefined;
  if (spec?.type === 'Pods' && spec.pods) {
    metric = spec.pods.metric.name;
    target = `${spec.pods.target.averageValue ?? spec.pods.target.value ?? '?'} per pod`;
    if (current?.pods) now = `${current.pods.current.averageValue ?? current.pods.current.value ?? '?'} per pod`;
  } else if (spec?.resource) {
    metric = spec.resource.name;
    const utilisation = spec.resource.target.averageUtilization;
    target = utilisation !== undefined ? `${utilisation}% of the request` : `${spec.resource.target.averageValue ?? spec.resource.target.value ?? '?'} per pod`;
    const measured = current?.resource?.current;
    if (measured) now = measured.averageUtilization !== undefined ? `${measured.averageUtilization}% of the request` : `${measured.averageValue ?? measured.value ?? '?'} per pod`;
  }
  const last = iso(hpa.status?.lastScaleTime);
  return {
    minReplicas: hpa.spec.minReplicas ?? 1,
    maxReplicas: hpa.spec.maxReplicas,
    ...(hpa.status?.currentReplicas !== undefined ? { currentReplicas: hpa.status.currentReplicas } : {}),
    ...(hpa.status?.desiredReplicas !== undefined ? { desiredReplicas: hpa.status.desiredReplicas } : {}),
    metric: escapeControl(metric),
    ...(now ? { current: escapeControl(now) } : {}),
    target: escapeControl(target),
    ...(last ? { lastScaleTime: last } : {}),
    conditions: (hpa.status?.conditions ?? []).map((c) => condition('Autoscaler', c)),
    events: events.filter((e) => e.object.startsWith('HorizontalPodAutoscaler/')).slice(0, 10),
  };
}

/** The failing pod's container that explains a failure (the first one waiting or crashed). */
function failingContainer(pods: readonly DetailsPod[], reason: string): { pod: DetailsPod; container?: DetailsContainer } | undefined {
  for (const pod of pods) {
    const container = pod.containers.find((c) => c.reason === reason);
    if (container || pod.reason === reason) return { pod, ...(container ? { container } : {}) };
  }
  return undefined;
}

/** Why it is (not) ready, in one sentence, naming who said so. */
export function headline(state: RevisionState, pods: readonly DetailsPod[]): string {
  switch (state.kind) {
    case 'stopped':
      return 'Stopped: no pods run for it. Start runs it again.';
    case 'stopping':
      return 'Stopping: its pods are going away.';
    case 'running':
      return `Running: ${state.ready} of ${state.desired} replica${state.desired === 1 ? '' : 's'} ready.`;
    case 'starting':
      return `Starting: ${state.ready} of ${state.desired} ready${state.reason ? ` (${escapeControl(state.reason)})` : ''}.`;
    case 'failed': {
      const reason = escapeControl(state.reason);
      const message = escapeControl(state.message);
      const found = failingContainer(pods, reason);
      if (/^(ImagePullBackOff|ErrImagePull|InvalidImageName|ErrImageNeverPull)$/.test(reason)) {
        return `${reason}: the image ${found?.container ? `"${found.container.image}" ` : ''}cannot be pulled. ${message}`;
      }
      if (reason === 'CrashLoopBackOff' && found?.container) {
        const c = found.container;
        const exit = c.lastExitCode !== undefined ? ` with code ${c.lastExitCode}${c.lastReason ? ` (${c.lastReason})` : ''}` : '';
        const last = found.pod.previousLog?.at(-1);
        return `CrashLoopBackOff: container "${c.name}" keeps exiting${exit}; restarted ${c.restarts} time${c.restarts === 1 ? '' : 's'}.${last ? ` Its last log line: ${last}` : ''}`;
      }
      if (reason === 'Unschedulable') return `Unschedulable: no node can run its pods. The scheduler says: ${message}`;
      if (reason === 'FailedCreate') return `FailedCreate: its pods cannot be created. ${message}`;
      return `${reason}: ${message}`;
    }
  }
}

/** The details of one revision from its objects. */
export function buildRevisionDetails(target: DetailsTarget, objects: RevisionObjects): RevisionDetailsView {
  const live = objects.pods.filter((p) => p.metadata?.deletionTimestamp === undefined);
  const state = deriveState(objects.deployment, [...objects.pods]);
  const pods = [...objects.pods].sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '')).map((p) => podDetails(p, objects.previousLogs));
  const events = newestEvents(objects.events.filter(revisionEventFilter(target, objects)));
  const d = objects.deployment;
  const conditions: DetailsCondition[] = [
    ...(d?.status?.conditions ?? []).map((c) => condition('Deployment', c)),
    ...objects.pods.flatMap((p) => (p.status?.conditions ?? []).filter((c) => c.status !== 'True').map((c) => condition(`Pod ${escapeControl(p.metadata?.name ?? '?')}`, c))),
  ];
  const autoscaler = autoscalerDetails(objects.autoscaler, events);
  return {
    service: target.service,
    revision: target.revision,
    namespace: target.namespace,
    ...(target.context ? { context: target.context } : {}),
    message: escapeControl(target.message ?? ''),
    image: escapeControl(target.image ?? d?.spec?.template.spec?.containers[0]?.image ?? ''),
    state: state.kind,
    stateText: escapeControl(describeState(state)),
    headline: headline(state, pods),
    replicas: {
      desired: d ? (d.spec?.replicas ?? 1) : 0,
      ready: d?.status?.readyReplicas ?? 0,
      ...(d?.status?.updatedReplicas !== undefined ? { updated: d.status.updatedReplicas } : {}),
      ...(d?.status?.availableReplicas !== undefined ? { available: d.status.availableReplicas } : {}),
      total: live.length,
    },
    conditions,
    pods,
    refusals: refusals(objects.replicaSets),
    ...(autoscaler ? { autoscaler } : {}),
    events,
  };
}
