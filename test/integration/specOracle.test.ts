// Differential test: the spec checker against Kubernetes' own validation. Each corpus value
// (test/fixtures/k8s-validation-corpus.json: Kubernetes' validation test tables plus edge cases)
// goes into one field of an otherwise valid spec. The checker judges the spec; specoracle
// (cluster/tools/kubernetes/specoracle, built by cluster/build.sh from the same v1.34.4 modules
// as the local API server) judges the objects the spec renders to, as the API server and the
// kubelet would. Every disagreement must be a listed, explained policy of this tool.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import corpus from '../fixtures/k8s-validation-corpus.json';
import { renderRevision, revisionObjectList } from '../../src/core/kube/renderObjects';
import { readQuantity } from '../../src/core/spec/quantity';
import type { RevisionSpec } from '../../src/core/spec/revisionSpec';
import type { CheckOptions, SpecFinding } from '../../src/core/spec/semanticChecks';
import { findSpecProblems } from '../../src/core/spec/validateSpec';

type Spec = Record<string, unknown>;
type Pool = 'names' | 'quantities' | 'images' | 'resourceNames' | 'mountPaths' | 'subPaths' | 'healthPaths' | 'ports';

interface Field {
  id: string;
  pools: Pool[];
  set: (spec: Spec, value: unknown) => void;
  /** The cluster version the checker is told (for version-dependent rules). */
  kubernetesVersion?: string;
  /** The oracle's environment variable name rule. */
  envNames?: 'strict';
}

const gpu = { count: 1 };
const Fields: Field[] = [
  { id: 'service', pools: ['names'], set: (s, v) => (s['service'] = v) },
  { id: 'namespace', pools: ['names'], set: (s, v) => (s['namespace'] = v) },
  { id: 'env-name', pools: ['names'], set: (s, v) => (s['env'] = [{ name: v, value: 'x' }]) },
  { id: 'env-name@1.31', pools: ['names'], set: (s, v) => (s['env'] = [{ name: v, value: 'x' }]), kubernetesVersion: 'v1.31.0', envNames: 'strict' },
  { id: 'secret-name', pools: ['names'], set: (s, v) => (s['env'] = [{ name: 'A', secretKeyRef: { name: v, key: 'k' } }]) },
  { id: 'secret-key', pools: ['names'], set: (s, v) => (s['env'] = [{ name: 'A', secretKeyRef: { name: 's', key: v } }]) },
  { id: 'configmap-name', pools: ['names'], set: (s, v) => (s['env'] = [{ name: 'A', configMapKeyRef: { name: v, key: 'k' } }]) },
  { id: 'configmap-key', pools: ['names'], set: (s, v) => (s['env'] = [{ name: 'A', configMapKeyRef: { name: 'c', key: v } }]) },
  { id: 'volume-secret-name', pools: ['names'], set: (s, v) => (s['volumes'] = [{ name: 'vol', mountPath: '/vol', secret: { secretName: v } }]) },
  { id: 'volume-configmap-name', pools: ['names'], set: (s, v) => (s['volumes'] = [{ name: 'vol', mountPath: '/vol', configMap: { name: v } }]) },
  { id: 'claim-name', pools: ['names'], set: (s, v) => (s['volumes'] = [{ name: 'vol', mountPath: '/vol', persistentVolumeClaim: { claimName: v } }]) },
  { id: 'service-account', pools: ['names'], set: (s, v) => (s['serviceAccountName'] = v) },
  { id: 'volume-name', pools: ['names'], set: (s, v) => (s['volumes'] = [{ name: v, mountPath: '/vol', emptyDir: {} }]) },
  { id: 'port-name', pools: ['names'], set: (s, v) => (s['ports'] = [{ name: v, containerPort: 8080 }]) },
  { id: 'health-port-name', pools: ['names'], set: (s, v) => (s['healthCheck'] = { path: '/healthz', port: v }) },
  { id: 'gpu-metric-name', pools: ['names'], set: (s, v) => ((s['resources'] = { cpu: '1', memory: '1Gi', gpu }), (s['autoscaling'] = { minReplicas: 1, maxReplicas: 2, metric: 'gpu', gpuMetricName: v })) },
  { id: 'gpu-product', pools: ['names'], set: (s, v) => (s['resources'] = { cpu: '1', memory: '1Gi', gpu: { count: 1, product: v } }) },
  { id: 'gpu-resource-name', pools: ['names', 'resourceNames'], set: (s, v) => (s['resources'] = { cpu: '1', memory: '1Gi', gpu: { count: 1, resourceName: v } }) },
  { id: 'cpu', pools: ['quantities'], set: (s, v) => (s['resources'] = { cpu: v, memory: '1Gi' }) },
  { id: 'memory', pools: ['quantities'], set: (s, v) => (s['resources'] = { cpu: '1', memory: v }) },
  { id: 'size-limit', pools: ['quantities'], set: (s, v) => (s['volumes'] = [{ name: 'scratch', mountPath: '/scratch', emptyDir: { sizeLimit: v } }]) },
  { id: 'image', pools: ['images'], set: (s, v) => (s['image'] = v) },
  { id: 'mount-path', pools: ['mountPaths'], set: (s, v) => (s['volumes'] = [{ name: 'vol', mountPath: v, emptyDir: {} }]) },
  { id: 'sub-path', pools: ['subPaths'], set: (s, v) => (s['volumes'] = [{ name: 'vol', mountPath: '/vol', subPath: v, emptyDir: {} }]) },
  { id: 'health-path', pools: ['healthPaths'], set: (s, v) => (s['healthCheck'] = { path: v }) },
  { id: 'health-port', pools: ['ports'], set: (s, v) => (s['healthCheck'] = { path: '/healthz', port: v }) },
  { id: 'container-port', pools: ['ports'], set: (s, v) => (s['ports'] = [{ name: 'http', containerPort: v }]) },
];

function baseSpec(): Spec {
  return {
    apiVersion: 'serve-revisions/v1',
    kind: 'Revision',
    service: 'oracle',
    message: 'differential test',
    image: 'ghcr.io/acme/oracle:1.0.0',
    resources: { cpu: '100m', memory: '128Mi' },
    ports: [{ name: 'http', containerPort: 8080 }],
  };
}

interface Case {
  id: string;
  field: Field;
  value: unknown;
  spec: Spec;
  findings: SpecFinding[];
  toolAccepts: boolean;
}

interface Verdict {
  id: string;
  ok: boolean;
  reasons?: string[];
}

/**
 * This tool's own rules, stricter than Kubernetes on purpose. Each says which disagreements it
 * covers and why; a disagreement no policy covers fails the test.
 */
interface Policy {
  id: string;
  why: string;
  covers: (c: Case) => boolean;
}

const errorCodes = (c: Case): string[] => c.findings.filter((f) => f.severity === 'error').map((f) => f.code);
const onlyCodes = (c: Case, codes: string[]): boolean => errorCodes(c).length > 0 && errorCodes(c).every((code) => codes.includes(code));

const Policies: Policy[] = [
  {
    id: 'service-name-length',
    why: 'service names stop at 55 characters so that every derived object name, "<service>-r<revision>", fits 63 characters up to revision 999999; Kubernetes alone would take up to 60 for revision 1',
    covers: (c) => c.field.id === 'service' && onlyCodes(c, ['service-name-length']),
  },
  {
    id: 'quantity-exponent',
    why: "decimal exponents beyond ±1000 are refused: no amount needs them, Kubernetes wraps the exponent to 32 bits (1e4294967296 reads as 1) and its parser slows with the exponent until it never returns",
    covers: (c) => ['cpu', 'memory', 'size-limit'].includes(c.field.id) && readQuantity(c.value as string) === 'exponent',
  },
  {
    id: 'cpu-range',
    why: 'CPU must be at least 1m (Kubernetes schedules whole millicores and would give 1m; 0 starves the server) and at most 4096 cores (no node has more, the pods would stay Pending)',
    covers: (c) => c.field.id === 'cpu' && onlyCodes(c, ['cpu-positive', 'cpu-precision', 'cpu-too-large']),
  },
  {
    id: 'memory-zero',
    why: 'memory 0 is refused: no server runs in none (Kubernetes accepts it and the pod is killed for memory at start)',
    covers: (c) => c.field.id === 'memory' && onlyCodes(c, ['memory-positive']),
  },
  {
    id: 'empty-optional-value',
    why: 'an empty port name, service account name, emptyDir size limit or health check path is refused as a likely mistake; leaving the field out says the same to Kubernetes (which drops or defaults the empty value)',
    covers: (c) => c.value === '' && ['port-name', 'service-account', 'size-limit', 'health-path'].includes(c.field.id) && onlyCodes(c, ['schema-minLength', 'size-limit-quantity']),
  },
  {
    id: 'gpu-standard-resource',
    why: 'resources.gpu.resourceName must be an extended resource a device plugin advertises; a standard resource name (cpu, memory, ephemeral-storage) is accepted by Kubernetes but would silently replace the revision\'s own CPU or memory request with the GPU count',
    covers: (c) => c.field.id === 'gpu-resource-name' && typeof c.value === 'string' && !c.value.includes('/') && onlyCodes(c, ['gpu-resource-name']),
  },
];

/** specoracle from the control plane's build folder (the cluster's env file names it). */
function oracleBinary(): string {
  const dir = process.env['SERVE_REVISIONS_CLUSTER_DIR'];
  const folder = process.env['SERVE_REVISIONS_CLUSTER_BIN'] ?? (dir ? readFileSync(join(dir, 'bin'), 'utf8').trim() : undefined);
  if (!folder) throw new Error('SERVE_REVISIONS_CLUSTER_BIN is not set: run the integration tests through "npm test -- integration".');
  const bin = join(folder, 'specoracle');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: cluster/build.sh builds it with the control plane.`);
  return bin;
}

/** Sends every case's objects to specoracle and collects its verdicts. */
async function judge(requests: Array<{ id: string; objects: unknown[]; envNames?: string }>): Promise<Map<string, Verdict>> {
  const child = spawn(oracleBinary(), [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const verdicts = new Map<string, Verdict>();
  const lines = createInterface({ input: child.stdout });
  const done = new Promise<void>((resolve, reject) => {
    lines.on('line', (line) => {
      const verdict = JSON.parse(line) as Verdict;
      verdicts.set(verdict.id, verdict);
    });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`specoracle exited with ${code}`))));
  });
  for (const request of requests) {
    // The workload objects reach the API server by server-side apply, whose YAML-to-JSON step
    // escapes U+2028/U+2029 (Go's JSON encoder); send them the same way.
    const line = JSON.stringify(request).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
    if (!child.stdin.write(`${line}\n`)) await new Promise((resolve) => child.stdin.once('drain', resolve));
  }
  child.stdin.end();
  await done;
  return verdicts;
}

const show = (value: unknown): string => (typeof value === 'string' && value.length > 80 ? `${JSON.stringify(value.slice(0, 80))}… (${value.length} characters)` : JSON.stringify(value));

describe("the spec checker agrees with Kubernetes' own validation", function () {
  this.timeout(600_000);

  it('on every corpus value in every field it fits, apart from listed policies', async () => {
    const pools = corpus as unknown as Record<Pool, unknown[]>;
    const cases: Case[] = [];
    for (const field of Fields) {
      const values = [...new Set(field.pools.flatMap((p) => pools[p]))];
      values.forEach((value, n) => {
        const spec = baseSpec();
        field.set(spec, value);
        const options: CheckOptions = field.kubernetesVersion ? { kubernetesVersion: field.kubernetesVersion } : {};
        const findings = findSpecProblems(spec, options);
        cases.push({ id: `${field.id}#${n}`, field, value, spec, findings, toolAccepts: !findings.some((f) => f.severity === 'error') });
      });
    }
    const requests = cases.map((c) => {
      const namespace = typeof c.spec['namespace'] === 'string' ? c.spec['namespace'] : 'oracle';
      const objects = revisionObjectList(renderRevision(c.spec as unknown as RevisionSpec, { namespace, revision: 1, createdAt: '2026-01-01T00:00:00Z' }));
      return { id: c.id, objects, ...(c.field.envNames ? { envNames: c.field.envNames } : {}) };
    });
    const verdicts = await judge(requests);

    let agreements = 0;
    const byPolicy = new Map<string, number>();
    const unexplained: string[] = [];
    for (const c of cases) {
      const verdict = verdicts.get(c.id);
      assert.ok(verdict, `no verdict for ${c.id}`);
      if (verdict.ok === c.toolAccepts) {
        agreements++;
        continue;
      }
      const policy = !c.toolAccepts ? Policies.find((p) => p.covers(c)) : undefined;
      if (policy) {
        byPolicy.set(policy.id, (byPolicy.get(policy.id) ?? 0) + 1);
        continue;
      }
      const side = c.toolAccepts ? 'checker accepts, Kubernetes refuses' : 'checker refuses, Kubernetes accepts';
      const why = c.toolAccepts ? (verdict.reasons ?? []).join(' | ').slice(0, 400) : c.findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`).join(' | ').slice(0, 400);
      unexplained.push(`${c.field.id} = ${show(c.value)}: ${side}: ${why}`);
    }
    const figures = [`${cases.length} cases (${Fields.length} fields), ${agreements} agree`, ...Policies.map((p) => `${byPolicy.get(p.id) ?? 0} under policy ${p.id}`), `${unexplained.length} unexplained`];
    console.log(`      ${figures.join('; ')}`);
    assert.deepEqual(unexplained.slice(0, 60), [], `${unexplained.length} disagreements no policy explains`);
  });

  it('refuses with a message that says when a refusal is this tool\'s rule', () => {
    // The policies' findings must not claim Kubernetes forbids what it accepts.
    const samples: Spec[] = [
      { ...baseSpec(), service: 'a'.repeat(60) },
      { ...baseSpec(), resources: { cpu: '100u', memory: '1Gi' } },
      { ...baseSpec(), resources: { cpu: '500M', memory: '1Gi' } },
      { ...baseSpec(), resources: { cpu: '0', memory: '1Gi' } },
      { ...baseSpec(), resources: { cpu: '1', memory: '0' } },
      { ...baseSpec(), resources: { cpu: '1e4294967296', memory: '1Gi' } },
      { ...baseSpec(), resources: { cpu: '1', memory: '1Gi', gpu: { count: 1, resourceName: 'memory' } } },
    ];
    for (const spec of samples) {
      const errors = findSpecProblems(spec).filter((f) => f.severity === 'error');
      assert.equal(errors.length, 1, JSON.stringify(errors));
      assert.match(errors[0]?.message ?? '', /this tool/, errors[0]?.message);
    }
  });
});
