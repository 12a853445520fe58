import assert from 'node:assert/strict';
import { isVerdict, launchOutcome } from '../../../../src/core/kube/launchOutcome';

describe('what a launch led to', () => {
  it('says "started" with what the pods do, never for a revision already failing', () => {
    assert.deepEqual(launchOutcome({ kind: 'running', ready: 2, desired: 2 }), { severity: 'info', text: 'started; 2/2 ready' });
    assert.deepEqual(launchOutcome({ kind: 'starting', ready: 0, desired: 1, reason: 'Pending' }), { severity: 'info', text: 'started; 0/1 ready so far (Pending)' });
    const pending = launchOutcome({
      kind: 'failed',
      reason: 'Unschedulable',
      message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu. preemption: 0/3 nodes are available: 3 No preemption victims found for incoming pod.',
      ready: 0,
      desired: 1,
    });
    assert.deepEqual(pending, { severity: 'warning', text: 'started, but its pods are pending: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.' });
    const failing = launchOutcome({ kind: 'failed', reason: 'ImagePullBackOff', message: 'Back-off pulling image "x:fail-pull". More text.', ready: 0, desired: 1 });
    assert.equal(failing.severity, 'warning');
    assert.equal(failing.text, 'started, but it is failing: ImagePullBackOff (Back-off pulling image "x:fail-pull".)');
    assert.deepEqual(launchOutcome(undefined), { severity: 'info', text: 'started' });
  });

  it('waits for running or failed, not for starting', () => {
    assert.equal(isVerdict({ kind: 'starting', ready: 0, desired: 1 }), false);
    assert.equal(isVerdict({ kind: 'running', ready: 1, desired: 1 }), true);
    assert.equal(isVerdict({ kind: 'failed', reason: 'x', message: 'y', ready: 0, desired: 1 }), true);
  });
});
