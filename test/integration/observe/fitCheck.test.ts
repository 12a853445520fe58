// "Will it fit?" checked against reality: what the check predicts before Start is what the
// scheduler and the quota admission then say.
import assert from 'node:assert/strict';
import { adminClient, adminCore, cli, deleteNamespace, freshNamespace, makeSpec, waitFor } from '../cluster';
import { waitForEvent } from '../simulation';

describe('fit check: the prediction before Start against the scheduler\'s verdict', function () {
  this.timeout(300_000);
  let namespace: string;

  beforeEach(async () => {
    namespace = await freshNamespace('fit');
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('predicts a GPU shortage on the node with the most free, and the pod then waits for the same reason', async () => {
    const client = adminClient(namespace);
    // Six of the GPU node's eight GPUs taken by a running revision.
    await client.create(makeSpec('hog', { resources: { cpu: '1', memory: '1Gi', gpu: { count: 6 } }, replicas: 1 }), { launch: true });
    await waitFor(async () => (await client.getRevision({ service: 'hog', revision: 1 })).state.kind === 'running', 'the GPU hog running');
    await client.create(makeSpec('llama', { resources: { cpu: '1', memory: '1Gi', gpu: { count: 4 } }, replicas: 1 }), { launch: false });

    const verdict = await client.checkFit({ service: 'llama', revision: 1 });
    assert.equal(verdict.fits, false);
    assert.match(verdict.problems[0] ?? '', /^needs 4 × nvidia\.com\/gpu on one node; the most free is [0-3], on kwok-gpu-0$/);

    // The CLI warns with the same words and starts it anyway.
    const started = await cli('start', 'llama', '1', '-n', namespace);
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stderr, /^serve-revisions: warning: Revision 1 of "llama" may not fit: needs 4 × nvidia\.com\/gpu on one node; the most free is [0-3], on kwok-gpu-0\. Its pods would wait until room is made\. Starting it anyway\.\n$/);
    const { details } = await waitFor(async () => {
      const d = await client.describe({ service: 'llama', revision: 1 });
      return d.details.state === 'failed' ? d : undefined;
    }, 'the scheduler to refuse');
    assert.match(details.headline, /Unschedulable: .*Insufficient nvidia\.com\/gpu/);
    assert.equal(details.pods[0]?.phase, 'Pending');

    // A revision that fits is predicted to, and runs.
    await client.create(makeSpec('small', { resources: { cpu: '100m', memory: '128Mi', gpu: { count: 2 } }, replicas: 1 }), { launch: false });
    assert.deepEqual((await client.checkFit({ service: 'small', revision: 1 })).problems, []);
    await client.start({ service: 'small', revision: 1 });
    await waitFor(async () => (await client.getRevision({ service: 'small', revision: 1 })).state.kind === 'running', 'the fitting revision to run');
  });

  it('predicts a quota refusal, and the ReplicaSet then refuses for the same quota', async () => {
    const core = adminCore();
    await core.createNamespacedResourceQuota({ namespace, body: { metadata: { name: 'one-cpu' }, spec: { hard: { 'requests.cpu': '1' } } } });
    await waitFor(async () => (await core.readNamespacedResourceQuota({ name: 'one-cpu', namespace })).status?.hard?.['requests.cpu'], 'the quota to be counted');
    const client = adminClient(namespace);
    await client.create(makeSpec('big', { resources: { cpu: '400m', memory: '128Mi' }, replicas: 3 }), { launch: false });
    const verdict = await client.checkFit({ service: 'big', revision: 1 });
    assert.deepEqual(verdict.problems, [`needs requests.cpu 1.2 in namespace "${namespace}", but ResourceQuota "one-cpu" leaves 1 of 1`]);
    // The same for a spec before it is created (Create and launch).
    assert.equal((await client.checkSpecFit(makeSpec('big', { resources: { cpu: '400m', memory: '128Mi' }, replicas: 3 }))).fits, false);

    await client.start({ service: 'big', revision: 1 });
    const rs = await waitFor(async () => (await client.apps.listNamespacedReplicaSet({ namespace })).items[0]?.metadata?.name, 'the ReplicaSet');
    await waitForEvent(namespace, 'ReplicaSet', rs, 'FailedCreate', /exceeded quota: one-cpu/);
  });
});
