import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { completeSpec } from '../../../../src/core/language/completion';
import { hoverSpec } from '../../../../src/core/language/hover';
import { renderedObjectsYaml } from '../../../../src/core/language/specActions';
import { diagnoseSpecText } from '../../../../src/core/spec/specDocument';
import { parseSpecText } from '../../../../src/core/spec/specDocument';
import { serviceSpecOf, settingsOf, type ServiceSpec } from '../../../../src/core/spec/serviceSpec';
import { findSpecProblems } from '../../../../src/core/spec/validateSpec';

const example = readFileSync('examples/iris.service.yaml', 'utf8');

describe('the kind: Service spec', () => {
  it('validates the example and turns it into the settings it stores', () => {
    assert.deepEqual(diagnoseSpecText(example), []);
    const spec = parse(example) as ServiceSpec;
    assert.deepEqual(settingsOf(spec), { gateway: { name: 'public' }, rollout: { steps: [10, 50, 100], intervalSeconds: 120 } });
    assert.deepEqual(serviceSpecOf('iris', 'ml', settingsOf(spec)), { apiVersion: 'serve-revisions/v1', kind: 'Service', service: 'iris', namespace: 'ml', gateway: { name: 'public' }, rollout: { steps: [10, 50, 100], interval: '2m' } });
  });

  it('reports schema and rule problems on the field, with the fix', () => {
    const text = 'apiVersion: serve-revisions/v1\nkind: Service\nservice: Iris_X\ngateway:\n  nam: public\nrollout:\n  steps: [50, 10]\n  interval: soon\n  manual: true\n';
    const messages = diagnoseSpecText(text).map((d) => `${d.range.start.line + 1}: ${d.message}`);
    assert.ok(messages.includes('3: service "Iris_X" is not a valid name: use lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit, e.g. "iris-x".'), messages.join('\n'));
    assert.ok(messages.some((m) => /^4: missing required field "name" in gateway: add name, e\.g\. "public"/.test(m)), messages.join('\n'));
    assert.ok(messages.some((m) => /^5: unknown field "nam" in gateway: did you mean "name"\?/.test(m)), messages.join('\n'));
    assert.ok(messages.includes('7: rollout.steps: the steps must grow: 50 is followed by 10.'), messages.join('\n'));
    assert.ok(messages.includes('8: rollout.interval: "soon" is not a duration: write it like 30s, 2m or 1h30m.'), messages.join('\n'));
    assert.ok(messages.some((m) => /^9: rollout holds each step either for an interval or until approved/.test(m)), messages.join('\n'));
  });

  it('never passes for a revision where a revision is created', () => {
    assert.ok(findSpecProblems(parse(example)).some((f) => f.message === 'kind must be "Revision" (a revision\'s recipe) or "Service" (a service\'s settings)'));
    assert.ok(findSpecProblems(parse(example)).some((f) => /missing required field "message"/.test(f.message)));
  });

  it('completes and documents its own fields', () => {
    const text = 'apiVersion: serve-revisions/v1\nkind: Service\nservice: iris\n\n';
    const labels = completeSpec(text, { line: 3, character: 0 }).items.map((i) => i.label);
    assert.deepEqual(labels.sort(), ['gateway', 'namespace', 'rollout']);
    const inGateway = completeSpec('apiVersion: serve-revisions/v1\nkind: Service\nservice: iris\ngateway:\n  \n', { line: 4, character: 2 }).items.map((i) => i.label);
    assert.deepEqual(inGateway.sort(), ['name', 'namespace', 'sectionName']);
    const empty = completeSpec('', { line: 0, character: 0 }).items.map((i) => i.label);
    assert.ok(empty.includes('service spec') && empty.includes('revision spec'));
    const hover = hoverSpec(parseSpecText(example), { line: 9, character: 4 });
    assert.match(hover?.markdown ?? '', /^\*\*rollout\.steps\*\* — list\n\nThe new revision's share at each step/);
  });

  it('renders the service object and, with a gateway, its HTTPRoute', () => {
    const rendered = renderedObjectsYaml(parse(example) as ServiceSpec, 'ml');
    assert.match(rendered, /^# Preview: the objects the settings of "iris" become in namespace "ml"/);
    assert.match(rendered, /kind: ConfigMap\n[\s\S]*serve-revisions\.dev\/component: service\n/);
    assert.match(rendered, /kind: HTTPRoute\n[\s\S]*parentRefs:\n {4}- group: gateway\.networking\.k8s\.io\n {6}kind: Gateway\n {6}name: public/);
  });
});
