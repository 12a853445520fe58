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
});
