import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { guardFormMessage, parseSavedOrigin, placeFindings } from '../../../../src/core/form/formMessages';
import { formTargetOf } from '../../../../src/core/form/formTarget';
import { parseSpecText } from '../../../../src/core/spec/specDocument';
import type { SpecFinding } from '../../../../src/core/spec/semanticChecks';

const iris = parseSpecText(readFileSync(join(process.cwd(), 'examples/iris-bentoml.revision.yaml'), 'utf8')).value as Record<string, unknown>;

describe('the form host guard', () => {
  it('accepts a create with a valid spec, and ready and cancel', () => {
    const create = guardFormMessage({ type: 'create', requestId: 1, spec: iris, launch: true });
    assert.equal(create.ok, true);
    assert.equal(guardFormMessage({ type: 'ready' }).ok, true);
    assert.equal(guardFormMessage({ type: 'cancel' }).ok, true);
  });

  it('refuses a create whose spec fails the schema or the semantic checks, naming the field and keeping the request id', () => {
    const result = guardFormMessage({ type: 'create', requestId: 7, spec: { ...iris, resources: { cpu: '1', memory: '8GB' } }, launch: false });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.equal(result.requestId, 7);
    assert.match(result.reason, /resources\.memory/);
    assert.match(result.reason, /8Gi/);
    const unknownField = guardFormMessage({ type: 'create', requestId: 8, spec: { ...iris, imagePullPolicy: 'Always' }, launch: false });
    assert.equal(unknownField.ok, false);
    if (!unknownField.ok) assert.match(unknownField.reason, /unknown field "imagePullPolicy"/);
  });

  it('opens a spec with errors as YAML (the editor shows them) but reports the findings', () => {
    const result = guardFormMessage({ type: 'openYaml', requestId: 2, spec: { ...iris, image: '' } });
    assert.equal(result.ok, true);
    if (result.ok) assert.ok(result.findings.some((f) => f.path[0] === 'image'));
  });

  it('refuses malformed, unknown and oversized messages with a reason', () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /not an object/],
      ['ready', /not an object/],
      [[{ type: 'ready' }], /an array/],
      [{ type: 'delete', service: 'iris' }, /unknown message type "delete"/],
      [{}, /unknown message type/],
      [{ type: 'toString' }, /unknown message type/],
      [{ type: 'ready', extra: 1 }, /unexpected field extra/],
      [{ type: 'create', requestId: '1', spec: iris, launch: true }, /requestId/],
      [{ type: 'create', requestId: -1, spec: iris, launch: true }, /requestId/],
      [{ type: 'create', requestId: 1, spec: iris }, /launch/],
      [{ type: 'create', requestId: 1, spec: iris, launch: 'yes' }, /launch/],
      [{ type: 'create', requestId: 1, spec: [iris], launch: true }, /spec as an object/],
      [{ type: 'openYaml', requestId: 1, spec: { ...iris, message: Number.NaN } }, /not plain JSON/],
      [{ type: 'create', requestId: 1, spec: { ...iris, message: 'x'.repeat(300 * 1024) }, launch: true }, /too large/],
    ];
    for (const [raw, reason] of cases) {
      const result = guardFormMessage(raw);
      assert.equal(result.ok, false, JSON.stringify(raw)?.slice(0, 80));
      if (!result.ok) assert.match(result.reason, reason);
    }
    const nested: Record<string, unknown> = {};
    let at = nested;
    for (let i = 0; i < 20; i++) at = at['deeper'] = {};
    const deep = guardFormMessage({ type: 'openYaml', requestId: 1, spec: nested });
    assert.equal(deep.ok, false);
  });

  it('reads the saved origin of a reloaded panel, ignoring anything else', () => {
    assert.deepEqual(parseSavedOrigin({ origin: { kind: 'reproduce', service: 'iris', revision: 3 }, form: {} }), { kind: 'reproduce', service: 'iris', revision: 3 });
    assert.deepEqual(parseSavedOrigin({ origin: { kind: 'blank', revision: -1 } }), { kind: 'blank' });
    assert.equal(parseSavedOrigin({ origin: { kind: 'evil' } }), undefined);
    assert.equal(parseSavedOrigin(undefined), undefined);
  });
});

describe('placing findings beside fields', () => {
  const finding = (path: (string | number)[]): SpecFinding => ({ severity: 'error', message: 'm', path, target: 'value', code: 'c' });

  it('puts a finding on its field, else on the nearest enclosing field or row, else in the summary', () => {
    const fields = new Set(['resources.memory', 'command', 'env[0]', 'env[0].name']);
    const placed = placeFindings([finding(['resources', 'memory']), finding(['command', 2]), finding(['env', 0]), finding(['env', 0, 'value']), finding(['apiVersion'])], fields);
    assert.deepEqual([...placed.byField.keys()].sort(), ['command', 'env[0]', 'resources.memory']);
    assert.equal(placed.byField.get('env[0]')?.length, 2);
    assert.deepEqual(placed.unplaced.map((f) => f.path), [['apiVersion']]);
  });
});

describe('the target of a form command', () => {
  it('reads service and revision from refs, models and tree nodes', () => {
    assert.deepEqual(formTargetOf(undefined), {});
    assert.deepEqual(formTargetOf({ service: 'iris', revision: 3, namespace: 'demo' }), { service: 'iris', revision: 3, namespace: 'demo' });
    assert.deepEqual(formTargetOf({ name: 'iris', namespace: 'demo', revisions: [] }), { service: 'iris', namespace: 'demo' });
    assert.deepEqual(formTargetOf({ contextValue: 'revision running', revision: { service: 'iris', revision: 2, namespace: 'demo' } }), { service: 'iris', revision: 2, namespace: 'demo' });
    assert.deepEqual(formTargetOf({ contextValue: 'service', model: { name: 'llama', revisions: [] } }), { service: 'llama' });
    // The Revisions tree's nodes: ServiceNode and RevisionNode hold their model in `model`.
    assert.deepEqual(formTargetOf({ model: { name: 'iris', namespace: 'demo', revisions: [{ service: 'iris', revision: 1 }] } }), { service: 'iris', namespace: 'demo' });
    assert.deepEqual(formTargetOf({ model: { service: 'iris', revision: 4, namespace: 'demo', state: { kind: 'running' } } }), { service: 'iris', revision: 4, namespace: 'demo' });
    assert.deepEqual(formTargetOf({ revision: 0, service: 'iris' }), { service: 'iris' });
  });
});
