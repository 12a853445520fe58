/**
 * What a launch led to, in the words a notification uses: a revision is only called "started"
 * with what its pods are doing, never when it is already failing. Pure, so the editor and the CLI
 * say the same.
 */
import type { RevisionState } from './revisionState';

/** Whether the first verdict is in: the pods run, or say why they will not. */
export function isVerdict(state: RevisionState): boolean {
  return state.kind === 'running' || state.kind === 'failed';
}

/** The first sentence of a scheduler or kubelet message: `0/3 nodes are available: 3 Insufficient nvidia.com/gpu.` */
function firstSentence(message: string): string {
  const match = /^.*?[.!?](?=\s|$)/.exec(message.trim());
  return (match?.[0] ?? message).trim();
}

export interface LaunchOutcome {
  /** `warning` when it runs no pod that answers and will not by itself. */
  severity: 'info' | 'warning';
  /** The end of "Created #5 of iris and …" / "Started #5 of iris: …": `started; 2/2 ready`. */
  text: string;
}

/**
 * `started; 1/1 ready`, `started; pods pending: 0/3 nodes are available: 3 Insufficient
 * nvidia.com/gpu.`, `started, but it is failing: ImagePullBackOff (…)`, `started; 0/2 ready so
 * far (ContainerCreating)` when the verdict was not in within the wait.
 */
export function launchOutcome(state: RevisionState | undefined): LaunchOutcome {
  if (!state) return { severity: 'info', text: 'started' };
  switch (state.kind) {
    case 'running':
      return { severity: 'info', text: `started; ${state.ready}/${state.desired} ready` };
    case 'starting':
      return { severity: 'info', text: `started; ${state.ready}/${state.desired} ready so far${state.reason ? ` (${state.reason})` : ''}` };
    case 'failed':
      if (state.reason === 'Unschedulable') return { severity: 'warning', text: `started, but its pods are pending: ${firstSentence(state.message)}` };
      return { severity: 'warning', text: `started, but it is failing: ${state.reason} (${firstSentence(state.message)})` };
    case 'stopped':
    case 'stopping':
      return { severity: 'warning', text: 'started, but it is not running any more' };
  }
}
