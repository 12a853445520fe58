/**
 * `npm run bench`: the design targets, measured and printed (never asserted).
 *   activation          fresh-process load + activate() of dist/extension.js, median and max
 *   bundle sizes        every dist bundle
 *   tree at scale       one namespace with SERVICES × REVISIONS revisions (with workloads) on the
 *                       local control plane: (a) the raw LIST calls over plain HTTPS, (b) the
 *                       extension's model producing the full tree, ratio b/a
 *   watch latency       a change in the cluster until the watcher reports it (median, p95)
 *   heap                heap added with every revision loaded in the watcher's caches and model
 *   kubectl             one `kubectl get` per service, as a per-folder tree would
 *   yaml                scripts/bench-yaml.mjs when present
 * Writes the figures to out/bench/results.json as well.
 *
 * Options: --services N (1000) --revisions N (10) --kubeconfig FILE (use a running cluster instead
 * of starting one) --skip-cluster (only activation and sizes).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';
import { ManagedSelector, revisionObjectName } from '../src/core/kube/labels';
import { renderRevision, servicePorts } from '../src/core/kube/renderObjects';
import { renderStableService, stableSelector } from '../src/core/traffic/dataPlane';
import { renderServiceObject } from '../src/core/traffic/serviceRecord';
import { buildNamespaceModel, type ServiceModel } from '../src/core/kube/revisionState';
import type { RevisionSpec } from '../src/core/spec/revisionSpec';
import type * as KubeModule from '../src/kube/index';
import { TreeCollections } from '../src/core/kube/labels';
import { debugRequested } from '../src/core/debugRequested';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '1000' },
    revisions: { type: 'string', default: '10' },
    kubeconfig: { type: 'string' },
    'skip-cluster': { type: 'boolean', default: false },
    samples: { type: 'string', default: '30' },
  },
});
const root = process.cwd();
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version };
const rows: Array<[string, string, string]> = [];

function record(what: string, figure: string, target: string, key: string, value: unknown): void {
  rows.push([what, figure, target]);
  results[key] = value;
}

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}
const median = (s: number[]): number => quantile(s, 0.5);
const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 0)} ms`;

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

// --- activation and sizes ------------------------------------------------------------------
function activation(): void {
  const samples = Number(values.samples);
  const totals: number[] = [];
  let kubeLoaded = false;
  for (let i = 0; i < samples; i++) {
    const out = execFileSync(process.execPath, [join(root, 'out/bench/activationProbe.js'), join(root, 'dist')], { encoding: 'utf8' });
    const sample = JSON.parse(out) as { totalMs: number; kubeLoaded: boolean };
    totals.push(sample.totalMs);
    kubeLoaded ||= sample.kubeLoaded;
  }
  record('activation (load + activate), median / max', `${ms(median(totals))} / ${ms(Math.max(...totals))}`, '< 20 ms median', 'activationMs', { median: median(totals), max: Math.max(...totals), samples, kubeLoadedAtActivation: kubeLoaded });
  const sizes: Record<string, number> = {};
  for (const file of readdirSync(join(root, 'dist'))) if (/\.(js|css)$/.test(file)) sizes[file] = statSync(join(root, 'dist', file)).size;
  record('bundle sizes', Object.entries(sizes).map(([f, s]) => `${f} ${(s / 1024).toFixed(0)} KiB`).join(', '), 'kube.js not loaded at activation', 'bundleBytes', sizes);
}

// --- the cluster -----------------------------------------------------------------------------
interface Kubeconfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string } }>;
  users: Array<{ user: { 'client-certificate-data'?: string; 'client-key-data'?: string; 'client-certificate'?: string; 'client-key'?: string } }>;
}

function rawClient(kubeconfigPath: string): (path: string) => Promise<{ bytes: number; items: number }> {
  const config = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
  const cluster = config.clusters[0]?.cluster;
  const user = config.users[0]?.user;
  if (!cluster || !user) throw new Error(`${kubeconfigPath} has no cluster or user`);
  const pem = (data: string | undefined, file: string | undefined): Buffer | undefined => (data ? Buffer.from(data, 'base64') : file ? readFileSync(file) : undefined);
  const agent = new Agent({ keepAlive: true, ca: pem(cluster['certificate-authority-data'], cluster['certificate-authority']), cert: pem(user['client-certificate-data'], user['client-certificate']), key: pem(user['client-key-data'], user['client-key']) });
  const server = new URL(cluster.server);
  return (path) =>
    new Promise((resolve, reject) => {
      const req = request({ host: server.hostname, port: server.port, path, agent, headers: { accept: 'application/json' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          if (res.statusCode !== 200) return reject(new Error(`GET ${path}: ${res.statusCode} ${body.toString().slice(0, 200)}`));
          const items = (JSON.parse(body.toString()) as { items: unknown[] }).items.length;
          resolve({ bytes: body.length, items });
        });
      });
      req.on('error', reject);
      req.end();
    });
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  }));
}

function spec(service: string, revision: number): RevisionSpec {
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

async function seed(kube: typeof KubeModule, kubeconfig: string, namespace: string, services: number, revisions: number): Promise<void> {
  const client = kube.RevisionClient.connect({ kubeconfig, namespace });
  await client.core.createNamespace({ body: { metadata: { name: namespace } } }).catch(() => undefined);
  const work: Array<{ service: string; revision: number }> = [];
  for (let s = 0; s < services; s++) for (let r = 1; r <= revisions; r++) work.push({ service: `model-${String(s).padStart(4, '0')}`, revision: r });
  const started = Date.now();
  let done = 0;
  await pool(work, 24, async ({ service, revision }) => {
    const objects = renderRevision(spec(service, revision), { namespace, revision, createdAt: new Date().toISOString() });
    const record = await client.core.createNamespacedConfigMap({ namespace, body: objects.record });
    // The newest revision of every service runs: its Deployment (one pod on kwok) and Service,
    // and it holds all the service's traffic: the service object and the stable Service selecting
    // it (whose EndpointSlice the tree lists for the effective share).
    if (revision === revisions) {
      const owned = renderRevision(spec(service, revision), { namespace, revision, recordUid: record.metadata?.uid ?? '' });
      await client.apps.createNamespacedDeployment({ namespace, body: owned.deployment });
      await client.core.createNamespacedService({ namespace, body: owned.service });
      const traffic = [{ revision, percent: 100 }];
      const object = await client.core.createNamespacedConfigMap({ namespace, body: renderServiceObject({ service, revisionCounter: revisions, traffic, settings: {} }, namespace) });
      await client.core.createNamespacedService({ namespace, body: renderStableService(service, namespace, servicePorts(spec(service, revision)), stableSelector(service, traffic), { uid: object.metadata?.uid ?? '' }) });
    }
    if (++done % 1000 === 0) log(`seeded ${done}/${work.length} revisions (${Math.round((Date.now() - started) / 1000)} s)`);
  });
  // kwok nodes admit a limited number of pods each; wait for as many as fit, not for the impossible.
  const nodes = await client.core.listNode();
  const capacity = nodes.items.reduce((n, node) => n + Number(node.status?.allocatable?.['pods'] ?? 110), 0);
  const expected = Math.min(services, capacity);
  log(`seeded ${work.length} revisions in ${Math.round((Date.now() - started) / 1000)} s; waiting for ${expected} pods (the nodes admit ${capacity})`);
  const deadline = Date.now() + 600_000;
  for (;;) {
    const pods = await client.core.listNamespacedPod({ namespace, labelSelector: ManagedSelector });
    const running = pods.items.filter((p) => p.status?.phase === 'Running').length;
    if (running >= expected || Date.now() > deadline) {
      log(`${running} pods running`);
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

async function treeAtScale(kube: typeof KubeModule, kubeconfig: string, services: number, revisions: number): Promise<void> {
  const namespace = 'bench';
  await seed(kube, kubeconfig, namespace, services, revisions);
  const get = rawClient(kubeconfig);
  // The same label-selected collections the extension lists (records, workloads, pods, Services, service objects, EndpointSlices).
  const paths = Object.values(TreeCollections).map((c) => `${c.path(namespace)}?labelSelector=${encodeURIComponent(c.selector)}`);
  const client = kube.RevisionClient.connect({ kubeconfig, namespace });
  const raw: number[] = [];
  const model: number[] = [];
  const build: number[] = [];
  const pairs: number[] = [];
  let revisionsSeen = 0;
  // Interleaved, so both see the same server state and load; 11 rounds, as one LIST of 10,000
  // objects varies by a factor of two on a busy machine. The median of per-round ratios is the
  // steadier figure when the load changes during the run.
  const timeRaw = async (): Promise<void> => {
    const t = performance.now();
    await Promise.all(paths.map((p) => get(p)));
    raw.push(performance.now() - t);
  };
  const timeModel = async (): Promise<ServiceModel[]> => {
    const t = performance.now();
    // What client.listServices() does, timed in two parts.
    const objects = await client.listObjects();
    const listed = performance.now();
    const tree = buildNamespaceModel(namespace, objects);
    model.push(performance.now() - t);
    build.push(performance.now() - listed);
    return tree;
  };
  for (let i = 0; i < 11; i++) {
    // Alternating which goes first, so neither gains from the other warming the API server.
    let tree: ServiceModel[];
    if (i % 2 === 0) {
      await timeRaw();
      tree = await timeModel();
    } else {
      tree = await timeModel();
      await timeRaw();
    }
    pairs.push((model.at(-1) as number) / (raw.at(-1) as number));
    revisionsSeen = tree.reduce((n, s) => n + s.revisions.length, 0);
  }
  record(`raw LIST calls (${paths.length} in parallel, plain HTTPS, median of 11), ${services}×${revisions}`, ms(median(raw)), '', 'rawListMs', { median: median(raw), samples: raw });
  record('model producing the full tree (same LISTs + parse + build)', `${ms(median(model))} (${revisionsSeen} revisions)`, '', 'modelMs', { median: median(model), samples: model, revisions: revisionsSeen });
  record('  of which building the tree from the listed objects', ms(median(build)), '', 'buildMs', { median: median(build), samples: build });
  record('ratio model / raw (medians; median of per-round ratios)', `${(median(model) / median(raw)).toFixed(2)}; ${median(pairs).toFixed(2)}`, '< 1.5', 'treeRatio', { ofMedians: median(model) / median(raw), medianOfRounds: median(pairs), rounds: pairs });

  // Heap: everything loaded in the watcher's caches plus the built model.
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const watcher = client.watch(namespace);
  await watcher.start();
  const tree = watcher.services();
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  record(`heap added, ${tree.reduce((n, s) => n + s.revisions.length, 0)} revisions in watch caches + model`, `${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MB`, '< 100 MB', 'heapAddedBytes', heapAfter - heapBefore);

  // Watch latency: scale a running revision's Deployment and wait for the watcher to say so.
  const latencies: number[] = [];
  for (let i = 0; i < 20; i++) {
    const service = `model-${String(i).padStart(4, '0')}`;
    const seen = new Promise<number>((resolve) => {
      const off = watcher.onChange((change) => {
        if (change.service === service && change.kind === 'deployments') {
          off();
          resolve(performance.now());
        }
      });
    });
    const t = performance.now();
    await client.apps.patchNamespacedDeployment(
      { name: revisionObjectName(service, revisions), namespace, body: { metadata: { annotations: { 'bench/touch': String(i) } } } },
      kube.mergePatchOptions(),
    );
    latencies.push((await seen) - t);
  }
  await watcher.stop();
  record('cluster change → watcher event (median / p95)', `${ms(median(latencies))} / ${ms(quantile(latencies, 0.95))}`, '< 1 s', 'watchLatencyMs', { median: median(latencies), p95: quantile(latencies, 0.95) });

  // What users use today: kubectl once per service, as a per-folder tree expands folders.
  const kubectl = process.env['SERVE_REVISIONS_KUBECTL'];
  if (kubectl) {
    const sample = Math.min(services, 100);
    const t = performance.now();
    for (let s = 0; s < sample; s++) {
      spawnSync(kubectl, ['--kubeconfig', kubeconfig, '-n', namespace, 'get', 'configmaps,deployments,pods', '-l', `serve-revisions.dev/service=model-${String(s).padStart(4, '0')}`, '-o', 'json'], { encoding: 'utf8' });
    }
    const perService = (performance.now() - t) / sample;
    const estimate = perService * services;
    record(`kubectl get per service (${sample} timed, ×${services} estimated)`, `${(estimate / 1000).toFixed(1)} s (${ms(perService)} each)`, '', 'kubectlPerServiceMs', { perService, estimateMs: estimate, sample });
    record('ratio kubectl-per-service / model', (estimate / median(model)).toFixed(1), '', 'kubectlRatio', estimate / median(model));
  }
}

async function main(): Promise<void> {
  activation();
  if (!values['skip-cluster']) {
    const services = Number(values.services);
    const revisions = Number(values.revisions);
    let kubeconfig = values.kubeconfig;
    let clusterDir: string | undefined;
    if (!kubeconfig) {
      clusterDir = mkdtempSync(join(tmpdir(), 'serve-revisions-bench-'));
      log(`starting a local control plane in ${clusterDir}`);
      const out = execFileSync('bash', [join(root, 'cluster/start.sh')], { encoding: 'utf8', env: { ...process.env, SERVE_REVISIONS_CLUSTER_DIR: clusterDir }, stdio: ['ignore', 'pipe', 'inherit'] });
      kubeconfig = out.trim().split('\n').pop() as string;
      for (const line of readFileSync(join(clusterDir, 'env'), 'utf8').split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0 && line.startsWith('SERVE_REVISIONS_KUBECTL')) process.env['SERVE_REVISIONS_KUBECTL'] = line.slice(eq + 1);
      }
    }
    try {
      const kube = require(join(root, 'dist/kube.js')) as typeof KubeModule;
      await treeAtScale(kube, kubeconfig, services, revisions);
    } finally {
      if (clusterDir) {
        execFileSync('bash', [join(root, 'cluster/stop.sh')], { env: { ...process.env, SERVE_REVISIONS_CLUSTER_DIR: clusterDir }, stdio: 'inherit' });
        // 120 MB of etcd data and certificates per run: nothing in it is needed afterwards.
        rmSync(clusterDir, { recursive: true, force: true });
      }
    }
  }
  const yamlBench = join(root, 'scripts/bench-yaml.mjs');
  if (statSync(yamlBench, { throwIfNoEntry: false })) {
    const yaml = spawnSync(process.execPath, [yamlBench], { encoding: 'utf8' });
    rows.push(['yaml (scripts/bench-yaml.mjs)', yaml.stdout.trim().split('\n').join(' | '), '< 10 ms parse+validate median; < 20 ms completion p95']);
    results['yaml'] = yaml.stdout.trim();
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`\n${'what'.padEnd(width)}  figure  (target)\n`);
  for (const [what, figure, target] of rows) process.stdout.write(`${what.padEnd(width)}  ${figure}${target ? `  (target ${target})` : ''}\n`);
  mkdirSync(join(root, 'out/bench'), { recursive: true });
  writeFileSync(join(root, 'out/bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nwritten to out/bench/results.json\n`);
}

main().catch((error: unknown) => {
  // One line; the stack only when asked for, as everywhere in the project.
  process.stderr.write(`bench: ${error instanceof Error ? (debugRequested() ? (error.stack ?? error.message) : `${error.message} (SERVE_REVISIONS_DEBUG=1 shows the details)`) : String(error)}\n`);
  process.exit(1);
});
