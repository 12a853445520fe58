import assert from 'node:assert/strict';
import { KubeConfig } from '@kubernetes/client-node';
import { describeState } from '../../src/core/kube/describeState';
import { TreeCollections } from '../../src/core/kube/labels';
import type { CollectionObject } from '../../src/core/kube/namespaceIndex';
import { renderRevision } from '../../src/core/kube/renderObjects';
import { listCollection, type ReflectorStore, type ReflectorTarget } from '../../src/kube/collectionReflector';
import { listPage, openWatch, type WatchEventType } from '../../src/kube/collectionRequests';
import type { RevisionClient } from '../../src/kube/revisionClient';
import { adminClient, adminKubeconfig, clusterScript, deleteNamespace, freshNamespace, makeSpec, useOwnControlPlane, waitFor } from './cluster';

function kubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(adminKubeconfig());
  return kc;
}

/** Records straight through the API (no start), as many as a test needs, quickly. */
async function createRecords(client: RevisionClient, namespace: string, services: string[], revisions: number): Promise<void> {
  await Promise.all(
    services.flatMap((service) =>
      Array.from({ length: revisions }, (_, i) => client.core.createNamespacedConfigMap({ namespace, body: renderRevision(makeSpec(service), { namespace, revision: i + 1, createdAt: new Date().toISOString() }).record })),
    ),
  );
}

/** A store that only keeps names and versions, as the reflector needs, recording what it is told. */
function mapStore(): ReflectorStore & { held: Map<string, string>; removed: string[] } {
  const held = new Map<string, string>();
  const removed: string[] = [];
  return {
    held,
    removed,
    put: (object: CollectionObject) => void held.set(object.metadata?.name ?? '', object.metadata?.resourceVersion ?? ''),
    remove: (name) => {
      held.delete(name);
      removed.push(name);
    },
    resourceVersion: (name) => held.get(name),
    names: () => [...held.keys()],
  };
}

function recordsTarget(namespace: string, pageSizes?: number[]): ReflectorTarget {
  const { path, selector, metadataOnly } = TreeCollections.records;
  return { kubeConfig: kubeConfig(), path: path(namespace), labelSelector: selector, metadataOnly, ...(pageSizes ? { pageSizes } : {}) };
}

describe('namespace watcher: records as metadata, paged lists', function () {
  // A hang guard for a loaded machine, not a speed check.
  this.timeout(300_000);
  let namespace: string;
  let client: RevisionClient;

  beforeEach(async () => {
    namespace = await freshNamespace('watch');
    client = adminClient(namespace);
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('lists and watches revision records as metadata only, without their spec', async () => {
    await client.create(makeSpec('iris'));
    const target = recordsTarget(namespace);
    const metadata = await listPage(target.kubeConfig, target.path, { labelSelector: target.labelSelector, metadataOnly: true });
    const full = await listPage(target.kubeConfig, target.path, { labelSelector: target.labelSelector, metadataOnly: false });
    const [item] = metadata.items as Array<CollectionObject & { kind?: string; data?: unknown }>;
    assert.equal(item?.kind, 'PartialObjectMetadata');
    assert.equal(item?.data, undefined, 'no spec.yaml in the listing');
    assert.equal(item?.metadata?.labels?.['serve-revisions.dev/revision'], '1');
    assert.equal(item?.metadata?.annotations?.['serve-revisions.dev/message'], 'iris for a test');
    assert.equal(item?.metadata?.managedFields, undefined, 'managedFields are dropped on arrival');
    assert.ok((full.items[0] as { data?: Record<string, string> }).data?.['spec.yaml']);
    assert.ok(metadata.bytes < full.bytes, `metadata ${metadata.bytes} B < full ${full.bytes} B`);

    const events: Array<{ type: WatchEventType; kind?: string; data?: unknown }> = [];
    const stop = openWatch(target.kubeConfig, target.path, { labelSelector: target.labelSelector, metadataOnly: true, resourceVersion: metadata.resourceVersion, timeoutSeconds: 60 }, {
      open: () => undefined,
      event: (type, object) => events.push({ type, kind: (object as { kind?: string }).kind, data: (object as { data?: unknown }).data }),
      close: () => undefined,
    });
    try {
      await client.create(makeSpec('iris', { message: 'second' }));
      const added = await waitFor(async () => events.find((e) => e.type === 'ADDED'), 'the new record through the metadata watch', 60_000);
      assert.deepEqual([added.kind, added.data], ['PartialObjectMetadata', undefined]);
    } finally {
      stop();
    }
  });

  it('hands out the first services before the namespace is listed whole, each with all its objects', async () => {
    const names = ['svc-a', 'svc-b', 'svc-c', 'svc-d', 'svc-e', 'svc-f'];
    await createRecords(client, namespace, names, 2);
    await client.start({ service: 'svc-c', revision: 2 });
    // Pages of 3: the records take 4 pages, so services are handed out while the listing goes on.
    const watcher = client.watch(namespace, { pageSizes: [3] });
    const early: Array<Array<{ name: string; revisions: number; newest: string }>> = [];
    watcher.onProgress(() => {
      if (!watcher.synced) early.push(watcher.services().map((s) => ({ name: s.name, revisions: s.revisions.length, newest: describeState(s.revisions[0]?.state ?? { kind: 'stopped' }) })));
    });
    try {
      await watcher.start();
      const partial = early.filter((shown) => shown.length > 0 && shown.length < names.length);
      assert.ok(partial.length > 0, `some services were handed out before the listing ended: ${JSON.stringify(early)}`);
      for (const shown of early) {
        for (const s of shown) assert.equal(s.revisions, 2, `${s.name} handed out with all its revisions`);
        // svc-c runs: it is never handed out before its Deployment was listed (never "stopped").
        const c = shown.find((s) => s.name === 'svc-c');
        if (c) assert.notEqual(c.newest, 'stopped');
      }
      assert.deepEqual(watcher.services().map((s) => s.name), names);
    } finally {
      await watcher.stop();
    }
  });

  it('removes what the store held but a new listing no longer has', async () => {
    await createRecords(client, namespace, ['kept'], 1);
    const store = mapStore();
    store.held.set('gone-r1', '1');
    await listCollection(recordsTarget(namespace), store);
    assert.deepEqual(store.removed, ['gone-r1']);
    assert.deepEqual([...store.held.keys()], ['kept-r1']);
  });
});

describe('namespace watcher when the API server forgets: 410 Gone', function () {
  // A hang guard: these tests restart the API server, which a loaded machine slows.
  this.timeout(300_000);
  // Faults on a cluster of their own: the suite's shared cluster never sees them.
  useOwnControlPlane();
  let namespace: string;
  let client: RevisionClient;

  beforeEach(async () => {
    namespace = await freshNamespace('watch-gone');
    client = adminClient(namespace);
  });
  afterEach(async () => {
    // Whatever a test did, leave the API server running for the next one.
    clusterScript('restart-apiserver.sh', 'start');
    await deleteNamespace(namespace);
  });

  it('lists again when the watch answers 410 Gone after the API server was away, and carries on', async () => {
    await createRecords(client, namespace, ['before'], 1);
    const watcher = client.watch(namespace);
    await watcher.start();
    try {
      const pagesBefore = watcher.listStats.pages;
      // A write while the API server is down (compact-etcd.sh makes one, then compacts): its watch
      // cache then begins after the watcher's resourceVersion, and etcd no longer has it: 410.
      clusterScript('restart-apiserver.sh', 'stop');
      clusterScript('compact-etcd.sh');
      clusterScript('restart-apiserver.sh', 'start');
      await waitFor(async () => watcher.listStats.pages > pagesBefore && watcher.status.kind === 'synced', 'the watcher to list again and be live', 120_000);
      await client.create(makeSpec('after'));
      await waitFor(async () => watcher.services().some((s) => s.name === 'after'), 'a record made after the relist to arrive through the watch', 60_000);
      assert.deepEqual(watcher.services().map((s) => s.name), ['after', 'before']);
    } finally {
      await watcher.stop();
    }
  });

  it('starts a listing over when its continue token has expired', async () => {
    await createRecords(client, namespace, ['exp-a', 'exp-b', 'exp-c', 'exp-d'], 1);
    const store = mapStore();
    const pages: string[][] = [];
    await listCollection(recordsTarget(namespace, [1]), store, {
      page: (page) => {
        pages.push(page.items.map((o) => o.metadata?.name ?? ''));
        // After the first page, the snapshot its continue token pages through goes away: a new API
        // server (its cache holds no snapshot of it) and etcd compacted past it.
        if (pages.length === 1) {
          clusterScript('restart-apiserver.sh', 'restart');
          clusterScript('compact-etcd.sh');
        }
      },
    });
    assert.deepEqual(pages[0], ['exp-a-r1']);
    assert.deepEqual(pages[1], ['exp-a-r1'], `the listing started over after the 410: ${JSON.stringify(pages)}`);
    assert.deepEqual([...store.held.keys()].sort(), ['exp-a-r1', 'exp-b-r1', 'exp-c-r1', 'exp-d-r1']);
  });
});
