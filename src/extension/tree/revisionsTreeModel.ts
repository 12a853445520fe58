import * as vscode from 'vscode';
import { kubeErrorOf, type KubeErrorKind } from '../../core/kube/kubeErrors';
import type { ServiceModel } from '../../core/kube/revisionState';
import type { DataPlaneReconciler, NamespaceWatcher } from '../../bundles/loadKube';
import { rolloutActive } from '../../core/traffic/trafficModel';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';

/**
 * What the view can show; also the `serveRevisions.state` context key its welcome content
 * switches on. `error` carries the sentence to show and what kind of failure it was.
 */
export type TreeState =
  | { kind: 'idle' }
  | { kind: 'loading' }
  | { kind: 'noKubeconfig'; message: string }
  | { kind: 'error'; message: string; errorKind: KubeErrorKind }
  | { kind: 'noServices' }
  | { kind: 'ready' };

/** Changes arriving within this window are applied together: one redraw per burst of watch events. */
const CoalesceMs = 40;

/** How often a rollout is looked at again without an event: its driver may have gone silent. */
const RolloutLookMs = 5000;

/**
 * The data behind the Revisions view, apart from the view: one NamespaceWatcher for the chosen
 * context and namespace (one paged list, then watch events — never a re-list), its services, and
 * events naming which service changed so the view redraws only that one. The first services are
 * shown as soon as the first pages have brought them in; the rest fill in as the list goes on.
 */
export class RevisionsTreeModel implements vscode.Disposable {
  private watcher: NamespaceWatcher | undefined;
  private reconciler: DataPlaneReconciler | undefined;
  private rolloutTimer: NodeJS.Timeout | undefined;
  private generation = 0;
  private servicesByName = new Map<string, ServiceModel>();
  private sorted: ServiceModel[] = [];
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private current: TreeState = { kind: 'idle' };
  private started: Promise<void> | undefined;
  /** Resolves once the first services are shown (or loading ended without any). */
  private firstShown: Promise<void> | undefined;
  private showFirst: (() => void) | undefined;
  private loadingMore = false;
  private watchProblem: string | undefined;

  private readonly stateChanged = new vscode.EventEmitter<TreeState>();
  /** The set of services (or the state) changed: redraw from the root. */
  readonly onDidChangeState = this.stateChanged.event;
  private readonly servicesChanged = new vscode.EventEmitter<string[]>();
  /** These services' revisions changed: redraw only them. */
  readonly onDidChangeServices = this.servicesChanged.event;
  private readonly problemChanged = new vscode.EventEmitter<string | undefined>();
  /** The watch broke and is retrying (a message), or is healthy again (undefined). */
  readonly onDidChangeWatchProblem = this.problemChanged.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly session: ClusterSession,
    private readonly logger: Logger,
  ) {
    this.subscription = session.onDidChangeTarget(() => void this.restart());
  }

  get state(): TreeState {
    return this.current;
  }

  get problem(): string | undefined {
    return this.watchProblem;
  }

  /** Services sorted by name, newest revision first; empty until loaded. */
  get services(): readonly ServiceModel[] {
    return this.sorted;
  }

  service(name: string): ServiceModel | undefined {
    return this.servicesByName.get(name);
  }

  /** Whether the model holds this revision yet (a create reaches it through the watch). */
  hasRevision(service: string, revision: number): boolean {
    return this.servicesByName.get(service)?.revisions.some((r) => r.revision === revision) ?? false;
  }

  /** Resolves true once the watch has brought the revision in, false after `timeoutMs` without it. */
  waitForRevision(service: string, revision: number, timeoutMs: number): Promise<boolean> {
    if (this.hasRevision(service, revision)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        for (const s of subscriptions) s.dispose();
        resolve(this.hasRevision(service, revision));
      };
      const check = (): void => {
        if (this.hasRevision(service, revision)) finish();
      };
      const subscriptions = [this.onDidChangeServices(check), this.onDidChangeState(check)];
      const timer = setTimeout(finish, timeoutMs);
    });
  }

  /** `context "dev", namespace "ml"` once connected. */
  get where(): { context: string; namespace: string } | undefined {
    try {
      const client = this.session.getClient();
      return { context: client.contextName, namespace: client.namespace };
    } catch {
      return undefined;
    }
  }

  /** Whether the first listing is still bringing services in (some are shown already). */
  get loading(): boolean {
    return this.loadingMore;
  }

  /** Starts watching on first call; resolves once every service is in (later calls wait for the same start). */
  ensureStarted(): Promise<void> {
    this.started ??= this.begin(() => this.load());
    return this.started;
  }

  /** Starts watching on first call; resolves as soon as the first services can be shown, for the view. */
  firstRows(): Promise<void> {
    const started = this.ensureStarted();
    return Promise.race([started, this.firstShown ?? started]);
  }

  /** Drops the watch and the connection, then lists and watches afresh (the refresh command). */
  restart(): Promise<void> {
    // Set at once, so an ensureStarted() right after a switch waits for the new namespace.
    this.started = this.begin(() => this.stopWatcher().then(() => this.load()));
    return this.started;
  }

  private begin(load: () => Promise<void>): Promise<void> {
    let shown: () => void = () => undefined;
    this.firstShown = new Promise((resolve) => (shown = resolve));
    this.showFirst = shown;
    return load().finally(shown);
  }

  private setState(state: TreeState): void {
    this.current = state;
    void vscode.commands.executeCommand('setContext', 'serveRevisions.state', state.kind);
    this.stateChanged.fire(state);
  }

  private async load(): Promise<void> {
    const generation = ++this.generation;
    this.setState({ kind: 'loading' });
    let watcher: NamespaceWatcher;
    try {
      const client = this.session.getClient();
      watcher = client.watch();
      this.watcher = watcher;
      this.loadingMore = true;
      watcher.onChange((change) => {
        this.pending.add(change.service);
        this.timer ??= setTimeout(() => this.flush(), CoalesceMs);
      });
      // A page in: the first services are shown at once, later pages with the coalesced changes.
      watcher.onProgress(() => {
        if (this.current.kind === 'loading') this.flush();
        else this.timer ??= setTimeout(() => this.flush(), CoalesceMs);
      });
      watcher.onStatus((status) => {
        const problem = status.kind === 'error' ? `${status.message} Retrying in ${Math.ceil(status.retryInMs / 1000)} s.` : undefined;
        if (problem === this.watchProblem) return;
        this.watchProblem = problem;
        this.problemChanged.fire(problem);
      });
      await watcher.start();
    } catch (error) {
      if (generation !== this.generation) return;
      this.watcher = undefined;
      this.loadingMore = false;
      if (this.timer) clearTimeout(this.timer);
      this.timer = undefined;
      // Thrown in dist/kube.js: its kind is read as data (its class there is not the one here).
      const failure = kubeErrorOf(error) ?? { kind: 'other' as const, message: error instanceof Error ? error.message : String(error) };
      this.logger.error(failure.message, error);
      this.servicesByName.clear();
      this.sorted = [];
      // Only "nothing to read" gets the no-kubeconfig welcome; anything else (a stale context
      // choice, a broken file, a forbidden namespace) is an error node offering the next step.
      this.setState(failure.kind === 'noKubeconfig' ? { kind: 'noKubeconfig', message: failure.message } : { kind: 'error', message: failure.message, errorKind: failure.kind });
      return;
    }
    if (generation !== this.generation) {
      void watcher.stop();
      return;
    }
    this.loadingMore = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
    // While it watches, this window keeps the namespace's routing in line with the stored traffic:
    // new pods of a split get their serving label, and a route a writer left behind is healed.
    try {
      this.reconciler = this.session.getClient().traffic.reconcileWhileWatching(watcher, (message) => this.logger.warn(message));
    } catch (error) {
      this.logger.warn(`Not keeping the routing of traffic splits in line: ${error instanceof Error ? error.message : String(error)}`);
    }
    // A rollout whose driver goes silent shows as paused without any event: look again now and then.
    this.rolloutTimer = setInterval(() => {
      const rolling = this.sorted.filter((s) => rolloutActive(s.traffic?.record.rollout)).map((s) => s.name);
      if (rolling.length > 0) this.servicesChanged.fire(rolling);
    }, RolloutLookMs);
    this.rebuild();
    this.setState(this.sorted.length > 0 ? { kind: 'ready' } : { kind: 'noServices' });
  }

  private rebuild(): void {
    const services = this.watcher?.services() ?? [];
    this.sorted = services;
    this.servicesByName = new Map(services.map((s) => [s.name, s]));
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.watcher) return;
    const changed = [...this.pending];
    this.pending.clear();
    const before = new Set(this.servicesByName.keys());
    this.rebuild();
    if (this.loadingMore) {
      // Still listing: draw what is complete so far; the end of the listing draws the rest.
      if (this.sorted.length === 0) return;
      if (this.current.kind === 'loading') this.showFirst?.();
    }
    const after = new Set(this.servicesByName.keys());
    const setChanged = before.size !== after.size || [...after].some((name) => !before.has(name));
    if (setChanged || this.current.kind === 'loading') {
      this.setState(this.sorted.length > 0 ? { kind: 'ready' } : { kind: 'noServices' });
    } else {
      this.servicesChanged.fire(changed.filter((name) => after.has(name)));
    }
  }

  private async stopWatcher(): Promise<void> {
    this.generation++;
    this.loadingMore = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const watcher = this.watcher;
    this.watcher = undefined;
    this.watchProblem = undefined;
    this.reconciler?.stop();
    this.reconciler = undefined;
    if (this.rolloutTimer) clearInterval(this.rolloutTimer);
    this.rolloutTimer = undefined;
    if (watcher) await watcher.stop().catch((error: unknown) => this.logger.warn(`Stopping the watch failed: ${String(error)}`));
  }

  dispose(): void {
    void this.stopWatcher();
    this.subscription.dispose();
    this.stateChanged.dispose();
    this.servicesChanged.dispose();
    this.problemChanged.dispose();
  }
}
