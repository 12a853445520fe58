/**
 * Loads the Kubernetes bundle (dist/kube.js) on first use, so activation and the CLI's offline
 * commands never pay for @kubernetes/client-node. Bundles sit side by side in dist/, so the bundle
 * is found next to the caller's own file; SERVE_REVISIONS_KUBE_BUNDLE overrides that for tools.
 *
 * The layers above import the bundle's types from here, never from src/kube itself: a value
 * import would copy the whole client into their bundle.
 */
import { join } from 'node:path';
import { KubeActionError } from '../core/kube/kubeErrors';
import { meetsFloor, NodeFloor } from '../core/runtimeFloor';
import type * as KubeModule from '../kube/index';

export type Kube = typeof KubeModule;
export type { ClusterLookups, CreateResult, DryRunResult, FitVerdict, KubeconfigContexts, LocalForward, LogEvent, LogRequest, MetricsReading, NamespaceWatcher, ObservedRevision, ObserverStatus, RevisionClient, RevisionLogStream, RevisionObserver, RolloutDriver, DataPlaneReconciler, TrafficClient } from '../kube/index';

let loaded: Kube | undefined;

export function loadKube(): Kube {
  if (!loaded) {
    // On a Node below the floor the bundle throws while loading (undici): say so instead. (The CLI
    // checks before anything else in src/cli/main.ts; this is for an editor whose extension host is too old.)
    if (!meetsFloor(process.versions.node)) {
      throw new KubeActionError(
        `Could not load the Kubernetes client: it needs Node.js ${NodeFloor} or newer, and this runs on Node.js ${process.versions.node}. Update VS Code (its version decides the Node.js extensions run on), then reload the window.`,
        'unsupportedRuntime',
      );
    }
    const path = process.env['SERVE_REVISIONS_KUBE_BUNDLE'] ?? join(__dirname, 'kube.js');
    // A runtime require of a computed path: esbuild leaves it alone, so kube.js stays its own bundle.
    loaded = require(path) as Kube;
  }
  return loaded;
}

/** Whether dist/kube.js has been loaded in this process (the end-to-end tests check it is not at activation). */
export function kubeLoaded(): boolean {
  return loaded !== undefined;
}
