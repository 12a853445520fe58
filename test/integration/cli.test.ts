import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { adminKubeconfig, deleteNamespace, freshNamespace, viewerKubeconfig, waitFor } from './cluster';

/** The bundled CLI, as CI scripts run it, loading dist/kube.js on first cluster command. */
function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], { env: { ...process.env, KUBECONFIG: adminKubeconfig() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

describe('serve-revisions CLI against the local control plane', function () {
  this.timeout(300_000);
  let namespace: string;
  beforeEach(async () => {
    namespace = await freshNamespace('cli');
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('creates, lists, scales, stops, reproduces and deletes through the same core', async () => {
    const created = await cli('create', 'examples/iris-bentoml.revision.yaml', '-n', namespace);
    assert.equal(created.code, 0, created.stderr);
    // The example launches itself (launchImmediately); the line says what its pods do.
    assert.match(created.stdout, new RegExp(`^Created revision 1 of "iris" in namespace "${namespace}" and started; \\d/2 ready( so far \\(\\w+\\))?\\.\\n$`));

    const running = await waitFor(async () => {
      const list = await cli('list', '-n', namespace, '-o', 'json');
      const data = JSON.parse(list.stdout) as { services: Array<{ name: string; revisions: Array<{ revision: number; stateText: string }> }> };
      return data.services[0]?.revisions[0]?.stateText === 'running 2/2' ? data : undefined;
    }, 'iris revision 1 running 2/2 in `list -o json`');
    assert.equal(running.services[0]?.name, 'iris');

    const table = await cli('list', '-n', namespace);
    assert.match(table.stdout, /^SERVICE\s+REVISION\s+STATE\s+IMAGE\s+AGE\s+MESSAGE\niris\s+1\s+running 2\/2\s+ghcr\.io\/acme-ml\/iris-classifier:2\.0\.1\s+\d+s\s+Iris classifier v2/);

    assert.equal((await cli('scale', 'iris', '1', '--replicas', '1', '-n', namespace)).code, 0);
    await waitFor(async () => (await cli('list', '-n', namespace)).stdout.includes('running 1/1'), 'scaled to 1');

    const reproduced = await cli('reproduce', 'iris', '1', '--message', 'retrained', '-n', namespace);
    assert.equal(reproduced.stdout, 'Created revision 2 of "iris", reproduced from revision 1, and started it.\n');

    assert.equal((await cli('stop', 'iris', '1', '-n', namespace)).stdout, 'Stopped revision 1 of "iris"; its recipe is kept.\n');
    const refused = await cli('delete', 'iris', '1', '-n', namespace);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /add --yes to confirm/);
    assert.equal((await cli('delete', 'iris', '1', '--yes', '-n', namespace)).code, 0);
    const missing = await cli('start', 'iris', '1', '-n', namespace);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /Could not find revision 1 of "iris" in namespace "[^"]+" of context "[^"]+": it does not exist/);
    // Scale says the same as start, stop and delete, not "it is stopped. Start it first."
    for (const args of [['scale', 'iris', '1', '--replicas', '3'], ['scale', 'iris', '1', '--min', '2', '--max', '4'], ['stop', 'iris', '1'], ['delete', 'iris', '1', '--yes']]) {
      const gone = await cli(...args, '-n', namespace);
      assert.equal(gone.code, 1, args.join(' '));
      assert.match(gone.stderr, /^serve-revisions: Could not find revision 1 of "iris" in namespace "[^"]+" of context "[^"]+": it does not exist/, args.join(' '));
    }
  });

  it('waits for a start with --wait and fails on a broken image with the reason', async () => {
    const { writeFileSync, mkdtempSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'cli-')), 'bad-image.revision.yaml');
    writeFileSync(file, 'apiVersion: serve-revisions/v1\nkind: Revision\nservice: broken\nmessage: m\nimage: registry.invalid/model-server:fail-pull\nresources: {cpu: 100m, memory: 128Mi}\nports: [{name: http, containerPort: 80}]\n');
    assert.equal((await cli('create', file, '-n', namespace)).code, 0);
    const started = await cli('start', 'broken', '1', '--wait', '--timeout', '240', '-n', namespace);
    assert.equal(started.code, 1);
    assert.match(started.stdout, /Revision 1 of "broken" is failed: ImagePullBackOff/);
  });

  it('reports a forbidden write for a read-only user and exits 1', async () => {
    const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, ['dist/cli.js', 'create', 'examples/iris-bentoml.revision.yaml', '--kubeconfig', viewerKubeconfig(), '-n', 'demo']);
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code: code ?? 1, stderr }));
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /forbidden \(needs create on configmaps\)/);
  });
});
