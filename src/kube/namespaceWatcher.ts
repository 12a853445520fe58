/**
 * Keeps a namespace's managed objects current with one list and then a watch per kind (the
 * client's informers: they re-watch from the last resourceVersion and re-list on 410 Gone). When
 * a watch breaks (API server restarted, network), it is restarted with backoff and the status
 * says so, so a tree can show "reconnecting" instead of stale data in silence.
 */
import { makeInformer, type Informer, type KubernetesObject, type ObjectCache } from '@kubernetes/client-node';
import { Labels, TreeCollections } from '../core/kube/labels';
import { describeKubeError, httpStatus } from '../core/kube/kubeErrors';
import { buildNamespaceModel, type NamespaceObjects, type ServiceModel } from '../core/kube/revisionState';
import type { ClusterConnection } from './clusterConnection';
import { listJson } from './listJson';

export type WatchStatus = { kind: 'connecting' } | { kind: 'synced' } | { kind: 'error'; message: string; retryInMs: number };

export interface RevisionChange {
  service: string;
  revision?: number;
  kind: string;
  type: 'add' | 'update' | 'delete';
}

type Kind = keyof NamespaceObjects;

/** Collections the tree can do without (the effective shares) when the user may not watch them. */
const Optional = new Set<Kind>(['endpointSlices']);

const MaxBackoffMs = 10_000;

export class NamespaceWatcher {
  private readonly informers = new Map<Kind, Informer<KubernetesObject> & ObjectCache<KubernetesObject>>();
  private readonly changeListeners = new Set<(change: RevisionChange) => void>();
  private readonly statusListeners = new Set<(status: WatchStatus) => void>();
  private readonly failures = new Map<Kind, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;
  private lastStatus: WatchStatus = { kind: 'connecting' };

  constructor(
    private readonly connection: ClusterConnection,
    readonly namespace: string,
  ) {
    const kc = connection.kubeConfig;
    for (const kind of Object.keys(TreeCollections) as Kind[]) {
      const { path, selector } = TreeCollections[kind];
      // Lists as plain JSON (see listJson.ts); the watch that follows is plain JSON already.
      const informer = makeInformer(kc, path(namespace), () => listJson(kc, path(namespace), selector), selector);
      this.informers.set(kind, informer as unknown as Informer<KubernetesObject> & ObjectCache<KubernetesObject>);
    }
  }

  get status(): WatchStatus {
    return this.lastStatus;
  }

  onChange(listener: (change: RevisionChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onStatus(listener: (status: WatchStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  private setStatus(status: WatchStatus): void {
    this.lastStatus = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private emit(kind: Kind, type: RevisionChange['type'], object: KubernetesObject): void {
    const labels = object.metadata?.labels ?? {};
    const service = labels[Labels.service];
    if (!service) return;
    const revision = Number(labels[Labels.revision]);
    const change: RevisionChange = { service, kind, type, ...(Number.isInteger(revision) && revision > 0 ? { revision } : {}) };
    for (const listener of this.changeListeners) listener(change);
  }

  /** Lists everything once and starts watching; rejects when the first list fails. */
  async start(): Promise<void> {
    const firstErrors: Array<{ kind: Kind; error: unknown }> = [];
    let initial = true;
    for (const [kind, informer] of this.informers) {
      informer.on('add', (o) => this.emit(kind, 'add', o));
      informer.on('update', (o) => this.emit(kind, 'update', o));
      informer.on('delete', (o) => this.emit(kind, 'delete', o));
      informer.on('connect', () => {
        this.failures.set(kind, 0);
        if (!initial && [...this.failures.values()].every((f) => f === 0)) this.setStatus({ kind: 'synced' });
      });
      informer.on('error', (error: unknown) => {
        if (initial) {
          firstErrors.push({ kind, error });
          return;
        }
        this.restartLater(kind, informer, error);
      });
    }
    await Promise.all([...this.informers.values()].map((i) => i.start()));
    initial = false;
    for (const kind of Optional) {
      const failed = firstErrors.find((e) => e.kind === kind);
      if (failed && httpStatus(failed.error) === 403) {
        // Forbidden to watch it: go on without it rather than show nothing.
        firstErrors.splice(firstErrors.indexOf(failed), 1);
        const informer = this.informers.get(kind);
        this.informers.delete(kind);
        await informer?.stop();
      }
    }
    if (firstErrors.length > 0) {
      await this.stop();
      throw describeKubeError(firstErrors[0]?.error, { action: 'watch the services and revisions', namespace: this.namespace, context: this.connection.contextName });
    }
    this.setStatus({ kind: 'synced' });
  }

  private restartLater(kind: Kind, informer: Informer<KubernetesObject>, error: unknown): void {
    if (this.stopped) return;
    const failures = (this.failures.get(kind) ?? 0) + 1;
    this.failures.set(kind, failures);
    const retryInMs = Math.min(MaxBackoffMs, 250 * 2 ** (failures - 1));
    const message = describeKubeError(error, { action: 'watch the services and revisions', namespace: this.namespace, context: this.connection.contextName }).message;
    this.setStatus({ kind: 'error', message, retryInMs });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.stopped) void informer.start();
    }, retryInMs);
    this.timers.add(timer);
  }

  snapshot(): NamespaceObjects {
    const list = <T>(kind: Kind): T[] => (this.informers.get(kind)?.list(this.namespace) ?? []) as T[];
    return {
      records: list('records'),
      deployments: list('deployments'),
      autoscalers: list('autoscalers'),
      pods: list('pods'),
      services: list('services'),
      serviceObjects: list('serviceObjects'),
      endpointSlices: list('endpointSlices'),
    };
  }

  services(): ServiceModel[] {
    return buildNamespaceModel(this.namespace, this.snapshot());
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
