#!/usr/bin/env node
// Fails when package.json and the code disagree, or when the VSIX would hold more than it should:
// - every contributed command is declared in src/extension/ids.ts, and every id there is contributed;
// - every contributed command is registered exactly once by a registerCommand(…, CommandIds.x, …) call in src/;
// - every view, menu and keybinding names a contributed view or command;
// - `vsce ls` lists only dist bundles, media/, schemas/, README.md, LICENSE and package.json.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

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

const ls = spawnSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'ls', '--no-dependencies'], { encoding: 'utf8' });
if (ls.status !== 0) problems.push(`vsce ls failed: ${ls.stderr.trim()}`);
const allowed = [/^dist\/(extension|kube|engine|webview)\.(js|css)$/, /^media\//, /^schemas\//, /^README\.md$/, /^LICENSE$/, /^package\.json$/];
const files = ls.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
for (const file of files) if (!allowed.some((re) => re.test(file))) problems.push(`the VSIX would include ${file}; exclude it in .vscodeignore`);
for (const needed of ['dist/extension.js', 'dist/kube.js', 'dist/engine.js', 'package.json', 'schemas/revision.schema.json']) if (!files.includes(needed)) problems.push(`the VSIX would lack ${needed}`);

if (problems.length > 0) {
  for (const p of problems) console.error(`check-package: ${p}`);
  process.exit(1);
}
console.log(`check-package: ${contributed.size} commands (each registered once), ${views.size} views consistent; VSIX holds ${files.length} files: ${files.join(', ')}`);
