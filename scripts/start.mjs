#!/usr/bin/env node
// `npm start`: the extension in a real VS Code against a real (local) cluster, on a fresh machine.
//   1. builds the extension and packages it (dist/serve-revisions.vsix)
//   2. ensures prerequisites (scripts/prereqs.sh: Node 24, code-server, Chromium) and the
//      local control plane binaries (cluster/build.sh; cached after the first time)
//   3. starts the local control plane in $CACHE/demo-cluster and seeds namespace "demo"
//      (scripts/seed-demo.mjs) — skipped with --kubeconfig FILE or SERVE_REVISIONS_KUBECONFIG
//   4. installs the VSIX into a code-server of its own and serves it on 127.0.0.1, with
//      KUBECONFIG set, printing the URL; Ctrl-C stops code-server and the cluster.
//
//   node scripts/start.mjs [--port N] [--kubeconfig FILE] [--no-build]
//
// code-server's flags are the ones scripts/e2e.mjs uses (commented there),
// minus the test payload: a person opens the URL and the installed extension is just there.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cacheDir as cache, codeServerEntry as entry, debugRequested, installEnv, node24Bin as nodeBin, repoRoot as root } from './toolchain.mjs';

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    kubeconfig: { type: 'string', default: process.env.SERVE_REVISIONS_KUBECONFIG ?? '' },
    'no-build': { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 15).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}

const log = (message) => console.log(`start: ${message}`);
function die(message) {
  console.error(`start: ${message}`);
  void cleanup().then(() => process.exit(1));
}

/**
 * Runs a step in the foreground; stops everything with the step named when it fails. Steps run
 * in `base`: the environment of `npm start` by default, installEnv() for the steps that install.
 */
function step(what, command, args, env = {}, base = process.env) {
  log(what);
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...base, ...env } });
  if (result.status !== 0) {
    die(`${what} failed (exit ${result.status ?? result.signal}). Read the output above, fix it and run \`npm start\` again.`);
    throw new Error('stopped');
  }
}

function output(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  if (result.status !== 0) {
    die(`\`${command} ${args.join(' ')}\` failed (exit ${result.status ?? result.signal}).`);
    throw new Error('stopped');
  }
  return result.stdout.trim();
}

let server;
let activity;
let clusterDir;
let stopping = false;

async function cleanup() {
  if (stopping) return;
  stopping = true;
  if (server?.pid) {
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (activity?.pid) {
    try {
      process.kill(-activity.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (clusterDir) {
    log('stopping the local cluster');
    spawnSync('bash', ['cluster/stop.sh'], { cwd: root, stdio: 'inherit', env: { ...process.env, SERVE_REVISIONS_CLUSTER_DIR: clusterDir } });
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    log(`${sig}: stopping code-server${clusterDir ? ' and the cluster' : ''}`);
    void cleanup().then(() => process.exit(0));
  });
}

function freePort(wanted) {
  return new Promise((resolvePort, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(wanted, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolvePort(port));
    });
  });
}

async function main() {
  // 1–2: prerequisites first (Node 24 is needed to package and to seed), then the build.
  // Installs run in an environment of their own: a nested npm must not take this npm's config.
  const clean = installEnv();
  step('prerequisites (Node 24, code-server, Chromium; cached)', 'bash', ['scripts/prereqs.sh'], {}, clean);
  const node = join(nodeBin, 'node');
  const pathEnv = { PATH: `${nodeBin}:${process.env.PATH}` };
  if (!opts['no-build']) {
    if (!existsSync(join(root, 'node_modules'))) step('npm ci', 'npm', ['ci'], { PATH: `${nodeBin}:${clean.PATH}` }, clean);
    step('build (node esbuild.mjs)', node, ['esbuild.mjs'], pathEnv);
    step('package the extension (npm run package)', 'npm', ['run', '--silent', 'package'], pathEnv);
  }
  const vsix = join(root, 'dist/serve-revisions.vsix');
  if (!existsSync(vsix)) return die(`${vsix} is missing: run without --no-build.`);

  // 3: the cluster.
  let kubeconfig = opts.kubeconfig;
  if (kubeconfig) {
    if (!existsSync(kubeconfig)) return die(`kubeconfig ${kubeconfig} does not exist.`);
    log(`using your kubeconfig ${kubeconfig} (no local cluster, nothing seeded)`);
  } else {
    step('local control plane binaries (cluster/build.sh; ~6 min the first time, cached after)', 'bash', ['cluster/build.sh'], {}, clean);
    clusterDir = join(cache, 'demo-cluster');
    log(`starting the local control plane in ${clusterDir}`);
    const admin = output('bash', ['cluster/start.sh'], { SERVE_REVISIONS_CLUSTER_DIR: clusterDir }).split('\n').pop();
    // A copy whose context defaults to namespace "demo", so the tree opens on the seeded services.
    // Our own file in the state folder: the user's kubeconfig is never touched.
    kubeconfig = join(clusterDir, 'demo.kubeconfig');
    copyFileSync(admin, kubeconfig);
    const kubectl = readFileSync(join(clusterDir, 'env'), 'utf8').match(/^SERVE_REVISIONS_KUBECTL=(.*)$/m)?.[1];
    if (!kubectl) return die(`no SERVE_REVISIONS_KUBECTL in ${join(clusterDir, 'env')}`);
    output(kubectl, ['--kubeconfig', kubeconfig, 'config', 'set-context', '--current', '--namespace=demo']);
    step('seed namespace "demo" with demo services', node, ['scripts/seed-demo.mjs', '--kubeconfig', kubeconfig, '-n', 'demo', '--kubectl', kubectl], pathEnv);
    // Logs that grow and an autoscaled revision that scales, for as long as the demo runs.
    const simDir = readFileSync(join(clusterDir, 'env'), 'utf8').match(/^SERVE_REVISIONS_SIM_DIR=(.*)$/m)?.[1];
    if (simDir) {
      activity = spawn(node, ['scripts/demo-activity.mjs', '--kubeconfig', kubeconfig, '--sim-dir', simDir, '-n', 'demo'], { cwd: root, detached: true, stdio: 'ignore' });
      log('demo activity started: logs grow, iris #4 scales with its simulated CPU (scripts/demo-activity.mjs)');
    }
  }

  // 4: code-server with the packaged extension installed.
  const home = join(cache, 'demo-vscode');
  const workspace = join(home, 'workspace');
  for (const d of ['user-data/User', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'workspace']) mkdirSync(join(home, d), { recursive: true });
  for (const example of readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.yaml'))) {
    if (!existsSync(join(workspace, example))) copyFileSync(join(root, 'examples', example), join(workspace, example));
  }
  writeFileSync(
    join(home, 'user-data/User/settings.json'),
    JSON.stringify({ 'telemetry.telemetryLevel': 'off', 'workbench.startupEditor': 'none', 'security.workspace.trust.enabled': false, 'update.mode': 'none', 'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'chat.disableAIFeatures': true, 'workbench.secondarySideBar.defaultVisibility': 'hidden' }, null, 2),
  );
  const common = ['--user-data-dir', join(home, 'user-data'), '--extensions-dir', join(home, 'extensions')];
  const env = { ...process.env, ...pathEnv, XDG_CONFIG_HOME: join(home, 'xdg-config'), XDG_DATA_HOME: join(home, 'xdg-data'), XDG_CACHE_HOME: join(home, 'xdg-cache'), KUBECONFIG: kubeconfig };
  step('install the extension into code-server', node, [entry, ...common, '--install-extension', vsix, '--force'], env);

  const port = await freePort(Number(opts.port) || 0);
  const logFile = join(home, 'code-server.log');
  server = spawn(
    node,
    [entry, ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened'],
    { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const serverLog = createWriteStream(logFile);
  server.stdout.pipe(serverLog, { end: false });
  server.stderr.pipe(serverLog, { end: false });
  server.on('exit', (code, signal) => {
    if (!stopping) die(`code-server exited (code ${code}, signal ${signal}); its log: ${logFile}`);
  });
  await new Promise((ready) => {
    let seen = '';
    server.stdout.on('data', (chunk) => {
      seen += chunk;
      if (seen.includes('HTTP server listening on')) ready();
    });
  });
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
  console.log(`\nServe Revisions is running in VS Code at\n\n    ${url}\n\nKUBECONFIG=${kubeconfig}${clusterDir ? ' (local control plane, namespace "demo")' : ''}\ncode-server log: ${logFile}\nPress Ctrl-C to stop${clusterDir ? ' code-server and the cluster' : ''}.\n`);
}

main().catch((error) => {
  // One line, like every message of this script; the stack only when asked for.
  if (error?.message !== 'stopped') die(`failed: ${debugRequested() ? (error?.stack ?? error) : `${error?.message ?? error} (SERVE_REVISIONS_DEBUG=1 shows the details)`}`);
});
