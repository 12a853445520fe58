import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { codeLensLine, declaresRevisionSpec, renderedObjectsName, renderedObjectsYaml, specValue } from '../../../../src/core/language/specActions';
import { parseSpecText } from '../../../../src/core/spec/specDocument';
import { newRevisionSpecTemplate } from '../../../../src/core/spec/template';

describe('spec actions', () => {
  it('recognises a YAML text that declares itself a revision spec, below comments too', () => {
    assert.equal(declaresRevisionSpec('# my model\napiVersion: serve-revisions/v1\nkind: Revision\n'), true);
    assert.equal(declaresRevisionSpec('apiVersion: "serve-revisions/v1"  # quoted\n'), true);
    assert.equal(declaresRevisionSpec('apiVersion: apps/v1\nkind: Deployment\n'), false);
    assert.equal(declaresRevisionSpec('spec:\n  apiVersion: serve-revisions/v1\n'), false);
  });

  it('puts the CodeLens on the apiVersion line, else on the first content line', () => {
    assert.equal(codeLensLine('# a comment\n\napiVersion: serve-revisions/v1\n'), 2);
    assert.equal(codeLensLine('# a comment\nkind: Revision\n'), 1);
    assert.equal(codeLensLine(''), 0);
  });

  it('renders every object of a spec as multi-document YAML', () => {
    const spec = specValue(parseSpecText(newRevisionSpecTemplate('iris')));
    assert.ok(spec);
    const text = renderedObjectsYaml(spec, 'demo', 5);
    const kinds = parseAllDocuments(text).map((d) => (d.toJS() as { kind: string }).kind);
    assert.deepEqual(kinds, ['ConfigMap', 'Deployment', 'Service', 'Service']);
    assert.match(text, /^# Preview: the objects of "iris" as revision 5, the next number in namespace "demo" now/);
    assert.match(text, /name: iris-r5$/m);
    assert.match(renderedObjectsYaml(spec, 'demo'), /^# Preview: .* with revision 1 standing in for the number create assigns/);
  });

  it('names the preview with the number it would get, or as a preview only', () => {
    assert.equal(renderedObjectsName('iris', 5), 'iris-r5.preview.yaml');
    assert.equal(renderedObjectsName('iris'), 'iris.preview.yaml');
  });

  it('has no spec value for broken YAML', () => {
    assert.equal(specValue(parseSpecText('a: [')), undefined);
  });
});
