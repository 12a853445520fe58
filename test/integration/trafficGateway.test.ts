import assert from 'node:assert/strict';
import { Labels } from '../../src/core/kube/labels';
import { splitAtStep } from '../../src/core/traffic/rollout';
import { TagHeader } from '../../src/core/traffic/dataPlane';
import type { RevisionClient } from '../../src/kube/revisionClient';
import { adminClient, adminCore, clusterScript, deleteNamespace, freshNamespace, makeSpec, useOwnControlPlane, waitFor } from './cluster';
import { httpRoute, routeWeights, runningRevisions, stableSelectorOf, storedRecord, storedTraffic, tagRules } from './trafficFixture';

describe('traffic on the Gateway API data plane', function () {
  this.timeout(300_000);
  let namespace: string;
  let client: RevisionClient;

  beforeEach(async () => {
    namespace = await freshNamespace('gateway-traffic');
    client = adminClient(namespace);
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('routes through an HTTPRoute the API server accepts: exact weights, a header rule per tag, and back to plain', async () => {
    assert.equal(await client.traffic.servesGatewayApi(), true);
    await client.traffic.applySettings('iris', { gateway: { name: 'public', namespace: 'infra', sectionName: 'http' } });
    await runningRevisions(client, 'iris', 2);
    let route = await httpRoute(namespace, 'iris');
    assert.deepEqual(route?.parentRefs, [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'infra', sectionName: 'http' }]);
    assert.deepEqual(routeWeights(route), { 'iris-r1': 100 });
    assert.equal(route?.owner, 'iris', 'owned by the service object');
    // The stable Service still exists for in-cluster clients, and follows the plain rules.
    assert.deepEqual(await stableSelectorOf(namespace, 'iris'), { [Labels.service]: 'iris', [Labels.revision]: '1' });

    await client.traffic.edit('iris', { split: [{ revision: 1, percent: 80 }, { revision: 2, percent: 20 }], tag: [{ revision: 2, tag: 'canary' }] });
    route = await httpRoute(namespace, 'iris');
    assert.deepEqual(routeWeights(route), { 'iris-r1': 80, 'iris-r2': 20 });
    assert.deepEqual(tagRules(route), [{ header: TagHeader, value: 'canary', backend: 'iris-r2' }]);
    const shown = await client.traffic.service('iris');
    assert.equal(shown.traffic?.dataPlane, 'gateway');
    assert.deepEqual(shown.revisions.map((r) => [r.revision, r.traffic?.percent, r.traffic?.effectivePercent]), [[2, 20, 20], [1, 80, 80]], 'exact: the effective share is the weight');

    await client.traffic.applySettings('iris', {});
    await waitFor(async () => (await httpRoute(namespace, 'iris')) === undefined || undefined, 'the HTTPRoute removed when the service goes back to the plain data plane');
    assert.equal((await client.traffic.service('iris')).traffic?.dataPlane, 'plain');
  });

  it('rolls out to 100, aborts mid-way and rolls back, the route following each write', async () => {
    await client.traffic.applySettings('iris', { gateway: { name: 'public' } });
    await runningRevisions(client, 'iris', 3);
    await client.traffic.startRollout('iris', 2, { steps: [25, 100], intervalSeconds: 1 }, { driver: 'test' });
    const weights: string[] = [];
    const result = await client.traffic.driver('iris', 'test', { tickMs: 250, onUpdate: () => void httpRoute(namespace, 'iris').then((r) => weights.push(JSON.stringify(routeWeights(r)))) }).run();
    assert.equal(result.state, 'done');
    assert.deepEqual(routeWeights(await httpRoute(namespace, 'iris')), { 'iris-r2': 100 });

    await client.traffic.startRollout('iris', 3, { steps: [30, 60, 100], manual: true }, { driver: 'test' });
    const driving = client.traffic.driver('iris', 'test', { tickMs: 250 }).run();
    await waitFor(async () => (await storedRecord(namespace, 'iris')).rollout?.state === 'waiting-approval' || undefined, 'the first step held for approval');
    assert.deepEqual(routeWeights(await httpRoute(namespace, 'iris')), { 'iris-r3': 30, 'iris-r2': 70 });
    await adminClient(namespace).traffic.resumeRollout('iris');
    await waitFor(async () => ((await storedRecord(namespace, 'iris')).rollout?.step === 1 && (await storedRecord(namespace, 'iris')).rollout?.state === 'waiting-approval') || undefined, 'the second step, approved, applied and held');
    assert.deepEqual(routeWeights(await httpRoute(namespace, 'iris')), { 'iris-r3': 60, 'iris-r2': 40 });
    await adminClient(namespace).traffic.abortRollout('iris', undefined, 'operator');
    assert.equal((await driving).state, 'aborted');
    assert.deepEqual(routeWeights(await httpRoute(namespace, 'iris')), { 'iris-r2': 100 });

    await client.stop({ service: 'iris', revision: 1 });
    await client.traffic.routeAll({ service: 'iris', revision: 1 });
    assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: 1, percent: 100 }]);
    assert.deepEqual(routeWeights(await httpRoute(namespace, 'iris')), { 'iris-r1': 100 });
  });

  it('refuses a tag whose Service name another Service has taken, and changes nothing', async () => {
    await runningRevisions(client, 'iris', 1);
    await adminCore().createNamespacedService({ namespace, body: { metadata: { name: 'iris-canary' }, spec: { ports: [{ port: 80 }] } } });
    await assert.rejects(client.traffic.edit('iris', { tag: [{ revision: 1, tag: 'canary' }] }), /a Service named "iris-canary" already exists and is not a tag of "iris": choose another tag name/);
    assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: 1, percent: 100 }]);
  });
});

describe('a rollout when the API server goes away', function () {
  this.timeout(600_000);
  // A fault on a control plane of its own, as faults.test.ts does: the shared cluster never sees it.
  useOwnControlPlane();
  let namespace: string;

  beforeEach(async () => {
    namespace = await freshNamespace('rollout-fault');
  });
  afterEach(async () => {
    clusterScript('restart-apiserver.sh', 'start');
    // The controllers reconnect with backoff after a restart; that recovery belongs to this test (as in faults.test.ts).
    const probe = adminClient(namespace);
    await probe.create(makeSpec('after-fault', { replicas: 1 }), { launch: true });
    await waitFor(async () => (await probe.getRevision({ service: 'after-fault', revision: 1 })).state.kind === 'running', 'the control plane to run a new revision again after the fault', 240_000);
    await deleteNamespace(namespace);
  });

  it('stays paused at a consistent step when its driver loses the API server, and resumes from there', async () => {
    const client = adminClient(namespace);
    await client.traffic.applySettings('iris', { gateway: { name: 'public' } });
    await runningRevisions(client, 'iris', 2);
    // Long enough between steps that the API server is down before the step after the one awaited.
    const plan = { steps: [10, 50, 100], intervalSeconds: 8 };
    await client.traffic.startRollout('iris', 2, plan, { driver: 'driver A', heartbeatTimeoutSeconds: 6 });
    const driving = client.traffic.driver('iris', 'driver A', { tickMs: 250, heartbeatTimeoutSeconds: 6 }).run().then(
      (r) => ({ ok: true as const, r }),
      (error: Error) => ({ ok: false as const, error }),
    );
    // The second step proves the driver drives (the first one the start applied).
    await waitFor(async () => ((await storedRecord(namespace, 'iris')).rollout?.step ?? -1) >= 1 || undefined, 'the driver applying the second step', 60_000, 50);
    clusterScript('restart-apiserver.sh', 'stop');
    let outcome: Awaited<typeof driving>;
    try {
      outcome = await driving;
    } finally {
      clusterScript('restart-apiserver.sh', 'start');
    }
    assert.equal(outcome.ok, false, 'the driver gives up once it could not write for longer than its heartbeat timeout');
    if (!outcome.ok) assert.match(outcome.error.message, /^Stopped driving the rollout of "iris": the cluster could not be written for \d+ s\. .*The rollout stays at its last applied step and shows as paused; resume it once the cluster answers/);

    const record = await waitFor(() => storedRecord(namespace, 'iris'), 'the API server to answer again');
    const rollout = record.rollout;
    assert.ok(rollout && rollout.step >= 0 && rollout.step < 2, `stopped mid-way: ${JSON.stringify(rollout)}`);
    assert.deepEqual(record.traffic, splitAtStep(rollout.before, 2, plan.steps[rollout.step] as number, record.traffic), 'the split is exactly the one of its last applied step');
    const view = await waitFor(async () => {
      const v = await client.traffic.rolloutStatus('iris');
      return v?.driverGone ? v : undefined;
    }, 'every viewer to show it paused, its driver gone', 60_000);
    assert.equal(view.state, 'paused');
    console.log(`      paused at step ${rollout.step + 1} (${plan.steps[rollout.step]}%)`);

    const resumed = adminClient(namespace);
    await resumed.traffic.resumeRollout('iris', undefined, 'driver B');
    const result = await resumed.traffic.driver('iris', 'driver B', { tickMs: 250 }).run();
    assert.equal(result.state, 'done');
    assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: 2, percent: 100 }]);
    assert.deepEqual(routeWeights(await httpRoute(namespace, 'iris')), { 'iris-r2': 100 });
  });
});
