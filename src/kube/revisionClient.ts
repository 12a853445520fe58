/**
 * Every revision action against a cluster, over plain Kubernetes objects (see design.md,
 * "On Kubernetes"). Writes are idempotent (server-side apply with one field manager); a
 * multi-object operation that fails part-way undoes what it made, or says exactly what is left.
 */
import {
  ApisApi,
  AppsV1Api,
  AuthenticationV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  PatchStrategy,
  VersionApi,
  setHeaderOptions,
  type KubernetesObject,
  type V1ConfigMap,
  type V1Deployment,
  type V1Pod,
  type V1Service,
  type V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { parse } from 'yaml';
import { componentSelector, Labels, ManagedSelector, RecordSpecKey, revisionObjectName, TreeCollections, type TreeCollection } from '../core/kube/labels';
import { describeKubeError, httpStatus, KubeActionError, kubeErrorOf } from '../core/kube/kubeErrors';
import { renderRevision, type RenderOptions } from '../core/kube/renderObjects';
import { buildNamespaceModel, type NamespaceObjects, type RevisionModel, type ServiceModel } from '../core/kube/revisionState';
import type { RevisionSpec } from '../core/spec/revisionSpec';
import { formatPath } from '../core/spec/semanticChecks';
import { findSpecProblems } from '../core/spec/validateSpec';
import { connect, type ClusterConnection, type ConnectionOptions } from './clusterConnection';
import { listJson } from './listJson';
import { NamespaceWatcher } from './namespaceWatcher';

export const FieldManager = 'serve-revisions';
/** How many taken numbers a create skips before giving up (each skip is a concurrent create). */
const MaxNumberAttempts = 50;

export interface RevisionRef {
  service: string;
  revision: number;
  namespace?: string;
}

export type ScaleRequest = { replicas: number } | { minReplicas: number; maxReplicas: number };

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

const applyOptions = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
const mergeOptions = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Request options for a JSON merge patch (client-node sends json-patch unless told). */
export function mergePatchOptions(): typeof mergeOptions {
  return mergeOptions;
}

function describe(ref: RevisionRef): string {
  return `revision ${ref.revision} of "${ref.service}"`;
}

function isNotFound(error: unknown): boolean {
  return httpStatus(error) === 404;
}

/** The spec a user authored, without what creation assigns (number, time, author). */
export function authoredSpec(spec: RevisionSpec): RevisionSpec {
  const copy: RevisionSpec = structuredClone(spec);
  delete copy.revision;
  delete copy.createdAt;
  delete copy.createdBy;
  return copy;
}

export class RevisionClient {
  readonly core: CoreV1Api;
  readonly apps: AppsV1Api;
  readonly autoscaling: AutoscalingV2Api;
  private userName: Promise<string | undefined> | undefined;
  private version: Promise<string | undefined> | undefined;

  static connect(options: ClientOptions = {}): RevisionClient {
    return new RevisionClient(connect(options), options);
  }

  constructor(
    readonly connection: ClusterConnection,
    private readonly options: ClientOptions = {},
  ) {
    this.core = connection.kubeConfig.makeApiClient(CoreV1Api);
    this.apps = connection.kubeConfig.makeApiClient(AppsV1Api);
    this.autoscaling = connection.kubeConfig.makeApiClient(AutoscalingV2Api);
  }

  get namespace(): string {
    return this.connection.namespace;
  }

  get contextName(): string {
    return this.connection.contextName;
  }

  private fail(error: unknown, action: string, namespace: string): KubeActionError {
    return describeKubeError(error, { action, namespace, context: this.contextName });
  }

  /** The namespace's managed objects, with five label-selected LIST calls (never one per revision). */
  async listObjects(namespace = this.namespace): Promise<NamespaceObjects> {
    try {
      const kc = this.connection.kubeConfig;
      const list = <T extends KubernetesObject>(kind: TreeCollection) => listJson<T>(kc, TreeCollections[kind].path(namespace), TreeCollections[kind].selector);
      const [records, deployments, autoscalers, pods, services] = await Promise.all([
        list<V1ConfigMap>('records'),
        list<V1Deployment>('deployments'),
        list<V2HorizontalPodAutoscaler>('autoscalers'),
        list<V1Pod>('pods'),
        list<V1Service>('services'),
      ]);
      return { records: records.items, deployments: deployments.items, autoscalers: autoscalers.items, pods: pods.items, services: services.items };
    } catch (error) {
      throw this.fail(error, 'list the services and revisions', namespace);
    }
  }

  async listServices(namespace = this.namespace): Promise<ServiceModel[]> {
    return buildNamespaceModel(namespace, await this.listObjects(namespace));
  }

  async getRevision(ref: RevisionRef): Promise<RevisionModel> {
    const namespace = ref.namespace ?? this.namespace;
    const services = await this.listServices(namespace);
    const found = services.find((s) => s.name === ref.service)?.revisions.find((r) => r.revision === ref.revision);
    if (!found) throw new KubeActionError(`Could not find ${describe(ref)} in namespace "${namespace}" of context "${this.contextName}": it does not exist (or was deleted). Refresh the list of revisions.`, 'notFound', 404);
    return found;
  }

  /** The stored recipe and its record's uid. */
  async readRecord(ref: RevisionRef): Promise<{ spec: RevisionSpec; uid: string; record: V1ConfigMap }> {
    const namespace = ref.namespace ?? this.namespace;
    let record: V1ConfigMap;
    try {
      record = await this.core.readNamespacedConfigMap({ name: revisionObjectName(ref.service, ref.revision), namespace });
    } catch (error) {
      if (isNotFound(error)) throw new KubeActionError(`Could not find ${describe(ref)} in namespace "${namespace}" of context "${this.contextName}": it does not exist (or was deleted). Refresh the list of revisions.`, 'notFound', 404, { cause: error });
      throw this.fail(error, `read ${describe(ref)}`, namespace);
    }
    if (record.metadata?.labels?.[Labels.component] !== 'record') {
      throw new KubeActionError(`ConfigMap "${record.metadata?.name}" in namespace "${namespace}" is not a revision record of Serve Revisions (it lacks its labels); refusing to use it.`, 'precondition');
    }
    const text = record.data?.[RecordSpecKey];
    const spec = text === undefined ? undefined : (parse(text, { maxAliasCount: 100 }) as RevisionSpec | null);
    if (!spec || typeof spec !== 'object') throw new KubeActionError(`The record of ${describe(ref)} holds no readable spec; delete it and create the revision again.`, 'precondition');
    return { spec, uid: record.metadata?.uid ?? '', record };
  }

  /** Who is creating, for the record: the API server's view of the caller, when it can tell. */
  private currentUser(): Promise<string | undefined> {
    this.userName ??= this.connection.kubeConfig
      .makeApiClient(AuthenticationV1Api)
      .createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } })
      .then((review) => review.status?.userInfo?.username)
      .catch(() => this.connection.kubeConfig.getCurrentUser()?.name);
    return this.userName;
  }

  /** The API server's version (`v1.34.4`), for rules that changed between releases; undefined when it does not say. */
  kubernetesVersion(): Promise<string | undefined> {
    this.version ??= this.connection.kubeConfig
      .makeApiClient(VersionApi)
      .getCode()
      .then((info) => info.gitVersion)
      .catch(() => undefined);
    return this.version;
  }

  private async validate(spec: RevisionSpec, action: string): Promise<void> {
    const kubernetesVersion = await this.kubernetesVersion();
    const errors = findSpecProblems(spec, kubernetesVersion ? { kubernetesVersion } : {}).filter((f) => f.severity === 'error');
    if (errors.length > 0) {
      const list = errors.map((e) => (e.message.startsWith(formatPath(e.path)) || e.path.length === 0 ? e.message : `${formatPath(e.path)}: ${e.message}`));
      throw new KubeActionError(`Could not ${action}: the spec has ${errors.length} error${errors.length === 1 ? '' : 's'}: ${list.join('; ')}`, 'invalid');
    }
  }

  /**
   * Stores the spec as the next revision of its service. Numbers are taken by creating the
   * record under that number: the API server refuses a second create of the same name, so two
   * people creating at once get two numbers and nobody's record is overwritten.
   */
  async create(input: RevisionSpec, options: { namespace?: string; launch?: boolean } = {}): Promise<CreateResult> {
    const spec = authoredSpec(input);
    const namespace = options.namespace ?? spec.namespace ?? this.namespace;
    const action = `create a revision of "${spec.service}"`;
    await this.validate(spec, action);
    let next: number;
    try {
      const existing = await this.core.listNamespacedConfigMap({ namespace, labelSelector: `${componentSelector('record')},${Labels.service}=${spec.service}` });
      next = Math.max(0, ...existing.items.map((r) => Number(r.metadata?.labels?.[Labels.revision]) || 0)) + 1;
    } catch (error) {
      throw this.fail(error, action, namespace);
    }
    const createdBy = await this.currentUser();
    for (let attempt = 0; attempt < MaxNumberAttempts; attempt++, next++) {
      const render: RenderOptions = { namespace, revision: next, createdAt: new Date().toISOString(), ...(createdBy ? { createdBy } : {}) };
      const { record } = renderRevision(spec, render);
      try {
        await this.core.createNamespacedConfigMap({ namespace, body: record, fieldManager: FieldManager });
      } catch (error) {
        if (httpStatus(error) === 409) continue;
        throw this.fail(error, action, namespace);
      }
      const ref = { service: spec.service, revision: next, namespace };
      const launch = options.launch ?? spec.launchImmediately ?? false;
      if (launch) {
        try {
          await this.start(ref);
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          throw new KubeActionError(`Revision ${next} of "${spec.service}" was created but could not be started. ${why} The revision is stored (stopped); start it again once the cause is fixed.`, kubeErrorOf(error)?.kind ?? 'other', undefined, { cause: error });
        }
      }
      return { service: spec.service, namespace, revision: next, started: launch };
    }
    throw new KubeActionError(`Could not ${action} in namespace "${namespace}": ${MaxNumberAttempts} revision numbers in a row were taken by concurrent creates. Try again.`, 'conflict');
  }

  /** Whether the cluster serves the custom metrics API a GPU autoscaler reads. */
  async servesCustomMetrics(): Promise<boolean> {
    const groups = await this.connection.kubeConfig.makeApiClient(ApisApi).getAPIVersions();
    return groups.groups.some((g) => g.name === 'custom.metrics.k8s.io');
  }

  private async apply<T extends KubernetesObject>(object: T): Promise<void> {
    const name = object.metadata?.name ?? '';
    const namespace = object.metadata?.namespace ?? this.namespace;
    const request = { name, namespace, body: object, fieldManager: FieldManager, force: true };
    switch (object.kind) {
      case 'Deployment':
        await this.apps.patchNamespacedDeployment(request, applyOptions);
        return;
      case 'Service':
        await this.core.patchNamespacedService(request, applyOptions);
        return;
      case 'HorizontalPodAutoscaler':
        await this.autoscaling.patchNamespacedHorizontalPodAutoscaler(request, applyOptions);
        return;
      default:
        throw new Error(`cannot apply a ${object.kind}`);
    }
  }

  private async exists(kind: 'Deployment' | 'Service' | 'HorizontalPodAutoscaler', name: string, namespace: string): Promise<boolean> {
    try {
      if (kind === 'Deployment') await this.apps.readNamespacedDeployment({ name, namespace });
      else if (kind === 'Service') await this.core.readNamespacedService({ name, namespace });
      else await this.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  private async remove(kind: 'Deployment' | 'Service' | 'HorizontalPodAutoscaler' | 'ConfigMap', name: string, namespace: string): Promise<boolean> {
    try {
      if (kind === 'Deployment') await this.apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Background' });
      else if (kind === 'Service') await this.core.deleteNamespacedService({ name, namespace });
      else if (kind === 'HorizontalPodAutoscaler') await this.autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name, namespace });
      else await this.core.deleteNamespacedConfigMap({ name, namespace, propagationPolicy: 'Background' });
      return true;
    } catch (error) {
      if (isNotFound(error)) return false;
      throw error;
    }
  }

  /**
   * Runs a revision: its Deployment, its own Service, its autoscaler and the service's stable
   * Service. Starting a running revision changes nothing (its replica count is kept).
   */
  async start(ref: RevisionRef): Promise<void> {
    const namespace = ref.namespace ?? this.namespace;
    const action = `start ${describe(ref)}`;
    const { spec, uid } = await this.readRecord({ ...ref, namespace });
    await this.validate(spec, action);
    if (spec.autoscaling?.metric === 'gpu') {
      let served: boolean;
      try {
        served = await this.servesCustomMetrics();
      } catch (error) {
        throw this.fail(error, action, namespace);
      }
      if (!served) {
        throw new KubeActionError(
          `Could not ${action} in namespace "${namespace}" of context "${this.contextName}": it autoscales on GPU utilisation, but the cluster serves no custom metrics API (custom.metrics.k8s.io), so the autoscaler could never act. Install a metrics adapter (e.g. NVIDIA's DCGM exporter with prometheus-adapter), or reproduce the revision with autoscaling on cpu or memory.`,
          'precondition',
        );
      }
    }
    const objects = renderRevision(spec, { namespace, revision: ref.revision, recordUid: uid, ...(this.options.defaultGpuResourceName ? { defaultGpuResourceName: this.options.defaultGpuResourceName } : {}) });
    // The Deployment goes last, so pods start only once everything they need exists.
    const steps: Array<{ kind: 'Service' | 'HorizontalPodAutoscaler' | 'Deployment'; object: KubernetesObject }> = [
      { kind: 'Service', object: objects.stableService },
      { kind: 'Service', object: objects.service },
      ...(objects.autoscaler ? [{ kind: 'HorizontalPodAutoscaler' as const, object: objects.autoscaler }] : []),
      { kind: 'Deployment', object: objects.deployment },
    ];
    const created: Array<{ kind: 'Service' | 'HorizontalPodAutoscaler' | 'Deployment'; name: string }> = [];
    try {
      for (const step of steps) {
        const name = step.object.metadata?.name ?? '';
        const existed = await this.exists(step.kind, name, namespace);
        // Re-applying a running Deployment would reset a replica count set by Scale.
        if (step.kind === 'Deployment' && existed) continue;
        await this.apply(step.object);
        if (!existed) created.push({ kind: step.kind, name });
      }
    } catch (error) {
      const failure = this.fail(error, action, namespace);
      const left = await this.undo(created, namespace);
      throw new KubeActionError(
        `${failure.message}${left.length === 0 ? (created.length > 0 ? ' Nothing was left half-made: what this start had created was removed.' : '') : ` Could not remove what this start made: ${left.join(', ')} remain; stop the revision to clean them up.`}`,
        failure.kind,
        failure.status,
        { cause: error },
      );
    }
  }

  private async undo(created: Array<{ kind: 'Service' | 'HorizontalPodAutoscaler' | 'Deployment'; name: string }>, namespace: string): Promise<string[]> {
    const left: string[] = [];
    for (const item of [...created].reverse()) {
      try {
        await this.remove(item.kind, item.name, namespace);
      } catch {
        left.push(`${item.kind} "${item.name}"`);
      }
    }
    return left;
  }

  /** Removes the revision's pods, autoscaler and endpoint; the record stays, so Start brings back the same revision. */
  async stop(ref: RevisionRef): Promise<{ wasRunning: boolean }> {
    const namespace = ref.namespace ?? this.namespace;
    const name = revisionObjectName(ref.service, ref.revision);
    try {
      await this.readRecord({ ...ref, namespace });
      const removed = await Promise.all([
        this.remove('HorizontalPodAutoscaler', name, namespace),
        this.remove('Deployment', name, namespace),
        this.remove('Service', name, namespace),
      ]);
      return { wasRunning: removed[1] ?? false };
    } catch (error) {
      throw this.fail(error, `stop ${describe(ref)}`, namespace);
    }
  }

  /**
   * Sets the replica count of a running revision; for an autoscaled revision it sets the
   * autoscaler's bounds instead of fighting it.
   */
  async scale(ref: RevisionRef, request: ScaleRequest): Promise<void> {
    const namespace = ref.namespace ?? this.namespace;
    const name = revisionObjectName(ref.service, ref.revision);
    const action = `scale ${describe(ref)}`;
    const bad = (why: string): KubeActionError => new KubeActionError(`Could not ${action}: ${why}`, 'invalid');
    if ('replicas' in request && (!Number.isInteger(request.replicas) || request.replicas < 0 || request.replicas > 1000)) throw bad(`replicas must be a whole number from 0 to 1000, not ${request.replicas}.`);
    if ('minReplicas' in request) {
      if (!Number.isInteger(request.minReplicas) || request.minReplicas < 1) throw bad(`the minimum must be a whole number of at least 1, not ${request.minReplicas}.`);
      if (!Number.isInteger(request.maxReplicas) || request.maxReplicas < request.minReplicas) throw bad(`the maximum (${request.maxReplicas}) must be a whole number of at least the minimum (${request.minReplicas}).`);
    }
    try {
      // First that it exists at all: "not running" would send the person to Start a revision that is not there.
      await this.readRecord({ ...ref, namespace });
      let autoscaled = false;
      try {
        await this.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace });
        autoscaled = true;
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      if (autoscaled) {
        if (!('minReplicas' in request)) throw bad('it is autoscaled; give a minimum and a maximum number of replicas instead of a fixed count.');
        await this.autoscaling.patchNamespacedHorizontalPodAutoscaler(
          { name, namespace, body: { spec: { minReplicas: request.minReplicas, maxReplicas: request.maxReplicas } }, fieldManager: FieldManager },
          mergeOptions,
        );
        return;
      }
      if (!('replicas' in request)) throw bad('it is not autoscaled; give a number of replicas.');
      try {
        await this.apps.patchNamespacedDeploymentScale({ name, namespace, body: { spec: { replicas: request.replicas } }, fieldManager: FieldManager }, mergeOptions);
      } catch (error) {
        if (isNotFound(error)) throw new KubeActionError(`Could not ${action}: it is stopped. Start it first.`, 'precondition', 404, { cause: error });
        throw error;
      }
    } catch (error) {
      throw this.fail(error, action, namespace);
    }
  }

  /** The spec to edit before reproducing: the same settings, recording where it came from. */
  async reproduceDraft(ref: RevisionRef): Promise<RevisionSpec> {
    const { spec } = await this.readRecord(ref);
    return { ...authoredSpec(spec), reproducedFrom: ref.revision };
  }

  async reproduce(ref: RevisionRef, changes: Partial<Pick<RevisionSpec, 'message' | 'launchImmediately'>> = {}, options: { launch?: boolean } = {}): Promise<CreateResult> {
    const draft = await this.reproduceDraft(ref);
    const spec: RevisionSpec = { ...draft, ...changes, message: changes.message ?? `Reproduced from revision ${ref.revision}: ${draft.message}` };
    return this.create(spec, { namespace: ref.namespace ?? this.namespace, ...(options.launch !== undefined ? { launch: options.launch } : {}) });
  }

  /** Removes the recipe and everything it created; the stable endpoint goes with the last revision. */
  async delete(ref: RevisionRef): Promise<void> {
    const namespace = ref.namespace ?? this.namespace;
    const action = `delete ${describe(ref)}`;
    const name = revisionObjectName(ref.service, ref.revision);
    try {
      await this.readRecord({ ...ref, namespace });
      // Workloads first, explicitly: garbage collection would also remove them, but later.
      await Promise.all([this.remove('HorizontalPodAutoscaler', name, namespace), this.remove('Deployment', name, namespace), this.remove('Service', name, namespace)]);
      await this.remove('ConfigMap', name, namespace);
      const remaining = await this.core.listNamespacedConfigMap({ namespace, labelSelector: `${componentSelector('record')},${Labels.service}=${ref.service}` });
      if (remaining.items.length === 0) {
        const stable: V1Service | undefined = await this.core.readNamespacedService({ name: ref.service, namespace }).catch(() => undefined);
        if (stable?.metadata?.labels?.[Labels.component] === 'service-endpoint') await this.remove('Service', ref.service, namespace);
      }
    } catch (error) {
      throw this.fail(error, action, namespace);
    }
  }

  watch(namespace = this.namespace): NamespaceWatcher {
    return new NamespaceWatcher(this, namespace);
  }
}
