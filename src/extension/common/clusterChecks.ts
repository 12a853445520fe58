import { loadEngine } from '../../bundles/loadEngine';
import type { SpecFinding } from '../../core/spec/semanticChecks';
import type { ClusterSession } from './clusterSession';
import type { Logger } from './logger';
import { Settings } from './settings';

/** How long the checks wait for cluster lookups that are not cached yet. */
export const ClusterCheckWaitMs = 5_000;

/** The cluster's findings on a spec, or why there are none. */
export interface ClusterCheckResult {
  findings: SpecFinding[];
  /** Set when the cluster was not asked: the checks are turned off, or there is no usable kubeconfig. */
  unavailable?: string;
}

/**
 * The checks only the live cluster can make (a referenced Secret, ConfigMap, PVC or service
 * account missing, a GPU count no node can give, GPU autoscaling without a custom metrics API),
 * for every surface through one code path: the YAML editor's diagnostics, the form, Create and
 * launch (which asks before launching what cannot run) and the dry run. Lookups are cached by
 * the session's ClusterLookups, so asking often costs little.
 */
export class ClusterChecks {
  constructor(
    private readonly session: ClusterSession,
    private readonly logger: Logger,
  ) {}

  async check(spec: unknown, waitMs = ClusterCheckWaitMs): Promise<ClusterCheckResult> {
    if (!Settings.clusterChecks()) return { findings: [], unavailable: 'cluster checks are turned off (setting serveRevisions.yaml.clusterChecks)' };
    if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) return { findings: [] };
    const lookups = this.session.getLookups();
    if (!lookups) return { findings: [], unavailable: 'no cluster to check against (no usable kubeconfig)' };
    const value = spec as { namespace?: unknown; resources?: { gpu?: { count?: unknown } }; autoscaling?: { metric?: unknown } };
    try {
      const namespace = this.session.namespaceFor(value.namespace);
      const gpuCount = value.resources?.gpu?.count;
      const needs = { gpu: typeof gpuCount === 'number' && gpuCount > 0, customMetrics: value.autoscaling?.metric === 'gpu' };
      const facts = await lookups.facts(namespace, loadEngine().referencedNames(spec), needs, waitMs);
      const gpu = Settings.gpuResourceName();
      if (gpu) facts.defaultGpuResourceName = gpu;
      return { findings: loadEngine().clusterFindings(spec, facts) };
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.logger.debug(`Cluster checks skipped: ${why}`);
      return { findings: [], unavailable: `the cluster could not be checked: ${why}` };
    }
  }

  /** Just the findings (an empty list when the cluster could not be asked). */
  async findings(spec: unknown, waitMs = ClusterCheckWaitMs): Promise<SpecFinding[]> {
    return (await this.check(spec, waitMs)).findings;
  }
}
