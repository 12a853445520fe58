// Property: every quick fix the editor offers, once applied, clears the finding it was offered
// for (no finding of that code remains at that path, and no error at all is left there) and
// breaks nothing else in the YAML. Checked for every fix kind over thousands of inputs: the
// differential corpus's names, quantities, images and paths in every field that takes them.
import assert from 'node:assert/strict';
import { stringify } from 'yaml';
import corpus from '../../../fixtures/k8s-validation-corpus.json';
import { applyEdits, quickFixesFor } from '../../../../src/core/language/quickFixes';
import { diagnoseParsedSpec, parseSpecText, type SpecDiagnostic } from '../../../../src/core/spec/specDocument';

type Spec = Record<string, unknown>;

function base(): Spec {
  return {
    apiVersion: 'serve-revisions/v1',
    kind: 'Revision',
    service: 'iris',
    message: 'quick fix property',
    image: 'ghcr.io/acme/iris:1.0.0',
    resources: { cpu: '500m', memory: '1Gi' },
    ports: [{ name: 'http', containerPort: 3000 }],
  };
}

const Setters: Record<string, { pool: 'names' | 'quantities' | 'images' | 'mountPaths'; set: (s: Spec, v: unknown) => void }> = {
  service: { pool: 'names', set: (s, v) => (s['service'] = v) },
  serviceAccountName: { pool: 'names', set: (s, v) => (s['serviceAccountName'] = v) },
  envName: { pool: 'names', set: (s, v) => (s['env'] = [{ name: v, value: 'x' }]) },
  secretName: { pool: 'names', set: (s, v) => (s['env'] = [{ name: 'A', secretKeyRef: { name: v, key: 'k' } }]) },
  secretKey: { pool: 'names', set: (s, v) => (s['env'] = [{ name: 'A', secretKeyRef: { name: 's', key: v } }]) },
  configMapName: { pool: 'names', set: (s, v) => (s['volumes'] = [{ name: 'code', mountPath: '/code', configMap: { name: v } }]) },
  configMapKey: { pool: 'names', set: (s, v) => (s['env'] = [{ name: 'A', configMapKeyRef: { name: 'c', key: v } }]) },
  volumeSecret: { pool: 'names', set: (s, v) => (s['volumes'] = [{ name: 'tls', mountPath: '/tls', secret: { secretName: v } }]) },
  claimName: { pool: 'names', set: (s, v) => (s['volumes'] = [{ name: 'models', mountPath: '/models', persistentVolumeClaim: { claimName: v } }]) },
  volumeName: { pool: 'names', set: (s, v) => (s['volumes'] = [{ name: v, mountPath: '/scratch', emptyDir: {} }]) },
  portName: { pool: 'names', set: (s, v) => (s['ports'] = [{ name: v, containerPort: 3000 }]) },
  gpuMetricName: { pool: 'names', set: (s, v) => ((s['resources'] = { cpu: '1', memory: '1Gi', gpu: { count: 1 } }), (s['autoscaling'] = { minReplicas: 1, maxReplicas: 2, metric: 'gpu', gpuMetricName: v })) },
  envText: { pool: 'names', set: (s, v) => (s['env'] = [`${String(v)}=value`, String(v)]) },
  secretLiteral: { pool: 'names', set: (s, v) => (s['env'] = [{ name: `${String(v).replace(/[^A-Za-z0-9_]/g, '')}_TOKEN`, value: `hf_${'a'.repeat(24)}` }]) },
  cpu: { pool: 'quantities', set: (s, v) => (s['resources'] = { cpu: v, memory: '1Gi' }) },
  memory: { pool: 'quantities', set: (s, v) => (s['resources'] = { cpu: '1', memory: v }) },
  memoryNumber: { pool: 'quantities', set: (s, v) => (s['resources'] = { cpu: '1', memory: Number.isFinite(Number(v)) ? Number(v) : v }) },
  image: { pool: 'images', set: (s, v) => (s['image'] = v) },
  mountPath: { pool: 'mountPaths', set: (s, v) => (s['volumes'] = [{ name: 'vol', mountPath: v, emptyDir: {} }]) },
  healthPath: { pool: 'mountPaths', set: (s, v) => (s['healthCheck'] = { path: v }) },
};

/** Specs that need whole-text fixes: a missing field, an empty block, min > max, an empty file. */
function structuralTexts(): string[] {
  const texts: string[] = ['', '# nothing yet\n'];
  const spec = base();
  for (const field of ['apiVersion', 'kind', 'service', 'message', 'image']) {
    const copy = { ...spec };
    delete copy[field];
    texts.push(stringify(copy));
  }
  texts.push(stringify(spec).replace(/resources:\n( {2}.*\n)+/, 'resources:\n'));
  texts.push(stringify({ ...spec, resources: { cpu: '1' } }), stringify({ ...spec, resources: { memory: '1Gi' } }));
  for (const [min, max] of [[5, 2], [1000, 1], [2, 1]]) texts.push(stringify({ ...spec, autoscaling: { minReplicas: min, maxReplicas: max, metric: 'cpu' } }));
  texts.push(stringify({ ...spec, autoscaling: { minReplicas: 9, maxReplicas: 3, metric: 'cpu' } }, { collectionStyle: 'flow' }));
  texts.push(`${stringify(spec)}env:\n  - { name: API_KEY, value: sk-${'b'.repeat(30)} }\n`);
  return texts;
}

const samePath = (a: SpecDiagnostic, b: SpecDiagnostic): boolean => JSON.stringify(a.path ?? null) === JSON.stringify(b.path ?? null);

describe('quick fixes clear what they are offered for', function () {
  this.timeout(120_000);

  it('for every fix kind over thousands of inputs', () => {
    const pools = corpus as unknown as Record<string, unknown[]>;
    const texts = [...structuralTexts()];
    for (const setter of Object.values(Setters)) {
      for (const value of pools[setter.pool] ?? []) {
        if (typeof value === 'string' && value.length > 300) continue;
        const spec = base();
        setter.set(spec, value);
        texts.push(stringify(spec, { lineWidth: 0 }));
      }
    }
    const applied = new Map<string, number>();
    const failures: string[] = [];
    for (const text of texts) {
      const parsed = parseSpecText(text);
      for (const diagnostic of diagnoseParsedSpec(parsed)) {
        for (const fix of quickFixesFor(parsed, diagnostic)) {
          const fixed = applyEdits(text, fix.edits);
          const after = diagnoseParsedSpec(parseSpecText(fixed));
          const kind = `${diagnostic.code}: ${fix.title.replace(/"[^"]*"|\S*[0-9]\S*|[A-Z_]{3,}\S*/g, '…')}`;
          applied.set(diagnostic.code, (applied.get(diagnostic.code) ?? 0) + 1);
          const left = after.filter((d) => (d.code === diagnostic.code && samePath(d, diagnostic)) || (d.severity === 'error' && diagnostic.path !== undefined && samePath(d, diagnostic)) || d.code.startsWith('yaml-'));
          if (left.length > 0 && failures.length < 30) failures.push(`${kind}\n  ${JSON.stringify(text)}\n  → ${JSON.stringify(fixed)}\n  still: ${left.map((d) => `${d.code} ${d.message}`).join(' | ')}`);
        }
      }
    }
    console.log(`      ${texts.length} inputs; fixes applied per finding: ${[...applied].map(([code, n]) => `${code} ${n}`).join(', ')}`);
    assert.deepEqual(failures, []);
    // Every kind of fix was exercised.
    for (const code of ['schema-required', 'schema-type', 'empty-spec', 'autoscaling-min-max', 'env-secret-literal', 'env-item-text', 'memory-tiny', 'memory-quantity', 'cpu-quantity', 'cpu-too-large', 'service-name', 'service-name-length', 'secret-name', 'secret-key', 'configmap-name', 'configmap-key', 'claim-name', 'volume-name', 'port-name', 'env-name', 'service-account-name', 'gpu-metric-name', 'image-reference', 'mount-path-relative', 'mount-path-dotdot', 'health-path']) {
      assert.ok((applied.get(code) ?? 0) > 0, `no fix for ${code} was applied`);
    }
  });
});
