#!/usr/bin/env node
// Benchmark of the YAML language features (targets in the README's Performance section): parse + validate of a 500-line
// spec (< 10 ms median), a completion answer (< 20 ms p95), and the worst case over the
// pathological inputs of the fuzz test (validate any input up to 1 MB in <= 100 ms per 100 KB).
// Prints the figures; asserts nothing.
//   node scripts/bench-yaml.mjs [--runs N] [--all]     (run it with Node 24: $(bash scripts/node24.sh)/node)
//   --all prints every pathological input's time, not only the worst.
import * as esbuild from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { compileSchema } from './compile-schema.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({ options: { runs: { type: 'string', default: '300' }, all: { type: 'boolean', default: false } } });
const runs = Number(opts.runs);

// Bundle the pure providers exactly as the extension does (JSON schema and generated validator included).
await compileSchema();
const dir = mkdtempSync(join(tmpdir(), 'bench-yaml-'));
const bundle = join(dir, 'language.cjs');
await esbuild.build({
  stdin: {
    contents: `
      export { parseSpecText, diagnoseParsedSpec } from './src/core/spec/specDocument';
      export { completeSpec } from './src/core/language/completion';
      export { hoverSpec } from './src/core/language/hover';
      export { pathologicalInputs, timeBudgetMs } from './test/unit/fuzz/pathologicalInputs';`,
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  outfile: bundle,
  logLevel: 'warning',
});
const { parseSpecText, diagnoseParsedSpec, completeSpec, hoverSpec, pathologicalInputs, timeBudgetMs } = await import(pathToFileURL(bundle).href);
rmSync(dir, { recursive: true, force: true });

/** A realistic 500-line spec: many env vars, ports and volumes, a few problems to report. */
function spec500() {
  const lines = [
    '# Benchmark spec: a large, realistic revision with a few mistakes.',
    'apiVersion: serve-revisions/v1',
    'kind: Revision',
    'service: llama-chat',
    'namespace: ml-serving',
    'message: Llama 3.1 8B on vLLM 0.6, bf16, with the tuned batch settings',
    'image: vllm/vllm-openai:v0.6.3',
    'command: ["python", "-m", "vllm.entrypoints.openai.api_server", "--model", "/models/llama"]',
    'resources:',
    '  cpu: "8"',
    '  memory: 64GB',
    '  gpu:',
    '    count: 1',
    '    resourceName: nvidia.com/gpu',
    'autoscaling:',
    '  minReplicas: 4',
    '  maxReplicas: 2',
    '  metric: gpu',
    '  target: 70',
    'ports:',
  ];
  for (let i = 0; i < 10; i++) lines.push(`  - name: port-${i}`, `    containerPort: ${8000 + i}`, `    protocol: ${['http', 'grpc', 'tcp'][i % 3]}`);
  lines.push('env:');
  let i = 0;
  while (lines.length < 430) {
    if (i % 3 === 0) lines.push(`  - name: SETTING_${i}`, `    value: "value-${i}"`);
    else if (i % 3 === 1) lines.push(`  - name: SECRET_${i}`, '    secretKeyRef:', `      name: secret-${i}`, '      key: token');
    else lines.push(`  - name: CONFIG_${i}`, '    configMapKeyRef:', `      name: config-${i}`, `      key: key-${i}`);
    i++;
  }
  lines.push('volumes:');
  let v = 0;
  while (lines.length < 495) {
    lines.push(`  - name: volume-${v}`, `    mountPath: /data/${v}`, '    readOnly: true', '    persistentVolumeClaim:', `      claimName: claim-${v}`);
    v++;
  }
  lines.push('serviceAccountName: model-reader', 'healthCheck:', '  path: /health', '  port: port-0', '');
  return lines.join('\n');
}

const text = spec500();
const lineCount = text.split('\n').length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.95))];
const time = (fn) => {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
};

// Warm up the JIT as an editor session would be after a few edits.
for (let k = 0; k < 30; k++) diagnoseParsedSpec(parseSpecText(text));
const parseTimes = [];
let diagnostics = 0;
for (let k = 0; k < runs; k++) parseTimes.push(time(() => (diagnostics = diagnoseParsedSpec(parseSpecText(text)).length)));

// Completion at positions spread over the document: keys, values, list items, the end.
const lines = text.split('\n');
const positions = [];
for (let line = 0; line < lines.length; line += 7) {
  const l = lines[line] ?? '';
  positions.push({ line, character: l.length }, { line, character: Math.min(l.length, (/^\s*(- )?/.exec(l)?.[0].length ?? 0) + 2) });
}
const cluster = () => ['a', 'b', 'c'];
for (const p of positions.slice(0, 50)) completeSpec(text, p, { cluster, defaultNamespace: 'demo' });
const completionTimes = [];
let items = 0;
for (let k = 0; k < Math.max(1, Math.ceil(runs / positions.length)) * positions.length && completionTimes.length < Math.max(runs, positions.length); k++) {
  const p = positions[k % positions.length];
  completionTimes.push(time(() => (items += completeSpec(text, p, { cluster, defaultNamespace: 'demo' }).items.length)));
}
const parsed = parseSpecText(text);
const hoverTimes = positions.map((p) => time(() => hoverSpec(parsed, p)));

const fmt = (ms) => `${ms.toFixed(2)} ms`;
console.log(`bench-yaml on Node ${process.versions.node}: a ${lineCount}-line spec (${diagnostics} diagnostics)`);
console.log(`  parse + validate:  median ${fmt(median(parseTimes))}, p95 ${fmt(p95(parseTimes))} over ${parseTimes.length} runs   (target: median < 10 ms)`);
console.log(`  completion:        median ${fmt(median(completionTimes))}, p95 ${fmt(p95(completionTimes))} over ${completionTimes.length} requests at ${positions.length} positions   (target: p95 < 20 ms)`);
console.log(`  hover:             median ${fmt(median(hoverTimes))}, p95 ${fmt(p95(hoverTimes))} over ${hoverTimes.length} positions`);

// The worst case: every pathological input, the fastest of three validations each (a pause of a
// loaded machine is not the checker's time), judged per 100 KB against its budget.
const worst = [];
for (const { name, text: input } of pathologicalInputs()) {
  const bytes = Buffer.byteLength(input);
  const ms = Math.min(...[0, 1, 2].map(() => time(() => diagnoseParsedSpec(parseSpecText(input)))));
  worst.push({ name, bytes, ms, ratio: ms / timeBudgetMs(bytes) });
}
worst.sort((a, b) => b.ratio - a.ratio);
const per100k = (w) => (w.ms / Math.max(w.bytes, 1)) * 100 * 1024;
const top = worst[0];
console.log(`  worst case:        ${top.name} (${(top.bytes / 1024).toFixed(0)} KB) in ${fmt(top.ms)}, ${top.ratio.toFixed(1)}× its budget of ${fmt(timeBudgetMs(top.bytes))}   (target: <= 100 ms per 100 KB, at least 20 ms; ${worst.filter((w) => w.ratio > 1).length} of ${worst.length} pathological inputs over it)`);
const biggest = worst.filter((w) => w.bytes >= 500 * 1024).sort((a, b) => per100k(b) - per100k(a))[0];
if (biggest) console.log(`  worst of >= 500 KB: ${biggest.name} (${(biggest.bytes / 1024).toFixed(0)} KB) in ${fmt(biggest.ms)}, ${per100k(biggest).toFixed(1)} ms per 100 KB`);
if (opts.all) for (const w of worst) console.log(`    ${w.ratio.toFixed(2).padStart(6)}×  ${fmt(w.ms).padStart(11)}  ${(w.bytes / 1024).toFixed(0).padStart(5)} KB  ${w.name}`);
