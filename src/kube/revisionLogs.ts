/**
 * The logs of all a revision's pods, merged: followed from the last lines (never the whole log),
 * pods joining as they start and leaving as they go, resumed where they were after the API server
 * went away (from the last line's timestamp, without repeating a line); or read once (the previous
 * containers, or without follow). Every stream stops with `stop()`. Lines arrive as data; making
 * them safe to show and filtering them is src/core/observe/logLines.ts's.
 */
import { ListWatch, Watch, type KubernetesObject, type V1ConfigMap, type V1Pod } from '@kubernetes/client-node';
import { describeKubeError, httpStatus, type KubeErrorKind } from '../core/kube/kubeErrors';
import { Labels, revisionSelector } from '../core/kube/labels';
import { compareTimes, LineSplitter, splitTimestamp } from '../core/observe/logLines';
import type { ClusterConnection } from './clusterConnection';
import { getText, streamGet, type StreamHandle } from './kubeRequest';
import { listJson } from './listJson';
import type { RevisionRef } from './revisionStore';

type PlacedRef = RevisionRef & { namespace: string };

export interface LogRequest {
  /** Keep streaming new lines (default true). */
  follow?: boolean;
  /** Start from the last N lines of each container (default 100). */
  tailLines?: number;
  sinceSeconds?: number;
  /** The previous container's log (read once) instead of the current one. */
  previous?: boolean;
  /** Only this container (default: every container of each pod). */
  container?: string;
}

export type LogEvent =
  | { kind: 'line'; pod: string; container: string; text: string; time?: string }
  | { kind: 'joined'; pod: string; container: string }
  | { kind: 'left'; pod: string; why: string }
  | { kind: 'notice'; message: string }
  | { kind: 'reconnecting'; message: string; retryInMs: number }
  | { kind: 'resumed' }
  | { kind: 'failed'; message: string; errorKind: KubeErrorKind }
  | { kind: 'ended'; message: string };

export const DefaultTailLines = 100;
const MaxBackoffMs = 10_000;

interface ContainerStream {
  pod: string;
  container: string;
  handle?: StreamHandle;
  lastTime?: string;
  /** Lines already shown with exactly lastTime: skipped when resuming from it. */
  atLastTime: number;
  failures: number;
  timer?: NodeJS.Timeout;
  splitter: LineSplitter;
}

const logPath = (namespace: string, pod: string): string => `/api/v1/namespaces/${namespace}/pods/${pod}/log`;

/** Containers of the pod that have started (running now, or ran before): their logs exist. */
function startedContainers(pod: V1Pod): string[] {
  return (pod.status?.containerStatuses ?? []).filter((s) => s.state?.running || s.state?.terminated || s.restartCount > 0).map((s) => s.name);
}

export class RevisionLogStream {
  private readonly listeners = new Set<(event: LogEvent) => void>();
  private readonly streams = new Map<string, ContainerStream>();
  private readonly pods = new Map<string, V1Pod>();
  private watches: Array<ListWatch<V1Pod> | ListWatch<V1ConfigMap>> = [];
  private recordWatch: ListWatch<V1ConfigMap> | undefined;
  private watchFailures = 0;
  private timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private outage = false;
  private readonly request: Required<Pick<LogRequest, 'follow' | 'tailLines'>> & LogRequest;

  constructor(
    private readonly connection: ClusterConnection,
    readonly ref: PlacedRef,
    request: LogRequest = {},
  ) {
    this.request = { ...request, follow: request.follow ?? !request.previous, tailLines: request.tailLines ?? DefaultTailLines };
    if (this.request.previous) this.request.follow = false;
  }

  onEvent(listener: (event: LogEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: LogEvent): void {
    if (this.stopped && event.kind !== 'ended' && event.kind !== 'failed') return;
    for (const listener of this.listeners) listener(event);
  }

  private describe(error: unknown): { message: string; kind: KubeErrorKind } {
    const e = describeKubeError(error, { action: `read the logs of revision ${this.ref.revision} of "${this.ref.service}"`, namespace: this.ref.namespace, context: this.connection.contextName });
    return { message: e.message, kind: e.kind };
  }

  /** A ListWatch of one collection of the revision, restarted with backoff when it breaks. */
  private watchOf<T extends KubernetesObject>(collection: 'pods' | 'configmaps', selector: string, on: { change(o: T): void; gone(o: T): void }): { lw: ListWatch<T>; started: Promise<unknown> } {
    const kc = this.connection.kubeConfig;
    const path = `/api/v1/namespaces/${this.ref.namespace}/${collection}`;
    const lw = new ListWatch<T>(path, new Watch(kc), () => listJson<T>(kc, path, selector), false, selector);
    let initial = true;
    let firstError: unknown;
    lw.on('add', on.change);
    lw.on('update', on.change);
    lw.on('delete', on.gone);
    lw.on('connect', () => {
      this.watchFailures = 0;
    });
    lw.on('error', (error: unknown) => {
      if (initial) firstError = error;
      else this.watchBroke(lw, error);
    });
    const started = lw.start().then(() => {
      initial = false;
      return firstError;
    });
    return { lw, started };
  }

  /** Begins: reads once, or lists the pods and follows them. Rejects when the pods cannot be listed at all. */
  async start(): Promise<void> {
    if (!this.request.follow) return this.readOnce();
    const selector = revisionSelector(this.ref.service, this.ref.revision);
    const pods = this.watchOf<V1Pod>('pods', selector, { change: (pod) => this.podChanged(pod), gone: (pod) => this.podGone(pod.metadata?.name ?? '', 'deleted') });
    // The record: once it is gone, the revision is deleted and there is nothing more to follow.
    const record = this.watchOf<V1ConfigMap>('configmaps', `${selector},${Labels.component}=record`, { change: () => undefined, gone: () => this.recordGone() });
    this.watches = [pods.lw, record.lw];
    const [podError, recordError] = await Promise.all([pods.started, record.started]);
    const failure = podError ?? recordError;
    if (failure !== undefined) {
      await this.stop();
      throw describeKubeError(failure, { action: `follow the logs of revision ${this.ref.revision} of "${this.ref.service}"`, namespace: this.ref.namespace, context: this.connection.contextName });
    }
    this.recordWatch = record.lw;
    if (record.lw.list(this.ref.namespace).length === 0) this.recordGone();
    else if (this.pods.size === 0) this.noPods();
  }

  private podChanged(pod: V1Pod): void {
    const name = pod.metadata?.name ?? '';
    if (!name || this.stopped) return;
    if (pod.metadata?.deletionTimestamp) {
      this.podGone(name, 'terminating');
      return;
    }
    this.pods.set(name, pod);
    for (const container of startedContainers(pod)) {
      if (this.request.container && container !== this.request.container) continue;
      const key = `${name}/${container}`;
      const existing = this.streams.get(key);
      if (existing) {
        // A container that was waiting (or whose stream ended) may have started: try again now.
        if (!existing.handle && existing.timer) {
          clearTimeout(existing.timer);
          existing.timer = undefined;
          this.open(existing);
        }
        continue;
      }
      const stream: ContainerStream = { pod: name, container, atLastTime: 0, failures: 0, splitter: new LineSplitter() };
      this.streams.set(key, stream);
      this.emit({ kind: 'joined', pod: name, container });
      this.open(stream);
    }
  }

  private podGone(name: string, why: string): void {
    if (!this.pods.has(name) && ![...this.streams.values()].some((s) => s.pod === name)) return;
    this.pods.delete(name);
    for (const [key, stream] of this.streams) {
      if (stream.pod !== name) continue;
      this.close(stream);
      this.streams.delete(key);
    }
    this.emit({ kind: 'left', pod: name, why });
    if (this.pods.size === 0) this.noPods();
  }

  /** No pods now: the revision was stopped or scaled to 0 (a deletion ends the stream through recordGone). */
  private noPods(): void {
    if (this.stopped || !this.recordWatch || this.recordWatch.list(this.ref.namespace).length === 0) return;
    this.emit({ kind: 'notice', message: `No pods run for revision ${this.ref.revision} of "${this.ref.service}" now (stopped, or scaled to 0). Waiting for pods to start.` });
  }

  private recordGone(): void {
    if (this.stopped) return;
    this.emit({ kind: 'ended', message: `Revision ${this.ref.revision} of "${this.ref.service}" was deleted: there is nothing more to follow.` });
    void this.stop();
  }

  private open(stream: ContainerStream): void {
    if (this.stopped) return;
    const resuming = stream.lastTime !== undefined;
    const query = {
      container: stream.container,
      follow: true,
      timestamps: true,
      ...(resuming ? { sinceTime: stream.lastTime?.replace(/\.\d+Z$/, 'Z') } : { tailLines: this.request.tailLines, ...(this.request.sinceSeconds ? { sinceSeconds: this.request.sinceSeconds } : {}) }),
    };
    let skipAtLast = resuming ? stream.atLastTime : 0;
    const lastBefore = stream.lastTime;
    stream.splitter = new LineSplitter();
    const onLine = (raw: string): void => {
      const { time, text } = splitTimestamp(raw);
      if (time && lastBefore) {
        const order = compareTimes(time, lastBefore);
        if (order < 0) return;
        if (order === 0 && skipAtLast > 0) {
          skipAtLast--;
          return;
        }
      }
      if (time) {
        stream.atLastTime = time === stream.lastTime ? stream.atLastTime + 1 : 1;
        stream.lastTime = time;
      }
      this.emit({ kind: 'line', pod: stream.pod, container: stream.container, text, ...(time ? { time } : {}) });
    };
    const handle = streamGet(this.connection.kubeConfig, logPath(this.ref.namespace, stream.pod), query, (chunk) => stream.splitter.push(chunk).forEach(onLine), () => {
      stream.failures = 0;
      if (this.outage) {
        this.outage = false;
        this.emit({ kind: 'resumed' });
      }
    });
    stream.handle = handle;
    handle.done.then(
      () => {
        stream.splitter.end().forEach(onLine);
        if (stream.handle === handle) this.ended(stream, undefined);
      },
      (error: unknown) => {
        if (stream.handle === handle) this.ended(stream, error);
      },
    );
  }

  /** A stream ended (the container restarted, the API server went away) or failed: resume, wait, or give up. */
  private ended(stream: ContainerStream, error: unknown): void {
    stream.handle = undefined;
    if (this.stopped || !this.streams.has(`${stream.pod}/${stream.container}`)) return;
    const status = httpStatus(error);
    if (status === 403 || status === 401) {
      const { message, kind } = this.describe(error);
      this.emit({ kind: 'failed', message, errorKind: kind });
      void this.stop();
      return;
    }
    if (status === 404) {
      this.podGone(stream.pod, 'gone');
      return;
    }
    stream.failures++;
    const retryInMs = Math.min(MaxBackoffMs, 250 * 2 ** (stream.failures - 1));
    if (error !== undefined && status === undefined && !this.outage) {
      // The connection broke: say so once, whichever stream notices first.
      this.outage = true;
      this.emit({ kind: 'reconnecting', message: this.describe(error).message, retryInMs });
    }
    stream.timer = setTimeout(() => {
      stream.timer = undefined;
      this.open(stream);
    }, retryInMs);
  }

  private watchBroke(lw: ListWatch<KubernetesObject> | ListWatch<V1Pod> | ListWatch<V1ConfigMap>, error: unknown): void {
    if (this.stopped) return;
    this.watchFailures++;
    const retryInMs = Math.min(MaxBackoffMs, 250 * 2 ** (this.watchFailures - 1));
    if (httpStatus(error) === 403) {
      const { message, kind } = this.describe(error);
      this.emit({ kind: 'failed', message, errorKind: kind });
      void this.stop();
      return;
    }
    if (!this.outage) {
      this.outage = true;
      this.emit({ kind: 'reconnecting', message: this.describe(error).message, retryInMs });
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) void lw.start();
    }, retryInMs);
    this.timers.add(timer);
  }

  private close(stream: ContainerStream): void {
    if (stream.timer) clearTimeout(stream.timer);
    stream.timer = undefined;
    const handle = stream.handle;
    stream.handle = undefined;
    handle?.abort();
  }

  /** Without follow: each pod's (previous) log once, merged by time, then `ended`. */
  private async readOnce(): Promise<void> {
    const kc = this.connection.kubeConfig;
    let pods: V1Pod[];
    try {
      pods = (await listJson<V1Pod>(kc, `/api/v1/namespaces/${this.ref.namespace}/pods`, revisionSelector(this.ref.service, this.ref.revision))).items;
    } catch (error) {
      throw describeKubeError(error, { action: `read the logs of revision ${this.ref.revision} of "${this.ref.service}"`, namespace: this.ref.namespace, context: this.connection.contextName });
    }
    if (pods.length === 0) this.emit({ kind: 'notice', message: `No pods run for revision ${this.ref.revision} of "${this.ref.service}" (it is stopped, or its pods are gone).` });
    const lines: Array<Extract<LogEvent, { kind: 'line' }>> = [];
    for (const pod of pods.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''))) {
      const name = pod.metadata?.name ?? '';
      for (const status of pod.status?.containerStatuses ?? []) {
        if (this.request.container && status.name !== this.request.container) continue;
        if (this.request.previous && status.restartCount === 0) {
          this.emit({ kind: 'notice', message: `Pod ${name} (container ${status.name}) has not restarted: it has no previous container.` });
          continue;
        }
        const query = { container: status.name, timestamps: true, tailLines: this.request.tailLines, ...(this.request.previous ? { previous: true } : {}), ...(this.request.sinceSeconds ? { sinceSeconds: this.request.sinceSeconds } : {}) };
        let text: string;
        try {
          text = await getText(kc, logPath(this.ref.namespace, name), query);
        } catch (error) {
          if (httpStatus(error) === 400 || httpStatus(error) === 404) {
            this.emit({ kind: 'notice', message: `Pod ${name} (container ${status.name}) has no log to show yet.` });
            continue;
          }
          throw describeKubeError(error, { action: `read the logs of pod ${name}`, namespace: this.ref.namespace, context: this.connection.contextName });
        }
        for (const raw of text.split('\n')) {
          if (raw === '') continue;
          const { time, text: line } = splitTimestamp(raw);
          lines.push({ kind: 'line', pod: name, container: status.name, text: line, ...(time ? { time } : {}) });
        }
      }
    }
    // Merged by time across pods; a stable sort keeps each pod's own order.
    lines.sort((a, b) => (a.time && b.time ? compareTimes(a.time, b.time) : 0));
    for (const line of lines) this.emit(line);
    this.emit({ kind: 'ended', message: `${lines.length} line${lines.length === 1 ? '' : 's'} from ${pods.length} pod${pods.length === 1 ? '' : 's'}.` });
  }

  /** Stops every stream and the pod watch. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const stream of this.streams.values()) this.close(stream);
    this.streams.clear();
    await Promise.all(this.watches.map((lw) => lw.stop()));
  }

  /** How many container streams are open now (for tests: closing the view must leave none). */
  get openStreams(): number {
    return [...this.streams.values()].filter((s) => s.handle !== undefined).length;
  }
}
