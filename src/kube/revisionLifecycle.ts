/**
 * What runs for a stored revision: start, stop, scale and delete, over plain Kubernetes objects.
 * Writes are idempotent (applyObject); a multi-object operation that fails part-way undoes what it
 * made, or says exactly what is left.
 */
import { ApisApi, type KubernetesObject, type V1Service } from '@kubernetes/client-node';
import { httpStatus, KubeActionError, kubeErrorOf } from '../core/kube/kubeErrors';
import { Labels, revisionObjectName } from '../core/kube/labels';
import { renderRevision } from '../core/kube/renderObjects';
import { applyObject, deleteObject, FieldManager, mergePatchOptions, objectExists, type KubeApis } from './applyObject';
import type { ClusterConnection } from './clusterConnection';
import { describeRef, type RevisionRef, type RevisionStore } from './revisionStore';
import type { TrafficActions } from './trafficActions';

export type ScaleRequest = { replicas: number } | { minReplicas: number; maxReplicas: number };

type WorkloadKind = 'Service' | 'HorizontalPodAutoscaler' | 'Deployment';

/** A ref whose namespace the caller has resolved. */
type PlacedRef = RevisionRef & { namespace: string };

function scaleRequestProblem(request: ScaleRequest): string | undefined {
  if ('replicas' in request && (!Number.isInteger(request.replicas) || request.replicas < 0 || request.replicas > 1000)) return `replicas must be a whole number from 0 to 1000, not ${request.replicas}.`;
  if ('minReplicas' in request) {
    if (!Number.isInteger(request.minReplicas) || request.minReplicas < 1) return `the minimum must be a whole number of at least 1, not ${request.minReplicas}.`;
    if (!Number.isInteger(request.maxReplicas) || request.maxReplicas < request.minReplicas) return `the maximum (${request.maxReplicas}) must be a whole number of at least the minimum (${request.minReplicas}).`;
  }
  return undefined;
}

export class RevisionLifecycle {
  constructor(
    private readonly connection: ClusterConnection,
    private readonly apis: KubeApis,
    private readonly store: RevisionStore,
    private readonly defaultGpuResourceName: string | undefined,
    private readonly traffic: TrafficActions,
  ) {}

  /** Whether the cluster serves the custom metrics API a GPU autoscaler reads. */
  async servesCustomMetrics(): Promise<boolean> {
    const groups = await this.connection.kubeConfig.makeApiClient(ApisApi).getAPIVersions();
    return groups.groups.some((g) => g.name === 'custom.metrics.k8s.io');
  }

  /** A GPU autoscaler needs the custom metrics API; refuse before anything is made when the cluster lacks it. */
  private async requireCustomMetrics(action: string, namespace: string): Promise<void> {
    let served: boolean;
    try {
      served = await this.servesCustomMetrics();
    } catch (error) {
      throw this.store.fail(error, action, namespace);
    }
    if (!served) {
      throw new KubeActionError(
        `Could not ${action} in namespace "${namespace}" of context "${this.connection.contextName}": it autoscales on GPU utilisation, but the cluster serves no custom metrics API (custom.metrics.k8s.io), so the autoscaler could never act. Install a metrics adapter (e.g. NVIDIA's DCGM exporter with prometheus-adapter), or reproduce the revision with autoscaling on cpu or memory.`,
        'precondition',
      );
    }
  }

  /**
   * Runs a revision: its own Service, its autoscaler and its Deployment; then the service's
   * traffic follows (the first revision started gets 100 %, a later one 0 %: starting never moves
   * traffic) and the stable Service with it. Starting a running revision changes nothing (its
   * replica count is kept).
   */
  async start(ref: PlacedRef): Promise<void> {
    const { namespace } = ref;
    const action = `start ${describeRef(ref)}`;
    const { spec, uid } = await this.store.readRecord(ref);
    await this.store.refuseInvalidSpec(spec, action);
    if (spec.autoscaling?.metric === 'gpu') await this.requireCustomMetrics(action, namespace);
    const objects = renderRevision(spec, { namespace, revision: ref.revision, recordUid: uid, ...(this.defaultGpuResourceName ? { defaultGpuResourceName: this.defaultGpuResourceName } : {}) });
    // The Deployment goes last, so pods start only once everything they need exists.
    const steps: Array<{ kind: WorkloadKind; object: KubernetesObject }> = [
      { kind: 'Service', object: objects.service },
      ...(objects.autoscaler ? [{ kind: 'HorizontalPodAutoscaler' as const, object: objects.autoscaler }] : []),
      { kind: 'Deployment', object: objects.deployment },
    ];
    const created: Array<{ kind: WorkloadKind; name: string }> = [];
    try {
      for (const step of steps) {
        const name = step.object.metadata?.name ?? '';
        const existed = await objectExists(this.apis, step.kind, name, namespace);
        // Re-applying a running Deployment would reset a replica count set by Scale.
        if (step.kind === 'Deployment' && existed) continue;
        await applyObject(this.apis, step.object);
        if (!existed) created.push({ kind: step.kind, name });
      }
    } catch (error) {
      const failure = this.store.fail(error, action, namespace);
      const left = await this.undo(created, namespace);
      const cleanup = left.length === 0 ? (created.length > 0 ? ' Nothing was left half-made: what this start had created was removed.' : '') : ` Could not remove what this start made: ${left.join(', ')} remain; stop the revision to clean them up.`;
      throw new KubeActionError(`${failure.message}${cleanup}`, failure.kind, failure.status, { cause: error });
    }
    try {
      await this.traffic.afterStart(ref);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      throw new KubeActionError(`${describeRef(ref)} runs, but its service's traffic could not be set: ${why} Start it again to retry.`.replace(/^r/, 'R'), kubeErrorOf(error)?.kind ?? 'other', undefined, { cause: error });
    }
  }

  private async undo(created: Array<{ kind: WorkloadKind; name: string }>, namespace: string): Promise<string[]> {
    const left: string[] = [];
    for (const item of [...created].reverse()) {
      try {
        await deleteObject(this.apis, item.kind, item.name, namespace);
      } catch {
        left.push(`${item.kind} "${item.name}"`);
      }
    }
    return left;
  }

  /** Removes the revision's pods, autoscaler and endpoint; whether its Deployment was there. */
  private async removeWorkloads(ref: PlacedRef): Promise<boolean> {
    const name = revisionObjectName(ref.service, ref.revision);
    const removed = await Promise.all([
      deleteObject(this.apis, 'HorizontalPodAutoscaler', name, ref.namespace),
      deleteObject(this.apis, 'Deployment', name, ref.namespace),
      deleteObject(this.apis, 'Service', name, ref.namespace),
    ]);
    return removed[1] ?? false;
  }

  /**
   * Removes the revision's pods, autoscaler and endpoint; the record stays, so Start brings back
   * the same revision. A revision that serves traffic is refused while another could take its
   * share, unless `moveTrafficTo` names the revision its share moves to first; the only revision
   * running may stop, leaving the service with no traffic.
   */
  async stop(ref: PlacedRef, options: { moveTrafficTo?: number } = {}): Promise<{ wasRunning: boolean }> {
    try {
      await this.store.readRecord(ref);
      const { clearAfter } = await this.traffic.beforeStop(ref, options.moveTrafficTo);
      const wasRunning = await this.removeWorkloads(ref);
      if (clearAfter) await this.traffic.afterStop(ref);
      return { wasRunning };
    } catch (error) {
      throw this.store.fail(error, `stop ${describeRef(ref)}`, ref.namespace);
    }
  }

  /**
   * Sets the replica count of a running revision; for an autoscaled revision it sets the
   * autoscaler's bounds instead of fighting it.
   */
  async scale(ref: PlacedRef, request: ScaleRequest): Promise<void> {
    const { namespace } = ref;
    const name = revisionObjectName(ref.service, ref.revision);
    const action = `scale ${describeRef(ref)}`;
    const bad = (why: string): KubeActionError => new KubeActionError(`Could not ${action}: ${why}`, 'invalid');
    const problem = scaleRequestProblem(request);
    if (problem) throw bad(problem);
    try {
      // First that it exists at all: "not running" would send the person to Start a revision that is not there.
      await this.store.readRecord(ref);
      if (await objectExists(this.apis, 'HorizontalPodAutoscaler', name, namespace)) {
        if (!('minReplicas' in request)) throw bad('it is autoscaled; give a minimum and a maximum number of replicas instead of a fixed count.');
        const body = { spec: { minReplicas: request.minReplicas, maxReplicas: request.maxReplicas } };
        await this.apis.autoscaling.patchNamespacedHorizontalPodAutoscaler({ name, namespace, body, fieldManager: FieldManager }, mergePatchOptions());
        return;
      }
      if (!('replicas' in request)) throw bad('it is not autoscaled; give a number of replicas.');
      try {
        await this.apis.apps.patchNamespacedDeploymentScale({ name, namespace, body: { spec: { replicas: request.replicas } }, fieldManager: FieldManager }, mergePatchOptions());
      } catch (error) {
        if (httpStatus(error) === 404) throw new KubeActionError(`Could not ${action}: it is stopped. Start it first.`, 'precondition', 404, { cause: error });
        throw error;
      }
    } catch (error) {
      throw this.store.fail(error, action, namespace);
    }
  }

  /**
   * Removes the recipe and everything it created; refused while it serves traffic. With the last
   * revision, the service object goes too, and with it the stable endpoint, tags and route.
   */
  async delete(ref: PlacedRef): Promise<void> {
    const { namespace } = ref;
    try {
      await this.store.readRecord(ref);
      await this.traffic.beforeDelete(ref);
      // Workloads first, explicitly: garbage collection would also remove them, but later.
      await this.removeWorkloads(ref);
      await deleteObject(this.apis, 'ConfigMap', revisionObjectName(ref.service, ref.revision), namespace);
      const last = !(await this.store.hasRecords(ref.service, namespace));
      await this.traffic.afterDelete(ref, last);
      if (last) {
        // A stable Service made before service objects owned it: removed by hand.
        const stable: V1Service | undefined = await this.apis.core.readNamespacedService({ name: ref.service, namespace }).catch(() => undefined);
        if (stable?.metadata?.labels?.[Labels.component] === 'service-endpoint' && !stable.metadata.ownerReferences?.length) await deleteObject(this.apis, 'Service', ref.service, namespace);
      }
    } catch (error) {
      throw this.store.fail(error, `delete ${describeRef(ref)}`, namespace);
    }
  }
}
