import assert from 'node:assert/strict';
import type { V1Node, V1Pod, V1ResourceQuota } from '@kubernetes/client-node';
import { renderRevision } from '../../../../src/core/kube/renderObjects';
import { checkFit, fitWarning, type FitFacts, type PodPlan } from '../../../../src/core/observe/fitCheck';
import { amountOf, formatAmount } from '../../../../src/core/observe/resourceAmounts';
import type { RevisionSpec } from '../../../../src/core/spec/revisionSpec';

/** The nodes of the local cluster (cluster/manifests/nodes.yaml). */
function node(name: string, allocatable: Record<string, string>, labels: Record<string, string> = {}, extra: Partial<V1Node['spec']> = {}): V1Node {
  return { metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } }, spec: { ...extra }, status: { allocatable, conditions: [{ type: 'Ready', status: 'True' }] } };
}
const cpu0 = node('kwok-cpu-0', { cpu: '32', memory: '128Gi', pods: '110' });
const cpu1 = node('kwok-cpu-1', { cpu: '32', memory: '128Gi', pods: '110' });
const gpu0 = node('kwok-gpu-0', { cpu: '96', memory: '1Ti', pods: '110', 'nvidia.com/gpu': '8' }, { 'nvidia.com/gpu.product': 'NVIDIA-A100-SXM4-80GB' });

function pod(name: string, nodeName: string | undefined, requests: Record<string, string>, phase = 'Running', uid = name): V1Pod {
  return { metadata: { name, uid }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'main', resources: { requests, limits: requests } }] }, status: { phase } };
}

function plan(changes: Partial<RevisionSpec>): PodPlan {
  const spec: RevisionSpec = { apiVersion: 'serve-revisions/v1', kind: 'Revision', service: 'llama', message: 'm', image: 'vllm/vllm-openai:v0.6.3', resources: { cpu: '1', memory: '2Gi' }, ...changes };
  const d = renderRevision(spec, { namespace: 'ml', revision: 1 }).deployment;
  return { replicas: d.spec?.replicas ?? 1, spec: d.spec?.template.spec ?? { containers: [] } };
}

const facts = (extra: Partial<FitFacts> = {}): FitFacts => ({ namespace: 'ml', nodes: [cpu0, cpu1, gpu0], pods: [], quotas: [], ...extra });

describe('resource amounts', () => {
  it('counts CPU in millicores and everything else in whole units, rounding up', () => {
    assert.equal(amountOf('cpu', '1'), 1000);
    assert.equal(amountOf('cpu', '250m'), 250);
    assert.equal(amountOf('cpu', '0.0015'), 2);
    assert.equal(amountOf('memory', '1Gi'), 2 ** 30);
    assert.equal(amountOf('memory', '1.5G'), 1.5e9);
    assert.equal(amountOf('nvidia.com/gpu', '4'), 4);
    assert.equal(amountOf('memory', 'lots'), 0);
    assert.equal(formatAmount('cpu', 31500), '31.5');
    assert.equal(formatAmount('cpu', 500), '500m');
    assert.equal(formatAmount('memory', 2 ** 30 * 127.5), '127.5Gi');
  });
});

describe('fit check', () => {
  it('fits a small revision on an empty cluster, with room counted over the nodes', () => {
    const verdict = checkFit(plan({ replicas: 3 }), facts());
    assert.equal(verdict.fits, true);
    assert.deepEqual(verdict.problems, []);
    // 32 + 32 + 96 CPUs at 1 CPU a pod, capped by 110 pods per node.
    assert.equal(verdict.room, 32 + 32 + 96);
  });

  it('names the GPU shortage with the node that has the most free, counting what runs there', () => {
    const busy = [pod('other-0', 'kwok-gpu-0', { 'nvidia.com/gpu': '6', cpu: '1' })];
    const verdict = checkFit(plan({ resources: { cpu: '4', memory: '16Gi', gpu: { count: 4 } } }), facts({ pods: busy }));
    assert.equal(verdict.fits, false);
    assert.deepEqual(verdict.problems, ['needs 4 × nvidia.com/gpu on one node; the most free is 2, on kwok-gpu-0']);
    assert.equal(fitWarning('#1 of llama', verdict), '#1 of llama may not fit: needs 4 × nvidia.com/gpu on one node; the most free is 2, on kwok-gpu-0. Its pods would wait until room is made.');
  });

  it('does not count finished pods, nor the revision\'s own pods, as taken', () => {
    const done = pod('job', 'kwok-gpu-0', { 'nvidia.com/gpu': '8' }, 'Succeeded');
    const own = pod('llama-r1-abc', 'kwok-gpu-0', { 'nvidia.com/gpu': '8' }, 'Running', 'own-uid');
    const verdict = checkFit(plan({ resources: { cpu: '1', memory: '1Gi', gpu: { count: 8 } } }), facts({ pods: [done, own], ownPods: [own] }));
    assert.equal(verdict.fits, true, verdict.problems.join('; '));
  });

  it('counts replicas against what is left: room for some but not all', () => {
    const verdict = checkFit(plan({ replicas: 3, resources: { cpu: '1', memory: '1Gi', gpu: { count: 4 } } }), facts());
    assert.equal(verdict.fits, false);
    assert.equal(verdict.room, 2);
    assert.match(verdict.problems[0] ?? '', /^the nodes have room for 2 of its 3 replicas \(each needs 1 CPU, 1Gi of memory, 4 × nvidia\.com\/gpu\)$/);
  });

  it('says when no node has the GPU product the revision selects', () => {
    const verdict = checkFit(plan({ resources: { cpu: '1', memory: '1Gi', gpu: { count: 1, product: 'NVIDIA-H100-80GB-HBM3' } } }), facts());
    assert.equal(verdict.fits, false);
    assert.deepEqual(verdict.problems, ['no node has the label nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3 its pods select (nodes have nvidia.com/gpu.product=NVIDIA-A100-SXM4-80GB)']);
  });

  it('says when a resource no node offers is asked for', () => {
    const verdict = checkFit(plan({ resources: { cpu: '1', memory: '1Gi', gpu: { count: 1, resourceName: 'amd.com/gpu' } } }), facts());
    assert.deepEqual(verdict.problems, ['needs 1 × amd.com/gpu, which no node it could use offers']);
  });

  it('respects taints the pods do not tolerate, and cordoned nodes', () => {
    const tainted = node('kwok-gpu-0', { cpu: '96', memory: '1Ti', pods: '110', 'nvidia.com/gpu': '8' }, {}, { taints: [{ key: 'dedicated', value: 'training', effect: 'NoSchedule' }] });
    const cordoned = node('kwok-cpu-0', { cpu: '32', memory: '128Gi', pods: '110' }, {}, { unschedulable: true });
    const verdict = checkFit(plan({ resources: { cpu: '1', memory: '1Gi', gpu: { count: 1 } } }), facts({ nodes: [tainted, cordoned] }));
    assert.deepEqual(verdict.problems, ['every node it could use has a taint it does not tolerate: kwok-gpu-0 (dedicated=training:NoSchedule)']);
    // The GPU taint itself is tolerated: renderObjects adds a toleration for the GPU resource name.
    const gpuTaint = node('kwok-gpu-0', { cpu: '96', memory: '1Ti', pods: '110', 'nvidia.com/gpu': '8' }, {}, { taints: [{ key: 'nvidia.com/gpu', effect: 'NoSchedule' }] });
    assert.equal(checkFit(plan({ resources: { cpu: '1', memory: '1Gi', gpu: { count: 1 } } }), facts({ nodes: [gpuTaint] })).fits, true);
  });

  it('names the CPU and memory a pod needs beyond any node', () => {
    const verdict = checkFit(plan({ resources: { cpu: '100', memory: '2Ti' } }), facts());
    assert.deepEqual(verdict.problems, ['needs 100 CPU on one node; the most free is 96, on kwok-gpu-0', 'needs 2Ti of memory on one node; the most free is 1Ti, on kwok-gpu-0']);
  });

  it('checks the namespace quota with what is used, the revision\'s own pods aside', () => {
    const quota: V1ResourceQuota = { metadata: { name: 'two-cpus' }, spec: { hard: { 'requests.cpu': '2', pods: '10' } }, status: { hard: { 'requests.cpu': '2', pods: '10' }, used: { 'requests.cpu': '1500m', pods: '2' } } };
    const verdict = checkFit(plan({ replicas: 2, resources: { cpu: '500m', memory: '1Gi' } }), facts({ quotas: [quota] }));
    assert.deepEqual(verdict.problems, ['needs requests.cpu 1 in namespace "ml", but ResourceQuota "two-cpus" leaves 500m of 2']);
    const own = pod('llama-r1-a', 'kwok-cpu-0', { cpu: '500m' }, 'Running', 'own');
    assert.equal(checkFit(plan({ replicas: 2, resources: { cpu: '500m', memory: '1Gi' } }), facts({ quotas: [quota], ownPods: [own] })).fits, true);
  });

  it('keeps what it could not read as notes, not failures', () => {
    const verdict = checkFit(plan({}), { namespace: 'ml', nodesProblem: 'forbidden (needs list on nodes)', quotaProblem: 'forbidden (needs list on resourcequotas)' });
    assert.equal(verdict.fits, true);
    assert.deepEqual(verdict.notes, ['Node capacity was not checked: forbidden (needs list on nodes)', 'Quotas were not checked: forbidden (needs list on resourcequotas)']);
  });
});
