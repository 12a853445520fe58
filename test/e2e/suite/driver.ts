// The tests' hands and eyes: each call asks scripts/e2e.mjs (outside the extension host) to act
// on the real workbench page with playwright, the way a person would, and waits for the answer.
// The runner's loopback URL arrives in SERVE_REVISIONS_E2E_DRIVER.
import { request } from 'node:http';

/**
 * How long a wait may take before it counts as failed. They hold on a loaded 2-core machine
 * (another test run and a CPU hog beside this one), and cost nothing when things are quick: a
 * wait returns as soon as its state holds. `ui` is for the workbench and the extension, `cluster`
 * for what the control plane must do first (pods scheduled and running, a watch reconnecting).
 * The runner (scripts/e2e.mjs) gives playwright actions the `ui` deadline too.
 */
export const Deadline = { ui: 30_000, cluster: 120_000 } as const;

/** Where to act: `inFrames` searches every frame, which is how webview content is reached. */
export interface Target {
  /** Search all frames (webviews are nested iframes) instead of the workbench document only. */
  inFrames?: boolean;
  /** How long playwright waits for the element; Deadline.ui when omitted. */
  timeoutMs?: number;
}

function driverUrl(): string {
  const url = process.env.SERVE_REVISIONS_E2E_DRIVER;
  if (!url) throw new Error('SERVE_REVISIONS_E2E_DRIVER is not set: run the suite through scripts/e2e.mjs');
  return url;
}

/**
 * Sends one action and resolves with its result. node:http rather than fetch: the workbench
 * patches the extension host's fetch for proxies, and loopback needs none of that.
 */
function act<T>(action: string, params: Record<string, unknown> = {}): Promise<T> {
  const body = JSON.stringify({ action, ...params });
  return new Promise<T>((resolve, reject) => {
    const req = request(driverUrl(), { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        try {
          const reply = JSON.parse(text) as { ok: boolean; result?: T; error?: string };
          if (reply.ok) resolve(reply.result as T);
          else reject(new Error(`driver ${action} failed: ${reply.error}`));
        } catch (err) {
          reject(new Error(`driver ${action}: unreadable reply ${JSON.stringify(text)}: ${String(err)}`));
        }
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Saves a PNG of the whole workbench as `<name>.png` in the runner's screenshots folder (or, with a
 * `selector`, of that element only, its top `maxHeight` pixels when given; or, with a clip in CSS
 * pixels, that part of the page); returns its path.
 */
export const screenshot = (name: string, where?: string | { x: number; y: number; width: number; height: number }, target: Target & { maxHeight?: number } = {}): Promise<string> =>
  act('screenshot', { name, ...(typeof where === 'string' ? { selector: where } : where ? { clip: where } : {}), ...target });

/** Runs `fn` (an arrow function's source, given the element) on the first match and returns its JSON result. */
export const evaluate = <T>(selector: string, fn: string, target: Target = {}): Promise<T> => act('evaluate', { selector, fn, ...target });

/** The id of the element with the keyboard focus (in a webview too), else `tag:text`; null when none. */
export const focused = (): Promise<string | null> => act('focused');

export const click = (selector: string, target: Target = {}): Promise<void> => act('click', { selector, ...target });

/** Moves the mouse over the element (a tree row shows its inline actions then). */
export const hover = (selector: string, target: Target = {}): Promise<void> => act('hover', { selector, ...target });

export const rightClick = (selector: string, target: Target = {}): Promise<void> =>
  act('rightClick', { selector, ...target });

/** Types key by key into `selector`, or into whatever has the focus when no selector is given. */
export const type = (text: string, selector?: string, target: Target = {}): Promise<void> =>
  act('type', { text, selector, ...target });

/** Presses a key or chord in playwright's notation, e.g. "Enter", "Escape", "Control+Shift+P". */
export const press = (key: string, selector?: string, target: Target = {}): Promise<void> =>
  act('press', { key, selector, ...target });

/** Waits until the selector is in the given state (visible by default); rejects after the timeout. */
export const waitForSelector = (
  selector: string,
  target: Target & { state?: 'attached' | 'detached' | 'visible' | 'hidden' } = {},
): Promise<void> => act('waitForSelector', { selector, ...target });

/** waitForSelector across every frame: for content inside webviews. */
export const frameWaitForSelector = (selector: string, target: Omit<Target, 'inFrames'> = {}): Promise<void> =>
  act('frameWaitForSelector', { selector, ...target });

/** The text a person sees in the first match (innerText), or null when nothing matches. */
export const text = (selector: string, target: Target = {}): Promise<string | null> =>
  act('text', { selector, ...target });

/** The value of an input or textarea (for a webview field, pass `{ inFrames: true }`). */
export const value = (selector: string, target: Target = {}): Promise<string> => act('value', { selector, ...target });

/** How many elements of the workbench document match, e.g. to assert something is gone. */
export const count = (selector: string): Promise<number> => act('count', { selector });

/** outerHTML of the first match; for finding selectors while writing a test, not for asserting. */
export const html = (selector: string, target: Target = {}): Promise<string | null> =>
  act('html', { selector, ...target });

/**
 * Asks the runner to reload the window ("Developer: Reload Window") once this run's tests have
 * finished. The reloaded window runs the *.afterReload test files, and `data` reaches them through
 * afterReload(): what survives a reload cannot be checked by the extension host the reload kills.
 */
export const reloadWindowAfterRun = (data: Record<string, unknown>): Promise<void> => act('reloadWindowAfterRun', { data });

/**
 * For index.ts, once mocha has finished: true when a test asked for a reload, which the runner
 * now performs, ending this extension host; false when the run ends as usual.
 */
export const reloadIfAsked = (failures: number): Promise<boolean> => act('reloadIfAsked', { failures });

/** In a run that a reload started, the data the run before it handed over; otherwise null. */
export const afterReload = <T extends Record<string, unknown>>(): Promise<T | null> => act('afterReload');

/**
 * Polls until `predicate` returns something truthy and resolves with it. Tests wait on the
 * condition a person would wait for, never on a fixed sleep. A predicate that throws counts
 * as "not yet"; its last error is reported if the time runs out.
 */
export async function waitFor<T>(
  predicate: () => T | Promise<T>,
  { timeoutMs = Deadline.ui, intervalMs = 100, message = 'condition' }: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await predicate();
      if (value) return value as NonNullable<T>;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= until) {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${message}${why}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
