/**
 * A service's traffic as every surface shows it: the stored policy (or, for a service made before
 * service objects existed, what the cluster serves today), each revision's desired and effective
 * share and tags, and the rollout. Built from the watch caches or one listing, with no I/O.
 */
import type { V1ConfigMap, V1EndpointSlice } from '@kubernetes/client-node';
import { effectiveShares } from './dataPlane';
import { migratedServiceRecord, readServiceRecord, type LegacyRevision } from './serviceRecord';
import { dataPlaneOf, shareOf, type DataPlane, type GatewayParent, type ServiceRecord } from './trafficModel';

/** One revision's traffic: desired (the policy), effective (what the data plane gives it) and tags. */
export interface RevisionTraffic {
  percent: number;
  /** Plain: its share of the stable Service's ready endpoints; Gateway API: the route's weight. */
  effectivePercent: number;
  tags: string[];
}

export interface ServiceTraffic {
  dataPlane: DataPlane;
  gateway?: GatewayParent;
  /** False while the service has no service object yet: the policy shown is what the cluster serves today. */
  stored: boolean;
  /** The record (stored, or what its first write would store). */
  record: ServiceRecord;
  /** The service object's data could not be read (shown, not hidden). */
  error?: string;
  /** Whether the stable Service has EndpointSlices to read effective shares from. */
  hasEndpointSlices: boolean;
}

/**
 * The traffic of one service. `legacy` gives the revisions for a service without a service
 * object; `revisionOfPod` maps a pod name to its revision, for the effective shares.
 */
export function serviceTraffic(service: string, object: V1ConfigMap | undefined, slices: readonly V1EndpointSlice[], legacy: readonly LegacyRevision[], revisionOfPod: (pod: string) => number | undefined): { traffic: ServiceTraffic; effective: Map<number, number> } {
  const read = object ? readServiceRecord(object) : undefined;
  const record = read && 'record' in read ? read.record : migratedServiceRecord(service, legacy);
  const dataPlane = dataPlaneOf(record.settings);
  const traffic: ServiceTraffic = { dataPlane, stored: read !== undefined && 'record' in read, record, hasEndpointSlices: slices.length > 0 };
  if (record.settings.gateway) traffic.gateway = record.settings.gateway;
  if (read && 'error' in read) traffic.error = read.error;
  const effective = dataPlane === 'gateway' ? new Map(record.traffic.filter((t) => t.percent > 0).map((t) => [t.revision, t.percent])) : effectiveShares(slices, revisionOfPod);
  return { traffic, effective };
}

/** One revision's part of a service's traffic. */
export function revisionTraffic(traffic: ServiceTraffic, effective: Map<number, number>, revision: number): RevisionTraffic {
  return {
    percent: shareOf(traffic.record.traffic, revision),
    effectivePercent: effective.get(revision) ?? 0,
    tags: traffic.record.traffic.find((t) => t.revision === revision)?.tags ?? [],
  };
}
