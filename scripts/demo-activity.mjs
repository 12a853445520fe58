#!/usr/bin/env node
// Keeps `npm start`'s demo moving while it runs, so what Serve Revisions observes changes:
//   - the model servers "serve requests": a line is appended every 2 s to the log every pod of the
//     local cluster serves (cluster/README.md, "Container logs"), so a followed log grows;
//   - iris #4 (autoscaled on CPU, target 70 %) gets busy for 2 minutes, then idle for 3, again and
//     again: its pods' simulated usage is set with the kwok annotation (cluster/README.md, "Resource
//     usage"), so its autoscaler really scales it up and back down and the charts show it.
//
//   node scripts/demo-activity.mjs --kubeconfig FILE --sim-dir DIR [-n demo]
//
// Started by scripts/start.mjs after seeding and stopped with it. Uses the cluster's own kubectl.
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { kubeconfig: { type: 'string' }, 'sim-dir': { type: 'string' }, namespace: { type: 'string', short: 'n', default: 'demo' } } });
if (!values.kubeconfig || !values['sim-dir']) {
  console.error('demo-activity: needs --kubeconfig FILE and --sim-dir DIR');
  process.exit(2);
}
const kubectl = readFileSync(join(dirname(values.kubeconfig), 'env'), 'utf8').match(/^SERVE_REVISIONS_KUBECTL=(.*)$/m)?.[1];
if (!kubectl) {
  console.error('demo-activity: no SERVE_REVISIONS_KUBECTL in the cluster env file');
  process.exit(2);
}
const log = join(values['sim-dir'], 'server.log');

/** CRI log format, as kwok serves it: `<RFC 3339 time> stdout F <text>`. */
const cri = (text, stream = 'stdout') => `${new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')} ${stream} F ${text}\n`;
// Uvicorn colours its level names; a terminal view shows them, and nothing else of the escape codes.
const info = '\u001b[32mINFO\u001b[0m    ';
const warning = '\u001b[33mWARNING\u001b[0m ';
let tick = 0;

function serveRequests() {
  tick++;
  const ms = (8 + Math.random() * 30).toFixed(1);
  const client = `10.244.0.${1 + (tick % 7)}:${40000 + ((tick * 37) % 20000)}`;
  const line = tick % 11 === 0 ? `${warning}Request body of ${(1 + Math.random() * 3).toFixed(1)} MB exceeds the 1 MB soft limit; processing anyway` : tick % 5 === 0 ? `${info}${client} - "GET /readyz HTTP/1.1" 200 OK` : `${info}${client} - "POST /predict HTTP/1.1" 200 OK (${ms} ms)`;
  appendFileSync(log, cri(line, line.startsWith(warning) ? 'stderr' : 'stdout'));
}

const BusyMs = 120_000;
const IdleMs = 180_000;
const started = Date.now();

/** Busy or idle by the clock; pods made by a scale-up get the busy usage at the next turn too. */
function driveAutoscaled() {
  const busy = (Date.now() - started) % (BusyMs + IdleMs) < BusyMs;
  const selector = 'serve-revisions.dev/service=iris,serve-revisions.dev/revision=4';
  spawnSync(kubectl, ['--kubeconfig', values.kubeconfig, '-n', values.namespace, 'annotate', 'pod', '-l', selector, busy ? 'kwok.x-k8s.io/usage-cpu=800m' : 'kwok.x-k8s.io/usage-cpu-', '--overwrite'], { stdio: 'ignore', timeout: 20_000 });
}

setInterval(serveRequests, 2000);
setInterval(driveAutoscaled, 10_000);
driveAutoscaled();
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(0));
