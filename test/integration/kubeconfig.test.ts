import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { kubeErrorOf } from '../../src/core/kube/kubeErrors';
import { readContexts } from '../../src/kube/clusterConnection';
import { RevisionClient } from '../../src/kube/revisionClient';
import { adminKubeconfig, scratchDir } from './cluster';

interface KubeconfigFile {
  clusters: Array<{ name: string; cluster: Record<string, unknown> }>;
  users: Array<{ name: string; user: Record<string, string> }>;
  contexts: Array<{ name: string; context: Record<string, string> }>;
  'current-context': string;
}

describe('kubeconfig handling as kubectl does it', function () {
  this.timeout(60_000);
  const saved = process.env['KUBECONFIG'];
  afterEach(() => {
    if (saved === undefined) delete process.env['KUBECONFIG'];
    else process.env['KUBECONFIG'] = saved;
  });

  it('merges several KUBECONFIG files, runs an exec credential plugin, and never writes the files', async () => {
    const admin = parse(readFileSync(adminKubeconfig(), 'utf8')) as KubeconfigFile;
    const user = admin.users[0]?.user ?? {};
    const dir = scratchDir('kubeconfig-');
    // The plugin hands out the admin's client certificate, as cloud CLIs hand out tokens.
    const plugin = join(dir, 'credential-plugin.js');
    writeFileSync(
      plugin,
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { clientCertificateData: ${JSON.stringify(Buffer.from(user['client-certificate-data'] ?? '', 'base64').toString())}, clientKeyData: ${JSON.stringify(Buffer.from(user['client-key-data'] ?? '', 'base64').toString())} } }));\n`,
    );
    chmodSync(plugin, 0o755);
    const clusters = join(dir, 'clusters.yaml');
    const users = join(dir, 'users.yaml');
    const clusterEntry = admin.clusters[0] as { name: string; cluster: Record<string, unknown> };
    writeFileSync(clusters, stringify({ apiVersion: 'v1', kind: 'Config', clusters: [clusterEntry], contexts: [{ name: 'other', context: { cluster: clusterEntry.name, user: 'nobody' } }, { name: 'via-plugin', context: { cluster: clusterEntry.name, user: 'plugin-user', namespace: 'demo' } }], 'current-context': 'other' }));
    writeFileSync(users, stringify({ apiVersion: 'v1', kind: 'Config', users: [{ name: 'plugin-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: process.execPath, args: [plugin], interactiveMode: 'Never' } } }, { name: 'nobody', user: {} }] }));
    const before = [readFileSync(clusters, 'utf8'), readFileSync(users, 'utf8')];

    process.env['KUBECONFIG'] = [clusters, users].join(delimiter);
    const client = RevisionClient.connect({ context: 'via-plugin' });
    assert.equal(client.contextName, 'via-plugin');
    assert.equal(client.namespace, 'demo', "the context's namespace");
    assert.ok(Array.isArray(await client.listServices()));
    assert.equal(RevisionClient.connect({ context: 'via-plugin', namespace: 'default' }).namespace, 'default');
    assert.deepEqual([readFileSync(clusters, 'utf8'), readFileSync(users, 'utf8')], before, 'the kubeconfig files are not written');
    assert.throws(
      () => RevisionClient.connect({ context: 'missing' }),
      (error: unknown) => {
        assert.equal(kubeErrorOf(error)?.kind, 'unknownContext');
        assert.match((error as Error).message, /^Context "missing" is not in the kubeconfig \(KUBECONFIG \(.+\)\), or no longer\. Choose one of "other", "via-plugin" \(Switch Context… in the editor, --context NAME on the command line\)\.$/);
        return true;
      },
    );
    // The contexts, for a picker, without the stale choice getting in the way.
    assert.deepEqual(readContexts(), { contexts: [{ name: 'other', cluster: clusterEntry.name }, { name: 'via-plugin', cluster: clusterEntry.name, namespace: 'demo' }], currentContext: 'other' });
  });

  it('tells "no kubeconfig at all" from a broken one, as data', () => {
    const dir = scratchDir('kubeconfig-');
    process.env['KUBECONFIG'] = [join(dir, 'absent-a'), join(dir, 'absent-b')].join(delimiter);
    for (const attempt of [() => RevisionClient.connect(), () => readContexts()]) {
      assert.throws(attempt, (error: unknown) => {
        assert.deepEqual({ kind: kubeErrorOf(error)?.kind, code: kubeErrorOf(error)?.code }, { kind: 'noKubeconfig', code: 'missing' });
        assert.match((error as Error).message, /^No usable kubeconfig: none of the files in KUBECONFIG \(.+absent-a:.+absent-b\) exists\./);
        return true;
      });
    }
    const empty = join(dir, 'empty.kubeconfig');
    writeFileSync(empty, 'apiVersion: v1\nkind: Config\nclusters: []\ncontexts: []\nusers: []\n');
    assert.equal(kubeErrorOf(catchError(() => RevisionClient.connect({ kubeconfig: empty })))?.code, 'noContexts');
    assert.equal(kubeErrorOf(catchError(() => RevisionClient.connect({ kubeconfig: join(dir, 'typo.kubeconfig') })))?.kind, 'badKubeconfig');
    const garbled = join(dir, 'garbled.kubeconfig');
    writeFileSync(garbled, 'clusters: [\n');
    const broken = kubeErrorOf(catchError(() => RevisionClient.connect({ kubeconfig: garbled })));
    assert.equal(broken?.kind, 'badKubeconfig');
    assert.match(broken?.message ?? '', new RegExp(`^Could not read the kubeconfig from ${garbled}: `));
  });
});

function catchError(attempt: () => unknown): unknown {
  try {
    attempt();
  } catch (error) {
    return error;
  }
  assert.fail('expected it to throw');
}
