import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MaxMessageBytes, parseFormMessage } from '../../../src/shared/formProtocol';

describe('the form message protocol', () => {
  it('imports neither vscode nor the DOM, so host and webview can share it', () => {
    const source = readFileSync(join(process.cwd(), 'src/shared/formProtocol.ts'), 'utf8');
    assert.doesNotMatch(source, /from ['"]vscode['"]|\bdocument\.|\bwindow\./);
  });

  it('accepts exactly the messages it defines', () => {
    assert.deepEqual(parseFormMessage({ type: 'ready' }), { ok: true, message: { type: 'ready' } });
    assert.equal(parseFormMessage({ type: 'openYaml', requestId: 0, spec: {} }).ok, true);
    assert.equal(parseFormMessage({ type: 'create', requestId: 3, spec: { a: [1, 'b', null, true] }, launch: false }).ok, true);
    assert.equal(parseFormMessage({ type: 'checkCluster', requestId: 4, spec: { service: 'iris' } }).ok, true);
    assert.equal(parseFormMessage({ type: 'checkCluster', requestId: 4, spec: {}, launch: true }).ok, false);
  });

  it('accepts what Create and launch does with traffic only as one of its choices', () => {
    for (const afterLaunch of ['keep', 'route', 'rollout']) assert.equal(parseFormMessage({ type: 'create', requestId: 3, spec: {}, launch: true, afterLaunch }).ok, true);
    const refused = parseFormMessage({ type: 'create', requestId: 3, spec: {}, launch: true, afterLaunch: 'everything' });
    assert.deepEqual(refused, { ok: false, reason: '"create" message needs afterLaunch as one of keep, route, rollout' });
  });

  it('refuses messages over the size limit before looking further', () => {
    const result = parseFormMessage({ type: 'nope', padding: 'x'.repeat(MaxMessageBytes) });
    assert.deepEqual(result.ok ? undefined : result.reason.startsWith('too large'), true);
  });

  it('refuses values that are not plain data', () => {
    class Spec {
      image = 'x';
    }
    assert.equal(parseFormMessage({ type: 'openYaml', requestId: 1, spec: new Spec() }).ok, false);
    assert.equal(parseFormMessage({ type: 'openYaml', requestId: 1, spec: { when: new Date() } }).ok, false);
    assert.equal(parseFormMessage(JSON.parse('{"type":"openYaml","requestId":1,"spec":{"__proto__":{"polluted":true}}}')).ok, false);
  });
});
