import assert from 'node:assert/strict';
import { AsyncCache } from '../../../../src/core/language/clusterLookup';

describe('cluster lookup cache', () => {
  it('answers nothing at once, then the loaded value, without loading twice', async () => {
    let loads = 0;
    const cache = new AsyncCache();
    const load = async () => {
      loads++;
      return ['a'];
    };
    assert.equal(cache.peek('k', load), undefined);
    assert.equal(cache.peek('k', load), undefined, 'still loading');
    assert.deepEqual(await cache.wait('k', load, 1000), ['a']);
    assert.deepEqual(cache.peek('k', load), ['a']);
    assert.equal(loads, 1);
  });

  it('gives up waiting after the timeout and remembers a failure', async () => {
    let now = 0;
    const errors: string[] = [];
    const cache = new AsyncCache({ now: () => now, failureTtlMs: 100, onError: (key) => errors.push(key) });
    let release: (() => void) | undefined;
    const slow = () => new Promise<string[]>((_, reject) => (release = () => reject(new Error('unreachable'))));
    assert.equal(await cache.wait('k', slow, 10), undefined);
    release?.();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(errors, ['k']);
    let calls = 0;
    const counting = async () => {
      calls++;
      return ['x'];
    };
    assert.equal(cache.peek('k', counting), undefined);
    assert.equal(calls, 0, 'a remembered failure is not retried at once');
    now = 200;
    cache.peek('k', counting);
    assert.equal(calls, 1);
  });
});
