// Observing a revision in a real VS Code against the local control plane: a person opens the
// details of a failing revision from the tree and reads why, opens the logs of a running one and
// sees lines arrive, and sees the live chart draw. Screenshots land in the e2e artifacts folder;
// the details one is the README's.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { RevisionClient } from '../../../src/kube/index';
import type { ExtensionTestApi } from '../../../src/extension/extension';
import * as driver from './driver';
import { adminClient, extensionApi, freshNamespace, revisionNode, spec, waitForShown } from './tree.fixture';

const inFrames = { inFrames: true } as const;
const repo = join(__dirname, '../../../..');

/** One line in the CRI log format kwok serves (cluster/README.md: how a demo makes every pod's log move). */
function criLine(text: string): string {
  return `${new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z')} stdout F ${text}\n`;
}

describe('Observing a revision', () => {
  let api: ExtensionTestApi;
  let admin: RevisionClient;
  let namespace: string;

  before(async () => {
    api = await extensionApi();
    namespace = await freshNamespace(adminClient('default'), 'observe-e2e');
    admin = adminClient(namespace);
    await admin.create(spec('iris', 'Retrained', 'ghcr.io/example/iris:1.1.0', { replicas: 2 }), { launch: true });
    await admin.create(spec('iris', 'Try the new base image', 'ghcr.io/example/iris:fail-pull'), { launch: true });
    await vscode.commands.executeCommand('serveRevisions.switchNamespace', namespace);
    await vscode.commands.executeCommand('workbench.view.extension.serveRevisions');
    await waitForShown(api, 'iris', 2, /^failed: ImagePullBackOff/);
    await waitForShown(api, 'iris', 1, /^running 2\/2/);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await admin.core.deleteNamespace({ name: namespace }).catch(() => undefined);
  });

  it('opens the details of the failing revision from the tree and says why it is not ready', async () => {
    const row = '.part.sidebar .monaco-list-row:has-text("Try the new base image")';
    await driver.rightClick(row);
    await driver.waitForSelector('.monaco-menu .action-label:has-text("Show Details")');
    await driver.click('.monaco-menu .action-label:has-text("Show Details")');
    // VS Code's menu sometimes drops a click that arrives right as it opens (the item stays
    // highlighted); a person then presses Enter on it, and so do we (as tree.test.ts does).
    await driver.frameWaitForSelector('#details-title:has-text("Revision 2 of")', { timeoutMs: 5_000 }).catch(async () => {
      if ((await driver.count('.monaco-menu .action-label:has-text("Show Details")')) > 0) await driver.press('Enter');
      await driver.frameWaitForSelector('#details-title:has-text("Revision 2 of")', { timeoutMs: driver.Deadline.cluster }).catch(async (error: unknown) => {
        await driver.screenshot('details-missing');
        throw error;
      });
    });
    const headline = await driver.waitFor(
      async () => {
        const t = await driver.text('#details-headline', inFrames);
        return t?.includes('ImagePullBackOff') ? t : undefined;
      },
      { message: 'the headline to say why', timeoutMs: driver.Deadline.cluster },
    );
    assert.match(headline, /^ImagePullBackOff: the image "ghcr\.io\/example\/iris:fail-pull" cannot be pulled\. Back-off pulling image/);
    await driver.frameWaitForSelector('#pods td:has-text("ImagePullBackOff")');
    // The cluster's own events, newest first, including the kubelet's (here kwok's) Failed.
    await driver.frameWaitForSelector('.events td:has-text("Failed")', { timeoutMs: driver.Deadline.cluster });
    await driver.frameWaitForSelector('#live-status:has-text("Live")');
    await driver.screenshot('details-failing');
    // The README's picture (docs/details-view.png is a copy): the editor area only, where the panel is.
    await driver.screenshot('details-view', { x: 360, y: 72, width: 1030, height: 520 });
  });

  it('opens the logs of the running revision and shows new lines as they arrive, pod by pod', async () => {
    await vscode.commands.executeCommand('serveRevisions.showLogs', { service: 'iris', revision: 1 });
    const view = await driver.waitFor(() => api.observe.logs.shown.find((v) => v.ref.service === 'iris' && v.ref.revision === 1), { message: 'the log view' });
    // Both pods' last lines, each after its pod's name.
    await driver.waitFor(() => (view.text.match(/^\[iris-r1-[\w-]+\] INFO {5}10\.244\.0\.1:48212 - "GET \/readyz HTTP\/1\.1" 200 OK$/gm) ?? []).length >= 2, {
      message: 'the last lines of both pods',
      timeoutMs: driver.Deadline.cluster,
    });
    // Every pod serves the cluster's shared simulated log: a line appended there arrives from each.
    const marker = `POST /predict served by the e2e test ${Date.now()}`;
    const simDir = process.env.SERVE_REVISIONS_SIM_DIR;
    assert.ok(simDir, 'SERVE_REVISIONS_SIM_DIR is not set: run through npm test');
    appendFileSync(join(simDir, 'server.log'), criLine(marker));
    await driver.waitFor(() => view.text.split('\n').filter((l) => l.endsWith(marker)).length === 2, { message: 'the new line from both pods', timeoutMs: driver.Deadline.cluster });
    await driver.waitForSelector('.terminal-tab:has-text("Logs: iris #1"), .tabs-list .monaco-list-row:has-text("Logs: iris #1"), .single-terminal-tab:has-text("Logs: iris #1")').catch(() => undefined);
    await driver.screenshot('logs-following');
    // The API server going away mid-stream: the view says so, then resumes where it stopped.
    const apiserver = (action: 'stop' | 'start'): void => {
      execFileSync('bash', [join(repo, 'cluster', 'restart-apiserver.sh'), action], { env: process.env, stdio: 'pipe' });
    };
    apiserver('stop');
    try {
      await driver.waitFor(() => /── Not live: .*cannot reach the API server/.test(view.text), { message: 'the view to say it is not live', timeoutMs: driver.Deadline.cluster });
      appendFileSync(join(simDir, 'server.log'), criLine(`${marker} while away`));
    } finally {
      apiserver('start');
    }
    await driver.waitFor(() => view.text.includes('── Connected again'), { message: 'the view to resume', timeoutMs: driver.Deadline.cluster });
    await driver.waitFor(() => view.text.split('\n').filter((l) => l.endsWith(`${marker} while away`)).length === 2, { message: 'the line written while away, once per pod', timeoutMs: driver.Deadline.cluster });
    // Closing the terminal stops every stream.
    vscode.window.terminals.find((t) => t.name === 'Logs: iris #1')?.dispose();
    await driver.waitFor(() => view.openStreams === 0 && !api.observe.logs.shown.includes(view), { message: 'every stream stopped' });
  });

  it('draws the live chart of the running revision', async () => {
    await vscode.commands.executeCommand('serveRevisions.showDetails', { service: 'iris', revision: 1 });
    await driver.frameWaitForSelector('#details-title:has-text("Revision 1 of")', { timeoutMs: driver.Deadline.cluster });
    // The replicas chart draws at once; CPU and memory once metrics-server has scraped the pods twice.
    await driver.frameWaitForSelector('#chart-replicas canvas');
    await driver.frameWaitForSelector('#chart-cpu canvas', { timeoutMs: driver.Deadline.cluster });
    await driver.waitFor(
      async () => {
        const totals = await driver.text('#metrics-totals', { inFrames: true, timeoutMs: 5_000 }).catch(() => null);
        return totals && /^CPU \S+ of 200m requested \(\d+%\), limit 200m · memory \S+ of 256Mi requested/.test(totals) ? totals : undefined;
      },
      { message: 'usage against requests and limits', timeoutMs: driver.Deadline.cluster },
    );
    const panel = api.observe.details.panels.find((p) => p.ref.revision === 1);
    await driver.waitFor(() => (panel?.shown.metrics?.samples.filter((s) => s.cpu !== null).length ?? 0) >= 2, { message: 'two readings on the chart', timeoutMs: driver.Deadline.cluster });
    await driver.screenshot('details-chart');
  });

  it('warns before starting a revision that will not fit, and starts it only when told to', async () => {
    await admin.create(spec('llama', 'Too big for the GPU node', 'vllm/vllm-openai:v0.6.3', { resources: { cpu: '1', memory: '1Gi', gpu: { count: 16 } } }), { launch: false });
    await admin.create(spec('llama', 'Fits on one GPU', 'vllm/vllm-openai:v0.6.3', { resources: { cpu: '1', memory: '1Gi', gpu: { count: 1 } } }), { launch: false });
    await waitForShown(api, 'llama', 2, /^stopped/);
    const start = async (answers: string[], n: number) => {
      const node = await revisionNode(api, 'llama', n);
      await api.userInput.runWithAnswers(answers, () => vscode.commands.executeCommand('serveRevisions.start', node));
    };
    // Dismissed: nothing starts.
    await start(['Cancel'], 1);
    assert.equal((await admin.getRevision({ service: 'llama', revision: 1 })).state.kind, 'stopped');
    // Told to go on: it starts, and its pod waits as the warning said.
    await start(['Start Anyway'], 1);
    assert.match(api.userInput.prompts[0] ?? '', /^confirm "#1 of llama may not fit: needs 16 × nvidia\.com\/gpu on one node/, 'the warning says why');
    await waitForShown(api, 'llama', 1, /^failed: Unschedulable/);
    // One that fits starts without a question (an unexpected prompt would fail runWithAnswers).
    await start([], 2);
    await waitForShown(api, 'llama', 2, /^running 1\/1/);
  });
});
