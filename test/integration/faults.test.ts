import assert from 'node:assert/strict';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { revisionSelector } from '../../src/core/kube/labels';
import type { RevisionChange, WatchStatus } from '../../src/kube/namespaceWatcher';
import type { RevisionClient } from '../../src/kube/revisionClient';
import { adminClient, adminKubeconfig, clusterScript, deleteNamespace, freshNamespace, makeSpec, useOwnControlPlane, waitFor } from './cluster';

describe('faults: the API server or etcd goes away', function () {
  // A hang guard: a fault test waits for the control plane to recover, which a loaded machine slows.
  this.timeout(600_000);
  // Faults on a cluster of their own: the suite's shared cluster never sees them.
  useOwnControlPlane();
  let namespace: string;

  beforeEach(async () => {
    namespace = await freshNamespace('fault');
  });
  afterEach(async () => {
    // Whatever a test did, leave etcd and the API server running for the next one...
    clusterScript('pause-etcd.sh', 'resume');
    clusterScript('restart-apiserver.sh', 'start');
    // ...and the control plane running workloads again. Its controllers reconnect with backoff
    // after a fault (about 10 s after an API-server restart here, once more than 2 min in CI),
    // and that recovery belongs to this test, not to whichever test comes next.
    const started = Date.now();
    const probe = adminClient(namespace);
    await probe.create(makeSpec('after-fault', { replicas: 1 }), { launch: true });
    await waitFor(async () => (await probe.getRevision({ service: 'after-fault', revision: 1 })).state.kind === 'running', 'the control plane to run a new revision again after the fault', 240_000);
    console.log(`      control plane running new revisions again ${((Date.now() - started) / 1000).toFixed(1)} s after the fault ended`);
    await deleteNamespace(namespace);
  });

  it('fails an action clearly while it is down, makes nothing, and the watch recovers by itself', async () => {
    const client = adminClient(namespace);
    const watcher = client.watch();
    const statuses: WatchStatus['kind'][] = [];
    const changes: RevisionChange[] = [];
    watcher.onStatus((s) => statuses.push(s.kind));
    watcher.onChange((c) => changes.push(c));
    await watcher.start();
    try {
      clusterScript('restart-apiserver.sh', 'stop');
      await assert.rejects(client.create(makeSpec('offline')), (error: Error) => {
        assert.match(error.message, /^Could not create a revision of "offline" in namespace "[^"]+" of context "[^"]+": cannot reach the API server/);
        return true;
      });
      await waitFor(async () => statuses.includes('error'), 'the watch to report the lost connection', 60_000);

      clusterScript('restart-apiserver.sh', 'start');
      assert.deepEqual(await client.listServices(), [], 'no half-made revision');
      await waitFor(async () => watcher.status.kind === 'synced', 'the watch to reconnect', 60_000);
      await client.create(makeSpec('online'));
      await waitFor(async () => changes.some((c) => c.service === 'online' && c.revision === 1), 'the new record to arrive through the recovered watch', 60_000);
      assert.deepEqual(watcher.services().map((s) => s.name), ['online']);
    } finally {
      await watcher.stop();
    }
  });

  // The API server stops once the action has visibly begun (its first write reached a watch from
  // another connection). Where exactly the rest of it then is varies from run to run; every
  // outcome is asserted, and so is the invariant.
  // `begun`: the kind of object whose write shows the action under way (a create first takes its
  // number from the service object; the record is what the assertions below start from).
  const midway: Array<{ what: string; begun: string; act: (client: RevisionClient) => Promise<unknown>; prepare?: (client: RevisionClient) => Promise<unknown> }> = [
    { what: 'create-and-launch', begun: 'records', act: (client) => client.create(makeSpec('midway', { replicas: 1 }), { launch: true }) },
    { what: 'a start of a stopped revision', begun: 'services', prepare: (client) => client.create(makeSpec('midway', { replicas: 1 })), act: (client) => client.start({ service: 'midway', revision: 1 }) },
  ];
  for (const { what, begun: begunOn, act, prepare } of midway) {
    it(`leaves nothing half-made when the API server stops in the middle of ${what}`, async () => {
      const client = adminClient(namespace);
      await prepare?.(client);
      const observer = adminClient(namespace).watch();
      await observer.start();
      let begun = false;
      observer.onChange((c) => {
        if (c.service === 'midway' && c.kind === begunOn) begun = true;
      });
      let outcome: { ok: true } | { ok: false; error: Error };
      try {
        const pending = act(client).then(
          () => ({ ok: true as const }),
          (error: Error) => ({ ok: false as const, error }),
        );
        await waitFor(async () => begun, `the first write of ${what} to reach the watch`, 60_000, 5);
        clusterScript('restart-apiserver.sh', 'stop');
        outcome = await pending;
      } finally {
        clusterScript('restart-apiserver.sh', 'start');
        await observer.stop();
      }
      const kc = new KubeConfig();
      kc.loadFromFile(adminKubeconfig());
      const core = kc.makeApiClient(CoreV1Api);
      const apps = kc.makeApiClient(AppsV1Api);
      const found = await waitFor(
        async () => ({
          records: (await core.listNamespacedConfigMap({ namespace, labelSelector: revisionSelector('midway', 1) })).items.length,
          deployments: (await apps.listNamespacedDeployment({ namespace, labelSelector: revisionSelector('midway', 1) })).items.length,
          endpoints: (await core.listNamespacedService({ namespace, labelSelector: revisionSelector('midway', 1) })).items.length,
        }),
        'the API server to answer again',
      );
      console.log(`      ${outcome.ok ? 'finished before the stop' : 'stopped part-way'}: ${JSON.stringify(found)}`);
      // The record was written before the stop (that is what the watch saw), and a workload
      // never exists without its record and its endpoint.
      assert.equal(found.records, 1, 'the record');
      assert.ok(found.deployments === 0 || found.endpoints === 1, `a Deployment without its endpoint Service: ${JSON.stringify(found)}`);
      if (outcome.ok) {
        assert.deepEqual(found, { records: 1, deployments: 1, endpoints: 1 }, 'a finished action made everything');
      } else {
        assert.match(outcome.error.message, /cannot reach the API server|did not answer in time|dropped the request|was created but could not be started/);
      }
      // Start again completes whatever was left: the revision comes up. kube-controller-manager
      // retries a Deployment that failed mid-restart with growing backoff: up to 98 s seen here.
      await client.start({ service: 'midway', revision: 1 });
      await waitFor(async () => (await client.getRevision({ service: 'midway', revision: 1 })).state.kind === 'running', 'the revision running after Start again', 240_000);
    });
  }

  it('fails create-and-launch clearly while etcd is frozen, leaves nothing half-made, and the watch carries on after', async () => {
    // The API server gives up on storage after its request timeout (60 s by default), within the describe's 300 s.
    const client = adminClient(namespace);
    const watcher = client.watch();
    const changes: RevisionChange[] = [];
    watcher.onChange((c) => changes.push(c));
    await watcher.start();
    try {
      clusterScript('pause-etcd.sh', 'pause');
      let outcome: { ok: true } | { ok: false; error: Error };
      try {
        outcome = await client.create(makeSpec('frozen', { replicas: 1 }), { launch: true }).then(
          () => ({ ok: true as const }),
          (error: Error) => ({ ok: false as const, error }),
        );
      } finally {
        clusterScript('pause-etcd.sh', 'resume');
      }
      assert.equal(outcome.ok, false, 'a create cannot succeed while etcd is frozen');
      if (!outcome.ok) {
        // kube-apiserver answers 504 or resets the HTTP/2 stream when its request timeout fires; both read alike.
        assert.match(outcome.error.message, /^Could not create a revision of "frozen" in namespace "[^"]+" of context "[^"]+": the API server (timed out \(504\)|dropped the request \(ERR_HTTP2_[A-Z_]+\), as it does when its datastore \(etcd\) is slow or down), so the change may or may not have been applied\. Refresh/);
      }

      // Once etcd answers again, whatever the API server had queued lands or not; either way no
      // workload exists without its record, and a retry of Start brings an existing record up.
      const kc = new KubeConfig();
      kc.loadFromFile(adminKubeconfig());
      const core = kc.makeApiClient(CoreV1Api);
      const apps = kc.makeApiClient(AppsV1Api);
      const settled = await waitFor(
        async () => {
          const records = await core.listNamespacedConfigMap({ namespace, labelSelector: revisionSelector('frozen', 1) });
          const deployments = await apps.listNamespacedDeployment({ namespace, labelSelector: revisionSelector('frozen', 1) });
          return { records: records.items.length, deployments: deployments.items.length };
        },
        'the API server to answer after etcd resumed',
        60_000,
      );
      if (settled.deployments > 0) assert.equal(settled.records, 1, 'a Deployment exists without its record');
      if (settled.records === 1) {
        await client.start({ service: 'frozen', revision: 1 });
        await waitFor(async () => (await client.getRevision({ service: 'frozen', revision: 1 })).state.kind === 'running', 'the revision running after a retry');
      }

      // The watch was never told anything while etcd was frozen; it still delivers.
      await client.create(makeSpec('thawed'));
      await waitFor(async () => changes.some((c) => c.service === 'thawed' && c.revision === 1), 'a record made after the thaw to arrive through the same watch', 60_000);
      assert.ok(watcher.services().some((s) => s.name === 'thawed'));
    } finally {
      await watcher.stop();
    }
  });
});
