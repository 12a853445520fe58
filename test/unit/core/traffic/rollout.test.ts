import assert from 'node:assert/strict';
import {
  abortRollout,
  applyStep,
  beginRollout,
  nextRolloutAction,
  parseDuration,
  parseSteps,
  pauseRollout,
  planProblem,
  resumeRollout,
  rolloutStartProblem,
  rolloutView,
  splitAtStep,
  type TargetHealth,
} from '../../../../src/core/traffic/rollout';
import { emptyServiceRecord } from '../../../../src/core/traffic/serviceRecord';
import type { RolloutState, ServiceRecord } from '../../../../src/core/traffic/trafficModel';

const t0 = Date.parse('2026-11-28T09:00:00Z');
const healthy: TargetHealth = { state: 'running', ready: 2, desired: 2 };

function serving(traffic: ServiceRecord['traffic']): ServiceRecord {
  return { ...emptyServiceRecord('iris'), revisionCounter: 3, traffic };
}

describe('rollouts', () => {
  it('reads steps and durations as people write them', () => {
    assert.deepEqual(parseSteps('10,50,100'), [10, 50, 100]);
    assert.deepEqual(parseSteps(' 5%, 100 '), [5, 100]);
    assert.match(String(parseSteps('10,x')), /not a list of whole percents/);
    assert.match(String(parseSteps('50,10,100')), /the steps must grow: 50 is followed by 10/);
    assert.match(String(parseSteps('10,50')), /the last step must be 100/);
    assert.equal(parseDuration('2m'), 120);
    assert.equal(parseDuration('1h30m'), 5400);
    assert.equal(parseDuration('45'), 45);
    assert.match(String(parseDuration('two minutes')), /not a duration: write it like 30s, 2m or 1h30m/);
    assert.match(String(parseDuration('0s')), /too short/);
    assert.match(planProblem({ steps: [10, 100], intervalSeconds: 60, manual: true }) ?? '', /either for an interval or until approved/);
    assert.match(planProblem({ steps: [10, 100] }) ?? '', /needs an interval/);
  });

  it('splits the rest among the revisions that served before, in their former proportions', () => {
    const before = [{ revision: 1, percent: 75 }, { revision: 2, percent: 25 }];
    assert.deepEqual(splitAtStep(before, 3, 20, before), [{ revision: 3, percent: 20 }, { revision: 2, percent: 20 }, { revision: 1, percent: 60 }]);
    assert.deepEqual(splitAtStep(before, 3, 100, before), [{ revision: 3, percent: 100 }]);
    assert.deepEqual(splitAtStep([{ revision: 2, percent: 100 }], 3, 10, [{ revision: 2, percent: 100, tags: ['stable'] }]), [{ revision: 3, percent: 10 }, { revision: 2, percent: 90, tags: ['stable'] }]);
  });

  it('refuses a rollout that would move nothing or overlap another', () => {
    const plan = { steps: [10, 50, 100], intervalSeconds: 60 };
    const record = serving([{ revision: 2, percent: 100 }]);
    assert.equal(rolloutStartProblem(record, 3, plan), undefined);
    assert.match(rolloutStartProblem(record, 2, plan) ?? '', /revision 2 already serves all the traffic/);
    assert.match(rolloutStartProblem(beginRollout(record, 3, plan, t0), 3, plan) ?? '', /a rollout of revision 3 is already under way \(no step applied yet\)/);
    assert.match(rolloutStartProblem(serving([{ revision: 2, percent: 60 }, { revision: 3, percent: 40 }]), 3, plan) ?? '', /already serves 40%, and the first step \(10%\) would not move anything/);
  });

  it('applies the first step once the target is ready, then each step after its interval while healthy, and ends at 100', () => {
    const plan = { steps: [10, 50, 100], intervalSeconds: 60 };
    let record = beginRollout(serving([{ revision: 2, percent: 100 }]), 3, plan, t0, 'ci', 30);
    const rollout = (): RolloutState => record.rollout as RolloutState;
    assert.deepEqual(nextRolloutAction(rollout(), { state: 'starting', ready: 0, desired: 2, reason: '0/2 ready' }, t0), { kind: 'hold', why: 'waiting for revision 3 to be ready (0/2 ready)' });
    assert.deepEqual(nextRolloutAction(rollout(), healthy, t0), { kind: 'apply', step: 0 });
    record = applyStep(record, 0, t0);
    assert.deepEqual(record.traffic, [{ revision: 3, percent: 10 }, { revision: 2, percent: 90 }]);
    assert.equal(nextRolloutAction(rollout(), healthy, t0 + 30_000).kind, 'hold');
    assert.deepEqual(nextRolloutAction(rollout(), healthy, t0 + 60_000), { kind: 'apply', step: 1 });
    record = applyStep(record, 1, t0 + 60_000);
    assert.deepEqual(record.traffic, [{ revision: 3, percent: 50 }, { revision: 2, percent: 50 }]);
    record = applyStep(record, 2, t0 + 120_000);
    assert.deepEqual(record.traffic, [{ revision: 3, percent: 100 }]);
    assert.equal(rollout().state, 'done');
    assert.equal(rollout().driver, undefined);
    assert.deepEqual(nextRolloutAction(rollout(), healthy, t0 + 200_000), { kind: 'none' });
  });

  it('holds a step while the target is not ready or restarted within the window, and pauses when it fails', () => {
    const plan = { steps: [10, 100], intervalSeconds: 60 };
    const record = applyStep(beginRollout(serving([{ revision: 2, percent: 100 }]), 3, plan, t0), 0, t0);
    const rollout = record.rollout as RolloutState;
    assert.match(JSON.stringify(nextRolloutAction(rollout, { state: 'running', ready: 2, desired: 2, lastRestartAt: new Date(t0 + 30_000).toISOString() }, t0 + 61_000)), /restarted a container/);
    assert.deepEqual(nextRolloutAction(rollout, { state: 'running', ready: 2, desired: 2, lastRestartAt: new Date(t0 - 5_000).toISOString() }, t0 + 61_000), { kind: 'apply', step: 1 });
    assert.equal(nextRolloutAction(rollout, { state: 'starting', ready: 1, desired: 2 }, t0 + 61_000).kind, 'hold');
    assert.deepEqual(nextRolloutAction(rollout, { state: 'failed', ready: 0, desired: 2, reason: 'CrashLoopBackOff: back-off' }, t0 + 61_000), { kind: 'pause', why: 'revision 3 failed (CrashLoopBackOff: back-off)' });
  });

  it('waits for approval at each step of a manual plan, and resume approves it', () => {
    const plan = { steps: [10, 100], manual: true };
    let record = applyStep(beginRollout(serving([{ revision: 2, percent: 100 }]), 3, plan, t0, 'ci'), 0, t0);
    assert.deepEqual(nextRolloutAction(record.rollout as RolloutState, healthy, t0 + 3600_000), { kind: 'waitApproval' });
    record = { ...record, rollout: { ...(record.rollout as RolloutState), state: 'waiting-approval' } };
    assert.deepEqual(nextRolloutAction(record.rollout as RolloutState, healthy, t0 + 3600_000), { kind: 'none' });
    record = resumeRollout(record, t0 + 3600_000);
    assert.deepEqual(nextRolloutAction(record.rollout as RolloutState, healthy, t0 + 3600_000), { kind: 'apply', step: 1 });
  });

  it('pauses, resumes and aborts through the stored state; abort restores the split before', () => {
    const before = serving([{ revision: 1, percent: 30 }, { revision: 2, percent: 70, tags: ['stable'] }]);
    let record = applyStep(beginRollout(before, 3, { steps: [20, 100], intervalSeconds: 5 }, t0, 'ci'), 0, t0);
    record = pauseRollout(record, 'bob', t0 + 1000);
    assert.equal(record.rollout?.state, 'paused');
    assert.deepEqual(nextRolloutAction(record.rollout as RolloutState, healthy, t0 + 60_000), { kind: 'none' });
    record = resumeRollout(record, t0 + 2000, 'carol');
    assert.equal(record.rollout?.state, 'progressing');
    assert.equal(record.rollout?.driver, 'carol');
    record = abortRollout(record, 'bob', t0 + 3000);
    assert.equal(record.rollout?.state, 'aborted');
    assert.deepEqual(record.traffic, [{ revision: 2, percent: 70, tags: ['stable'] }, { revision: 1, percent: 30 }]);
    assert.match(record.rollout?.message ?? '', /aborted by bob; traffic returned to #2 70%, #1 30%/);
  });

  it('shows a rollout whose driver went silent as paused at its last applied step', () => {
    const record = applyStep(beginRollout(serving([{ revision: 2, percent: 100 }]), 3, { steps: [10, 50, 100], intervalSeconds: 60 }, t0, 'alice (VS Code)', 30), 0, t0);
    const alive = rolloutView({ ...record, rollout: { ...(record.rollout as RolloutState), heartbeat: new Date(t0 + 10_000).toISOString() } }, t0 + 20_000);
    assert.equal(alive?.state, 'progressing');
    assert.equal(alive?.driverGone, false);
    const gone = rolloutView({ ...record, rollout: { ...(record.rollout as RolloutState), heartbeat: new Date(t0).toISOString() } }, t0 + 31_000);
    assert.equal(gone?.state, 'paused');
    assert.equal(gone?.driverGone, true);
    assert.equal(gone?.step, 0);
    assert.equal(gone?.percent, 10);
    assert.match(gone?.message ?? '', /alice \(VS Code\) stopped driving it/);
    const noDriver = rolloutView(beginRollout(serving([{ revision: 2, percent: 100 }]), 3, { steps: [10, 100], intervalSeconds: 1 }, t0), t0);
    assert.equal(noDriver?.state, 'paused');
    assert.match(noDriver?.message ?? '', /no client drives it/);
  });
});
