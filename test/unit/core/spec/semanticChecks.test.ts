import assert from 'node:assert/strict';
import { checkSpec, type SpecFinding } from '../../../../src/core/spec/semanticChecks';
import { findSpecProblems } from '../../../../src/core/spec/validateSpec';

function base(): Record<string, unknown> {
  return {
    apiVersion: 'serve-revisions/v1',
    kind: 'Revision',
    service: 'iris',
    message: 'test',
    image: 'ghcr.io/acme/iris:1.0.0',
    resources: { cpu: '1', memory: '2Gi' },
    ports: [{ name: 'http', containerPort: 3000, protocol: 'http' }],
  };
}

function codes(findings: SpecFinding[]): string[] {
  return findings.map((f) => f.code);
}

describe('semantic checks', () => {
  it('finds nothing in a good spec', () => {
    assert.deepEqual(findSpecProblems(base()), []);
  });

  it('rejects service names that are not DNS-1035 labels, suggesting one', () => {
    const [finding] = checkSpec({ ...base(), service: 'My_Model' });
    assert.equal(finding?.code, 'service-name');
    assert.deepEqual(finding?.path, ['service']);
    assert.match(finding?.message ?? '', /service "My_Model" is not a valid name.*"my-model"/);
    assert.equal(checkSpec({ ...base(), service: '1-bad' })[0]?.code, 'service-name');
  });

  it('keeps derived object names within 63 characters', () => {
    const long = `a${'b'.repeat(55)}`;
    const [finding] = checkSpec({ ...base(), service: long });
    assert.equal(finding?.code, 'service-name-length');
    assert.match(finding?.message ?? '', /at most 55/);
    assert.deepEqual(checkSpec({ ...base(), service: `a${'b'.repeat(54)}` }), []);
  });

  it('rejects memory that is not a quantity and suggests Gi or G', () => {
    const [finding] = checkSpec({ ...base(), resources: { cpu: '1', memory: '8GB' } });
    assert.equal(finding?.code, 'memory-quantity');
    assert.match(finding?.message ?? '', /resources\.memory "8GB".*"8Gi" or "8G"/);
    assert.deepEqual(finding?.fixes?.map((f) => (f.kind === 'replaceValue' ? f.value : undefined)), ['8Gi', '8G']);
  });

  it('warns about memory given in bytes by mistake', () => {
    assert.deepEqual(codes(checkSpec({ ...base(), resources: { cpu: '1', memory: 512 } })), ['memory-tiny']);
  });

  it('rejects CPU that is not a quantity or not positive', () => {
    assert.deepEqual(codes(checkSpec({ ...base(), resources: { cpu: '2 cores', memory: '1Gi' } })), ['cpu-quantity']);
    assert.deepEqual(codes(checkSpec({ ...base(), resources: { cpu: 0, memory: '1Gi' } })), ['cpu-positive']);
  });

  it('checks autoscaling bounds and that a GPU metric has a GPU', () => {
    const swapped = checkSpec({ ...base(), autoscaling: { minReplicas: 5, maxReplicas: 2, metric: 'cpu' } });
    assert.deepEqual(codes(swapped), ['autoscaling-min-max']);
    assert.equal(swapped[0]?.fixes?.[0]?.kind, 'swapValues');
    assert.deepEqual(codes(checkSpec({ ...base(), autoscaling: { minReplicas: 1, maxReplicas: 2, metric: 'gpu' } })), ['gpu-metric-without-gpu']);
    assert.deepEqual(checkSpec({ ...base(), resources: { cpu: '1', memory: '1Gi', gpu: { count: 1 } }, autoscaling: { minReplicas: 1, maxReplicas: 2, metric: 'gpu' } }), []);
    // max ≥ 1 is the schema's minimum.
    assert.ok(findSpecProblems({ ...base(), autoscaling: { minReplicas: 1, maxReplicas: 0, metric: 'cpu' } }).some((f) => f.message === 'autoscaling.maxReplicas must be at least 1'));
  });

  it('checks port ranges, duplicates and names', () => {
    const findings = checkSpec({
      ...base(),
      ports: [
        { name: 'http', containerPort: 70000 },
        { name: 'http', containerPort: 8080 },
        { name: 'metrics', containerPort: 8080 },
        { containerPort: 9000 },
      ],
    });
    assert.deepEqual(codes(findings), ['port-range', 'port-name-duplicate', 'port-duplicate', 'port-name-required']);
    assert.deepEqual(findings[0]?.path, ['ports', 0, 'containerPort']);
    assert.deepEqual(codes(checkSpec({ ...base(), ports: [{ name: 'Http_Port', containerPort: 80 }] })), ['port-name']);
  });

  it('checks environment variable names and duplicates', () => {
    const findings = checkSpec({ ...base(), env: [{ name: '1ST', value: 'a' }, { name: 'MODE', value: 'a' }, { name: 'MODE', value: 'b' }] });
    assert.deepEqual(codes(findings), ['env-name', 'env-duplicate']);
  });

  it('warns when a literal value looks like a secret and offers a Secret reference', () => {
    const findings = checkSpec({ ...base(), env: [{ name: 'HF_TOKEN', value: 'hf_abcdefghijklmnopqrstuvwxyz' }, { name: 'DB_PASSWORD', value: 'hunter2' }, { name: 'OPENAI_KEY', value: 'sk-abcdefghijklmnopqrstuvwxyz012345' }] });
    assert.deepEqual(codes(findings), ['env-secret-literal', 'env-secret-literal', 'env-secret-literal']);
    assert.equal(findings[0]?.severity, 'warning');
    assert.equal(findings[0]?.fixes?.[0]?.kind, 'useSecretRef');
    // A harmless value under a secret-sounding name that is clearly a placeholder is fine.
    assert.deepEqual(checkSpec({ ...base(), env: [{ name: 'TOKEN_TTL', value: '3600' }, { name: 'MODEL', value: 'hf_hub' }] }), []);
  });

  it('checks mount paths, volume names and subPath', () => {
    const findings = checkSpec({
      ...base(),
      volumes: [
        { name: 'models', mountPath: 'models', emptyDir: {} },
        { name: 'data', mountPath: '/data', emptyDir: {} },
        { name: 'data', mountPath: '/data/', subPath: '../etc', emptyDir: { sizeLimit: '10GB' } },
      ],
    });
    assert.deepEqual(codes(findings), ['mount-path-relative', 'volume-name-duplicate', 'mount-path-duplicate', 'sub-path', 'size-limit-quantity']);
  });

  it('checks image references', () => {
    assert.deepEqual(codes(checkSpec({ ...base(), image: 'GHCR.io/Acme/Iris:1' })), ['image-reference']);
    assert.deepEqual(codes(checkSpec({ ...base(), image: 'iris model:1' })), ['image-reference']);
    assert.deepEqual(codes(checkSpec({ ...base(), image: 'ghcr.io/acme/iris' })), ['image-unpinned']);
    assert.deepEqual(codes(checkSpec({ ...base(), image: 'iris:latest' })), ['image-unpinned']);
    for (const good of ['localhost:5000/iris:1', 'iris@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'nvcr.io/nvidia/tritonserver:24.08-py3']) {
      assert.deepEqual(checkSpec({ ...base(), image: good }), [], good);
    }
  });

  it('checks the health check against the ports', () => {
    assert.deepEqual(codes(checkSpec({ ...base(), healthCheck: { path: 'healthz', port: 'web' } })), ['health-path', 'health-port-name']);
    assert.deepEqual(codes(checkSpec({ ...base(), healthCheck: { port: 9999 } })), ['health-port-unknown']);
  });

  it('leaves values of the wrong type to the schema instead of crashing', () => {
    const weird = { ...base(), service: 42, resources: 'big', ports: 'all', env: [null, 3, { name: 7 }], volumes: {}, autoscaling: [] };
    assert.deepEqual(checkSpec(weird), []);
    assert.ok(findSpecProblems(weird).length >= 4);
  });
});
