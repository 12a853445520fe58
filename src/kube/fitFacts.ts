/**
 * The facts a fit check needs, read from the cluster: its nodes, every pod that holds resources on
 * them, the namespace's ResourceQuotas and the revision's own pods. What cannot be read (a user
 * without cluster-wide rights) becomes a note naming the permission, never a failure: the check
 * then says what it could not check.
 */
import type { V1Node, V1Pod, V1ResourceQuota } from '@kubernetes/client-node';
import { describeKubeError } from '../core/kube/kubeErrors';
import { revisionSelector } from '../core/kube/labels';
import { renderRevision } from '../core/kube/renderObjects';
import { checkFit, type FitFacts, type FitVerdict, type PodPlan } from '../core/observe/fitCheck';
import type { RevisionSpec } from '../core/spec/revisionSpec';
import type { KubeApis } from './applyObject';
import type { ClusterConnection } from './clusterConnection';

function why(connection: ClusterConnection, namespace: string, what: string, error: unknown): string {
  return describeKubeError(error, { action: `read ${what}`, namespace, context: connection.contextName }).message.replace(/^Could not [^:]*: /, '');
}

export async function gatherFitFacts(connection: ClusterConnection, apis: KubeApis, namespace: string, own?: { service: string; revision: number }): Promise<FitFacts> {
  const facts: FitFacts = { namespace };
  const [nodes, pods, quotas, ownPods] = await Promise.allSettled([
    apis.core.listNode(),
    // Only pods bound to a node and not finished hold resources there.
    apis.core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed' }),
    apis.core.listNamespacedResourceQuota({ namespace }),
    own ? apis.core.listNamespacedPod({ namespace, labelSelector: revisionSelector(own.service, own.revision) }) : Promise.resolve({ items: [] as V1Pod[] }),
  ]);
  if (nodes.status === 'rejected') facts.nodesProblem = why(connection, namespace, 'the nodes', nodes.reason);
  else if (pods.status === 'rejected') facts.nodesProblem = why(connection, namespace, 'the pods of every namespace', pods.reason);
  else {
    facts.nodes = nodes.value.items as V1Node[];
    facts.pods = pods.value.items;
  }
  if (quotas.status === 'rejected') facts.quotaProblem = why(connection, namespace, 'the resource quotas', quotas.reason);
  else facts.quotas = quotas.value.items as V1ResourceQuota[];
  if (ownPods.status === 'fulfilled') facts.ownPods = ownPods.value.items;
  return facts;
}

/** The pods a spec runs as once started: the rendered Deployment's template × its replicas. */
export function podPlan(spec: RevisionSpec, namespace: string, revision: number, defaultGpuResourceName?: string): PodPlan {
  const deployment = renderRevision(spec, { namespace, revision, ...(defaultGpuResourceName ? { defaultGpuResourceName } : {}) }).deployment;
  return { replicas: deployment.spec?.replicas ?? 1, spec: deployment.spec?.template.spec ?? { containers: [] } };
}

/** Whether the spec's pods fit now; `revision` names a stored revision whose own pods are not counted as taken. */
export async function checkSpecFit(connection: ClusterConnection, apis: KubeApis, spec: RevisionSpec, namespace: string, options: { revision?: number; defaultGpuResourceName?: string } = {}): Promise<FitVerdict> {
  const facts = await gatherFitFacts(connection, apis, namespace, options.revision !== undefined ? { service: spec.service, revision: options.revision } : undefined);
  return checkFit(podPlan(spec, namespace, options.revision ?? 1, options.defaultGpuResourceName), facts);
}
