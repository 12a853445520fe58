import assert from 'node:assert/strict';
import { AppsV1Api, CoreV1Api } from '@kubernetes/client-node';
import { deleteNamespace, freshNamespace, waitFor } from '../cluster';
import { adminKubeConfig, createPod, waitForEvent } from '../simulation';

/**
 * The facts a "why is it not ready" view and a "will it fit" check read, as the local cluster
 * produces them: pull and crash failures from kwok (kwok-stages.yaml), scheduling failures from
 * the real scheduler, quota refusals from the real ReplicaSet controller.
 */
describe('local control plane: events and conditions of pods that cannot run', function () {
  this.timeout(300_000);
  let namespace: string;

  beforeEach(async () => {
    namespace = await freshNamespace('events');
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('reports an image that cannot be pulled in the container status and a Failed event', async () => {
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    await createPod(namespace, 'pull', 'registry.invalid/model:fail-pull');
    const waiting = await waitFor(async () => (await core.readNamespacedPod({ name: 'pull', namespace })).status?.containerStatuses?.[0]?.state?.waiting, 'the container to wait');
    assert.equal(waiting.reason, 'ImagePullBackOff');
    assert.match(waiting.message ?? '', /^Back-off pulling image "registry\.invalid\/model:fail-pull": ErrImagePull: /);
    const event = await waitForEvent(namespace, 'Pod', 'pull', 'Failed', /^Failed to pull image/);
    assert.equal(event.type, 'Warning');
    assert.equal((await core.readNamespacedPod({ name: 'pull', namespace })).status?.phase, 'Pending');
  });

  it('reports a crashing container as CrashLoopBackOff with BackOff events that count up', async () => {
    await createPod(namespace, 'crash', 'registry.invalid/model:fail-crash');
    const first = await waitForEvent(namespace, 'Pod', 'crash', 'BackOff', /^Back-off restarting failed container/);
    assert.equal(first.type, 'Warning');
    // kwok restarts it every ~10 s and the event recorder folds the repeats into one event.
    await waitFor(async () => ((await waitForEvent(namespace, 'Pod', 'crash', 'BackOff')).count ?? 1) > 1, 'a repeated BackOff event', 120_000, 1000);
  });

  it('leaves a pod asking for more GPUs than any node has Pending, with the scheduler saying why', async () => {
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    await createPod(namespace, 'greedy', 'registry.invalid/llm:1', { limits: { 'nvidia.com/gpu': '16' } });
    const event = await waitForEvent(namespace, 'Pod', 'greedy', 'FailedScheduling');
    assert.equal(event.type, 'Warning');
    assert.match(event.message ?? '', /^0\/3 nodes are available: .*Insufficient nvidia\.com\/gpu/);
    const pod = await core.readNamespacedPod({ name: 'greedy', namespace });
    assert.equal(pod.status?.phase, 'Pending');
    const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
    assert.deepEqual([scheduled?.status, scheduled?.reason], ['False', 'Unschedulable']);
    assert.match(scheduled?.message ?? '', /Insufficient nvidia\.com\/gpu/);
  });

  it('records a ResourceQuota refusal as a FailedCreate event on the ReplicaSet', async () => {
    const kc = adminKubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    await core.createNamespacedResourceQuota({ namespace, body: { metadata: { name: 'two-cpus' }, spec: { hard: { 'requests.cpu': '2' } } } });
    // The quota controller must have computed usage before admission enforces it.
    await waitFor(async () => (await core.readNamespacedResourceQuota({ name: 'two-cpus', namespace })).status?.hard?.['requests.cpu'], 'the quota to be counted');
    const labels = { app: 'big' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'big' },
        spec: {
          replicas: 3,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'registry.invalid/model:1', resources: { requests: { cpu: '1' } } }] } },
        },
      },
    });
    const replicaSet = await waitFor(async () => (await apps.listNamespacedReplicaSet({ namespace, labelSelector: 'app=big' })).items[0]?.metadata?.name, 'the ReplicaSet');
    const event = await waitForEvent(namespace, 'ReplicaSet', replicaSet, 'FailedCreate', /exceeded quota: two-cpus/);
    assert.equal(event.type, 'Warning');
    assert.match(event.message ?? '', /requested: requests\.cpu=1, used: requests\.cpu=2, limited: requests\.cpu=2/);
    const deployment = await apps.readNamespacedDeployment({ name: 'big', namespace });
    assert.ok((deployment.status?.replicas ?? 0) <= 2, 'no more pods than the quota allows');
    const failure = await waitFor(
      async () => (await apps.readNamespacedReplicaSet({ name: replicaSet, namespace })).status?.conditions?.find((c) => c.type === 'ReplicaFailure'),
      'the ReplicaSet to report ReplicaFailure',
    );
    assert.equal(failure.reason, 'FailedCreate');
  });
});
