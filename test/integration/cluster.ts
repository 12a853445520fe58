/**
 * The local control plane the integration tests run against (started by scripts/test.mjs with
 * cluster/start.sh; its env file is passed in the environment). Helpers only: no fakes.
 */
import { spawnSync } from 'node:child_process';
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
