// The built executable (dist/cli.js) as a person runs it: whatever goes wrong, one line on
// stderr and no stack trace, unless --debug or SERVE_REVISIONS_DEBUG=1 asks for one.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'serve-revisions-main-'));
/** Stands in for a Kubernetes bundle that fails in a way nobody foresaw (SERVE_REVISIONS_KUBE_BUNDLE is loadKube's override). */
const exploding = join(dir, 'exploding-kube.js');
writeFileSync(exploding, "throw new TypeError('Cannot read properties of undefined (reading \\'bind\\')\\n\\u001b[31mnext line');\n");

function run(args: string[], env: Record<string, string> = {}): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8', env: { ...process.env, SERVE_REVISIONS_KUBE_BUNDLE: exploding, SERVE_REVISIONS_DEBUG: '', ...env } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const stackLine = /^\s+at .+:\d+:\d+\)?$/m;

describe('serve-revisions executable, last resort', () => {
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints one line and how to get the details, exit 70, on an unexpected failure', () => {
    const { status, stdout, stderr } = run(['list', '-n', 'demo']);
    assert.equal(status, 70);
    assert.equal(stdout, '');
    assert.equal(stderr.split('\n').filter(Boolean).length, 1, stderr);
    assert.doesNotMatch(stderr, stackLine);
    assert.match(stderr, /^serve-revisions: unexpected failure: Cannot read properties of undefined \(reading 'bind'\)\\n\\u001b\[31mnext line\. Run it again with --debug \(or SERVE_REVISIONS_DEBUG=1\) for the details/);
  });

  it('prints the stack when asked with --debug or SERVE_REVISIONS_DEBUG=1', () => {
    for (const { args, env } of [{ args: ['list', '--debug'], env: {} }, { args: ['list'], env: { SERVE_REVISIONS_DEBUG: '1' } }]) {
      const { status, stderr } = run(args, env);
      assert.equal(status, 70);
      assert.match(stderr, /^serve-revisions: unexpected failure: TypeError: Cannot read properties/);
      assert.match(stderr, stackLine);
    }
  });

  it('still answers commands that need no cluster, and usage errors, in one line', () => {
    assert.equal(run(['validate', 'examples/iris-bentoml.revision.yaml']).status, 0);
    const unknown = run(['frobnicate']);
    assert.equal(unknown.status, 2);
    assert.doesNotMatch(unknown.stderr, stackLine);
  });
});
