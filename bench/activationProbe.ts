/**
 * One fresh process's activation: load dist/extension.js and call activate(). Run by bench/run.ts
 * many times, each in a new Node process so nothing is cached between samples.
 *
 * Plain Node has no `vscode` module, so a host stand-in answers every API call with a no-op: the
 * figure is the extension's own cost (bundle load + wiring), not VS Code's.
 */
import Module from 'node:module';
import { join, resolve } from 'node:path';

import { readFileSync } from 'node:fs';

// The bundle copies the module's own names (`import * as vscode`), so the stand-in lists the API's
// top-level runtime names (198: not interfaces, types or namespace members), read from @types/vscode,
// and answers every deeper access with itself.
const apiNames = [...readFileSync(join(process.cwd(), 'node_modules/@types/vscode/index.d.ts'), 'utf8').matchAll(/^\texport (?:namespace|class|enum|const|function|let) (\w+)/gm)].map((m) => m[1] as string);

function noop(): unknown {
  return host;
}
const host: unknown = new Proxy(noop, {
  get: (target, property) => (property === 'then' ? undefined : property === Symbol.toPrimitive ? () => '' : property === 'prototype' ? target.prototype : host),
  apply: () => host,
  construct: () => host as object,
  // Writes are dropped (e.g. a status bar item's name): a function's own `name` is read-only.
  set: () => true,
});
// A plain object at the top, like the real module, so the bundle's namespace copies cost what they do in VS Code.
const vscodeModule = Object.fromEntries(apiNames.map((name) => [name, host]));

const moduleApi = Module as unknown as { _load: (request: string, parent: unknown, isMain: boolean) => unknown };
const load = moduleApi._load;
moduleApi._load = (request, parent, isMain) => (request === 'vscode' ? vscodeModule : load(request, parent, isMain));

const bundle = resolve(process.argv[2] ?? 'dist', 'extension.js');
const started = process.hrtime.bigint();
const extension = require(bundle) as { activate: (context: unknown) => unknown };
const loaded = process.hrtime.bigint();
extension.activate({ subscriptions: [], workspaceState: host, globalState: host, extensionUri: host, extensionPath: process.cwd(), asAbsolutePath: (p: string) => p });
const activated = process.hrtime.bigint();
const kubeLoaded = Object.keys(require.cache).some((k) => k.endsWith('kube.js'));
process.stdout.write(`${JSON.stringify({ loadMs: Number(loaded - started) / 1e6, activateMs: Number(activated - loaded) / 1e6, totalMs: Number(activated - started) / 1e6, kubeLoaded })}\n`);
