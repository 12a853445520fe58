#!/usr/bin/env node
// `npm test`: everything a change must pass, in the order that fails fastest.
//   1. prerequisites (apt packages, Node 24, code-server, the control-plane build; cached)
//   2. bundles, type-check, lint (ESLint with the layer rules, import cycles), contribution check
//   3. unit tests (plain Node 24, no VS Code, no cluster)
//   4. integration tests against a real local control plane (cluster/start.sh)
//   5. end-to-end tests inside a real VS Code (code-server + Chromium) against the same cluster
// Pass step names to run only some: `npm test -- unit`, `npm test -- integration e2e`.
// Prints `tests: N passed, N failed` last and exits non-zero when anything failed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { floorNodeBin, installEnv, node24Bin, nodeVersion, repoRoot as root } from './toolchain.mjs';

const allSteps = ['prereqs', 'build', 'unit', 'integration', 'e2e'];
const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const steps = requested.length > 0 ? requested : allSteps;
for (const step of steps) {
  if (!allSteps.includes(step)) {
    console.error(`test: unknown step "${step}"; steps are ${allSteps.join(', ')}`);
    process.exit(2);
  }
}

let passed = 0;
let failed = 0;

function log(message) {
  console.log(`\n=== ${message}`);
}

/** Runs a command, echoing its output, and counts mocha's "N passing / N failing" lines. */
function run(command, args, options = {}) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let tail = '';
    const onData = (stream) => (chunk) => {
      stream.write(chunk);
      tail = (tail + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('close', (code, signal) => resolvePromise({ code: code ?? (signal ? 1 : 0), tail }));
  });
}

function countMocha(tail) {
  const passing = /(\d+) passing/.exec(tail);
  const failing = /(\d+) failing/.exec(tail);
  return { passing: passing ? Number(passing[1]) : 0, failing: failing ? Number(failing[1]) : 0 };
}

async function must(name, command, args, options) {
  log(name);
  const { code } = await run(command, args, options);
  if (code !== 0) {
    console.error(`\ntest: ${name} failed (exit ${code})`);
    failed++;
    finish();
  }
}

function finish() {
  console.log(`\ntests: ${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
}

function node24() {
  const node = join(node24Bin, 'node');
  if (!existsSync(node)) {
    console.error(`test: Node ${nodeVersion} not found at ${node}; run \`npm test -- prereqs\` (or scripts/prereqs.sh) first.`);
    process.exit(1);
  }
  return node;
}

async function mochaSuite(name, spec, env = {}) {
  log(name);
  const { code, tail } = await run(node24(), [join(root, 'node_modules/mocha/bin/mocha.js'), '--config', join(root, '.mocharc.json'), spec], { env: { ...process.env, ...env } });
  const counts = countMocha(tail);
  passed += counts.passing;
  failed += counts.failing;
  if (code !== 0 && counts.failing === 0) {
    console.error(`test: ${name} exited ${code} without a mocha summary`);
    failed++;
  }
}

function readEnvFile(path) {
  const env = {};
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

if (steps.includes('prereqs')) {
  // Installs run in an environment of their own: a nested npm must not take this npm's config.
  await must('prerequisites (apt packages, Node 24, the floor Node, code-server)', 'bash', ['scripts/prereqs.sh'], { env: installEnv() });
  await must('local control plane build (cached)', 'bash', ['cluster/build.sh'], { env: installEnv() });
}
if (steps.includes('build')) {
  await must('bundles', process.execPath, ['esbuild.mjs']);
  await must('type-check', process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.', '--noEmit']);
  await must('lint (ESLint, layers)', process.execPath, ['node_modules/eslint/bin/eslint.js', 'src', 'test', 'bench']);
  await must('import cycles (dpdm, type-only imports included)', process.execPath, ['node_modules/dpdm/lib/bin/dpdm.js', '--no-warning', '--no-tree', '--exit-code', 'circular:1', 'src/**/*.ts']);
  await must('contributions and packaging check', process.execPath, ['scripts/check-package.mjs']);
}
if (steps.includes('unit')) {
  await mochaSuite('unit tests', 'out/test/unit/**/*.test.js');
}

const needsCluster = steps.includes('integration') || steps.includes('e2e');
let clusterDir;
let clusterEnv = {};
if (needsCluster) {
  clusterDir = mkdtempSync(join(tmpdir(), 'serve-revisions-cluster-'));
  log('starting the local control plane');
  const { code } = await run('bash', ['cluster/start.sh'], { env: { ...process.env, SERVE_REVISIONS_CLUSTER_DIR: clusterDir } });
  if (code !== 0) {
    failed++;
    spawnSync('bash', ['cluster/stop.sh'], { cwd: root, stdio: 'inherit', env: { ...process.env, SERVE_REVISIONS_CLUSTER_DIR: clusterDir } });
    finish();
  }
  clusterEnv = readEnvFile(join(clusterDir, 'env'));
}
const stopCluster = () => {
  if (!clusterDir) return;
  spawnSync('bash', ['cluster/stop.sh'], { cwd: root, stdio: 'inherit', env: { ...process.env, SERVE_REVISIONS_CLUSTER_DIR: clusterDir } });
  rmSync(clusterDir, { recursive: true, force: true });
  clusterDir = undefined;
};
process.on('SIGINT', () => {
  stopCluster();
  process.exit(130);
});

try {
  if (steps.includes('integration')) {
    // The runtime-floor test runs the built CLI on the Node that runs `npm test` (the machine's)
    // and on the lowest Node package.json's engines.node allows.
    const nodes = { SERVE_REVISIONS_MACHINE_NODE: process.execPath, SERVE_REVISIONS_FLOOR_NODE: join(floorNodeBin, 'node') };
    await mochaSuite('integration tests (local control plane)', 'out/test/integration/**/*.test.js', { ...clusterEnv, ...nodes, SERVE_REVISIONS_CLUSTER_DIR: clusterDir });
  }
  if (steps.includes('e2e')) {
    log('end-to-end tests (code-server + Chromium)');
    const grep = process.env.SERVE_REVISIONS_E2E_GREP ? { SERVE_REVISIONS_E2E_GREP: process.env.SERVE_REVISIONS_E2E_GREP } : {};
    const envArgs = Object.entries({ ...clusterEnv, SERVE_REVISIONS_CLUSTER_DIR: clusterDir, ...grep }).flatMap(([k, v]) => ['--env', `${k}=${v}`]);
    const { code, tail } = await run(node24(), ['scripts/e2e.mjs', ...envArgs]);
    // The runner's own summary: with a window reload the suite runs twice, each with a mocha summary.
    const summary = /^e2e: (\d+) passed, (\d+) failed/m.exec(tail);
    const counts = summary ? { passing: Number(summary[1]), failing: Number(summary[2]) } : { passing: 0, failing: 0 };
    passed += counts.passing;
    failed += counts.failing;
    if (code !== 0 && counts.failing === 0) failed++;
  }
} finally {
  stopCluster();
}
finish();
