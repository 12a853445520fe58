/**
 * The Kubernetes objects a revision spec becomes, as pure functions: no cluster, no I/O, so the
 * CLI's `render`, dry-runs and the cluster actions all produce exactly the same objects.
 *
 * Every object is rendered from the spec with its defaults applied (applySpecDefaults), and the
 * record stores that same spec: the recipe kept in the cluster says exactly what runs, and a
 * later version of this tool with other defaults starts it the same way.
 */
import type {
  V1ConfigMap,
  V1Container,
  V1Deployment,
  V1EnvVar,
  V1OwnerReference,
  V1Probe,
  V1Service,
  V1ServicePort,
  V1Toleration,
  V1Volume,
  V1VolumeMount,
  V2HorizontalPodAutoscaler,
  V2MetricSpec,
} from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { quantityText } from '../spec/quantity';
import type { PortSpec, ResourcesSpec, RevisionSpec } from '../spec/revisionSpec';
import { applySpecDefaults, GpuProductLabel, SpecDefaults } from '../spec/specDefaults';
import { renderStableService, stableSelector } from '../traffic/dataPlane';
import { Annotations, ContainerName, Labels, RecordSpecKey, revisionLabels, revisionObjectName } from './labels';
import { authoredSpec } from './revisionRecord';

export interface RenderOptions {
  namespace: string;
  revision: number;
  /** The record's uid once it exists; per-revision objects get an owner reference to it. */
  recordUid?: string;
  createdAt?: string;
  createdBy?: string;
  /** Used when the spec names no GPU resource (an extension setting, `nvidia.com/gpu` by default). */
  defaultGpuResourceName?: string;
}

export interface RevisionObjects {
  record: V1ConfigMap;
  deployment: V1Deployment;
  service: V1Service;
  autoscaler?: V2HorizontalPodAutoscaler;
  stableService: V1Service;
}

export { ContainerName };

/** The spec as stored in the record: the user's fields, the defaults applied, and what creation assigns. */
function recordedSpec(spec: RevisionSpec, options: RenderOptions): RevisionSpec {
  // Identity first, then what creation assigned, then the recipe in the author's order.
  const { apiVersion, kind, service, message, reproducedFrom, namespace: _namespace, ...recipe } = authoredSpec(spec);
  return {
    apiVersion,
    kind,
    service,
    namespace: options.namespace,
    revision: options.revision,
    message,
    ...(options.createdAt !== undefined ? { createdAt: options.createdAt } : {}),
    ...(options.createdBy !== undefined ? { createdBy: options.createdBy } : {}),
    ...(reproducedFrom !== undefined ? { reproducedFrom } : {}),
    ...recipe,
  };
}

function renderRecord(spec: RevisionSpec, options: RenderOptions): V1ConfigMap {
  const annotations: Record<string, string> = {
    [Annotations.message]: spec.message,
    [Annotations.image]: spec.image,
  };
  if (options.createdBy !== undefined) annotations[Annotations.createdBy] = options.createdBy;
  if (spec.reproducedFrom !== undefined) annotations[Annotations.reproducedFrom] = String(spec.reproducedFrom);
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: revisionObjectName(spec.service, options.revision),
      namespace: options.namespace,
      labels: revisionLabels(spec.service, options.revision, 'record'),
      annotations,
    },
    // Immutable: a revision is a recipe that never changes; the API server enforces it.
    immutable: true,
    data: { [RecordSpecKey]: stringify(recordedSpec(spec, options), { lineWidth: 0 }) },
  };
}

function ownerReferences(spec: RevisionSpec, options: RenderOptions): V1OwnerReference[] | undefined {
  if (options.recordUid === undefined) return undefined;
  return [
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: revisionObjectName(spec.service, options.revision),
      uid: options.recordUid,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
}

function objectMeta(spec: RevisionSpec, options: RenderOptions, component: 'workload' | 'endpoint' | 'autoscaler') {
  const owners = ownerReferences(spec, options);
  return {
    name: revisionObjectName(spec.service, options.revision),
    namespace: options.namespace,
    labels: revisionLabels(spec.service, options.revision, component),
    ...(owners ? { ownerReferences: owners } : {}),
  };
}

function renderEnv(spec: RevisionSpec): V1EnvVar[] | undefined {
  if (!spec.env || spec.env.length === 0) return undefined;
  return spec.env.map((entry): V1EnvVar => {
    if (entry.secretKeyRef) {
      return { name: entry.name, valueFrom: { secretKeyRef: { name: entry.secretKeyRef.name, key: entry.secretKeyRef.key, ...(entry.secretKeyRef.optional ? { optional: true } : {}) } } };
    }
    if (entry.configMapKeyRef) {
      return { name: entry.name, valueFrom: { configMapKeyRef: { name: entry.configMapKeyRef.name, key: entry.configMapKeyRef.key, ...(entry.configMapKeyRef.optional ? { optional: true } : {}) } } };
    }
    return { name: entry.name, value: entry.value ?? '' };
  });
}

function gpuResourceName(spec: RevisionSpec): string {
  return spec.resources?.gpu?.resourceName ?? SpecDefaults.gpuResourceName;
}

function renderResources(spec: RevisionSpec): V1Container['resources'] {
  const resources: ResourcesSpec = spec.resources ?? { ...SpecDefaults.resources };
  const amounts: Record<string, string> = { cpu: quantityText(resources.cpu), memory: quantityText(resources.memory) };
  const gpus = resources.gpu?.count ?? 0;
  // Extended resources such as GPUs must have equal requests and limits.
  if (gpus > 0) amounts[gpuResourceName(spec)] = String(gpus);
  return { requests: { ...amounts }, limits: { ...amounts } };
}

function portName(port: PortSpec): string | undefined {
  return port.name;
}

function renderProbe(spec: RevisionSpec): V1Probe | undefined {
  const health = spec.healthCheck;
  if (!health) return undefined;
  const ports = spec.ports ?? [];
  const first = ports[0];
  const port: number | string | undefined = health.port ?? (first ? (portName(first) ?? first.containerPort) : undefined);
  if (port === undefined) return undefined;
  const timing = {
    ...(health.initialDelaySeconds !== undefined ? { initialDelaySeconds: health.initialDelaySeconds } : {}),
    periodSeconds: health.periodSeconds ?? SpecDefaults.healthPeriodSeconds,
  };
  if (health.path !== undefined) return { httpGet: { path: health.path, port: port }, ...timing };
  const target = typeof port === 'number' ? ports.find((p) => p.containerPort === port) : ports.find((p) => p.name === port);
  if (target?.protocol === 'grpc') return { grpc: { port: target.containerPort }, ...timing };
  return { tcpSocket: { port: port }, ...timing };
}

function renderVolumes(spec: RevisionSpec): { volumes?: V1Volume[]; mounts?: V1VolumeMount[] } {
  if (!spec.volumes || spec.volumes.length === 0) return {};
  const volumes = spec.volumes.map((volume): V1Volume => {
    if (volume.persistentVolumeClaim) return { name: volume.name, persistentVolumeClaim: { claimName: volume.persistentVolumeClaim.claimName, ...(volume.readOnly ? { readOnly: true } : {}) } };
    if (volume.configMap) return { name: volume.name, configMap: { name: volume.configMap.name } };
    if (volume.secret) return { name: volume.name, secret: { secretName: volume.secret.secretName } };
    return { name: volume.name, emptyDir: { ...(volume.emptyDir?.medium ? { medium: volume.emptyDir.medium } : {}), ...(volume.emptyDir?.sizeLimit ? { sizeLimit: volume.emptyDir.sizeLimit } : {}) } };
  });
  const mounts = spec.volumes.map((volume): V1VolumeMount => ({
    name: volume.name,
    mountPath: volume.mountPath,
    ...(volume.readOnly ? { readOnly: true } : {}),
    ...(volume.subPath !== undefined ? { subPath: volume.subPath } : {}),
  }));
  return { volumes, mounts };
}

function renderCommand(spec: RevisionSpec): string[] | undefined {
  if (spec.command === undefined) return undefined;
  return typeof spec.command === 'string' ? ['/bin/sh', '-c', spec.command] : [...spec.command];
}

/** Replicas a freshly started revision runs: the autoscaler's minimum, or the fixed count. */
function initialReplicas(spec: RevisionSpec): number {
  return spec.autoscaling ? spec.autoscaling.minReplicas : (spec.replicas ?? SpecDefaults.replicas);
}

function renderDeployment(spec: RevisionSpec, options: RenderOptions): V1Deployment {
  const podLabels = revisionLabels(spec.service, options.revision, 'workload');
  const { volumes, mounts } = renderVolumes(spec);
  const env = renderEnv(spec);
  const command = renderCommand(spec);
  const probe = renderProbe(spec);
  const ports = spec.ports ?? [];
  const container: V1Container = {
    name: ContainerName,
    image: spec.image,
    ...(command ? { command } : {}),
    ...(env ? { env } : {}),
    ...(ports.length > 0 ? { ports: ports.map((p) => ({ containerPort: p.containerPort, protocol: 'TCP', ...(p.name ? { name: p.name } : {}) })) } : {}),
    resources: renderResources(spec),
    ...(probe ? { readinessProbe: probe } : {}),
    ...(mounts ? { volumeMounts: mounts } : {}),
  };
  const gpu = spec.resources?.gpu;
  const usesGpu = (gpu?.count ?? 0) > 0;
  const tolerations: V1Toleration[] | undefined = usesGpu ? [{ key: gpuResourceName(spec), operator: 'Exists', effect: 'NoSchedule' }] : undefined;
  const nodeSelector = usesGpu && gpu?.product ? { [GpuProductLabel]: gpu.product } : undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: objectMeta(spec, options, 'workload'),
    spec: {
      replicas: initialReplicas(spec),
      // The pod template never changes (a revision is immutable), so old ReplicaSets are noise.
      revisionHistoryLimit: 1,
      selector: { matchLabels: { [Labels.service]: spec.service, [Labels.revision]: String(options.revision) } },
      template: {
        metadata: { labels: podLabels },
        spec: {
          ...(spec.serviceAccountName ? { serviceAccountName: spec.serviceAccountName } : {}),
          containers: [container],
          ...(volumes ? { volumes } : {}),
          ...(nodeSelector ? { nodeSelector } : {}),
          ...(tolerations ? { tolerations } : {}),
        },
      },
    },
  };
}

/** The ports of a revision's Services (its own, the stable one, its tags'): one per port of the spec. */
export function servicePorts(spec: RevisionSpec): V1ServicePort[] {
  return (spec.ports ?? []).map((port): V1ServicePort => {
    const appProtocol = port.protocol === 'grpc' ? 'grpc' : port.protocol === 'tcp' ? undefined : 'http';
    return {
      ...(port.name ? { name: port.name } : {}),
      port: port.containerPort,
      targetPort: (port.name ?? port.containerPort),
      protocol: 'TCP',
      ...(appProtocol ? { appProtocol } : {}),
    };
  });
}

/** The revision's own endpoint: `<service>-r<revision>` reaches exactly this revision's pods. */
function renderRevisionService(spec: RevisionSpec, options: RenderOptions): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: objectMeta(spec, options, 'endpoint'),
    spec: {
      type: 'ClusterIP',
      selector: { [Labels.service]: spec.service, [Labels.revision]: String(options.revision) },
      ports: servicePorts(spec),
    },
  };
}

/**
 * The service's stable endpoint `<service>`, as it is when this revision is the service's first
 * (it then holds all the traffic, so the Service selects exactly it). Once the service has a
 * traffic policy, the data plane (core/traffic/dataPlane.ts) decides what it selects.
 */
function renderStableServiceOf(spec: RevisionSpec, options: RenderOptions): V1Service {
  return renderStableService(spec.service, options.namespace, servicePorts(spec), stableSelector(spec.service, [{ revision: options.revision, percent: 100 }]));
}

function renderMetric(spec: RevisionSpec): V2MetricSpec {
  const autoscaling = spec.autoscaling;
  const target = autoscaling?.target ?? SpecDefaults.autoscalingTarget;
  if (autoscaling?.metric === 'gpu') {
    return {
      type: 'Pods',
      pods: {
        metric: { name: autoscaling.gpuMetricName ?? SpecDefaults.gpuMetricName },
        target: { type: 'AverageValue', averageValue: String(target) },
      },
    };
  }
  return {
    type: 'Resource',
    resource: { name: autoscaling?.metric === 'memory' ? 'memory' : 'cpu', target: { type: 'Utilization', averageUtilization: target } },
  };
}

function renderAutoscaler(spec: RevisionSpec, options: RenderOptions): V2HorizontalPodAutoscaler | undefined {
  if (!spec.autoscaling) return undefined;
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: objectMeta(spec, options, 'autoscaler'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: revisionObjectName(spec.service, options.revision) },
      minReplicas: spec.autoscaling.minReplicas,
      maxReplicas: spec.autoscaling.maxReplicas,
      metrics: [renderMetric(spec)],
    },
  };
}

export function renderRevision(input: RevisionSpec, options: RenderOptions): RevisionObjects {
  const spec = applySpecDefaults(input, options.defaultGpuResourceName !== undefined ? { gpuResourceName: options.defaultGpuResourceName } : {});
  const autoscaler = renderAutoscaler(spec, options);
  return {
    record: renderRecord(spec, options),
    deployment: renderDeployment(spec, options),
    service: renderRevisionService(spec, options),
    ...(autoscaler ? { autoscaler } : {}),
    stableService: renderStableServiceOf(spec, options),
  };
}

/** The objects in the order they are created: the record first, as the others point to it. */
export function revisionObjectList(objects: RevisionObjects): Array<V1ConfigMap | V1Deployment | V1Service | V2HorizontalPodAutoscaler> {
  return [objects.record, objects.deployment, objects.service, ...(objects.autoscaler ? [objects.autoscaler] : []), objects.stableService];
}
