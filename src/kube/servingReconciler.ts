/**
 * Keeps the serving label of a namespace's pods in line with their services' traffic, from a
 * namespace watch the client already has (the tree's): on the plain data plane a split's stable
 * Service selects that label, which no pod template carries (a revision never changes), so pods
 * created later — a scale-up, a replacement — get it from whichever client is watching.
 * Idempotent merge patches, only where a pod differs; a client that may not patch pods says so
 * once and stops trying.
 */
import { httpStatus } from '../core/kube/kubeErrors';
import { Labels } from '../core/kube/labels';
import { podRevision, wantsServingLabel } from '../core/traffic/dataPlane';
import { readServiceRecord } from '../core/traffic/serviceRecord';
import type { TrafficTarget } from '../core/traffic/trafficModel';
import type { NamespaceWatcher } from './namespaceWatcher';

/** Changes arriving within this window are reconciled together. */
const SettleMs = 250;

export class ServingReconciler {
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<string>();
  private disabled = false;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly watcher: NamespaceWatcher,
    private readonly patch: (pod: string, namespace: string, serving: boolean) => Promise<unknown>,
    private readonly onProblem: (message: string) => void,
  ) {}

  start(): void {
    this.unsubscribe = this.watcher.onChange((change) => {
      if (change.kind !== 'pods' && change.kind !== 'serviceObjects') return;
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        void this.run();
      }, SettleMs);
    });
    void this.run();
  }

  /** Labels and unlabels what differs now; resolves with the number of pods patched. */
  async run(): Promise<number> {
    if (this.disabled) return 0;
    const snapshot = this.watcher.snapshot();
    const traffic = new Map<string, TrafficTarget[]>();
    for (const object of snapshot.serviceObjects ?? []) {
      const read = readServiceRecord(object);
      if ('record' in read) traffic.set(read.record.service, read.record.traffic);
    }
    const work: Array<Promise<void>> = [];
    for (const pod of snapshot.pods) {
      const name = pod.metadata?.name;
      const service = pod.metadata?.labels?.[Labels.service];
      const revision = podRevision(pod);
      const policy = service ? traffic.get(service) : undefined;
      if (!name || !policy || revision === undefined || pod.metadata?.deletionTimestamp || this.inFlight.has(name)) continue;
      const wanted = wantsServingLabel(policy, revision);
      if (wanted === (pod.metadata?.labels?.[Labels.serving] === 'true')) continue;
      this.inFlight.add(name);
      work.push(
        this.patch(name, this.watcher.namespace, wanted)
          .then(() => undefined)
          .catch((error: unknown) => {
            const status = httpStatus(error);
            if (status === 403 && !this.disabled) {
              this.disabled = true;
              this.onProblem(`New pods of a traffic split in namespace "${this.watcher.namespace}" are not labelled by this window: it may not patch pods (forbidden). They receive traffic once a client that may do so reconciles.`);
            } else if (status !== 404) this.onProblem(`Could not label pod "${name}" for its service's traffic: ${error instanceof Error ? error.message : String(error)}`);
          })
          .finally(() => this.inFlight.delete(name)),
      );
    }
    await Promise.all(work);
    return work.length;
  }

  stop(): void {
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
