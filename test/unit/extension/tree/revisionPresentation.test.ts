import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RevisionModel } from '../../../../src/core/kube/revisionState';
import type { RevisionSpec } from '../../../../src/core/spec/revisionSpec';
import type { ServiceModel } from '../../../../src/core/kube/revisionState';
import { agesShown, deleteConsequences, endpointUrl, msUntilAgesChange, revisionContextValue, revisionDescription, revisionDetails, revisionLabel, revisionName, revisionTooltipLines, shortImage } from '../../../../src/extension/tree/revisionPresentation';

const now = Date.parse('2026-01-02T12:00:00Z');

function revision(over: Partial<RevisionModel>): RevisionModel {
  return { service: 'iris', namespace: 'demo', revision: 3, message: 'Retrained', image: 'ghcr.io/example/iris:1.1.0', recordUid: 'u', state: { kind: 'stopped' }, pods: [], createdAt: '2026-01-02T11:55:00Z', ...over };
}

// The menus of package.json, read from it: which revision commands a row with these tokens offers.
const menus = (JSON.parse(readFileSync(join(__dirname, '../../../../../package.json'), 'utf8')) as { contributes: { menus: Record<string, Array<{ command: string; when: string; group?: string }>> } }).contributes.menus['view/item/context'] ?? [];
function offered(contextValue: string, inline = false): string[] {
  return menus
    .filter((m) => (m.group?.startsWith('inline') ?? false) === inline)
    .filter((m) => [...m.when.matchAll(/viewItem =~ \/(.+?)\/(?= |$)/g)].every((match) => new RegExp(match[1] ?? '').test(contextValue)) && !/viewItem == /.test(m.when))
    .map((m) => m.command.replace('serveRevisions.', ''));
}

describe('how a revision reads in the tree', () => {
  it('labels with the number and the state first, describes message · short image · age', () => {
    const r = revision({ state: { kind: 'running', ready: 2, desired: 2 } });
    assert.equal(revisionLabel(r), '#3 running 2/2');
    assert.equal(revisionDescription(r, now), 'Retrained · iris:1.1.0 · 5m');
    assert.equal(revisionLabel(revision({ state: { kind: 'failed', reason: 'ImagePullBackOff', message: 'back-off', ready: 0, desired: 1 } })), '#3 failed: ImagePullBackOff');
    assert.equal(revisionDescription(revision({ createdAt: '2026-01-02T11:59:40Z' }), now), 'Retrained · iris:1.1.0 · <1m');
    assert.equal(revisionName(r), '#3 of iris');
  });

  it('shortens images to the last part of the repository with its tag or a 12-digit digest', () => {
    assert.equal(shortImage('ghcr.io/example/iris-bentoml:1.1.0'), 'iris-bentoml:1.1.0');
    assert.equal(shortImage('vllm/vllm-openai:v0.6.3'), 'vllm-openai:v0.6.3');
    assert.equal(shortImage('busybox'), 'busybox');
    assert.equal(shortImage('localhost:5000/model:2'), 'model:2');
    assert.equal(shortImage('registry.example.com/speech/whisper@sha256:4f7c1b0a9e3d2c8b6a5f4e3d2c1b0a9e8f7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b'), 'whisper@sha256:4f7c1b0a9e3d');
  });

  it('puts the whole image and readable times in the tooltip', () => {
    const lines = revisionTooltipLines(revision({ createdBy: 'alice', state: { kind: 'failed', reason: 'ImagePullBackOff', message: 'Back-off pulling image', ready: 0, desired: 1 } }), now);
    assert.equal(lines[0], 'State: failed: ImagePullBackOff — Back-off pulling image');
    assert.equal(lines[1], 'Image: ghcr.io/example/iris:1.1.0');
    assert.match(lines[lines.length - 1] ?? '', /^Created 2026-01-0\d \d\d:\d5 \(5m ago\) by alice$/);
  });

  it('knows when a service\'s ages read differently next', () => {
    const service: ServiceModel = { name: 'iris', namespace: 'demo', revisions: [revision({ createdAt: '2026-01-02T11:59:40Z' }), revision({ revision: 2 })] };
    assert.equal(agesShown(service, now), '<1m 5m');
    const wait = msUntilAgesChange(service, now) ?? 0;
    assert.ok(wait > 0 && wait <= 40_000, String(wait));
    assert.equal(agesShown(service, now + wait), '1m 5m');
  });

  it('offers only the actions that fit a revision\'s state, one inline', () => {
    const stopped = revisionContextValue(revision({}));
    const running = revisionContextValue(revision({ state: { kind: 'running', ready: 1, desired: 1 }, endpoint: 'iris-r3.demo.svc:3000', autoscaling: { minReplicas: 1, maxReplicas: 3, metric: 'cpu' } }));
    const failed = revisionContextValue(revision({ state: { kind: 'failed', reason: 'CrashLoopBackOff', message: 'x', ready: 0, desired: 1 } }));
    assert.equal(stopped, 'revision stopped');
    assert.equal(running, 'revision running scalable autoscaled hasEndpoint');
    assert.equal(failed, 'revision failed scalable');
    // Traffic (issue 14) after the state actions, Compare after creating from it: a stopped revision can be routed to (it starts first) and tagged, never split.
    assert.deepEqual(offered(stopped), ['start', 'routeAllTrafficHere', 'tagRevision', 'reproduceInForm', 'compareWithPrevious', 'compareWith', 'openSpec', 'showDetails', 'delete']);
    assert.deepEqual(offered(running), ['stop', 'scale', 'routeAllTrafficHere', 'splitTraffic', 'startRollout', 'tagRevision', 'reproduceInForm', 'compareWithPrevious', 'compareWith', 'openEndpoint', 'openSpec', 'showDetails', 'showLogs', 'showLogsWithOptions', 'copyEndpoint', 'delete']);
    assert.deepEqual(offered(failed), ['stop', 'scale', 'routeAllTrafficHere', 'tagRevision', 'reproduceInForm', 'compareWithPrevious', 'compareWith', 'openSpec', 'showDetails', 'showLogs', 'showLogsWithOptions', 'delete']);
    assert.deepEqual(offered(`${running} serving allTraffic`).filter((c) => /Traffic|Rollout/.test(c)), ['splitTraffic'], 'a revision with all the traffic is not offered to route or roll out to');
    // A failed revision also offers why, inline, before Stop.
    assert.deepEqual([offered(stopped, true), offered(running, true), offered(failed, true)], [['start'], ['stop'], ['showDetails', 'stop']]);
  });

  it('groups the context menu as VS Code does: state, traffic, create-from, compare, open, copy, delete last', () => {
    const groups = menus.filter((m) => m.group && !m.group.startsWith('inline') && !m.when.includes('viewItem == context')).map((m) => m.group?.split('@')[0] ?? '');
    assert.deepEqual([...new Set(groups)], ['1_state', '2_traffic', '3_create', '4_compare', '5_open', '6_copy', '9_delete']);
    assert.deepEqual([...new Set(groups)], [...new Set(groups)].sort());
  });

  it('names in the delete dialog only what exists', () => {
    const stopped = revision({});
    const service = (revisions: RevisionModel[], endpoint?: string): ServiceModel => ({ name: 'iris', namespace: 'demo', revisions, ...(endpoint ? { endpoint } : {}) });
    assert.equal(deleteConsequences(stopped, service([stopped, revision({ revision: 2 })])), 'The stored recipe "Retrained" (ghcr.io/example/iris:1.1.0) is removed for good. Other revisions stay.');
    const running = revision({ state: { kind: 'running', ready: 2, desired: 2 }, pods: [{ name: 'a', phase: 'Running', ready: true }, { name: 'b', phase: 'Running', ready: true }], endpoint: 'iris-r3.demo.svc:3000' });
    assert.match(deleteConsequences(running, service([running, stopped])), /Its 2 pods and its endpoint iris-r3\.demo\.svc:3000 go too\. Other revisions stay\.$/);
    assert.doesNotMatch(deleteConsequences(running, service([running, stopped])), /autoscaler/);
    assert.match(deleteConsequences(running, service([running], 'iris.demo.svc:3000')), /the service's stable endpoint iris\.demo\.svc:3000 \(this is its last revision\) go too\.$/);
  });

  it('copies an endpoint as an http:// URL for HTTP ports', () => {
    assert.equal(endpointUrl('iris-r4.demo.svc:3000', 'http'), 'http://iris-r4.demo.svc:3000');
    assert.equal(endpointUrl('iris-r4.demo.svc:3000', undefined), 'http://iris-r4.demo.svc:3000');
    assert.equal(endpointUrl('asr-r1.demo.svc:9001', 'grpc'), 'asr-r1.demo.svc:9001');
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
