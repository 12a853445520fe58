import assert from 'node:assert/strict';
import type { V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import { Labels, ServiceObjectKey } from '../../../../src/core/kube/labels';
import { renderRevision } from '../../../../src/core/kube/renderObjects';
import { buildNamespaceModel, NamespaceIndex } from '../../../../src/core/kube/namespaceIndex';
import { effectiveShares, renderHttpRoute, renderStableService, renderTagService, stableSelector, TagHeader, watchedDataPlane } from '../../../../src/core/traffic/dataPlane';
import { applyStep, beginRollout } from '../../../../src/core/traffic/rollout';
import { emptyServiceRecord, migratedServiceRecord, readServiceRecord, renderServiceObject, serviceRecordJson } from '../../../../src/core/traffic/serviceRecord';
import type { ServiceRecord } from '../../../../src/core/traffic/trafficModel';
import type { RevisionSpec } from '../../../../src/core/spec/revisionSpec';

const record: ServiceRecord = {
  service: 'iris',
  revisionCounter: 4,
  traffic: [{ revision: 3, percent: 10, tags: ['canary'] }, { revision: 2, percent: 90 }],
  settings: { gateway: { name: 'public', namespace: 'infra' }, rollout: { steps: [10, 100], intervalSeconds: 60 } },
};

function pod(name: string, revision: number): V1Pod {
  return { metadata: { name, labels: { [Labels.managedBy]: 'serve-revisions', [Labels.service]: 'iris', [Labels.revision]: String(revision), [Labels.component]: 'workload' } }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] } };
}

function slice(endpoints: Array<{ pod: string; ready?: boolean }>): V1EndpointSlice {
  return {
    addressType: 'IPv4',
    metadata: { name: 'iris-abc', labels: { [Labels.service]: 'iris', [Labels.component]: 'service-endpoint', 'kubernetes.io/service-name': 'iris' } },
    endpoints: endpoints.map((e, i) => ({ addresses: [`10.244.0.${i + 1}`], targetRef: { kind: 'Pod', name: e.pod }, ...(e.ready === undefined ? {} : { conditions: { ready: e.ready } }) })),
  };
}

describe('the service object', () => {
  it('round-trips its record through the ConfigMap, with a rollout', () => {
    const withRollout = applyStep(beginRollout(record, 4, { steps: [10, 100], intervalSeconds: 60 }, Date.parse('2026-11-28T09:00:00Z'), 'ci'), 0, Date.parse('2026-11-28T09:00:00Z'));
    const object = renderServiceObject(withRollout, 'ml');
    assert.equal(object.metadata?.name, 'iris');
    assert.equal(object.metadata?.labels?.[Labels.component], 'service');
    assert.equal(object.immutable, undefined, 'mutable: traffic changes');
    const read = readServiceRecord(object);
    assert.ok('record' in read);
    assert.deepEqual(read.record, withRollout);
    assert.equal(serviceRecordJson(read.record), object.data?.[ServiceObjectKey], 'the same text when written again');
  });

  it('says what is wrong with an unreadable one, and drops what it does not understand', () => {
    const broken = renderServiceObject(record, 'ml');
    broken.data = { [ServiceObjectKey]: '{not json' };
    assert.match(JSON.stringify(readServiceRecord(broken)), /holds no readable JSON/);
    const odd = renderServiceObject(record, 'ml');
    odd.data = { [ServiceObjectKey]: JSON.stringify({ revisionCounter: 2, traffic: [{ revision: 'x', percent: 5 }, { revision: 1, percent: 100 }], future: true }) };
    const read = readServiceRecord(odd);
    assert.ok('record' in read);
    assert.deepEqual(read.record, { service: 'iris', revisionCounter: 2, traffic: [{ revision: 1, percent: 100 }], settings: {} });
  });

  it('starts a service made before service objects from what the cluster serves: shares by ready pods', () => {
    assert.deepEqual(
      migratedServiceRecord('iris', [
        { revision: 1, state: 'stopped', ready: 0 },
        { revision: 2, state: 'running', ready: 2 },
        { revision: 3, state: 'running', ready: 1 },
      ]),
      { service: 'iris', revisionCounter: 3, traffic: [{ revision: 3, percent: 33 }, { revision: 2, percent: 67 }], settings: {} },
    );
    assert.deepEqual(migratedServiceRecord('iris', [{ revision: 1, state: 'starting', ready: 0 }, { revision: 2, state: 'stopped', ready: 0 }]).traffic, [{ revision: 1, percent: 100 }]);
    assert.deepEqual(migratedServiceRecord('iris', [{ revision: 5, state: 'stopped', ready: 0 }]), { ...emptyServiceRecord('iris'), revisionCounter: 5 });
  });

  it('selects one revision exactly at 100 %, else the pods carrying the serving label', () => {
    assert.deepEqual(stableSelector('iris', [{ revision: 2, percent: 100 }, { revision: 3, percent: 0, tags: ['canary'] }]), { [Labels.service]: 'iris', [Labels.revision]: '2' });
    assert.deepEqual(stableSelector('iris', record.traffic), { [Labels.service]: 'iris', [Labels.serving]: 'true' });
  });

  it('tells from a watched stable Service whether the plain data plane carries the record, and when it cannot tell', () => {
    const plain: ServiceRecord = { service: 'iris', revisionCounter: 3, traffic: [{ revision: 3, percent: 50 }, { revision: 2, percent: 50 }], settings: {} };
    const ports = [{ port: 80, targetPort: 8080 }];
    const carrying = (traffic: ServiceRecord['traffic'], uid = 'u1') => renderStableService('iris', 'ml', ports, stableSelector('iris', traffic), { uid });
    assert.equal(watchedDataPlane(plain, carrying(plain.traffic), 'u1'), 'inLine');
    // One step behind: the Service still selects revision 2 alone while the record splits.
    assert.equal(watchedDataPlane(plain, carrying([{ revision: 2, percent: 100 }]), 'u1'), 'drifted');
    // Another service object (deleted and made again) does not own it.
    assert.equal(watchedDataPlane(plain, carrying(plain.traffic, 'old'), 'u1'), 'drifted');
    assert.equal(watchedDataPlane(plain, undefined, 'u1'), 'drifted');
    assert.equal(watchedDataPlane({ ...plain, traffic: [] }, undefined, 'u1'), 'inLine');
    // The API server returns the selector's keys in its own order.
    const reordered = carrying(plain.traffic);
    reordered.spec = { ...reordered.spec, selector: Object.fromEntries(Object.entries(reordered.spec?.selector ?? {}).reverse()) };
    assert.equal(watchedDataPlane(plain, reordered, 'u1'), 'inLine');
    // A route or a tag's Service is not watched: it must be read.
    assert.equal(watchedDataPlane(record, carrying(record.traffic), 'u1'), 'unseen');
    assert.equal(watchedDataPlane({ ...plain, traffic: [{ revision: 3, percent: 100, tags: ['canary'] }] }, carrying([{ revision: 3, percent: 100 }]), 'u1'), 'unseen');
  });

  it('routes through the Gateway with weights and one header rule per tag', () => {
    const route = renderHttpRoute('iris', 'ml', { name: 'public', namespace: 'infra', sectionName: 'http' }, record.traffic, () => 3000, { uid: 'u1' });
    assert.deepEqual(route.spec.parentRefs, [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'infra', sectionName: 'http' }]);
    assert.deepEqual(route.spec.rules, [
      { matches: [{ headers: [{ type: 'Exact', name: TagHeader, value: 'canary' }] }], backendRefs: [{ group: '', kind: 'Service', name: 'iris-r3', port: 3000, weight: 1 }] },
      { backendRefs: [{ group: '', kind: 'Service', name: 'iris-r2', port: 3000, weight: 90 }, { group: '', kind: 'Service', name: 'iris-r3', port: 3000, weight: 10 }] },
    ]);
    assert.equal(route.metadata.ownerReferences?.[0]?.uid, 'u1');
  });

  it('reads the effective share from the ready endpoints of the stable Service', () => {
    const revisions = new Map([['a', 2], ['b', 2], ['c', 2], ['d', 3]]);
    const shares = effectiveShares([slice([{ pod: 'a' }, { pod: 'b', ready: true }, { pod: 'c', ready: false }]), slice([{ pod: 'd' }])], (p) => revisions.get(p));
    assert.deepEqual([...shares], [[2, 67], [3, 33]]);
    assert.deepEqual([...effectiveShares([], () => 1)], []);
  });

  it('gives the tree each revision\'s desired and effective share and tags, from the watch caches', () => {
    const spec: RevisionSpec = { apiVersion: 'serve-revisions/v1', kind: 'Revision', service: 'iris', message: 'm', image: 'ghcr.io/acme/iris:1.0.0', ports: [{ name: 'http', containerPort: 3000 }] };
    const records = [2, 3].map((n) => renderRevision(spec, { namespace: 'ml', revision: n }).record);
    const services = buildNamespaceModel('ml', {
      records,
      deployments: [],
      autoscalers: [],
      pods: [pod('a', 2), pod('d', 3)],
      services: [],
      serviceObjects: [renderServiceObject({ ...record, settings: {} }, 'ml')],
      endpointSlices: [slice([{ pod: 'a' }, { pod: 'd' }])],
    });
    const iris = services[0];
    assert.equal(iris?.traffic?.dataPlane, 'plain');
    assert.equal(iris?.traffic?.stored, true);
    assert.deepEqual(iris?.revisions.map((r) => [r.revision, r.traffic]), [
      [3, { percent: 10, effectivePercent: 50, tags: ['canary'] }],
      [2, { percent: 90, effectivePercent: 50, tags: [] }],
    ]);
  });

  it('shows a service whose settings were applied before its first revision', () => {
    const services = buildNamespaceModel('ml', { records: [], deployments: [], autoscalers: [], pods: [], services: [], serviceObjects: [renderServiceObject(emptyServiceRecord('llama'), 'ml')] });
    assert.deepEqual(services.map((s) => [s.name, s.revisions.length]), [['llama', 0]]);
  });

  it('keeps the traffic current in the namespace index as objects arrive one at a time', () => {
    const spec: RevisionSpec = { apiVersion: 'serve-revisions/v1', kind: 'Revision', service: 'iris', message: 'm', image: 'ghcr.io/acme/iris:1.0.0', ports: [{ name: 'http', containerPort: 3000 }] };
    const index = new NamespaceIndex('ml');
    for (const n of [2, 3]) index.put('records', renderRevision(spec, { namespace: 'ml', revision: n }).record);
    const started = renderRevision(spec, { namespace: 'ml', revision: 3, recordUid: 'u' });
    index.put('deployments', started.deployment);
    index.put('services', started.service);
    // A tag's Service carries the revision's label too: it must not take the revision's own endpoint's place.
    index.put('services', renderTagService('iris', 'canary', 3, 'ml', [{ name: 'http', port: 8000 }], { uid: 'u' }));
    index.put('pods', pod('a', 2));
    index.put('pods', pod('d', 3));
    const object = renderServiceObject({ ...record, settings: {} }, 'ml');
    assert.deepEqual(index.put('serviceObjects', object), [{ service: 'iris' }]);
    assert.deepEqual(index.service('iris')?.revisions.map((r) => [r.revision, r.traffic?.percent, r.traffic?.effectivePercent]), [
      [3, 10, 0],
      [2, 90, 0],
    ]);
    index.put('endpointSlices', slice([{ pod: 'a' }, { pod: 'd' }]));
    assert.deepEqual(index.service('iris')?.revisions.map((r) => r.traffic?.effectivePercent), [50, 50]);
    assert.match(index.service('iris')?.revisions[0]?.endpoint ?? '', /^iris-r3\.ml\.svc/);
    const serving = index.servingInputs();
    assert.deepEqual([serving.serviceObjects.length, serving.pods.map((p) => p.metadata?.name).sort()], [1, ['a', 'd']]);
    index.remove('endpointSlices', 'iris-abc');
    assert.deepEqual(index.service('iris')?.revisions.map((r) => r.traffic?.effectivePercent), [0, 0]);
    // A service with only its service object is listed; once that goes too, it is not.
    const llama = new NamespaceIndex('ml');
    llama.put('serviceObjects', renderServiceObject(emptyServiceRecord('llama'), 'ml'));
    assert.deepEqual(llama.serviceNames(), ['llama']);
    llama.remove('serviceObjects', 'llama');
    assert.deepEqual([llama.serviceNames(), llama.service('llama')], [[], undefined]);
  });
});
