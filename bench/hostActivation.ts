/**
 * Activation where it happens: the extension in code-server's real extension host, activated by a
 * revision spec that is open when the window starts, timed by VS Code itself (see
 * hostActivationSuite.ts). Runs scripts/e2e.mjs with that suite on a workspace holding one spec.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SamplesLine, type HostActivationSample } from './hostActivationSamples';
import { median, ms, type RecordFigure } from './treeAtScale';

export function hostActivation(root: string, rounds: number, record: RecordFigure): void {
  const what = `activation in code-server's extension host, a spec open at startup (median / max of ${rounds} window reloads)`;
  const workspace = mkdtempSync(join(tmpdir(), 'serve-revisions-bench-ws-'));
  try {
    copyFileSync(join(root, 'examples/iris-bentoml.revision.yaml'), join(workspace, 'iris.revision.yaml'));
    const suite = join(root, 'out/bench/hostActivationSuite.js');
    if (!existsSync(suite)) throw new Error(`${suite} is missing: build first (node esbuild.mjs)`);
    const run = spawnSync(process.execPath, [join(root, 'scripts/e2e.mjs'), '--suite', suite, '--workspace', workspace, '--screenshots', join(workspace, '.shots'), '--env', `SERVE_REVISIONS_BENCH_ACTIVATIONS=${rounds}`], {
      encoding: 'utf8',
      timeout: 15 * 60_000,
      maxBuffer: 64 * 2 ** 20,
    });
    const line = run.stdout.split('\n').find((l) => l.startsWith(SamplesLine));
    if (run.status !== 0 || !line) {
      const tail = `${run.stdout}\n${run.stderr}`.trim().split('\n').slice(-12).join('\n  ');
      record(what, `not measured: scripts/e2e.mjs exited with ${run.status} (run scripts/prereqs.sh first?)\n  ${tail}`, '< 20 ms', 'hostActivationMs', null);
      return;
    }
    const samples = JSON.parse(line.slice(SamplesLine.length)) as HostActivationSample[];
    const total = samples.map((s) => s.activationMs);
    const engineLoaded = samples.some((s) => s.loadedAtActivation.engine);
    const kubeLoaded = samples.some((s) => s.loadedAtActivation.kube);
    const othersMs = samples.flatMap((s) => s.othersLoadCodeMs);
    const others = othersMs.length === 0 ? 'no other extension activated in those windows' : `other extensions in the same windows: load code ${median(othersMs)} ms (median of ${othersMs.length}: ${othersMs.join(', ')})`;
    const parts = `load code ${median(samples.map((s) => s.loadCodeMs))} ms + call activate ${median(samples.map((s) => s.callActivateMs))} ms (medians), by ${samples[0]?.event}; ${others}; engine.js ${engineLoaded ? 'LOADED' : 'not loaded'}, kube.js ${kubeLoaded ? 'LOADED' : 'not loaded'} at activation`;
    record(what, `${ms(median(total))} / ${ms(Math.max(...total))} (${parts})`, '< 20 ms', 'hostActivationMs', { median: median(total), max: Math.max(...total), samples });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
