/**
 * Runs inside the real extension host (code-server) as the workbench's extensionTestsPath, for
 * bench/hostActivation.ts. The first window opens a revision spec and asks for a reload; every
 * reloaded window starts with that spec open, so the extension activates for it
 * (onLanguage:revision-yaml) as it does for a person, and the suite reads VS Code's own timing of
 * that activation from "Developer: Startup Performance" (its Extension Activation Stats: load
 * code, call activate, finish activate), then asks for the next reload. The last window prints
 * every sample on one line the bench picks up.
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionTestApi } from '../src/extension/extension';
import { afterReload, Deadline, reloadIfAsked, reloadWindowAfterRun, waitFor } from '../test/e2e/suite/driver';
import { SamplesLine, type HostActivationSample } from './hostActivationSamples';

const ExtensionId = 'serve-revisions.serve-revisions';
/** The extension's row of the Extension Activation Stats table, once the workbench has written it. */
async function activationStats(): Promise<Omit<HostActivationSample, 'activationMs' | 'loadedAtActivation'>> {
  // "Developer: Startup Performance" registers its `perf:` documents when first shown.
  await vscode.commands.executeCommand('perfview.show');
  const table = await waitFor(
    () => {
      const lines = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'perf')?.getText().split('\n');
      return lines?.some((line) => line.startsWith(`| ${ExtensionId} `)) ? lines : undefined;
    },
    { message: `a row for ${ExtensionId} in "Startup Performance"`, timeoutMs: Deadline.ui },
  );
  const row = table.find((line) => line.startsWith(`| ${ExtensionId} `)) ?? '';
  // Closed again, so the next window starts with the spec alone.
  for (const tab of vscode.window.tabGroups.all.flatMap((g) => g.tabs)) {
    if (tab.input instanceof vscode.TabInputText && tab.input.uri.scheme === 'perf') await vscode.window.tabGroups.close(tab);
  }
  // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
  const cells = (line: string): string[] => line.split('|').map((c) => c.trim());
  const ours = cells(row);
  // The other extensions' rows of the same table (an extension id has a dot; the header has none).
  const others = table
    .filter((line) => /^\| [\w-]+\.[\w.-]+ \|/.test(line) && !line.startsWith(`| ${ExtensionId} `))
    .map((line) => Number(cells(line)[3]))
    .filter((n) => Number.isFinite(n) && n >= 0);
  return {
    loadCodeMs: Number(ours[3]),
    callActivateMs: Number(ours[4]),
    finishActivateMs: Number(ours[5]),
    event: ours[6] ?? '',
    othersLoadCodeMs: others,
  };
}

async function reloadWith(samples: HostActivationSample[]): Promise<never> {
  await reloadWindowAfterRun({ samples });
  await reloadIfAsked(0);
  return new Promise<never>(() => {});
}

export async function run(): Promise<void> {
  const rounds = Number(process.env['SERVE_REVISIONS_BENCH_ACTIVATIONS'] ?? '5');
  const handover = await afterReload<{ samples: HostActivationSample[] }>();
  if (handover === null) {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (!folder) throw new Error('the bench workspace folder is not open');
    await vscode.window.showTextDocument(vscode.Uri.file(join(folder.uri.fsPath, 'iris.revision.yaml')));
    return reloadWith([]);
  }
  const extension = await waitFor(() => vscode.extensions.getExtension<ExtensionTestApi>(ExtensionId), { message: `${ExtensionId} loaded` });
  await waitFor(() => extension.isActive, { message: `${ExtensionId} activated by the open spec` });
  const stats = await activationStats();
  const samples = [...handover.samples, { ...stats, activationMs: stats.loadCodeMs + stats.callActivateMs, loadedAtActivation: extension.exports.loadedAtActivation }];
  if (samples.length < rounds) return reloadWith(samples);
  console.log(`${SamplesLine}${JSON.stringify(samples)}`);
}
