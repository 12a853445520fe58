import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cli, deleteNamespace, freshNamespace, scratchDir, viewerKubeconfig, waitFor } from './cluster';

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
    assert.match(table.stdout, /^SERVICE\s+REVISION\s+STATE\s+TRAFFIC\s+IMAGE\s+AGE\s+MESSAGE\niris\s+1\s+running 2\/2\s+100%\s+ghcr\.io\/acme-ml\/iris-classifier:2\.0\.1\s+\d+s\s+Iris classifier v2/);

    assert.equal((await cli('scale', 'iris', '1', '--replicas', '1', '-n', namespace)).code, 0);
    await waitFor(async () => (await cli('list', '-n', namespace)).stdout.includes('running 1/1'), 'scaled to 1');

    const reproduced = await cli('reproduce', 'iris', '1', '--message', 'retrained', '-n', namespace);
    assert.equal(reproduced.stdout, 'Created revision 2 of "iris", reproduced from revision 1, and started it.\n');

    // Revision 1 serves all the traffic: stop is refused, naming the share and the command that moves it.
    const serving = await cli('stop', 'iris', '1', '-n', namespace);
    assert.equal(serving.code, 1);
    assert.match(serving.stderr, /^serve-revisions: Could not stop revision 1 of "iris" in namespace "[^"]+" of context "[^"]+": it serves 100% of the traffic of "iris", and a stopped revision cannot hold traffic\. Move its share first, e\.g\. to revision 2: serve-revisions traffic iris 2=100\.\n$/);
    await waitFor(async () => (await cli('list', '-n', namespace)).stdout.includes('running 2/2'), 'revision 2 running');
    assert.equal((await cli('traffic', 'iris', '2=100', '-n', namespace)).code, 0);
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

  it('sets and prints traffic, rolls out with --wait, and diffs two revisions: the contract scripts rely on', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const dir = scratchDir('cli-traffic-');
    const spec = (image: string, replicas: number) => `apiVersion: serve-revisions/v1\nkind: Revision\nservice: iris\nmessage: m\nimage: ${image}\nresources: {cpu: 100m, memory: 128Mi}\nports: [{name: http, containerPort: 3000}]\nreplicas: ${replicas}\n`;
    writeFileSync(join(dir, 'a.revision.yaml'), spec('ghcr.io/acme/iris:1.0.0', 1));
    writeFileSync(join(dir, 'b.revision.yaml'), spec('ghcr.io/acme/iris:1.1.0', 1));
    for (const file of ['a', 'b', 'a']) assert.equal((await cli('create', join(dir, `${file}.revision.yaml`), '--launch', '-n', namespace)).code, 0);
    await waitFor(async () => (await cli('list', '-n', namespace)).stdout.match(/running 1\/1/g)?.length === 3, 'three revisions running');

    const split = await cli('traffic', 'iris', '1=70', '2=30', '--tag', '3=canary', '-n', namespace, '-o', 'json');
    assert.equal(split.code, 0, split.stderr);
    assert.deepEqual(JSON.parse(split.stdout), {
      service: 'iris',
      dataPlane: 'plain',
      traffic: [
        { revision: 3, percent: 0, effectivePercent: 0, tags: ['canary'] },
        { revision: 2, percent: 30, effectivePercent: JSON.parse(split.stdout).traffic[1].effectivePercent, tags: [] },
        { revision: 1, percent: 70, effectivePercent: JSON.parse(split.stdout).traffic[2].effectivePercent, tags: [] },
      ],
    });
    const shown = await waitFor(async () => {
      const text = await cli('traffic', 'iris', '-n', namespace);
      return /^2\s+30%\s+50%\s+-\s+running 1\/1$/m.test(text.stdout) ? text.stdout : undefined;
    }, 'the effective share from the EndpointSlices: one ready pod each');
    assert.match(shown, /^Service "iris" in namespace "[^"]+": plain data plane .*approximate/);
    assert.match(shown, /^REVISION\s+PERCENT\s+EFFECTIVE\s+TAGS\s+STATE\n3\s+0%\s+0%\s+canary\s+running 1\/1\n/m);
    const list = JSON.parse((await cli('list', '-n', namespace, '-o', 'json')).stdout) as { services: Array<{ revisions: Array<{ revision: number; trafficPercent: number }> }> };
    assert.deepEqual(list.services[0]?.revisions.map((r) => [r.revision, r.trafficPercent]), [[3, 0], [2, 30], [1, 70]]);

    const bad = await cli('traffic', 'iris', '1=70', '2=20', '-n', namespace);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /the shares add up to 90, not 100: give the remaining 10 to one of the revisions/);
    const stopped = await cli('traffic', 'iris', '1=50', '9=50', '-n', namespace);
    assert.match(stopped.stderr, /revision 9 of "iris" does not exist/);

    const rollout = await cli('rollout', 'iris', '3', '--steps', '50,100', '--interval', '1s', '--wait', '-n', namespace);
    assert.equal(rollout.code, 0, rollout.stderr);
    assert.match(rollout.stdout, /^Started a rollout of revision 3 of "iris": 50 → 100, 1s each; step 1 applied \(50%\)\./);
    assert.match(rollout.stdout, /Rollout of "iris" done: all traffic on revision 3\.\n$/);
    const status = await cli('rollout', 'status', 'iris', '-n', namespace, '-o', 'json');
    assert.equal((JSON.parse(status.stdout) as { state: string }).state, 'done');
    assert.match((await cli('rollout', 'pause', 'iris', '-n', namespace)).stderr, /no rollout is under way \(the last one, of revision 3, is done\)/);

    const same = await cli('diff', 'iris', '1', '3', '-n', namespace);
    assert.deepEqual([same.code, same.stdout], [0, '']);
    const different = await cli('diff', 'iris', '1', '2', '-n', namespace);
    assert.equal(different.code, 1);
    assert.match(different.stdout, /^--- iris\/r1\n\+\+\+ iris\/r2\n@@ .* @@\n/);
    assert.match(different.stdout, /^-image: ghcr\.io\/acme\/iris:1\.0\.0\n\+image: ghcr\.io\/acme\/iris:1\.1\.0$/m);
    const missing = await cli('diff', 'iris', '1', '9', '-n', namespace);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /Could not find revision 9 of "iris"/);

    // A kind: Service spec sets the service's settings: from now on the split goes through an HTTPRoute.
    assert.equal((await cli('validate', 'examples/iris.service.yaml')).code, 0);
    const applied = await cli('create', 'examples/iris.service.yaml', '-n', namespace);
    assert.equal(applied.stdout, `Applied the settings of "iris" in namespace "${namespace}": traffic through the Gateway "public", rollouts of 10 → 50 → 100.\n`);
    assert.equal((JSON.parse((await cli('traffic', 'iris', '-n', namespace, '-o', 'json')).stdout) as { dataPlane: string }).dataPlane, 'gateway');
  });

  it('waits for a start with --wait and fails on a broken image with the reason', async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const file = join(scratchDir('cli-'), 'bad-image.revision.yaml');
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
