/**
 * The lowest Node.js the bundles run on. Its one home is `engines.node` in package.json
 * (">=X.Y.Z"); esbuild.mjs puts it in here at build time. It is what dist/kube.js needs: undici 8,
 * which @kubernetes/client-node 2.x brings, throws while loading on anything older.
 */
declare const SERVE_REVISIONS_NODE_FLOOR: string;

export const NodeFloor: string = SERVE_REVISIONS_NODE_FLOOR;

function parts(version: string): number[] {
  return version.replace(/^v/, '').split('.').map((p) => Number.parseInt(p, 10) || 0);
}

/** Whether `found` (e.g. "20.20.2") is at least `floor` (e.g. "22.19.0"). */
export function meetsFloor(found: string, floor: string = NodeFloor): boolean {
  const a = parts(found);
  const b = parts(floor);
  for (let i = 0; i < 3; i++) {
    const x = a[i] ?? 0;
    const y = b[i] ?? 0;
    if (x !== y) return x > y;
  }
  return true;
}

/**
 * One line saying which Node is needed, which one runs and how to get one; undefined when the
 * running Node is new enough.
 */
export function nodeFloorProblem(found: string = process.versions.node, execPath: string = process.execPath, floor: string = NodeFloor): string | undefined {
  if (meetsFloor(found, floor)) return undefined;
  const major = parts(floor)[0];
  return `needs Node.js ${floor} or newer, but this is Node.js ${found} (${execPath}). Install Node.js ${major} LTS or newer (https://nodejs.org, or \`nvm install ${major}\`) and run it with that.`;
}
