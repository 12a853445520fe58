/**
 * The service object `<service>` (a mutable ConfigMap): read, and changed only by read-modify-write
 * with its resourceVersion (a PUT the API server refuses with 409 when someone wrote in between).
 * A conflict is retried where the change is mechanical (the revision counter, a rollout's
 * heartbeat) and reported where a person decided it (a traffic edit made on what they saw): never a
 * lost update. A service made before service objects existed gets one on its first write, starting
 * from what the cluster shows (migratedServiceRecord).
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { describeKubeError, httpStatus, KubeActionError, trafficConflict } from '../core/kube/kubeErrors';
import { Labels, serviceLabels } from '../core/kube/labels';
import { migratedServiceRecord, readServiceRecord, renderServiceObject } from '../core/traffic/serviceRecord';
import type { ServiceRecord } from '../core/traffic/trafficModel';
import type { KubeApis } from './applyObject';
import type { ClusterConnection } from './clusterConnection';

/** Concurrent writers in a row a change survives before giving up (each is someone else's write). */
const MaxAttempts = 60;

export interface StoredService {
  record: ServiceRecord;
  /** The ConfigMap as read; absent while the service has none yet. */
  object?: V1ConfigMap;
}

/** How a write treats someone else's write in between. */
export type ConflictPolicy =
  /** Read again and re-apply the change: for changes that compose (a counter increment, a heartbeat). */
  | { kind: 'retry' }
  /**
   * Refuse when what the change was decided on has changed: `changed(seen, now)` compares the
   * record the change started from (or `expected`, what the person saw) with the current one.
   */
  | { kind: 'detect'; expected?: ServiceRecord; changed: (seen: ServiceRecord, now: ServiceRecord) => boolean; describe: (now: ServiceRecord) => string };

/** What to say and where, for the messages of a write. */
export interface WriteContext {
  service: string;
  namespace: string;
  /** `set the traffic of "iris"`. */
  action: string;
}

/** The revisions of a service as the first write of a service made before service objects needs them. */
export type LegacyLister = (service: string, namespace: string) => Promise<Array<{ revision: number; state: string; ready: number }>>;

export class ServiceStore {
  constructor(
    private readonly connection: ClusterConnection,
    private readonly apis: KubeApis,
    private readonly legacyRevisions: LegacyLister,
  ) {}

  private fail(error: unknown, action: string, namespace: string): KubeActionError {
    return describeKubeError(error, { action, namespace, context: this.connection.contextName });
  }

  /** The service object, or undefined when the service has none (yet). */
  async read(service: string, namespace: string, action = `read the service "${service}"`): Promise<StoredService | undefined> {
    let object: V1ConfigMap;
    try {
      object = await this.apis.core.readNamespacedConfigMap({ name: service, namespace });
    } catch (error) {
      if (httpStatus(error) === 404) return undefined;
      throw this.fail(error, action, namespace);
    }
    if (object.metadata?.labels?.[Labels.component] !== 'service') {
      throw new KubeActionError(`Could not ${action} in namespace "${namespace}": ConfigMap "${service}" is not the service object of Serve Revisions (it lacks its labels); refusing to use it. Rename or remove it.`, 'precondition');
    }
    const read = readServiceRecord(object);
    if ('error' in read) throw new KubeActionError(`Could not ${action} in namespace "${namespace}": ${read.error}. Delete the ConfigMap "${service}" to start it afresh from what the cluster shows.`, 'precondition');
    return { record: read.record, object };
  }

  /** The service object, or what its first write would store. */
  async readOrMigrate(service: string, namespace: string, action?: string): Promise<StoredService> {
    const stored = await this.read(service, namespace, action);
    if (stored) return stored;
    try {
      return { record: migratedServiceRecord(service, await this.legacyRevisions(service, namespace)) };
    } catch (error) {
      throw this.fail(error, action ?? `read the service "${service}"`, namespace);
    }
  }

  private async write(current: StoredService, next: ServiceRecord, namespace: string): Promise<V1ConfigMap> {
    const body = renderServiceObject(next, namespace);
    if (!current.object) return this.apis.core.createNamespacedConfigMap({ namespace, body });
    // Keep what others put on the object (labels, annotations, owners); replace the data; the
    // resourceVersion makes the API server refuse the write if anyone wrote since the read.
    const { managedFields: _managed, ...metadata } = current.object.metadata ?? {};
    body.metadata = { ...metadata, labels: { ...metadata.labels, ...serviceLabels(next.service, 'service') } };
    return this.apis.core.replaceNamespacedConfigMap({ name: next.service, namespace, body });
  }

  /**
   * Reads the record, applies `change` (which returns the next record, or undefined for "nothing
   * to do", and throws to refuse; `exists` is false while the service has no object yet) and writes it with the resourceVersion read; on a conflict,
   * follows `policy`.
   */
  async update(context: WriteContext, change: (record: ServiceRecord, exists: boolean) => ServiceRecord | undefined, policy: ConflictPolicy): Promise<StoredService & { changed: boolean }> {
    const { service, namespace, action } = context;
    let seen: ServiceRecord | undefined = policy.kind === 'detect' ? policy.expected : undefined;
    for (let attempt = 0; attempt < MaxAttempts; attempt++) {
      const current = await this.readOrMigrate(service, namespace, action);
      if (policy.kind === 'detect' && seen && policy.changed(seen, current.record)) {
        throw trafficConflict({ action, namespace, context: this.connection.contextName, service }, policy.describe(current.record));
      }
      seen ??= current.record;
      const next = change(structuredClone(current.record), current.object !== undefined);
      if (!next) return { ...current, changed: false };
      try {
        const object = await this.write(current, next, namespace);
        return { record: next, object, changed: true };
      } catch (error) {
        // 409: someone wrote since the read (or created it first); read again and decide anew.
        if (httpStatus(error) !== 409) throw this.fail(error, action, namespace);
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 40));
      }
    }
    throw new KubeActionError(`Could not ${action} in namespace "${namespace}": ${MaxAttempts} concurrent changes of the service object in a row got in the way. Try again.`, 'conflict');
  }

  /** Takes the next revision number of `service`: one more than any given before, never one given already. */
  async takeNumber(service: string, namespace: string, action: string): Promise<number> {
    const { record } = await this.update({ service, namespace, action }, (r) => ({ ...r, revisionCounter: r.revisionCounter + 1 }), { kind: 'retry' });
    return record.revisionCounter;
  }

  /** Removes the service object; what it owns (stable Service, tags, route) goes with it (garbage collection). */
  async delete(service: string, namespace: string, action: string): Promise<void> {
    try {
      await this.apis.core.deleteNamespacedConfigMap({ name: service, namespace, propagationPolicy: 'Background' });
    } catch (error) {
      if (httpStatus(error) !== 404) throw this.fail(error, action, namespace);
    }
  }
}
