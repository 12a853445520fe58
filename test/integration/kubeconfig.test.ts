import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { parse, stringify } from 'yaml';
import { RevisionClient } from '../../src/kube/revisionClient';
import { adminKubeconfig } from './cluster';

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
    const dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
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
    assert.throws(() => RevisionClient.connect({ context: 'missing' }), /Context "missing" is not in the kubeconfig\. Known contexts: other, via-plugin\./);
  });
});
