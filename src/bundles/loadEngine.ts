/**
 * Loads the spec engine bundle (dist/engine.js: yaml, the compiled schema validator and the
 * language/form logic over them) on first use, like loadKube: bundles sit side by side in dist/,
 * so it is found next to the caller's own file.
 */
import { join } from 'node:path';
import type * as EngineModule from '../engine/index';

export type Engine = typeof EngineModule;

let loaded: Engine | undefined;

export function loadEngine(): Engine {
  // A runtime require of a computed path: esbuild leaves it alone, so engine.js stays its own bundle.
  loaded ??= require(join(__dirname, 'engine.js')) as Engine;
  return loaded;
}

/** Whether dist/engine.js has been loaded in this process (the end-to-end tests check it is not at activation). */
export function engineLoaded(): boolean {
  return loaded !== undefined;
}
