import assert from 'node:assert/strict';
import type { V1Pod } from '@kubernetes/client-node';
import { MetricsHistory, metricsView, podUsage } from '../../../../src/core/observe/metricsHistory';

const pod = (name: string): V1Pod => ({ metadata: { name }, spec: { containers: [{ name: 'server', resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } } }] } });

describe('metrics', () => {
  it('reads usage per pod against requests and limits, and totals them', () => {
    const pods = podUsage(
      [
        { metadata: { name: 'iris-r2-b' }, containers: [{ name: 'server', usage: { cpu: '250000000n', memory: '512Mi' } }] },
        { metadata: { name: 'iris-r2-a' }, containers: [{ name: 'server', usage: { cpu: '50m', memory: '256Mi' } }] },
      ],
      [pod('iris-r2-a'), pod('iris-r2-b')],
    );
    assert.deepEqual(pods.map((p) => [p.name, p.cpu, p.memory / 2 ** 20, p.cpuRequest, p.cpuLimit, p.memoryRequest! / 2 ** 30]), [
      ['iris-r2-a', 0.05, 256, 0.5, 1, 1],
      ['iris-r2-b', 0.25, 512, 0.5, 1, 1],
    ]);
    const history = new MetricsHistory(3);
    for (let t = 1; t <= 5; t++) history.record({ t, cpu: t / 10, memory: null, desired: 2, ready: 2 });
    const view = metricsView(history, { pods });
    assert.deepEqual(view.samples.map((s) => s.t), [3, 4, 5], 'bounded, oldest dropped');
    assert.equal(view.totals?.cpu, 0.3);
    assert.equal(view.totals?.cpuRequest, 1);
    assert.equal(view.totals?.memoryLimit, 4 * 2 ** 30);
  });

  it('says why there are no metrics and what to do, instead of an empty chart', () => {
    const view = metricsView(new MetricsHistory(), { absence: 'missing' });
    assert.equal(view.available, false);
    assert.match(view.reason ?? '', /serves no metrics API \(metrics\.k8s\.io\).*Install metrics-server/);
    assert.match(metricsView(new MetricsHistory(), { absence: 'unavailable', detail: '503' }).reason ?? '', /not answering \(503\): metrics-server is down/);
  });

  it('keeps a replica change between readings apart from a missing reading, so the chart joins the first and breaks at the second', () => {
    const history = new MetricsHistory();
    history.record({ t: 10, cpu: 0.2, memory: 100, desired: 1, ready: 1 });
    history.record({ t: 12, cpu: null, memory: null, between: true, desired: 2, ready: 1 });
    history.record({ t: 14.2, cpu: null, memory: null, between: true, desired: 2, ready: 2 });
    history.record({ t: 14.7, cpu: 0.3, memory: 120, desired: 2, ready: 2 }); // a reading in the same second
    history.record({ t: 20, cpu: null, memory: null, desired: 2, ready: 2 }); // metrics not available
    assert.deepEqual(history.samples.map((s) => [s.t, s.cpu, s.between ?? false]), [
      [10, 0.2, false],
      [12, null, true],
      [14.7, 0.3, false],
      [20, null, false],
    ]);
  });
});
