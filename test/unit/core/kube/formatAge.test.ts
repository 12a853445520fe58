import assert from 'node:assert/strict';
import { formatAge } from '../../../../src/core/kube/formatAge';

const now = Date.parse('2026-01-02T12:00:00Z');

describe('revision ages', () => {
  it('formats ages a person reads at a glance', () => {
    assert.equal(formatAge('2026-01-02T11:59:30Z', now), '30s');
    assert.equal(formatAge('2026-01-02T09:00:00Z', now), '3h');
    assert.equal(formatAge('2025-12-20T12:00:00Z', now), '13d');
    assert.equal(formatAge(undefined, now), '');
  });
});
