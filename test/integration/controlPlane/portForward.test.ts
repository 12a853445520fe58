import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { deleteNamespace, freshNamespace, waitFor } from '../cluster';
import { adminKubeConfig, createPod, forwardPodPort, openLocalPortForward, waitForRunningPod } from '../simulation';

async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { headers: { connection: 'close' }, signal: AbortSignal.timeout(15_000) });
  return { status: response.status, body: await response.text() };
}

describe('local control plane: port-forward to a pod through the API server', function () {
  this.timeout(300_000);
  let namespace: string;

  beforeEach(async () => {
    namespace = await freshNamespace('forward');
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it("reaches a server the test runs, forwarded from the pod's port by kwok", async () => {
    const token = `hello from the test ${Math.random().toString(36).slice(2)}`;
    const requested: string[] = [];
    const server: Server = createServer((request, response) => {
      requested.push(`${request.method} ${request.url}`);
      response.writeHead(200, { 'content-type': 'text/plain', connection: 'close' });
      response.end(token);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    try {
      await createPod(namespace, 'endpoint', 'registry.invalid/model:1');
      await waitForRunningPod(namespace, 'endpoint');
      const removeForward = await forwardPodPort(namespace, 'endpoint', { port: address.port }, [3000]);
      const forward = await openLocalPortForward(adminKubeConfig(), namespace, 'endpoint', 3000);
      try {
        // kwok picks the PortForward object up through a watch: retry until it answers for it.
        const answer = await waitFor(async () => {
          const got = await get(`${forward.url}/v1/models`);
          return got.body === token ? got : undefined;
        }, 'the forwarded request to reach the test server', 60_000, 500);
        assert.equal(answer.status, 200);
        assert.ok(requested.includes('GET /v1/models'), `the test server saw ${JSON.stringify(requested)}`);
        // A second connection works as well: every connection is its own stream.
        assert.equal((await get(`${forward.url}/again`)).body, token);
      } finally {
        await forward.close();
        await removeForward();
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("answers on any pod's port by default with the simulated model server", async () => {
    await createPod(namespace, 'default-endpoint', 'registry.invalid/model:1');
    await waitForRunningPod(namespace, 'default-endpoint');
    const forward = await openLocalPortForward(adminKubeConfig(), namespace, 'default-endpoint', 8080);
    try {
      const answer = await get(`${forward.url}/healthz?probe=1`);
      assert.equal(answer.status, 200);
      assert.deepEqual(JSON.parse(answer.body), { status: 'ok', server: 'simulated model server', method: 'GET', path: '/healthz?probe=1' });
    } finally {
      await forward.close();
    }
  });
});
