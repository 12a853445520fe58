import assert from 'node:assert/strict';
import { checkSpec, type CheckOptions, type SpecFinding } from '../../../../src/core/spec/semanticChecks';
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
    const findings = checkSpec({ ...base(), env: [{ name: 'A=B', value: 'a' }, { name: 'MODE', value: 'a' }, { name: 'MODE', value: 'b' }] });
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

  describe('what the cluster refuses or can never run (issue 12)', () => {
    const at = (spec: Record<string, unknown>, code: string): SpecFinding | undefined => findSpecProblems(spec).find((f) => f.code === code);
    const errors = (spec: Record<string, unknown>, options?: CheckOptions): string[] => findSpecProblems(spec, options).filter((f) => f.severity === 'error').map((f) => f.code);

    it('checks the names and keys of referenced Secrets and ConfigMaps', () => {
      assert.deepEqual(errors({ ...base(), env: [{ name: 'HF_TOKEN', secretKeyRef: { name: 'HF_Token', key: 'token' } }] }), ['secret-name']);
      assert.deepEqual(errors({ ...base(), env: [{ name: 'TGI', configMapKeyRef: { name: 'TGI Settings', key: 'max' } }] }), ['configmap-name']);
      assert.deepEqual(errors({ ...base(), env: [{ name: 'HF_TOKEN', secretKeyRef: { name: 'hf-token', key: 'my key' } }] }), ['secret-key']);
      assert.deepEqual(errors({ ...base(), env: [{ name: 'TGI', configMapKeyRef: { name: 'tgi', key: '..' } }] }), ['configmap-key']);
      assert.deepEqual(errors({ ...base(), volumes: [{ name: 'tls', mountPath: '/tls', secret: { secretName: 'Gemma_TLS' } }] }), ['secret-name']);
      assert.deepEqual(errors({ ...base(), volumes: [{ name: 'code', mountPath: '/code', configMap: { name: 'code_v2' } }] }), ['configmap-name']);
      assert.deepEqual(errors({ ...base(), env: [{ name: 'K', secretKeyRef: { name: 'a.b-c', key: 'tls.crt' } }, { name: 'L', configMapKeyRef: { name: 'x', key: '.hidden_key-1' } }] }), []);
    });

    it('refuses a CPU amount no node has, offering millicores', () => {
      const finding = at({ ...base(), resources: { cpu: '500M', memory: '1Gi' } }, 'cpu-too-large');
      assert.equal(finding?.severity, 'error');
      assert.match(finding?.message ?? '', /this tool/);
      assert.deepEqual(finding?.fixes?.map((f) => (f.kind === 'replaceValue' ? f.value : undefined)), ['500m']);
    });

    it('checks gpuMetricName, sizeLimit signs and health check port ranges', () => {
      const gpu = { cpu: '1', memory: '1Gi', gpu: { count: 1 } };
      assert.ok(errors({ ...base(), resources: gpu, autoscaling: { minReplicas: 1, maxReplicas: 2, metric: 'gpu', gpuMetricName: '' } }).length > 0);
      assert.deepEqual(errors({ ...base(), resources: gpu, autoscaling: { minReplicas: 1, maxReplicas: 2, metric: 'gpu', gpuMetricName: 'dcgm/util' } }), ['gpu-metric-name']);
      assert.deepEqual(errors({ ...base(), resources: gpu, autoscaling: { minReplicas: 1, maxReplicas: 2, metric: 'gpu', gpuMetricName: '..' } }), ['gpu-metric-name']);
      assert.deepEqual(errors({ ...base(), volumes: [{ name: 'scratch', mountPath: '/scratch', emptyDir: { sizeLimit: '-1Gi' } }] }), ['size-limit-negative']);
      assert.deepEqual(errors({ ...base(), volumes: [{ name: 'scratch', mountPath: '/scratch', emptyDir: { sizeLimit: '0' } }] }), []);
      assert.deepEqual(errors({ ...base(), healthCheck: { port: 70000 } }), ['health-port-range']);
      assert.deepEqual(errors({ ...base(), healthCheck: { port: 0 } }), ['health-port-range']);
      assert.deepEqual(errors({ ...base(), healthCheck: { port: 'not a name' } }), ['health-port-name']);
    });

    it('reads signed binary suffixes, the exa suffix and huge exponents as Kubernetes does', () => {
      assert.deepEqual(errors({ ...base(), resources: { cpu: '1', memory: '-1Ei' } }), ['memory-positive']);
      assert.deepEqual(findSpecProblems({ ...base(), resources: { cpu: '1', memory: '1E' } }), []);
      assert.deepEqual(errors({ ...base(), resources: { cpu: '1', memory: '1e2147483648' } }), ['memory-quantity']);
      assert.deepEqual(errors({ ...base(), resources: { cpu: '1e2147483648', memory: '1Gi' } }), ['cpu-quantity']);
      assert.deepEqual(errors({ ...base(), resources: { cpu: ' 2 ', memory: '1Gi ' } }), [], 'the API server trims surrounding spaces of quantities');
      assert.deepEqual(errors({ ...base(), resources: { cpu: '1.', memory: '+1Gi' } }), []);
    });

    it('refuses GPU resource names Kubernetes refuses once prefixed with "requests."', () => {
      const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(58)}`;
      assert.equal(domain.length, 250);
      const spec = (resourceName: string) => ({ ...base(), resources: { cpu: '1', memory: '1Gi', gpu: { count: 1, resourceName } } });
      assert.deepEqual(errors(spec(`${domain}/gpu`)), ['gpu-resource-name']);
      assert.deepEqual(errors(spec(`${domain.slice(0, 240)}/gpu`)), []);
      assert.deepEqual(errors(spec('example.kubernetes.io/gpu')), ['gpu-resource-name']);
      assert.deepEqual(errors(spec('requests.example.com/gpu')), ['gpu-resource-name']);
    });

    it('parses image references as the kubelet does', () => {
      const hex = '0123456789abcdef'.repeat(4);
      const image = (value: string) => errors({ ...base(), image: value });
      assert.deepEqual(image(`iris@sha256:${hex.slice(1)}`), ['image-reference'], 'a sha256 digest has 64 hex digits');
      assert.deepEqual(image(`iris@sha256:${hex.toUpperCase()}`), ['image-reference'], 'digest hex is lowercase');
      assert.deepEqual(image(`iris@md5:${hex.slice(0, 32)}`), ['image-reference'], 'unknown algorithm');
      assert.deepEqual(image(`iris@sha512:${hex}${hex}`), []);
      assert.deepEqual(image(`${'a'.repeat(250)}:1`), ['image-reference'], '"library/" counts towards the 255 characters');
      assert.deepEqual(image(`ghcr.io/${'a'.repeat(250)}:1`), [], 'the registry does not count');
      assert.deepEqual(image('[::1]:5000/foo:1.0'), []);
      assert.deepEqual(image(' iris:1'), ['image-reference']);
    });

    it('accepts environment variable names under the relaxed rule, and follows an older cluster when told', () => {
      const spec = { ...base(), env: [{ name: '1a', value: 'x' }, { name: 'a b', value: 'x' }, { name: 'VAR:1', value: 'x' }] };
      assert.deepEqual(errors(spec), []);
      assert.deepEqual(errors(spec, { kubernetesVersion: 'v1.31.4' }), ['env-name', 'env-name', 'env-name']);
      assert.deepEqual(errors(spec, { kubernetesVersion: '1.32' }), []);
      assert.deepEqual(errors({ ...base(), env: [{ name: 'A=B', value: 'x' }] }), ['env-name']);
      assert.deepEqual(errors({ ...base(), env: [{ name: 'naïve', value: 'x' }] }), ['env-name']);
    });

    it('warns about a relative mount path, which the kubelet makes absolute', () => {
      const [finding] = checkSpec({ ...base(), volumes: [{ name: 'models', mountPath: 'models', emptyDir: {} }] });
      assert.equal(finding?.code, 'mount-path-relative');
      assert.equal(finding?.severity, 'warning');
    });

    it("says which refusals are this tool's own rule", () => {
      assert.match(at({ ...base(), resources: { cpu: '100u', memory: '1Gi' } }, 'cpu-precision')?.message ?? '', /this tool/);
      assert.match(at({ ...base(), service: `a${'b'.repeat(55)}` }, 'service-name-length')?.message ?? '', /this tool/);
    });
  });

  describe('messages that do not mislead (issue 12)', () => {
    it('offers memory fixes that are quantities', () => {
      const [finding] = checkSpec({ ...base(), resources: { cpu: '1', memory: '512m' } });
      assert.equal(finding?.code, 'memory-tiny');
      assert.deepEqual(finding?.fixes?.map((f) => (f.kind === 'replaceValue' ? f.value : undefined)), ['512Mi', '512M']);
    });

    it('tells a 64-character service name only about its length', () => {
      const [finding] = checkSpec({ ...base(), service: 'a'.repeat(64) });
      assert.equal(finding?.code, 'service-name-length');
    });

    it('does not take a path or a plain word for a secret', () => {
      const env = [
        { name: 'HF_TOKEN_PATH', value: '/var/run/secrets/hf/token' },
        { name: 'POSTGRES_PASSWORD_FILE', value: '/run/secrets/postgres' },
        { name: 'AUTH_PROVIDER', value: 'oidc' },
        { name: 'API_KEY_HEADER', value: 'X-Api-Key' },
      ];
      assert.deepEqual(checkSpec({ ...base(), env }), []);
      assert.deepEqual(codes(checkSpec({ ...base(), env: [{ name: 'DB_PASSWORD', value: 'hunter2' }] })), ['env-secret-literal']);
    });
  });
});

