/**
 * Loads the Kubernetes bundle on first use. Bundles sit side by side in dist/, so the bundle is
 * found next to the caller's own file; SERVE_REVISIONS_KUBE_BUNDLE overrides that for tools.
 */
import { join } from 'node:path';
import type * as KubeModule from '../../kube/index';

export type Kube = typeof KubeModule;

let loaded: Kube | undefined;

export function loadKube(): Kube {
  if (!loaded) {
    const path = process.env['SERVE_REVISIONS_KUBE_BUNDLE'] ?? join(__dirname, 'kube.js');
    // A runtime require of a computed path: esbuild leaves it alone, so kube.js stays its own bundle.
    loaded = require(path) as Kube;
  }
  return loaded;
}
