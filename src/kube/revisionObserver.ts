/**
 * Keeps one revision's objects current by watch (never by polling): its record, Deployment,
 * ReplicaSets, pods, autoscaler and the namespace's events, plus the last lines of the previous
 * container's log of a pod that restarted. A collection the user may not read (events, say) is
 * left out with the permission it needs, and the rest still shows; a watch that breaks (API server
 * restarted) is restarted with backoff and the status says so. `gatherRevision` reads the same
 * once, for the CLI's `describe`.
 */
import { ListWatch, Watch, type CoreV1Event, type KubernetesObject, type V1ConfigMap, type V1Deployment, type V1Pod, type V1ReplicaSet, type V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { escapeControl } from '../core/escapeText';
import { describeKubeError, httpStatus } from '../core/kube/kubeErrors';
import { Labels, revisionSelector } from '../core/kube/labels';
import { Annotations } from '../core/kube/labels';
import { buildRevisionDetails, type RevisionObjects } from '../core/observe/revisionDetails';
import type { RevisionDetailsView } from '../shared/detailsProtocol';
import type { ClusterConnection } from './clusterConnection';
import { getText } from './kubeRequest';
import { listJson } from './listJson';
import type { RevisionRef } from './revisionStore';

type PlacedRef = RevisionRef & { namespace: string };

/** What the observer has, with what it could not read. */
export interface ObservedRevision extends RevisionObjects {
  record?: V1ConfigMap;
  /** One sentence per collection that could not be read: "Events are not shown: forbidden (needs list on events)". */
  problems: string[];
}

export type ObserverStatus = { kind: 'live' } | { kind: 'reconnecting'; message: string; retryInMs: number };

const Collections = {
  records: { path: (ns: string) => `/api/v1/namespaces/${ns}/configmaps`, what: 'The record', selector: (ref: PlacedRef) => `${revisionSelector(ref.service, ref.revision)},${Labels.component}=record` },
  deployments: { path: (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`, what: 'The Deployment', selector: (ref: PlacedRef) => revisionSelector(ref.service, ref.revision) },
  replicaSets: { path: (ns: string) => `/apis/apps/v1/namespaces/${ns}/replicasets`, what: 'ReplicaSets', selector: (ref: PlacedRef) => revisionSelector(ref.service, ref.revision) },
  pods: { path: (ns: string) => `/api/v1/namespaces/${ns}/pods`, what: 'Pods', selector: (ref: PlacedRef) => revisionSelector(ref.service, ref.revision) },
  autoscalers: { path: (ns: string) => `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`, what: 'The autoscaler', selector: (ref: PlacedRef) => revisionSelector(ref.service, ref.revision) },
  events: { path: (ns: string) => `/api/v1/namespaces/${ns}/events`, what: 'Events', selector: () => '' },
} as const;

type Collection = keyof typeof Collections;

/** The details view of what was observed: the record names the message and image. */
export function observedDetails(connection: ClusterConnection, ref: PlacedRef, observed: ObservedRevision): RevisionDetailsView {
  const annotations = observed.record?.metadata?.annotations ?? {};
  const view = buildRevisionDetails({ ...ref, context: connection.contextName, message: annotations[Annotations.message] ?? '', image: annotations[Annotations.image] ?? '' }, observed);
  return { ...view, ...(observed.record ? {} : { deleted: true }), ...(observed.problems.length > 0 ? { notShown: observed.problems.map((p) => escapeControl(p)) } : {}) };
}

/** How many lines of a crashed container's previous log the details show. */
export const PreviousLogLines = 10;

const MaxBackoffMs = 10_000;

function describeFor(connection: ClusterConnection, ref: PlacedRef, what: string, error: unknown): string {
  return describeKubeError(error, { action: `read ${what.toLowerCase()} of revision ${ref.revision} of "${ref.service}"`, namespace: ref.namespace, context: connection.contextName }).message;
}

/** "Events are not shown: forbidden (needs list on events)." */
function unreadable(collection: Collection, connection: ClusterConnection, ref: PlacedRef, error: unknown): string {
  const message = describeFor(connection, ref, Collections[collection].what, error);
  const why = message.replace(/^Could not [^:]*: /, '');
  return `${Collections[collection].what} ${collection === 'events' || collection === 'pods' || collection === 'replicaSets' ? 'are' : 'is'} not shown: ${why}`;
}

/** Pods with a container that restarted, and which container: their previous log says why. */
function restartedContainers(pods: readonly V1Pod[]): Array<{ pod: string; container: string; key: string }> {
  const out: Array<{ pod: string; container: string; key: string }> = [];
  for (const pod of pods) {
    for (const s of pod.status?.containerStatuses ?? []) {
      if (s.restartCount > 0 && s.lastState?.terminated) out.push({ pod: pod.metadata?.name ?? '', container: s.name, key: `${pod.metadata?.name}/${s.name}/${s.restartCount}` });
    }
  }
  return out;
}

/** The last lines of a container's previous log; throws what the API server says. */
export async function previousLogTail(connection: ClusterConnection, namespace: string, pod: string, container: string, lines = PreviousLogLines): Promise<string[]> {
  const text = await getText(connection.kubeConfig, `/api/v1/namespaces/${namespace}/pods/${pod}/log`, { container, previous: true, tailLines: lines });
  return text.split('\n').filter((l) => l !== '');
}

/** Reads a revision's objects once (the CLI's describe); unreadable collections become problems. */
export async function gatherRevision(connection: ClusterConnection, ref: PlacedRef): Promise<ObservedRevision> {
  const problems: string[] = [];
  const list = async <T extends KubernetesObject>(collection: Collection): Promise<T[]> => {
    try {
      const c = Collections[collection];
      return (await listJson<T>(connection.kubeConfig, c.path(ref.namespace), c.selector(ref))).items;
    } catch (error) {
      if (httpStatus(error) !== 403) throw describeKubeError(error, { action: `describe revision ${ref.revision} of "${ref.service}"`, namespace: ref.namespace, context: connection.contextName });
      problems.push(unreadable(collection, connection, ref, error));
      return [];
    }
  };
  const [records, deployments, replicaSets, pods, autoscalers, events] = await Promise.all([
    list<V1ConfigMap>('records'),
    list<V1Deployment>('deployments'),
    list<V1ReplicaSet>('replicaSets'),
    list<V1Pod>('pods'),
    list<V2HorizontalPodAutoscaler>('autoscalers'),
    list<CoreV1Event>('events'),
  ]);
  const previousLogs = new Map<string, string[]>();
  for (const { pod, container } of restartedContainers(pods)) {
    try {
      previousLogs.set(pod, await previousLogTail(connection, ref.namespace, pod, container));
    } catch (error) {
      problems.push(`Previous logs are not shown: ${describeFor(connection, ref, 'logs', error).replace(/^Could not [^:]*: /, '')}`);
      break;
    }
  }
  return { ...(records[0] ? { record: records[0] } : {}), ...(deployments[0] ? { deployment: deployments[0] } : {}), replicaSets, pods, ...(autoscalers[0] ? { autoscaler: autoscalers[0] } : {}), events, previousLogs, problems };
}

/** One revision's objects, kept current by watch. */
export class RevisionObserver {
  private readonly watches = new Map<Collection, ListWatch<KubernetesObject>>();
  private readonly problems = new Map<string, string>();
  private readonly failures = new Map<Collection, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly previousLogs = new Map<string, string[]>();
  private readonly fetched = new Set<string>();
  private readonly changeListeners = new Set<(observed: ObservedRevision) => void>();
  private readonly statusListeners = new Set<(status: ObserverStatus) => void>();
  private emitTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastStatus: ObserverStatus = { kind: 'live' };

  constructor(
    private readonly connection: ClusterConnection,
    readonly ref: PlacedRef,
  ) {
    const kc = connection.kubeConfig;
    for (const name of Object.keys(Collections) as Collection[]) {
      const c = Collections[name];
      const selector = c.selector(ref);
      const lw = new ListWatch<KubernetesObject>(c.path(ref.namespace), new Watch(kc), () => listJson(kc, c.path(ref.namespace), selector), false, selector || undefined);
      this.watches.set(name, lw);
    }
  }

  get status(): ObserverStatus {
    return this.lastStatus;
  }

  onChange(listener: (observed: ObservedRevision) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onStatus(listener: (status: ObserverStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(status: ObserverStatus): void {
    this.lastStatus = status;
    for (const listener of this.statusListeners) listener(status);
  }

  /** Changes arriving together are told once. */
  private changed(): void {
    if (this.stopped) return;
    this.emitTimer ??= setTimeout(() => {
      this.emitTimer = undefined;
      this.fetchPreviousLogs();
      const observed = this.snapshot();
      for (const listener of this.changeListeners) listener(observed);
    }, 50);
  }

  private fetchPreviousLogs(): void {
    if (this.problems.has('previousLogs')) return;
    for (const { pod, container, key } of restartedContainers(this.list<V1Pod>('pods'))) {
      if (this.fetched.has(key)) continue;
      this.fetched.add(key);
      previousLogTail(this.connection, this.ref.namespace, pod, container).then(
        (lines) => {
          this.previousLogs.set(pod, lines);
          this.changed();
        },
        (error: unknown) => {
          if (httpStatus(error) === 403) {
            this.problems.set('previousLogs', `Previous logs are not shown: ${describeFor(this.connection, this.ref, 'logs', error).replace(/^Could not [^:]*: /, '')}`);
            this.changed();
          } else {
            this.fetched.delete(key);
          }
        },
      );
    }
  }

  private list<T>(collection: Collection): T[] {
    return [...(this.watches.get(collection)?.list(this.ref.namespace) ?? [])] as T[];
  }

  /** What the details view shows now. */
  details(observed: ObservedRevision = this.snapshot()): RevisionDetailsView {
    return observedDetails(this.connection, this.ref, observed);
  }

  snapshot(): ObservedRevision {
    const pods = this.list<V1Pod>('pods');
    const record = this.list<V1ConfigMap>('records')[0];
    const deployment = this.list<V1Deployment>('deployments')[0];
    const autoscaler = this.list<V2HorizontalPodAutoscaler>('autoscalers')[0];
    const names = new Set(pods.map((p) => p.metadata?.name));
    return {
      ...(record ? { record } : {}),
      ...(deployment ? { deployment } : {}),
      replicaSets: this.list<V1ReplicaSet>('replicaSets'),
      pods,
      ...(autoscaler ? { autoscaler } : {}),
      events: this.list<CoreV1Event>('events'),
      previousLogs: new Map([...this.previousLogs].filter(([pod]) => names.has(pod))),
      problems: [...this.problems.values()],
    };
  }

  /** Lists everything once and watches; rejects when nothing at all can be read. */
  async start(): Promise<void> {
    const first = new Map<Collection, unknown>();
    let initial = true;
    for (const [name, lw] of this.watches) {
      for (const verb of ['add', 'update', 'delete'] as const) lw.on(verb, () => this.changed());
      lw.on('error', (error: unknown) => {
        if (initial) first.set(name, error);
        else this.restartLater(name, lw, error);
      });
    }
    await Promise.all([...this.watches].map(([name, lw]) => lw.start().catch((error: unknown) => first.set(name, error))));
    initial = false;
    const forbidden = [...first].filter(([, error]) => httpStatus(error) === 403);
    const other = [...first].filter(([, error]) => httpStatus(error) !== 403);
    if (other.length > 0 || forbidden.length === this.watches.size) {
      await this.stop();
      const [, error] = other[0] ?? forbidden[0] ?? [];
      throw describeKubeError(error, { action: `watch revision ${this.ref.revision} of "${this.ref.service}"`, namespace: this.ref.namespace, context: this.connection.contextName });
    }
    for (const [name, error] of forbidden) {
      this.problems.set(name, unreadable(name, this.connection, this.ref, error));
      await this.watches.get(name)?.stop();
    }
    this.changed();
  }

  private restartLater(name: Collection, lw: ListWatch<KubernetesObject>, error: unknown): void {
    if (this.stopped) return;
    const failures = (this.failures.get(name) ?? 0) + 1;
    this.failures.set(name, failures);
    const retryInMs = Math.min(MaxBackoffMs, 250 * 2 ** (failures - 1));
    this.setStatus({ kind: 'reconnecting', message: describeFor(this.connection, this.ref, 'the objects', error), retryInMs });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (this.stopped) return;
      // Live again only once this attempt has listed and is watching: ListWatch's own 'connect'
      // comes before its list, so it fires for attempts that then fail. A failure during the
      // attempt has counted one more (restartLater again) and leaves the status as it is.
      lw.start().then(
        () => this.recovered(name, failures),
        (error: unknown) => this.restartLater(name, lw, error),
      );
    }, retryInMs);
    this.timers.add(timer);
  }

  private recovered(name: Collection, failuresBefore: number): void {
    if (this.stopped || this.failures.get(name) !== failuresBefore) return;
    this.failures.set(name, 0);
    if ([...this.failures.values()].every((f) => f === 0) && this.lastStatus.kind !== 'live') this.setStatus({ kind: 'live' });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.emitTimer) clearTimeout(this.emitTimer);
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.watches.values()].map((lw) => lw.stop()));
  }
}

