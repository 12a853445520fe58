// Live metrics of a revision from metrics.k8s.io (metrics-server in the local cluster), what is
// said when the metrics API is down or missing, and an autoscaled revision that really scales.
import assert from 'node:assert/strict';
import { podUsage, usageTotals } from '../../../src/core/observe/metricsHistory';
import { adminClient, clusterScript, deleteNamespace, freshNamespace, makeSpec, waitFor } from '../cluster';
import { setSimulatedUsage, waitForEvent } from '../simulation';

describe('metrics of a revision, and an autoscaler that acts on them', function () {
  // Above the sum of the waits' deadlines below, on a loaded machine.
  this.timeout(600_000);
  let namespace: string;

  beforeEach(async () => {
    namespace = await freshNamespace('metrics');
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('reads CPU and memory per pod against requests and limits', async () => {
    const client = adminClient(namespace);
    const ref = { service: 'iris', revision: 1 };
    await client.create(makeSpec('iris', { resources: { cpu: '500m', memory: '1Gi' }, replicas: 2 }), { launch: true });
    await waitFor(async () => (await client.getRevision(ref)).state.kind === 'running', 'the revision running');
    await setSimulatedUsage(namespace, { labelSelector: 'serve-revisions.dev/service=iris' }, { cpu: '300m', memory: '700Mi' });
    const reading = await waitFor(async () => {
      const r = await client.readMetrics(ref);
      return r.ok && r.items.length === 2 && r.items.every((i) => i.containers[0]?.usage['memory'] === '700Mi') ? r : undefined;
    }, 'metrics of both pods at the simulated usage', 120_000, 1000);
    assert.ok(reading.ok);
    const pods = podUsage(reading.items, (await client.core.listNamespacedPod({ namespace })).items);
    const totals = usageTotals(pods);
    assert.equal(totals.memory, 2 * 700 * 2 ** 20);
    assert.equal(totals.cpuRequest, 1);
    assert.equal(totals.memoryLimit, 2 * 2 ** 30);
    assert.ok(totals.cpu > 0.4 && totals.cpu < 0.8, `about 600m in total, got ${totals.cpu}`);
  });

  it('says the metrics API is down (503) or missing (404) instead of showing nothing', async () => {
    const client = adminClient(namespace);
    const ref = { service: 'iris', revision: 1 };
    await client.create(makeSpec('iris', { replicas: 1 }), { launch: true });
    try {
      clusterScript('metrics-server.sh', 'stop');
      const down = await waitFor(async () => {
        const r = await client.readMetrics(ref);
        return !r.ok && r.absence === 'unavailable' ? r : undefined;
      }, 'the metrics API to answer 503', 60_000, 500);
      assert.match(down.ok ? '' : (down.detail ?? ''), /^503 /);
      clusterScript('metrics-server.sh', 'remove');
      await waitFor(async () => {
        const r = await client.readMetrics(ref);
        return !r.ok && r.absence === 'missing';
      }, 'the metrics API to be gone', 60_000, 500);
    } finally {
      clusterScript('metrics-server.sh', 'restore');
    }
    await waitFor(async () => (await client.readMetrics(ref)).ok, 'metrics back', 120_000, 1000);
  });

  it('scales an autoscaled revision above its minimum when CPU rises and back when it falls, and the model shows it', async () => {
    const client = adminClient(namespace);
    const ref = { service: 'auto', revision: 1 };
    await client.create(makeSpec('auto', { resources: { cpu: '100m', memory: '128Mi' }, replicas: undefined, autoscaling: { minReplicas: 1, maxReplicas: 3, metric: 'cpu', target: 50 } }), { launch: true });
    await waitFor(async () => (await client.getRevision(ref)).state.kind === 'running', 'the revision running');
    // 400m on a 100m request: far above the 50 % target.
    await setSimulatedUsage(namespace, { labelSelector: 'serve-revisions.dev/service=auto' }, { cpu: '400m' });
    const scaled = await waitFor(async () => {
      const r = await client.getRevision(ref);
      return (r.autoscaling?.current ?? 0) > 1 && r.state.kind === 'running' && r.state.desired > 1 ? r : undefined;
    }, 'the model to show more than the minimum running', 180_000, 1000);
    assert.equal(scaled.autoscaling?.minReplicas, 1);
    await waitForEvent(namespace, 'HorizontalPodAutoscaler', 'auto-r1', 'SuccessfulRescale', /above target/);
    const { details } = await client.describe(ref);
    assert.match(details.autoscaler?.current ?? '', /^\d+% of the request$/);
    assert.equal(details.autoscaler?.target, '50% of the request');
    assert.ok(details.autoscaler?.events.some((e) => e.reason === 'SuccessfulRescale'));

    await setSimulatedUsage(namespace, { labelSelector: 'serve-revisions.dev/service=auto' }, { cpu: null });
    await waitFor(async () => {
      const r = await client.getRevision(ref);
      return r.autoscaling?.current === 1 && r.state.kind === 'running' && r.state.desired === 1;
    }, 'the model to show the minimum again', 240_000, 1000);
  });
});
