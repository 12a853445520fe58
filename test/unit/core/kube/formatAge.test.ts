import assert from 'node:assert/strict';
import { formatAge, formatTime, msUntilAgeChanges } from '../../../../src/core/kube/formatAge';

const now = Date.parse('2026-01-02T12:00:00Z');

describe('revision ages', () => {
  it('formats ages a person reads at a glance', () => {
    assert.equal(formatAge('2026-01-02T11:59:30Z', now), '30s');
    assert.equal(formatAge('2026-01-02T09:00:00Z', now), '3h');
    assert.equal(formatAge('2025-12-20T12:00:00Z', now), '13d');
    assert.equal(formatAge(undefined, now), '');
  });

  it('says "<1m" under a minute when coarse, so a view redraws a young revision once a minute', () => {
    assert.equal(formatAge('2026-01-02T11:59:30Z', now, { coarse: true }), '<1m');
    assert.equal(formatAge('2026-01-02T11:58:30Z', now, { coarse: true }), '1m');
  });

  it('says when the text changes next, never before it does', () => {
    for (const [createdAt, coarse] of [
      ['2026-01-02T11:59:30Z', false],
      ['2026-01-02T11:59:30Z', true],
      ['2026-01-02T11:55:10Z', false],
      ['2026-01-02T09:20:00Z', true],
      ['2025-12-20T12:00:00Z', true],
    ] as const) {
      const wait = msUntilAgeChanges(createdAt, now, { coarse });
      assert.ok(wait !== undefined && wait > 0, `${createdAt}: ${wait}`);
      const shown = formatAge(createdAt, now, { coarse });
      assert.equal(formatAge(createdAt, now + wait - 600, { coarse }), shown, `${createdAt} changes too early`);
      assert.notEqual(formatAge(createdAt, now + wait, { coarse }), shown, `${createdAt} has not changed after ${wait} ms`);
    }
    assert.equal(msUntilAgeChanges('2026-01-02T11:59:30Z', now, { coarse: true }), 29_600);
    assert.equal(msUntilAgeChanges(undefined, now), undefined);
  });

  it('writes times as a date, a clock time and an age, not raw ISO strings', () => {
    assert.match(formatTime('2026-01-02T11:55:00Z', now), /^2026-01-0\d \d\d:\d5 \(5m ago\)$/);
    assert.equal(formatTime('not a time', now), '');
  });
});
