#!/usr/bin/env node
// Fails when package.json and the code disagree, or when the VSIX would hold more than it should:
// - every contributed command is declared in src/extension/ids.ts, and every id there is contributed;
// - every contributed command is registered exactly once by a registerCommand(…, CommandIds.x, …) call in src/;
// - every view, menu and keybinding names a contributed view or command;
// - `vsce ls` lists only dist bundles, media/, schemas/, README.md, LICENSE and package.json;
// - the runtime floors are true: engines.node is at least what every package bundled into dist/
//   declares, engines.vscode admits no VS Code whose extension host runs an older Node, and
//   @types/node describes the floor, not a newer Node (run after the build: it reads dist/*.map).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import semver from 'semver';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const ids = readFileSync('src/extension/ids.ts', 'utf8');
const problems = [];

const contributed = new Set((pkg.contributes?.commands ?? []).map((c) => c.command));
const declared = new Set([...ids.matchAll(/'(serveRevisions\.[A-Za-z.]+)'/g)].map((m) => m[1]));
const views = new Set(Object.values(pkg.contributes?.views ?? {}).flat().map((v) => v.id));
for (const id of contributed) if (!declared.has(id)) problems.push(`command ${id} is contributed but not declared in src/extension/ids.ts`);
for (const id of declared) if (!contributed.has(id) && !views.has(id) && !id.startsWith('serveRevisions.view')) problems.push(`${id} is declared in ids.ts but not contributed in package.json`);

// A contributed command nobody registers fails only when a person clicks it; catch it here.
const idOfKey = new Map([...ids.matchAll(/(\w+): '(serveRevisions\.[A-Za-z.]+)'/g)].map((m) => [m[1], m[2]]));
const sources = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
const registrations = new Map();
for (const file of sources('src')) {
  for (const m of readFileSync(file, 'utf8').matchAll(/registerCommand\(\s*\w+,\s*CommandIds\.(\w+)/g)) {
    const id = idOfKey.get(m[1]) ?? `CommandIds.${m[1]}`;
    registrations.set(id, [...(registrations.get(id) ?? []), file]);
  }
}
for (const id of contributed) if (!registrations.has(id)) problems.push(`command ${id} is contributed but no registerCommand(…, CommandIds.…) in src/ registers it`);
for (const [id, files] of registrations) {
  if (!contributed.has(id)) problems.push(`${id} is registered (${files.join(', ')}) but not contributed in package.json`);
  if (files.length > 1) problems.push(`${id} is registered more than once: ${files.join(', ')}`);
}
for (const [menu, entries] of Object.entries(pkg.contributes?.menus ?? {})) {
  for (const entry of entries) if (entry.command && !contributed.has(entry.command)) problems.push(`menu ${menu} names unknown command ${entry.command}`);
}
for (const welcome of pkg.contributes?.viewsWelcome ?? []) {
  if (!views.has(welcome.view)) problems.push(`viewsWelcome names unknown view ${welcome.view}`);
  for (const m of welcome.contents.matchAll(/command:([A-Za-z.]+)/g)) if (!contributed.has(m[1])) problems.push(`viewsWelcome links unknown command ${m[1]}`);
}

// --- runtime floors ---------------------------------------------------------------------------
// The Node.js each VS Code release's extension host runs (Help > About; the Electron it ships).
// Add a row when raising engines.vscode.
const extensionHostNode = {
  '1.100': '20.19.0', // Electron 34.5
  '1.101': '22.15.1', // Electron 35.5
  '1.104': '22.18.0', // Electron 37.3
  '1.105': '22.19.0', // Electron 37.6
};
const nodeRange = pkg.engines?.node ?? '';
const floor = /^>=\s*(\d+\.\d+\.\d+)$/.exec(nodeRange)?.[1];
if (!floor) problems.push(`engines.node must read ">=X.Y.Z" (the lowest Node the bundles run on), not "${nodeRange}"`);
const vscodeRange = pkg.engines?.vscode ?? '';
const vscodeMinor = /^\^(1\.\d+)\.0$/.exec(vscodeRange)?.[1];
if (!vscodeMinor) problems.push(`engines.vscode must read "^1.N.0", not "${vscodeRange}"`);
else if (!extensionHostNode[vscodeMinor]) problems.push(`engines.vscode is ${vscodeRange}: add the Node.js of VS Code ${vscodeMinor}'s extension host to the table in scripts/check-package.mjs`);
else if (floor && semver.lt(extensionHostNode[vscodeMinor], floor)) problems.push(`engines.vscode ${vscodeRange} admits VS Code ${vscodeMinor}, whose extension host runs Node.js ${extensionHostNode[vscodeMinor]}, below engines.node ${nodeRange}`);
const typesNode = pkg.devDependencies?.['@types/node'];
if (floor && typesNode && semver.minVersion(typesNode)?.major !== semver.major(floor)) problems.push(`@types/node ${typesNode} describes another Node than the floor ${floor}: use ~${semver.major(floor)}.${semver.minor(floor)}.0, so the type-check catches APIs the floor lacks`);

/** The package folder a bundled source file comes from, e.g. node_modules/undici for node_modules/undici/lib/x.js. */
function packageDir(source) {
  const parts = source.split('/');
  const at = parts.lastIndexOf('node_modules');
  if (at < 0) return undefined;
  const name = parts[at + 1]?.startsWith('@') ? parts.slice(at + 1, at + 3) : parts.slice(at + 1, at + 2);
  return parts.slice(0, at + 1).concat(name).join('/');
}
let bundledPackages = 0;
if (floor) {
  for (const bundle of ['extension', 'kube', 'engine', 'cli']) {
    const map = join('dist', `${bundle}.js.map`);
    if (!existsSync(map)) {
      problems.push(`${map} is missing: build first (node esbuild.mjs)`);
      continue;
    }
    const dirs = new Set(JSON.parse(readFileSync(map, 'utf8')).sources.map((s) => packageDir(join(dirname(map), s))).filter(Boolean));
    for (const dir of dirs) {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      bundledPackages++;
      const needs = manifest.engines?.node;
      if (needs && !semver.satisfies(floor, needs)) problems.push(`dist/${bundle}.js bundles ${manifest.name}@${manifest.version}, which needs Node ${needs}: engines.node ${nodeRange} is below it`);
    }
  }
}

const ls = spawnSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'ls', '--no-dependencies'], { encoding: 'utf8' });
if (ls.status !== 0) problems.push(`vsce ls failed: ${ls.stderr.trim()}`);
const allowed = [/^dist\/(extension|kube|engine|webview|details)\.(js|css)$/, /^media\//, /^schemas\//, /^README\.md$/, /^LICENSE$/, /^package\.json$/];
const files = ls.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
for (const file of files) if (!allowed.some((re) => re.test(file))) problems.push(`the VSIX would include ${file}; exclude it in .vscodeignore`);
for (const needed of ['dist/extension.js', 'dist/kube.js', 'dist/engine.js', 'package.json', 'schemas/revision.schema.json']) if (!files.includes(needed)) problems.push(`the VSIX would lack ${needed}`);

if (problems.length > 0) {
  for (const p of problems) console.error(`check-package: ${p}`);
  process.exit(1);
}
console.log(`check-package: ${contributed.size} commands (each registered once), ${views.size} views consistent; floors Node ${floor} and VS Code ${vscodeMinor} (extension host Node ${extensionHostNode[vscodeMinor]}) hold for the ${bundledPackages} bundled packages; VSIX holds ${files.length} files: ${files.join(', ')}`);
