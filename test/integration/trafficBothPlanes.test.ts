/**
 * What must hold on both data planes (issue 14): concurrent traffic edits, a read-only user,
 * numbers never reused, and a rollout whose driver loses the API server. Each test runs once per
 * plane and reads back what that plane routes: the stable Service's selector, and the HTTPRoute's
 * weights on the Gateway API data plane (none on the plain one).
 */
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { splitAtStep } from '../../src/core/traffic/rollout';
import { RevisionClient } from '../../src/kube/revisionClient';
import { adminClient, clusterScript, deleteNamespace, freshNamespace, makeSpec, useOwnControlPlane, viewerKubeconfig, waitFor } from './cluster';
import { dataPlanes, expectedRouting, httpRoute, routed, runningRevisions, servingLabels, shares, storedRecord, storedTraffic, storeTrafficOnly } from './trafficFixture';

for (const plane of dataPlanes) {
  describe(`traffic on ${plane.title}: conflicts and numbers`, function () {
    this.timeout(300_000);
    let namespace: string;
    let client: RevisionClient;

    beforeEach(async () => {
      namespace = await freshNamespace(`traffic-${plane.name}`);
      client = adminClient(namespace);
    });
    afterEach(async () => {
      await deleteNamespace(namespace);
    });

    it('detects concurrent traffic edits: one is refused as a conflict, none is lost, and the cluster routes the winner', async () => {
      await plane.choose(client, 'iris');
      await runningRevisions(client, 'iris', 3);
      const seen = await storedTraffic(namespace, 'iris');
      const a = adminClient(namespace);
      const b = adminClient(namespace);
      const results = await Promise.allSettled([
        a.traffic.edit('iris', { split: [{ revision: 1, percent: 50 }, { revision: 2, percent: 50 }], expected: seen }),
        b.traffic.edit('iris', { split: [{ revision: 1, percent: 50 }, { revision: 3, percent: 50 }], expected: seen }),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.equal(won.length, 1, JSON.stringify(results.map((r) => r.status)));
      assert.equal(lost.length, 1);
      assert.match(String((lost[0]?.reason as Error).message), /Could not set the traffic of "iris" .*: someone else changed the traffic of "iris" meanwhile: it is now #\d 50% · #1 50%\. Look at the new split and try again\./);
      const winner = results[0]?.status === 'fulfilled' ? 2 : 3;
      assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: winner, percent: 50 }, { revision: 1, percent: 50 }], "the winner's split, whole");
      assert.deepEqual(await routed(namespace, 'iris'), expectedRouting(plane, 'iris', { 1: 50, [winner]: 50 }), "the cluster routes the winner's split, nothing of the loser's");
      assert.equal((await client.traffic.service('iris')).traffic?.dataPlane, plane.name);
    });

    it('is put back in line by a client watching the namespace when a writer stored a change and stopped before routing it', async () => {
      await plane.choose(client, 'iris');
      await runningRevisions(client, 'iris', 2);
      assert.deepEqual(await routed(namespace, 'iris'), expectedRouting(plane, 'iris', { 1: 100 }), 'the first revision started serves it all');
      const watcher = client.watch();
      await watcher.start();
      const problems: string[] = [];
      const reconciler = client.traffic.reconcileWhileWatching(watcher, (m) => problems.push(m));
      try {
        await storeTrafficOnly(namespace, 'iris', [{ revision: 1, percent: 50 }, { revision: 2, percent: 50 }]);
        await waitFor(async () => isDeepStrictEqual(await routed(namespace, 'iris'), expectedRouting(plane, 'iris', { 1: 50, 2: 50 })) || undefined, 'the watching client routing the stored split');
        await waitFor(async () => {
          const labels = await servingLabels(namespace, 'iris');
          return [1, 2].every((r) => (labels.get(r)?.length ?? 0) > 0 && labels.get(r)?.every((l) => l === 'true')) || undefined;
        }, 'the pods of both revisions labelled as serving');
        // And back, as a rollback stored by a client that stopped at once.
        await storeTrafficOnly(namespace, 'iris', [{ revision: 2, percent: 100 }]);
        await waitFor(async () => isDeepStrictEqual(await routed(namespace, 'iris'), expectedRouting(plane, 'iris', { 2: 100 })) || undefined, 'the watching client routing all to revision 2');
        assert.deepEqual(problems, []);
      } finally {
        reconciler.stop();
        await watcher.stop();
      }
    });

    it('never gives a number twice: the counter survives deleting the newest revision', async () => {
      await plane.choose(client, 'iris');
      for (let i = 0; i < 3; i++) await client.create(makeSpec('iris'));
      await client.delete({ service: 'iris', revision: 3 });
      const next = await client.create(makeSpec('iris', { replicas: 1 }), { launch: true });
      assert.equal(next.revision, 4);
      assert.equal((await storedRecord(namespace, 'iris')).revisionCounter, 4);
      // The first revision started gets all the traffic, under its own number.
      assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: 4, percent: 100 }]);
      assert.deepEqual(await routed(namespace, 'iris'), expectedRouting(plane, 'iris', { 4: 100 }));
      const concurrent = await Promise.all(Array.from({ length: 6 }, () => adminClient(namespace).create(makeSpec('iris'))));
      assert.deepEqual(concurrent.map((c) => c.revision).sort((x, y) => x - y), [5, 6, 7, 8, 9, 10]);
      const record = await storedRecord(namespace, 'iris');
      assert.equal(record.revisionCounter, 10);
      assert.equal((await client.traffic.service('iris')).traffic?.dataPlane, plane.name, 'the counter writes kept the data plane');
    });
  });

  describe(`traffic on ${plane.title} for a read-only user`, function () {
    this.timeout(300_000);
    // The viewer may read only "demo".
    const namespace = 'demo';
    const service = `viewer-${plane.name}-${Date.now().toString(36)}`;
    const admin = adminClient(namespace);

    after(async () => {
      // Revision 2 serves nothing; revision 1, the last running, may then stop; the last delete takes the service object and what it owns.
      for (const revision of [2, 1]) await admin.stop({ service, revision }).catch(() => undefined);
      for (const revision of [2, 1]) await admin.delete({ service, revision }).catch(() => undefined);
    });

    it('shows the split to the viewer but refuses every change, and nothing changes', async () => {
      await plane.choose(admin, service);
      await runningRevisions(admin, service, 2);
      const viewer = RevisionClient.connect({ kubeconfig: viewerKubeconfig(), namespace });
      const shown = await viewer.traffic.service(service);
      assert.equal(shown.traffic?.dataPlane, plane.name);
      assert.deepEqual(shown.revisions.map((r) => [r.revision, r.traffic?.percent]), [[2, 0], [1, 100]]);
      const before = await storedRecord(namespace, service);
      const routing = await routed(namespace, service);
      assert.deepEqual(routing, expectedRouting(plane, service, { 1: 100 }));
      const routeVersion = (await httpRoute(namespace, service))?.resourceVersion;

      await assert.rejects(viewer.traffic.edit(service, { split: [{ revision: 2, percent: 100 }] }), /Could not set the traffic of "[^"]+" in namespace "demo" of context "[^"]+": forbidden \(needs update on configmaps\)/);
      await assert.rejects(viewer.traffic.startRollout(service, 2, { steps: [50, 100], intervalSeconds: 1 }), /forbidden \(needs (update|get) on/);
      await assert.rejects(viewer.traffic.routeAll({ service, revision: 2 }), /forbidden/);
      await assert.rejects(viewer.stop({ service, revision: 2 }), /forbidden/);
      // Moving the service to the other data plane is a change too.
      await assert.rejects(viewer.traffic.applySettings(service, plane.name === 'gateway' ? {} : { gateway: { name: 'public' } }), /forbidden/);

      const after = await storedRecord(namespace, service);
      assert.equal(after.resourceVersion, before.resourceVersion, 'the service object is untouched');
      assert.deepEqual(await routed(namespace, service), routing, 'the cluster routes as before');
      assert.equal((await httpRoute(namespace, service))?.resourceVersion, routeVersion, 'the HTTPRoute (if any) is untouched');
      assert.equal((await admin.getRevision({ service, revision: 2 })).state.kind, 'running');
    });
  });
}

describe('a rollout when the API server goes away, on both data planes', function () {
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

  for (const plane of dataPlanes) {
    it(`on ${plane.title}: stays paused at a consistent step when its driver loses the API server, and resumes from there`, async () => {
      const client = adminClient(namespace);
      await plane.choose(client, 'iris');
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
      const atStep = (step: number) => (step < 0 ? shares(rollout.before) : shares(splitAtStep(rollout.before, 2, plan.steps[step] as number, record.traffic)));
      assert.deepEqual(shares(record.traffic), atStep(rollout.step), 'the split is exactly the one of its last applied step');
      // The driver writes a step, then the data plane: stopped between the two, the cluster still
      // routes the step before, whole; never a mix.
      const routing = await routed(namespace, 'iris');
      const whole = [rollout.step, rollout.step - 1].find((step) => isDeepStrictEqual(routing, expectedRouting(plane, 'iris', atStep(step))));
      assert.notEqual(whole, undefined, `routes a whole step (${rollout.step + 1} or the one before): ${JSON.stringify(routing)}`);
      const view = await waitFor(async () => {
        const v = await client.traffic.rolloutStatus('iris');
        return v?.driverGone ? v : undefined;
      }, 'every viewer to show it paused, its driver gone', 60_000);
      assert.equal(view.state, 'paused');
      console.log(`      paused at step ${rollout.step + 1} (${plan.steps[rollout.step]}%), the cluster routing step ${(whole ?? 0) + 1}`);

      // Any client watching the namespace (a VS Code window showing it) routes the stored step, without a resume.
      const watching = adminClient(namespace);
      const watcher = watching.watch();
      await watcher.start();
      const reconciler = watching.traffic.reconcileWhileWatching(watcher, () => undefined);
      try {
        await waitFor(async () => isDeepStrictEqual(await routed(namespace, 'iris'), expectedRouting(plane, 'iris', atStep(rollout.step))) || undefined, 'a watching client routing the paused step');
      } finally {
        reconciler.stop();
        await watcher.stop();
      }

      const resumed = adminClient(namespace);
      await resumed.traffic.resumeRollout('iris', undefined, 'driver B');
      assert.deepEqual(await routed(namespace, 'iris'), expectedRouting(plane, 'iris', atStep(rollout.step)), 'resuming brings the cluster to the paused step');
      const result = await resumed.traffic.driver('iris', 'driver B', { tickMs: 250 }).run();
      assert.equal(result.state, 'done');
      assert.deepEqual(await storedTraffic(namespace, 'iris'), [{ revision: 2, percent: 100 }]);
      assert.deepEqual(await routed(namespace, 'iris'), expectedRouting(plane, 'iris', { 2: 100 }));
    });
  }
});
