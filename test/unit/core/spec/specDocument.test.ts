import assert from 'node:assert/strict';
import { diagnoseSpecText, type SpecDiagnostic } from '../../../../src/core/spec/specDocument';

/** The text a diagnostic's range covers, to assert "on the exact range" readably. */
function covered(text: string, d: SpecDiagnostic): string {
  const lines = text.split('\n');
  if (d.range.start.line !== d.range.end.line) return `${lines[d.range.start.line]?.slice(d.range.start.character)}…`;
  return lines[d.range.start.line]?.slice(d.range.start.character, d.range.end.character) ?? '';
}

const good = `apiVersion: serve-revisions/v1
kind: Revision
service: iris
message: Iris v2
image: ghcr.io/acme/iris:2.0.0
resources:
  cpu: 500m
  memory: 1Gi
ports:
  - name: http
    containerPort: 3000
`;

describe('spec documents', () => {
  it('has no diagnostics for a good spec', () => {
    assert.deepEqual(diagnoseSpecText(good), []);
  });

  it('puts one error on the line of each bad value', () => {
    const text = `apiVersion: serve-revisions/v1
kind: Revision
service: 1-bad
message: broken on purpose
image: ghcr.io/acme/x:1.0
resources:
  cpu: "1"
  memory: 8GB
ports:
  - name: http
    containerPort: 70000
autoscaling:
  minReplicas: 5
  maxReplicas: 2
  metric: cpu
`;
    const diagnostics = diagnoseSpecText(text);
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, d.range.start.line + 1, covered(text, d)]),
      [
        ['error', 3, '1-bad'],
        ['error', 8, '8GB'],
        ['error', 11, '70000'],
        ['error', 13, '5'],
      ],
    );
    assert.match(diagnostics[1]?.message ?? '', /8Gi/);
  });

  it('marks the key of an unknown field and suggests the known one', () => {
    const text = good.replace('message: Iris v2', 'mesage: Iris v2');
    const diagnostics = diagnoseSpecText(text);
    const unknown = diagnostics.find((d) => d.code === 'schema-additionalProperties');
    assert.ok(unknown);
    assert.equal(covered(text, unknown), 'mesage');
    assert.match(unknown.message, /unknown field "mesage".*did you mean "message"\?/);
    const missing = diagnostics.find((d) => d.code === 'schema-required');
    assert.match(missing?.message ?? '', /missing required field "message"/);
  });

  it('marks the value of a wrong type and names the field', () => {
    const text = good.replace('containerPort: 3000', 'containerPort: "3000"');
    const [d] = diagnoseSpecText(text);
    assert.equal(d?.message, 'ports[0].containerPort must be a whole number, not the text "3000", e.g. 3000');
    assert.equal(covered(text, d), '"3000"');
  });

  it('marks a missing nested field on its parent key', () => {
    const text = good.replace('  memory: 1Gi\n', '');
    const [d] = diagnoseSpecText(text);
    assert.match(d?.message ?? '', /missing required field "memory" in resources/);
    assert.equal(covered(text, d as SpecDiagnostic), 'resources');
  });

  it('explains an env entry with no value source once', () => {
    const text = `${good}env:\n  - name: MODE\n`;
    const diagnostics = diagnoseSpecText(text);
    assert.equal(diagnostics.length, 1);
    assert.equal(diagnostics[0]?.message, 'env[0] needs exactly one of value, secretKeyRef or configMapKeyRef');
    assert.equal(diagnostics[0]?.range.start.line, 12);
  });

  it('reports broken YAML with its position instead of throwing', () => {
    const text = 'apiVersion: serve-revisions/v1\nkind: Revision\nservice: x\n  message: [oops\nimage: a\n';
    const diagnostics = diagnoseSpecText(text);
    assert.ok(diagnostics.length > 0);
    assert.ok(diagnostics.every((d) => d.severity === 'error' && d.code.startsWith('yaml-')));
    assert.equal(diagnostics[0]?.range.start.line, 2);
  });

  it('reports duplicate keys', () => {
    const text = good.replace('kind: Revision\n', 'kind: Revision\nkind: Revision\n');
    const [d] = diagnoseSpecText(text);
    assert.equal(d?.code, 'yaml-DUPLICATE_KEY');
    assert.equal(d?.range.start.line, 2);
  });

  it('says so for an empty file', () => {
    const [d] = diagnoseSpecText('');
    assert.equal(d?.code, 'empty-spec');
    assert.deepEqual(diagnoseSpecText('# just a comment\n').map((x) => x.code), ['empty-spec']);
  });

  it('rejects a second document in the same file', () => {
    const diagnostics = diagnoseSpecText(`${good}---\n${good}`);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['multiple-documents', 11]]);
  });

  it('stops alias bombs', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 8; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const diagnostics = diagnoseSpecText(bomb.join('\n'));
    assert.equal(diagnostics[0]?.code, 'yaml-alias');
  });

  it('gives every range inside the document', () => {
    const text = 'service: [1, 2\nports: {';
    for (const d of diagnoseSpecText(text)) {
      const lines = text.split('\n');
      assert.ok(d.range.end.line < lines.length);
      assert.ok(d.range.end.character <= (lines[d.range.end.line]?.length ?? 0));
    }
  });
});
