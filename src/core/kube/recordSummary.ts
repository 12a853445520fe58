/**
 * What the tree keeps of a revision record: the few fields its labels and annotations carry. The
 * tree lists and watches records as metadata (PartialObjectMetadata) and keeps only this summary
 * of each, so 100,000 records cost little memory; the spec itself is fetched when it is needed.
 */
import type { V1ObjectMeta } from '@kubernetes/client-node';
import { Annotations, labelledRevision } from './labels';

export interface RecordSummary {
  /** The record's object name, `<service>-r<revision>`. */
  name: string;
  uid: string;
  resourceVersion: string;
  service: string;
  revision: number;
  message: string;
  image: string;
  /** ISO 8601, as the API server wrote it. */
  createdAt?: string;
  createdBy?: string;
  reproducedFrom?: number;
}

/** The summary of a record's metadata; undefined when its labels name no service and revision. */
export function summarizeRecord(metadata: V1ObjectMeta | undefined): RecordSummary | undefined {
  const id = labelledRevision(metadata?.labels);
  if (!metadata?.name || !id) return undefined;
  const annotations = metadata.annotations ?? {};
  const summary: RecordSummary = {
    name: metadata.name,
    uid: metadata.uid ?? '',
    resourceVersion: metadata.resourceVersion ?? '',
    service: id.service,
    revision: id.revision,
    message: annotations[Annotations.message] ?? '',
    image: annotations[Annotations.image] ?? '',
  };
  // Plain JSON carries a string; client-node's typed models a Date.
  const created = metadata.creationTimestamp as Date | string | undefined;
  if (created) summary.createdAt = new Date(created).toISOString();
  const createdBy = annotations[Annotations.createdBy];
  if (createdBy) summary.createdBy = createdBy;
  const origin = Number(annotations[Annotations.reproducedFrom]);
  if (Number.isInteger(origin) && origin > 0) summary.reproducedFrom = origin;
  return summary;
}
