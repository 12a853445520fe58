/**
 * The revision spec as TypeScript types. schemas/revision.schema.json is the source of truth;
 * these types mirror it for code that has already validated a spec.
 */
export const SpecApiVersion = 'serve-revisions/v1';
export const SpecKind = 'Revision';

export type PortProtocol = 'http' | 'grpc' | 'tcp';
export type ScalingMetric = 'cpu' | 'memory' | 'gpu';

export interface GpuSpec {
  count: number;
  resourceName?: string;
  product?: string;
}

export interface ResourcesSpec {
  cpu: string | number;
  memory: string | number;
  gpu?: GpuSpec;
}

export interface KeyRef {
  name: string;
  key: string;
  optional?: boolean;
}

export interface EnvVarSpec {
  name: string;
  value?: string;
  secretKeyRef?: KeyRef;
  configMapKeyRef?: KeyRef;
}

export interface PortSpec {
  name?: string;
  containerPort: number;
  protocol?: PortProtocol;
}

export interface AutoscalingSpec {
  minReplicas: number;
  maxReplicas: number;
  metric: ScalingMetric;
  target?: number;
  gpuMetricName?: string;
}

export interface VolumeSpec {
  name: string;
  mountPath: string;
  readOnly?: boolean;
  subPath?: string;
  persistentVolumeClaim?: { claimName: string };
  configMap?: { name: string };
  secret?: { secretName: string };
  emptyDir?: { sizeLimit?: string; medium?: 'Memory' };
}

export interface HealthCheckSpec {
  path?: string;
  port?: number | string;
  initialDelaySeconds?: number;
  periodSeconds?: number;
}

export interface RevisionSpec {
  apiVersion: typeof SpecApiVersion;
  kind: typeof SpecKind;
  service: string;
  namespace?: string;
  message: string;
  revision?: number;
  createdAt?: string;
  createdBy?: string;
  reproducedFrom?: number;
  image: string;
  command?: string | string[];
  resources?: ResourcesSpec;
  env?: EnvVarSpec[];
  ports?: PortSpec[];
  replicas?: number;
  autoscaling?: AutoscalingSpec;
  launchImmediately?: boolean;
  volumes?: VolumeSpec[];
  serviceAccountName?: string;
  healthCheck?: HealthCheckSpec;
}
