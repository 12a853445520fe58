import assert from 'node:assert/strict';
import { hoverSpec } from '../../../../src/core/language/hover';
import { parseSpecText } from '../../../../src/core/spec/specDocument';

const text = `apiVersion: serve-revisions/v1
kind: Revision
service: iris
message: v2
image: ghcr.io/acme/iris:2.0.0
resources:
  cpu: 500m
  memory: 1Gi
ports:
  - name: http
    containerPort: 3000
    protocol: grpc
autoscaling:
  minReplicas: 1
  maxReplicas: 3
  metric: cpu
`;

function hoverAt(line: number, character: number) {
  return hoverSpec(parseSpecText(text), { line, character });
}

describe('hover', () => {
  it('describes a top-level key with its description and an example', () => {
    const hover = hoverAt(4, 2);
    assert.ok(hover);
    assert.match(hover.markdown, /^\*\*image\*\* — text/);
    assert.match(hover.markdown, /Docker image of the inference server/);
    assert.match(hover.markdown, /```yaml\nimage: bentoml\/iris-classifier:1\.2\.0\n```/);
    assert.deepEqual(hover.range, { start: { line: 4, character: 0 }, end: { line: 4, character: 5 } });
  });

  it('describes a nested field in a list item, with allowed values and default', () => {
    const hover = hoverAt(11, 8);
    assert.ok(hover);
    assert.deepEqual(hover.path, ['ports', 0, 'protocol']);
    assert.match(hover.markdown, /\*\*ports\[0\]\.protocol\*\*/);
    assert.match(hover.markdown, /Allowed values: `http`, `grpc`, `tcp`/);
    assert.match(hover.markdown, /Default: `http`/);
  });

  it('describes the field of a value under the cursor', () => {
    const hover = hoverAt(15, 11);
    assert.ok(hover);
    assert.deepEqual(hover.path, ['autoscaling', 'metric']);
    assert.deepEqual(hover.range, { start: { line: 15, character: 10 }, end: { line: 15, character: 13 } });
    assert.match(hover.markdown, /What the autoscaler watches/);
  });

  it('shows a block example for a mapping field', () => {
    const hover = hoverAt(5, 1);
    assert.match(hover?.markdown ?? '', /```yaml\nresources:\n {2}cpu: "1"\n {2}memory: 2Gi\n```/);
  });

  it('says nothing for unknown fields, blank space and comments', () => {
    assert.equal(hoverSpec(parseSpecText('nonsense: 1\n'), { line: 0, character: 2 }), undefined);
    assert.equal(hoverSpec(parseSpecText('# comment\n'), { line: 0, character: 3 }), undefined);
    assert.equal(hoverSpec(parseSpecText(''), { line: 0, character: 0 }), undefined);
  });
});
