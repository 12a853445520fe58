import assert from 'node:assert/strict';
import { comparableSpecText, specDiff } from '../../../../src/core/traffic/compareSpecs';

const r1 = 'apiVersion: serve-revisions/v1\nkind: Revision\nservice: iris\nnamespace: ml\nrevision: 1\nmessage: first\ncreatedAt: 2026-11-28T09:00:00Z\ncreatedBy: ada\nimage: ghcr.io/acme/iris:1.0.0\nreplicas: 1\n';
const r2 = r1.replace('revision: 1', 'revision: 2').replace('createdAt: 2026-11-28T09:00:00Z', 'createdAt: 2026-11-29T10:00:00Z').replace('createdBy: ada', 'createdBy: bob');

describe('comparing revisions', () => {
  it('leaves out what creation assigns', () => {
    assert.doesNotMatch(comparableSpecText(r1), /revision:|createdAt|createdBy/);
    assert.equal(specDiff('iris', { revision: 1, text: r1 }, { revision: 2, text: r2 }), '', 'the same recipe, created twice');
  });

  it('shows what a person changed as a unified diff', () => {
    const changed = r2.replace('replicas: 1', 'replicas: 3').replace('iris:1.0.0', 'iris:1.1.0');
    const diff = specDiff('iris', { revision: 1, text: r1 }, { revision: 2, text: changed });
    assert.match(diff, /^--- iris\/r1\n\+\+\+ iris\/r2\n@@ /);
    assert.match(diff, /^-image: ghcr\.io\/acme\/iris:1\.0\.0$/m);
    assert.match(diff, /^\+image: ghcr\.io\/acme\/iris:1\.1\.0$/m);
    assert.match(diff, /^\+replicas: 3$/m);
    assert.doesNotMatch(diff, /createdBy/);
  });
});
