/**
 * Keeps a namespace's data plane in line with its services' stored traffic, from a namespace watch
 * the client already has (the tree's). Every traffic write is one write of the service object, then
 * the data plane (stable Service, pod labels, tag Services, HTTPRoute); a writer that loses the API
 * server or stops between the two leaves the cluster routing the policy before. Any client watching
 * the namespace with the rights to write heals it:
 * - pod labels: on the plain data plane a split's stable Service selects the serving label, which no
 *   pod template carries (a revision never changes), so pods created later — a scale-up, a
 *   replacement — are labelled here, from the watched pods;
 * - the rest: a service whose stored traffic or Gateway this client has not yet seen carried into
 *   the cluster is reconciled (DataPlaneWriter: reads, then writes only the difference) once the
 *   writer has had its moment, unless the watched stable Service already shows it in line. Tag
 *   Services and the HTTPRoute are not watched, so a service with tags or a Gateway is reconciled
 *   once per stored change it brings. A failure is retried with backoff until it lands.
 * Idempotent throughout; a client that may not write says so once and stops trying.
 */
import { httpStatus, kubeErrorOf } from '../core/kube/kubeErrors';
import { Labels } from '../core/kube/labels';
import type { ServingInputs } from '../core/kube/namespaceIndex';
import { podRevision, wantsServingLabel, watchedDataPlane } from '../core/traffic/dataPlane';
import { readServiceRecord } from '../core/traffic/serviceRecord';
import type { ServiceRecord } from '../core/traffic/trafficModel';
import type { NamespaceWatcher } from './namespaceWatcher';

/** Changes arriving within this window are reconciled together. */
const SettleMs = 250;
/** How long the client that wrote a change has to carry it itself before a watcher does. */
const WriterGraceMs = 2_000;
/** A failed heal is tried again after this, doubling up to the maximum. */
const RetryMs = { first: 2_000, max: 30_000 } as const;

export interface DataPlaneCalls {
  /** Sets or removes the serving label of one pod. */
  patchServingLabel(pod: string, namespace: string, serving: boolean): Promise<unknown>;
  /** Brings the data plane of one service in line with its stored record, read afresh. */
  reconcileService(service: string, namespace: string): Promise<void>;
}

/** What the data plane must carry of a record: its service object's identity, traffic and Gateway. */
function carried(record: ServiceRecord, uid: string): string {
  return JSON.stringify([uid, record.traffic, record.settings.gateway ?? null]);
}

export class DataPlaneReconciler {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<string>();
  /** Per service, what this client last saw carried into the cluster (`carried`). */
  private readonly settled = new Map<string, string>();
  /** Services with a heal scheduled, and its timer. */
  private readonly healing = new Map<string, NodeJS.Timeout>();
  private disabled = false;
  private stopped = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly watcher: NamespaceWatcher,
    private readonly calls: DataPlaneCalls,
    private readonly onProblem: (message: string) => void,
  ) {}

  /** One run for every change that arrives within SettleMs. */
  private runSoon(): void {
    if (this.stopped) return;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.run();
    }, SettleMs);
  }

  start(): void {
    const offChange = this.watcher.onChange((change) => {
      if (change.kind === 'pods' || change.kind === 'serviceObjects' || change.kind === 'services') this.runSoon();
    });
    // Listed whole (at first, or again after the API server was away): every service can be judged.
    const offStatus = this.watcher.onStatus((status) => {
      if (status.kind === 'synced') this.runSoon();
    });
    this.unsubscribe = () => {
      offChange();
      offStatus();
    };
    void this.run();
  }

  /** Labels and unlabels the pods that differ now, and schedules the services to heal; resolves with the number of pods patched. */
  async run(): Promise<number> {
    if (this.disabled || this.stopped) return 0;
    const snapshot = this.watcher.snapshot();
    const records = new Map<string, { record: ServiceRecord; uid: string }>();
    for (const object of snapshot.serviceObjects) {
      const read = readServiceRecord(object);
      if ('record' in read) records.set(read.record.service, { record: read.record, uid: object.metadata?.uid ?? '' });
    }
    for (const service of this.settled.keys()) if (!records.has(service)) this.settled.delete(service);
    // A service's stable Service may not be listed yet while the first listing is under way.
    for (const [service, { record, uid }] of this.watcher.synced ? records : []) {
      if (this.settled.get(service) === carried(record, uid) || this.healing.has(service)) continue;
      if (watchedDataPlane(record, snapshot.stableServices.get(service), uid) === 'inLine') this.settled.set(service, carried(record, uid));
      else this.scheduleHeal(service, WriterGraceMs);
    }
    return this.labelPods(snapshot, records);
  }

  private async labelPods(snapshot: ServingInputs, records: Map<string, { record: ServiceRecord }>): Promise<number> {
    const work: Array<Promise<void>> = [];
    for (const pod of snapshot.pods) {
      const name = pod.metadata?.name;
      const service = pod.metadata?.labels?.[Labels.service];
      const revision = podRevision(pod);
      const policy = service ? records.get(service)?.record.traffic : undefined;
      if (!name || !policy || revision === undefined || pod.metadata?.deletionTimestamp || this.inFlight.has(name)) continue;
      const wanted = wantsServingLabel(policy, revision);
      if (wanted === (pod.metadata?.labels?.[Labels.serving] === 'true')) continue;
      this.inFlight.add(name);
      work.push(
        this.calls
          .patchServingLabel(name, this.watcher.namespace, wanted)
          .then(() => undefined)
          .catch((error: unknown) => {
            if (httpStatus(error) === 403) this.forbidden();
            else if (httpStatus(error) !== 404) this.onProblem(`Could not label pod "${name}" for its service's traffic: ${error instanceof Error ? error.message : String(error)}`);
          })
          .finally(() => this.inFlight.delete(name)),
      );
    }
    await Promise.all(work);
    return work.length;
  }

  private scheduleHeal(service: string, delayMs: number, failed = false): void {
    this.healing.set(service, setTimeout(() => void this.heal(service, delayMs, failed), delayMs));
  }

  /** Reconciles one service unless its watched stable Service shows it in line by now. */
  private async heal(service: string, delayMs: number, failed: boolean): Promise<void> {
    if (this.disabled || this.stopped) return;
    const snapshot = this.watcher.snapshot();
    const object = snapshot.serviceObjects.find((o) => o.metadata?.labels?.[Labels.service] === service);
    const read = object ? readServiceRecord(object) : undefined;
    if (!object || !read || !('record' in read)) {
      this.healing.delete(service);
      return;
    }
    const uid = object.metadata?.uid ?? '';
    try {
      if (watchedDataPlane(read.record, snapshot.stableServices.get(service), uid) !== 'inLine') await this.calls.reconcileService(service, this.watcher.namespace);
      this.healing.delete(service);
      this.settled.set(service, carried(read.record, uid));
      if (failed) this.onProblem(`The routing of "${service}" is in line with its traffic again.`);
      // A change that arrived meanwhile is looked at next (with the other heals that end now).
      this.runSoon();
    } catch (error) {
      // DataPlaneWriter describes what it could not do; the status stays on the error.
      const status = kubeErrorOf(error)?.status ?? httpStatus(error);
      if (status === 403) {
        this.healing.delete(service);
        this.forbidden();
        return;
      }
      if (status === 404) {
        this.healing.delete(service);
        return;
      }
      if (!failed) this.onProblem(`Could not bring the routing of "${service}" in line with its traffic (${error instanceof Error ? error.message : String(error)}); trying again until it lands.`);
      if (!this.stopped) this.scheduleHeal(service, Math.min(failed ? delayMs * 2 : RetryMs.first, RetryMs.max), true);
    }
  }

  private forbidden(): void {
    if (this.disabled) return;
    this.disabled = true;
    this.onProblem(`Traffic in namespace "${this.watcher.namespace}" is not kept in line by this window: it may not change pods, Services or routes there (forbidden). New pods of a split receive traffic once a client that may do so reconciles.`);
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const timer of this.healing.values()) clearTimeout(timer);
    this.healing.clear();
  }
}
