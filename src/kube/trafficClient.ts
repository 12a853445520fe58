/**
 * Traffic and rollouts against one cluster connection, for the extension, the CLI and the tests:
 * what serves a service, splits and tags, routing all traffic to a revision (starting it first),
 * the service's settings, rollouts (and driving them), comparing two revisions. Every action
 * resolves its namespace as every other does (resolveNamespace).
 */
import { KubeActionError } from '../core/kube/kubeErrors';
import { resolveNamespace } from '../core/kube/resolveNamespace';
import type { ServiceModel } from '../core/kube/revisionState';
import { RecordSpecKey } from '../core/kube/labels';
import { specDiff } from '../core/traffic/compareSpecs';
import { isHealthy, type RolloutView } from '../core/traffic/rollout';
import { replicasForSplit } from '../core/traffic/trafficPolicy';
import type { RolloutPlan, ServiceRecord, ServiceSettings, TrafficTarget } from '../core/traffic/trafficModel';
import type { ClusterConnection } from './clusterConnection';
import type { DataPlaneWriter } from './dataPlaneWriter';
import type { RevisionLifecycle } from './revisionLifecycle';
import type { RevisionStore } from './revisionStore';
import { RolloutDriver, type DriveOptions } from './rolloutDriver';
import { clientDescription, type Rollouts } from './rollouts';
import type { NamespaceWatcher } from './namespaceWatcher';
import { DataPlaneReconciler } from './dataPlaneReconciler';
import type { TrafficActions, TrafficEdit } from './trafficActions';

export interface RouteAllOptions {
  /** Who routes it, for a rollout it ends (`alice (CLI on host)`). */
  by?: string;
  /** The traffic the person saw: a conflict when it changed meanwhile. */
  expected?: TrafficTarget[];
  /** How long to wait for a stopped revision to be ready after starting it (default 300 s). */
  readyTimeoutMs?: number;
  signal?: AbortSignal;
  /** Told when the revision had to be started first, and while it comes up. */
  onProgress?: (message: string) => void;
}

export class TrafficClient {
  constructor(
    private readonly connection: ClusterConnection,
    private readonly store: RevisionStore,
    private readonly lifecycle: RevisionLifecycle,
    private readonly actions: TrafficActions,
    private readonly dataPlane: DataPlaneWriter,
    private readonly rollouts: Rollouts,
  ) {}

  private ns(namespace?: string): string {
    return resolveNamespace({ flag: namespace, chosen: this.connection.namespace });
  }

  /** `alice (VS Code on host, pid 1)`: how this client names itself as a rollout's driver. */
  async describeClient(surface: string): Promise<string> {
    return clientDescription(await this.store.userName(), surface);
  }

  /** The service with its revisions, their desired and effective shares, tags and rollout. */
  service(service: string, namespace?: string): Promise<ServiceModel> {
    return this.actions.service({ service, namespace: this.ns(namespace) });
  }

  /** Brings the data plane in line with the stored policy (labels pods of a split created since). */
  async reconcile(service: string, namespace?: string): Promise<void> {
    const ns = this.ns(namespace);
    const stored = await this.store.services.read(service, ns, `route the traffic of "${service}"`);
    if (stored) await this.actions.reconcile(stored, ns);
  }

  /**
   * Keeps the namespace's data plane in line with its services' stored traffic while `watcher`
   * watches (dataPlaneReconciler.ts): labels the pods of splits as they come and go, and reconciles
   * a service whose routing a writer left behind its stored traffic. `onProblem` hears what it
   * could not do (once when this client may not write). Started at once.
   */
  reconcileWhileWatching(watcher: NamespaceWatcher, onProblem: (message: string) => void): DataPlaneReconciler {
    const reconciler = new DataPlaneReconciler(watcher, { patchServingLabel: (pod, namespace, serving) => this.dataPlane.patchServingLabel(pod, namespace, serving), reconcileService: (service, namespace) => this.reconcile(service, namespace) }, onProblem);
    reconciler.start();
    return reconciler;
  }

  /** A split and/or tag changes, in one write. */
  edit(service: string, edit: TrafficEdit, namespace?: string): Promise<ServiceRecord> {
    return this.actions.edit({ service, namespace: this.ns(namespace) }, edit);
  }

  /**
   * Rollback in one action: all traffic to `revision`, starting it first when it is stopped and
   * waiting (bounded, cancellable) until it is ready.
   */
  async routeAll(ref: { service: string; revision: number; namespace?: string }, options: RouteAllOptions = {}): Promise<ServiceRecord> {
    const placed = { service: ref.service, revision: ref.revision, namespace: this.ns(ref.namespace) };
    const by = options.by ?? (await this.describeClient('serve-revisions'));
    let health = await this.rollouts.health(placed);
    if (health.state === 'stopped' || health.state === 'stopping') {
      options.onProgress?.(`Starting revision ${ref.revision} of "${ref.service}"…`);
      await this.lifecycle.start(placed);
    }
    const timeoutMs = options.readyTimeoutMs ?? 300_000;
    const deadline = Date.now() + timeoutMs;
    while (!isHealthy(health)) {
      if (options.signal?.aborted) throw new KubeActionError(`Stopped waiting for revision ${ref.revision} of "${ref.service}" to be ready: no traffic was moved.`, 'other', undefined, { code: 'cancelled' });
      if (health.state === 'failed') throw new KubeActionError(`Could not route all traffic of "${ref.service}" to revision ${ref.revision}: it failed (${health.reason ?? 'see its details'}). No traffic was moved.`, 'precondition', undefined, { code: 'notHealthy' });
      if (Date.now() > deadline) throw new KubeActionError(`Could not route all traffic of "${ref.service}" to revision ${ref.revision}: it was not ready after ${Math.round(timeoutMs / 1000)} s (${health.reason ?? health.state}). No traffic was moved; it keeps starting.`, 'timeout', undefined, { code: 'notReady' });
      options.onProgress?.(`Waiting for revision ${ref.revision} of "${ref.service}" to be ready (${health.reason ?? health.state})…`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      health = await this.rollouts.health(placed);
    }
    return this.actions.routeAll(placed, by, options.expected);
  }

  /** Stores the service's settings (gateway, default rollout plan) and routes accordingly. */
  applySettings(service: string, settings: ServiceSettings, namespace?: string): Promise<ServiceRecord> {
    return this.actions.applySettings({ service, namespace: this.ns(namespace) }, settings);
  }

  startRollout(service: string, target: number, plan?: RolloutPlan, options: { namespace?: string; driver?: string; heartbeatTimeoutSeconds?: number } = {}): Promise<ServiceRecord> {
    return this.rollouts.start({ service, namespace: this.ns(options.namespace) }, target, plan, options.driver, options.heartbeatTimeoutSeconds);
  }

  async pauseRollout(service: string, namespace?: string, by?: string): Promise<ServiceRecord> {
    return this.rollouts.pause({ service, namespace: this.ns(namespace) }, by ?? (await this.describeClient('serve-revisions')));
  }

  resumeRollout(service: string, namespace?: string, driver?: string): Promise<ServiceRecord> {
    return this.rollouts.resume({ service, namespace: this.ns(namespace) }, driver);
  }

  async abortRollout(service: string, namespace?: string, by?: string): Promise<ServiceRecord> {
    return this.rollouts.abort({ service, namespace: this.ns(namespace) }, by ?? (await this.describeClient('serve-revisions')));
  }

  rolloutStatus(service: string, namespace?: string): Promise<RolloutView | undefined> {
    return this.rollouts.status({ service, namespace: this.ns(namespace) });
  }

  /** A driver for the service's rollout, named `driver`; `run()` drives it. */
  driver(service: string, driver: string, options: DriveOptions & { namespace?: string } = {}): RolloutDriver {
    return new RolloutDriver({ service, namespace: this.ns(options.namespace) }, driver, this.store, this.actions, this.rollouts, options);
  }

  /**
   * Plain data plane: scales the split's revisions so their ready pods approximate the weights
   * (their current replicas shared out by weight). Autoscaled revisions are left to their
   * autoscaler and named in the result.
   */
  async sizeReplicasToSplit(service: string, namespace?: string): Promise<{ scaled: Array<{ revision: number; replicas: number }>; autoscaled: number[] }> {
    const ns = this.ns(namespace);
    const model = await this.service(service, ns);
    const traffic = model.traffic?.record.traffic ?? [];
    const byRevision = new Map(model.revisions.map((r) => [r.revision, r]));
    const total = traffic.reduce((n, t) => {
      const r = byRevision.get(t.revision);
      return n + (t.percent > 0 && r && 'desired' in r.state ? r.state.desired : 0);
    }, 0);
    const scaled: Array<{ revision: number; replicas: number }> = [];
    const autoscaled: number[] = [];
    for (const want of replicasForSplit(traffic, total)) {
      if (byRevision.get(want.revision)?.autoscaling) {
        autoscaled.push(want.revision);
        continue;
      }
      await this.lifecycle.scale({ service, revision: want.revision, namespace: ns }, { replicas: want.replicas });
      scaled.push(want);
    }
    return { scaled, autoscaled };
  }

  /** The Gateways of a namespace, for a picker. */
  listGateways(namespace?: string): ReturnType<DataPlaneWriter['listGateways']> {
    return this.dataPlane.listGateways(this.ns(namespace));
  }

  servesGatewayApi(): Promise<boolean> {
    return this.dataPlane.servesGatewayApi();
  }

  /** The unified diff of two revisions' stored specs, without what creation assigns; empty when the same. */
  async diff(service: string, a: number, b: number, namespace?: string): Promise<string> {
    const ns = this.ns(namespace);
    const [left, right] = await Promise.all([a, b].map((revision) => this.store.readRecord({ service, revision, namespace: ns })));
    return specDiff(service, { revision: a, text: left?.record.data?.[RecordSpecKey] ?? '' }, { revision: b, text: right?.record.data?.[RecordSpecKey] ?? '' });
  }
}
