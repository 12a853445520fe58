// The logs of a revision, all its pods merged, against the local control plane: followed lines
// arrive, a new pod joins, previous containers, the filter, and the bad days: the revision
// deleted while followed, the API server going away mid-stream, a user who may not read logs.
import assert from 'node:assert/strict';
import { KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { RevisionClient } from '../../../src/kube/revisionClient';
import type { LogEvent, RevisionLogStream } from '../../../src/kube/revisionLogs';
import type { ObservedRevision, ObserverStatus } from '../../../src/kube/revisionObserver';
import { adminClient, adminKubeconfig, cli, clusterScript, deleteNamespace, freshNamespace, makeSpec, useOwnControlPlane, viewerKubeconfig, waitFor } from '../cluster';
import { podLogFile } from '../simulation';

/** Follows a stream and keeps what it tells. */
async function follow(stream: RevisionLogStream): Promise<{ events: LogEvent[]; lines: () => string[] }> {
  const events: LogEvent[] = [];
  stream.onEvent((e) => events.push(e));
  await stream.start();
  return { events, lines: () => events.flatMap((e) => (e.kind === 'line' ? [`${e.pod} ${e.text}`] : [])) };
}

async function runningPods(client: RevisionClient, namespace: string, service: string, count: number): Promise<string[]> {
  return waitFor(async () => {
    const pods = (await client.core.listNamespacedPod({ namespace, labelSelector: `serve-revisions.dev/service=${service}` })).items.filter((p) => p.status?.phase === 'Running' && !p.metadata?.deletionTimestamp);
    return pods.length === count ? pods.map((p) => p.metadata?.name ?? '').sort() : undefined;
  }, `${count} running pod(s) of ${service}`);
}

describe('logs: all of a revision\'s pods, merged', function () {
  this.timeout(300_000);
  let namespace: string;
  let client: RevisionClient;

  beforeEach(async () => {
    namespace = await freshNamespace('logs');
    client = adminClient(namespace);
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('follows from the last lines, gets new lines, and a new pod joins when the revision scales', async () => {
    await client.create(makeSpec('iris', { replicas: 1 }), { launch: true });
    const [first] = await runningPods(client, namespace, 'iris', 1);
    const log = await podLogFile(namespace, first ?? '', { lines: ['old line 1', 'old line 2', 'old line 3'] });
    const stream = client.logs({ service: 'iris', revision: 1 }, { tailLines: 2 });
    try {
      const followed = await follow(stream);
      await waitFor(async () => followed.lines().length === 2, 'the last two lines');
      assert.deepEqual(followed.lines(), [`${first} old line 2`, `${first} old line 3`], 'from the last N lines, never the whole log');
      log.append('a new request served');
      await waitFor(async () => followed.lines().includes(`${first} a new request served`), 'the appended line');

      await client.scale({ service: 'iris', revision: 1 }, { replicas: 2 });
      const joined = await waitFor(async () => followed.events.find((e) => e.kind === 'joined' && e.pod !== first), 'a second pod to join');
      const second = (joined as { pod: string }).pod;
      // The new pod serves the cluster-wide simulated log: its last two lines arrive, prefixed with it.
      await waitFor(async () => followed.lines().filter((l) => l.startsWith(`${second} `)).length === 2, 'the new pod\'s lines');
      assert.ok(followed.lines().some((l) => l === `${second} INFO     10.244.0.1:48212 - "GET /readyz HTTP/1.1" 200 OK`));

      await client.scale({ service: 'iris', revision: 1 }, { replicas: 1 });
      await waitFor(async () => followed.events.some((e) => e.kind === 'left'), 'a pod to leave');
    } finally {
      await stream.stop();
      await log.dispose();
    }
    assert.equal(stream.openStreams, 0, 'stopping closes every stream');
  });

  it('reads the previous containers of a crashing revision, and says which pods have none', async () => {
    await client.create(makeSpec('crash', { image: 'registry.invalid/model:fail-crash', replicas: 1 }), { launch: true });
    await waitFor(async () => {
      const pods = (await client.core.listNamespacedPod({ namespace })).items;
      return pods.some((p) => (p.status?.containerStatuses?.[0]?.restartCount ?? 0) > 0);
    }, 'a restart');
    const previous = await follow(client.logs({ service: 'crash', revision: 1 }, { previous: true }));
    await waitFor(async () => previous.events.some((e) => e.kind === 'ended'), 'the previous logs read once');
    assert.match(previous.lines().at(-1) ?? '', /^crash-r1-[\w-]+ ERROR {4}Model server failed to start; exiting with code 1$/);

    await client.create(makeSpec('fine', { replicas: 1 }), { launch: true });
    await runningPods(client, namespace, 'fine', 1);
    const none = await follow(client.logs({ service: 'fine', revision: 1 }, { previous: true }));
    await waitFor(async () => none.events.some((e) => e.kind === 'ended'), 'the read to end');
    assert.ok(none.events.some((e) => e.kind === 'notice' && /has not restarted: it has no previous container/.test(e.message)));
    assert.deepEqual(none.lines(), []);
  });

  it('shows only matching lines with --grep, each after its pod\'s name, in the CLI', async () => {
    await client.create(makeSpec('iris', { replicas: 2 }), { launch: true });
    const pods = await runningPods(client, namespace, 'iris', 2);
    const out = await cli('logs', 'iris', '1', '-n', namespace, '--grep', '/Uvicorn|WARNING/');
    assert.equal(out.code, 0, out.stderr);
    const lines = out.stdout.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 4, out.stdout);
    for (const line of lines) assert.match(line, /^\[iris-r1-[\w-]+\] (INFO {5}Uvicorn running|WARNING {2}Request body)/);
    assert.deepEqual([...new Set(lines.map((l) => /^\[([^\]]+)\]/.exec(l)?.[1]))].sort(), pods);
    const tail = await cli('logs', 'iris', '1', '-n', namespace, '--tail', '1', '--since', '1h');
    assert.equal(tail.stdout.split('\n').filter((l) => l !== '').length, 2, 'one line of each pod');
    const bad = await cli('logs', 'iris', '1', '-n', namespace, '--since', 'yesterday');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--since must be a duration such as 30s, 10m or 1h30m/);
  });

  it('says so when the revision is deleted while its logs are followed', async () => {
    await client.create(makeSpec('gone', { replicas: 1 }), { launch: true });
    await runningPods(client, namespace, 'gone', 1);
    const stream = client.logs({ service: 'gone', revision: 1 });
    try {
      const followed = await follow(stream);
      await waitFor(async () => followed.lines().length > 0, 'the first lines');
      // A revision that serves cannot be deleted (issue 14's rule): stopped first, as a person
      // must, while its logs are still followed; the stream then waits for pods to come back.
      await client.stop({ service: 'gone', revision: 1 });
      await waitFor(async () => followed.events.some((e) => e.kind === 'left'), 'its pod to leave the stream');
      await client.delete({ service: 'gone', revision: 1 });
      const ended = await waitFor(async () => followed.events.find((e) => e.kind === 'ended'), 'the stream to end');
      assert.equal((ended as { message: string }).message, 'Revision 1 of "gone" was deleted: there is nothing more to follow.');
      assert.equal(stream.openStreams, 0);
      assert.equal(followed.events.at(-1)?.kind, 'ended', 'nothing after the end');
    } finally {
      await stream.stop();
    }
  });

  it('names the permission a user lacks: get on pods/log, list on events', async () => {
    await client.create(makeSpec('iris', { replicas: 1 }), { launch: true });
    await runningPods(client, namespace, 'iris', 1);
    // The viewer may read the revision's objects here, but neither logs nor events.
    const kc = new KubeConfig();
    kc.loadFromFile(adminKubeconfig());
    const rbac = kc.makeApiClient(RbacAuthorizationV1Api);
    await rbac.createNamespacedRole({
      namespace,
      body: {
        metadata: { name: 'objects-only' },
        rules: [
          { apiGroups: [''], resources: ['pods', 'configmaps', 'services'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['apps'], resources: ['deployments', 'replicasets'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['autoscaling'], resources: ['horizontalpodautoscalers'], verbs: ['get', 'list', 'watch'] },
        ],
      },
    });
    await rbac.createNamespacedRoleBinding({ namespace, body: { metadata: { name: 'viewer-objects' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'objects-only' }, subjects: [{ kind: 'User', name: 'viewer', apiGroup: 'rbac.authorization.k8s.io' }] } });
    const viewer = RevisionClient.connect({ kubeconfig: viewerKubeconfig(), namespace });
    await waitFor(async () => viewer.listServices(namespace), 'the role to take effect');

    const followed = await follow(viewer.logs({ service: 'iris', revision: 1 }));
    const failed = await waitFor(async () => followed.events.find((e) => e.kind === 'failed'), 'the logs to be refused');
    assert.match((failed as { message: string }).message, /forbidden \(needs get on pods\/log\)/);

    const { details, problems } = await viewer.describe({ service: 'iris', revision: 1 });
    assert.equal(details.pods.length, 1, 'what may be read still shows');
    assert.deepEqual(problems, ['Events are not shown: forbidden (needs list on events). Ask a cluster admin for that permission in this namespace, or switch to a context that has it.']);
  });
});

describe('logs when the API server goes away mid-stream', function () {
  this.timeout(300_000);
  // Stopping the API server is a fault: on a control plane of its own, as faults.test.ts does.
  useOwnControlPlane();
  let namespace: string;
  let client: RevisionClient;

  beforeEach(async () => {
    namespace = await freshNamespace('logs-fault');
    client = adminClient(namespace);
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('says it is reconnecting while the API server is away, then resumes without repeating a line', async () => {
    await client.create(makeSpec('iris', { replicas: 1 }), { launch: true });
    const [pod] = await runningPods(client, namespace, 'iris', 1);
    const log = await podLogFile(namespace, pod ?? '', { lines: ['before 1', 'before 2'] });
    const stream = client.logs({ service: 'iris', revision: 1 });
    try {
      const followed = await follow(stream);
      await waitFor(async () => followed.lines().length === 2, 'the first lines');
      clusterScript('restart-apiserver.sh', 'stop');
      try {
        const reconnecting = await waitFor(async () => followed.events.find((e) => e.kind === 'reconnecting'), 'the stream to say it reconnects', 60_000);
        assert.match((reconnecting as { message: string }).message, /cannot reach the API server|did not answer|dropped/);
        log.append('while away');
      } finally {
        clusterScript('restart-apiserver.sh', 'start');
      }
      await waitFor(async () => followed.events.some((e) => e.kind === 'resumed'), 'the stream to resume', 120_000);
      await waitFor(async () => followed.lines().includes(`${pod} while away`), 'the line written while away', 60_000);
      log.append('after');
      await waitFor(async () => followed.lines().includes(`${pod} after`), 'a line after the restart', 60_000);
      assert.deepEqual(followed.lines(), [`${pod} before 1`, `${pod} before 2`, `${pod} while away`, `${pod} after`], 'each line once, in order');
    } finally {
      await stream.stop();
      await log.dispose();
    }
  });

  it('keeps the details view "not live" until the API server is back, then catches up by watch', async () => {
    await client.create(makeSpec('iris', { replicas: 1 }), { launch: true });
    await runningPods(client, namespace, 'iris', 1);
    const observer = client.observe({ service: 'iris', revision: 1 });
    const statuses: ObserverStatus[] = [];
    let latest: ObservedRevision | undefined;
    observer.onStatus((s) => statuses.push(s));
    observer.onChange((o) => (latest = o));
    await observer.start();
    try {
      await waitFor(async () => latest?.deployment !== undefined, 'the observer to see the Deployment');
      clusterScript('restart-apiserver.sh', 'stop');
      try {
        // Failed attempts back off (250 ms, 500 ms, 1 s, …: an attempt that never lists is not a
        // success), and not one of them may say "live".
        await waitFor(async () => statuses.some((s) => s.kind === 'reconnecting' && s.retryInMs >= 2_000), 'the retries to back off to 2 s', 60_000);
        assert.deepEqual(statuses.filter((s) => s.kind === 'live'), [], 'never live while the API server is away');
        assert.equal(observer.status.kind, 'reconnecting');
      } finally {
        clusterScript('restart-apiserver.sh', 'start');
      }
      await waitFor(async () => observer.status.kind === 'live', 'the observer to be live again', 120_000);
      await client.scale({ service: 'iris', revision: 1 }, { replicas: 2 });
      await waitFor(async () => latest?.deployment?.spec?.replicas === 2, 'the observer to see the scale made after the restart', 60_000);
    } finally {
      await observer.stop();
    }
  });
});
