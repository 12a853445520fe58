/**
 * The first verdict on a revision just started: poll its Deployment and pods (two small reads, not
 * the namespace) until its pods run or say why they will not, for at most the time given.
 */
import { httpStatus } from '../core/kube/kubeErrors';
import { revisionObjectName, revisionSelector } from '../core/kube/labels';
import { isVerdict } from '../core/kube/launchOutcome';
import { deriveState, type RevisionState } from '../core/kube/revisionState';
import type { KubeApis } from './applyObject';

const PollMs = 400;

export async function readRevisionState(apis: KubeApis, ref: { service: string; revision: number; namespace: string }): Promise<RevisionState> {
  const name = revisionObjectName(ref.service, ref.revision);
  const deployment = await apis.apps.readNamespacedDeployment({ name, namespace: ref.namespace }).catch((error: unknown) => {
    if (httpStatus(error) === 404) return undefined;
    throw error;
  });
  const pods = deployment ? (await apis.core.listNamespacedPod({ namespace: ref.namespace, labelSelector: revisionSelector(ref.service, ref.revision) })).items : [];
  return deriveState(deployment, pods);
}

/** The state once it is a verdict, or the last state seen when `timeoutMs` runs out (undefined when it could not be read). */
export async function waitForVerdict(apis: KubeApis, ref: { service: string; revision: number; namespace: string }, timeoutMs: number): Promise<RevisionState | undefined> {
  const until = Date.now() + timeoutMs;
  let last: RevisionState | undefined;
  for (;;) {
    try {
      last = await readRevisionState(apis, ref);
      if (isVerdict(last)) return last;
    } catch {
      // A verdict is a courtesy: the revision was started; say so without one.
    }
    if (Date.now() + PollMs > until) return last;
    await new Promise((resolve) => setTimeout(resolve, PollMs));
  }
}
