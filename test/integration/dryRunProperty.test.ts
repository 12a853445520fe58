// Property: every spec that validates renders objects the API server accepts. Specs are built
// from the schema's shape with a fixed seed (every optional block, boundary values, every enum),
// checked with the same checks as every surface, and each one that validates is sent, object by
// object, to the local kube-apiserver with server-side dryRun=All. Any refusal fails the test
// with the spec printed, replayable from the seed.
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import type { RevisionSpec } from '../../src/core/spec/revisionSpec';
import { findSpecProblems } from '../../src/core/spec/validateSpec';
import { adminClient, deleteNamespace, freshNamespace } from './cluster';
import { seededRandom as random } from '../seededRandom';

const Seed = Number(process.env['SERVE_REVISIONS_PROPERTY_SEED'] ?? 20261128);
const Count = Number(process.env['SERVE_REVISIONS_PROPERTY_COUNT'] ?? 300);
const Parallel = 4;


type Rnd = () => number;
const pick = <T>(rnd: Rnd, items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
const chance = (rnd: Rnd, p = 0.5): boolean => rnd() < p;
const letters = 'abcdefghijklmnopqrstuvwxyz';
const label = (rnd: Rnd, length: number): string => Array.from({ length }, (_, i) => (i === 0 || i === length - 1 || chance(rnd, 0.8) ? pick(rnd, [...letters]) : pick(rnd, ['-', '0', '9']))).join('');

const Cpus = ['1m', '100m', '500m', '0.5', '1', '2', '1.5', '4096', '4096000m', '1e3', '0.001', ' 2 ', '+1', 2, 0.25, 64];
const Memories = ['1Mi', '128Mi', '512Mi', '1Gi', '16Gi', '1.5Gi', '1048576', '1e9', '2G', '500M', '1Ti', '1E', 268435456, '1048576k'];
const SizeLimits = ['0', '1', '10Gi', '1e3', '512Mi', '1.5G', '1Ei'];
const Images = [
  'iris:1',
  'ghcr.io/acme/iris-classifier:2.0.1',
  'localhost:5000/iris:1',
  '[::1]:5000/foo:1.0',
  'nvcr.io/nvidia/tritonserver:24.08-py3',
  `iris@sha256:${'a'.repeat(64)}`,
  `ghcr.io/acme/iris:2@sha512:${'b'.repeat(128)}`,
  `iris@sha384:${'c'.repeat(96)}`,
  `example.com/${'a'.repeat(255)}:1`,
  `iris:${'t'.repeat(128)}`,
  'docker.io/library/redis:7',
  'a__b/c--d/e.f:1',
];
const EnvNames = ['MODEL_NAME', '1a', 'a b', 'VAR:1', '.a', 'my.var-1', '_', 'HF_HOME', '$X', 'x'.repeat(200)];
const ResourceNames = [undefined, 'nvidia.com/gpu', 'amd.com/gpu', 'gpu.intel.com/i915', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(50)}/gpu`];

function generateSpec(rnd: Rnd, index: number): RevisionSpec {
  const serviceLength = pick(rnd, [1, 2, 12, 40, 55]);
  const service = `${label(rnd, Math.max(1, serviceLength - 4))}${index.toString(36).padStart(4, 'a')}`.slice(-serviceLength).replace(/^[^a-z]+/, 'x').replace(/-+$/, 'z');
  const spec: Record<string, unknown> = {
    apiVersion: 'serve-revisions/v1',
    kind: 'Revision',
    service,
    message: pick(rnd, ['m', 'Iris v2 — retrained on März data 🚀', 'x'.repeat(1000), 'line one\nline two']),
    image: pick(rnd, Images),
  };
  if (chance(rnd, 0.2)) spec['reproducedFrom'] = pick(rnd, [1, 2, 999999]);
  const command = pick(rnd, ['none', 'shell', 'argv']);
  if (command === 'shell') spec['command'] = 'python -m server --port "$PORT" && echo done';
  if (command === 'argv') spec['command'] = ['python', '-m', 'vllm.entrypoints.openai.api_server', '--model', '/models/llama', ''];

  let gpuCount = 0;
  if (chance(rnd, 0.8)) {
    const resources: Record<string, unknown> = { cpu: pick(rnd, Cpus), memory: pick(rnd, Memories) };
    if (chance(rnd, 0.4)) {
      gpuCount = pick(rnd, [0, 1, 2, 8, 64]);
      const gpu: Record<string, unknown> = { count: gpuCount };
      const resourceName = pick(rnd, ResourceNames);
      if (resourceName) gpu['resourceName'] = resourceName;
      if (chance(rnd)) gpu['product'] = pick(rnd, ['NVIDIA-A100-SXM4-80GB', 'Tesla-T4', 'a'.repeat(63), 'A_b.c-1']);
      resources['gpu'] = gpu;
    }
    spec['resources'] = resources;
  }

  const envCount = pick(rnd, [0, 0, 1, 3, 6]);
  if (envCount > 0 || chance(rnd, 0.1)) {
    const names = new Set<string>();
    spec['env'] = Array.from({ length: envCount }, () => {
      let name = pick(rnd, EnvNames);
      while (names.has(name)) name = `${name}_`;
      names.add(name);
      const source = pick(rnd, ['value', 'secret', 'configMap']);
      const ref = () => ({ name: pick(rnd, ['hf-token', 'a.b-c', 's'.repeat(253)]), key: pick(rnd, ['token', '.hidden', 'tls.crt', 'K_1-x.y', 'k'.repeat(253)]), ...(chance(rnd, 0.3) ? { optional: chance(rnd) } : {}) });
      if (source === 'value') return { name, value: pick(rnd, ['', 'x', '8', 'a=b', '/var/run/secrets/hf/token', 'üñí', 'line\nbreak']) };
      if (source === 'secret') return { name, secretKeyRef: ref() };
      return { name, configMapKeyRef: ref() };
    });
  }

  const portCount = pick(rnd, [-1, 1, 1, 2, 4]);
  const portNames: string[] = [];
  const portNumbers: number[] = [];
  if (portCount > 0) {
    const numbers = [1, 80, 3000, 8000, 8080, 9000, 65535];
    spec['ports'] = Array.from({ length: portCount }, () => {
      const name = pick(rnd, ['http', 'grpc', 'metrics', 'a', 'web-1', 'abcdefghijklmno'].filter((n) => !portNames.includes(n)));
      let number = pick(rnd, numbers);
      while (portNumbers.includes(number)) number = (number % 65535) + 1;
      portNames.push(name);
      portNumbers.push(number);
      const port: Record<string, unknown> = { containerPort: number };
      if (portCount > 1 || chance(rnd, 0.7)) port['name'] = name;
      else portNames.pop();
      if (chance(rnd, 0.8)) port['protocol'] = pick(rnd, ['http', 'grpc', 'tcp']);
      return port;
    });
  } else {
    portNames.push('http');
    portNumbers.push(8080);
  }

  if (chance(rnd, 0.4)) {
    const min = pick(rnd, [1, 2, 10]);
    const autoscaling: Record<string, unknown> = { minReplicas: min, maxReplicas: pick(rnd, [min, min + 1, 1000]), metric: gpuCount > 0 ? pick(rnd, ['cpu', 'memory', 'gpu']) : pick(rnd, ['cpu', 'memory']) };
    if (chance(rnd, 0.7)) autoscaling['target'] = pick(rnd, [1, 50, 70, 100]);
    if (autoscaling['metric'] === 'gpu' && chance(rnd)) autoscaling['gpuMetricName'] = pick(rnd, ['DCGM_FI_DEV_GPU_UTIL', 'gpu.util', 'a:b', 'x'.repeat(200)]);
    spec['autoscaling'] = autoscaling;
  } else if (chance(rnd, 0.6)) {
    spec['replicas'] = pick(rnd, [0, 1, 3, 1000]);
  }
  if (chance(rnd)) spec['launchImmediately'] = chance(rnd);

  const volumeCount = pick(rnd, [0, 0, 1, 2, 4]);
  if (volumeCount > 0) {
    const sources = ['persistentVolumeClaim', 'configMap', 'secret', 'emptyDir'] as const;
    spec['volumes'] = Array.from({ length: volumeCount }, (_, i) => {
      const volume: Record<string, unknown> = { name: `${pick(rnd, ['models', 'data', 'v', 'a'.repeat(60)])}${i}`.slice(-63), mountPath: pick(rnd, [`/mnt/v${i}`, `mnt/rel${i}`, `/mnt/a/../b${i}`, `/dev/shm${i}`]) };
      if (chance(rnd, 0.3)) volume['readOnly'] = chance(rnd);
      if (chance(rnd, 0.2)) volume['subPath'] = pick(rnd, ['sub', 'a/b', 'x..y']);
      const source = pick(rnd, sources);
      if (source === 'persistentVolumeClaim') volume['persistentVolumeClaim'] = { claimName: pick(rnd, ['llama-weights', 'a.b', 'c'.repeat(253)]) };
      if (source === 'configMap') volume['configMap'] = { name: pick(rnd, ['inference-code', 'x.y']) };
      if (source === 'secret') volume['secret'] = { secretName: pick(rnd, ['tls-certs', 'a-b.c']) };
      if (source === 'emptyDir') volume['emptyDir'] = { ...(chance(rnd) ? { sizeLimit: pick(rnd, SizeLimits) } : {}), ...(chance(rnd) ? { medium: 'Memory' } : {}) };
      return volume;
    });
  }
  if (chance(rnd, 0.3)) spec['serviceAccountName'] = pick(rnd, ['model-reader', 'a.b', 's'.repeat(253)]);
  if (chance(rnd, 0.5)) {
    const health: Record<string, unknown> = {};
    if (chance(rnd, 0.7)) health['path'] = pick(rnd, ['/healthz', '/v1/models', 'readyz', '/a b?x=1']);
    if (chance(rnd, 0.7)) health['port'] = chance(rnd) && portNames.length > 0 ? pick(rnd, portNames) : pick(rnd, [...portNumbers, 1, 65535]);
    if (chance(rnd)) health['initialDelaySeconds'] = pick(rnd, [0, 5, 600]);
    if (chance(rnd)) health['periodSeconds'] = pick(rnd, [1, 10, 3600]);
    spec['healthCheck'] = health;
  }
  return spec as unknown as RevisionSpec;
}

describe('every spec that validates is one the API server accepts (server-side dry run)', function () {
  this.timeout(900_000);
  let namespace: string;
  before(async () => {
    namespace = await freshNamespace('prop');
  });
  after(async () => {
    await deleteNamespace(namespace);
  });

  it(`holds for ${Count} generated specs (seed ${Seed})`, async () => {
    console.log(`      seed ${Seed} (replay with SERVE_REVISIONS_PROPERTY_SEED=${Seed}), ${Count} specs`);
    const rnd = random(Seed);
    const specs = Array.from({ length: Count }, (_, i) => generateSpec(rnd, i));
    const valid = specs.filter((spec) => !findSpecProblems(spec).some((f) => f.severity === 'error'));
    const client = adminClient(namespace);
    const refusals: string[] = [];
    let objects = 0;
    const started = Date.now();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < valid.length) {
        const spec = valid[next++] as RevisionSpec;
        const result = await client.dryRun(spec, { namespace });
        objects += result.objects.length;
        const refused = result.objects.filter((o) => !o.ok);
        if (refused.length > 0) refusals.push(`${refused.map((o) => `${o.kind} ${o.name}: ${o.message}`).join('\n')}\nspec:\n${stringify(spec, { lineWidth: 0 })}`);
      }
    };
    await Promise.all(Array.from({ length: Parallel }, worker));
    console.log(`      ${valid.length} of ${specs.length} specs validate; ${objects} objects sent with dryRun=All in ${Math.round((Date.now() - started) / 1000)} s; ${refusals.length} refused`);

    // The generator must reach what it claims to cover, among the specs that validate.
    const covered = (what: string, test: (s: Record<string, any>) => boolean): void => assert.ok(valid.some((s) => test(s as Record<string, any>)), `no valid spec with ${what}`);
    for (const metric of ['cpu', 'memory', 'gpu']) covered(`autoscaling metric ${metric}`, (s) => s['autoscaling']?.metric === metric);
    for (const protocol of ['http', 'grpc', 'tcp']) covered(`protocol ${protocol}`, (s) => s['ports']?.some((p: any) => p.protocol === protocol));
    for (const source of ['persistentVolumeClaim', 'configMap', 'secret', 'emptyDir']) covered(`a ${source} volume`, (s) => s['volumes']?.some((v: any) => v[source]));
    for (const source of ['value', 'secretKeyRef', 'configMapKeyRef']) covered(`an env ${source}`, (s) => s['env']?.some((e: any) => e[source] !== undefined));
    covered('medium Memory', (s) => s['volumes']?.some((v: any) => v.emptyDir?.medium === 'Memory'));
    covered('no resources and no ports (the defaults)', (s) => s['resources'] === undefined && s['ports'] === undefined);
    covered('a shell command', (s) => typeof s['command'] === 'string');
    covered('an argv command', (s) => Array.isArray(s['command']));
    covered('a 55-character service name', (s) => s['service'].length === 55);
    covered('a GPU', (s) => s['resources']?.gpu?.count > 0);
    covered('a health check', (s) => s['healthCheck'] !== undefined);
    assert.ok(valid.length >= Count / 2, `only ${valid.length} of ${Count} generated specs validate: the generator has drifted from the schema`);
    assert.deepEqual(refusals.slice(0, 5), [], `${refusals.length} valid specs were refused by the API server`);
  });
});
