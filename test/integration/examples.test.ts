// The demo is the tutorial: every shipped example validates clean against a cluster prepared with
// examples/demo-cluster.yaml (what `npm start` applies to "demo") and launches there, or says in
// a comment why it cannot and what a real cluster needs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clusterFindings, preventsRunning, referencedNames } from '../../src/core/language/clusterChecks';
import type { RevisionSpec } from '../../src/core/spec/revisionSpec';
import { parseSpecText } from '../../src/core/spec/specDocument';
import { findSpecProblems } from '../../src/core/spec/validateSpec';
import { ClusterLookups } from '../../src/kube/clusterLookups';
import { adminClient, adminCore, adminKubeconfig, deleteNamespace, freshNamespace, waitFor } from './cluster';

const examples = join(process.cwd(), 'examples');
const files = readdirSync(examples).filter((f) => f.endsWith('.revision.yaml'));

/** Examples that cannot launch on the demo cluster, and the cluster check that says why (their comment must say it too). */
const CannotLaunchHere: Record<string, { code: string; comment: RegExp; refusal: RegExp }> = {
  'llama-vllm-gpu.revision.yaml': { code: 'cluster-no-custom-metrics', comment: /no custom metrics API[\s\S]*real cluster needs/, refusal: /serves no custom metrics API/ },
};

describe('the shipped examples on a cluster prepared like the demo', function () {
  this.timeout(300_000);
  let namespace: string;

  before(async () => {
    namespace = await freshNamespace('examples');
    const kubectl = process.env.SERVE_REVISIONS_KUBECTL ?? 'kubectl';
    const applied = spawnSync(kubectl, ['--kubeconfig', adminKubeconfig(), 'apply', '-n', namespace, '-f', join(examples, 'demo-cluster.yaml')], { encoding: 'utf8' });
    assert.equal(applied.status, 0, applied.stderr);
    // The claims bind to their volumes before pods that mount them can be scheduled.
    await waitFor(async () => (await adminCore().listNamespacedPersistentVolumeClaim({ namespace })).items.every((c) => c.status?.phase === 'Bound'), 'the demo claims bound');
  });
  after(async () => {
    await deleteNamespace(namespace);
    for (const name of ['demo-whisper-weights', 'demo-speech-datasets']) await adminCore().deletePersistentVolume({ name }).catch(() => undefined);
  });

  for (const file of files) {
    it(`${file} validates clean and ${CannotLaunchHere[file] ? 'says why it cannot launch here' : 'launches'}`, async () => {
      const text = readFileSync(join(examples, file), 'utf8');
      const spec = parseSpecText(text).value as RevisionSpec;
      assert.deepEqual(findSpecProblems(spec), [], 'the spec itself has no finding');
      const client = adminClient(namespace);
      const lookups = new ClusterLookups(client, () => undefined);
      const facts = await lookups.facts(namespace, referencedNames(spec), { gpu: (spec.resources?.gpu?.count ?? 0) > 0, customMetrics: spec.autoscaling?.metric === 'gpu' }, 30_000);
      const cluster = clusterFindings(spec, facts);
      const expected = CannotLaunchHere[file];
      assert.deepEqual(cluster.map((f) => f.code), expected ? [expected.code] : [], JSON.stringify(cluster));
      if (expected) {
        assert.ok(cluster.every(preventsRunning));
        assert.match(text, expected.comment, `${file} says in a comment why it cannot launch here and what a real cluster needs`);
        await assert.rejects(client.create(spec, { launch: true }), expected.refusal);
        return;
      }
      const created = await client.create(spec, { launch: true });
      const verdict = await waitFor(async () => {
        const state = (await client.getRevision(created)).state;
        return state.kind === 'running' || state.kind === 'failed' ? state : undefined;
      }, `${file} running`);
      assert.equal(verdict.kind, 'running', JSON.stringify(verdict));
    });
  }
});
