import assert from 'node:assert/strict';
import { servesTraffic, splitText, type TrafficTarget } from '../../../../src/core/traffic/trafficModel';
import {
  applySplit,
  applyTags,
  apportion,
  moveShare,
  normalizeTraffic,
  parseAssignment,
  replicasForSplit,
  splitProblem,
  stopDecision,
  tagChangesProblem,
  tagProblem,
  trafficAfterStart,
  withoutRevision,
  withoutShare,
} from '../../../../src/core/traffic/trafficPolicy';

const revisions = [
  { revision: 1, state: 'stopped' },
  { revision: 2, state: 'running' },
  { revision: 3, state: 'starting' },
  { revision: 4, state: 'failed' },
];

describe('traffic policy', () => {
  it('reads REV=PERCENT and says what is wrong with anything else', () => {
    assert.deepEqual(parseAssignment('2=90'), { revision: 2, percent: 90 });
    assert.deepEqual(parseAssignment(' #3 = 10% '), { revision: 3, percent: 10 });
    assert.match(String(parseAssignment('2:90')), /is not REVISION=PERCENT, e\.g\. "2=90"/);
    assert.match(String(parseAssignment('2=12.5')), /share of revision 2 must be a whole number from 0 to 100, not "12\.5"/);
    assert.match(String(parseAssignment('2=101')), /from 0 to 100/);
    assert.match(String(parseAssignment('0=100')), /revision numbers start at 1/);
  });

  it('accepts a split of whole percents adding up to 100 over running or starting revisions', () => {
    assert.equal(splitProblem('iris', [{ revision: 2, percent: 90 }, { revision: 3, percent: 10 }], revisions), undefined);
    assert.equal(splitProblem('iris', [{ revision: 2, percent: 100 }, { revision: 1, percent: 0 }], revisions), undefined, 'a stopped revision may be given 0');
  });

  it('refuses a split naming the field and the fix', () => {
    assert.match(splitProblem('iris', [{ revision: 2, percent: 90 }], revisions) ?? '', /add up to 90, not 100: give the remaining 10 to one of the revisions/);
    assert.match(splitProblem('iris', [{ revision: 2, percent: 90 }, { revision: 3, percent: 20 }], revisions) ?? '', /add up to 110, not 100: take 10 away/);
    assert.match(splitProblem('iris', [{ revision: 7, percent: 100 }], revisions) ?? '', /revision 7 of "iris" does not exist: it has #1, #2, #3, #4/);
    assert.match(splitProblem('iris', [{ revision: 1, percent: 100 }], revisions) ?? '', /revision 1 of "iris" is stopped, and a stopped revision cannot hold traffic: start it first \(serve-revisions start iris 1\), or give it 0/);
    assert.match(splitProblem('iris', [{ revision: 4, percent: 100 }], revisions) ?? '', /is failed, and a failed revision cannot hold traffic/);
    assert.match(splitProblem('iris', [{ revision: 2, percent: 50 }, { revision: 2, percent: 50 }], revisions) ?? '', /revision 2 is given twice/);
    assert.match(splitProblem('iris', [], revisions) ?? '', /no share given/);
  });

  it('applies a split as the whole distribution, keeping tags where they are', () => {
    const before: TrafficTarget[] = [{ revision: 2, percent: 100 }, { revision: 3, percent: 0, tags: ['canary'] }];
    assert.deepEqual(applySplit(before, [{ revision: 3, percent: 10 }, { revision: 2, percent: 90 }]), [{ revision: 3, percent: 10, tags: ['canary'] }, { revision: 2, percent: 90 }]);
    assert.deepEqual(applySplit(before, [{ revision: 2, percent: 100 }]), before.slice().reverse(), 'an untagged 0 % entry is dropped, a tagged one kept');
    assert.equal(splitText(applySplit([], [{ revision: 3, percent: 10 }, { revision: 2, percent: 90 }])), '#2 90% · #3 10%');
    assert.equal(splitText([]), 'no revision serves');
  });

  it('names tags as DNS labels that keep <service>-<tag> within 63 characters and apart from revision endpoints', () => {
    assert.equal(tagProblem('iris', 'canary'), undefined);
    assert.match(tagProblem('iris', 'Canary') ?? '', /not a valid name/);
    assert.match(tagProblem('iris', 'r2') ?? '', /would name the Service "iris-r2", which is revision 2's own endpoint/);
    assert.match(tagProblem('a'.repeat(55), 'b'.repeat(8)) ?? '', /may take at most 7/);
  });

  it('moves a tag to exactly one revision and removes tags that exist', () => {
    const traffic: TrafficTarget[] = [{ revision: 2, percent: 100, tags: ['stable'] }];
    const moved = applyTags(traffic, { tag: [{ revision: 3, tag: 'stable' }] });
    assert.deepEqual(moved, [{ revision: 3, percent: 0, tags: ['stable'] }, { revision: 2, percent: 100 }]);
    assert.deepEqual(applyTags(moved, { untag: ['stable'] }), [{ revision: 2, percent: 100 }]);
    assert.match(tagChangesProblem('iris', traffic, { untag: ['canary'] }, revisions) ?? '', /no revision of "iris" is tagged "canary": its tags are "stable"/);
    assert.match(tagChangesProblem('iris', traffic, { tag: [{ revision: 9, tag: 'x' }] }, revisions) ?? '', /revision 9 of "iris" does not exist/);
    assert.match(tagChangesProblem('iris', traffic, { tag: [{ revision: 2, tag: 'a' }, { revision: 3, tag: 'a' }] }, revisions) ?? '', /given twice/);
    const many = Array.from({ length: 16 }, (_, i) => ({ revision: 2, tag: `t${String.fromCharCode(97 + i)}` }));
    assert.match(tagChangesProblem('iris', [], { tag: many }, revisions) ?? '', /at most 15 tags/);
  });

  it('gives a start traffic only when nothing serves: the first revision gets 100 %, later ones 0 %', () => {
    assert.deepEqual(trafficAfterStart([], 1), [{ revision: 1, percent: 100 }]);
    assert.equal(trafficAfterStart([{ revision: 1, percent: 100 }], 2), undefined);
    assert.deepEqual(trafficAfterStart([{ revision: 1, percent: 0, tags: ['old'] }], 2), [{ revision: 2, percent: 100 }, { revision: 1, percent: 0, tags: ['old'] }]);
  });

  it('answers "does this revision serve traffic" from its share', () => {
    assert.equal(servesTraffic({ traffic: { percent: 10 } }), true);
    assert.equal(servesTraffic({ traffic: { percent: 0 } }), false);
    assert.equal(servesTraffic({}), false);
  });

  it('lets a revision stop when it serves nothing, asks to move a share another could take, and lets the last one go', () => {
    const traffic: TrafficTarget[] = [{ revision: 2, percent: 60 }, { revision: 3, percent: 40 }];
    assert.deepEqual(stopDecision(traffic, 1, revisions), { kind: 'free' });
    assert.deepEqual(stopDecision(traffic, 2, revisions), { kind: 'mustMove', share: 60, candidates: [3] });
    assert.deepEqual(stopDecision([{ revision: 2, percent: 100 }], 2, revisions), { kind: 'mustMove', share: 100, candidates: [3] });
    assert.deepEqual(stopDecision([{ revision: 2, percent: 100 }], 2, [{ revision: 2, state: 'running' }, { revision: 1, state: 'stopped' }]), { kind: 'lastServing', share: 100 });
    assert.deepEqual(moveShare(traffic, 2, 3), [{ revision: 3, percent: 100 }]);
    assert.deepEqual(moveShare([{ revision: 2, percent: 100 }], 2, 3), [{ revision: 3, percent: 100 }]);
    assert.deepEqual(withoutShare([{ revision: 2, percent: 100, tags: ['a'] }], 2), [{ revision: 2, percent: 0, tags: ['a'] }]);
    assert.deepEqual(withoutRevision([{ revision: 2, percent: 0, tags: ['a'] }, { revision: 3, percent: 100 }], 2), [{ revision: 3, percent: 100 }]);
  });

  it('apportions whole percents that always add up to the total', () => {
    assert.deepEqual(apportion([{ revision: 1, weight: 1 }, { revision: 2, weight: 1 }, { revision: 3, weight: 1 }], 100), [{ revision: 1, percent: 33 }, { revision: 2, percent: 33 }, { revision: 3, percent: 34 }]);
    for (let total = 0; total <= 100; total += 7) {
      const parts = apportion([{ revision: 1, weight: 3 }, { revision: 2, weight: 5 }, { revision: 3, weight: 11 }], total);
      assert.equal(parts.reduce((n, p) => n + p.percent, 0), total);
    }
    assert.deepEqual(apportion([], 100), []);
  });

  it('sizes replicas to approximate the split, each revision keeping one', () => {
    assert.deepEqual(replicasForSplit([{ revision: 2, percent: 90 }, { revision: 3, percent: 10 }], 10), [{ revision: 2, replicas: 9 }, { revision: 3, replicas: 1 }]);
    assert.deepEqual(replicasForSplit([{ revision: 2, percent: 99 }, { revision: 3, percent: 1 }], 2), [{ revision: 2, replicas: 2 }, { revision: 3, replicas: 1 }]);
  });

  it('normalises so that equal policies read alike', () => {
    assert.deepEqual(normalizeTraffic([{ revision: 1, percent: 0 }, { revision: 3, percent: 50, tags: ['b', 'a'] }, { revision: 2, percent: 50 }]), [{ revision: 3, percent: 50, tags: ['a', 'b'] }, { revision: 2, percent: 50 }]);
  });
});
