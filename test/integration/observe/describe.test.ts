// "Why is it not ready", against the local control plane: each failure kind the cluster can
// produce (an image that cannot be pulled, a crash loop with its previous log, a pod no node can
// take, a quota refusal), read through RevisionClient.describe and watched live by the observer.
import assert from 'node:assert/strict';
import { adminClient, adminCore, cli, deleteNamespace, freshNamespace, makeSpec, waitFor } from '../cluster';
import type { RevisionDetailsView } from '../../../src/shared/detailsProtocol';
import type { ObservedRevision } from '../../../src/kube/revisionObserver';

describe('describe: why a revision is not ready, in the cluster\'s words', function () {
  this.timeout(300_000);
  let namespace: string;

  beforeEach(async () => {
    namespace = await freshNamespace('describe');
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  const describeUntil = (service: string, accept: (d: RevisionDetailsView) => boolean, what: string) =>
    waitFor(async () => {
      const { details } = await adminClient(namespace).describe({ service, revision: 1 });
      return accept(details) ? details : undefined;
    }, what);

  it('names the image and the registry\'s message of a pull that fails, with the pod\'s Failed event', async () => {
    const client = adminClient(namespace);
    await client.create(makeSpec('pull', { image: 'registry.invalid/model:fail-pull', replicas: 1 }), { launch: true });
    const details = await describeUntil('pull', (d) => d.state === 'failed' && d.events.some((e) => e.reason === 'Failed') && d.events.some((e) => e.reason === 'Scheduled'), 'the pull failure with its events');
    assert.equal(details.stateText, 'failed: ImagePullBackOff');
    assert.match(details.headline, /^ImagePullBackOff: the image "registry\.invalid\/model:fail-pull" cannot be pulled\. Back-off pulling image "registry\.invalid\/model:fail-pull": ErrImagePull: /);
    const pod = details.pods[0];
    assert.equal(pod?.phase, 'Pending');
    assert.match(pod?.node ?? '', /^kwok-/);
    assert.equal(pod?.reason, 'ImagePullBackOff');
    const seconds = details.events.map((e) => Math.floor(Date.parse(e.time ?? '') / 1000));
    assert.deepEqual(seconds, [...seconds].sort((a, b) => b - a), 'newest first');
    assert.ok(details.events.some((e) => e.reason === 'Scheduled' && e.object.startsWith('Pod/pull-r1-')));
  });

  it('gives a crash loop its last exit code and the last lines of the previous container\'s log', async () => {
    const client = adminClient(namespace);
    await client.create(makeSpec('crash', { image: 'registry.invalid/model:fail-crash', replicas: 1 }), { launch: true });
    const details = await describeUntil('crash', (d) => (d.pods[0]?.previousLog?.length ?? 0) > 0 && d.state === 'failed' && d.events.some((e) => e.reason === 'BackOff'), 'the crash with its previous log and BackOff event');
    assert.equal(details.stateText, 'failed: CrashLoopBackOff');
    const container = details.pods[0]?.containers[0];
    assert.equal(container?.lastExitCode, 1);
    assert.ok((details.pods[0]?.restarts ?? 0) > 0);
    assert.deepEqual(details.pods[0]?.previousLog?.slice(-2), ['FileNotFoundError: model file not found: /models/model.safetensors', 'ERROR    Model server failed to start; exiting with code 1']);
    assert.match(details.headline, /^CrashLoopBackOff: container "server" keeps exiting with code 1.*; restarted \d+ times?\. Its last log line: ERROR {4}Model server failed to start; exiting with code 1$/);
  });

  it('quotes the scheduler when no node has the GPUs, and the CLI prints it', async () => {
    const client = adminClient(namespace);
    await client.create(makeSpec('greedy', { resources: { cpu: '1', memory: '1Gi', gpu: { count: 16 } }, replicas: 1 }), { launch: true });
    const details = await describeUntil('greedy', (d) => d.state === 'failed' && d.events.some((e) => e.reason === 'FailedScheduling'), 'the scheduling failure');
    assert.match(details.headline, /^Unschedulable: no node can run its pods\. The scheduler says: 0\/3 nodes are available: .*Insufficient nvidia\.com\/gpu/);
    assert.equal(details.pods[0]?.node, undefined);

    const { code, stdout: out } = await cli('describe', 'greedy', '1', '-n', namespace);
    assert.equal(code, 0);
    assert.match(out, /^State: {5}failed: Unschedulable$/m);
    assert.match(out, /^Why: {7}Unschedulable: no node can run its pods\. The scheduler says: 0\/3 nodes are available/m);
    assert.match(out, /FailedScheduling/);
    const json = await cli('describe', 'greedy', '1', '-o', 'json', '-n', namespace);
    assert.equal((JSON.parse(json.stdout) as { details: RevisionDetailsView }).details.state, 'failed');
  });

  it('shows a quota refusal from the ReplicaSet, live through the observer', async () => {
    const core = adminCore();
    await core.createNamespacedResourceQuota({ namespace, body: { metadata: { name: 'one-cpu' }, spec: { hard: { 'requests.cpu': '1' } } } });
    await waitFor(async () => (await core.readNamespacedResourceQuota({ name: 'one-cpu', namespace })).status?.hard?.['requests.cpu'], 'the quota to be counted');
    const client = adminClient(namespace);
    await client.create(makeSpec('big', { resources: { cpu: '400m', memory: '128Mi' }, replicas: 3 }), { launch: false });
    const observer = client.observe({ service: 'big', revision: 1 });
    let latest: ObservedRevision | undefined;
    observer.onChange((o) => (latest = o));
    await observer.start();
    try {
      await waitFor(async () => latest?.record !== undefined && latest.deployment === undefined, 'the observer to see the stopped revision');
      await client.start({ service: 'big', revision: 1 });
      const seen = await waitFor(async () => (latest?.replicaSets.some((rs) => rs.status?.conditions?.some((c) => c.type === 'ReplicaFailure')) ? latest : undefined), 'the observer to see the ReplicaSet refuse');
      assert.ok(seen.events.some((e) => e.reason === 'FailedCreate' && /exceeded quota: one-cpu/.test(e.message ?? '')));
    } finally {
      await observer.stop();
    }
    const details = await describeUntil('big', (d) => d.refusals.length > 0, 'the refusal');
    assert.match(details.refusals[0] ?? '', /^ReplicaSet big-r1-\w+: FailedCreate: pods "big-r1-[\w-]+" is forbidden: exceeded quota: one-cpu/);
    assert.equal(details.pods.length, 2, 'two of three pods fit the quota');
  });
});
