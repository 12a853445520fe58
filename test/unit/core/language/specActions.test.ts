import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { codeLensLine, declaresRevisionSpec, renderedObjectsYaml, specValue } from '../../../../src/core/language/specActions';
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
    const text = renderedObjectsYaml(spec, 'demo');
    const kinds = parseAllDocuments(text).map((d) => (d.toJS() as { kind: string }).kind);
    assert.deepEqual(kinds, ['ConfigMap', 'Deployment', 'Service', 'Service']);
    assert.match(text, /^# The objects revision 1 of "iris" becomes in namespace "demo"/);
  });

  it('has no spec value for broken YAML', () => {
    assert.equal(specValue(parseSpecText('a: [')), undefined);
  });
});
