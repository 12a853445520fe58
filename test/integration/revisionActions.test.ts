import assert from 'node:assert/strict';
import { AppsV1Api, AutoscalingV2Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';
import { Labels, revisionSelector, serviceRecordsSelector } from '../../src/core/kube/labels';
import { describeState } from '../../src/core/kube/describeState';
import { RevisionClient } from '../../src/kube/revisionClient';
import { adminClient, adminKubeconfig, deleteNamespace, freshNamespace, makeSpec, viewerKubeconfig, waitFor } from './cluster';

function apis() {
  const kc = new KubeConfig();
  kc.loadFromFile(adminKubeconfig());
  return { core: kc.makeApiClient(CoreV1Api), apps: kc.makeApiClient(AppsV1Api), autoscaling: kc.makeApiClient(AutoscalingV2Api) };
}

/** Everything carrying a revision's labels, by kind: what a user would find with kubectl. */
async function labelled(namespace: string, service: string, revision: number): Promise<Record<string, string[]>> {
  const { core, apps, autoscaling } = apis();
  const labelSelector = revisionSelector(service, revision);
  const names = (list: { items: Array<{ metadata?: { name?: string; deletionTimestamp?: Date } }> }) => list.items.filter((i) => !i.metadata?.deletionTimestamp).map((i) => i.metadata?.name ?? '');
  const [configMaps, deployments, replicaSets, pods, services, hpas] = await Promise.all([
    core.listNamespacedConfigMap({ namespace, labelSelector }),
    apps.listNamespacedDeployment({ namespace, labelSelector }),
    apps.listNamespacedReplicaSet({ namespace, labelSelector }),
    core.listNamespacedPod({ namespace, labelSelector }),
    core.listNamespacedService({ namespace, labelSelector }),
    autoscaling.listNamespacedHorizontalPodAutoscaler({ namespace, labelSelector }),
  ]);
  return { configMaps: names(configMaps), deployments: names(deployments), replicaSets: names(replicaSets), pods: names(pods), services: names(services), hpas: names(hpas) };
}

async function stateOf(client: RevisionClient, service: string, revision: number): Promise<string> {
  return describeState((await client.getRevision({ service, revision })).state);
}

describe('revision actions against the local control plane', function () {
  this.timeout(300_000);
  let namespace: string;
  let client: RevisionClient;

  beforeEach(async () => {
    namespace = await freshNamespace();
    client = adminClient(namespace);
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('creates, starts, scales, stops, starts again, reproduces and deletes a revision', async () => {
    const created = await client.create(makeSpec('iris'));
    assert.deepEqual(created, { service: 'iris', namespace, revision: 1, started: false });
    assert.equal(await stateOf(client, 'iris', 1), 'stopped');
    const { core } = apis();
    const record = await core.readNamespacedConfigMap({ name: 'iris-r1', namespace });
    assert.equal(record.immutable, true);
    assert.equal(record.metadata?.labels?.[Labels.component], 'record');
    const recordedSpec = record.data?.['spec.yaml'];

    await client.start({ service: 'iris', revision: 1 });
    await waitFor(async () => (await stateOf(client, 'iris', 1)) === 'running 2/2', 'revision 1 running 2/2');
    const running = await labelled(namespace, 'iris', 1);
    assert.equal(running.pods?.length, 2);
    assert.deepEqual(running.services, ['iris-r1']);
    const { items: pods } = await core.listNamespacedPod({ namespace, labelSelector: revisionSelector('iris', 1) });
    assert.ok(pods.every((p) => p.status?.phase === 'Running' && p.spec?.nodeName?.startsWith('kwok-')));
    const revision = await client.getRevision({ service: 'iris', revision: 1 });
    assert.equal(revision.endpoint, `iris-r1.${namespace}.svc:3000`);

    await client.scale({ service: 'iris', revision: 1 }, { replicas: 3 });
    await waitFor(async () => (await stateOf(client, 'iris', 1)) === 'running 3/3', 'revision 1 running 3/3');

    await client.stop({ service: 'iris', revision: 1 });
    await waitFor(async () => {
      const left = await labelled(namespace, 'iris', 1);
      return left.pods?.length === 0 && left.deployments?.length === 0 && left.hpas?.length === 0 && left.services?.length === 0 && left.configMaps?.length === 1;
    }, 'no pods, workload or endpoint of revision 1, but its record');
    assert.equal(await stateOf(client, 'iris', 1), 'stopped');

    await client.start({ service: 'iris', revision: 1 });
    await waitFor(async () => (await stateOf(client, 'iris', 1)) === 'running 2/2', 'revision 1 running again with its recorded 2 replicas');
    const after = await core.readNamespacedConfigMap({ name: 'iris-r1', namespace });
    assert.equal(after.data?.['spec.yaml'], recordedSpec, 'the record is unchanged by stop and start');
    assert.equal(after.metadata?.uid, record.metadata?.uid);

    const reproduced = await client.reproduce({ service: 'iris', revision: 1 }, { message: 'same settings, new data' });
    assert.equal(reproduced.revision, 2);
    const copy = await client.readRecord({ service: 'iris', revision: 2 });
    const original = await client.readRecord({ service: 'iris', revision: 1 });
    assert.equal(copy.spec.reproducedFrom, 1);
    assert.equal(copy.spec.message, 'same settings, new data');
    const strip = (s: Record<string, unknown>) => {
      const { revision: _r, createdAt: _c, createdBy: _b, message: _m, reproducedFrom: _f, ...rest } = s;
      return rest;
    };
    assert.deepEqual(strip(copy.spec as never), strip(original.spec as never));
    assert.equal((await client.getRevision({ service: 'iris', revision: 2 })).reproducedFrom, 1);

    // It serves all the traffic: refused until it is stopped (the only one running, so that may be).
    await assert.rejects(client.delete({ service: 'iris', revision: 1 }), /it serves 100% of the traffic of "iris"/);
    await client.stop({ service: 'iris', revision: 1 });
    await client.delete({ service: 'iris', revision: 1 });
    await waitFor(async () => Object.values(await labelled(namespace, 'iris', 1)).every((names) => names.length === 0), 'nothing left with the labels of revision 1');
    const services = await client.listServices();
    assert.deepEqual(services.map((s) => [s.name, s.revisions.map((r) => r.revision)]), [['iris', [2]]]);
    await client.delete({ service: 'iris', revision: 2 });
    await waitFor(async () => (await core.listNamespacedService({ namespace })).items.length === 0, 'the stable Service gone with the last revision');
  });

  it('launches immediately when the spec says so and records who created it', async () => {
    const result = await client.create(makeSpec('launcher', { launchImmediately: true, replicas: 1 }));
    assert.equal(result.started, true);
    await waitFor(async () => (await stateOf(client, 'launcher', 1)) === 'running 1/1', 'launched revision running');
    const { spec } = await client.readRecord({ service: 'launcher', revision: 1 });
    assert.equal(spec.createdBy, 'serve-revisions-admin');
    assert.ok(spec.createdAt && !Number.isNaN(Date.parse(spec.createdAt)));
  });

  it('autoscales between min and max, and Scale changes the bounds instead of the replicas', async () => {
    await client.create(makeSpec('auto', { replicas: undefined, autoscaling: { minReplicas: 2, maxReplicas: 5, metric: 'cpu', target: 60 } }), { launch: true });
    const { autoscaling } = apis();
    const hpa = await waitFor(() => autoscaling.readNamespacedHorizontalPodAutoscaler({ name: 'auto-r1', namespace }), 'the HPA');
    assert.deepEqual([hpa.spec?.minReplicas, hpa.spec?.maxReplicas, hpa.spec?.metrics?.[0]?.resource?.target.averageUtilization], [2, 5, 60]);
    await waitFor(async () => (await stateOf(client, 'auto', 1)) === 'running 2/2', 'autoscaled revision at its minimum');
    await client.scale({ service: 'auto', revision: 1 }, { minReplicas: 3, maxReplicas: 6 });
    const changed = await autoscaling.readNamespacedHorizontalPodAutoscaler({ name: 'auto-r1', namespace });
    assert.deepEqual([changed.spec?.minReplicas, changed.spec?.maxReplicas], [3, 6]);
    await assert.rejects(client.scale({ service: 'auto', revision: 1 }, { replicas: 4 }), /it is autoscaled; give a minimum and a maximum/);
    await client.stop({ service: 'auto', revision: 1 });
    await waitFor(async () => (await labelled(namespace, 'auto', 1)).hpas?.length === 0, 'no HPA after stop');
  });

  it('schedules a GPU revision on the GPU node', async () => {
    await client.create(makeSpec('llm', { replicas: 1, resources: { cpu: '2', memory: '8Gi', gpu: { count: 2, product: 'NVIDIA-A100-SXM4-80GB' } } }), { launch: true });
    await waitFor(async () => (await stateOf(client, 'llm', 1)) === 'running 1/1', 'GPU revision running');
    const { core } = apis();
    const { items } = await core.listNamespacedPod({ namespace, labelSelector: revisionSelector('llm', 1) });
    assert.deepEqual(items.map((p) => p.spec?.nodeName), ['kwok-gpu-0']);
    assert.equal(items[0]?.spec?.containers[0]?.resources?.requests?.['nvidia.com/gpu'], '2');
  });

  it('shows a revision whose image cannot be pulled as failed with the reason', async () => {
    await client.create(makeSpec('broken', { replicas: 1, image: 'registry.invalid/model-server:fail-pull' }), { launch: true });
    const state = await waitFor(async () => {
      const r = await client.getRevision({ service: 'broken', revision: 1 });
      return r.state.kind === 'failed' ? r.state : undefined;
    }, 'the failed state');
    assert.equal(state.reason, 'ImagePullBackOff');
  });

  it('refuses to start a GPU-metric autoscaler when the cluster serves no custom metrics API, creating nothing', async () => {
    const spec = makeSpec('gpu-auto', { replicas: undefined, resources: { cpu: '1', memory: '1Gi', gpu: { count: 1 } }, autoscaling: { minReplicas: 1, maxReplicas: 2, metric: 'gpu' } });
    await client.create(spec);
    await assert.rejects(client.start({ service: 'gpu-auto', revision: 1 }), /serves no custom metrics API \(custom\.metrics\.k8s\.io\), so the autoscaler could never act/);
    const left = await labelled(namespace, 'gpu-auto', 1);
    assert.deepEqual([left.deployments, left.hpas, left.services], [[], [], []]);
  });

  it('gives 10 concurrent creates of one service 10 distinct numbers and 10 intact records', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => adminClient(namespace).create(makeSpec('busy', { message: `create ${i}` }))));
    const numbers = results.map((r) => r.revision).sort((a, b) => a - b);
    assert.deepEqual(numbers, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const { core } = apis();
    const records = await core.listNamespacedConfigMap({ namespace, labelSelector: serviceRecordsSelector('busy') });
    assert.equal(records.items.length, 10);
    const messages = records.items.map((r) => (parse(r.data?.['spec.yaml'] ?? '') as { message: string }).message).sort();
    assert.deepEqual(messages, Array.from({ length: 10 }, (_, i) => `create ${i}`).sort());
    for (const r of records.items) assert.equal((parse(r.data?.['spec.yaml'] ?? '') as { revision: number }).revision, Number(r.metadata?.labels?.[Labels.revision]));
  });

  it('lets a read-only user list, and refuses every write with a clear forbidden message, creating nothing', async () => {
    const admin = adminClient('demo');
    const created = await admin.create(makeSpec(`shared-${Date.now().toString(36)}`));
    try {
      const viewer = RevisionClient.connect({ kubeconfig: viewerKubeconfig(), namespace: 'demo' });
      const services = await viewer.listServices();
      assert.ok(services.some((s) => s.name === created.service));
      // Outside "demo" the viewer may not even list: the plain-JSON LIST says so like every other call.
      await assert.rejects(viewer.listServices('default'), /Could not list the services and revisions in namespace "default" of context "[^"]+": forbidden \(needs list on (configmaps|deployments\.apps|horizontalpodautoscalers\.autoscaling|pods|services)\)/);
      await assert.rejects(viewer.create(makeSpec('viewer-made')), /Could not create a revision of "viewer-made" in namespace "demo" of context "[^"]+": forbidden \(needs create on configmaps\)/);
      await assert.rejects(viewer.start({ service: created.service, revision: 1 }), /forbidden \(needs (get|patch|create) on services\)/);
      await assert.rejects(viewer.scale({ service: created.service, revision: 1 }, { replicas: 2 }), /forbidden/);
      await assert.rejects(viewer.delete({ service: created.service, revision: 1 }), /forbidden \(needs delete on/);
      const after = await admin.listServices();
      assert.ok(!after.some((s) => s.name === 'viewer-made'));
      assert.equal(after.find((s) => s.name === created.service)?.revisions[0]?.state.kind, 'stopped');
    } finally {
      await admin.delete({ service: created.service, revision: created.revision });
    }
  });

  it('rejects an invalid spec before touching the cluster', async () => {
    await assert.rejects(client.create(makeSpec('Bad_Name')), /the spec has 1 error: service "Bad_Name" is not a valid name/);
    assert.deepEqual(await client.listServices(), []);
  });
});
