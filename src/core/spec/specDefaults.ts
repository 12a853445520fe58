/**
 * Every default of a revision spec, in one place. `SpecDefaults` are applied where a spec leaves
 * a field out (applySpecDefaults: the renderer renders from it and the record stores it, so a
 * stored revision says exactly what runs); the schema's `default`s document the same values and
 * test/unit/core/spec/specDefaults.test.ts fails when they drift. `StarterValues` are what a new
 * spec begins with (the template, the form, the completion snippets), built from the same values.
 */
import { SpecApiVersion, SpecKind, type PortProtocol, type RevisionSpec, type ScalingMetric } from './revisionSpec';

export const SpecDefaults = {
  /** When `resources` is left out. */
  resources: { cpu: '1', memory: '2Gi' },
  /** When a GPU block names no resource (the extension's setting may say otherwise). */
  gpuResourceName: 'nvidia.com/gpu',
  /** When `ports` is left out. */
  port: { name: 'http', containerPort: 8080, protocol: 'http' as PortProtocol },
  protocol: 'http' as PortProtocol,
  keyRefOptional: false,
  /** Without autoscaling. */
  replicas: 1,
  autoscalingTarget: 70,
  /** With `metric: gpu`. */
  gpuMetricName: 'DCGM_FI_DEV_GPU_UTIL',
  launchImmediately: false,
  readOnly: false,
  healthInitialDelaySeconds: 0,
  healthPeriodSeconds: 10,
} as const;

/** The node label NVIDIA's GPU feature discovery sets, matched by `resources.gpu.product`. */
export const GpuProductLabel = 'nvidia.com/gpu.product';

/** What new specs, forms and snippets start with: examples to edit, apart from the defaults. */
export const StarterValues = {
  service: 'my-model',
  message: 'First revision',
  image: 'ghcr.io/example/my-model:1.0.0',
  autoscaling: { minReplicas: 1, maxReplicas: 3, metric: 'cpu' as ScalingMetric },
  secretEnv: { name: 'HF_TOKEN', secretName: 'hf-token', key: 'token' },
  volume: { name: 'models', mountPath: '/models', claimName: 'model-weights' },
} as const;

/** The smallest spec that passes every check: identity, and the default resources and port written out. */
export function starterSpec(identity: { service?: string; message?: string; image?: string } = {}): RevisionSpec {
  return {
    apiVersion: SpecApiVersion,
    kind: SpecKind,
    service: identity.service ?? StarterValues.service,
    message: identity.message ?? StarterValues.message,
    image: identity.image ?? StarterValues.image,
    resources: { ...SpecDefaults.resources },
    ports: [{ ...SpecDefaults.port }],
  };
}

export interface DefaultOptions {
  /** The GPU resource name when the spec names none (an extension setting). */
  gpuResourceName?: string;
}

/**
 * The spec with every default it leaves out written in, but for `false`: a switch left out is off,
 * to this tool and to Kubernetes alike, so writing `readOnly: false` into every stored record
 * would say nothing. Applying it twice changes nothing, and a spec rendered with or without it
 * gives the same objects.
 */
export function applySpecDefaults(input: RevisionSpec, options: DefaultOptions = {}): RevisionSpec {
  const spec = structuredClone(input);
  spec.resources ??= { ...SpecDefaults.resources };
  const gpu = spec.resources.gpu;
  if (gpu) gpu.resourceName ??= options.gpuResourceName ?? SpecDefaults.gpuResourceName;
  spec.ports ??= [{ ...SpecDefaults.port }];
  for (const port of spec.ports) port.protocol ??= SpecDefaults.protocol;
  if (spec.autoscaling) {
    spec.autoscaling.target ??= SpecDefaults.autoscalingTarget;
    if (spec.autoscaling.metric === 'gpu') spec.autoscaling.gpuMetricName ??= SpecDefaults.gpuMetricName;
  } else {
    spec.replicas ??= SpecDefaults.replicas;
  }
  const health = spec.healthCheck;
  if (health) {
    const first = spec.ports[0];
    if (health.port === undefined && first) health.port = first.name ?? first.containerPort;
    health.initialDelaySeconds ??= SpecDefaults.healthInitialDelaySeconds;
    health.periodSeconds ??= SpecDefaults.healthPeriodSeconds;
  }
  return spec;
}
