/**
 * A server-side dry run of a spec: every object `create` and `start` would write, sent to the
 * API server with `dryRun=All`, so admission, validation, quotas and RBAC answer as for real
 * while nothing is stored. Failures are described with the same messages as real actions.
 */
import { describeKubeError } from '../core/kube/kubeErrors';
import { renderRevision, revisionObjectList } from '../core/kube/renderObjects';
import { resolveNamespace } from '../core/kube/resolveNamespace';
import { authoredSpec } from '../core/kube/revisionRecord';
import type { RevisionSpec } from '../core/spec/revisionSpec';
import { applyObject, type KubeApis } from './applyObject';
import type { RevisionStore } from './revisionStore';

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
  /** Overrides the spec's namespace (resolveNamespace's flag). */
  namespace?: string;
  defaultGpuResourceName?: string;
}

/** What a dry run needs of a RevisionClient. */
export interface DryRunTarget {
  contextName: string;
  /** The connection's namespace. */
  namespace: string;
  apis: KubeApis;
  store: RevisionStore;
  servesCustomMetrics(): Promise<boolean>;
}

export async function dryRunRevision(target: DryRunTarget, input: RevisionSpec, options: DryRunOptions = {}): Promise<DryRunResult> {
  const spec = authoredSpec(input);
  const namespace = resolveNamespace({ flag: options.namespace, spec: spec.namespace, chosen: target.namespace });
  const context = target.contextName;
  const apis = target.apis;
  let revision = 1;
  try {
    revision = await target.store.nextNumber(spec.service, namespace);
  } catch {
    // A user without list rights still learns what the API server says about each object.
  }
  const objects = revisionObjectList(renderRevision(spec, { namespace, revision, createdAt: new Date().toISOString(), ...(options.defaultGpuResourceName ? { defaultGpuResourceName: options.defaultGpuResourceName } : {}) }));
  const results: DryRunObjectResult[] = [];
  for (const object of objects) {
    const kind = object.kind ?? 'object';
    const name = object.metadata?.name ?? '';
    try {
      await applyObject(apis, object, { dryRun: true, namespace });
      results.push({ kind, name, ok: true });
    } catch (error) {
      const described = describeKubeError(error, { action: `dry-run ${kind} "${name}" of revision ${revision} of "${spec.service}"`, namespace, context });
      results.push({ kind, name, ok: false, message: described.message });
    }
  }
  const warnings: string[] = [];
  if (spec.autoscaling?.metric === 'gpu') {
    try {
      if (!(await target.servesCustomMetrics())) warnings.push('The cluster serves no custom metrics API (custom.metrics.k8s.io): starting a revision that autoscales on GPU utilisation is refused.');
    } catch {
      // Unknown: the dry runs above already say whether the cluster answers.
    }
  }
  return { namespace, context, revision, objects: results, warnings, ok: results.every((r) => r.ok) };
}
