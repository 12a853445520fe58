import assert from 'node:assert/strict';
import { resolveNamespace } from '../../../../src/core/kube/resolveNamespace';

describe('which namespace an action works in', () => {
  it('takes the flag, then the spec, then the chosen one, then the context\'s, then "default"', () => {
    const all = { flag: 'cli', spec: 'from-spec', chosen: 'picked', context: 'ctx' };
    assert.equal(resolveNamespace(all), 'cli');
    assert.equal(resolveNamespace({ ...all, flag: undefined }), 'from-spec');
    assert.equal(resolveNamespace({ chosen: 'picked', context: 'ctx' }), 'picked');
    assert.equal(resolveNamespace({ context: 'ctx' }), 'ctx');
    assert.equal(resolveNamespace({}), 'default');
  });

  it('skips what is empty or not a string, as the checks report a bad spec namespace themselves', () => {
    assert.equal(resolveNamespace({ flag: '', spec: 42, chosen: 'picked' }), 'picked');
    assert.equal(resolveNamespace({ spec: '', context: '' }), 'default');
  });
});
