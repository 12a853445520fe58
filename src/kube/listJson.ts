/**
 * A whole label-selected LIST (unpaged, objects whole, managedFields dropped) in the shape
 * client-node's ListWatch asks its list function for: what the details view and the logs list
 * through (a revision's few objects). The request itself is collectionRequests' LIST, so every LIST
 * the extension makes authenticates, times out and fails the same way; the tree's large
 * collections page and read records as metadata there instead (collectionReflector).
 */
import type { KubeConfig, KubernetesListObject, KubernetesObject } from '@kubernetes/client-node';
import { listPage } from './collectionRequests';

export async function listJson<T extends KubernetesObject>(kubeConfig: KubeConfig, path: string, labelSelector: string): Promise<KubernetesListObject<T>> {
  const page = await listPage(kubeConfig, path, { labelSelector, metadataOnly: false });
  return { metadata: { resourceVersion: page.resourceVersion }, items: page.items as unknown as T[] };
}
