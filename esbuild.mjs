// Builds every bundle. Type-checking is its own step (`npm run typecheck`): esbuild only strips types.
//   node esbuild.mjs            production bundles in dist/ and test bundles in out/
//   node esbuild.mjs --watch    rebuild on change
import * as esbuild from 'esbuild';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileSchema } from './scripts/compile-schema.mjs';
import { nodeFloor } from './scripts/toolchain.mjs';

const watch = process.argv.includes('--watch');
const production = !watch;

/** Every `*.test.ts` below a folder, plus extra entries, so a new test file needs no build change. */
function testEntries(dir) {
  const found = [];
  if (!existsSync(dir)) return found;
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.test.ts')) found.push(p);
    }
  };
  walk(dir);
  return found;
}

/**
 * yaml's browser build: the same code as its Node build without a `process.env.LOG_TOKENS` read
 * per token (a call into the environment, about a fifth of its parse time; measured with
 * scripts/bench-yaml.mjs, which bundles the same way).
 */
const yamlAlias = { yaml: fileURLToPath(new URL('./node_modules/yaml/browser/index.js', import.meta.url)) };

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // The floor is package.json's engines.node; src/core/runtimeFloor.ts reads it from here.
  target: `node${nodeFloor}`,
  define: { SERVE_REVISIONS_NODE_FLOOR: JSON.stringify(nodeFloor) },
  alias: yamlAlias,
  sourcemap: true,
  logLevel: 'warning',
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...node,
    // The extension host entry. `vscode` is provided by the host; the Kubernetes client is a
    // separate bundle (dist/kube.js) required on first use so activation never pays for it.
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    external: ['vscode'],
    minify: production,
  },
  {
    ...node,
    // yaml, the schema validator and the language/form logic; loaded on first use (src/bundles/loadEngine.ts).
    entryPoints: { engine: 'src/engine/index.ts' },
    outdir: 'dist',
    minify: production,
  },
  {
    ...node,
    // @kubernetes/client-node and everything over it; loaded on first use (src/bundles/loadKube.ts).
    entryPoints: { kube: 'src/kube/index.ts' },
    outdir: 'dist',
    minify: production,
  },
  {
    ...node,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    // Older than the floor on purpose: on a Node below it, the CLI must still load far enough to
    // say which Node it needs (src/cli/main.ts), rather than fail on syntax.
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
    minify: production,
  },
  {
    // The webview app runs in the browser sandbox of a webview.
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    sourcemap: true,
    logLevel: 'warning',
    // The revision form and the revision details panel (its charts are uPlot, bundled).
    entryPoints: { webview: 'src/webview/main.ts', details: 'src/webview/details/main.ts' },
    outdir: 'dist',
    minify: production,
  },
  ...['unit', 'integration'].map((kind) => ({
    // Unit and integration tests run in plain Node (no `vscode`), bundled so JSON imports work.
    ...node,
    entryPoints: testEntries(`test/${kind}`),
    outdir: `out/test/${kind}`,
    outbase: `test/${kind}`,
    external: ['mocha', '@kubernetes/client-node'],
  })),
  {
    // `npm run bench` (bench/run.ts) and its fresh-process activation probe.
    ...node,
    entryPoints: ['bench/run.ts', 'bench/activationProbe.ts'],
    outdir: 'out/bench',
    external: ['@kubernetes/client-node'],
  },
  {
    // The bench's suite inside code-server's extension host: VS Code's own activation timing.
    ...node,
    entryPoints: ['bench/hostActivationSuite.ts'],
    outdir: 'out/bench',
    external: ['vscode'],
  },
  {
    // The end-to-end suite runs inside the real extension host; mocha comes from node_modules.
    ...node,
    entryPoints: ['test/e2e/suite/index.ts', ...testEntries('test/e2e/suite')],
    outdir: 'out/test/e2e/suite',
    outbase: 'test/e2e/suite',
    external: ['vscode', 'mocha'],
  },
];

rmSync('out', { recursive: true, force: true });
await compileSchema();
if (watch) {
  const contexts = await Promise.all(builds.map((b) => esbuild.context(b)));
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
