// Shared by tree.test.ts and commands.test.ts: a fresh namespace seeded through the admin
// kubeconfig with the real RevisionClient (the extension's own dist/kube.js), and readers of
// what the Revisions view shows, taken from the same provider the view draws from.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { Kube, RevisionClient } from '../../../src/bundles/loadKube';
import type { RevisionSpec } from '../../../src/core/spec/revisionSpec';
import type { ExtensionTestApi } from '../../../src/extension/extension';
import type { RevisionModel, ServiceModel } from '../../../src/core/kube/revisionState';
import type { TreeNode } from '../../../src/extension/tree/treeNodes';
import { Deadline, waitFor } from './driver';

export const extensionId = 'serve-revisions.serve-revisions';

const scratchDirs: string[] = [];
/** A temporary folder for a test's files; removeScratchDirs() in the suite's after hook removes it. */
export function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
}

export function removeScratchDirs(): void {
  for (const dir of scratchDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export async function extensionApi(): Promise<ExtensionTestApi> {
  const ext = vscode.extensions.getExtension<ExtensionTestApi>(extensionId);
  if (!ext) throw new Error(`${extensionId} is not loaded`);
  return ext.activate();
}

/** The admin client of the local control plane, from the extension's own Kubernetes bundle. */
export function adminClient(namespace: string): RevisionClient {
  const ext = vscode.extensions.getExtension(extensionId);
  const kubeconfig = process.env.SERVE_REVISIONS_ADMIN_KUBECONFIG ?? process.env.KUBECONFIG;
  if (!ext || !kubeconfig) throw new Error('SERVE_REVISIONS_ADMIN_KUBECONFIG is not set: run the suite through `npm test -- e2e`');
  const kube = require(`${ext.extensionPath}/dist/kube.js`) as Kube;
  return kube.RevisionClient.connect({ kubeconfig, namespace });
}

export function spec(service: string, message: string, image: string, extra: Partial<RevisionSpec> = {}): RevisionSpec {
  return {
    apiVersion: 'serve-revisions/v1',
    kind: 'Revision',
    service,
    message,
    image,
    resources: { cpu: '100m', memory: '128Mi' },
    ports: [{ name: 'http', containerPort: 3000, protocol: 'http' }],
    ...extra,
  } as RevisionSpec;
}

/**
 * Removes a service's revisions as a person must: a revision that serves traffic cannot be
 * deleted, and only the last one serving may stop with its share. So those without a share stop
 * first, the one serving last, then every record goes.
 */
export async function removeService(client: RevisionClient, service: string, namespace: string): Promise<void> {
  const revisions = (await client.listServices(namespace)).find((s) => s.name === service)?.revisions ?? [];
  const byShare = [...revisions].sort((a, b) => (a.traffic?.percent ?? 0) - (b.traffic?.percent ?? 0));
  for (const r of byShare) if (r.state.kind !== 'stopped') await client.stop({ service, revision: r.revision, namespace });
  for (const r of revisions) await client.delete({ service, revision: r.revision, namespace });
}

/** A new namespace named after the test file, so suites never see each other's revisions. */
export async function freshNamespace(client: RevisionClient, prefix: string): Promise<string> {
  const name = `${prefix}-${Date.now().toString(36)}`;
  await client.core.createNamespace({ body: { metadata: { name } } });
  return name;
}

export interface ShownRevision {
  /** `#2 running 2/2`: the number and the state. */
  label: string;
  /** `Retrained · iris:1.1.0 · 5m`: message, short image, age. */
  description: string;
  contextValue: string;
  /** The row as read after its number: `running 2/2 · Retrained · iris:1.1.0 · 5m`. */
  text: string;
}

/** What the view shows for a service: undefined until the service is there. */
/** The tree node of revision `n` of `service`, as the view has it (to pass to commands like a context menu does). */
export async function revisionNode(api: ExtensionTestApi, service: string, n: number): Promise<TreeNode> {
  const roots: TreeNode[] = await api.revisionsTree.getChildren();
  const node = roots.find((r) => (r as { model?: ServiceModel }).model?.name === service);
  if (!node) throw new Error(`service "${service}" is not in the tree`);
  const found = (await api.revisionsTree.getChildren(node)).find((c) => (c as { model?: RevisionModel }).model?.revision === n);
  if (!found) throw new Error(`revision ${n} of "${service}" is not in the tree`);
  return found;
}

export async function shownRevisions(api: ExtensionTestApi, service: string): Promise<Map<number, ShownRevision> | undefined> {
  const roots: TreeNode[] = await api.revisionsTree.getChildren();
  // Duck-typed: this bundle has its own copies of the node classes, so instanceof cannot work.
  const node = roots.find((n) => (n as { model?: ServiceModel }).model?.revisions !== undefined && (n as unknown as { model: ServiceModel }).model.name === service);
  if (!node) return undefined;
  const shown = new Map<number, ShownRevision>();
  for (const child of await api.revisionsTree.getChildren(node)) {
    const model = (child as { model?: RevisionModel }).model;
    if (typeof model?.revision !== 'number') continue;
    const item = api.revisionsTree.getTreeItem(child);
    const label = String(item.label);
    shown.set(model.revision, { label, description: String(item.description), contextValue: item.contextValue ?? '', text: `${label.replace(/^#\d+ /, '')} · ${String(item.description)}` });
  }
  return shown;
}

/** Waits until revision `n` of `service` is shown with a row (state · message · image · age) matching `pattern` (often: until its pods run). */
export function waitForShown(api: ExtensionTestApi, service: string, n: number, pattern: RegExp, timeoutMs: number = Deadline.cluster): Promise<ShownRevision> {
  return waitFor(
    async () => {
      const r = (await shownRevisions(api, service))?.get(n);
      return r && pattern.test(r.text) ? r : undefined;
    },
    { timeoutMs, message: `revision ${n} of "${service}" shown as ${pattern}` },
  );
}
