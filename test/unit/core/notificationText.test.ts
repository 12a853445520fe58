import assert from 'node:assert/strict';
import { hasMoreDetail, notificationSummary } from '../../../src/core/notificationText';

describe('notification text', () => {
  const long =
    'Revision 5 of "iris" was created but could not be started. Could not start revision 5 of "iris" in namespace "demo" of context "local": it autoscales on GPU utilisation, but the cluster serves no custom metrics API (custom.metrics.k8s.io), so the autoscaler could never act. Install a metrics adapter. The revision is stored (stopped); start it again once the cause is fixed.';

  it('keeps one or two lines: the sentences that fit, at least the first', () => {
    const summary = notificationSummary(long);
    assert.equal(summary, 'Revision 5 of "iris" was created but could not be started.');
    assert.ok(hasMoreDetail(long));
    assert.equal(notificationSummary('Stopped #2 of iris. Its recipe stays.'), 'Stopped #2 of iris. Its recipe stays.');
    assert.equal(hasMoreDetail('Stopped #2 of iris.'), false);
  });

  it('does not cut at the dots of host names and resource names', () => {
    const text = `Created #5 of iris in namespace "demo" and started, but its pods are pending: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu. Then ${'x'.repeat(200)}`;
    assert.equal(notificationSummary(text), 'Created #5 of iris in namespace "demo" and started, but its pods are pending: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.');
  });

  it('cuts a single sentence that is too long with an ellipsis', () => {
    const summary = notificationSummary('a'.repeat(500));
    assert.equal(summary.length, 180);
    assert.ok(summary.endsWith('…'));
  });
});
