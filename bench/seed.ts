/**
 * Seeds the bench namespace: SERVICES × REVISIONS revision records, and the newest revision of
 * RUNNING services (spread over the namespace) started: its Deployment (one pod on kwok) and its
 * Service, holding all its service's traffic (the service object and the stable Service selecting
 * it, whose EndpointSlice the tree lists for the effective share). Requests go out many at once over one keep-alive agent, so 100,000 records take a few
 * minutes on 2 cores; fake nodes are added so every running pod fits.
 */
import { revisionObjectName } from '../src/core/kube/labels';
import { renderRevision, servicePorts } from '../src/core/kube/renderObjects';
import { renderStableService, stableSelector } from '../src/core/traffic/dataPlane';
import { renderServiceObject } from '../src/core/traffic/serviceRecord';
import type { RevisionSpec } from '../src/core/spec/revisionSpec';
import { pool, type BenchClient } from './benchClient';

export interface SeedPlan {
  namespace: string;
  services: number;
  revisions: number;
  running: number;
}

const Concurrency = 48;
const PodsPerNode = 110;

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/** `model-0042`: wide enough for every service, so names sort as numbers do. */
export function serviceName(plan: Pick<SeedPlan, 'services'>, index: number): string {
  return `model-${String(index).padStart(Math.max(4, String(plan.services - 1).length), '0')}`;
}

export function benchSpec(service: string, revision: number): RevisionSpec {
  return {
    apiVersion: 'serve-revisions/v1',
    kind: 'Revision',
    service,
    message: `Model ${service} retrained, revision ${revision}`,
    image: `ghcr.io/acme-ml/${service}:1.${revision}.0`,
    resources: { cpu: '100m', memory: '128Mi' },
    ports: [{ name: 'http', containerPort: 8080, protocol: 'http' }],
    env: [{ name: 'MODEL_NAME', value: service }],
    replicas: 1,
  };
}

/** The indexes of the services whose newest revision runs: every k-th, spread over the namespace. */
export function runningServices(plan: SeedPlan): number[] {
  const running = Math.min(plan.running, plan.services);
  if (running === 0) return [];
  const step = plan.services / running;
  return Array.from({ length: running }, (_, i) => Math.floor(i * step));
}

/** Creates, retrying what the API server pushes back on (429, 5xx, a dropped connection); an existing object counts as made. */
async function create(client: BenchClient, path: string, body: unknown): Promise<{ metadata?: { uid?: string } }> {
  const text = JSON.stringify(body);
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await client.send('POST', path, { body: text });
      if (response.status === 201 || response.status === 200) return JSON.parse(response.body.toString()) as { metadata?: { uid?: string } };
      if (response.status === 409) return {};
      if (response.status !== 429 && response.status < 500) throw new Error(`POST ${path}: ${response.status} ${response.body.toString().slice(0, 300)}`);
    } catch (error) {
      if (attempt >= 8 || (error as Error).message.startsWith('POST')) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** Math.min(attempt, 5)));
  }
}

/** Fake nodes beside the cluster's three, so that `pods` pods all fit (kwok plays every node annotated as fake). */
async function addNodes(client: BenchClient, pods: number): Promise<void> {
  const nodes = JSON.parse((await client.get('/api/v1/nodes')).body.toString()) as { items: Array<{ status?: { allocatable?: Record<string, string> } }> };
  const capacity = nodes.items.reduce((n, node) => n + Number(node.status?.allocatable?.['pods'] ?? PodsPerNode), 0);
  const extra = Math.max(0, Math.ceil((pods - capacity) / PodsPerNode));
  for (let i = 0; i < extra; i++) {
    const name = `kwok-bench-${i}`;
    const resources = { cpu: '32', memory: '128Gi', pods: String(PodsPerNode), 'ephemeral-storage': '500Gi' };
    await create(client, '/api/v1/nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: { name, annotations: { 'kwok.x-k8s.io/node': 'fake' }, labels: { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', type: 'kwok' } },
      status: { capacity: resources, allocatable: resources },
    });
  }
  if (extra > 0) log(`added ${extra} fake nodes: room for ${capacity + extra * PodsPerNode} pods`);
}

export async function seed(client: BenchClient, plan: SeedPlan): Promise<void> {
  const { namespace } = plan;
  await create(client, '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
  const running = runningServices(plan);
  await addNodes(client, running.length);
  const started = Date.now();
  const runs = new Set(running.map((s) => serviceName(plan, s)));
  const uids = new Map<string, string>();
  const records = `/api/v1/namespaces/${namespace}/configmaps`;
  let done = 0;
  const total = plan.services * plan.revisions;
  const createRecord = async ({ service, revision }: { service: string; revision: number }): Promise<void> => {
    const made = await create(client, records, renderRevision(benchSpec(service, revision), { namespace, revision, createdAt: new Date().toISOString() }).record);
    if (revision === plan.revisions && runs.has(service)) uids.set(service, made.metadata?.uid ?? '');
    if (++done % 10_000 === 0) log(`seeded ${done}/${total} records (${Math.round((Date.now() - started) / 1000)} s)`);
  };
  const startRevision = async (service: string): Promise<void> => {
    const objects = renderRevision(benchSpec(service, plan.revisions), { namespace, revision: plan.revisions, recordUid: uids.get(service) ?? '' });
    await create(client, `/api/v1/namespaces/${namespace}/services`, objects.service);
    await create(client, `/apis/apps/v1/namespaces/${namespace}/deployments`, objects.deployment);
    const traffic = [{ revision: plan.revisions, percent: 100 }];
    const object = await create(client, records, renderServiceObject({ service, revisionCounter: plan.revisions, traffic, settings: {} }, namespace));
    const stable = renderStableService(service, namespace, servicePorts(benchSpec(service, plan.revisions)), stableSelector(service, traffic), { uid: object.metadata?.uid ?? '' });
    await create(client, `/api/v1/namespaces/${namespace}/services`, stable);
  };
  // Revision by revision across the services, the running ones first, so their revisions can be
  // started (and the controllers, scheduler and kwok get on with their pods) while the rest is seeded.
  const order = (names: string[]): Array<{ service: string; revision: number }> => Array.from({ length: plan.revisions }, (_, r) => names.map((service) => ({ service, revision: r + 1 }))).flat();
  const all = Array.from({ length: plan.services }, (_, s) => serviceName(plan, s));
  await pool(order(all.filter((s) => runs.has(s))), Concurrency, createRecord);
  const starting = pool([...runs], Concurrency / 4, startRevision);
  await pool(order(all.filter((s) => !runs.has(s))), Concurrency, createRecord);
  log(`seeded ${total} records in ${Math.round((Date.now() - started) / 1000)} s; waiting for the ${runs.size} revisions started meanwhile`);
  await starting;
  await waitForPods(client, namespace, runs.size);
  log(`seeding done in ${Math.round((Date.now() - started) / 1000)} s`);
}

async function waitForPods(client: BenchClient, namespace: string, expected: number): Promise<void> {
  const deadline = Date.now() + 600_000;
  for (;;) {
    const pods = JSON.parse((await client.get(`/api/v1/namespaces/${namespace}/pods?fieldSelector=status.phase%3DRunning`)).body.toString()) as { items: unknown[] };
    if (pods.items.length >= expected || Date.now() > deadline) {
      log(`${pods.items.length} of ${expected} pods running`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** The Deployment of a running revision, for the watch-latency probe. */
export function runningDeployment(plan: SeedPlan, nth: number): { service: string; name: string } {
  const index = runningServices(plan)[nth % Math.max(1, runningServices(plan).length)] ?? 0;
  const service = serviceName(plan, index);
  return { service, name: revisionObjectName(service, plan.revisions) };
}
