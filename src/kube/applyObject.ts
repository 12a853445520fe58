/**
 * The one place that knows which API call writes, reads and deletes each kind of object a
 * revision is made of. Writes are idempotent server-side applies with one field manager, except
 * the record, which is created: its name carries the revision number, so a create of a taken
 * number must be refused, never merged. A dry run sends the same call with `dryRun=All`.
 */
import {
  AppsV1Api,
  AutoscalingV2Api,
  CoreV1Api,
  CustomObjectsApi,
  PatchStrategy,
  setHeaderOptions,
  type KubeConfig,
  type KubernetesObject,
  type V1ConfigMap,
  type V1Deployment,
  type V1Service,
  type V2HorizontalPodAutoscaler,
} from '@kubernetes/client-node';
import { httpStatus } from '../core/kube/kubeErrors';
import { GatewayGroup, GatewayVersion } from '../core/traffic/dataPlane';

export const FieldManager = 'serve-revisions';

/** The typed API clients a revision's objects need, made once per connection. */
export interface KubeApis {
  core: CoreV1Api;
  apps: AppsV1Api;
  autoscaling: AutoscalingV2Api;
  /** Gateway API objects (HTTPRoute, Gateway), which have no typed client. */
  custom: CustomObjectsApi;
}

export function makeKubeApis(kubeConfig: KubeConfig): KubeApis {
  return { core: kubeConfig.makeApiClient(CoreV1Api), apps: kubeConfig.makeApiClient(AppsV1Api), autoscaling: kubeConfig.makeApiClient(AutoscalingV2Api), custom: kubeConfig.makeApiClient(CustomObjectsApi) };
}

export type RevisionObjectKind = 'ConfigMap' | 'Deployment' | 'Service' | 'HorizontalPodAutoscaler' | 'HTTPRoute';

const route = { group: GatewayGroup, version: GatewayVersion, plural: 'httproutes' } as const;

const applyOptions = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
const mergeOptions = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Request options for a JSON merge patch (client-node sends json-patch unless told). */
export function mergePatchOptions(): typeof mergeOptions {
  return mergeOptions;
}

type DryRun = { dryRun: 'All' } | Record<string, never>;

interface KindCalls {
  write(apis: KubeApis, object: KubernetesObject, name: string, namespace: string, dryRun: DryRun): Promise<unknown>;
  read(apis: KubeApis, name: string, namespace: string): Promise<unknown>;
  remove(apis: KubeApis, name: string, namespace: string): Promise<unknown>;
}

const Calls: Record<RevisionObjectKind, KindCalls> = {
  ConfigMap: {
    write: (apis, body, _name, namespace, dryRun) => apis.core.createNamespacedConfigMap({ namespace, body: body as V1ConfigMap, fieldManager: FieldManager, ...dryRun }),
    read: (apis, name, namespace) => apis.core.readNamespacedConfigMap({ name, namespace }),
    remove: (apis, name, namespace) => apis.core.deleteNamespacedConfigMap({ name, namespace, propagationPolicy: 'Background' }),
  },
  Deployment: {
    write: (apis, body, name, namespace, dryRun) => apis.apps.patchNamespacedDeployment({ name, namespace, body: body as V1Deployment, fieldManager: FieldManager, force: true, ...dryRun }, applyOptions),
    read: (apis, name, namespace) => apis.apps.readNamespacedDeployment({ name, namespace }),
    remove: (apis, name, namespace) => apis.apps.deleteNamespacedDeployment({ name, namespace, propagationPolicy: 'Background' }),
  },
  Service: {
    write: (apis, body, name, namespace, dryRun) => apis.core.patchNamespacedService({ name, namespace, body: body as V1Service, fieldManager: FieldManager, force: true, ...dryRun }, applyOptions),
    read: (apis, name, namespace) => apis.core.readNamespacedService({ name, namespace }),
    remove: (apis, name, namespace) => apis.core.deleteNamespacedService({ name, namespace }),
  },
  HorizontalPodAutoscaler: {
    write: (apis, body, name, namespace, dryRun) =>
      apis.autoscaling.patchNamespacedHorizontalPodAutoscaler({ name, namespace, body: body as V2HorizontalPodAutoscaler, fieldManager: FieldManager, force: true, ...dryRun }, applyOptions),
    read: (apis, name, namespace) => apis.autoscaling.readNamespacedHorizontalPodAutoscaler({ name, namespace }),
    remove: (apis, name, namespace) => apis.autoscaling.deleteNamespacedHorizontalPodAutoscaler({ name, namespace }),
  },
  HTTPRoute: {
    write: (apis, body, name, namespace, dryRun) => apis.custom.patchNamespacedCustomObject({ ...route, name, namespace, body, fieldManager: FieldManager, force: true, ...dryRun }, applyOptions),
    read: (apis, name, namespace) => apis.custom.getNamespacedCustomObject({ ...route, name, namespace }),
    remove: (apis, name, namespace) => apis.custom.deleteNamespacedCustomObject({ ...route, name, namespace }),
  },
};

function callsFor(kind: string | undefined): KindCalls {
  if (kind === 'ConfigMap' || kind === 'Deployment' || kind === 'Service' || kind === 'HorizontalPodAutoscaler' || kind === 'HTTPRoute') return Calls[kind];
  throw new Error(`cannot write a ${kind ?? 'object without a kind'}`);
}

/** Writes one rendered object (in its own namespace, else `namespace`); with `dryRun` the API server only judges it. */
export async function applyObject(apis: KubeApis, object: KubernetesObject, options: { dryRun?: boolean; namespace?: string } = {}): Promise<void> {
  const namespace = object.metadata?.namespace ?? options.namespace ?? '';
  await callsFor(object.kind).write(apis, object, object.metadata?.name ?? '', namespace, options.dryRun ? { dryRun: 'All' } : {});
}

/** Runs a read or delete: true when the object was there, false on 404 Not Found. */
async function whenFound(call: () => Promise<unknown>): Promise<boolean> {
  try {
    await call();
    return true;
  } catch (error) {
    if (httpStatus(error) === 404) return false;
    throw error;
  }
}

export function objectExists(apis: KubeApis, kind: RevisionObjectKind, name: string, namespace: string): Promise<boolean> {
  return whenFound(() => Calls[kind].read(apis, name, namespace));
}

/** Deletes an object; false when it was not there. */
export function deleteObject(apis: KubeApis, kind: RevisionObjectKind, name: string, namespace: string): Promise<boolean> {
  return whenFound(() => Calls[kind].remove(apis, name, namespace));
}
