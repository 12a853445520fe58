/**
 * A revision's live metrics: CPU and memory per pod and in total against what its pods request
 * and are limited to (from metrics.k8s.io), and its replicas over time. Pure: the kube layer reads
 * the metrics API (src/kube/revisionMetrics.ts), the details view charts what this keeps.
 */
import type { V1Pod } from '@kubernetes/client-node';
import type { MetricsSample, MetricsView, PodUsageView } from '../../shared/detailsProtocol';
import { escapeControl } from '../escapeText';
import { amountOf, podAmounts } from './resourceAmounts';

/** One pod's reading from metrics.k8s.io/v1beta1 (PodMetrics). */
export interface PodMetricsItem {
  metadata: { name: string };
  timestamp?: string;
  containers: Array<{ name: string; usage: Record<string, string> }>;
}

/** Why there are no metrics, as the kube layer found out. */
export type MetricsAbsence = 'missing' | 'unavailable' | 'forbidden' | 'unreachable';

/** What to tell a person instead of an empty chart. */
export function metricsAbsenceText(absence: MetricsAbsence, detail?: string): string {
  switch (absence) {
    case 'missing':
      return 'This cluster serves no metrics API (metrics.k8s.io), so CPU and memory cannot be shown. Install metrics-server (kubernetes-sigs/metrics-server; most managed clusters have it as an add-on), then reopen this view.';
    case 'unavailable':
      return `The metrics API (metrics.k8s.io) is registered but not answering${detail ? ` (${escapeControl(detail)})` : ''}: metrics-server is down or starting. Check its pod in kube-system; the charts resume once it answers.`;
    case 'forbidden':
      return `Metrics are not shown: ${detail ? escapeControl(detail) : 'forbidden (needs list on pods.metrics.k8s.io)'}.`;
    case 'unreachable':
      return `Metrics are not shown: ${detail ? escapeControl(detail) : 'the API server cannot be reached'}. Retrying.`;
  }
}

/** Per pod: usage from the metrics and requests and limits from the pod's spec (CPU in cores, memory in bytes). */
export function podUsage(items: readonly PodMetricsItem[], pods: readonly V1Pod[]): PodUsageView[] {
  const specs = new Map(pods.map((p) => [p.metadata?.name ?? '', p.spec]));
  return items
    .map((item): PodUsageView => {
      const spec = specs.get(item.metadata.name);
      const requests = podAmounts(spec, 'requests');
      const limits = podAmounts(spec, 'limits');
      const cpu = item.containers.reduce((sum, c) => sum + amountOf('cpu', c.usage['cpu']), 0) / 1000;
      const memory = item.containers.reduce((sum, c) => sum + amountOf('memory', c.usage['memory']), 0);
      return {
        name: escapeControl(item.metadata.name),
        cpu,
        memory,
        ...(requests['cpu'] ? { cpuRequest: requests['cpu'] / 1000 } : {}),
        ...(limits['cpu'] ? { cpuLimit: limits['cpu'] / 1000 } : {}),
        ...(requests['memory'] ? { memoryRequest: requests['memory'] } : {}),
        ...(limits['memory'] ? { memoryLimit: limits['memory'] } : {}),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function usageTotals(pods: readonly PodUsageView[]): NonNullable<MetricsView['totals']> {
  const sum = (pick: (p: PodUsageView) => number | undefined): number => pods.reduce((total, p) => total + (pick(p) ?? 0), 0);
  return {
    cpu: sum((p) => p.cpu),
    memory: sum((p) => p.memory),
    cpuRequest: sum((p) => p.cpuRequest),
    cpuLimit: sum((p) => p.cpuLimit),
    memoryRequest: sum((p) => p.memoryRequest),
    memoryLimit: sum((p) => p.memoryLimit),
  };
}

/** How many samples a history keeps: 30 minutes at one reading every 10 s. */
export const MaxSamples = 180;

/** A revision's samples over time, oldest first, bounded. */
export class MetricsHistory {
  private readonly kept: MetricsSample[] = [];

  constructor(private readonly limit = MaxSamples) {}

  /** Adds a sample; one taken within the same second replaces the last. */
  record(sample: MetricsSample): void {
    const last = this.kept.at(-1);
    if (last && Math.floor(last.t) === Math.floor(sample.t)) {
      const { between: _between, ...merged } = { ...last, ...sample, cpu: sample.cpu ?? last.cpu, memory: sample.memory ?? last.memory };
      // Still "between readings" only when neither sample was a reading.
      this.kept[this.kept.length - 1] = last.between && sample.between ? { ...merged, between: true } : merged;
    } else this.kept.push(sample);
    if (this.kept.length > this.limit) this.kept.splice(0, this.kept.length - this.limit);
  }

  get samples(): readonly MetricsSample[] {
    return this.kept;
  }
}

/** What the view shows: the history, and the last reading per pod or why there is none. */
export function metricsView(history: MetricsHistory, reading: { pods: PodUsageView[] } | { absence: MetricsAbsence; detail?: string }): MetricsView {
  if ('absence' in reading) return { available: false, reason: metricsAbsenceText(reading.absence, reading.detail), samples: [...history.samples], pods: [] };
  return { available: true, samples: [...history.samples], pods: reading.pods, totals: usageTotals(reading.pods) };
}
