/**
 * A namespace's managed objects grouped by service, kept current one object at a time, with each
 * service's model built when first asked for and rebuilt only when one of its objects changed. A
 * watch event in a namespace of 10,000 services so costs one service's rebuild, not the
 * namespace's. Each service's traffic (its service object, its stable Service's EndpointSlices and
 * which revision each of its pods belongs to) is added when the service is built. Pure: the
 * watcher and the one-shot listing feed it, the tree and the CLI read it.
 */
import type { V1ConfigMap, V1Deployment, V1EndpointSlice, V1ObjectMeta, V1Pod, V1Service, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { revisionTraffic, serviceTraffic } from '../traffic/serviceTraffic';
import { labelledRevision, Labels, type TreeCollection } from './labels';
import { summarizeRecord, type RecordSummary } from './recordSummary';
import { revisionModel, serviceAddress, type NamespaceObjects, type ServiceModel } from './revisionState';

/** Any object of the collections: the index reads its metadata, the model its status. */
export interface CollectionObject {
  metadata?: V1ObjectMeta;
}

/** What a watching client reads to keep the data plane in line (kube/dataPlaneReconciler.ts). */
export interface ServingInputs {
  serviceObjects: V1ConfigMap[];
  pods: V1Pod[];
  /** The stable Service of each service that has one, by service name. */
  stableServices: Map<string, V1Service>;
}

/** A service and, when the object belongs to one, the revision an index change touched. */
export interface IndexChange {
  service: string;
  revision?: number;
}

interface ServiceEntry {
  records: Map<number, RecordSummary>;
  deployments: Map<number, V1Deployment>;
  autoscalers: Map<number, V2HorizontalPodAutoscaler>;
  services: Map<number, V1Service>;
  pods: Map<number, Map<string, V1Pod>>;
  stable?: V1Service;
  /** The service object (traffic policy, counter, rollout), when it exists. */
  object?: V1ConfigMap;
  /** The stable Service's EndpointSlices, by name. */
  slices: Map<string, V1EndpointSlice>;
  /** Built on first read, dropped when one of the service's objects changes. */
  model?: ServiceModel;
}

/** Where an object of a collection sits in the index, by its name. */
interface Placement {
  service: string;
  revision?: number;
  resourceVersion: string;
}

const Collections: readonly TreeCollection[] = ['records', 'deployments', 'autoscalers', 'pods', 'services', 'serviceObjects', 'endpointSlices'];

/** Code-unit order: the order the API server lists names in, so a listed prefix stays a prefix. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function emptyEntry(): ServiceEntry {
  return { records: new Map(), deployments: new Map(), autoscalers: new Map(), services: new Map(), pods: new Map(), slices: new Map() };
}

function isEmpty(entry: ServiceEntry): boolean {
  return entry.records.size + entry.deployments.size + entry.autoscalers.size + entry.services.size + entry.pods.size + entry.slices.size === 0 && !entry.stable && !entry.object;
}

export class NamespaceIndex {
  private readonly entries = new Map<string, ServiceEntry>();
  private readonly placements = new Map<TreeCollection, Map<string, Placement>>(Collections.map((c) => [c, new Map()]));
  /** Names of the services that have records, sorted; undefined when that set changed. */
  private sortedNames: string[] | undefined;

  constructor(readonly namespace: string) {}

  private placed(collection: TreeCollection): Map<string, Placement> {
    return this.placements.get(collection) as Map<string, Placement>;
  }

  /** The resourceVersion the index holds for an object, undefined when it holds none of that name. */
  resourceVersion(collection: TreeCollection, name: string): string | undefined {
    return this.placed(collection).get(name)?.resourceVersion;
  }

  /** The names of the objects of a collection the index holds. */
  names(collection: TreeCollection): string[] {
    return [...this.placed(collection).keys()];
  }

  size(collection: TreeCollection): number {
    return this.placed(collection).size;
  }

  /** Adds or replaces an object; returns what it touched (its old place too, if its labels moved it). */
  put(collection: TreeCollection, object: CollectionObject): IndexChange[] {
    const name = object.metadata?.name;
    if (!name) return [];
    const changes = this.remove(collection, name);
    const placement = this.place(collection, object);
    if (!placement) return changes;
    this.placed(collection).set(name, placement);
    this.touch(placement.service, collection);
    const change: IndexChange = placement.revision === undefined ? { service: placement.service } : { service: placement.service, revision: placement.revision };
    return changes.some((c) => c.service === change.service && c.revision === change.revision) ? changes : [...changes, change];
  }

  /** Removes an object by name; returns what it touched (nothing when the index did not hold it). */
  remove(collection: TreeCollection, name: string): IndexChange[] {
    const placement = this.placed(collection).get(name);
    if (!placement) return [];
    this.placed(collection).delete(name);
    const entry = this.entries.get(placement.service);
    if (entry) {
      const revision = placement.revision ?? 0;
      if (collection === 'records') entry.records.delete(revision);
      else if (collection === 'deployments') entry.deployments.delete(revision);
      else if (collection === 'autoscalers') entry.autoscalers.delete(revision);
      else if (collection === 'pods') {
        const pods = entry.pods.get(revision);
        pods?.delete(name);
        if (pods?.size === 0) entry.pods.delete(revision);
      } else if (collection === 'serviceObjects') delete entry.object;
      else if (collection === 'endpointSlices') entry.slices.delete(name);
      else if (placement.revision === undefined) delete entry.stable;
      else entry.services.delete(revision);
      this.touch(placement.service, collection);
      if (isEmpty(entry)) this.entries.delete(placement.service);
    }
    return [placement.revision === undefined ? { service: placement.service } : { service: placement.service, revision: placement.revision }];
  }

  private entry(service: string): ServiceEntry {
    let entry = this.entries.get(service);
    if (!entry) {
      entry = emptyEntry();
      this.entries.set(service, entry);
    }
    return entry;
  }

  private touch(service: string, collection: TreeCollection): void {
    const entry = this.entries.get(service);
    if (entry) delete entry.model;
    if (collection === 'records' || collection === 'serviceObjects') this.sortedNames = undefined;
  }

  /** Files an object under its service and revision; undefined when its labels name neither. */
  private place(collection: TreeCollection, object: CollectionObject): Placement | undefined {
    const metadata = object.metadata;
    const resourceVersion = metadata?.resourceVersion ?? '';
    if (collection === 'records') {
      const summary = summarizeRecord(metadata);
      if (!summary) return undefined;
      this.entry(summary.service).records.set(summary.revision, summary);
      return { service: summary.service, revision: summary.revision, resourceVersion };
    }
    const labels = metadata?.labels;
    if (collection === 'serviceObjects' || collection === 'endpointSlices') {
      const service = labels?.[Labels.service];
      if (!service) return undefined;
      if (collection === 'serviceObjects') this.entry(service).object = object as V1ConfigMap;
      else this.entry(service).slices.set(metadata?.name ?? '', object as V1EndpointSlice);
      return { service, resourceVersion };
    }
    // A tag's Service carries a revision label too, but is neither the revision's own nor the stable one.
    if (collection === 'services' && labels?.[Labels.component] === 'tag-endpoint') return undefined;
    const id = labelledRevision(metadata?.labels);
    if (!id) {
      // A Service with a service label and no revision is the service's stable endpoint.
      const service = metadata?.labels?.[Labels.service];
      if (collection !== 'services' || !service) return undefined;
      this.entry(service).stable = object as V1Service;
      return { service, resourceVersion };
    }
    const entry = this.entry(id.service);
    if (collection === 'deployments') entry.deployments.set(id.revision, object as V1Deployment);
    else if (collection === 'autoscalers') entry.autoscalers.set(id.revision, object as V2HorizontalPodAutoscaler);
    else if (collection === 'services') entry.services.set(id.revision, object as V1Service);
    else {
      let pods = entry.pods.get(id.revision);
      if (!pods) entry.pods.set(id.revision, (pods = new Map()));
      pods.set(metadata?.name ?? '', object as V1Pod);
    }
    return { service: id.service, revision: id.revision, resourceVersion };
  }

  /**
   * The names of the services that have at least one record or a service object (settings applied
   * before a first revision), in the order the API server lists them.
   */
  serviceNames(): readonly string[] {
    this.sortedNames ??= [...this.entries].filter(([, e]) => listed(e)).map(([name]) => name).sort(byName);
    return this.sortedNames;
  }

  /** A service and its revisions, newest first; undefined when it has neither record nor service object. */
  service(name: string): ServiceModel | undefined {
    const entry = this.entries.get(name);
    if (!entry || !listed(entry)) return undefined;
    entry.model ??= this.build(name, entry);
    return entry.model;
  }

  /** Every listed service (or those `include` accepts), sorted by name. */
  services(include?: (name: string) => boolean): ServiceModel[] {
    const names = include ? this.serviceNames().filter(include) : this.serviceNames();
    return names.map((name) => this.service(name) as ServiceModel);
  }

  private build(name: string, entry: ServiceEntry): ServiceModel {
    const records = [...entry.records.values()].sort((a, b) => b.revision - a.revision);
    const revisions = records.map((record) => {
      const pods = entry.pods.get(record.revision);
      const deployment = entry.deployments.get(record.revision);
      const autoscaler = entry.autoscalers.get(record.revision);
      const service = entry.services.get(record.revision);
      return revisionModel(this.namespace, record, {
        pods: pods ? [...pods.values()].sort((a, b) => byName(a.metadata?.name ?? '', b.metadata?.name ?? '')) : [],
        ...(deployment ? { deployment } : {}),
        ...(autoscaler ? { autoscaler } : {}),
        ...(service ? { service } : {}),
      });
    });
    const model: ServiceModel = { name, namespace: this.namespace, revisions };
    const endpoint = serviceAddress(entry.stable);
    if (endpoint) model.endpoint = endpoint;
    addTraffic(model, entry);
    return model;
  }

  /** The service objects with their services' pods and stable Services: what the data plane reconciler reads. */
  servingInputs(): ServingInputs {
    const serviceObjects: V1ConfigMap[] = [];
    const pods: V1Pod[] = [];
    const stableServices = new Map<string, V1Service>();
    for (const [service, entry] of this.entries) {
      if (!entry.object) continue;
      serviceObjects.push(entry.object);
      if (entry.stable) stableServices.set(service, entry.stable);
      for (const revisionPods of entry.pods.values()) pods.push(...revisionPods.values());
    }
    return { serviceObjects, pods, stableServices };
  }
}

function listed(entry: ServiceEntry): boolean {
  return entry.records.size > 0 || entry.object !== undefined;
}

/** Adds the service's traffic (policy, effective shares, tags, rollout) to it and its revisions. */
function addTraffic(service: ServiceModel, entry: ServiceEntry): void {
  const podRevisions = new Map<string, number>();
  for (const [revision, pods] of entry.pods) for (const name of pods.keys()) podRevisions.set(name, revision);
  const legacy = service.revisions.map((r) => ({ revision: r.revision, state: r.state.kind, ready: 'ready' in r.state ? r.state.ready : 0 }));
  const { traffic, effective } = serviceTraffic(service.name, entry.object, [...entry.slices.values()], legacy, (pod) => podRevisions.get(pod));
  service.traffic = traffic;
  for (const revision of service.revisions) revision.traffic = revisionTraffic(traffic, effective, revision.revision);
}

/** Groups a namespace's objects into services and revisions, newest revision first. */
export function buildNamespaceModel(namespace: string, objects: NamespaceObjects): ServiceModel[] {
  const index = new NamespaceIndex(namespace);
  for (const collection of Collections) for (const object of (objects[collection] ?? []) as CollectionObject[]) index.put(collection, object);
  return index.services();
}
