// Shared by the revision form's tests (form.test.ts and the two halves of the reload test): how a
// person reaches, fills and reads the form's fields inside its webview.
import * as vscode from 'vscode';
import * as driver from './driver';

type TextTag = 'vscode-textfield' | 'vscode-textarea';

/** An input inside one of the form's fields (vscode-elements render the real input in a shadow root). */
export const input = (id: string, tag: TextTag = 'vscode-textfield') => `${tag}#${id} ${tag === 'vscode-textfield' ? 'input' : 'textarea'}`;
export const inFrames = { inFrames: true } as const;

/**
 * Replaces a field's text key by key, as a person does, and checks the field shows it. On a loaded
 * machine the workbench can take the focus for a moment (a notification, a view revealing a row),
 * and keys typed then land elsewhere; a person would see it and type again, and so does this.
 */
export async function fill(id: string, value: string, tag: TextTag = 'vscode-textfield'): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await driver.click(input(id, tag), inFrames);
    await driver.press('Control+a', input(id, tag), inFrames);
    await driver.press('Backspace', input(id, tag), inFrames);
    await driver.type(value, input(id, tag), inFrames);
    const shown = await driver.value(input(id, tag), inFrames);
    if (shown === value) return;
    if (attempt === 2) throw new Error(`field ${id} shows ${JSON.stringify(shown)} after typing ${JSON.stringify(value)} twice`);
    console.log(`    (field ${id} showed ${JSON.stringify(shown)} after typing ${JSON.stringify(value)}; typing it again)`);
  }
}

/**
 * After New Revision…: the form opens at once in a namespace without services, else after the
 * question "Blank form or a service?", answered here with Blank form.
 */
export async function chooseBlankForm(): Promise<void> {
  // A form tab, not a frame: the frame of a form closed a moment ago may linger.
  const formOpen = (): boolean => vscode.window.tabGroups.all.some((g) => g.tabs.some((t) => t.input instanceof vscode.TabInputWebview && t.label.startsWith('New revision')));
  const next = await driver.waitFor(
    async () => {
      if ((await driver.count('.quick-input-list .monaco-list-row.focused:has-text("Blank form")')) > 0) return 'pick';
      return formOpen() ? 'form' : undefined;
    },
    { message: 'the Blank form question or the form' },
  );
  if (next === 'pick') await driver.press('Enter');
  await driver.frameWaitForSelector('#form-title:has-text("New revision")');
}

/** Opens a blank form as a person does: Command Palette, "New Revision…", then "Blank form" if asked. */
export async function openBlankFormFromPalette(): Promise<void> {
  await driver.press('F1');
  await driver.waitForSelector('.quick-input-widget .quick-input-box input');
  await driver.type('Serve Revisions: New Revision…');
  await driver.waitForSelector('.quick-input-list .monaco-list-row.focused:has-text("New Revision…")');
  await driver.press('Enter');
  await chooseBlankForm();
}

/** The text a field shows. */
export const fieldValue = (id: string, tag: TextTag = 'vscode-textfield'): Promise<string> => driver.value(input(id, tag), inFrames);

/** What the reload test types into a blank form before the reload and expects to see after it. */
export interface ReloadDraft {
  service: string;
  namespace: string;
  message: string;
  image: string;
  cpu: string;
  memory: string;
  envName: string;
  envValue: string;
}
