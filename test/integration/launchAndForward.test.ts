// What a person sees right after launching, and their own local port to a revision: the first
// verdict on the pods (running, or pending with the scheduler's reason) and the endpoint forwarded
// through the API server to 127.0.0.1, answered by kwok's simulated model server.
import assert from 'node:assert/strict';
import { launchOutcome } from '../../src/core/kube/launchOutcome';
import { adminClient, deleteNamespace, freshNamespace, makeSpec, waitFor } from './cluster';

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { headers: { connection: 'close' }, signal: AbortSignal.timeout(15_000) });
  return { status: response.status, body: await response.text() };
}

describe('launch outcome and endpoint forwarding against the local control plane', function () {
  this.timeout(300_000);
  let namespace: string;

  beforeEach(async () => {
    namespace = await freshNamespace('launch');
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('says "started; 2/2 ready" for pods that run, and names why pods that cannot be scheduled are pending', async () => {
    const client = adminClient(namespace);
    const ok = await client.create(makeSpec('iris'), { launch: true });
    const running = await client.firstVerdict(ok, 60_000);
    assert.equal(launchOutcome(running).text, 'started; 2/2 ready');

    // More GPUs than the GPU node's 8: the scheduler says so, and the outcome passes it on.
    const greedy = await client.create(makeSpec('llama', { replicas: 1, resources: { cpu: '1', memory: '1Gi', gpu: { count: 16 } } }), { launch: true });
    const pending = await client.firstVerdict(greedy, 60_000);
    const outcome = launchOutcome(pending);
    assert.equal(outcome.severity, 'warning');
    assert.match(outcome.text, /^started, but its pods are pending: 0\/3 nodes are available: .*Insufficient nvidia\.com\/gpu\.$/);
  });

  it('gives up waiting after the time given, and says what it saw', async () => {
    const client = adminClient(namespace);
    const created = await client.create(makeSpec('slow'), { launch: true });
    const early = await client.firstVerdict(created, 0);
    assert.ok(early === undefined || ['starting', 'running'].includes(early.kind), JSON.stringify(early));
  });

  it('forwards a running revision to a local port through the API server, and says when it has no ready pod', async () => {
    const client = adminClient(namespace);
    const created = await client.create(makeSpec('iris', { replicas: 1 }), { launch: true });
    await waitFor(async () => (await client.getRevision(created)).state.kind === 'running', 'revision 1 running');
    const forward = await client.forwardEndpoint(created);
    try {
      assert.equal(forward.targetPort, 3000);
      assert.match(forward.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const answer = await waitFor(async () => {
        const got = await get(`${forward.url}/v1/models`);
        return got.status === 200 ? got : undefined;
      }, 'the forwarded request to be answered', 60_000, 500);
      assert.deepEqual(JSON.parse(answer.body), { status: 'ok', server: 'simulated model server', method: 'GET', path: '/v1/models' });
      // Every connection is its own stream: a second request works too.
      assert.equal((await get(`${forward.url}/healthz`)).status, 200);
    } finally {
      await forward.close();
    }
    await assert.rejects(get(`${forward.url}/closed`), 'the local port is closed once the forward stops');

    await client.stop(created);
    await assert.rejects(client.forwardEndpoint(created), /has no ready pod\. Start it/);
  });
});
