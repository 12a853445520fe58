// What the Node scripts (test.mjs, start.mjs, e2e.mjs) need to know about the tools
// scripts/prereqs.sh installs: their versions (pinned once, in scripts/versions.env, which the bash
// scripts source), where they live in the cache, and the environment an install step runs in.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function readVersions() {
  const versions = {};
  for (const line of readFileSync(join(repoRoot, 'scripts/versions.env'), 'utf8').split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match) versions[match[1]] = match[2];
  }
  for (const key of ['NODE_VERSION', 'CODE_SERVER_VERSION']) {
    if (!versions[key]) throw new Error(`scripts/versions.env has no ${key}`);
  }
  return versions;
}

const versions = readVersions();
/** The Node the tests, code-server and `npm start` run on. */
export const nodeVersion = versions.NODE_VERSION;
export const codeServerVersion = versions.CODE_SERVER_VERSION;

/**
 * The lowest Node the bundles support: the minimum of package.json's `engines.node` (">=X.Y.Z",
 * as scripts/check-package.mjs requires). The runtime-floor test runs the CLI on exactly this Node.
 */
export const nodeFloor = (() => {
  const range = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).engines?.node ?? '';
  const match = /^>=\s*(\d+\.\d+\.\d+)$/.exec(range.trim());
  if (!match) throw new Error(`package.json engines.node must read ">=X.Y.Z", not "${range}"`);
  return match[1];
})();

export const cacheDir = process.env.SERVE_REVISIONS_CACHE || join(homedir(), '.cache', 'serve-revisions');
/** The folder holding a Node that prereqs.sh unpacked from the npm registry. */
export const nodeBinOf = (version) => join(cacheDir, `node-v${version}`, 'bin');
export const node24Bin = nodeBinOf(nodeVersion);
export const floorNodeBin = nodeBinOf(nodeFloor);
export const codeServerEntry = join(cacheDir, `code-server-${codeServerVersion}`, 'node_modules/code-server/out/node/entry.js');

/**
 * Whether a person asked for stack traces: SERVE_REVISIONS_DEBUG=1 (also true/yes). The same rule
 * as src/core/debugRequested.ts, which the bundles use (it also accepts --debug).
 */
export function debugRequested(env = process.env) {
  return /^(1|true|yes)$/i.test(env.SERVE_REVISIONS_DEBUG ?? '');
}

/**
 * The environment for a step that installs (prereqs.sh, cluster/build.sh, npm ci): this one minus
 * what `npm test` / `npm start` put there for their own run. A nested npm would take those as its
 * own configuration: `npm_config_user_agent` names the outer Node (code-server's postinstall reads
 * its Node major from it and refuses), `npm_config_node_gyp` and npm's PATH entries point at the
 * outer npm's node-gyp. npm reads its config files (.npmrc) again by itself, so nothing of the
 * user's configuration is lost.
 */
export function installEnv(env = process.env) {
  const clean = {};
  for (const [key, value] of Object.entries(env)) {
    if (/^npm_/i.test(key) || ['INIT_CWD', 'NODE', 'COLOR', 'EDITOR'].includes(key)) continue;
    clean[key] = value;
  }
  if (clean.PATH) {
    clean.PATH = clean.PATH.split(delimiter)
      .filter((dir) => !/[\\/]node_modules[\\/]\.bin$/.test(dir) && !/[\\/]node-gyp-bin$/.test(dir))
      .join(delimiter);
  }
  return clean;
}
