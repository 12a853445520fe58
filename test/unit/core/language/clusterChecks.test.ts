import assert from 'node:assert/strict';
import { clusterDiagnostics, clusterFindings, preventsRunning, referencedNames } from '../../../../src/core/language/clusterChecks';
import { parseSpecText } from '../../../../src/core/spec/specDocument';

const text = `apiVersion: serve-revisions/v1
kind: Revision
service: llama
message: m
image: vllm/vllm-openai:v0.6.3
resources:
  cpu: "4"
  memory: 16Gi
  gpu:
    count: 16
env:
  - name: HF_TOKEN
    secretKeyRef:
      name: hf-token
      key: token
  - name: SETTINGS
    configMapKeyRef:
      name: llama-settings
      key: batch
ports:
  - containerPort: 8000
autoscaling:
  minReplicas: 1
  maxReplicas: 2
  metric: gpu
volumes:
  - name: weights
    mountPath: /models
    persistentVolumeClaim:
      claimName: llama-weights
serviceAccountName: model-reader
`;

describe('cluster-aware diagnostics', () => {
  it('lists the Secrets and ConfigMaps a spec references', () => {
    assert.deepEqual(referencedNames(parseSpecText(text).value), { secrets: ['hf-token'], configMaps: ['llama-settings'] });
  });

  it('warns on each missing object, on its name, and on what no node can satisfy', () => {
    const found = clusterDiagnostics(parseSpecText(text), {
      namespace: 'demo',
      context: 'local',
      secrets: [],
      configMaps: ['llama-settings'],
      configMapKeys: { 'llama-settings': ['max_batch'] },
      persistentVolumeClaims: [],
      serviceAccounts: ['default'],
      gpuCapacity: { 'nvidia.com/gpu': 8 },
      customMetricsServed: false,
    });
    const byCode = Object.fromEntries(found.map((d) => [d.code, d]));
    assert.deepEqual(Object.keys(byCode).sort(), ['cluster-configmap-key-missing', 'cluster-gpu-too-many', 'cluster-no-custom-metrics', 'cluster-pvc-missing', 'cluster-secret-missing', 'cluster-service-account-missing']);
    assert.ok(found.every((d) => d.severity === 'warning'));
    assert.deepEqual(byCode['cluster-secret-missing']?.range, { start: { line: 13, character: 12 }, end: { line: 13, character: 20 } });
    assert.match(byCode['cluster-secret-missing']?.message ?? '', /Secret "hf-token" does not exist in namespace "demo" of context "local"/);
    assert.match(byCode['cluster-configmap-key-missing']?.message ?? '', /has no key "batch"; its keys are "max_batch"/);
    assert.match(byCode['cluster-gpu-too-many']?.message ?? '', /largest node has 8 × "nvidia.com\/gpu"/);
    assert.equal(byCode['cluster-gpu-too-many']?.range.start.line, 9);
    assert.equal(byCode['cluster-no-custom-metrics']?.range.start.line, 24);
  });

  it('gives the same findings by field path, for the form, and says which mean the revision cannot run', () => {
    const parsed = parseSpecText(text);
    const facts = { namespace: 'demo', secrets: [], gpuCapacity: { 'nvidia.com/gpu': 8 }, customMetricsServed: false };
    const findings = clusterFindings(parsed.value, facts);
    assert.deepEqual(
      findings.map((f) => f.code),
      clusterDiagnostics(parsed, facts).map((d) => d.code),
    );
    assert.deepEqual(findings.find((f) => f.code === 'cluster-gpu-too-many')?.path, ['resources', 'gpu', 'count']);
    assert.ok(findings.every(preventsRunning), findings.map((f) => f.code).join(', '));
    assert.equal(preventsRunning({ code: 'env-name' }), false);
  });

  it('says nothing about what it could not read', () => {
    assert.deepEqual(clusterDiagnostics(parseSpecText(text), { namespace: 'demo' }), []);
  });

  it('warns when no node advertises the GPU resource at all', () => {
    const found = clusterDiagnostics(parseSpecText(text), { namespace: 'demo', gpuCapacity: { 'amd.com/gpu': 4 } });
    assert.equal(found[0]?.code, 'cluster-gpu-unavailable');
    assert.match(found[0]?.message ?? '', /nodes advertise "amd.com\/gpu"/);
  });

  it("checks environment variable names by the rule of the cluster's Kubernetes version", () => {
    const spec = 'apiVersion: serve-revisions/v1\nkind: Revision\nservice: iris\nmessage: m\nimage: ghcr.io/acme/iris:1.0.0\nenv:\n  - name: 1ST_TRY\n    value: x\n  - name: MODEL\n    value: y\n';
    const old = clusterDiagnostics(parseSpecText(spec), { namespace: 'demo', context: 'prod', kubernetesVersion: 'v1.31.4' });
    assert.deepEqual(old.map((d) => [d.code, d.severity, d.range.start.line]), [['env-name', 'error', 6]]);
    assert.match(old[0]?.message ?? '', /Kubernetes v1\.31\.4/);
    assert.deepEqual(clusterDiagnostics(parseSpecText(spec), { namespace: 'demo', kubernetesVersion: 'v1.34.4' }), []);
    assert.deepEqual(clusterDiagnostics(parseSpecText(spec), { namespace: 'demo' }), []);
  });
});

