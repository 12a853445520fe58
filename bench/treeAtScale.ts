/**
 * The tree's data source at scale, in one seeded namespace, side by side with the physical limit:
 *   raw LISTs     the label-selected LISTs of every tree collection over plain HTTPS, unpaged, bytes received and
 *                 nothing parsed: records as metadata (what the tree reads now) and records whole
 *                 (what it read before);
 *   model         a fresh NamespaceWatcher: time to its first complete services, and to every
 *                 service (all pages listed, parsed, indexed, every service's model built);
 *   heap          added with every revision in the watcher's index and models;
 *   watch         a change in the cluster until the watcher reports it, everything cached;
 *   CLI           `serve-revisions list` (a whole process) against `kubectl get configmaps -l …`.
 * Rounds alternate their order, since a LIST of 100,000 objects swings with the machine's load.
 */
import { openSync, closeSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { componentSelector, TreeCollections, type TreeCollection } from '../src/core/kube/labels';
import { renderRevision } from '../src/core/kube/renderObjects';
import type * as KubeModule from '../src/kube/index';
import { MetadataListAccept, type BenchClient } from './benchClient';
import { benchSpec, runningDeployment, serviceName, type SeedPlan } from './seed';

export type RecordFigure = (what: string, figure: string, target: string, key: string, value: unknown) => void;

function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}
export const median = (s: number[]): number => quantile(s, 0.5);
export const ms = (n: number): string => `${n.toFixed(n < 10 ? 2 : 0)} ms`;
const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

const collections = Object.keys(TreeCollections) as TreeCollection[];

/** The five LISTs, in parallel, unpaged: milliseconds and bytes until the last byte. */
async function rawLists(client: BenchClient, namespace: string, recordsAsMetadata: boolean): Promise<{ ms: number; bytes: number }> {
  const started = performance.now();
  const sizes = await Promise.all(
    collections.map(async (kind) => {
      const { path, selector } = TreeCollections[kind];
      const accept = kind === 'records' && recordsAsMetadata ? MetadataListAccept : undefined;
      return (await client.get(`${path(namespace)}?labelSelector=${encodeURIComponent(selector)}`, accept)).bytes;
    }),
  );
  return { ms: performance.now() - started, bytes: sizes.reduce((a, b) => a + b, 0) };
}

interface ModelRound {
  firstMs: number;
  firstServices: number;
  firstRevisions: number;
  fullMs: number;
  bytes: number;
  revisions: number;
}

/** A fresh watcher until every service is in (its watch is then stopped). */
async function modelRound(kube: typeof KubeModule, kubeconfig: string, namespace: string): Promise<ModelRound> {
  const client = kube.RevisionClient.connect({ kubeconfig, namespace });
  const started = performance.now();
  const watcher = client.watch(namespace);
  let first: { ms: number; services: number; revisions: number } | undefined;
  watcher.onProgress(() => {
    if (first) return;
    const services = watcher.services();
    if (services.length > 0) first = { ms: performance.now() - started, services: services.length, revisions: services.reduce((n, s) => n + s.revisions.length, 0) };
  });
  await watcher.start();
  const services = watcher.services();
  const fullMs = performance.now() - started;
  await watcher.stop();
  const revisions = services.reduce((n, s) => n + s.revisions.length, 0);
  return { firstMs: first?.ms ?? fullMs, firstServices: first?.services ?? services.length, firstRevisions: first?.revisions ?? revisions, fullMs, bytes: watcher.listStats.bytes, revisions };
}

export async function listsAndModel(kube: typeof KubeModule, client: BenchClient, kubeconfig: string, plan: SeedPlan, rounds: number, record: RecordFigure): Promise<void> {
  const meta: number[] = [];
  const full: number[] = [];
  const model: ModelRound[] = [];
  let metaBytes = 0;
  let fullBytes = 0;
  const steps: Array<() => Promise<void>> = [
    async () => {
      const raw = await rawLists(client, plan.namespace, true);
      meta.push(raw.ms);
      metaBytes = raw.bytes;
    },
    async () => {
      const raw = await rawLists(client, plan.namespace, false);
      full.push(raw.ms);
      fullBytes = raw.bytes;
    },
    async () => {
      model.push(await modelRound(kube, kubeconfig, plan.namespace));
    },
  ];
  for (let i = 0; i < rounds; i++) {
    // Each round starts with another of the three, so none always gains from a warmed API server.
    for (let j = 0; j < steps.length; j++) await (steps[(i + j) % steps.length] as () => Promise<void>)();
    log(`round ${i + 1}/${rounds}: raw metadata ${ms(meta.at(-1) ?? NaN)}, raw full ${ms(full.at(-1) ?? NaN)}, model ${ms(model.at(-1)?.fullMs ?? NaN)} (first services at ${ms(model.at(-1)?.firstMs ?? NaN)})`);
  }
  const fullMs = model.map((m) => m.fullMs);
  const firstMs = model.map((m) => m.firstMs);
  const last = model.at(-1) as ModelRound;
  const n = `${plan.services.toLocaleString('en')} services × ${plan.revisions}`;
  record(`time to the first services in the model (median of ${rounds}), ${n}`, `${ms(median(firstMs))} (${last.firstServices} services, ${last.firstRevisions} revisions; max ${ms(Math.max(...firstMs))})`, '< 500 ms', 'firstPageMs', { median: median(firstMs), samples: firstMs, services: last.firstServices, revisions: last.firstRevisions });
  record('time to the full model (every page listed, indexed, every service built)', `${ms(median(fullMs))} (${last.revisions.toLocaleString('en')} revisions)`, '', 'fullModelMs', { median: median(fullMs), samples: fullMs, revisions: last.revisions });
  record(`raw LISTs, records as metadata (${collections.length} in parallel, unpaged, bytes only)`, `${ms(median(meta))}, ${mb(metaBytes)}`, '', 'rawMetadataListMs', { median: median(meta), samples: meta, bytes: metaBytes });
  record('raw LISTs, records whole (what the tree listed before)', `${ms(median(full))}, ${mb(fullBytes)}`, '', 'rawFullListMs', { median: median(full), samples: full, bytes: fullBytes });
  const perRound = (raw: number[]): number[] => model.map((m, i) => m.fullMs / (raw[i] ?? NaN));
  record('model / raw metadata LIST (medians; median of per-round ratios)', `${(median(fullMs) / median(meta)).toFixed(2)}; ${median(perRound(meta)).toFixed(2)}`, '≤ 1.2', 'modelToRawMetadata', { ofMedians: median(fullMs) / median(meta), medianOfRounds: median(perRound(meta)), rounds: perRound(meta) });
  record('model / raw full LIST (medians; median of per-round ratios)', `${(median(fullMs) / median(full)).toFixed(2)}; ${median(perRound(full)).toFixed(2)}`, '', 'modelToRawFull', { ofMedians: median(fullMs) / median(full), medianOfRounds: median(perRound(full)), rounds: perRound(full) });
  record('bytes received: model (paged, records as metadata) / raw full LIST', `${mb(last.bytes)} / ${mb(fullBytes)} = ${(last.bytes / fullBytes).toFixed(2)}`, '', 'bytes', { model: last.bytes, rawFull: fullBytes, rawMetadata: metaBytes });
}

/** Heap with everything in one watcher, then the change → event latency while it holds it all. */
export async function heapAndWatch(kube: typeof KubeModule, client: BenchClient, kubeconfig: string, plan: SeedPlan, record: RecordFigure): Promise<void> {
  const kubeClient = kube.RevisionClient.connect({ kubeconfig, namespace: plan.namespace });
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const watcher = kubeClient.watch(plan.namespace);
  await watcher.start();
  const revisions = watcher.services().reduce((n, s) => n + s.revisions.length, 0);
  global.gc?.();
  const heapAdded = process.memoryUsage().heapUsed - heapBefore;
  record(`heap added, ${revisions.toLocaleString('en')} revisions in the watcher's index + models`, mb(heapAdded), '< 150 MB', 'heapAddedBytes', heapAdded);

  // Half the changes scale a running revision's Deployment (a whole object), half add a record (metadata).
  const latencies: number[] = [];
  const byKind: { deployments: number[]; records: number[] } = { deployments: [], records: [] };
  try {
    for (let i = 0; i < 30; i++) {
      const kind = i % 2 === 0 ? 'deployments' : 'records';
      const target = runningDeployment(plan, i);
      const service = kind === 'deployments' ? target.service : serviceName(plan, (i * 7919) % plan.services);
      const revision = plan.revisions + 1 + i;
      const seen = new Promise<number>((resolve) => {
        const off = watcher.onChange((change) => {
          if (change.service === service && change.kind === kind && (kind === 'deployments' || change.revision === revision)) {
            off();
            resolve(performance.now());
          }
        });
      });
      const started = performance.now();
      const response =
        kind === 'deployments'
          ? await client.send('PATCH', `/apis/apps/v1/namespaces/${plan.namespace}/deployments/${target.name}`, { body: JSON.stringify({ metadata: { annotations: { 'bench/touch': String(i) } } }), contentType: 'application/merge-patch+json' })
          : await client.send('POST', `/api/v1/namespaces/${plan.namespace}/configmaps`, { body: JSON.stringify(renderRevision(benchSpec(service, revision), { namespace: plan.namespace, revision }).record) });
      if (response.status >= 300) throw new Error(`${kind} change: ${response.status} ${response.body.toString().slice(0, 200)}`);
      const latency = (await seen) - started;
      latencies.push(latency);
      byKind[kind].push(latency);
    }
  } finally {
    await watcher.stop();
  }
  record(
    `cluster change → watcher event, ${revisions.toLocaleString('en')} cached (median / p95 of ${latencies.length})`,
    `${ms(median(latencies))} / ${ms(quantile(latencies, 0.95))} (Deployment ${ms(median(byKind.deployments))}, record ${ms(median(byKind.records))} median)`,
    '< 1 s p95',
    'watchLatencyMs',
    { median: median(latencies), p95: quantile(latencies, 0.95), deployments: byKind.deployments, records: byKind.records },
  );
}

/** A whole process, its output thrown away: wall-clock milliseconds. */
function timeProcess(command: string, args: string[]): number {
  const sink = openSync('/dev/null', 'w');
  try {
    const started = performance.now();
    const result = spawnSync(command, args, { stdio: ['ignore', sink, 'pipe'], encoding: 'utf8' });
    const elapsed = performance.now() - started;
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}: ${result.stderr.slice(0, 300)}`);
    return elapsed;
  } finally {
    closeSync(sink);
  }
}

export function cliAgainstKubectl(root: string, kubeconfig: string, plan: SeedPlan, record: RecordFigure): void {
  const kubectl = process.env['SERVE_REVISIONS_KUBECTL'];
  const cli: number[] = [];
  const ctl: number[] = [];
  for (let i = 0; i < 3; i++) {
    cli.push(timeProcess(process.execPath, [join(root, 'dist/cli.js'), 'list', '--kubeconfig', kubeconfig, '-n', plan.namespace]));
    if (kubectl) ctl.push(timeProcess(kubectl, ['--kubeconfig', kubeconfig, '-n', plan.namespace, 'get', 'configmaps', '-l', componentSelector('record')]));
  }
  const versus = kubectl ? ` vs kubectl get configmaps -l … ${ms(median(ctl))} (${(median(cli) / median(ctl)).toFixed(2)}×)` : ' (kubectl not found: SERVE_REVISIONS_KUBECTL)';
  record('`serve-revisions list`, whole process (median of 3)', `${ms(median(cli))}${versus}`, '', 'cliListMs', { cli, kubectl: ctl });
}
