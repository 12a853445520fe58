import type { RevisionModel, ServiceModel } from './revisionState';

/**
 * Whether a revision serves traffic now: the service's stable endpoint exists and selects it (it
 * selects the pods of every revision that runs) and it has a ready pod to answer. Stop asks first
 * when this holds. Pure, so the tree, the commands and the CLI agree.
 *
 * Until the traffic policy (issue 14) defines "serves" by the service's share, the stable
 * Service's selector is what decides; its predicate replaces this one.
 */
export function servesTraffic(revision: RevisionModel, service: Pick<ServiceModel, 'endpoint'> | undefined): boolean {
  if (!service?.endpoint) return false;
  const s = revision.state;
  return (s.kind === 'running' || s.kind === 'starting' || s.kind === 'failed') && s.ready > 0;
}
