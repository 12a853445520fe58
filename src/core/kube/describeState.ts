import type { RevisionState } from './revisionState';

// A module of its own, apart from revisionState (which loads yaml), so the tree can word states at activation.

/** A revision's state in words: `running 2/2`, `starting 0/1 (Pending)`, `failed: ImagePullBackOff`. */
export function describeState(state: RevisionState): string {
  switch (state.kind) {
    case 'stopped':
      return 'stopped';
    case 'stopping':
      return 'stopping';
    case 'running':
      return `running ${state.ready}/${state.desired}`;
    case 'starting':
      return `starting ${state.ready}/${state.desired}${state.reason ? ` (${state.reason})` : ''}`;
    case 'failed':
      return `failed: ${state.reason}`;
  }
}
