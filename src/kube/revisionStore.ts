/**
 * The stored side of revisions: listing a namespace's services and revisions, reading a record,
 * and storing a spec as the next numbered record. What runs for a revision is revisionLifecycle's.
 */
import { AuthenticationV1Api, VersionApi, type V1ConfigMap } from '@kubernetes/client-node';
import { describeKubeError, httpStatus, KubeActionError } from '../core/kube/kubeErrors';
import { Labels, revisionObjectName, serviceRecordsSelector, serviceSelector, TreeCollections, type TreeCollection } from '../core/kube/labels';
import { NamespaceIndex } from '../core/kube/namespaceIndex';
import { renderRevision, type RenderOptions } from '../core/kube/renderObjects';
import { nextRevisionNumber } from '../core/kube/revisionRecord';
import type { RevisionModel, ServiceModel } from '../core/kube/revisionState';
import { readStoredSpec } from '../core/kube/storedSpec';
import type { RevisionSpec } from '../core/spec/revisionSpec';
import { findingText, specErrorSummary } from '../core/spec/specErrorSummary';
import { findSpecProblems } from '../core/spec/validateSpec';
import { applyObject, type KubeApis } from './applyObject';
import type { ClusterConnection } from './clusterConnection';
import { listCollection } from './collectionReflector';
import { ServiceStore } from './serviceStore';

/** How many taken numbers a create skips before giving up (each skip is a concurrent create). */
const MaxNumberAttempts = 50;

export interface RevisionRef {
  service: string;
  revision: number;
  namespace?: string;
}

export function describeRef(ref: RevisionRef): string {
  return `revision ${ref.revision} of "${ref.service}"`;
}

export class RevisionStore {
  private user: Promise<string | undefined> | undefined;
  private version: Promise<string | undefined> | undefined;
  /** The service objects: traffic, counter, rollout. */
  readonly services: ServiceStore;

  constructor(
    private readonly connection: ClusterConnection,
    private readonly apis: KubeApis,
  ) {
    this.services = new ServiceStore(connection, apis, async (service, namespace) => {
      const found = await this.listService(service, namespace);
      return (found?.revisions ?? []).map((r) => ({ revision: r.revision, state: r.state.kind, ready: 'ready' in r.state ? r.state.ready : 0 }));
    });
  }

  /** Describes a failure of `action` in this connection's context. */
  fail(error: unknown, action: string, namespace: string): KubeActionError {
    return describeKubeError(error, { action, namespace, context: this.connection.contextName });
  }

  /**
   * The namespace's managed objects grouped into services, with one label-selected LIST per
   * collection (records as metadata only), paged, never one call per service or revision; with
   * `service`, only its objects. A user who may not list EndpointSlices still sees the traffic
   * policy; only the effective shares are missing.
   */
  private async listIndex(namespace: string, service?: string): Promise<NamespaceIndex> {
    const index = new NamespaceIndex(namespace);
    const kubeConfig = this.connection.kubeConfig;
    try {
      await Promise.all(
        (Object.keys(TreeCollections) as TreeCollection[]).map((kind) => {
          const { path, selector, metadataOnly } = TreeCollections[kind];
          const labelSelector = service === undefined ? selector : serviceSelector(kind, service);
          const listed = listCollection(
            { kubeConfig, path: path(namespace), labelSelector, metadataOnly },
            { put: (object) => index.put(kind, object), remove: (name) => index.remove(kind, name), resourceVersion: (name) => index.resourceVersion(kind, name), names: () => index.names(kind) },
          );
          return kind === 'endpointSlices' ? listed.catch((error: unknown) => (httpStatus(error) === 403 ? undefined : Promise.reject(error))) : listed;
        }),
      );
    } catch (error) {
      throw this.fail(error, service ? `list the revisions of "${service}"` : 'list the services and revisions', namespace);
    }
    return index;
  }

  async listServices(namespace: string): Promise<ServiceModel[]> {
    return (await this.listIndex(namespace)).services();
  }

  /** One service with its revisions and traffic, listed by its label alone; undefined when it has neither revisions nor a service object. */
  async listService(service: string, namespace: string): Promise<ServiceModel | undefined> {
    return (await this.listIndex(namespace, service)).service(service);
  }

  private notFound(ref: RevisionRef, namespace: string, cause?: unknown): KubeActionError {
    return new KubeActionError(
      `Could not find ${describeRef(ref)} in namespace "${namespace}" of context "${this.connection.contextName}": it does not exist (or was deleted). Refresh the list of revisions.`,
      'notFound',
      404,
      cause === undefined ? undefined : { cause },
    );
  }

  async getRevision(ref: RevisionRef & { namespace: string }): Promise<RevisionModel> {
    const found = (await this.listService(ref.service, ref.namespace))?.revisions.find((r) => r.revision === ref.revision);
    if (!found) throw this.notFound(ref, ref.namespace);
    return found;
  }

  /**
   * The stored recipe and its record's uid: the one way to a revision's spec. The tree lists
   * records as metadata only, so whatever needs the spec (opening, reproducing, comparing,
   * starting a revision, the tree's details) fetches it here.
   */
  async readRecord(ref: RevisionRef & { namespace: string }): Promise<{ spec: RevisionSpec; uid: string; record: V1ConfigMap }> {
    const namespace = ref.namespace;
    let record: V1ConfigMap;
    try {
      record = await this.apis.core.readNamespacedConfigMap({ name: revisionObjectName(ref.service, ref.revision), namespace });
    } catch (error) {
      if (httpStatus(error) === 404) throw this.notFound(ref, namespace, error);
      throw this.fail(error, `read ${describeRef(ref)}`, namespace);
    }
    if (record.metadata?.labels?.[Labels.component] !== 'record') {
      throw new KubeActionError(`ConfigMap "${record.metadata?.name}" in namespace "${namespace}" is not a revision record of Serve Revisions (it lacks its labels); refusing to use it.`, 'precondition');
    }
    const stored = readStoredSpec(record.data);
    if ('error' in stored) throw new KubeActionError(`The record of ${describeRef(ref)} holds no readable spec (${stored.error}); delete it and create the revision again.`, 'precondition', undefined, { code: 'unreadableSpec' });
    return { spec: stored.spec, uid: record.metadata?.uid ?? '', record };
  }

  /** The number the next revision of `service` would get (throws what the API server says when it cannot read). */
  async nextNumber(service: string, namespace: string): Promise<number> {
    const [existing, stored] = await Promise.all([this.apis.core.listNamespacedConfigMap({ namespace, labelSelector: serviceRecordsSelector(service) }), this.services.read(service, namespace)]);
    return Math.max(nextRevisionNumber(existing.items), (stored?.record.revisionCounter ?? 0) + 1);
  }

  /** Whether any record of `service` is left in the namespace. */
  async hasRecords(service: string, namespace: string): Promise<boolean> {
    const remaining = await this.apis.core.listNamespacedConfigMap({ namespace, labelSelector: serviceRecordsSelector(service) });
    return remaining.items.length > 0;
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

  /** Refuses a spec with errors, by the rules of this cluster's Kubernetes version, before anything is written, naming every error. */
  async refuseInvalidSpec(spec: RevisionSpec, action: string): Promise<void> {
    const kubernetesVersion = await this.kubernetesVersion();
    const errors = findSpecProblems(spec, kubernetesVersion ? { kubernetesVersion } : {}).filter((f) => f.severity === 'error');
    if (errors.length > 0) throw new KubeActionError(`Could not ${action}: the spec ${specErrorSummary(errors.map(findingText))}`, 'invalid');
  }

  /** Who is creating, for the record: the API server's view of the caller, when it can tell. */
  userName(): Promise<string | undefined> {
    this.user ??= this.connection.kubeConfig
      .makeApiClient(AuthenticationV1Api)
      .createSelfSubjectReview({ body: { apiVersion: 'authentication.k8s.io/v1', kind: 'SelfSubjectReview' } })
      .then((review) => review.status?.userInfo?.username)
      .catch(() => this.connection.kubeConfig.getCurrentUser()?.name);
    return this.user;
  }

  /**
   * Stores an authored spec as the next revision of its service and returns its number. Two
   * people creating at once get two numbers: the counter is changed by compare-and-swap, and the
   * API server refuses a second create of a record's name.
   */
  async createRecord(spec: RevisionSpec, namespace: string, action: string): Promise<number> {
    const createdBy = await this.userName();
    for (let attempt = 0; attempt < MaxNumberAttempts; attempt++) {
      // The service object's counter gives the number (never one given before, even if its
      // revision was deleted); the record's name is the lock: a record made by another client
      // under that number (an older version of this tool) is never overwritten.
      const next = await this.services.takeNumber(spec.service, namespace, action);
      const render: RenderOptions = { namespace, revision: next, createdAt: new Date().toISOString(), ...(createdBy ? { createdBy } : {}) };
      try {
        await applyObject(this.apis, renderRevision(spec, render).record);
        return next;
      } catch (error) {
        if (httpStatus(error) === 409) continue;
        throw this.fail(error, action, namespace);
      }
    }
    throw new KubeActionError(`Could not ${action} in namespace "${namespace}": ${MaxNumberAttempts} revision numbers in a row were taken by concurrent creates. Try again.`, 'conflict');
  }
}
