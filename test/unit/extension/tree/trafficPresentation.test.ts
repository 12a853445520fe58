import assert from 'node:assert/strict';
import type { RevisionModel, ServiceModel } from '../../../../src/core/kube/revisionState';
import { applyStep, beginRollout } from '../../../../src/core/traffic/rollout';
import { shareInputProblem } from '../../../../src/core/traffic/trafficPolicy';
import type { ServiceRecord } from '../../../../src/core/traffic/trafficModel';
import { revisionContextValue, revisionDescription, revisionLabel, serviceContextValue, serviceDescription } from '../../../../src/extension/tree/revisionPresentation';
import { revisionTrafficDetails, serviceDetails } from '../../../../src/extension/tree/trafficPresentation';

const now = Date.parse('2026-01-02T12:00:00Z');

function revision(n: number, over: Partial<RevisionModel>): RevisionModel {
  return { service: 'iris', namespace: 'demo', revision: n, message: 'm', image: 'ghcr.io/example/iris:1.1.0', recordUid: 'u', state: { kind: 'running', ready: 2, desired: 2 }, pods: [], createdAt: '2026-01-02T11:55:00Z', ...over };
}

function service(record: ServiceRecord, revisions: RevisionModel[], dataPlane: 'plain' | 'gateway' = 'plain'): ServiceModel {
  return { name: 'iris', namespace: 'demo', revisions, traffic: { dataPlane, stored: true, record, hasEndpointSlices: true, ...(dataPlane === 'gateway' ? { gateway: { name: 'public', namespace: 'infra' } } : {}) } };
}

describe('how traffic reads in the tree', () => {
  it('shows a revision\'s share, the share in effect where it differs, and its tags', () => {
    const serving = revision(3, { traffic: { percent: 90, effectivePercent: 75, tags: [] } });
    // The share and tags right after the state (the label `#3 running 2/2`), before the message.
    assert.equal(revisionLabel(serving), '#3 running 2/2');
    assert.equal(revisionDescription(serving, now), '90% (75% in effect) · m · iris:1.1.0 · 5m');
    const canary = revision(4, { traffic: { percent: 0, effectivePercent: 0, tags: ['canary'] } });
    assert.equal(revisionDescription(canary, now), '0% · tag canary · m · iris:1.1.0 · 5m');
    const stopped = revision(1, { state: { kind: 'stopped' }, traffic: { percent: 0, effectivePercent: 0, tags: [] } });
    assert.equal(revisionDescription(stopped, now), 'm · iris:1.1.0 · 5m', 'nothing to say about a stopped revision without a tag');
    assert.equal(revisionContextValue(revision(2, { traffic: { percent: 100, effectivePercent: 100, tags: ['stable'] } })), 'revision running scalable serving allTraffic tagged');
    assert.deepEqual(revisionTrafficDetails(serving, 'plain').map((l) => `${l.label}: ${l.description}`), ['Traffic: 90% · 75% in effect (approximate: the split follows ready pods)']);
    assert.deepEqual(revisionTrafficDetails(canary, 'gateway').map((l) => `${l.label}: ${l.description}`), ['Traffic: 0% · exact: the HTTPRoute weight', 'Tag canary: iris-canary.demo.svc']);
  });

  it('shows a service\'s data plane and its rollout\'s step and progress, paused once its driver goes silent', () => {
    const base: ServiceRecord = { service: 'iris', revisionCounter: 4, traffic: [{ revision: 3, percent: 100 }], settings: {} };
    const record = applyStep(beginRollout(base, 4, { steps: [10, 50, 100], intervalSeconds: 60 }, now - 10_000, 'alice (VS Code)', 30), 0, now - 10_000);
    const s = service(record, [revision(4, {}), revision(3, {})], 'gateway');
    assert.equal(serviceDescription(s, now), '2 revisions · 2 running · gateway infra/public · rollout #4 1/3 at 10%, progressing');
    assert.equal(serviceContextValue(s, now), 'service gateway split rollout rolloutRunning');
    assert.deepEqual(serviceDetails(s, now).map((l) => `${l.label}: ${l.description}`), [
      'Data plane: Gateway API: HTTPRoute iris on Gateway infra/public — exact weights',
      'Split: #3 90% · #4 10%',
      'Rollout: step 1 of 3 (10% on #4) · progressing · driven by alice (VS Code) · 10 → 50 → 100, 1m each · step 1 of 3: 10% on revision 4',
    ]);
    assert.equal(serviceContextValue(s, now + 60_000), 'service gateway split rollout rolloutPaused', 'the driver said nothing for 70 s');
    assert.equal(serviceContextValue(service(base, [revision(3, {})]), now), 'service plain');
  });

  it('checks each share of a split as it is typed, the last one taking what is left', () => {
    assert.equal(shareInputProblem('60', 100, false), undefined);
    assert.equal(shareInputProblem('60', 40, false), 'Only 40% is left to give: enter at most 40.');
    assert.equal(shareInputProblem('30', 40, true), 'The shares must add up to 100: this last one takes the remaining 40.');
    assert.equal(shareInputProblem('ten', 40, false), 'Enter a whole percent, e.g. 10.');
    assert.equal(shareInputProblem('40%', 40, true), undefined);
  });
});
