import { kubeErrorOf } from '../../core/kube/kubeErrors';
import type { RevisionModel } from '../../core/kube/revisionState';
import type { StoredSpec } from '../../core/kube/storedSpec';
import type { ClusterSession } from '../common/clusterSession';

/** Revisions whose stored spec is kept: about what a person expands or hovers in a session. */
const MaxKept = 500;

/**
 * The stored specs of the revisions a person expands or hovers in the tree, fetched on first need
 * through the one way to a spec (RevisionClient.readRecord: the tree's model holds none) and kept
 * by record uid, as a record never changes; a failure to fetch is not kept, so the next look tries again.
 */
export class StoredSpecs {
  private readonly kept = new Map<string, Promise<StoredSpec>>();

  constructor(private readonly session: ClusterSession) {}

  get(revision: RevisionModel): Promise<StoredSpec> {
    const key = revision.recordUid || `${revision.namespace}/${revision.service}/${revision.revision}`;
    const hit = this.kept.get(key);
    if (hit) return hit;
    const fetched = this.fetch(revision, key);
    this.kept.set(key, fetched);
    if (this.kept.size > MaxKept) this.kept.delete(this.kept.keys().next().value as string);
    return fetched;
  }

  private async fetch(revision: RevisionModel, key: string): Promise<StoredSpec> {
    try {
      const { spec } = await this.session.getClient().readRecord({ service: revision.service, revision: revision.revision, namespace: revision.namespace });
      return { spec };
    } catch (error) {
      const failure = kubeErrorOf(error);
      // An unreadable spec stays unreadable (the record is immutable); anything else may pass.
      if (failure?.code !== 'unreadableSpec') this.kept.delete(key);
      return { error: failure?.message ?? (error instanceof Error ? error.message : String(error)) };
    }
  }
}
