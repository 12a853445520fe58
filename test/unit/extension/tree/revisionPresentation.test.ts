import assert from 'node:assert/strict';
import type { RevisionModel } from '../../../../src/core/kube/revisionState';
import type { RevisionSpec } from '../../../../src/core/spec/revisionSpec';
import { revisionContextValue, revisionDescription, revisionDetails, revisionLabel } from '../../../../src/extension/tree/revisionPresentation';

const now = Date.parse('2026-01-02T12:00:00Z');

function revision(over: Partial<RevisionModel>): RevisionModel {
  return { service: 'iris', namespace: 'demo', revision: 3, message: 'Retrained', image: 'ghcr.io/example/iris:1.1.0', recordUid: 'u', state: { kind: 'stopped' }, pods: [], createdAt: '2026-01-02T11:55:00Z', ...over };
}

// The menus in package.json match these tokens (`viewItem =~ /\b(stopped|failed)\b/` offers Start).
const startOffered = (contextValue: string): boolean => /^revision\b/.test(contextValue) && /\b(stopped|failed)\b/.test(contextValue);
const stopOffered = (contextValue: string): boolean => /^revision\b/.test(contextValue) && /\b(running|starting|failed)\b/.test(contextValue);

describe('how a revision reads in the tree', () => {
  it('labels with number and message, describes state · image · age', () => {
    const r = revision({ state: { kind: 'running', ready: 2, desired: 2 } });
    assert.equal(revisionLabel(r), '#3 Retrained');
    assert.equal(revisionDescription(r, now), 'running 2/2 · ghcr.io/example/iris:1.1.0 · 5m');
    assert.equal(revisionDescription(revision({ state: { kind: 'failed', reason: 'ImagePullBackOff', message: 'back-off', ready: 0, desired: 1 } }), now), 'failed: ImagePullBackOff · ghcr.io/example/iris:1.1.0 · 5m');
  });

  it('gives menu tokens so Start is never offered on a running revision', () => {
    const stopped = revisionContextValue(revision({}));
    const running = revisionContextValue(revision({ state: { kind: 'running', ready: 1, desired: 1 }, endpoint: 'iris-r3.demo.svc:3000', autoscaling: { minReplicas: 1, maxReplicas: 3, metric: 'cpu' } }));
    const failed = revisionContextValue(revision({ state: { kind: 'failed', reason: 'CrashLoopBackOff', message: 'x', ready: 0, desired: 1 } }));
    assert.equal(stopped, 'revision stopped');
    assert.equal(running, 'revision running scalable autoscaled hasEndpoint');
    assert.equal(failed, 'revision failed scalable');
    assert.deepEqual([startOffered(stopped), startOffered(running), startOffered(failed)], [true, false, true]);
    assert.deepEqual([stopOffered(stopped), stopOffered(running), stopOffered(failed)], [false, true, true]);
  });

  it('lists replicas, pods, endpoint, autoscaling and resources as details', () => {
    const r = revision({
      state: { kind: 'starting', ready: 0, desired: 1, reason: 'Pending' },
      pods: [{ name: 'iris-r3-abc', phase: 'Pending', ready: false, node: 'kwok-gpu-0' }],
      endpoint: 'iris-r3.demo.svc:3000',
      autoscaling: { minReplicas: 1, maxReplicas: 4, metric: 'cpu', current: 1 },
    });
    const stored = { spec: { resources: { cpu: '500m', memory: '1Gi', gpu: { count: 1 } } } as RevisionSpec };
    const lines = ['Replicas: 0 ready of 1', 'Pod iris-r3-abc: Pending · not ready · on kwok-gpu-0', 'Endpoint: iris-r3.demo.svc:3000', 'Autoscaling: 1–4 replicas on cpu, 1 now'];
    assert.deepEqual(
      revisionDetails(r, stored).map((d) => `${d.label}: ${d.description}`),
      [...lines, 'Resources: cpu 500m, memory 1Gi, 1 × gpu'],
    );
    // Before the stored spec is fetched (the model holds none), the lines the model knows.
    assert.deepEqual(
      revisionDetails(r).map((d) => `${d.label}: ${d.description}`),
      lines,
    );
  });

  it('takes the autoscaling of a stopped revision from its stored spec, and says when that cannot be read', () => {
    const stopped = revision({});
    const stored = { spec: { autoscaling: { minReplicas: 2, maxReplicas: 5, metric: 'memory', target: 70 } } as RevisionSpec };
    assert.deepEqual(
      revisionDetails(stopped, stored).map((d) => `${d.label}: ${d.description}`),
      ['Replicas: none (stopped)', 'Autoscaling: 2–5 replicas on memory (when started)'],
    );
    assert.deepEqual(
      revisionDetails(stopped, { error: 'the stored spec is not valid YAML: bad indentation' }).map((d) => `${d.label}: ${d.description}`),
      ['Replicas: none (stopped)', 'Stored spec unreadable: the stored spec is not valid YAML: bad indentation'],
    );
  });
});
