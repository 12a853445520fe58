import assert from 'node:assert/strict';
import { Labels } from '../../src/core/kube/labels';
import { TagHeader } from '../../src/core/traffic/dataPlane';
import type { RevisionClient } from '../../src/kube/revisionClient';
import { adminClient, adminCore, deleteNamespace, freshNamespace, waitFor } from './cluster';
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
