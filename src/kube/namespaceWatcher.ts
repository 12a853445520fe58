/**
 * Keeps a namespace's managed objects current: one reflector per collection (a paged LIST, then a
 * WATCH; records as metadata only), all feeding one NamespaceIndex. Services are handed out as
 * soon as every collection's listing has passed their names, so a view draws its first rows after
 * the first pages instead of after the whole namespace. When a watch breaks (API server restarted,
 * network), it is restarted with backoff and the status says so, so a tree can show
 * "reconnecting" instead of stale data in silence.
 */
import { describeKubeError, httpStatus } from '../core/kube/kubeErrors';
import { nameAfterService, TreeCollections, type TreeCollection } from '../core/kube/labels';
import { NamespaceIndex, type IndexChange, type ServingInputs } from '../core/kube/namespaceIndex';
import type { ServiceModel } from '../core/kube/revisionState';
import type { ClusterConnection } from './clusterConnection';
import { CollectionReflector, PageSizes, type ReflectorStore } from './collectionReflector';

export type WatchStatus = { kind: 'connecting' } | { kind: 'synced' } | { kind: 'error'; message: string; retryInMs: number };

export interface RevisionChange {
  service: string;
  revision?: number;
  kind: string;
  type: 'add' | 'update' | 'delete';
}

/** Collections the tree can do without (the effective shares) when the user may not list them. */
const Optional: ReadonlySet<TreeCollection> = new Set(['endpointSlices']);

/** What the LISTs have brought in so far, for the bench. */
export interface ListStats {
  pages: number;
  bytes: number;
}

export class NamespaceWatcher {
  private readonly index: NamespaceIndex;
  private readonly reflectors = new Map<TreeCollection, CollectionReflector>();
  private readonly changeListeners = new Set<(change: RevisionChange) => void>();
  private readonly statusListeners = new Set<(status: WatchStatus) => void>();
  private readonly progressListeners = new Set<() => void>();
  private readonly failing = new Set<TreeCollection>();
  private started = false;
  private lastStatus: WatchStatus = { kind: 'connecting' };
  private readonly stats: ListStats = { pages: 0, bytes: 0 };

  constructor(
    private readonly connection: ClusterConnection,
    readonly namespace: string,
    options: { pageSizes?: readonly number[] } = {},
  ) {
    this.index = new NamespaceIndex(namespace);
    const kubeConfig = connection.kubeConfig;
    for (const kind of Object.keys(TreeCollections) as TreeCollection[]) {
      const { path, selector, metadataOnly } = TreeCollections[kind];
      const store: ReflectorStore = {
        put: (object, type) => this.emit(kind, type, this.index.put(kind, object)),
        remove: (name) => this.emit(kind, 'delete', this.index.remove(kind, name)),
        resourceVersion: (name) => this.index.resourceVersion(kind, name),
        names: () => this.index.names(kind),
      };
      const pageSizes = options.pageSizes ?? (kind === 'records' ? PageSizes.recordsFirstRows : PageSizes.workloadsFirstRows);
      const reflector = new CollectionReflector({ kubeConfig, path: path(namespace), labelSelector: selector, metadataOnly, pageSizes }, store, {
        page: (page) => {
          this.stats.pages++;
          this.stats.bytes += page.bytes;
          for (const listener of this.progressListeners) listener();
        },
        connected: () => {
          this.failing.delete(kind);
          if (this.started && this.failing.size === 0 && this.lastStatus.kind !== 'synced') this.setStatus({ kind: 'synced' });
        },
        failed: (error, retryInMs) => {
          this.failing.add(kind);
          const message = describeKubeError(error, { action: 'watch the services and revisions', namespace, context: connection.contextName }).message;
          this.setStatus({ kind: 'error', message, retryInMs });
        },
      });
      this.reflectors.set(kind, reflector);
    }
  }

  get status(): WatchStatus {
    return this.lastStatus;
  }

  /** Whether every collection has been listed whole (services() then holds every service). */
  get synced(): boolean {
    return [...this.reflectors.values()].every((r) => r.listed);
  }

  get listStats(): ListStats {
    return { ...this.stats };
  }

  onChange(listener: (change: RevisionChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onStatus(listener: (status: WatchStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** A page of the first listing arrived: services() may hold more services than before. */
  onProgress(listener: () => void): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  private setStatus(status: WatchStatus): void {
    this.lastStatus = status;
    for (const listener of this.statusListeners) listener(status);
  }

  private emit(kind: TreeCollection, type: RevisionChange['type'], changes: IndexChange[]): void {
    for (const change of changes) {
      const event: RevisionChange = { ...change, kind, type };
      for (const listener of this.changeListeners) listener(event);
    }
  }

  /** Lists everything (page by page, see onProgress) and starts watching; rejects when a first list fails. */
  async start(): Promise<void> {
    try {
      await Promise.all(
        [...this.reflectors].map(([kind, reflector]) =>
          reflector.start().catch((error: unknown) => {
            if (!Optional.has(kind) || httpStatus(error) !== 403) throw error;
            // Forbidden to list it: go on without it (only the desired shares show) rather than show nothing.
            this.reflectors.delete(kind);
          }),
        ),
      );
    } catch (error) {
      await this.stop();
      throw describeKubeError(error, { action: 'watch the services and revisions', namespace: this.namespace, context: this.connection.contextName });
    }
    this.started = true;
    if (this.failing.size === 0) this.setStatus({ kind: 'synced' });
  }

  /** Whether every collection's listing has passed the names of this service's objects. */
  private complete(service: string): boolean {
    const after = nameAfterService(service);
    // EndpointSlices are named `<service>-<random>`, which may sort after `<service>-s`: wait past all of them.
    const afterSlices = `${service}-~`;
    for (const [kind, reflector] of this.reflectors) if (!reflector.hasReached(kind === 'endpointSlices' ? afterSlices : after)) return false;
    return true;
  }

  /**
   * The services sorted by name, newest revision first. While the first listing is under way, only
   * those every collection has been listed past, so none is drawn with half its objects.
   */
  services(): ServiceModel[] {
    return this.synced ? this.index.services() : this.index.services((name) => this.complete(name));
  }

  /** The service objects, their services' pods and stable Services, as the data plane reconciler reads them. */
  snapshot(): ServingInputs {
    return this.index.servingInputs();
  }

  stop(): Promise<void> {
    for (const reflector of this.reflectors.values()) reflector.stop();
    return Promise.resolve();
  }
}
