/**
 * A server-side dry run of a spec: every object `create` and `start` would write, sent to the
 * API server with `dryRun=All`, so admission, validation, quotas and RBAC answer as for real
 * while nothing is stored. Failures are described with the same messages as real actions.
 */
import { PatchStrategy, setHeaderOptions, type KubernetesObject } from '@kubernetes/client-node';
import { componentSelector, Labels } from '../core/kube/labels';
import { describeKubeError } from '../core/kube/kubeErrors';
import { renderRevision, revisionObjectList } from '../core/kube/renderObjects';
import type { RevisionSpec } from '../core/spec/revisionSpec';
import { FieldManager, authoredSpec, type RevisionClient } from './revisionClient';

export interface DryRunObjectResult {
  kind: string;
  name: string;
  ok: boolean;
  /** Why the API server would reject it (with the next step), when it would. */
  message?: string;
}

export interface DryRunResult {
  namespace: string;
  context: string;
  revision: number;
  objects: DryRunObjectResult[];
  /** Said before launch: a GPU autoscaler without a custom metrics API could never act. */
  warnings: string[];
  ok: boolean;
}

export interface DryRunOptions {
  namespace?: string;
  defaultGpuResourceName?: string;
}

const applyOptions = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);

export async function dryRunRevision(client: RevisionClient, input: RevisionSpec, options: DryRunOptions = {}): Promise<DryRunResult> {
  const spec = authoredSpec(input);
  const namespace = options.namespace ?? spec.namespace ?? client.namespace;
  const context = client.contextName;
  let revision = 1;
  try {
    const existing = await client.core.listNamespacedConfigMap({ namespace, labelSelector: `${componentSelector('record')},${Labels.service}=${spec.service}` });
    revision = Math.max(0, ...existing.items.map((r) => Number(r.metadata?.labels?.[Labels.revision]) || 0)) + 1;
  } catch (error) {
    // A user without list rights still learns what the API server says about each object.
    void error;
  }
  const objects = revisionObjectList(renderRevision(spec, { namespace, revision, createdAt: new Date().toISOString(), ...(options.defaultGpuResourceName ? { defaultGpuResourceName: options.defaultGpuResourceName } : {}) }));
  const results: DryRunObjectResult[] = [];
  for (const object of objects) {
    const kind = object.kind ?? 'object';
    const name = object.metadata?.name ?? '';
    try {
      await sendDryRun(client, object, namespace);
      results.push({ kind, name, ok: true });
    } catch (error) {
      const described = describeKubeError(error, { action: `dry-run ${kind} "${name}" of revision ${revision} of "${spec.service}"`, namespace, context });
      results.push({ kind, name, ok: false, message: described.message });
    }
  }
  const warnings: string[] = [];
  if (spec.autoscaling?.metric === 'gpu') {
    try {
      if (!(await client.servesCustomMetrics())) warnings.push('The cluster serves no custom metrics API (custom.metrics.k8s.io): starting a revision that autoscales on GPU utilisation is refused.');
    } catch {
      // Unknown: the dry runs above already say whether the cluster answers.
    }
  }
  return { namespace, context, revision, objects: results, warnings, ok: results.every((r) => r.ok) };
}

async function sendDryRun(client: RevisionClient, object: KubernetesObject, namespace: string): Promise<void> {
  const name = object.metadata?.name ?? '';
  switch (object.kind) {
    case 'ConfigMap':
      // The record is created, never applied: a taken number must be refused like a real create.
      await client.core.createNamespacedConfigMap({ namespace, body: object, fieldManager: FieldManager, dryRun: 'All' });
      return;
    case 'Deployment':
      await client.apps.patchNamespacedDeployment({ name, namespace, body: object, fieldManager: FieldManager, force: true, dryRun: 'All' }, applyOptions);
      return;
    case 'Service':
      await client.core.patchNamespacedService({ name, namespace, body: object, fieldManager: FieldManager, force: true, dryRun: 'All' }, applyOptions);
      return;
    case 'HorizontalPodAutoscaler':
      await client.autoscaling.patchNamespacedHorizontalPodAutoscaler({ name, namespace, body: object, fieldManager: FieldManager, force: true, dryRun: 'All' }, applyOptions);
      return;
    default:
      throw new Error(`cannot dry-run a ${object.kind}`);
  }
}
