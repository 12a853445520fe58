// Entry point the extension host loads as extensionTestsPath (scripts/e2e.mjs puts it in the
// workbench payload). VS Code calls run() once the extension under development is loaded and
// exits the extension host with 0 when the promise resolves, 1 when it rejects.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
import { afterReload, reloadIfAsked } from './driver';

/** Every bundled `*.test.js` below this folder, sorted so the order is stable between runs. */
function testFiles(dir: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...testFiles(path));
    else if (name.endsWith('.test.js')) found.push(path);
  }
  return found;
}

export async function run(): Promise<void> {
  // Color off: the output is forwarded line by line to the runner's stdout and CI logs.
  // A hang guard, not a speed check: a test drives a real workbench and waits for the cluster,
  // each wait with its own deadline (driver.Deadline), on a machine that may be loaded.
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 5 * 60_000 });
  // SERVE_REVISIONS_E2E_GREP (passed with `scripts/e2e.mjs --env`) runs only the matching tests while iterating.
  const grep = process.env.SERVE_REVISIONS_E2E_GREP;
  if (grep) mocha.grep(grep);
  const files = testFiles(__dirname);
  if (files.length === 0) throw new Error(`no *.test.js files in ${__dirname}`);
  // A window reload (asked for with driver.reloadWindowAfterRun) splits a test in two files. The
  // first run ends with the *.beforeReload files, so the reload keeps what they left and nothing
  // else; the run the reload starts runs only the *.afterReload files.
  const isBefore = (file: string) => file.endsWith('.beforeReload.test.js');
  const isAfter = (file: string) => file.endsWith('.afterReload.test.js');
  const reloaded = (await afterReload()) !== null;
  const ordered = reloaded ? files.filter(isAfter) : [...files.filter((f) => !isBefore(f) && !isAfter(f)), ...files.filter(isBefore)];
  for (const file of ordered) mocha.addFile(file);
  const failures = await new Promise<number>((resolve, reject) => {
    try {
      mocha.run(resolve);
    } catch (err) {
      reject(err);
    }
  });
  // Settling would stop this extension host, and with it the serializers a reload relies on.
  if (await reloadIfAsked(failures)) return new Promise<never>(() => {});
  if (failures > 0) throw new Error(`${failures} end-to-end test(s) failed`);
}
