/**
 * The local control plane the integration tests run against (started by scripts/test.mjs with
 * cluster/start.sh; its env file is passed in the environment). Helpers only: no fakes.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { RevisionClient } from '../../src/kube/revisionClient';
import type { RevisionSpec } from '../../src/core/spec/revisionSpec';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the integration tests through "npm test -- integration", which starts the local control plane.`);
  return value;
}

export const adminKubeconfig = (): string => required('SERVE_REVISIONS_ADMIN_KUBECONFIG');
export const viewerKubeconfig = (): string => required('SERVE_REVISIONS_VIEWER_KUBECONFIG');

export function adminClient(namespace: string): RevisionClient {
  return RevisionClient.connect({ kubeconfig: adminKubeconfig(), namespace });
}

export function adminCore(): CoreV1Api {
  const kc = new KubeConfig();
  kc.loadFromFile(adminKubeconfig());
  return kc.makeApiClient(CoreV1Api);
}

let counter = 0;

/** A namespace of its own for each test, so tests never see each other's revisions. */
export async function freshNamespace(prefix = 'it'): Promise<string> {
  const name = `${prefix}-${process.pid}-${Date.now().toString(36)}-${counter++}`;
  await adminCore().createNamespace({ body: { metadata: { name } } });
  return name;
}

export async function deleteNamespace(name: string): Promise<void> {
  await adminCore().deleteNamespace({ name }).catch(() => undefined);
}

export async function waitFor<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 120_000, intervalMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Runs one of cluster/'s helper scripts against the running control plane. */
export function clusterScript(script: string, ...args: string[]): void {
  const result = spawnSync('bash', [`cluster/${script}`, ...args], { encoding: 'utf8', env: process.env });
  if (result.status !== 0) throw new Error(`cluster/${script} ${args.join(' ')} failed: ${result.stderr}`);
}

export function makeSpec(service: string, changes: Partial<RevisionSpec> = {}): RevisionSpec {
  return {
    apiVersion: 'serve-revisions/v1',
    kind: 'Revision',
    service,
    message: `${service} for a test`,
    image: 'ghcr.io/acme/iris-classifier:2.0.1',
    resources: { cpu: '100m', memory: '128Mi' },
    ports: [{ name: 'http', containerPort: 3000, protocol: 'http' }],
    replicas: 2,
    ...changes,
  };
}

/** The KEY=value lines of a cluster's env file (cluster/start.sh writes it). */
function readClusterEnv(dir: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of readFileSync(join(dir, 'env'), 'utf8').split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) env[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return env;
}

/**
 * Gives the enclosing describe block a control plane of its own, for tests that break the
 * cluster on purpose (stop the API server, freeze etcd). What such a fault leaves behind in the
 * controllers' watch caches (a Deployment whose status stopped updating was seen after an etcd
 * freeze) must not reach the tests that share the suite's cluster afterwards. The helpers above
 * read the cluster from the environment, so the block's tests use the new one unchanged.
 */
export function useOwnControlPlane(): void {
  let dir: string | undefined;
  const saved: Record<string, string | undefined> = {};
  before(function () {
    // Starting a cluster takes 20-40 s on a loaded 2-core machine; a hang guard, not a target.
    this.timeout(600_000);
    dir = mkdtempSync(join(tmpdir(), 'serve-revisions-own-cluster-'));
    const started = spawnSync('bash', ['cluster/start.sh'], { encoding: 'utf8', env: { ...process.env, SERVE_REVISIONS_CLUSTER_DIR: dir } });
    if (started.status !== 0) throw new Error(`cluster/start.sh for a control plane of its own failed (exit ${started.status}): ${started.stderr.slice(-2000)}`);
    for (const [key, value] of Object.entries(readClusterEnv(dir))) {
      saved[key] = process.env[key];
      process.env[key] = value;
    }
  });
  after(function () {
    this.timeout(120_000);
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    if (!dir) return;
    spawnSync('bash', ['cluster/stop.sh'], { encoding: 'utf8', env: { ...process.env, SERVE_REVISIONS_CLUSTER_DIR: dir } });
    rmSync(dir, { recursive: true, force: true });
  });
}

const scratchDirs: string[] = [];
/** A temporary folder for a test's files, removed when the test process ends (a failed test too). */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  if (scratchDirs.push(dir) === 1) {
    process.on('exit', () => {
      for (const d of scratchDirs) rmSync(d, { recursive: true, force: true });
    });
  }
  return dir;
}

/** The bundled CLI as a person or a CI script runs it (dist/kube.js loads on the first cluster command). */
export function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['dist/cli.js', ...args], { env: { ...process.env, KUBECONFIG: adminKubeconfig() } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
