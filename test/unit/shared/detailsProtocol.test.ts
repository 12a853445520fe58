import assert from 'node:assert/strict';
import { MaxDetailsMessageBytes, parseDetailsMessage } from '../../../src/shared/detailsProtocol';

describe('details protocol guard', () => {
  it('accepts the known messages exactly', () => {
    assert.deepEqual(parseDetailsMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    assert.deepEqual(parseDetailsMessage({ type: 'showLogs', previous: true }), { ok: true, message: { type: 'showLogs', previous: true } });
    assert.deepEqual(parseDetailsMessage({ type: 'openSpec' }), { ok: true, message: { type: 'openSpec' } });
  });

  it('refuses anything else, saying what is wrong', () => {
    const reason = (raw: unknown) => {
      const parsed = parseDetailsMessage(raw);
      return parsed.ok ? 'accepted' : parsed.reason;
    };
    assert.equal(reason(null), 'not an object but null');
    assert.equal(reason([]), 'not an object but an array');
    assert.equal(reason({ type: 'deleteEverything' }), 'unknown message type "deleteEverything"');
    assert.equal(reason({ type: 'ready', extra: 1 }), '"ready" message has unexpected field extra');
    assert.equal(reason({ type: 'showLogs' }), '"showLogs" message lacks previous');
    assert.equal(reason({ type: 'showLogs', previous: 'yes' }), '"showLogs" message needs previous as true or false');
    assert.equal(reason({ type: 'openSpec', __proto__: { polluted: true } }), 'not an object but object');
    assert.match(reason({ type: 'ready', pad: 'x'.repeat(MaxDetailsMessageBytes) }), /^too large: \d+ bytes, at most 4096$/);
  });
});
