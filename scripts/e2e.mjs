#!/usr/bin/env node
// Runs the end-to-end suite inside a real VS Code: code-server (VS Code's own server build)
// serves the workbench, headless Debian Chromium driven by playwright-core renders it, and the
// suite runs in the real extension host. No VS Code API is mocked. What this relies on (the
// server's flags, the test payload in the URL, codeAutomationLog/Exit) is commented where it is used.
//
//   node scripts/e2e.mjs [--workspace DIR] [--suite out/test/e2e/suite/index.js]
//        [--screenshots DIR] [--timeout-ms N] [--env KEY=VALUE ...] [--verbose]
//
// Run it under Node 24 (PATH="$(scripts/node24.sh):$PATH"); scripts/prereqs.sh installs
// everything it needs. Exit code: the suite's (0 all passed, 1 a test failed), or 1 on
// timeout, crash or a dead server.
//
// Tests drive the page like a person through a loopback HTTP "driver" this runner starts: its
// URL reaches the extension host in SERVE_REVISIONS_E2E_DRIVER, the suite POSTs one JSON
// action at a time (see test/e2e/suite/driver.ts) and the runner performs it with playwright.
//
// What must survive a window reload cannot be checked by the extension host the reload kills, so
// a test can ask for one: once that run's tests have finished, the runner reloads the window, and
// the reloaded workbench runs the suite again, where index.ts picks the *.afterReload tests.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format, parseArgs } from 'node:util';
import { codeServerEntry, debugRequested, node24Bin as nodeBin, nodeVersion, repoRoot } from './toolchain.mjs';

const CHROMIUM = '/usr/bin/chromium';
/** How long a driver action waits for its element unless the test says otherwise: test/e2e/suite/driver.ts's Deadline.ui. */
const ActionDeadlineMs = 30_000;
const started = Date.now();

// --- arguments --------------------------------------------------------------------------------
const { values: opts } = parseArgs({
  options: {
    workspace: { type: 'string', default: join(repoRoot, 'test/e2e/workspace') },
    suite: { type: 'string', default: join(repoRoot, 'out/test/e2e/suite/index.js') },
    screenshots: { type: 'string', default: join(repoRoot, '.test-artifacts/e2e') },
    // A hang guard for the whole run, not a speed check: a loaded 2-core machine takes several times longer.
    'timeout-ms': { type: 'string', default: '1800000' },
    env: { type: 'string', multiple: true, default: [] },
    verbose: { type: 'boolean', default: false },
  },
});
const workspace = resolve(opts.workspace);
const suite = resolve(opts.suite);
const screenshotsDir = resolve(opts.screenshots);
const timeoutMs = Number(opts['timeout-ms']);
const extraEnv = {};
for (const pair of opts.env) {
  const eq = pair.indexOf('=');
  if (eq <= 0) fail(`--env expects KEY=VALUE, got "${pair}"`);
  extraEnv[pair.slice(0, eq)] = pair.slice(eq + 1);
}

for (const [what, path] of [
  [`Node ${nodeVersion}`, join(nodeBin, 'node')],
  ['code-server', codeServerEntry],
  ['Chromium', CHROMIUM],
]) {
  if (!existsSync(path)) fail(`${what} not found at ${path}; run scripts/prereqs.sh first.`);
}
if (!existsSync(suite)) fail(`suite ${suite} not found; build it first with \`node esbuild.mjs\`.`);
if (!existsSync(workspace)) fail(`workspace folder ${workspace} not found.`);
if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) fail(`--timeout-ms must be a positive number`);

/** An error for a one-line message; its stack only with SERVE_REVISIONS_DEBUG=1. */
function explain(err) {
  if (debugRequested()) return err?.stack ?? String(err);
  return `${err?.message ?? err} (SERVE_REVISIONS_DEBUG=1 shows the details)`;
}

function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

function log(message) {
  console.log(`e2e: ${message} (+${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

// playwright-core is a devDependency of the repo; import it from there whatever the cwd.
const { chromium } = await import(join(repoRoot, 'node_modules/playwright-core/index.mjs'));

// --- offline noise ----------------------------------------------------------------------------
// Offline, the workbench's attempts to reach GitHub, the extension galleries and telemetry
// hosts fail harmlessly, and its startup chatter says nothing about the tests; together they
// would bury the test output. Matched against whole messages, and only on these known shapes
// and hosts, so an error from the extension or a test (even one mentioning a host) still shows.
// --verbose shows everything.
const OFFLINE_HOSTS =
  /(?:open-vsx\.org|visualstudio\.com|vscode-cdn\.net|vscode-unpkg\.net|exp-tas\.com|github\.com|githubusercontent\.com|microsoft\.com|azure\.com)/;
const NOISE = [
  new RegExp(`(?:ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT)\\s+\\S*${OFFLINE_HOSTS.source}`),
  /Timed out waiting for authentication provider '(?:github|microsoft)[\w-]*' to register/,
  /\bvsda\b/,
];
const CHATTER = [
  /^Resolving connection token/,
  /^Resolved connection token/,
  /^Creating a socket \(renderer-/,
  /^\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\] registered/,
  /^\[AgentHost:remote\]/,
  /^\[AccountPolicyGate\]/,
  /^Creation of workbench contribution '[\w.]+' took \d+ms/,
];
const isNoise = (type, text) =>
  !opts.verbose && (NOISE.some((re) => re.test(text)) || (type !== 'error' && CHATTER.some((re) => re.test(text))));

// Mocha's spec reporter prints "N passing" / "N failing" / "N pending" at the end of each run;
// a run before and one after a window reload add up.
const counts = { passing: undefined, failing: 0, pending: 0 };
function scanForCounts(line) {
  const m = /^\s*(\d+) (passing|failing|pending)\b/.exec(line);
  if (m) counts[m[2]] = (counts[m[2]] ?? 0) + Number(m[1]);
}

// --- processes and cleanup --------------------------------------------------------------------
const tmp = mkdtempSync(join(tmpdir(), 'serve-revisions-e2e-'));
let server; // code-server child, leader of its own process group
let browser;
let driverServer;
let finishing = false;

async function finish(code, reason) {
  if (finishing) return;
  finishing = true;
  clearTimeout(deadline);
  if (reason) console.error(`e2e: ${reason}`);
  // A failing test explains itself; a timeout, crash or dead server usually needs the server's view.
  if (reason && existsSync(join(tmp, 'code-server.log'))) {
    const tail = readFileSync(join(tmp, 'code-server.log'), 'utf8').split('\n').filter((l) => l.trim()).slice(-30);
    console.error(`e2e: last lines of code-server's log:\n  ${tail.join('\n  ')}`);
  }
  await browser?.close().catch(() => {});
  driverServer?.close();
  await killServerGroup();
  rmSync(tmp, { recursive: true, force: true });
  const seconds = `${((Date.now() - started) / 1000).toFixed(1)} s`;
  console.log(
    counts.passing !== undefined
      ? `e2e: ${counts.passing} passed, ${counts.failing} failed${counts.pending ? `, ${counts.pending} pending` : ''} (exit ${code}, ${seconds})`
      : `e2e: exit ${code} (${seconds})`,
  );
  process.exit(code);
}

/** Kills code-server's whole process group: killing only its pid leaves the extension host running. */
async function killServerGroup() {
  if (!server?.pid) return;
  const signal = (sig) => {
    try {
      process.kill(-server.pid, sig);
      return true;
    } catch {
      return false; // ESRCH: the group is gone
    }
  };
  if (!signal('SIGTERM')) return;
  for (let i = 0; i < 30; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (!signal(0)) return;
  }
  signal('SIGKILL');
}

const deadline = setTimeout(() => finish(1, `timed out after ${timeoutMs} ms`), timeoutMs);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => finish(1, `interrupted by ${sig}`));
process.on('uncaughtException', (err) => finish(1, `runner crashed: ${explain(err)}`));
process.on('unhandledRejection', (err) => finish(1, `runner crashed: ${explain(err)}`));

// --- the driver: test requests performed with playwright --------------------------------------
let page;
/** Set by a test's reloadWindowAfterRun: what to hand the run after the reload. */
let reloadRequest;
/** What the run before the reload handed over; null in a run that no reload started. */
let handover = null;
/** 1 once a run that ended in a reload had a failing test: such a run reports no exit code. */
let exitCode = 0;

/**
 * The element a test means. With `inFrames`, searches every frame (webviews render in nested
 * iframes that appear some time after the panel opens) until one contains the selector.
 */
async function locate(selector, inFrames, timeoutMs) {
  if (!inFrames) return page.locator(selector).first();
  const until = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      const loc = frame.locator(selector).first();
      if ((await loc.count().catch(() => 0)) > 0) return loc;
    }
    if (Date.now() > until) throw new Error(`no frame contains ${selector} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const actions = {
  /**
   * The whole page, or with `selector` only that element (in a webview too, with `inFrames`), its
   * top `maxHeight` pixels when given (a view's rows without the empty space below them), or with
   * `clip` ({x, y, width, height} in CSS pixels) a part of the page (e.g. one editor for a README).
   */
  async screenshot({ name, selector, inFrames, timeoutMs, maxHeight, clip }) {
    if (!/^[\w.-]+$/.test(name)) throw new Error(`screenshot name must be a plain file name, got "${name}"`);
    const path = join(screenshotsDir, name.endsWith('.png') ? name : `${name}.png`);
    if (selector && maxHeight && !inFrames) {
      const box = await page.locator(selector).first().boundingBox({ timeout: timeoutMs });
      if (!box) throw new Error(`${selector} is not visible`);
      await page.screenshot({ path, clip: { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, maxHeight) } });
    } else if (selector) await (await locate(selector, inFrames, timeoutMs)).screenshot({ path, timeout: timeoutMs });
    else await page.screenshot({ path, ...(clip ? { clip } : {}) });
    log(`screenshot ${path}`);
    return path;
  },
  /** Runs `fn` (a function's source, given the element) on the first match; its JSON result. */
  async evaluate({ selector, fn, inFrames, timeoutMs }) {
    // A function, not a string: playwright evaluates a string as an expression.
    const pageFunction = new Function(`return (${fn});`)();
    return (await locate(selector, inFrames, timeoutMs)).evaluate(pageFunction);
  },
  /**
   * What has the keyboard focus: the id of the focused element (else its tag and text) in the
   * frame that has the focus, webviews included; null when nothing does.
   */
  async focused() {
    for (const frame of [...page.frames()].reverse()) {
      const found = await frame
        .evaluate(() => {
          if (!document.hasFocus()) return null;
          const el = document.activeElement;
          if (!el || el === document.body || el.tagName === 'IFRAME') return null;
          return el.id || `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim().slice(0, 40)}`;
        })
        .catch(() => null);
      if (found) return found;
    }
    return null;
  },
  async click({ selector, inFrames, timeoutMs }) {
    await (await locate(selector, inFrames, timeoutMs)).click({ timeout: timeoutMs });
  },
  async hover({ selector, inFrames, timeoutMs }) {
    await (await locate(selector, inFrames, timeoutMs)).hover({ timeout: timeoutMs });
  },
  async rightClick({ selector, inFrames, timeoutMs }) {
    await (await locate(selector, inFrames, timeoutMs)).click({ button: 'right', timeout: timeoutMs });
  },
  /** Types key by key, into `selector` when given, else wherever the focus is. */
  async type({ text, selector, inFrames, timeoutMs }) {
    if (selector) await (await locate(selector, inFrames, timeoutMs)).pressSequentially(text, { timeout: timeoutMs });
    else await page.keyboard.type(text);
  },
  /** A key or chord in playwright's notation: "Enter", "Escape", "Control+Shift+P". */
  async press({ key, selector, inFrames, timeoutMs }) {
    if (selector) await (await locate(selector, inFrames, timeoutMs)).press(key, { timeout: timeoutMs });
    else await page.keyboard.press(key);
  },
  async waitForSelector({ selector, state, inFrames, timeoutMs }) {
    await (await locate(selector, inFrames, timeoutMs)).waitFor({ state: state ?? 'visible', timeout: timeoutMs });
  },
  async frameWaitForSelector(request) {
    await actions.waitForSelector({ ...request, inFrames: true });
  },
  /** innerText of the first match (what a person sees), or null when nothing matches. */
  async text({ selector, inFrames, timeoutMs }) {
    const loc = inFrames ? await locate(selector, true, timeoutMs) : page.locator(selector).first();
    if ((await loc.count()) === 0) return null;
    return loc.innerText({ timeout: timeoutMs });
  },
  /** The value of an input or textarea: what a person sees in a text field. */
  async value({ selector, inFrames, timeoutMs }) {
    return (await locate(selector, inFrames, timeoutMs)).inputValue({ timeout: timeoutMs });
  },
  async count({ selector }) {
    return page.locator(selector).count();
  },
  /** outerHTML of the first match: for writing selectors, not for assertions. */
  async html({ selector, inFrames, timeoutMs }) {
    const loc = inFrames ? await locate(selector, true, timeoutMs) : page.locator(selector).first();
    if ((await loc.count()) === 0) return null;
    return loc.evaluate((el) => el.outerHTML);
  },
  /** Reload the window once this run's tests have ended; `data` reaches the next run through afterReload. */
  async reloadWindowAfterRun({ data }) {
    // Several *.beforeReload files may ask: the run after the reload gets what each handed over.
    reloadRequest = { data: { ...(reloadRequest?.data ?? {}), ...(data ?? {}) } };
  },
  /**
   * index.ts asks once mocha has finished, before run() settles. The reload must come while the
   * extension host still runs, as it does for a person: VS Code keeps a webview across a reload
   * only while its extension's serializer is registered, and once run() settles VS Code stops the
   * extension host before the runner hears of it.
   */
  async reloadIfAsked({ failures }) {
    if (!reloadRequest) return false;
    exitCode = Math.max(exitCode, failures > 0 ? 1 : 0);
    handover = reloadRequest.data;
    reloadRequest = undefined;
    setTimeout(() => reloadWindow().catch((err) => finish(1, `could not reload the window: ${explain(err)}`)), 0);
    return true;
  },
  async afterReload() {
    return handover;
  },
};

/**
 * Reloads the window as a person does in VS Code, with "Developer: Reload Window": unlike the
 * browser's reload, it waits until the workbench has stored its state (open editors, webview
 * state) before the page goes. The URL, and so the test payload, stays the same.
 */
async function reloadWindow() {
  const reloaded = page.waitForEvent('load', { timeout: 2 * ActionDeadlineMs });
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget .quick-input-box input').waitFor({ timeout: ActionDeadlineMs });
  await page.keyboard.type('Developer: Reload Window');
  await page.locator('.quick-input-list .monaco-list-row.focused:has-text("Developer: Reload Window")').waitFor({ timeout: ActionDeadlineMs });
  await page.keyboard.press('Enter');
  await reloaded;
  log('reloaded the window');
}

function startDriver() {
  // One action at a time, in order: a person does not click two things at once either.
  let queue = Promise.resolve();
  driverServer = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      queue = queue.then(async () => {
        let reply;
        try {
          const request = JSON.parse(body);
          const action = actions[request.action];
          if (!action) throw new Error(`unknown driver action "${request.action}"`);
          if (!page) throw new Error('the page is not open yet');
          const result = await action({ timeoutMs: ActionDeadlineMs, ...request });
          reply = { ok: true, result: result ?? null };
        } catch (err) {
          reply = { ok: false, error: String(err?.message ?? err) };
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply));
      });
    });
  });
  return new Promise((resolve) =>
    driverServer.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${driverServer.address().port}/`)),
  );
}

// --- code-server ------------------------------------------------------------------------------
function freePort() {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function writeUserSettings(userDataDir) {
  const settings = {
    // Keep the workbench quiet and deterministic: no welcome page, trust prompt, update or
    // telemetry traffic, tips or AI setup views that would cover the UI in screenshots.
    'telemetry.telemetryLevel': 'off',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'security.workspace.trust.enabled': false,
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'window.restoreWindows': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
  };
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
}

async function startCodeServer(port, driverUrl) {
  const userDataDir = join(tmp, 'user-data');
  writeUserSettings(userDataDir);
  for (const d of ['extensions', 'xdg-config', 'xdg-data', 'xdg-cache']) mkdirSync(join(tmp, d));
  const args = [
    codeServerEntry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', userDataDir,
    '--extensions-dir', join(tmp, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    // Without it the built workbench silently ignores the test payload.
    '--vscode-option', 'enable-smoke-test-driver',
    '--vscode-option', 'skip-welcome',
  ];
  const env = {
    ...process.env,
    PATH: `${nodeBin}:${process.env.PATH}`,
    // Otherwise code-server writes its config and state under ~/.config and ~/.local.
    XDG_CONFIG_HOME: join(tmp, 'xdg-config'),
    XDG_DATA_HOME: join(tmp, 'xdg-data'),
    XDG_CACHE_HOME: join(tmp, 'xdg-cache'),
    SERVE_REVISIONS_E2E_DRIVER: driverUrl,
    ...extraEnv,
  };
  const serverLog = createWriteStream(join(tmp, 'code-server.log'));
  // Detached: its own process group, so the extension host and other helpers die with it.
  server = spawn(join(nodeBin, 'node'), args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.pipe(serverLog, { end: false });
  server.stderr.pipe(serverLog, { end: false });
  server.on('exit', (code, sig) => finish(1, `code-server exited early (code ${code}, signal ${sig})`));
  await new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      seen += chunk;
      if (seen.includes('HTTP server listening on')) {
        server.stdout.off('data', onData);
        server.stderr.off('data', onData);
        resolve();
      }
    };
    server.stdout.on('data', onData);
    server.stderr.on('data', onData);
    setTimeout(() => reject(new Error('code-server did not start listening within 60 s')), 60_000).unref();
  });
}

// --- run --------------------------------------------------------------------------------------
// Any failure on the way (no port, server never ready, browser will not start) still goes
// through finish(), so the server's process group and the browser never outlive the runner.
async function main() {
  mkdirSync(screenshotsDir, { recursive: true });
  const driverUrl = await startDriver();
  const port = await freePort();
  await startCodeServer(port, driverUrl);
  log(`code-server listening on 127.0.0.1:${port}`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // Root without a sandbox, no GPU, and nothing that phones home. Playwright gives every
    // launch a fresh temporary profile.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  browser.on('disconnected', () => finish(1, 'the browser disconnected'));
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  page = await context.newPage();
  page.on('crash', () => finish(1, 'the page crashed'));
  page.on('pageerror', (err) => {
    const text = `[page error] ${err.message}`;
    if (!isNoise('error', text)) console.log(text);
  });

  // Must exist before the workbench loads: it looks them up once to report test output and
  // the extension host's exit.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    for (const line of text.split('\n')) scanForCounts(line);
    if (!isNoise(type, text)) console.log(text);
  });
  await page.exposeFunction('codeAutomationExit', (code) => {
    // Let the response reach the page before the browser goes away.
    setTimeout(() => finish(Math.max(exitCode, Number(code) === 0 ? 0 : 1)), 0);
  });

  const authority = `127.0.0.1:${port}`;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${authority}${repoRoot}`],
    ['extensionTestsPath', `vscode-remote://${authority}${suite}`],
    ['skipWelcome', 'true'],
  ];
  const url = new URL(`http://${authority}/`);
  url.searchParams.set('folder', workspace);
  url.searchParams.set('payload', JSON.stringify(payload));
  log(`opening the workbench on ${workspace}`);
  await page.goto(url.href);
}

main().catch((err) => finish(1, `runner failed: ${explain(err)}`));
