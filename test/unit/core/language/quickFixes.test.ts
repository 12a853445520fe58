import assert from 'node:assert/strict';
import { applyEdits, quickFixesFor } from '../../../../src/core/language/quickFixes';
import { diagnoseParsedSpec, diagnoseSpecText, parseSpecText } from '../../../../src/core/spec/specDocument';

const head = `apiVersion: serve-revisions/v1
kind: Revision
service: iris
message: v2
image: ghcr.io/acme/iris:2.0.0
`;
const tail = `ports:
  - name: http
    containerPort: 3000
`;

/** The text after applying the first fix (or the one titled `title`) of the diagnostic with `code`. */
function fixed(text: string, code: string, title?: RegExp): { text: string; titles: string[] } {
  const parsed = parseSpecText(text);
  const diagnostic = diagnoseParsedSpec(parsed).find((d) => d.code === code);
  assert.ok(diagnostic, `no ${code} diagnostic in:\n${text}\n${JSON.stringify(diagnoseParsedSpec(parsed), null, 1)}`);
  const fixes = quickFixesFor(parsed, diagnostic);
  const fix = title ? fixes.find((f) => title.test(f.title)) : fixes[0];
  assert.ok(fix, `no fix for ${code}: ${fixes.map((f) => f.title).join(', ')}`);
  return { text: applyEdits(text, fix.edits), titles: fixes.map((f) => f.title) };
}

describe('quick fixes', () => {
  it('replaces 8GB with 8Gi or 8G', () => {
    const text = `${head}resources:\n  cpu: "1"\n  memory: 8GB\n${tail}`;
    const result = fixed(text, 'memory-quantity', /8Gi/);
    assert.deepEqual(result.titles, ['Change to 8Gi', 'Change to 8G']);
    assert.equal(result.text, text.replace('memory: 8GB', 'memory: 8Gi'));
    assert.deepEqual(diagnoseSpecText(result.text), []);
  });

  it('swaps minReplicas and maxReplicas', () => {
    const text = `${head}resources:\n  cpu: "1"\n  memory: 1Gi\n${tail}autoscaling:\n  minReplicas: 5\n  maxReplicas: 2\n  metric: cpu\n`;
    const result = fixed(text, 'autoscaling-min-max');
    assert.match(result.text, /minReplicas: 2\n {2}maxReplicas: 5\n/);
    assert.deepEqual(diagnoseSpecText(result.text), []);
  });

  it('turns a secret-looking literal into a Secret reference', () => {
    const text = `${head}resources:\n  cpu: "1"\n  memory: 1Gi\n${tail}env:\n  - name: HF_TOKEN\n    value: hf_abcdefghijklmnopqrstuvwxyz123456\n`;
    const result = fixed(text, 'env-secret-literal');
    assert.match(result.text, /- name: HF_TOKEN\n {4}secretKeyRef:\n {6}name: hf-token\n {6}key: hf_token\n$/);
    assert.deepEqual(diagnoseSpecText(result.text), []);
  });

  it('keeps a flow mapping a flow mapping when moving to a Secret reference', () => {
    const text = `${head}resources:\n  cpu: "1"\n  memory: 1Gi\n${tail}env:\n  - { name: API_KEY, value: sk-abcdefghijklmnopqrstuvwxyz }\n`;
    const result = fixed(text, 'env-secret-literal');
    assert.match(result.text, /- \{ name: API_KEY, secretKeyRef: \{ name: api-key, key: api_key \} \}/);
    assert.deepEqual(diagnoseSpecText(result.text), []);
  });

  it('renames an invalid service name', () => {
    const text = `${head.replace('service: iris', 'service: Iris_Model')}resources:\n  cpu: "1"\n  memory: 1Gi\n${tail}`;
    const result = fixed(text, 'service-name');
    assert.match(result.text, /^service: iris-model$/m);
  });

  it('adds a missing required field at the end of its mapping', () => {
    const text = `${head}resources:\n  cpu: "1"\n${tail}`;
    const result = fixed(text, 'schema-required');
    assert.equal(result.text, `${head}resources:\n  cpu: "1"\n  memory: 2Gi\n${tail}`);
  });

  it('adds a missing top-level field with its example, and under an empty key', () => {
    const text = `apiVersion: serve-revisions/v1\nkind: Revision\nservice: iris\nmessage: m\nresources:\n  cpu: "1"\n  memory: 1Gi\n${tail}`;
    const result = fixed(text, 'schema-required');
    assert.equal(result.text, `${text}image: bentoml/iris-classifier:1.2.0\n`);
    const empty = `${head}resources:\n${tail}`;
    const under = fixed(empty, 'schema-type');
    assert.deepEqual(under.titles, ['Add the required fields "cpu", "memory"']);
    assert.equal(under.text, `${head}resources:\n  cpu: "1"\n  memory: 2Gi\n${tail}`);
  });

  it('inserts a minimal spec into an empty file', () => {
    const result = fixed('', 'empty-spec');
    assert.deepEqual(diagnoseSpecText(result.text), []);
  });

  it('turns memory given in thousandths of a byte into a real amount', () => {
    const text = `${head}resources:\n  cpu: "1"\n  memory: 512m\n${tail}`;
    const result = fixed(text, 'memory-tiny', /512Mi/);
    assert.deepEqual(result.titles, ['Change to 512Mi', 'Change to 512M']);
    assert.deepEqual(diagnoseSpecText(result.text), []);
  });

  it('turns a NAME=value env item into name and value', () => {
    const text = `${head}resources:\n  cpu: "1"\n  memory: 1Gi\n${tail}env:\n  - HF_HOME=/data/hf\n  - "MODE=fast=yes"\n`;
    const once = fixed(text, 'env-item-text');
    const twice = fixed(once.text, 'env-item-text');
    assert.deepEqual(diagnoseSpecText(twice.text), []);
    assert.deepEqual((parseSpecText(twice.text).value as { env: unknown[] }).env, [{ name: 'HF_HOME', value: '/data/hf' }, { name: 'MODE', value: 'fast=yes' }]);
  });
});

