/**
 * A revision's CPU and memory from metrics.k8s.io, read with a plain request so the real status
 * shows: 404 (the cluster serves no metrics API), 503 (metrics-server down), 403 (not allowed).
 * The metrics API cannot be watched; the details view reads it at metrics-server's own pace.
 */
import { describeKubeError, httpStatus, missingPermission } from '../core/kube/kubeErrors';
import { revisionSelector } from '../core/kube/labels';
import type { MetricsAbsence, PodMetricsItem } from '../core/observe/metricsHistory';
import type { ClusterConnection } from './clusterConnection';
import { getJson } from './kubeRequest';
import type { RevisionRef } from './revisionStore';

export type MetricsReading = { ok: true; items: PodMetricsItem[] } | { ok: false; absence: MetricsAbsence; detail?: string };

/** metrics-server scrapes every 10-15 s by default: reading more often shows nothing new. */
export const MetricsIntervalMs = 10_000;

function bodyMessage(error: unknown): string | undefined {
  const body = (error as { body?: unknown }).body;
  if (typeof body !== 'string') return undefined;
  try {
    return (JSON.parse(body) as { message?: string }).message;
  } catch {
    return body.trim().slice(0, 200) || undefined;
  }
}

export async function readRevisionMetrics(connection: ClusterConnection, ref: RevisionRef & { namespace: string }): Promise<MetricsReading> {
  try {
    const list = await getJson<{ items?: PodMetricsItem[] }>(connection.kubeConfig, `/apis/metrics.k8s.io/v1beta1/namespaces/${ref.namespace}/pods`, { labelSelector: revisionSelector(ref.service, ref.revision) });
    return { ok: true, items: list.items ?? [] };
  } catch (error) {
    const status = httpStatus(error);
    if (status === 404) return { ok: false, absence: 'missing' };
    if (status === 503) return { ok: false, absence: 'unavailable', detail: `503 ${bodyMessage(error) ?? 'Service Unavailable'}` };
    if (status === 403) {
      const needed = missingPermission(bodyMessage(error));
      return { ok: false, absence: 'forbidden', detail: `forbidden${needed ? ` (needs ${needed})` : ''}` };
    }
    const described = describeKubeError(error, { action: `read the metrics of revision ${ref.revision} of "${ref.service}"`, namespace: ref.namespace, context: connection.contextName });
    return { ok: false, absence: status === undefined ? 'unreachable' : 'unavailable', detail: described.message.replace(/^Could not [^:]*: /, '') };
  }
}
