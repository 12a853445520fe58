// Shared by the revision form's tests: how a person fills the form's fields inside its webview.
import * as driver from './driver';

type TextTag = 'vscode-textfield' | 'vscode-textarea';

/** An input inside one of the form's fields (vscode-elements render the real input in a shadow root). */
export const input = (id: string, tag: TextTag = 'vscode-textfield') => `${tag}#${id} ${tag === 'vscode-textfield' ? 'input' : 'textarea'}`;
export const inFrames = { inFrames: true, timeoutMs: 15_000 } as const;

/** Replaces a field's text key by key, as a person does. */
export async function fill(id: string, value: string, tag: TextTag = 'vscode-textfield'): Promise<void> {
  await driver.click(input(id, tag), inFrames);
  await driver.press('Control+a', input(id, tag), inFrames);
  await driver.press('Backspace', input(id, tag), inFrames);
  await driver.type(value, input(id, tag), inFrames);
}
