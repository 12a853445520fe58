import assert from 'node:assert/strict';
import { findingText, specErrorSummary } from '../../../../src/core/spec/specErrorSummary';

describe('the summary of a spec\'s errors', () => {
  it('counts the errors and lists at most the given number', () => {
    assert.equal(specErrorSummary(['a']), 'has 1 error: a');
    assert.equal(specErrorSummary(['a', 'b', 'c'], 2), 'has 3 errors: a; b; and 1 more');
    assert.equal(specErrorSummary(['a', 'b'], 0), 'has 2 errors');
  });

  it('leads a finding with its field unless the message names it already', () => {
    assert.equal(findingText({ severity: 'error', code: 'x', target: 'value', path: ['resources', 'memory'], message: 'not a quantity' }), 'resources.memory: not a quantity');
    assert.equal(findingText({ severity: 'error', code: 'x', target: 'value', path: ['service'], message: 'service "Bad_Name" is not a valid name' }), 'service "Bad_Name" is not a valid name');
    assert.equal(findingText({ severity: 'error', code: 'x', target: 'value', path: [], message: 'missing kind' }), 'missing kind');
  });
});
