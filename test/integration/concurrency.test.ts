import assert from 'node:assert/strict';
import { describeState } from '../../src/core/kube/describeState';
import { adminClient, deleteNamespace, freshNamespace, makeSpec, waitFor } from './cluster';

describe('concurrent actions', function () {
  this.timeout(480_000);
  let namespace: string;
  beforeEach(async () => {
    namespace = await freshNamespace('load');
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('runs 50 starts, then 50 scales and stops, on distinct revisions at once with nothing lost or duplicated', async () => {
    const client = adminClient(namespace);
    // 10 services × 5 revisions, created concurrently per service.
    const created = await Promise.all(Array.from({ length: 50 }, (_, i) => client.create(makeSpec(`svc-${i % 10}`, { replicas: 1, message: `m${i}` }))));
    const byService = new Map<string, number[]>();
    for (const c of created) byService.set(c.service, [...(byService.get(c.service) ?? []), c.revision].sort((a, b) => a - b));
    for (const numbers of byService.values()) assert.deepEqual(numbers, [1, 2, 3, 4, 5]);

    const refs = created.map((c) => ({ service: c.service, revision: c.revision }));
    const started = await Promise.allSettled(refs.map((r) => client.start(r)));
    assert.deepEqual(started.filter((s) => s.status === 'rejected'), []);
    await waitFor(async () => {
      const services = await client.listServices();
      return services.flatMap((s) => s.revisions).filter((r) => describeState(r.state) === 'running 1/1').length === 50;
    }, 'all 50 revisions running 1/1', 180_000, 1000);

    const half = refs.slice(0, 25);
    const rest = refs.slice(25);
    // Each service's first start took all its traffic; a revision that serves cannot be stopped, so
    // the traffic goes to one of the revisions that keep running first (one write per service, at once).
    await Promise.all([...byService.keys()].map((service) => client.traffic.edit(service, { split: [{ revision: half.find((r) => r.service === service)?.revision ?? 0, percent: 100 }] })));
    const mixed = await Promise.allSettled([...half.map((r) => client.scale(r, { replicas: 2 })), ...rest.map((r) => client.stop(r))]);
    assert.deepEqual(mixed.filter((s) => s.status === 'rejected'), []);
    await waitFor(async () => {
      const revisions = (await client.listServices()).flatMap((s) => s.revisions);
      const states = new Map(revisions.map((r) => [`${r.service}/${r.revision}`, describeState(r.state)]));
      return revisions.length === 50 && half.every((r) => states.get(`${r.service}/${r.revision}`) === 'running 2/2') && rest.every((r) => states.get(`${r.service}/${r.revision}`) === 'stopped');
    }, '25 revisions running 2/2 and 25 stopped, 50 in all', 180_000, 1000);
  });
});
