import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { Labels } from '../../../../src/core/kube/labels';
import { renderRevision, revisionObjectList } from '../../../../src/core/kube/renderObjects';
import type { RevisionSpec } from '../../../../src/core/spec/revisionSpec';
import { parseSpecText } from '../../../../src/core/spec/specDocument';

const examples = join(process.cwd(), 'examples');
const golden = join(process.cwd(), 'test/fixtures/golden');
const options = { namespace: 'ml-serving', revision: 3, recordUid: '6f1c2a9e-3b7d-4e21-9a55-0d8c4f2b7e11', createdAt: '2026-11-28T09:30:00Z', createdBy: 'alice@example.com' };

function load(file: string): RevisionSpec {
  return parseSpecText(readFileSync(join(examples, file), 'utf8')).value as RevisionSpec;
}

describe('rendering a spec into Kubernetes objects', () => {
  for (const file of readdirSync(examples).filter((f) => f.endsWith('.revision.yaml'))) {
    it(`matches the golden objects for ${file}`, () => {
      const rendered = revisionObjectList(renderRevision(load(file), options)).map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
      const path = join(golden, file.replace('.revision.yaml', '.objects.yaml'));
      // UPDATE_GOLDEN=1 rewrites the files; review the diff before committing it.
      if (process.env['UPDATE_GOLDEN'] === '1') writeFileSync(path, rendered);
      assert.equal(rendered, readFileSync(path, 'utf8'));
    });
  }

  it('requests the GPU and scales on the GPU Pods metric for the LLM example', () => {
    const objects = renderRevision(load('llama-vllm-gpu.revision.yaml'), options);
    const container = objects.deployment.spec?.template.spec?.containers[0];
    assert.equal(container?.resources?.requests?.['nvidia.com/gpu'], '1');
    assert.equal(container?.resources?.limits?.['nvidia.com/gpu'], '1');
    assert.deepEqual(objects.deployment.spec?.template.spec?.nodeSelector, { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' });
    assert.equal(objects.autoscaler?.spec?.minReplicas, 1);
    assert.equal(objects.autoscaler?.spec?.maxReplicas, 4);
    assert.equal(objects.autoscaler?.spec?.metrics?.[0]?.pods?.metric.name, 'DCGM_FI_DEV_GPU_UTIL');
    assert.equal(objects.service.spec?.ports?.[0]?.port, 8000);
  });

  it('uses the configured GPU resource name when the spec names none', () => {
    const spec = load('whisper-volumes.revision.yaml');
    const objects = renderRevision(spec, { ...options, defaultGpuResourceName: 'amd.com/gpu' });
    assert.equal(objects.deployment.spec?.template.spec?.containers[0]?.resources?.requests?.['amd.com/gpu'], '1');
  });

  it('labels every object and points per-revision objects at the record', () => {
    const objects = renderRevision(load('whisper-volumes.revision.yaml'), options);
    for (const object of [objects.record, objects.deployment, objects.service, objects.autoscaler]) {
      assert.equal(object?.metadata?.labels?.[Labels.managedBy], 'serve-revisions');
      assert.equal(object?.metadata?.labels?.[Labels.service], 'whisper-asr');
      assert.equal(object?.metadata?.labels?.[Labels.revision], '3');
    }
    for (const object of [objects.deployment, objects.service, objects.autoscaler]) {
      assert.deepEqual(object?.metadata?.ownerReferences?.map((o) => [o.kind, o.name, o.uid]), [['ConfigMap', 'whisper-asr-r3', options.recordUid]]);
    }
    assert.equal(objects.record.immutable, true);
    assert.equal(objects.stableService.metadata?.labels?.[Labels.revision], undefined);
  });

  it('runs a shell line through /bin/sh and a list as is', () => {
    const iris = renderRevision(load('iris-bentoml.revision.yaml'), options);
    assert.deepEqual(iris.deployment.spec?.template.spec?.containers[0]?.command?.slice(0, 2), ['/bin/sh', '-c']);
    assert.equal(iris.autoscaler, undefined);
    assert.equal(iris.deployment.spec?.replicas, 2);
  });

  it('renders the smallest spec with the documented default port, and stores what it rendered', () => {
    const minimal = { apiVersion: 'serve-revisions/v1', kind: 'Revision', service: 'tiny', message: 'smallest', image: 'ghcr.io/acme/tiny:1.0.0' } as RevisionSpec;
    const objects = renderRevision(minimal, options);
    for (const service of [objects.service, objects.stableService]) {
      assert.deepEqual(service.spec?.ports?.map((p) => [p.name, p.port, p.targetPort, p.appProtocol]), [['http', 8080, 'http', 'http']]);
    }
    assert.deepEqual(objects.deployment.spec?.template.spec?.containers[0]?.ports?.map((p) => [p.name, p.containerPort]), [['http', 8080]]);
    const stored = parse(objects.record.data?.['spec.yaml'] ?? '') as RevisionSpec;
    assert.deepEqual(stored.ports, [{ name: 'http', containerPort: 8080, protocol: 'http' }]);
    assert.deepEqual(stored.resources, { cpu: '1', memory: '2Gi' });
    assert.equal(stored.replicas, 1);
    // Starting the stored record again renders exactly the same objects.
    assert.deepEqual(renderRevision(stored, options).deployment, objects.deployment);
    assert.deepEqual(renderRevision(stored, options).service, objects.service);
  });
});

