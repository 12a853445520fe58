import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { CoreV1Api } from '@kubernetes/client-node';
import { deleteNamespace, freshNamespace, waitFor } from '../cluster';
import { adminKubeConfig, createPod, followPodLog, kubectl, podLogFile, waitForRunningPod } from '../simulation';

/** The text of cluster/sim/<name>.log.txt, which start.sh turns into every pod's log. */
function simulatedLog(name: 'server' | 'crashed'): string[] {
  return readFileSync(`cluster/sim/${name}.log.txt`, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^(stdout|stderr) /, ''));
}

const lines = (text: string) => text.split('\n').filter((l) => l !== '');

describe('local control plane: container logs through the API server, the node and kwok', function () {
  this.timeout(300_000);
  let namespace: string;

  beforeEach(async () => {
    namespace = await freshNamespace('logs');
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it("serves every pod a model server's log, with tail and timestamps", async () => {
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    await createPod(namespace, 'server', 'registry.invalid/model:1');
    await waitForRunningPod(namespace, 'server');
    assert.deepEqual(lines(await core.readNamespacedPodLog({ name: 'server', namespace })), simulatedLog('server'));
    assert.deepEqual(lines(await core.readNamespacedPodLog({ name: 'server', namespace, tailLines: 2 })), simulatedLog('server').slice(-2));
    const stamped = lines(await core.readNamespacedPodLog({ name: 'server', namespace, tailLines: 1, timestamps: true }));
    assert.match(stamped[0] ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z /);
    // kubectl takes the same path.
    assert.deepEqual(lines(kubectl('-n', namespace, 'logs', 'server', '--tail=3')), simulatedLog('server').slice(-3));
  });

  it('tails, filters by time and follows a log file the test writes', async () => {
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    await createPod(namespace, 'followed', 'registry.invalid/model:1');
    await waitForRunningPod(namespace, 'followed');
    const hourAgo = new Date(Date.now() - 3600_000);
    const log = await podLogFile(namespace, 'followed', {
      lines: [{ text: 'old 1', time: hourAgo }, { text: 'old 2', time: hourAgo }, 'recent 1', { text: 'recent 2', stream: 'stderr' }],
    });
    try {
      assert.deepEqual(lines(await core.readNamespacedPodLog({ name: 'followed', namespace, tailLines: 3 })), ['old 2', 'recent 1', 'recent 2']);
      assert.deepEqual(lines(await core.readNamespacedPodLog({ name: 'followed', namespace, sinceSeconds: 600 })), ['recent 1', 'recent 2']);

      // Follow from the last line, as `kubectl logs -f --tail=1` does; appended lines arrive.
      const followed = await followPodLog(namespace, 'followed', 'main', { follow: true, tailLines: 1 });
      try {
        await waitFor(async () => followed.text().includes('recent 2'), 'the followed log to start with the last line', 60_000);
        log.append('appended 1');
        await waitFor(async () => followed.text().includes('appended 1'), 'an appended line to arrive while following', 60_000);
        log.append('appended 2', { stream: 'stderr' });
        await waitFor(async () => followed.text().includes('appended 2'), 'a second appended line to arrive', 60_000);
        assert.deepEqual(lines(followed.text()), ['recent 2', 'appended 1', 'appended 2']);
      } finally {
        followed.stop();
      }
    } finally {
      await log.dispose();
    }
  });

  it("gives a crashing pod's previous container a log that says why it exited", async () => {
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    await createPod(namespace, 'crashing', 'registry.invalid/model:fail-crash');
    const restarted = await waitFor(async () => {
      const pod = await core.readNamespacedPod({ name: 'crashing', namespace });
      const status = pod.status?.containerStatuses?.[0];
      return (status?.restartCount ?? 0) > 0 && status?.state?.waiting?.reason === 'CrashLoopBackOff' ? status : undefined;
    }, 'the pod to crash and restart');
    assert.equal(restarted.lastState?.terminated?.exitCode, 1);
    const previous = await core.readNamespacedPodLog({ name: 'crashing', namespace, previous: true });
    assert.deepEqual(lines(previous), simulatedLog('crashed'));
    assert.match(previous, /FileNotFoundError: model file not found/);
    assert.deepEqual(lines(await core.readNamespacedPodLog({ name: 'crashing', namespace, previous: true, tailLines: 1 })), simulatedLog('crashed').slice(-1));
  });

  it("serves the previous container's log a test writes for one pod", async () => {
    const core = adminKubeConfig().makeApiClient(CoreV1Api);
    await createPod(namespace, 'restarted', 'registry.invalid/model:1');
    await waitForRunningPod(namespace, 'restarted');
    const log = await podLogFile(namespace, 'restarted', { lines: ['second start'], previousLines: ['first start', 'CUDA error: out of memory'] });
    try {
      assert.deepEqual(lines(await core.readNamespacedPodLog({ name: 'restarted', namespace, previous: true })), ['first start', 'CUDA error: out of memory']);
      assert.deepEqual(lines(await core.readNamespacedPodLog({ name: 'restarted', namespace })), ['second start']);
    } finally {
      await log.dispose();
    }
  });
});
