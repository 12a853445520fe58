import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli } from '../../../src/cli/runCli';

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), readFile: (p) => readFile(p) });
  return { code, stdout, stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'serve-revisions-cli-'));
const bad = join(dir, 'bad.revision.yaml');
writeFileSync(bad, readFileSync('test/fixtures/bad.revision.yaml', 'utf8'));
const broken = join(dir, 'broken.revision.yaml');
writeFileSync(broken, 'apiVersion: serve-revisions/v1\nkind: Revision\nservice: [x\n');

let last = '';
/** The Kubernetes bundle as far as a usage error gets: connecting works, nothing is asked of the cluster. */
const fakeKube = {
  RevisionClient: {
    connect: () => ({
      namespace: 'ml',
      traffic: {
        service: () => Promise.resolve({ name: 'iris', namespace: 'ml', revisions: [] }),
        describeClient: () => Promise.resolve('test'),
      },
    }),
  },
} as never;

describe('serve-revisions CLI', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('validates the examples with exit code 0 and no output', async () => {
    const result = await cli('validate', 'examples/iris-bentoml.revision.yaml', 'examples/llama-vllm-gpu.revision.yaml', 'examples/whisper-volumes.revision.yaml');
    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
  });

  it('prints FILE:LINE:COL: error: MESSAGE per finding and exits 1', async () => {
    const { code, stdout } = await cli('validate', bad);
    assert.equal(code, 1);
    const lines = stdout.trim().split('\n');
    assert.deepEqual(lines.map((l) => l.split(': error: ')[0]), [`${bad}:3:10`, `${bad}:8:11`, `${bad}:11:20`, `${bad}:13:16`]);
    assert.match(lines[1] ?? '', /resources\.memory "8GB" is not a Kubernetes quantity: write "8Gi" or "8G"/);
  });

  it('escapes what a cluster error quotes, keeping its line breaks', async () => {
    let stderr = '';
    const failing = { RevisionClient: { connect: () => { throw Object.assign(new Error('Revision "a\u001b[2Jb" is not there.\nList the revisions first.'), { name: 'KubeActionError', kind: 'noKubeconfig' }); } } };
    const code = await runCli(['list', '-n', 'demo'], { stdout: () => undefined, stderr: (t) => (stderr += t), readFile: (p) => readFile(p), loadKube: () => failing as never });
    assert.equal(code, 1);
    assert.equal(stderr, 'serve-revisions: Revision "a\\u001b[2Jb" is not there.\nList the revisions first.\n');
  });

  it('reports broken YAML with a position', async () => {
    const { code, stdout } = await cli('validate', broken);
    assert.equal(code, 1);
    assert.match(stdout, new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error: YAML syntax: `));
  });

  it('exits 2 with a message on unreadable files and usage errors', async () => {
    const missing = await cli('validate', join(dir, 'nope.yaml'));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nope\.yaml: no such file/);
    assert.equal((await cli('validate')).code, 2);
    assert.equal((await cli('frobnicate')).code, 2);
    assert.equal((await cli('validate', '--bogus', bad)).code, 2);
    assert.equal((await cli('render', bad, '--revision', 'x')).code, 2);
  });

  it('emits machine-readable findings with -o json', async () => {
    const { stdout } = await cli('validate', '-o', 'json', bad);
    const [report] = JSON.parse(stdout) as Array<{ diagnostics: Array<{ code: string; line: number }> }>;
    assert.deepEqual(report?.diagnostics.map((d) => [d.code, d.line]), [['service-name', 3], ['memory-quantity', 8], ['port-range', 11], ['autoscaling-min-max', 13]]);
  });

  it('renders the GPU example into the record, a GPU Deployment, a Service and an HPA', async () => {
    const { code, stdout } = await cli('render', 'examples/llama-vllm-gpu.revision.yaml', '--namespace', 'ml');
    assert.equal(code, 0);
    const objects = parseAllDocuments(stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec?: Record<string, any> });
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), ['ConfigMap/llama-chat-r1', 'Deployment/llama-chat-r1', 'Service/llama-chat-r1', 'HorizontalPodAutoscaler/llama-chat-r1', 'Service/llama-chat']);
    assert.equal(objects[1]?.spec?.['template'].spec.containers[0].resources.requests['nvidia.com/gpu'], '1');
    assert.deepEqual([objects[3]?.spec?.['minReplicas'], objects[3]?.spec?.['maxReplicas'], objects[3]?.spec?.['metrics'][0].type], [1, 4, 'Pods']);
    assert.equal(objects[2]?.spec?.['ports'][0].port, 8000);
  });

  it('validates and renders a kind: Service spec: its service object and HTTPRoute', async () => {
    assert.deepEqual(await cli('validate', 'examples/iris.service.yaml'), { code: 0, stdout: '', stderr: '' });
    const { code, stdout } = await cli('render', 'examples/iris.service.yaml', '--namespace', 'ml');
    assert.equal(code, 0);
    const objects = parseAllDocuments(stdout).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace: string }; spec?: Record<string, any> });
    assert.deepEqual(objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`), ['ConfigMap/ml/iris', 'HTTPRoute/ml/iris']);
    assert.deepEqual(objects[1]?.spec?.['parentRefs'], [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public' }]);
  });

  it('says how to use traffic, rollout and diff when their arguments are wrong', async () => {
    for (const [args, pattern] of [
      [['traffic'], /traffic needs SERVICE/],
      [['traffic', 'iris', '2:90'], /"2:90" is not REVISION=PERCENT/],
      [['rollout', 'iris'], /rollout needs SERVICE REV/],
      [['rollout', 'iris', '3', '--steps', '50,10'], /--steps: the steps must grow/],
      [['rollout', 'iris', '3', '--interval', '2m', '--manual'], /either --interval or --manual/],
      [['diff', 'iris', '1'], /diff needs SERVICE and two revision numbers/],
    ] as const) {
      const kubeless = await runCli([...args], { stdout: () => undefined, stderr: (t) => void (last = t), readFile: (p) => readFile(p), loadKube: () => fakeKube });
      assert.equal(kubeless, 2, args.join(' '));
      assert.match(last, pattern, args.join(' '));
    }
  });

  it('refuses to render a spec with errors', async () => {
    const { code, stdout, stderr } = await cli('render', bad);
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /has 4 errors; fix them to render/);
  });

  it('reports a file that is not UTF-8 instead of reading it with replacement characters', async () => {
    const latin1 = join(dir, 'latin1.revision.yaml');
    writeFileSync(latin1, Buffer.from('apiVersion: serve-revisions/v1\nkind: Revision\nservice: iris\nmessage: Caf\xe9 model\nimage: ghcr.io/acme/iris:2.0.0\n', 'latin1'));
    const { code, stdout } = await cli('validate', latin1);
    assert.equal(code, 1);
    assert.match(stdout, new RegExp(`^${latin1.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:13: error: .*not UTF-8`));
    assert.doesNotMatch(stdout, /\uFFFD/);
    const rendered = await cli('render', latin1);
    assert.equal(rendered.code, 1);
  });

  it('never writes control characters from a file to the terminal', async () => {
    const hostile = join(dir, 'hostile.revision.yaml');
    writeFileSync(hostile, 'apiVersion: serve-revisions/v1\nkind: Revision\nservice: "ir\\u001b[2Jis"\nmessage: m\nimage: ghcr.io/acme/iris:2.0.0\nports:\n  - containerP\u001b[31mort: 1\r\n');
    for (const output of ['text', 'json']) {
      const { code, stdout } = await cli('validate', '-o', output, hostile);
      assert.equal(code, 1);
      assert.doesNotMatch(stdout.replace(/\n/g, ''), /[\u0000-\u001f\u007f-\u009f]/);
    }
    const { stdout } = await cli('validate', hostile);
    for (const line of stdout.trim().split('\n')) assert.match(line, /^.*:\d+:\d+: (error|warning): /);
  });

  it('works as the bundled bin with the same exit codes', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' });
    assert.equal(run('validate', 'examples/iris-bentoml.revision.yaml').status, 0);
    const failing = run('validate', bad);
    assert.equal(failing.status, 1);
    assert.equal(failing.stdout.trim().split('\n').length, 4);
    assert.equal(run('validate', join(dir, 'missing.yaml')).status, 2);
  });
});
