// Shared by the revision form's tests (form.test.ts and the two halves of the reload test): how a
// person reaches, fills and reads the form's fields inside its webview.
import * as driver from './driver';

type TextTag = 'vscode-textfield' | 'vscode-textarea';

/** An input inside one of the form's fields (vscode-elements render the real input in a shadow root). */
export const input = (id: string, tag: TextTag = 'vscode-textfield') => `${tag}#${id} ${tag === 'vscode-textfield' ? 'input' : 'textarea'}`;
export const inFrames = { inFrames: true } as const;

/** Replaces a field's text key by key, as a person does. */
export async function fill(id: string, value: string, tag: TextTag = 'vscode-textfield'): Promise<void> {
  await driver.click(input(id, tag), inFrames);
  await driver.press('Control+a', input(id, tag), inFrames);
  await driver.press('Backspace', input(id, tag), inFrames);
  await driver.type(value, input(id, tag), inFrames);
}

/** Opens a blank form as a person does: Command Palette, "New Revision in Form", then "Blank form". */
export async function openBlankFormFromPalette(): Promise<void> {
  await driver.press('F1');
  await driver.waitForSelector('.quick-input-widget .quick-input-box input');
  await driver.type('Serve Revisions: New Revision in Form');
  await driver.waitForSelector('.quick-input-list .monaco-list-row.focused:has-text("New Revision in Form")');
  await driver.press('Enter');
  await driver.waitForSelector('.quick-input-list .monaco-list-row.focused:has-text("Blank form")');
  await driver.press('Enter');
  await driver.frameWaitForSelector('#form-title:has-text("New revision")');
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
