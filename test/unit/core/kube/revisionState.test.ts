import assert from 'node:assert/strict';
import type { V1ConfigMap, V1Deployment, V1Pod } from '@kubernetes/client-node';
import { renderRevision } from '../../../../src/core/kube/renderObjects';
import { describeState } from '../../../../src/core/kube/describeState';
import { buildNamespaceModel } from '../../../../src/core/kube/namespaceIndex';
import { deriveState } from '../../../../src/core/kube/revisionState';
import type { RevisionSpec } from '../../../../src/core/spec/revisionSpec';

const spec: RevisionSpec = { apiVersion: 'serve-revisions/v1', kind: 'Revision', service: 'iris', message: 'v1', image: 'ghcr.io/acme/iris:1.0.0', ports: [{ name: 'http', containerPort: 3000 }], replicas: 2 };

function objects(revision: number, options: { running?: boolean; ready?: number; pods?: V1Pod[] } = {}) {
  const rendered = renderRevision(spec, { namespace: 'ml', revision, recordUid: `uid-${revision}`, createdAt: '2026-11-28T09:00:00Z' });
  const record: V1ConfigMap = { ...rendered.record, metadata: { ...rendered.record.metadata, uid: `uid-${revision}`, creationTimestamp: new Date('2026-11-28T09:00:00Z') } };
  const deployment: V1Deployment | undefined = options.running ? { ...rendered.deployment, status: { readyReplicas: options.ready ?? 0, replicas: 2 } } : undefined;
  return { record, deployment, service: rendered.service, stable: rendered.stableService, pods: options.pods ?? [] };
}

function pod(waiting?: string, extra: Partial<V1Pod['status']> = {}): V1Pod {
  return {
    metadata: { name: 'iris-r1-abc', labels: { 'serve-revisions.dev/service': 'iris', 'serve-revisions.dev/revision': '1' } },
    spec: { containers: [{ name: 'server' }], nodeName: 'kwok-cpu-0' },
    status: {
      phase: waiting ? 'Pending' : 'Running',
      containerStatuses: [{ name: 'server', image: 'x', imageID: '', ready: !waiting, restartCount: 0, ...(waiting ? { state: { waiting: { reason: waiting, message: `${waiting} message` } } } : { state: { running: {} } }) }],
      ...extra,
    },
  };
}

describe('revision state', () => {
  it('is stopped without a Deployment', () => {
    assert.deepEqual(deriveState(undefined, []), { kind: 'stopped' });
  });

  it('is starting until every desired replica is ready, then running', () => {
    const { deployment } = objects(1, { running: true, ready: 1 });
    assert.equal(describeState(deriveState(deployment, [pod(), pod('ContainerCreating')])), 'starting 1/2 (ContainerCreating)');
    const ready = objects(1, { running: true, ready: 2 }).deployment;
    assert.equal(describeState(deriveState(ready, [pod(), pod()])), 'running 2/2');
  });

  it('is failed with the reason from pod status', () => {
    const { deployment } = objects(1, { running: true, ready: 0 });
    for (const reason of ['ImagePullBackOff', 'CrashLoopBackOff', 'ErrImagePull']) {
      const state = deriveState(deployment, [pod(reason)]);
      assert.equal(state.kind, 'failed');
      assert.equal(state.kind === 'failed' && state.reason, reason);
    }
    const unschedulable = pod(undefined, { phase: 'Pending', containerStatuses: [], conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available: 2 Insufficient nvidia.com/gpu.' }] });
    const state = deriveState(deployment, [unschedulable]);
    assert.deepEqual(state.kind === 'failed' && [state.reason, state.message], ['Unschedulable', '0/2 nodes are available: 2 Insufficient nvidia.com/gpu.']);
  });

  it('reports a ReplicaSet that cannot create pods (quota, admission) as failed', () => {
    const { deployment } = objects(1, { running: true });
    const failing: V1Deployment = { ...deployment, status: { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'exceeded quota' }] } };
    assert.equal(describeState(deriveState(failing, [])), 'failed: FailedCreate');
  });

  it('groups records, workloads and pods into services with revisions newest first', () => {
    const one = objects(1);
    const two = objects(2, { running: true, ready: 2 });
    const model = buildNamespaceModel('ml', {
      // As the tree lists them: metadata only.
      records: [{ metadata: one.record.metadata }, { metadata: two.record.metadata }],
      deployments: [two.deployment as V1Deployment],
      autoscalers: [],
      pods: [],
      services: [two.service, two.stable],
    });
    assert.equal(model.length, 1);
    assert.deepEqual(model[0]?.revisions.map((r) => [r.revision, describeState(r.state), r.endpoint ?? '-']), [
      [2, 'running 2/2', 'iris-r2.ml.svc:3000'],
      [1, 'stopped', '-'],
    ]);
    assert.equal(model[0]?.endpoint, 'iris.ml.svc:3000');
    assert.equal(model[0]?.revisions[0]?.message, 'v1');
    assert.equal(model[0]?.revisions[0]?.createdAt, '2026-11-28T09:00:00.000Z');
    assert.equal(model[0]?.revisions[0]?.image, 'ghcr.io/acme/iris:1.0.0', 'the image from the record\'s annotation');
    assert.equal(model[0]?.revisions[0]?.recordUid, 'uid-2');
    assert.ok(!('spec' in (model[0]?.revisions[0] ?? {})), 'the model holds no spec');
  });
});
