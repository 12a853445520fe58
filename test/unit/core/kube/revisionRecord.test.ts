import assert from 'node:assert/strict';
import { authoredSpec, nextRevisionDraft, nextRevisionNumber, reproducedSpec } from '../../../../src/core/kube/revisionRecord';
import type { RevisionSpec } from '../../../../src/core/spec/revisionSpec';

const stored: RevisionSpec = {
  apiVersion: 'serve-revisions/v1',
  kind: 'Revision',
  service: 'iris',
  namespace: 'demo',
  revision: 3,
  message: 'Retrained on March data',
  createdAt: '2026-01-02T12:00:00Z',
  createdBy: 'ada',
  reproducedFrom: 1,
  image: 'ghcr.io/example/iris:1.1.0',
} as RevisionSpec;

describe('revision records', () => {
  it('leaves out what creation assigns, keeping the recipe and its origin', () => {
    const authored = authoredSpec(stored);
    assert.deepEqual(Object.keys(authored).sort(), ['apiVersion', 'image', 'kind', 'message', 'namespace', 'reproducedFrom', 'service']);
    assert.equal(stored.revision, 3, 'the stored spec is not changed');
  });

  it('starts the next revision of a service from the latest, with an empty message and no origin', () => {
    const draft = nextRevisionDraft(stored);
    assert.equal(draft.message, '');
    assert.equal(draft.reproducedFrom, undefined);
    assert.equal(draft.revision, undefined);
    assert.equal(draft.image, stored.image);
  });

  it('says where a reproduction comes from, in its origin and its message', () => {
    const draft = reproducedSpec(stored, 3);
    assert.equal(draft.reproducedFrom, 3);
    assert.equal(draft.message, 'Reproduced from revision 3: Retrained on March data');
    assert.equal(draft.createdBy, undefined);
  });

  it('numbers the next revision after the highest record, 1 for the first', () => {
    const record = (n: string) => ({ metadata: { labels: { 'serve-revisions.dev/revision': n } } });
    assert.equal(nextRevisionNumber([]), 1);
    assert.equal(nextRevisionNumber([record('2'), record('7'), record('3')]), 8);
    assert.equal(nextRevisionNumber([record('x'), {}]), 1);
  });
});
