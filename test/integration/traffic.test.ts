import assert from 'node:assert/strict';
import { Labels } from '../../src/core/kube/labels';
import { renderRevision } from '../../src/core/kube/renderObjects';
import type { RevisionClient } from '../../src/kube/revisionClient';
import { adminClient, adminCore, deleteNamespace, freshNamespace, makeSpec, waitFor } from './cluster';
import { runningRevisions, servingLabels, stableSelectorOf, storedRecord, storedTraffic, waitForEffective } from './trafficFixture';

describe('traffic on the plain data plane', function () {
  this.timeout(300_000);
  let namespace: string;
  let client: RevisionClient;

  beforeEach(async () => {
    namespace = await freshNamespace('traffic');
    client = adminClient(namespace);
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('gives the first revision started all the traffic and a later one none; splits, tags and shows the effective share', async () => {
    await runningRevisions(client, 'iris', 2, 2);
    assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: 1, percent: 100 }], 'starting revision 2 moved no traffic');
    assert.deepEqual(await stableSelectorOf(namespace, 'iris'), { [Labels.service]: 'iris', [Labels.revision]: '1' }, 'all traffic on one revision: selected exactly');
    const stable = await adminCore().readNamespacedService({ name: 'iris', namespace });
    assert.equal(stable.metadata?.ownerReferences?.[0]?.name, 'iris', 'owned by the service object');
    assert.equal(stable.metadata?.ownerReferences?.[0]?.kind, 'ConfigMap');
    await waitForEffective(client, 'iris', { 1: 100, 2: 0 });

    await client.traffic.edit('iris', { split: [{ revision: 1, percent: 90 }, { revision: 2, percent: 10 }], tag: [{ revision: 2, tag: 'canary' }] });
    assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: 2, percent: 10, tags: ['canary'] }, { revision: 1, percent: 90 }]);
    assert.deepEqual(await stableSelectorOf(namespace, 'iris'), { [Labels.service]: 'iris', [Labels.serving]: 'true' });
    assert.deepEqual(Object.fromEntries(await servingLabels(namespace, 'iris')), { 1: ['true', 'true'], 2: ['true', 'true'] });
    const tag = await adminCore().readNamespacedService({ name: 'iris-canary', namespace });
    assert.deepEqual(tag.spec?.selector, { [Labels.service]: 'iris', [Labels.revision]: '2' });
    // Two ready pods each: the split follows ready pods, approximately.
    await waitForEffective(client, 'iris', { 1: 50, 2: 50 });

    // Sized to the split: 90/10 of four replicas gives 4 and 1 (each keeps at least one).
    const sized = await client.traffic.sizeReplicasToSplit('iris');
    assert.deepEqual(sized.scaled, [{ revision: 1, replicas: 4 }, { revision: 2, replicas: 1 }]);
    // The new pods of a split carry no serving label until a client reconciles (a traffic write, or any client watching).
    const labels = await waitFor(async () => {
      await client.traffic.reconcile('iris');
      const now = await servingLabels(namespace, 'iris');
      return now.get(1)?.length === 4 && now.get(1)?.every((l) => l === 'true') ? now : undefined;
    }, 'the four pods of revision 1 labelled as serving');
    assert.deepEqual(labels.get(2), ['true']);
    await waitForEffective(client, 'iris', { 1: 80, 2: 20 });

    await assert.rejects(client.traffic.edit('iris', { split: [{ revision: 1, percent: 90 }] }), /Could not set the traffic of "iris" in namespace "[^"]+" of context "[^"]+": the shares add up to 90, not 100: give the remaining 10 to one of the revisions\./);
    await assert.rejects(client.traffic.edit('iris', { split: [{ revision: 9, percent: 100 }] }), /revision 9 of "iris" does not exist/);
    await assert.rejects(client.traffic.edit('iris', { untag: ['nope'] }), /no revision of "iris" is tagged "nope"/);

    await client.traffic.edit('iris', { split: [{ revision: 2, percent: 100 }], untag: ['canary'] });
    assert.deepEqual(await stableSelectorOf(namespace, 'iris'), { [Labels.service]: 'iris', [Labels.revision]: '2' });
    await waitFor(async () => !(await servingLabels(namespace, 'iris')).get(1)?.includes('true'), 'the serving label gone from revision 1');
    await waitFor(async () => (await adminCore().readNamespacedService({ name: 'iris-canary', namespace }).then(() => false, () => true)) || undefined, 'the canary tag Service gone');
  });

  it('labels the new pods of a split while a client watches the namespace', async () => {
    await runningRevisions(client, 'iris', 2);
    await client.traffic.edit('iris', { split: [{ revision: 1, percent: 50 }, { revision: 2, percent: 50 }] });
    const watcher = client.watch();
    await watcher.start();
    const problems: string[] = [];
    const reconciler = client.traffic.reconcileWhileWatching(watcher, (m) => problems.push(m));
    try {
      await client.scale({ service: 'iris', revision: 2 }, { replicas: 3 });
      await waitFor(async () => {
        const labels = (await servingLabels(namespace, 'iris')).get(2);
        return labels?.length === 3 && labels.every((l) => l === 'true') ? true : undefined;
      }, 'the scaled-up pods of revision 2 labelled as serving by the watching client');
      await waitForEffective(client, 'iris', { 1: 25, 2: 75 });
      assert.deepEqual(problems, []);
    } finally {
      reconciler.stop();
      await watcher.stop();
    }
  });

  it('refuses to stop or delete a revision that serves, naming its share and how to move it', async () => {
    await runningRevisions(client, 'iris', 2);
    await assert.rejects(client.stop({ service: 'iris', revision: 1 }), /Could not stop revision 1 of "iris" in namespace "[^"]+" of context "[^"]+": it serves 100% of the traffic of "iris", and a stopped revision cannot hold traffic\. Move its share first, e\.g\. to revision 2: serve-revisions traffic iris 2=100\./);
    await assert.rejects(client.delete({ service: 'iris', revision: 1 }), /Could not delete revision 1 of "iris" .*: it serves 100% of the traffic of "iris" \(#1 100%\)\. Move its traffic to another revision first/);
    assert.equal((await client.getRevision({ service: 'iris', revision: 1 })).state.kind, 'running', 'nothing was stopped');

    await client.stop({ service: 'iris', revision: 1 }, { moveTrafficTo: 2 });
    assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: 2, percent: 100 }]);
    assert.deepEqual(await stableSelectorOf(namespace, 'iris'), { [Labels.service]: 'iris', [Labels.revision]: '2' });
    await client.delete({ service: 'iris', revision: 1 });

    // The only revision running may stop: the service then has no traffic, and the next start gets it all.
    await client.stop({ service: 'iris', revision: 2 });
    assert.deepEqual(await storedTraffic(namespace, 'iris'), []);
    await client.start({ service: 'iris', revision: 2 });
    assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: 2, percent: 100 }]);

    // With the last revision the service object goes, and the stable Service it owns with it.
    await client.stop({ service: 'iris', revision: 2 });
    await client.delete({ service: 'iris', revision: 2 });
    await assert.rejects(adminCore().readNamespacedConfigMap({ name: 'iris', namespace }), (e: { code?: number }) => e.code === 404);
    await waitFor(async () => (await adminCore().readNamespacedService({ name: 'iris', namespace }).then(() => false, () => true)) || undefined, 'the stable Service removed by garbage collection');
  });

  it('rolls back in one action: starts a stopped revision, waits until it is ready, then routes all traffic to it', async () => {
    await runningRevisions(client, 'iris', 2);
    await client.traffic.edit('iris', { split: [{ revision: 2, percent: 100 }] });
    await client.stop({ service: 'iris', revision: 1 });
    const progress: string[] = [];
    await client.traffic.routeAll({ service: 'iris', revision: 1 }, { onProgress: (m) => progress.push(m) });
    assert.equal(progress[0], 'Starting revision 1 of "iris"…');
    assert.equal((await client.getRevision({ service: 'iris', revision: 1 })).state.kind, 'running');
    assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: 1, percent: 100 }]);
    assert.deepEqual(await stableSelectorOf(namespace, 'iris'), { [Labels.service]: 'iris', [Labels.revision]: '1' });
  });

  it('rolls out to 100 step by step, and a rollout aborted mid-way returns the split before it', async () => {
    await runningRevisions(client, 'iris', 3);
    const seen: number[] = [];
    await client.traffic.startRollout('iris', 2, { steps: [10, 50, 100], intervalSeconds: 1 }, { driver: 'integration test' });
    const done = await client.traffic.driver('iris', 'integration test', { tickMs: 250, onUpdate: (v) => seen.push(v.percent) }).run();
    assert.equal(done.state, 'done');
    assert.deepEqual([...new Set(seen)], [10, 50, 100], 'every step, in order');
    assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: 2, percent: 100 }]);
    assert.deepEqual(await stableSelectorOf(namespace, 'iris'), { [Labels.service]: 'iris', [Labels.revision]: '2' });

    await client.traffic.startRollout('iris', 3, { steps: [10, 50, 100], intervalSeconds: 600 }, { driver: 'driver A' });
    const driving = client.traffic.driver('iris', 'driver A', { tickMs: 250 }).run();
    await waitFor(async () => (await storedRecord(namespace, 'iris')).rollout?.step === 0 || undefined, 'the first step applied');
    assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: 3, percent: 10 }, { revision: 2, percent: 90 }]);
    assert.deepEqual(await stableSelectorOf(namespace, 'iris'), { [Labels.service]: 'iris', [Labels.serving]: 'true' });
    // Another client aborts it; the driver sees that and ends.
    await adminClient(namespace).traffic.abortRollout('iris', undefined, 'operator');
    assert.equal((await driving).state, 'aborted');
    const record = await storedRecord(namespace, 'iris');
    assert.deepEqual(record.traffic, [{ revision: 2, percent: 100 }]);
    assert.equal(record.rollout?.state, 'aborted');
    assert.match(record.rollout?.message ?? '', /aborted by operator; traffic returned to #2 100%/);
    assert.deepEqual(await stableSelectorOf(namespace, 'iris'), { [Labels.service]: 'iris', [Labels.revision]: '2' });
    await waitFor(async () => !(await servingLabels(namespace, 'iris')).get(3)?.includes('true') || undefined, 'revision 3 no longer labelled serving');
  });

  it('gives a service made before service objects one from what the cluster serves, on its first write', async () => {
    // What an older version left: records and workloads, a stable Service selecting every running revision, no service object.
    const core = adminCore();
    for (const revision of [1, 2]) {
      const objects = renderRevision(makeSpec('old', { replicas: 1 }), { namespace, revision, createdAt: new Date().toISOString() });
      const record = await core.createNamespacedConfigMap({ namespace, body: objects.record });
      const owned = renderRevision(makeSpec('old', { replicas: 1 }), { namespace, revision, recordUid: record.metadata?.uid ?? '' });
      await client.apps.createNamespacedDeployment({ namespace, body: owned.deployment });
      await core.createNamespacedService({ namespace, body: owned.service });
    }
    const legacy = renderRevision(makeSpec('old'), { namespace, revision: 1 }).stableService;
    await core.createNamespacedService({ namespace, body: { ...legacy, spec: { ...legacy.spec, selector: { [Labels.service]: 'old', [Labels.component]: 'workload' } } } });
    await waitFor(async () => (await client.traffic.service('old')).revisions.every((r) => r.state.kind === 'running') || undefined, 'the old revisions running');
    const shown = await client.traffic.service('old');
    assert.equal(shown.traffic?.stored, false);
    assert.deepEqual(shown.revisions.map((r) => r.traffic?.percent), [50, 50], 'shown as it serves today: one ready pod each');

    await client.traffic.edit('old', { tag: [{ revision: 2, tag: 'next' }] });
    const record = await storedRecord(namespace, 'old');
    assert.equal(record.revisionCounter, 2);
    assert.deepEqual(record.traffic, [{ revision: 2, percent: 50, tags: ['next'] }, { revision: 1, percent: 50 }]);
    assert.deepEqual(await stableSelectorOf(namespace, 'old'), { [Labels.service]: 'old', [Labels.serving]: 'true' });
    assert.equal((await core.readNamespacedService({ name: 'old', namespace })).metadata?.ownerReferences?.[0]?.name, 'old', 'adopted by the service object');
    assert.equal((await client.create(makeSpec('old'))).revision, 3);
  });
});
