import assert from 'node:assert/strict';
import { diagnoseSpecText, parseSpecText, SpecLimits, type SpecDiagnostic } from '../../../../src/core/spec/specDocument';
import { tokenLimit } from '../../../../src/core/spec/specLimits';
import { largestRealSpecs } from '../../fuzz/pathologicalInputs';

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

  describe('YAML as Kubernetes tooling reads it, and messages that do not mislead (issue 12)', () => {
    it('points an unclosed quote at the quote', () => {
      const text = 'apiVersion: serve-revisions/v1\nkind: Revision\nservice: iris\nmessage: "Iris v2\nimage: ghcr.io/acme/iris:2.0.0\nresources:\n  cpu: 500m\n  memory: 1Gi\n';
      const [d, ...rest] = diagnoseSpecText(text);
      assert.equal(rest.length, 0, JSON.stringify(rest));
      assert.deepEqual([d?.range.start.line, d?.range.start.character], [3, 9]);
      assert.doesNotMatch(d?.message ?? '', /indentation/);
      assert.match(d?.message ?? '', /quote/);
    });

    it('places an error in a command list on the item', () => {
      const text = `${good}command: [python, -m, 1]\n`;
      const diagnostics = diagnoseSpecText(text);
      assert.deepEqual(diagnostics.map((d) => [d.code, covered(text, d)]), [['schema-type', '1']]);
      assert.match(diagnostics[0]?.message ?? '', /command\[2\] must be text/);
    });

    it('explains a NAME=value env item once, with the fix', () => {
      const text = `${good}env:\n  - HF_HOME=/data/hf\n`;
      const diagnostics = diagnoseSpecText(text);
      assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
      assert.equal(diagnostics[0]?.code, 'env-item-text');
      assert.match(diagnostics[0]?.message ?? '', /name: HF_HOME/);
      assert.ok(diagnostics[0]?.fixes?.length);
    });

    it('names the duplicate key', () => {
      const text = good.replace('kind: Revision\n', 'kind: Revision\nkind: Revision\n');
      const [d] = diagnoseSpecText(text);
      assert.match(d?.message ?? '', /"kind"/);
    });

    it('accepts merge keys, anchors reused many times and a trailing document marker', () => {
      const withMerge = `apiVersion: serve-revisions/v1
kind: Revision
service: iris
message: &msg Iris v2
image: ghcr.io/acme/iris:2.0.0
resources:
  <<: {cpu: 500m, memory: 1Gi}
ports:
  - name: http
    containerPort: 3000
`;
      assert.deepEqual(diagnoseSpecText(withMerge), []);
      assert.deepEqual(parseSpecText(withMerge).value, parseSpecText(good).value);
      const env = Array.from({ length: 150 }, (_, i) => `  - name: V${i}\n    value: *msg\n`).join('');
      assert.deepEqual(diagnoseSpecText(`${withMerge}env:\n${env}`), []);
      assert.deepEqual(diagnoseSpecText(`${good}---\n`), []);
      assert.deepEqual(diagnoseSpecText(`---\n${good}---\n\n# the end\n`), []);
    });

    it('still stops alias bombs, with one finding', () => {
      const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
      for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
      const diagnostics = diagnoseSpecText(bomb.join('\n'));
      assert.deepEqual(diagnostics.map((d) => d.code), ['yaml-alias']);
    });

    it('escapes control characters in every message, one line each', () => {
      const text = good.replace('containerPort: 3000', 'containerP\u001b[31mort: 3000\n    na\u0000me\rx: 1\b').replace('service: iris', 'service: "ir\\u001bis\\nx"');
      const diagnostics = diagnoseSpecText(text);
      assert.ok(diagnostics.length >= 2, JSON.stringify(diagnostics));
      for (const d of diagnostics) assert.doesNotMatch(d.message, /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/, d.message);
      assert.ok(diagnostics.some((d) => d.message.includes('\\u001b')), JSON.stringify(diagnostics.map((d) => d.message)));
    });

    it('does not convert a document with syntax errors', () => {
      const parsed = parseSpecText('apiVersion: serve-revisions/v1\nservice: [a, b\n');
      assert.equal(parsed.value, undefined);
    });

    it('gives one clear finding for deep nesting instead of overflowing the stack', () => {
      for (const text of ['service: ' + '['.repeat(5000), 'service: ' + '['.repeat(3000) + ']'.repeat(3000), 'a:\n' + Array.from({ length: 400 }, (_, i) => `${' '.repeat(i + 1)}- `).join('\n')]) {
        const diagnostics = diagnoseSpecText(text);
        assert.deepEqual(diagnostics.map((d) => d.code), ['nesting-too-deep'], JSON.stringify(diagnostics).slice(0, 500));
      }
    });

    it('reports at most 50 findings and says how many more there are', () => {
      const env = Array.from({ length: 120 }, (_, i) => `  - name: "A=${i}"\n    value: x\n`).join('');
      const diagnostics = diagnoseSpecText(`${good}env:\n${env}`);
      assert.equal(diagnostics.length, 51);
      assert.equal(diagnostics[50]?.code, 'more-findings');
      assert.match(diagnostics[50]?.message ?? '', /and 70 more/);
      assert.equal(diagnostics[50]?.severity, 'error');
    });

    it('refuses files over 1 MiB with one finding, without parsing them', () => {
      const diagnostics = diagnoseSpecText(`${good}# ${'x'.repeat(1024 * 1024)}\n`);
      assert.deepEqual(diagnostics.map((d) => d.code), ['file-too-large']);
    });
  });

  describe('bounded work that still reads every real spec in full (issue 12)', () => {
    it('checks the largest real specs in full and places a finding deep inside them exactly', () => {
      for (const spec of largestRealSpecs()) {
        assert.deepEqual(diagnoseSpecText(spec.text), [], spec.name);
        // Break the 1,500th item: its finding must land on its own line, whatever the spec's shape.
        const broken = spec.text.replace('MODEL_SETTING_1500', 'MODEL=SETTING').replace('name: data-1500', 'name: Data_1500');
        assert.notEqual(broken, spec.text, spec.name);
        const diagnostics = diagnoseSpecText(broken);
        assert.equal(diagnostics.length, 1, `${spec.name}: ${JSON.stringify(diagnostics).slice(0, 400)}`);
        const [d] = diagnostics as [SpecDiagnostic];
        assert.match(covered(broken, d), /MODEL=SETTING|Data_1500/, spec.name);
        assert.equal(d.path?.[1], 1500, spec.name);
      }
    });

    it('refuses text with too many tokens for its size with one finding, before parsing it', () => {
      const text = `${good}command: [${'a, '.repeat(9_900)}a]\n`;
      const diagnostics = diagnoseSpecText(text);
      assert.deepEqual(diagnostics.map((d) => d.code), ['too-many-values']);
      assert.match(diagnostics[0]?.message ?? '', new RegExp(`than the ${tokenLimit(text.length).toLocaleString('en')} this tool reads in 29 KB \\(${SpecLimits.tokensPerByte} per byte`));
      assert.deepEqual(diagnostics[0]?.range.start, { line: 0, character: 0 });
      // Below the floor, density does not matter: a small file of tiny values is read.
      assert.deepEqual(diagnoseSpecText(`${good}command: [${'a, '.repeat(1_000)}a]\n`), []);
    });

    it('refuses more tokens than any file may have, whatever the density', () => {
      const volumes = Array.from({ length: 3_000 }, (_, i) => `  - name: data-${i}\n    mountPath: /data/${i}\n    readOnly: true\n    persistentVolumeClaim:\n      claimName: data-claim-${i}\n`).join('');
      const diagnostics = diagnoseSpecText(`${good}volumes:\n${volumes}`);
      assert.deepEqual(diagnostics.map((d) => d.code), ['too-many-values']);
      assert.match(diagnostics[0]?.message ?? '', new RegExp(`than the ${SpecLimits.maxTokens.toLocaleString('en')} this tool reads in any file`));
    });

    it('stops reading after a wall of syntax errors and says where', () => {
      // A stray "]" on line 12 ends the document: each line after it is three errors in the YAML
      // stream, so the 200th (where reading stops) is on line 12 + 67.
      const wall = `${good}]\n${'some-longer-key-name: and a longer value\n'.repeat(1_000)}`;
      const diagnostics = diagnoseSpecText(wall);
      assert.equal(diagnostics.length, 51);
      assert.deepEqual(diagnostics[0]?.range.start, { line: 11, character: 0 });
      const last = diagnostics[50] as SpecDiagnostic;
      assert.equal(last.code, 'more-findings');
      assert.match(last.message, /^… and 150 more findings \(150 errors\) not shown, and the file was not read past line 79: fix the ones above first\.$/);
      assert.ok(diagnostics.slice(0, 50).every((d) => d.code === 'yaml-UNEXPECTED_TOKEN'), JSON.stringify(diagnostics.slice(0, 3)));
    });
  });
});

