// The built CLI (dist/cli.js) on the Node a person has, against the local control plane: on the
// machine's own Node (the one `npm test` runs on) and on exactly the lowest Node package.json's
// engines.node allows. Below the floor it says so in one line with exit 2, never a stack trace;
// on the floor, cluster commands work (dist/kube.js loads and talks to the API server).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { meetsFloor, NodeFloor } from '../../src/core/runtimeFloor';
import { adminKubeconfig, deleteNamespace, freshNamespace } from './cluster';

function nodeAt(variable: string): string {
  const path = process.env[variable];
  if (!path) throw new Error(`${variable} is not set: run the integration tests through "npm test -- integration"`);
  return path;
}

function versionOf(node: string): string {
  const result = spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${node} does not run (${result.error?.message ?? result.stderr}); scripts/prereqs.sh installs the floor Node`);
  return result.stdout.trim();
}

function cli(node: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(node, ['dist/cli.js', ...args], { env: { ...process.env, KUBECONFIG: adminKubeconfig(), SERVE_REVISIONS_DEBUG: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const stackLine = /^\s+at .+:\d+:\d+\)?$/m;

describe('the built CLI on the Node a person has', function () {
  this.timeout(300_000);
  let namespace: string;
  before(async () => {
    namespace = await freshNamespace('floor');
  });
  after(async () => {
    await deleteNamespace(namespace);
  });

  it("on the machine's Node: says in one line which Node it needs (exit 2), or works", async () => {
    const machine = nodeAt('SERVE_REVISIONS_MACHINE_NODE');
    const version = versionOf(machine);
    if (meetsFloor(version)) {
      // A machine whose default Node meets the floor: the CLI simply works there.
      const listed = await cli(machine, 'list', '-n', namespace);
      assert.equal(listed.code, 0, listed.stderr);
      return;
    }
    for (const args of [['list', '-n', namespace], ['create', 'examples/iris-bentoml.revision.yaml', '-n', namespace], ['--help']]) {
      const result = await cli(machine, ...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.equal(result.stdout, '');
      assert.equal(result.stderr, `serve-revisions: needs Node.js ${NodeFloor} or newer, but this is Node.js ${version} (${machine}). Install Node.js ${NodeFloor.split('.')[0]} LTS or newer (https://nodejs.org, or \`nvm install ${NodeFloor.split('.')[0]}\`) and run it with that.\n`);
      assert.doesNotMatch(result.stderr, stackLine);
    }
  });

  it('on the floor Node (engines.node) runs the cluster commands', async () => {
    const floor = nodeAt('SERVE_REVISIONS_FLOOR_NODE');
    assert.equal(versionOf(floor), NodeFloor, `${floor} is not Node ${NodeFloor}`);
    const created = await cli(floor, 'create', 'examples/iris-bentoml.revision.yaml', '-n', namespace);
    assert.equal(created.code, 0, created.stderr);
    // Then what its pods do after a few seconds, as far as they got on a busy machine ("started; 2/2 ready", "started; 0/2 ready so far", …).
    assert.ok(created.stdout.startsWith(`Created revision 1 of "iris" in namespace "${namespace}" and started`), created.stdout);
    assert.match(created.stdout, /and started([;,][^\n]*)?\.\n$/);
    // --wait polls the API server until the pods run: the Kubernetes client does real work on this Node.
    const waited = await cli(floor, 'start', 'iris', '1', '--wait', '--timeout', '240', '-n', namespace);
    assert.equal(waited.code, 0, waited.stderr);
    assert.match(waited.stdout, /^Revision 1 of "iris" is running 2\/2\.\n$/);
    const listed = await cli(floor, 'list', '-n', namespace, '-o', 'json');
    assert.equal(listed.code, 0, listed.stderr);
    assert.equal((JSON.parse(listed.stdout) as { services: Array<{ name: string }> }).services[0]?.name, 'iris');
  });
});
