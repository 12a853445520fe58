/**
 * `npm run bench`: the design targets, measured and printed (never asserted).
 *   activation (probe)  fresh-process load + activate() of dist/extension.js, median and max
 *   activation (host)   inside code-server's extension host with a revision spec open at startup,
 *                       VS Code's own timing (bench/hostActivation.ts)
 *   bundle sizes        every dist bundle
 *   tree at scale       one namespace with SERVICES × REVISIONS records, RUNNING of them started,
 *                       on the bench's own local control plane (bench/treeAtScale.ts): first
 *                       services and full model against the raw LISTs, bytes, heap, watch latency,
 *                       `serve-revisions list` against `kubectl get`
 *   yaml                scripts/bench-yaml.mjs when present
 * Writes the figures to out/bench/results.json as well.
 *
 * Options: --services N (10000) --revisions N (10) --running N (1000) --rounds N (5)
 * --kubeconfig FILE (a running cluster instead of starting one) --metrics-server (start it too)
 * --skip-cluster (no tree figures) --skip-host (no code-server) --activations N (5) --samples N (30).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { debugRequested } from '../src/core/debugRequested';
import type * as KubeModule from '../src/kube/index';
import { BenchClient } from './benchClient';
import { hostActivation } from './hostActivation';
import { seed, type SeedPlan } from './seed';
import { cliAgainstKubectl, heapAndWatch, listsAndModel, median, ms } from './treeAtScale';

const { values } = parseArgs({
  options: {
    services: { type: 'string', default: '10000' },
    revisions: { type: 'string', default: '10' },
    running: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    kubeconfig: { type: 'string' },
    'metrics-server': { type: 'boolean', default: false },
    'skip-cluster': { type: 'boolean', default: false },
    'skip-host': { type: 'boolean', default: false },
    activations: { type: 'string', default: '5' },
    samples: { type: 'string', default: '30' },
  },
});
const root = process.cwd();
const started = Date.now();
const results: Record<string, unknown> = { date: new Date().toISOString(), node: process.version, cpus: `${cpus().length} × ${cpus()[0]?.model ?? '?'}`, loadAverageAtStart: loadavg() };
const rows: Array<[string, string, string]> = [];

function record(what: string, figure: string, target: string, key: string, value: unknown): void {
  rows.push([what, figure, target]);
  results[key] = value;
}

function log(message: string): void {
  process.stderr.write(`bench: ${message} (+${Math.round((Date.now() - started) / 1000)} s, load ${loadavg().map((l) => l.toFixed(1)).join(' ')})\n`);
}

// --- activation and sizes ------------------------------------------------------------------
function activationProbe(): void {
  const samples = Number(values.samples);
  const totals: number[] = [];
  let kubeLoaded = false;
  for (let i = 0; i < samples; i++) {
    const out = execFileSync(process.execPath, [join(root, 'out/bench/activationProbe.js'), join(root, 'dist')], { encoding: 'utf8' });
    const sample = JSON.parse(out) as { totalMs: number; kubeLoaded: boolean };
    totals.push(sample.totalMs);
    kubeLoaded ||= sample.kubeLoaded;
  }
  record('activation probe: load + activate() in a fresh Node process, no editor (median / max)', `${ms(median(totals))} / ${ms(Math.max(...totals))}`, '', 'activationMs', { median: median(totals), max: Math.max(...totals), samples, kubeLoadedAtActivation: kubeLoaded });
  const sizes: Record<string, number> = {};
  for (const file of readdirSync(join(root, 'dist'))) if (/\.(js|css)$/.test(file)) sizes[file] = statSync(join(root, 'dist', file)).size;
  record('bundle sizes', Object.entries(sizes).map(([f, s]) => `${f} ${(s / 1024).toFixed(0)} KiB`).join(', '), 'kube.js, engine.js not loaded at activation', 'bundleBytes', sizes);
}

// --- the cluster -----------------------------------------------------------------------------
/** The bench's own control plane: a larger etcd quota for 100,000 records; metrics-server only when asked. */
function startCluster(): { kubeconfig: string; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'serve-revisions-bench-'));
  log(`starting a local control plane in ${dir}${values['metrics-server'] ? '' : ' (without metrics-server)'}`);
  const env = { ...process.env, SERVE_REVISIONS_CLUSTER_DIR: dir, SERVE_REVISIONS_ETCD_QUOTA_BYTES: String(8 * 2 ** 30), ...(values['metrics-server'] ? {} : { SERVE_REVISIONS_METRICS_SERVER: 'off' }) };
  const out = execFileSync('bash', [join(root, 'cluster/start.sh')], { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'inherit'] });
  for (const line of readFileSync(join(dir, 'env'), 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0 && line.startsWith('SERVE_REVISIONS_KUBECTL')) process.env['SERVE_REVISIONS_KUBECTL'] = line.slice(eq + 1);
  }
  return { kubeconfig: out.trim().split('\n').pop() as string, dir };
}

async function treeAtScale(kubeconfig: string): Promise<void> {
  const services = Number(values.services);
  const plan: SeedPlan = { namespace: 'bench', services, revisions: Number(values.revisions), running: Number(values.running ?? Math.min(services, 1000)) };
  results['plan'] = plan;
  const client = new BenchClient(kubeconfig);
  try {
    await seed(client, plan);
    log('seeded; measuring');
    const kube = require(join(root, 'dist/kube.js')) as typeof KubeModule;
    await listsAndModel(kube, client, kubeconfig, plan, Number(values.rounds), record);
    log('heap and watch latency');
    await heapAndWatch(kube, client, kubeconfig, plan, record);
    log('serve-revisions list against kubectl get');
    cliAgainstKubectl(root, kubeconfig, plan, record);
  } finally {
    client.close();
  }
}

async function main(): Promise<void> {
  activationProbe();
  if (!values['skip-host']) {
    log('activation in code-server');
    hostActivation(root, Number(values.activations), record);
  }
  if (!values['skip-cluster']) {
    let kubeconfig = values.kubeconfig;
    let cluster: { dir: string } | undefined;
    if (!kubeconfig) {
      const started = startCluster();
      kubeconfig = started.kubeconfig;
      cluster = started;
    }
    try {
      await treeAtScale(kubeconfig);
    } finally {
      if (cluster) {
        const db = statSync(join(cluster.dir, 'etcd/member/snap/db'), { throwIfNoEntry: false })?.size;
        if (db !== undefined) record('etcd database at the end (quota set to 8 GiB; its default is 2 GiB)', `${(db / 2 ** 20).toFixed(0)} MB`, '', 'etcdDbBytes', db);
        execFileSync('bash', [join(root, 'cluster/stop.sh')], { env: { ...process.env, SERVE_REVISIONS_CLUSTER_DIR: cluster.dir }, stdio: 'inherit' });
        // Hundreds of MB of etcd data and certificates per run: nothing in it is needed afterwards.
        rmSync(cluster.dir, { recursive: true, force: true });
      }
    }
  }
  const yamlBench = join(root, 'scripts/bench-yaml.mjs');
  if (statSync(yamlBench, { throwIfNoEntry: false })) {
    const yaml = spawnSync(process.execPath, [yamlBench], { encoding: 'utf8' });
    rows.push(['yaml (scripts/bench-yaml.mjs)', yaml.stdout.trim().split('\n').join(' | '), '< 10 ms parse+validate median; < 20 ms completion p95']);
    results['yaml'] = yaml.stdout.trim();
  }
  results['loadAverageAtEnd'] = loadavg();
  results['totalSeconds'] = Math.round((Date.now() - started) / 1000);
  const width = Math.max(...rows.map((r) => r[0].length));
  process.stdout.write(`\n${'what'.padEnd(width)}  figure  (target)\n`);
  for (const [what, figure, target] of rows) process.stdout.write(`${what.padEnd(width)}  ${figure}${target ? `  (target ${target})` : ''}\n`);
  process.stdout.write(`\n${results['cpus'] as string}; load average ${(results['loadAverageAtStart'] as number[]).map((l) => l.toFixed(1)).join(' ')} at start, ${loadavg().map((l) => l.toFixed(1)).join(' ')} at end; ${results['totalSeconds'] as number} s in all\n`);
  mkdirSync(join(root, 'out/bench'), { recursive: true });
  writeFileSync(join(root, 'out/bench/results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`written to out/bench/results.json\n`);
}

main().catch((error: unknown) => {
  // One line; the stack only when asked for, as everywhere in the project.
  process.stderr.write(`bench: ${error instanceof Error ? (debugRequested() ? (error.stack ?? error.message) : `${error.message} (SERVE_REVISIONS_DEBUG=1 shows the details)`) : String(error)}\n`);
  process.exit(1);
});
