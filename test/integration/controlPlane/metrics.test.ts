import assert from 'node:assert/strict';
import { AppsV1Api, AutoscalingV2Api, Metrics } from '@kubernetes/client-node';
import { clusterScript, deleteNamespace, freshNamespace, waitFor } from '../cluster';
import { adminKubeConfig, createPod, kubectl, parseQuantity, setSimulatedUsage, waitForEvent, waitForPodMetrics, waitForRunningPod } from '../simulation';

describe('local control plane: metrics.k8s.io from metrics-server, and an HPA that acts on it', function () {
  // Room for every wait below to run to its own deadline on a loaded machine (75 s typical).
  this.timeout(600_000);
  let namespace: string;

  beforeEach(async () => {
    namespace = await freshNamespace('metrics');
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('reports every node, and a pod at its default usage until an annotation changes it', async () => {
    const metrics = new Metrics(adminKubeConfig());
    const nodes = (await metrics.getNodeMetrics()).items.map((n) => n.metadata.name).sort();
    assert.deepEqual(nodes, ['kwok-cpu-0', 'kwok-cpu-1', 'kwok-gpu-0']);
    assert.deepEqual(kubectl('top', 'nodes', '--no-headers').split('\n').filter((l) => l !== '').map((l) => l.split(/\s+/)[0]), nodes);

    await createPod(namespace, 'model', 'registry.invalid/model:1', { requests: { cpu: '500m', memory: '1Gi' } });
    await waitForRunningPod(namespace, 'model');
    const usage = (m: { containers: Array<{ usage: { cpu: string; memory: string } }> }) => {
      const c = m.containers[0];
      return c ? { cpu: parseQuantity(c.usage.cpu), memory: parseQuantity(c.usage.memory) } : { cpu: -1, memory: -1 };
    };
    // Default: 8-12 % of the CPU request and 24-26 % of the memory request. A CPU rate is
    // counted over kwok's time between scrapes but divided by metrics-server's, so a slow
    // scrape on a loaded machine skews it: CPU is checked within a wide band, memory exactly.
    const initial = usage(await waitForPodMetrics(namespace, 'model'));
    assert.ok(initial.cpu >= 0.025 && initial.cpu <= 0.1, `default CPU near 50m, got ${initial.cpu}`);
    assert.ok(initial.memory >= 0.235 * 2 ** 30 && initial.memory <= 0.265 * 2 ** 30, `default memory near 256Mi, got ${initial.memory}`);

    await setSimulatedUsage(namespace, { pod: 'model' }, { cpu: '1500m', memory: '3Gi' });
    const raised = usage(await waitForPodMetrics(namespace, 'model', (m) => usage(m).cpu > 1.2 && usage(m).cpu < 1.8));
    assert.equal(raised.memory, 3 * 2 ** 30);
    assert.match(kubectl('-n', namespace, 'top', 'pod', 'model', '--no-headers'), /^model\s+1\d{3}m\s+3072Mi\s*$/);

    await setSimulatedUsage(namespace, { pod: 'model' }, { cpu: null, memory: null });
    const back = usage(await waitForPodMetrics(namespace, 'model', (m) => usage(m).cpu < 0.1));
    assert.ok(back.memory < 0.3 * 2 ** 30, `memory back to the default, got ${back.memory}`);
  });

  it('scales a Deployment above its minimum when CPU rises and back when it falls', async () => {
    const kc = adminKubeConfig();
    const apps = kc.makeApiClient(AppsV1Api);
    const autoscaling = kc.makeApiClient(AutoscalingV2Api);
    const labels = { app: 'scaled' };
    await apps.createNamespacedDeployment({
      namespace,
      body: {
        metadata: { name: 'scaled' },
        spec: {
          replicas: 1,
          selector: { matchLabels: labels },
          template: { metadata: { labels }, spec: { containers: [{ name: 'main', image: 'registry.invalid/model:1', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] } },
        },
      },
    });
    await autoscaling.createNamespacedHorizontalPodAutoscaler({
      namespace,
      body: {
        metadata: { name: 'scaled' },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'scaled' },
          minReplicas: 1,
          maxReplicas: 3,
          metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
        },
      },
    });
    const hpa = () => autoscaling.readNamespacedHorizontalPodAutoscaler({ name: 'scaled', namespace });
    const replicas = async () => (await apps.readNamespacedDeployment({ name: 'scaled', namespace })).spec?.replicas ?? 0;

    // The HPA reads the default usage (about 10 % of the request) and stays at its minimum.
    const measured = await waitFor(async () => (await hpa()).status?.currentMetrics?.[0]?.resource?.current.averageUtilization, 'the HPA to read CPU utilisation', 120_000, 1000);
    assert.ok(measured < 50, `default utilisation below the target, got ${measured}%`);
    assert.equal(await replicas(), 1);

    // 400m on a 100m request: 400 %, so the HPA wants more than its minimum.
    const loaded = await setSimulatedUsage(namespace, { labelSelector: 'app=scaled' }, { cpu: '400m' });
    assert.equal(loaded.length, 1);
    await waitFor(async () => (await replicas()) > 1, 'a scale-up above the minimum', 150_000, 1000);
    await waitForEvent(namespace, 'HorizontalPodAutoscaler', 'scaled', 'SuccessfulRescale', /above target/);

    await setSimulatedUsage(namespace, { labelSelector: 'app=scaled' }, { cpu: null });
    await waitFor(async () => (await replicas()) === 1, 'a scale-down back to the minimum', 180_000, 1000);
    await waitForEvent(namespace, 'HorizontalPodAutoscaler', 'scaled', 'SuccessfulRescale', /New size: 1; reason: All metrics below target/);
  });

  it('answers 503 while metrics-server is down and 404 once the API is removed, then comes back', async () => {
    // Raw requests: the aggregator's 503 body is plain text, which client-node's Metrics
    // reports as a 500 "is not valid JSON" error rather than the real status.
    const answer = () => {
      try {
        kubectl('get', '--raw', '/apis/metrics.k8s.io/v1beta1/nodes');
        return 'OK';
      } catch (error) {
        return /Error from server \((\w+)\)/.exec((error as Error).message)?.[1] ?? (error as Error).message;
      }
    };
    try {
      clusterScript('metrics-server.sh', 'stop');
      await waitFor(async () => answer() === 'ServiceUnavailable', 'metrics.k8s.io to answer 503 Service Unavailable', 60_000, 500);
      clusterScript('metrics-server.sh', 'remove');
      await waitFor(async () => answer() === 'NotFound', 'metrics.k8s.io to be gone (404)', 60_000, 500);
      assert.doesNotMatch(kubectl('api-versions'), /^metrics\.k8s\.io\//m);
    } finally {
      clusterScript('metrics-server.sh', 'restore');
    }
    assert.equal(answer(), 'OK');
    assert.match(kubectl('api-versions'), /^metrics\.k8s\.io\/v1beta1$/m);
    assert.equal((await new Metrics(adminKubeConfig()).getNodeMetrics()).items.length, 3);
  });
});
