import assert from 'node:assert/strict';
import type { V1Deployment, V1Pod } from '@kubernetes/client-node';
import { describeState } from '../../../../src/core/kube/describeState';
import { nameAfterService, revisionObjectName } from '../../../../src/core/kube/labels';
import { NamespaceIndex } from '../../../../src/core/kube/namespaceIndex';
import { renderRevision } from '../../../../src/core/kube/renderObjects';
import { readStoredSpec } from '../../../../src/core/kube/storedSpec';
import type { RevisionSpec } from '../../../../src/core/spec/revisionSpec';
import { seededRandom } from '../../../seededRandom';

function spec(service: string, message = 'v1'): RevisionSpec {
  return { apiVersion: 'serve-revisions/v1', kind: 'Revision', service, message, image: `ghcr.io/acme/${service}:1.0.0`, ports: [{ name: 'http', containerPort: 3000 }], replicas: 1 };
}

/** A record as the tree lists it (metadata only), with what the API server adds. */
function record(service: string, revision: number, resourceVersion = '1', message = `revision ${revision}`) {
  const rendered = renderRevision(spec(service, message), { namespace: 'ml', revision, createdAt: '2026-11-28T09:00:00Z' }).record;
  return { metadata: { ...rendered.metadata, uid: `uid-${service}-${revision}`, resourceVersion, creationTimestamp: '2026-11-28T09:00:00Z' as unknown as Date } };
}

function deployment(service: string, revision: number, ready: number): V1Deployment {
  const rendered = renderRevision(spec(service), { namespace: 'ml', revision, recordUid: 'u' }).deployment;
  return { ...rendered, metadata: { ...rendered.metadata, resourceVersion: String(ready + 10) }, status: { readyReplicas: ready } };
}

function pod(service: string, revision: number, suffix: string): V1Pod {
  return {
    metadata: { name: `${revisionObjectName(service, revision)}-5d8f7-${suffix}`, resourceVersion: '1', labels: { 'serve-revisions.dev/service': service, 'serve-revisions.dev/revision': String(revision) } },
    status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

describe('namespace index', () => {
  it('groups objects put one at a time into services, newest revision first', () => {
    const index = new NamespaceIndex('ml');
    index.put('records', record('iris', 1));
    index.put('records', record('iris', 2));
    index.put('records', record('bert', 1));
    index.put('deployments', deployment('iris', 2, 1));
    index.put('pods', pod('iris', 2, 'a'));
    assert.deepEqual(index.serviceNames(), ['bert', 'iris']);
    const iris = index.service('iris');
    assert.deepEqual(iris?.revisions.map((r) => [r.revision, describeState(r.state), r.message, r.pods.length]), [
      [2, 'running 1/1', 'revision 2', 1],
      [1, 'stopped', 'revision 1', 0],
    ]);
    assert.equal(iris?.revisions[0]?.createdAt, '2026-11-28T09:00:00.000Z');
  });

  it('rebuilds only the service an event touched', () => {
    const index = new NamespaceIndex('ml');
    for (const s of ['a', 'b']) for (const r of [1, 2]) index.put('records', record(s, r));
    const [a, b] = index.services();
    assert.equal(index.service('a'), a, 'untouched: the same model, not rebuilt');
    const changes = index.put('deployments', deployment('b', 2, 0));
    assert.deepEqual(changes, [{ service: 'b', revision: 2 }]);
    assert.equal(index.service('a'), a);
    assert.notEqual(index.service('b'), b);
    assert.equal(describeState(index.service('b')?.revisions[0]?.state ?? { kind: 'stopped' }), 'starting 0/1');
  });

  it('forgets what is removed, and a service with no record left', () => {
    const index = new NamespaceIndex('ml');
    index.put('records', record('iris', 1));
    index.put('pods', pod('iris', 1, 'a'));
    index.put('pods', pod('iris', 1, 'b'));
    assert.equal(index.service('iris')?.revisions[0]?.pods.length, 2);
    index.remove('pods', pod('iris', 1, 'a').metadata?.name ?? '');
    assert.deepEqual(index.service('iris')?.revisions[0]?.pods.map((p) => p.name), [pod('iris', 1, 'b').metadata?.name]);
    assert.deepEqual(index.remove('records', 'iris-r1'), [{ service: 'iris', revision: 1 }]);
    assert.deepEqual(index.serviceNames(), []);
    assert.equal(index.service('iris'), undefined);
    assert.deepEqual(index.remove('records', 'iris-r1'), [], 'removing twice touches nothing');
  });

  it('knows each object by name and version, so a re-list can tell what changed', () => {
    const index = new NamespaceIndex('ml');
    index.put('records', record('iris', 1, '7'));
    assert.equal(index.resourceVersion('records', 'iris-r1'), '7');
    assert.deepEqual(index.names('records'), ['iris-r1']);
    index.put('records', record('iris', 1, '9', 'renamed'));
    assert.equal(index.resourceVersion('records', 'iris-r1'), '9');
    assert.equal(index.service('iris')?.revisions[0]?.message, 'renamed');
    assert.equal(index.size('records'), 1);
  });

  it('moves an object whose labels changed, touching both services', () => {
    const index = new NamespaceIndex('ml');
    index.put('records', record('a', 1));
    index.put('records', record('b', 1));
    const moved = { ...pod('a', 1, 'x'), metadata: { ...pod('a', 1, 'x').metadata, labels: { 'serve-revisions.dev/service': 'b', 'serve-revisions.dev/revision': '1' } } };
    index.put('pods', pod('a', 1, 'x'));
    assert.deepEqual(index.put('pods', moved), [
      { service: 'a', revision: 1 },
      { service: 'b', revision: 1 },
    ]);
    assert.deepEqual([index.service('a')?.revisions[0]?.pods.length, index.service('b')?.revisions[0]?.pods.length], [0, 1]);
  });

  it('keeps the stable endpoint apart from the revisions', () => {
    const index = new NamespaceIndex('ml');
    const rendered = renderRevision(spec('iris'), { namespace: 'ml', revision: 1, recordUid: 'u' });
    index.put('records', record('iris', 1));
    index.put('services', rendered.stableService);
    index.put('services', rendered.service);
    index.put('deployments', deployment('iris', 1, 1));
    assert.equal(index.service('iris')?.endpoint, 'iris.ml.svc:3000');
    assert.equal(index.service('iris')?.revisions[0]?.endpoint, 'iris-r1.ml.svc:3000');
    index.remove('services', 'iris');
    assert.equal(index.service('iris')?.endpoint, undefined);
  });

  it('sorts service names in the order the API server lists them', () => {
    const index = new NamespaceIndex('ml');
    for (const s of ['iris2', 'iris-gpu', 'iris', 'bert']) index.put('records', record(s, 1));
    assert.deepEqual(index.serviceNames(), ['bert', 'iris', 'iris-gpu', 'iris2']);
  });
});

describe('nameAfterService', () => {
  // The first rows rely on it: once a listing has reached this name, it has every object of the service.
  it('sorts after every object name of its service and before none of it, for any names', () => {
    const random = seededRandom(16);
    const alphabet = 'abz09-';
    const name = (length: number): string => {
      let s = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(random() * 26)] as string;
      for (let i = 1; i < length; i++) s += alphabet[Math.floor(random() * alphabet.length)];
      return s.replace(/-+$/, '') || 'x';
    };
    for (let i = 0; i < 2_000; i++) {
      const service = name(1 + Math.floor(random() * 8));
      const revision = 1 + Math.floor(random() * 120);
      const after = nameAfterService(service);
      const objectNames = [service, revisionObjectName(service, revision), `${revisionObjectName(service, revision)}-6b9c${name(3)}-${name(5)}`];
      for (const objectName of objectNames) assert.ok(objectName < after, `${objectName} sorts before ${after}`);
      const other = name(1 + Math.floor(random() * 8));
      // Another service's objects that sort before the bound are ones the listing has passed anyway.
      if (other !== service && other >= after) assert.ok(revisionObjectName(other, 1) >= after);
    }
  });
});

describe('stored spec', () => {
  it('reads the spec a record stores, or says why it cannot, on one line', () => {
    assert.deepEqual(readStoredSpec({ 'spec.yaml': 'service: iris\nmessage: hi\n' }), { spec: { service: 'iris', message: 'hi' } });
    assert.match((readStoredSpec({ 'spec.yaml': 'service: [' }) as { error: string }).error, /^the stored spec is not valid YAML: [^\n]+$/);
    assert.deepEqual(readStoredSpec({}), { error: 'the record has no spec.yaml' });
    assert.deepEqual(readStoredSpec({ 'spec.yaml': '- a\n' }), { error: 'the stored spec is not a mapping' });
  });
});
