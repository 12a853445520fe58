/**
 * The one documented label set every object carries, so a whole namespace's services and
 * revisions are listed with a few label-selected LIST calls.
 */
export const ManagedBy = 'serve-revisions';

export const Labels = {
  managedBy: 'app.kubernetes.io/managed-by',
  name: 'app.kubernetes.io/name',
  instance: 'app.kubernetes.io/instance',
  service: 'serve-revisions.dev/service',
  revision: 'serve-revisions.dev/revision',
  component: 'serve-revisions.dev/component',
  /** On the pods of revisions with a share of traffic above 0: what a split's stable Service selects. */
  serving: 'serve-revisions.dev/serving',
  /** On a tag's Service: the tag's name. */
  tag: 'serve-revisions.dev/tag',
} as const;

export const Annotations = {
  message: 'serve-revisions.dev/message',
  createdBy: 'serve-revisions.dev/created-by',
  reproducedFrom: 'serve-revisions.dev/reproduced-from',
  image: 'serve-revisions.dev/image',
} as const;

/** What an object is to a revision; also a label value, so one kind can be told apart in a list. */
export type Component = 'record' | 'workload' | 'endpoint' | 'autoscaler' | 'service-endpoint' | 'service' | 'tag-endpoint' | 'route';

/** The name of a revision's one container (the rendered Deployment's); a log shows others by name. */
export const ContainerName = 'server';

/** The key in the record ConfigMap that holds the spec as YAML. */
export const RecordSpecKey = 'spec.yaml';

/** The key in the service object ConfigMap that holds its state as JSON (traffic, counter, rollout). */
export const ServiceObjectKey = 'service.json';

/** Selects everything the extension manages in a namespace. */
export const ManagedSelector = `${Labels.managedBy}=${ManagedBy}`;

export function componentSelector(component: Component): string {
  return `${ManagedSelector},${Labels.component}=${component}`;
}

/** Selects the records (stored revisions) of one service. */
export function serviceRecordsSelector(service: string): string {
  return `${componentSelector('record')},${Labels.service}=${service}`;
}

export function revisionSelector(service: string, revision: number): string {
  return `${ManagedSelector},${Labels.service}=${service},${Labels.revision}=${revision}`;
}

export function serviceLabels(service: string, component: Component): Record<string, string> {
  return {
    [Labels.managedBy]: ManagedBy,
    [Labels.name]: service,
    [Labels.service]: service,
    [Labels.component]: component,
  };
}

export function revisionLabels(service: string, revision: number, component: Component): Record<string, string> {
  return {
    ...serviceLabels(service, component),
    [Labels.instance]: revisionObjectName(service, revision),
    [Labels.revision]: String(revision),
  };
}

/** The service and revision an object's labels name, when they name both. */
export function labelledRevision(labels: Record<string, string> | undefined): { service: string; revision: number } | undefined {
  const service = labels?.[Labels.service];
  const revision = Number(labels?.[Labels.revision]);
  if (!service || !Number.isInteger(revision) || revision < 1) return undefined;
  return { service, revision };
}

/** Name of every per-revision object (record, Deployment, Service, HPA): `<service>-r<revision>`. */
export function revisionObjectName(service: string, revision: number): string {
  return `${service}-r${revision}`;
}

/**
 * The collections a namespace's tree is built from: where each lives, which labels select
 * ours, and whether the tree reads only their metadata. A record's labels and annotations say all
 * the tree shows (service, revision, message, image, creator); its spec is fetched when a revision
 * is opened, reproduced, compared or started. The others carry the status the tree shows; the
 * service objects (traffic, counter, rollout) are small and read whole.
 */
export const TreeCollections = {
  records: { path: (ns: string) => `/api/v1/namespaces/${ns}/configmaps`, selector: componentSelector('record'), metadataOnly: true },
  deployments: { path: (ns: string) => `/apis/apps/v1/namespaces/${ns}/deployments`, selector: ManagedSelector, metadataOnly: false },
  autoscalers: { path: (ns: string) => `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`, selector: ManagedSelector, metadataOnly: false },
  pods: { path: (ns: string) => `/api/v1/namespaces/${ns}/pods`, selector: ManagedSelector, metadataOnly: false },
  services: { path: (ns: string) => `/api/v1/namespaces/${ns}/services`, selector: ManagedSelector, metadataOnly: false },
  /** The service objects (traffic, counter, rollout): a LIST of their own, full objects, apart from the records. */
  serviceObjects: { path: (ns: string) => `/api/v1/namespaces/${ns}/configmaps`, selector: componentSelector('service'), metadataOnly: false },
  /** The stable Services' EndpointSlices (they carry their Service's labels): the effective share of each revision. */
  endpointSlices: { path: (ns: string) => `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`, selector: componentSelector('service-endpoint'), metadataOnly: false },
} as const;

export type TreeCollection = keyof typeof TreeCollections;

/** A collection's selector narrowed to one service. */
export function serviceSelector(collection: TreeCollection, service: string): string {
  return `${TreeCollections[collection].selector},${Labels.service}=${service}`;
}

/**
 * The smallest object name that sorts after every object of `service`: each is named the service
 * itself (its stable Service) or `<service>-r<N>…` (record, Deployment, Service, autoscaler, and
 * the pods the Deployment names after itself). A LIST returns names in ascending order, so once a
 * collection's listing has reached this name, the service has all its objects of that kind.
 */
export function nameAfterService(service: string): string {
  return `${service}-s`;
}
