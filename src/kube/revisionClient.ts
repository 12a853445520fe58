/**
 * Every revision action against one cluster connection, for the extension, the CLI and the tests:
 * the records (revisionStore), what runs for them (revisionLifecycle) and the namespace watch,
 * each resolving the namespace the same way (resolveNamespace).
 */
import { KubeActionError, kubeErrorOf } from '../core/kube/kubeErrors';
import { resolveNamespace } from '../core/kube/resolveNamespace';
import { authoredSpec, reproducedSpec } from '../core/kube/revisionRecord';
import { revisionSelector } from '../core/kube/labels';
import type { RevisionModel, RevisionState, ServiceModel } from '../core/kube/revisionState';
import { SpecDefaults } from '../core/spec/specDefaults';
import type { RevisionSpec } from '../core/spec/revisionSpec';
import { makeKubeApis, type KubeApis } from './applyObject';
import { connect, type ClusterConnection, type ConnectionOptions } from './clusterConnection';
import { dryRunRevision, type DryRunOptions, type DryRunResult } from './dryRun';
import { waitForVerdict } from './launchVerdict';
import { forwardToLocalPort, type LocalForward } from './portForward';
import { checkSpecFit } from './fitFacts';
import { NamespaceWatcher } from './namespaceWatcher';
import { RevisionLifecycle, type ScaleRequest } from './revisionLifecycle';
import { RevisionStore, type RevisionRef } from './revisionStore';
import { RevisionLogStream, type LogRequest } from './revisionLogs';
import { readRevisionMetrics, type MetricsReading } from './revisionMetrics';
import { gatherRevision, observedDetails, RevisionObserver } from './revisionObserver';
import type { FitVerdict } from '../core/observe/fitCheck';
import type { RevisionDetailsView } from '../shared/detailsProtocol';
import { DataPlaneWriter } from './dataPlaneWriter';
import { Rollouts } from './rollouts';
import { TrafficActions } from './trafficActions';
import { TrafficClient } from './trafficClient';

export interface CreateResult {
  service: string;
  namespace: string;
  revision: number;
  started: boolean;
}

export interface ClientOptions extends ConnectionOptions {
  /** GPU resource name used when a spec names none (extension setting). */
  defaultGpuResourceName?: string;
}

export class RevisionClient {
  private readonly apis: KubeApis;
  private readonly store: RevisionStore;
  private readonly lifecycle: RevisionLifecycle;
  private readonly defaultGpuResourceName: string | undefined;
  /** Traffic and rollouts of the services of this connection. */
  readonly traffic: TrafficClient;

  static connect(options: ClientOptions = {}): RevisionClient {
    return new RevisionClient(connect(options), options);
  }

  constructor(
    readonly connection: ClusterConnection,
    options: ClientOptions = {},
  ) {
    this.apis = makeKubeApis(connection.kubeConfig);
    this.store = new RevisionStore(connection, this.apis);
    const dataPlane = new DataPlaneWriter(connection, this.apis, this.store);
    const actions = new TrafficActions(connection, this.apis, this.store, dataPlane);
    this.lifecycle = new RevisionLifecycle(connection, this.apis, this.store, options.defaultGpuResourceName, actions);
    this.defaultGpuResourceName = options.defaultGpuResourceName;
    this.traffic = new TrafficClient(connection, this.store, this.lifecycle, actions, dataPlane, new Rollouts(connection, this.apis, this.store, actions));
  }

  get core(): KubeApis['core'] {
    return this.apis.core;
  }

  get apps(): KubeApis['apps'] {
    return this.apis.apps;
  }

  get autoscaling(): KubeApis['autoscaling'] {
    return this.apis.autoscaling;
  }

  /** The namespace this connection targets: the chosen one, else the context's, else "default". */
  get namespace(): string {
    return this.connection.namespace;
  }

  get contextName(): string {
    return this.connection.contextName;
  }

  /** A ref in its own namespace when it names one, else in this connection's. */
  private placed(ref: RevisionRef): RevisionRef & { namespace: string } {
    return { ...ref, namespace: resolveNamespace({ flag: ref.namespace, chosen: this.namespace }) };
  }

  /** Every service of the namespace, with one label-selected, paged LIST per collection (never one per revision). */
  listServices(namespace = this.namespace): Promise<ServiceModel[]> {
    return this.store.listServices(namespace);
  }

  /** One service and its revisions (the same LISTs, selecting its label); undefined when it has none. */
  listService(service: string, namespace = this.namespace): Promise<ServiceModel | undefined> {
    return this.store.listService(service, namespace);
  }

  getRevision(ref: RevisionRef): Promise<RevisionModel> {
    return this.store.getRevision(this.placed(ref));
  }

  /** The stored recipe and its record's uid: the one way to a revision's spec (the tree holds none). */
  readRecord(ref: RevisionRef): ReturnType<RevisionStore['readRecord']> {
    return this.store.readRecord(this.placed(ref));
  }

  /** The names of the cluster's namespaces, for a picker. */
  async namespaceNames(): Promise<string[]> {
    return (await this.apis.core.listNamespace()).items.map((n) => n.metadata?.name ?? '').filter((n) => n !== '');
  }

  /** The API server's version (`v1.34.4`), for rules that changed between releases; undefined when it does not say. */
  kubernetesVersion(): Promise<string | undefined> {
    return this.store.kubernetesVersion();
  }

  /** Whether the cluster serves the custom metrics API a GPU autoscaler reads. */
  servesCustomMetrics(): Promise<boolean> {
    return this.lifecycle.servesCustomMetrics();
  }

  /**
   * Stores the spec as the next revision of its service (in `options.namespace`, else the
   * spec's, else this connection's) and, when asked or the spec says so, starts it.
   */
  async create(input: RevisionSpec, options: { namespace?: string; launch?: boolean } = {}): Promise<CreateResult> {
    const spec = authoredSpec(input);
    const namespace = resolveNamespace({ flag: options.namespace, spec: spec.namespace, chosen: this.namespace });
    const action = `create a revision of "${spec.service}"`;
    await this.store.refuseInvalidSpec(spec, action);
    const revision = await this.store.createRecord(spec, namespace, action);
    const launch = options.launch ?? spec.launchImmediately ?? false;
    if (launch) {
      try {
        await this.lifecycle.start({ service: spec.service, revision, namespace });
      } catch (error) {
        const why = error instanceof Error ? error.message : String(error);
        throw new KubeActionError(`Revision ${revision} of "${spec.service}" was created but could not be started. ${why} The revision is stored (stopped); start it again once the cause is fixed.`, kubeErrorOf(error)?.kind ?? 'other', undefined, { cause: error });
      }
    }
    return { service: spec.service, namespace, revision, started: launch };
  }

  start(ref: RevisionRef): Promise<void> {
    return this.lifecycle.start(this.placed(ref));
  }

  /**
   * Removes the revision's pods, autoscaler and endpoint; the record stays, so Start brings back
   * the same revision. A revision that serves traffic is refused unless `moveTrafficTo` names the
   * running revision its share moves to first (or it is the only one running).
   */
  stop(ref: RevisionRef, options: { moveTrafficTo?: number } = {}): Promise<{ wasRunning: boolean }> {
    return this.lifecycle.stop(this.placed(ref), options);
  }

  scale(ref: RevisionRef, request: ScaleRequest): Promise<void> {
    return this.lifecycle.scale(this.placed(ref), request);
  }

  /** Removes the recipe and everything it created (refused while it serves traffic); the service goes with the last revision. */
  delete(ref: RevisionRef): Promise<void> {
    return this.lifecycle.delete(this.placed(ref));
  }

  /** The spec to edit before reproducing: the same settings, recording where it came from. */
  async reproduceDraft(ref: RevisionRef): Promise<RevisionSpec> {
    const { spec } = await this.readRecord(ref);
    return reproducedSpec(spec, ref.revision);
  }

  async reproduce(ref: RevisionRef, changes: Partial<Pick<RevisionSpec, 'message' | 'launchImmediately'>> = {}, options: { launch?: boolean } = {}): Promise<CreateResult> {
    const draft = await this.reproduceDraft(ref);
    return this.create({ ...draft, ...changes }, { namespace: this.placed(ref).namespace, ...(options.launch !== undefined ? { launch: options.launch } : {}) });
  }

  /** The number the next revision of `service` would get now (another create may take it first). */
  nextRevisionNumber(service: string, namespace = this.namespace): Promise<number> {
    return this.store.nextNumber(service, namespace);
  }

  /** Waits at most `timeoutMs` for a started revision's pods to run or say why they will not (launchOutcome words it). */
  firstVerdict(ref: RevisionRef, timeoutMs: number): Promise<RevisionState | undefined> {
    return waitForVerdict(this.apis, this.placed(ref), timeoutMs);
  }

  /**
   * A local port reaching the revision's first port through the API server's port-forward; each
   * connection goes to a ready pod of the revision. Throws when the revision has no ready pod now.
   */
  async forwardEndpoint(ref: RevisionRef): Promise<LocalForward & { targetPort: number }> {
    const placed = this.placed(ref);
    const action = `forward the endpoint of ${placed.service} #${placed.revision}`;
    const { spec } = await this.readRecord(placed);
    const targetPort = spec.ports?.[0]?.containerPort ?? SpecDefaults.port.containerPort;
    const readyPod = async (): Promise<string> => {
      const pods = await this.apis.core.listNamespacedPod({ namespace: placed.namespace, labelSelector: revisionSelector(placed.service, placed.revision) });
      const ready = pods.items.find((p) => !p.metadata?.deletionTimestamp && p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      if (!ready?.metadata?.name) throw new KubeActionError(`Could not ${action} in namespace "${placed.namespace}": it has no ready pod. Start it, or wait until a pod is ready.`, 'precondition');
      return ready.metadata.name;
    };
    try {
      await readyPod();
    } catch (error) {
      if (kubeErrorOf(error)) throw error;
      throw this.store.fail(error, action, placed.namespace);
    }
    const forward = await forwardToLocalPort(this.connection.kubeConfig, { namespace: placed.namespace, port: targetPort, pod: readyPod });
    return Object.assign(forward, { targetPort });
  }

  /** Sends every object `create` and `start` would write with `dryRun=All` (see dryRun.ts). */
  dryRun(spec: RevisionSpec, options: DryRunOptions = {}): Promise<DryRunResult> {
    return dryRunRevision({ contextName: this.contextName, namespace: this.namespace, apis: this.apis, store: this.store, servesCustomMetrics: () => this.servesCustomMetrics() }, spec, options);
  }

  /** A watch of the namespace's services and revisions (start() lists, page by page, then watches). */
  watch(namespace = this.namespace, options: { pageSizes?: readonly number[] } = {}): NamespaceWatcher {
    return new NamespaceWatcher(this.connection, namespace, options);
  }

  // --- observing a revision (issue 15) ---------------------------------------------------------

  /** Why it is (not) ready, read once (the CLI's describe); `problems` names what could not be read. */
  async describe(ref: RevisionRef): Promise<{ details: RevisionDetailsView; problems: string[] }> {
    const placed = this.placed(ref);
    const observed = await gatherRevision(this.connection, placed);
    // Not listed: it does not exist, or the user may not list configmaps (readRecord says which).
    if (!observed.record) await this.store.readRecord(placed);
    const details = observedDetails(this.connection, placed, observed);
    return { details, problems: observed.problems };
  }

  /** Keeps the revision's objects current by watch, for a live details view. */
  observe(ref: RevisionRef): RevisionObserver {
    return new RevisionObserver(this.connection, this.placed(ref));
  }

  /** The logs of all the revision's pods, merged (follow by default, from the last 100 lines). */
  logs(ref: RevisionRef, request: LogRequest = {}): RevisionLogStream {
    return new RevisionLogStream(this.connection, this.placed(ref), request);
  }

  /** CPU and memory of the revision's pods now, or why the cluster cannot say. */
  readMetrics(ref: RevisionRef): Promise<MetricsReading> {
    return readRevisionMetrics(this.connection, this.placed(ref));
  }

  /** Whether a stored revision's pods fit the cluster now (before Start). */
  async checkFit(ref: RevisionRef): Promise<FitVerdict> {
    const placed = this.placed(ref);
    const { spec } = await this.readRecord(placed);
    return checkSpecFit(this.connection, this.apis, spec, placed.namespace, { revision: placed.revision, ...(this.defaultGpuResourceName ? { defaultGpuResourceName: this.defaultGpuResourceName } : {}) });
  }

  /** Whether a spec's pods would fit once created and launched (in `namespace`, else the spec's, else this connection's). */
  checkSpecFit(spec: RevisionSpec, options: { namespace?: string } = {}): Promise<FitVerdict> {
    const namespace = resolveNamespace({ flag: options.namespace, spec: spec.namespace, chosen: this.namespace });
    return checkSpecFit(this.connection, this.apis, spec, namespace, this.defaultGpuResourceName ? { defaultGpuResourceName: this.defaultGpuResourceName } : {});
  }
}
