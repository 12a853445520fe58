#!/usr/bin/env node
// Seeds a namespace with demo services whose revisions are in different states, through the
// project's own CLI (dist/cli.js), so the tree has something real to show:
//   iris        #1 stopped, #2 running (2 replicas), #3 failed (image tag :fail-pull), #4 autoscaled 1–4
//   llama-chat  #1 running on the GPU node, #2 stopped: asks for 16 GPUs (Start warns it will not fit)
//   sentiment   #1 crash-looping (image tag :fail-crash: its previous container's log says why)
// and, with kubectl, what the shipped examples reference (examples/demo-cluster.yaml: a ConfigMap,
// a Secret, claims, a service account), so every example validates clean there and the ones that
// can launch on this cluster do.
// scripts/demo-activity.mjs (started by scripts/start.mjs) then keeps logs growing and iris #4 scaling.
//
//   node scripts/seed-demo.mjs --kubeconfig FILE [-n demo] [--kubectl PATH]
//
// Run under Node 24 (the Kubernetes client needs ≥ 22.19). Build first (`node esbuild.mjs`).
// Exits non-zero, naming the failed step, when a create fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: { kubeconfig: { type: 'string' }, namespace: { type: 'string', short: 'n', default: 'demo' }, kubectl: { type: 'string', default: process.env.SERVE_REVISIONS_KUBECTL ?? 'kubectl' } },
});

const base = (service, message, image, extra = '') =>
  [
    'apiVersion: serve-revisions/v1',
    'kind: Revision',
    `service: ${service}`,
    `message: ${JSON.stringify(message)}`,
    `image: ${image}`,
    'resources:',
    '  cpu: "500m"',
    '  memory: 1Gi',
    extra,
    'ports:',
    '  - name: http',
    '    containerPort: 3000',
    '    protocol: http',
    '',
  ]
    .filter((l) => l !== '')
    .join('\n') + '\n';

/** In creation order: the number each gets is its position per service. */
export const demoRevisions = [
  { spec: base('iris', 'First BentoML classifier', 'ghcr.io/example/iris-bentoml:1.0.0'), launch: false },
  { spec: base('iris', 'Retrained on the full dataset', 'ghcr.io/example/iris-bentoml:1.1.0'), launch: true, replicas: 2 },
  { spec: base('iris', 'Try the new base image', 'ghcr.io/example/iris-bentoml:fail-pull'), launch: true },
  { spec: `${base('iris', 'Autoscale on CPU', 'ghcr.io/example/iris-bentoml:1.1.0')}autoscaling:\n  minReplicas: 1\n  maxReplicas: 4\n  metric: cpu\n  target: 70\n`, launch: true },
  { spec: base('llama-chat', 'Llama chat on one A100', 'vllm/vllm-openai:v0.6.3', '  gpu:\n    count: 1'), launch: true },
  { spec: base('llama-chat', 'Try the 70B model on 16 GPUs', 'vllm/vllm-openai:v0.6.3', '  gpu:\n    count: 16'), launch: false },
  { spec: base('sentiment', 'Quantized model', 'ghcr.io/example/sentiment:fail-crash'), launch: true },
];

function cli(args) {
  const kube = values.kubeconfig ? ['--kubeconfig', values.kubeconfig] : [];
  const result = spawnSync(process.execPath, [join(root, 'dist/cli.js'), ...args, ...kube, '-n', values.namespace], { encoding: 'utf8' });
  if (result.status !== 0) {
    console.error(`seed-demo: \`serve-revisions ${args.join(' ')}\` failed (exit ${result.status}):\n${result.stderr || result.stdout}`);
    process.exit(1);
  }
  return result.stdout;
}

// Idempotent: what exists is left as it is.
const applied = spawnSync(values.kubectl, ['apply', '-n', values.namespace, '-f', join(root, 'examples/demo-cluster.yaml'), ...(values.kubeconfig ? ['--kubeconfig', values.kubeconfig] : [])], { encoding: 'utf8' });
if (applied.status !== 0) {
  console.error(`seed-demo: \`kubectl apply -f examples/demo-cluster.yaml\` failed (exit ${applied.status}):\n${applied.stderr || applied.stdout || applied.error?.message}`);
  process.exit(1);
}

const listed = JSON.parse(cli(['list', '-o', 'json']));
if (Array.isArray(listed) ? listed.length > 0 : (listed.services ?? []).length > 0) {
  console.log(`seed-demo: namespace "${values.namespace}" already has services; leaving it as it is.`);
  process.exit(0);
}
const dir = mkdtempSync(join(tmpdir(), 'serve-revisions-seed-'));
try {
  demoRevisions.forEach(({ spec, launch, replicas }, i) => {
    const file = join(dir, `seed-${i}.revision.yaml`);
    writeFileSync(file, spec);
    const out = cli(['create', file, ...(launch ? ['--launch'] : [])]);
    if (replicas) {
      const number = /revision (\d+)/.exec(out)?.[1];
      const service = /^service: (\S+)/m.exec(spec)?.[1];
      if (number && service) cli(['scale', service, number, '--replicas', String(replicas)]);
    }
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log(`seed-demo: namespace "${values.namespace}" seeded: iris #1 stopped, #2 running ×2, #3 failing (:fail-pull), #4 autoscaled; llama-chat #1 on a GPU, #2 too big to fit (stopped); sentiment #1 crash-looping; what the examples reference (examples/demo-cluster.yaml).`);
