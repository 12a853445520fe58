/**
 * Rollouts in the cluster: start, pause, resume, abort and status from any client, through the
 * service object; and the driver, which moves a rollout step by step while it runs
 * (rolloutDriver.ts). Each step is one write of the service object (the split and the step
 * together), then the data plane follows: a rollout is never half-applied.
 */
import { hostname } from 'node:os';
import { trafficInvalid, trafficRefusal } from '../core/kube/kubeErrors';
import { revisionSelector, revisionObjectName } from '../core/kube/labels';
import { deriveState } from '../core/kube/revisionState';
import { abortRollout, applyStep, beginRollout, isHealthy, pauseRollout, resumeRollout, rolloutStartProblem, rolloutView, type RolloutView, type TargetHealth } from '../core/traffic/rollout';
import { DefaultRolloutPlan, rolloutActive, type RolloutPlan, type ServiceRecord } from '../core/traffic/trafficModel';
import { httpStatus } from '../core/kube/kubeErrors';
import type { KubeApis } from './applyObject';
import type { ClusterConnection } from './clusterConnection';
import type { RevisionStore } from './revisionStore';
import type { ServiceRef, TrafficActions } from './trafficActions';

/** `alice (VS Code on host, pid 123)`: who drives a rollout, as every viewer sees it. */
export function clientDescription(user: string | undefined, surface: string): string {
  return `${user ?? 'someone'} (${surface} on ${hostname()}, pid ${process.pid})`;
}

export class Rollouts {
  constructor(
    private readonly connection: ClusterConnection,
    private readonly apis: KubeApis,
    private readonly store: RevisionStore,
    private readonly traffic: TrafficActions,
  ) {}

  private where(namespace: string, action: string) {
    return { action, namespace, context: this.connection.contextName };
  }

  /** The target's health, as the step gate reads it: its state, ready pods, and the last container restart. */
  async health(ref: ServiceRef & { revision: number }): Promise<TargetHealth> {
    const name = revisionObjectName(ref.service, ref.revision);
    const deployment = await this.apis.apps.readNamespacedDeployment({ name, namespace: ref.namespace }).catch((error: unknown) => {
      if (httpStatus(error) === 404) return undefined;
      throw error;
    });
    const pods = deployment ? (await this.apis.core.listNamespacedPod({ namespace: ref.namespace, labelSelector: revisionSelector(ref.service, ref.revision) })).items : [];
    const state = deriveState(deployment, pods);
    let lastRestartAt: number | undefined;
    for (const pod of pods) {
      for (const status of pod.status?.containerStatuses ?? []) {
        const finished = status.lastState?.terminated?.finishedAt;
        const at = finished ? new Date(finished).getTime() : undefined;
        if (at !== undefined && (lastRestartAt === undefined || at > lastRestartAt)) lastRestartAt = at;
      }
    }
    const health: TargetHealth = { state: state.kind, ready: 'ready' in state ? state.ready : 0, desired: 'desired' in state ? state.desired : 0 };
    if (state.kind === 'failed') health.reason = `${state.reason}: ${state.message}`;
    else if (state.kind === 'starting') health.reason = `${state.ready}/${state.desired} ready${state.reason ? `, ${state.reason}` : ''}`;
    if (lastRestartAt !== undefined) health.lastRestartAt = new Date(lastRestartAt).toISOString();
    return health;
  }

  /** The plan a rollout of the service uses: the one given, else the service's default, else 10 → 50 → 100 every 2 minutes. */
  async defaultPlan(ref: ServiceRef): Promise<RolloutPlan> {
    const stored = await this.store.services.read(ref.service, ref.namespace);
    return stored?.record.settings.rollout ?? DefaultRolloutPlan;
  }

  /**
   * Starts a rollout of `target`: the plan and the split before it are stored, and the first step
   * is applied at once when the target is healthy already. `driver` names the client that will
   * drive it (absent: it waits for one, shown as paused).
   */
  async start(ref: ServiceRef, target: number, plan: RolloutPlan | undefined, driver?: string, heartbeatTimeoutSeconds?: number): Promise<ServiceRecord> {
    const action = `start a rollout of revision ${target} of "${ref.service}"`;
    const model = await this.traffic.service(ref, action);
    const revision = model.revisions.find((r) => r.revision === target);
    if (!revision) throw trafficInvalid(this.where(ref.namespace, action), `revision ${target} does not exist`);
    if (revision.state.kind === 'stopped' || revision.state.kind === 'stopping') throw trafficRefusal(this.where(ref.namespace, action), `it is ${revision.state.kind}: start it first (serve-revisions start ${ref.service} ${target})`, 'notRunning');
    const chosen = plan ?? (await this.defaultPlan(ref));
    const health = await this.health({ ...ref, revision: target });
    const stored = await this.store.services.update(
      { ...ref, action },
      (record) => {
        const problem = rolloutStartProblem(record, target, chosen);
        if (problem) throw trafficRefusal(this.where(ref.namespace, action), problem, 'rolloutRefused');
        const now = Date.now();
        const begun = beginRollout(record, target, chosen, now, driver, heartbeatTimeoutSeconds);
        return isHealthy(health) ? applyStep(begun, 0, now) : begun;
      },
      { kind: 'retry' },
    );
    await this.traffic.reconcile(stored, ref.namespace);
    return stored.record;
  }

  private async change(ref: ServiceRef, verb: string, change: (record: ServiceRecord) => ServiceRecord | undefined): Promise<ServiceRecord> {
    const action = `${verb} the rollout of "${ref.service}"`;
    const stored = await this.store.services.update(
      { ...ref, action },
      (record) => {
        if (!rolloutActive(record.rollout)) {
          const last = record.rollout ? ` (the last one, of revision ${record.rollout.target}, is ${record.rollout.state})` : '';
          throw trafficRefusal(this.where(ref.namespace, action), `no rollout is under way${last}`, 'noRollout');
        }
        return change(record);
      },
      { kind: 'retry' },
    );
    if (stored.changed) await this.traffic.reconcile(stored, ref.namespace);
    return stored.record;
  }

  /** Holds the rollout at its step; its driver (if any) keeps it so until resumed. */
  pause(ref: ServiceRef, by: string): Promise<ServiceRecord> {
    return this.change(ref, 'pause', (record) => (record.rollout?.state === 'paused' ? undefined : pauseRollout(record, by, Date.now())));
  }

  /** Goes on (approving a step that waits for it); `driver` takes the driver's role when given. */
  resume(ref: ServiceRef, driver?: string): Promise<ServiceRecord> {
    return this.change(ref, 'resume', (record) => resumeRollout(record, Date.now(), driver));
  }

  /** Returns the traffic to the split before the rollout, in one write. */
  abort(ref: ServiceRef, by: string): Promise<ServiceRecord> {
    return this.change(ref, 'abort', (record) => abortRollout(record, by, Date.now()));
  }

  /** The rollout as every viewer sees it now, or undefined when the service never had one. */
  async status(ref: ServiceRef): Promise<RolloutView | undefined> {
    const stored = await this.store.services.read(ref.service, ref.namespace);
    return stored ? rolloutView(stored.record, Date.now()) : undefined;
  }
}
