import assert from 'node:assert/strict';
import { AppsV1Api, CoreV1Api, KubeConfig, Metrics } from '@kubernetes/client-node';
import { deleteNamespace, freshNamespace, viewerKubeconfig, waitFor } from '../cluster';
import { adminKubeConfig, createPod, waitForRunningPod } from '../simulation';

/** What every other test takes for granted about the local control plane (once cluster/smoke-test.sh). */
describe('local control plane: scheduling, failure images, garbage collection and the viewer', function () {
  this.timeout(300_000);
  let namespace: string;

  beforeEach(async () => {
    namespace = await freshNamespace('basics');
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('runs pods on the fake nodes and a GPU pod on the GPU node', async () => {
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    await createPod(namespace, 'cpu', 'registry.invalid/web:1');
    await createPod(namespace, 'gpu', 'registry.invalid/llm:1', { limits: { 'nvidia.com/gpu': '1' } });
    await waitForRunningPod(namespace, 'cpu');
    await waitForRunningPod(namespace, 'gpu');
    const cpu = await core.readNamespacedPod({ name: 'cpu', namespace });
    const gpu = await core.readNamespacedPod({ name: 'gpu', namespace });
    assert.match(cpu.spec?.nodeName ?? '', /^kwok-/);
    assert.equal(gpu.spec?.nodeName, 'kwok-gpu-0');
    assert.match(cpu.status?.podIP ?? '', /^10\.244\./);
    assert.equal(cpu.status?.hostIP, '127.0.0.1');
  });

  it('keeps :fail-pull pods Pending and :fail-crash pods crashing', async () => {
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    await createPod(namespace, 'pull', 'registry.invalid/model:fail-pull');
    await createPod(namespace, 'crash', 'registry.invalid/model:fail-crash');
    const state = async (name: string) => {
      const pod = await core.readNamespacedPod({ name, namespace });
      return `${pod.status?.phase} ${pod.status?.containerStatuses?.[0]?.state?.waiting?.reason}`;
    };
    await waitFor(async () => (await state('pull')) === 'Pending ImagePullBackOff', 'the :fail-pull pod waiting on its image');
    await waitFor(async () => (await state('crash')) === 'Running CrashLoopBackOff', 'the :fail-crash pod crash-looping');
    const restarts = async () => (await core.readNamespacedPod({ name: 'crash', namespace })).status?.containerStatuses?.[0]?.restartCount ?? 0;
    const before = await restarts();
    await waitFor(async () => (await restarts()) > before, 'the restart count to go up', 60_000, 1000);
  });

  it('garbage-collects a Deployment whose owner is deleted', async () => {
    const kc = adminKubeConfig();
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const owner = await core.createNamespacedConfigMap({ namespace, body: { metadata: { name: 'owner' } } });
    const labels = { app: 'owned' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'owned', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata?.uid ?? '' }] },
        spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'registry.invalid/owned:1' }] } } },
      },
    });
    await waitFor(async () => (await core.listNamespacedPod({ namespace, labelSelector: 'app=owned' })).items.length === 1, 'the owned pod');
    await core.deleteNamespacedConfigMap({ name: 'owner', namespace });
    await waitFor(async () => (await apps.listNamespacedDeployment({ namespace })).items.length === 0, 'the owned Deployment to be collected');
    await waitFor(async () => (await core.listNamespacedPod({ namespace, labelSelector: 'app=owned' })).items.length === 0, 'its pod to go');
  });

  it('lets the viewer read namespace demo, metrics included, and nothing else', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(viewerKubeconfig());
    const core = kc.makeApiClient(CoreV1Api);
    await core.listNamespacedPod({ namespace: 'demo' });
    await new Metrics(kc).getPodMetrics('demo');
    const code = (promise: Promise<unknown>) =>
      promise.then(
        () => 200,
        (error: { code?: number }) => error.code,
      );
    assert.equal(await code(core.createNamespacedConfigMap({ namespace: 'demo', body: { metadata: { name: 'x' } } })), 403);
    assert.equal(await code(core.listNamespacedPod({ namespace })), 403);
    assert.equal(await code(new Metrics(kc).getPodMetrics(namespace)), 403);
  });
});
