import assert from 'node:assert/strict';
import { completeSpec, type CompletionResult } from '../../../../src/core/language/completion';
import type { ClusterLookup } from '../../../../src/core/language/clusterLookup';

/** Completes at the `|` in `text` (the marker is removed). */
function at(textWithCursor: string, cluster?: (l: ClusterLookup) => string[] | undefined, defaultNamespace = 'demo'): CompletionResult & { labels: string[] } {
  const offset = textWithCursor.indexOf('|');
  assert.ok(offset >= 0, 'the test text needs a | cursor');
  const text = textWithCursor.slice(0, offset) + textWithCursor.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  const position = { line: before.length - 1, character: before[before.length - 1]?.length ?? 0 };
  const result = completeSpec(text, position, { ...(cluster ? { cluster } : {}), defaultNamespace });
  return { ...result, labels: result.items.map((i) => i.label) };
}

const head = `apiVersion: serve-revisions/v1
kind: Revision
service: iris
message: v2
image: ghcr.io/acme/iris:2.0.0
`;

describe('completion', () => {
  it('offers every top-level field and a whole-spec snippet in an empty file', () => {
    const { labels, items } = at('|');
    for (const key of ['apiVersion', 'kind', 'service', 'message', 'image', 'resources', 'ports', 'autoscaling', 'volumes']) assert.ok(labels.includes(key), `missing ${key}: ${labels.join(', ')}`);
    assert.ok(labels.includes('revision spec'));
    assert.ok(!labels.includes('revision'), 'read-only fields are not offered');
    const apiVersion = items.find((i) => i.label === 'apiVersion');
    assert.equal(apiVersion?.insertText, 'apiVersion: serve-revisions/v1');
    assert.match(apiVersion?.documentation ?? '', /Version of the revision spec format/);
  });

  it('leaves out top-level keys already present and keeps the one being typed', () => {
    const { labels, items } = at(`${head}res|`);
    assert.ok(!labels.includes('service'));
    assert.ok(!labels.includes('image'));
    assert.ok(labels.includes('resources'));
    const resources = items.find((i) => i.label === 'resources');
    assert.deepEqual(resources?.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 3 } });
    assert.equal(resources?.insertText, 'resources:\n  cpu: ${1:"2"}\n  memory: ${2:2Gi}');
    assert.ok(!labels.includes('revision spec'), 'the skeleton is only for an empty file');
  });

  it('replaces the whole half-typed word, also when the cursor is inside it', () => {
    const { items } = at(`${head}resou|rces`);
    const resources = items.find((i) => i.label === 'resources');
    assert.deepEqual(resources?.range, { start: { line: 5, character: 0 }, end: { line: 5, character: 9 } });
  });

  it('offers the nested keys of a mapping', () => {
    const { labels } = at(`${head}resources:\n  cpu: "1"\n  |`);
    assert.deepEqual(labels.sort(), ['gpu', 'memory']);
  });

  it('offers the keys of a list item after a dash, and the list-item snippets', () => {
    const { labels, items } = at(`${head}ports:\n  - |`);
    assert.ok(labels.includes('containerPort') && labels.includes('protocol') && labels.includes('name'), labels.join(', '));
    assert.ok(labels.includes('port'), 'the port snippet');
    const port = items.find((i) => i.label === 'port');
    // The snippet continues under the key column (4), VS Code adds the line's own indentation (2).
    assert.equal(port?.insertText, 'name: ${1:http}\n  containerPort: ${2:8080}\n  protocol: ${3|http,grpc,tcp|}');
  });

  it('offers the remaining keys of the second list item only', () => {
    const { labels } = at(`${head}ports:\n  - name: http\n    containerPort: 3000\n  - name: grpc\n    |`);
    assert.deepEqual(labels.sort(), ['containerPort', 'protocol']);
  });

  it('handles a list whose dashes stand in the key column', () => {
    const { labels } = at(`${head}env:\n- name: A\n  |`);
    assert.ok(labels.includes('value') && labels.includes('secretKeyRef') && !labels.includes('name'), labels.join(', '));
  });

  it('offers item snippets on an empty line inside a list field', () => {
    const { labels, items } = at(`${head}volumes:\n  |`);
    assert.deepEqual(labels, ['volume mount']);
    assert.match(items[0]?.insertText ?? '', /^- name: \$\{1:models\}\n {2}mountPath/);
  });

  it('offers block snippets at the top level for blocks not yet written', () => {
    const { labels, items } = at(`${head}|`);
    for (const label of ['port', 'env var from a Secret', 'volume mount', 'autoscaling']) assert.ok(labels.includes(label), label);
    assert.equal(items.find((i) => i.label === 'autoscaling')?.insertText, 'autoscaling:\n  minReplicas: ${1:1}\n  maxReplicas: ${2:3}\n  metric: ${3|cpu,memory,gpu|}\n  target: ${4:70}');
    const { labels: withPorts } = at(`${head}ports:\n  - containerPort: 1\n|`);
    assert.ok(!withPorts.includes('port'));
  });

  it('lists each key once, leaves out what an action or the cluster writes, and never both replicas and autoscaling', () => {
    const { labels } = at(`${head}|`);
    assert.deepEqual(labels.filter((l, i) => labels.indexOf(l) !== i), [], 'a label offered twice');
    for (const internal of ['reproducedFrom', 'revision', 'createdAt', 'createdBy']) assert.ok(!labels.includes(internal), `${internal} is offered`);
    const withReplicas = at(`${head}replicas: 2\n|`).labels;
    assert.ok(!withReplicas.includes('autoscaling'), 'autoscaling offered beside replicas');
    const withAutoscaling = at(`${head}autoscaling:\n  minReplicas: 1\n  maxReplicas: 2\n  metric: cpu\n|`).labels;
    assert.ok(!withAutoscaling.includes('replicas'), 'replicas offered beside autoscaling');
    assert.ok(withAutoscaling.includes('launchImmediately'));
  });

  it('offers enum values for protocol and metric', () => {
    assert.deepEqual(at(`${head}ports:\n  - containerPort: 3000\n    protocol: |`).labels, ['http', 'grpc', 'tcp']);
    const metric = at(`${head}autoscaling:\n  metric: g|`);
    assert.deepEqual(metric.labels, ['cpu', 'memory', 'gpu']);
    assert.deepEqual(metric.items[0]?.range, { start: { line: 6, character: 10 }, end: { line: 6, character: 11 } });
  });

  it('puts a space between the colon and a value chosen right after it', () => {
    const { items } = at(`${head}launchImmediately:|`);
    assert.equal(items[0]?.insertText, ' true');
    assert.equal(at(`${head}launchImmediately: |`).items[0]?.insertText, 'true');
  });

  it('offers true and false for a boolean, and the const for apiVersion', () => {
    assert.deepEqual(at(`${head}launchImmediately: |`).labels, ['true', 'false']);
    assert.deepEqual(at('apiVersion: |').labels, ['serve-revisions/v1']);
  });

  it('still completes after a YAML syntax error above the cursor', () => {
    const { labels } = at(`${head}resources: [broken\n  memory: : :\n|`);
    assert.ok(labels.includes('ports') && labels.includes('env'), labels.join(', '));
  });

  it('offers nothing inside a comment or a flow collection', () => {
    assert.deepEqual(at(`${head}# res|`).items, []);
    assert.deepEqual(at(`${head}command: [py|`).items, []);
  });

  it('offers cluster values and reports the lookups it had no answer for', () => {
    const asked: ClusterLookup[] = [];
    const cluster = (l: ClusterLookup): string[] | undefined => {
      asked.push(l);
      if (l.kind === 'secrets') return ['hf-token', 'db'];
      if (l.kind === 'secretKeys' && l.name === 'hf-token') return ['token'];
      return undefined;
    };
    const names = at(`${head}env:\n  - name: HF_TOKEN\n    secretKeyRef:\n      name: |`, cluster);
    assert.deepEqual(names.labels.slice(0, 2), ['hf-token', 'db']);
    assert.equal(names.items[0]?.kind, 'cluster');
    assert.deepEqual(asked[0], { kind: 'secrets', namespace: 'demo' });
    const keys = at(`${head}env:\n  - name: HF_TOKEN\n    secretKeyRef:\n      name: hf-token\n      key: |`, cluster);
    assert.deepEqual(keys.labels, ['token']);
    const pending = at(`namespace: ml\n${head}serviceAccountName: |`, cluster);
    assert.deepEqual(pending.pending, [{ kind: 'serviceAccounts', namespace: 'ml' }]);
    assert.ok(pending.labels.includes('model-reader'), 'schema examples still come');
  });

  it('asks the cluster for GPU resource names and PVCs', () => {
    const cluster = (l: ClusterLookup): string[] | undefined => (l.kind === 'gpuResourceNames' ? ['nvidia.com/gpu'] : l.kind === 'persistentVolumeClaims' ? ['weights'] : undefined);
    assert.equal(at(`${head}resources:\n  gpu:\n    resourceName: |`, cluster).items[0]?.label, 'nvidia.com/gpu');
    assert.equal(at(`${head}volumes:\n  - name: m\n    mountPath: /m\n    persistentVolumeClaim:\n      claimName: |`, cluster).items[0]?.label, 'weights');
  });
});
