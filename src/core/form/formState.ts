/**
 * The revision form's values and their conversion to and from a spec. The form holds what a
 * person typed (text for numbers and quantities, a chosen source for each env var and volume), so
 * a half-typed value survives; `stateToSpec` turns it into the spec value the schema and the
 * semantic checks judge, keeping text that is not a number as text so the finding says why.
 *
 * Normalisations (the same spec for Kubernetes): `false` for readOnly and a key reference's
 * `optional` is written by leaving the field out; a CPU or memory given as a number becomes its
 * text (`2` → `"2"`). `launchImmediately` is not a form field: the form's two buttons (Create
 * revision, Create and launch) say whether it starts, so a draft's value is dropped.
 */
import type { AutoscalingSpec, EnvVarSpec, HealthCheckSpec, PortSpec, RevisionSpec, ScalingMetric, VolumeSpec } from '../spec/revisionSpec';
import { SpecApiVersion, SpecKind } from '../spec/revisionSpec';
import { SpecDefaults, StarterValues } from '../spec/specDefaults';

export type EnvSource = 'value' | 'secret' | 'configMap';
export type VolumeSource = 'persistentVolumeClaim' | 'configMap' | 'secret' | 'emptyDir';
export type CommandMode = 'none' | 'shell' | 'argv';

export interface EnvRow {
  name: string;
  source: EnvSource;
  /** The literal value (source `value`). */
  value: string;
  /** Secret or ConfigMap name and key (sources `secret`, `configMap`). */
  refName: string;
  refKey: string;
  optional: boolean;
}

export interface PortRow {
  name: string;
  containerPort: string;
  /** '' leaves the protocol out (the default, http). */
  protocol: '' | 'http' | 'grpc' | 'tcp';
}

export interface VolumeRow {
  name: string;
  mountPath: string;
  readOnly: boolean;
  subPath: string;
  source: VolumeSource;
  /** Claim, ConfigMap or Secret name. */
  sourceName: string;
  /** emptyDir only. */
  sizeLimit: string;
  medium: '' | 'Memory';
}

export interface FormState {
  service: string;
  namespace: string;
  message: string;
  /** Kept from a reproduce draft; shown, not edited. */
  reproducedFrom?: number;
  image: string;
  commandMode: CommandMode;
  commandShell: string;
  /** One argument per line. */
  commandArgs: string;
  cpu: string;
  memory: string;
  /** '' means no GPU. */
  gpuCount: string;
  gpuResourceName: string;
  gpuProduct: string;
  env: EnvRow[];
  ports: PortRow[];
  autoscaling: boolean;
  replicas: string;
  minReplicas: string;
  maxReplicas: string;
  metric: ScalingMetric;
  target: string;
  gpuMetricName: string;
  volumes: VolumeRow[];
  serviceAccountName: string;
  healthPath: string;
  healthPort: string;
  healthInitialDelaySeconds: string;
  healthPeriodSeconds: string;
}

export function emptyEnvRow(): EnvRow {
  return { name: '', source: 'value', value: '', refName: '', refKey: '', optional: false };
}

/** A new port row: the default port. */
export function emptyPortRow(): PortRow {
  return { name: SpecDefaults.port.name, containerPort: String(SpecDefaults.port.containerPort), protocol: SpecDefaults.port.protocol };
}

export function emptyVolumeRow(): VolumeRow {
  return { name: '', mountPath: '', readOnly: false, subPath: '', source: 'persistentVolumeClaim', sourceName: '', sizeLimit: '', medium: '' };
}

/** The values of a blank form: the smallest spec that passes once service, message and image are typed. */
export function blankFormState(service = ''): FormState {
  return {
    service,
    namespace: '',
    message: '',
    image: '',
    commandMode: 'none',
    commandShell: '',
    commandArgs: '',
    cpu: SpecDefaults.resources.cpu,
    memory: SpecDefaults.resources.memory,
    gpuCount: '',
    gpuResourceName: '',
    gpuProduct: '',
    env: [],
    ports: [emptyPortRow()],
    autoscaling: false,
    replicas: String(SpecDefaults.replicas),
    minReplicas: String(StarterValues.autoscaling.minReplicas),
    maxReplicas: String(StarterValues.autoscaling.maxReplicas),
    metric: StarterValues.autoscaling.metric,
    target: String(SpecDefaults.autoscalingTarget),
    gpuMetricName: '',
    volumes: [],
    serviceAccountName: '',
    healthPath: '',
    healthPort: '',
    healthInitialDelaySeconds: '',
    healthPeriodSeconds: '',
  };
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function envRowOf(e: EnvVarSpec): EnvRow {
  const row = { ...emptyEnvRow(), name: text(e.name) };
  const ref = e.secretKeyRef ?? e.configMapKeyRef;
  if (e.secretKeyRef) row.source = 'secret';
  else if (e.configMapKeyRef) row.source = 'configMap';
  else row.value = text(e.value);
  if (ref) {
    row.refName = text(ref.name);
    row.refKey = text(ref.key);
    row.optional = ref.optional === true;
  }
  return row;
}

function volumeRowOf(v: VolumeSpec): VolumeRow {
  const row = { ...emptyVolumeRow(), name: text(v.name), mountPath: text(v.mountPath), readOnly: v.readOnly === true, subPath: text(v.subPath) };
  if (v.persistentVolumeClaim) {
    row.source = 'persistentVolumeClaim';
    row.sourceName = text(v.persistentVolumeClaim.claimName);
  } else if (v.configMap) {
    row.source = 'configMap';
    row.sourceName = text(v.configMap.name);
  } else if (v.secret) {
    row.source = 'secret';
    row.sourceName = text(v.secret.secretName);
  } else if (v.emptyDir) {
    row.source = 'emptyDir';
    row.sizeLimit = text(v.emptyDir.sizeLimit);
    row.medium = v.emptyDir.medium ?? '';
  }
  return row;
}

/** A spec (validated or not) as form values; fields of the wrong type show as their text. */
export function specToState(input: Partial<RevisionSpec> | Record<string, unknown>): FormState {
  const spec = input as Partial<RevisionSpec>;
  const state = blankFormState();
  state.service = text(spec.service);
  state.namespace = text(spec.namespace);
  state.message = text(spec.message);
  if (typeof spec.reproducedFrom === 'number') state.reproducedFrom = spec.reproducedFrom;
  state.image = text(spec.image);
  if (Array.isArray(spec.command)) {
    state.commandMode = 'argv';
    state.commandArgs = spec.command.map(text).join('\n');
  } else if (spec.command !== undefined) {
    state.commandMode = 'shell';
    state.commandShell = text(spec.command);
  }
  const resources = spec.resources;
  if (resources) {
    state.cpu = text(resources.cpu);
    state.memory = text(resources.memory);
    if (resources.gpu) {
      state.gpuCount = text(resources.gpu.count);
      state.gpuResourceName = text(resources.gpu.resourceName);
      state.gpuProduct = text(resources.gpu.product);
    }
  }
  state.env = (Array.isArray(spec.env) ? spec.env : []).map(envRowOf);
  if (Array.isArray(spec.ports)) {
    state.ports = spec.ports.map((p: PortSpec): PortRow => ({ name: text(p.name), containerPort: text(p.containerPort), protocol: p.protocol ?? '' }));
  } else {
    state.ports = [];
  }
  if (spec.autoscaling) {
    state.autoscaling = true;
    state.minReplicas = text(spec.autoscaling.minReplicas);
    state.maxReplicas = text(spec.autoscaling.maxReplicas);
    state.metric = spec.autoscaling.metric ?? StarterValues.autoscaling.metric;
    state.target = text(spec.autoscaling.target);
    state.gpuMetricName = text(spec.autoscaling.gpuMetricName);
  }
  state.replicas = text(spec.replicas);
  state.volumes = (Array.isArray(spec.volumes) ? spec.volumes : []).map(volumeRowOf);
  state.serviceAccountName = text(spec.serviceAccountName);
  const health = spec.healthCheck;
  if (health) {
    state.healthPath = text(health.path);
    state.healthPort = text(health.port);
    state.healthInitialDelaySeconds = text(health.initialDelaySeconds);
    state.healthPeriodSeconds = text(health.periodSeconds);
  }
  return state;
}

/** Whole numbers become numbers; anything else stays text so the schema names the mistake. */
function integerOrText(value: string): number | string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  return /^[+-]?\d+$/.test(trimmed) ? Number(trimmed) : trimmed;
}

function nonEmpty(value: string): string | undefined {
  return value.trim() === '' ? undefined : value.trim();
}

/** Sets `key` only when the value is defined, so the spec has no `undefined` holes. */
function put<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

function envOf(row: EnvRow): EnvVarSpec {
  const env: EnvVarSpec = { name: row.name.trim() };
  if (row.source === 'value') {
    env.value = row.value;
  } else {
    const ref = { name: row.refName.trim(), key: row.refKey.trim(), ...(row.optional ? { optional: true } : {}) };
    if (row.source === 'secret') env.secretKeyRef = ref;
    else env.configMapKeyRef = ref;
  }
  return env;
}

function volumeOf(row: VolumeRow): VolumeSpec {
  const volume: VolumeSpec = { name: row.name.trim(), mountPath: row.mountPath.trim() };
  if (row.readOnly) volume.readOnly = true;
  put(volume, 'subPath', nonEmpty(row.subPath));
  const name = row.sourceName.trim();
  switch (row.source) {
    case 'persistentVolumeClaim':
      volume.persistentVolumeClaim = { claimName: name };
      break;
    case 'configMap':
      volume.configMap = { name };
      break;
    case 'secret':
      volume.secret = { secretName: name };
      break;
    case 'emptyDir': {
      const emptyDir: NonNullable<VolumeSpec['emptyDir']> = {};
      put(emptyDir, 'sizeLimit', nonEmpty(row.sizeLimit));
      if (row.medium === 'Memory') emptyDir.medium = 'Memory';
      volume.emptyDir = emptyDir;
      break;
    }
  }
  return volume;
}

/**
 * The spec the form's values say. Required text fields are always present (empty when not typed,
 * so the schema says which one is missing); optional ones only when filled in.
 */
export function stateToSpec(state: FormState): RevisionSpec {
  const spec = { apiVersion: SpecApiVersion, kind: SpecKind, service: state.service.trim(), message: state.message.trim() } as RevisionSpec;
  put(spec, 'namespace', nonEmpty(state.namespace));
  put(spec, 'reproducedFrom', state.reproducedFrom);
  spec.image = state.image.trim();
  if (state.commandMode === 'shell') spec.command = state.commandShell;
  else if (state.commandMode === 'argv') spec.command = state.commandArgs.replace(/\r/g, '').replace(/\n$/, '').split('\n');

  spec.resources = { cpu: state.cpu.trim(), memory: state.memory.trim() };
  const gpuCount = integerOrText(state.gpuCount);
  if (gpuCount !== undefined) {
    const gpu = { count: gpuCount } as NonNullable<RevisionSpec['resources']>['gpu'] & object;
    put(gpu, 'resourceName', nonEmpty(state.gpuResourceName));
    put(gpu, 'product', nonEmpty(state.gpuProduct));
    spec.resources.gpu = gpu;
  }

  if (state.env.length > 0) {
    spec.env = state.env.map(envOf);
  }
  if (state.ports.length > 0) {
    spec.ports = state.ports.map((row): PortSpec => {
      const port = {} as PortSpec;
      put(port, 'name', nonEmpty(row.name));
      port.containerPort = (integerOrText(row.containerPort) ?? '') as number;
      if (row.protocol !== '') port.protocol = row.protocol;
      return port;
    });
  }
  if (state.autoscaling) {
    const autoscaling = {
      minReplicas: (integerOrText(state.minReplicas) ?? '') as number,
      maxReplicas: (integerOrText(state.maxReplicas) ?? '') as number,
      metric: state.metric,
    } as AutoscalingSpec;
    put(autoscaling, 'target', integerOrText(state.target) as number | undefined);
    put(autoscaling, 'gpuMetricName', nonEmpty(state.gpuMetricName));
    spec.autoscaling = autoscaling;
  }
  // Replicas count only without an autoscaler; typed replicas are kept while autoscaling is on.
  if (!state.autoscaling) put(spec, 'replicas', integerOrText(state.replicas) as number | undefined);

  if (state.volumes.length > 0) {
    spec.volumes = state.volumes.map(volumeOf);
  }
  put(spec, 'serviceAccountName', nonEmpty(state.serviceAccountName));

  const health: HealthCheckSpec = {};
  put(health, 'path', nonEmpty(state.healthPath));
  put(health, 'port', integerOrText(state.healthPort));
  put(health, 'initialDelaySeconds', integerOrText(state.healthInitialDelaySeconds) as number | undefined);
  put(health, 'periodSeconds', integerOrText(state.healthPeriodSeconds) as number | undefined);
  if (Object.keys(health).length > 0) spec.healthCheck = health;
  return spec;
}
