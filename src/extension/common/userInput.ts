import * as vscode from 'vscode';

/** Thrown when the person dismisses a prompt: the command ends silently (registerCommand). */
export class UserCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'UserCancelled';
  }
}

/**
 * Every question the extension asks a person goes through here: quick picks, input boxes, modal
 * confirmations and open dialogs. Each returns the answer or throws UserCancelled when the person
 * dismisses it, so a command reads straight through. Tests answer through the same seam
 * (UserInputSeam.runWithAnswers), so the commands a person runs are the commands the tests run.
 */
/** A quick pick's options; `active` is the item highlighted when it opens, so Enter keeps the current choice. */
export interface PickOptions<T> extends vscode.QuickPickOptions {
  active?: T;
}

export interface UserInput {
  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions<T>): Promise<T>;
  ask(options: vscode.InputBoxOptions): Promise<string>;
  /** A modal question; the chosen button. Dismissing it (Cancel, Escape) throws UserCancelled. */
  confirm(message: string, detail: string, button: string): Promise<string>;
  /** A modal question with several buttons (e.g. "Route All Traffic", "Compare First"); the one chosen. */
  choose(message: string, detail: string, buttons: readonly string[]): Promise<string>;
  openFiles(options: vscode.OpenDialogOptions): Promise<vscode.Uri[]>;
}

function answered<T>(value: T | undefined): T {
  if (value === undefined) throw new UserCancelled();
  return value;
}

/** A person answers, in VS Code's own widgets. */
class VsCodeUserInput implements UserInput {
  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions<T>): Promise<T> {
    const { active, ...rest } = options;
    if (active === undefined) return answered(await vscode.window.showQuickPick(items, rest));
    // showQuickPick always highlights the first item; a QuickPick can start on the current one.
    const quickPick = vscode.window.createQuickPick<T>();
    quickPick.items = items;
    quickPick.activeItems = [active];
    if (rest.title) quickPick.title = rest.title;
    if (rest.placeHolder) quickPick.placeholder = rest.placeHolder;
    quickPick.matchOnDescription = rest.matchOnDescription ?? false;
    quickPick.matchOnDetail = rest.matchOnDetail ?? false;
    const chosen = await new Promise<T | undefined>((resolve) => {
      quickPick.onDidAccept(() => {
        resolve(quickPick.selectedItems[0] ?? quickPick.activeItems[0]);
        quickPick.hide();
      });
      quickPick.onDidHide(() => resolve(undefined));
      quickPick.show();
    });
    quickPick.dispose();
    return answered(chosen);
  }

  async ask(options: vscode.InputBoxOptions): Promise<string> {
    return answered(await vscode.window.showInputBox(options));
  }

  async confirm(message: string, detail: string, button: string): Promise<string> {
    return answered(await vscode.window.showWarningMessage(message, { modal: true, detail }, button));
  }

  async choose(message: string, detail: string, buttons: readonly string[]): Promise<string> {
    return answered(await vscode.window.showWarningMessage(message, { modal: true, detail }, ...buttons));
  }

  async openFiles(options: vscode.OpenDialogOptions): Promise<vscode.Uri[]> {
    return answered(await vscode.window.showOpenDialog(options));
  }
}

/**
 * A scripted answer: for a quick pick the label of the item to choose (or a pattern it matches),
 * for an input box the text typed (checked by the box's own validation), for a confirmation the
 * button pressed, for an open dialog the path of the file chosen.
 */
export type ScriptedAnswer = string | RegExp;

/** Answers prompts from a queue; any prompt it cannot answer is recorded and fails the test. */
class ScriptedUserInput implements UserInput {
  readonly problems: string[] = [];
  /** Every prompt as a person would have seen it, in order: what a test asserts was asked. */
  readonly asked: string[] = [];

  constructor(private readonly answers: ScriptedAnswer[]) {}

  get unused(): readonly ScriptedAnswer[] {
    return this.answers;
  }

  private next(prompt: string): ScriptedAnswer {
    const answer = this.answers.shift();
    if (answer === undefined) return this.fail(`unexpected prompt "${prompt}": no scripted answer left`);
    return answer;
  }

  private fail(problem: string): never {
    this.problems.push(problem);
    throw new Error(`Scripted user input: ${problem}`);
  }

  private static matches(answer: ScriptedAnswer, text: string): boolean {
    return typeof answer === 'string' ? answer === text : answer.test(text);
  }

  async pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions<T>): Promise<T> {
    const prompt = options.title ?? options.placeHolder ?? 'quick pick';
    this.asked.push(`pick "${prompt}": ${items.map((i) => i.label).join(' | ')}${options.active ? ` (active: ${options.active.label})` : ''}`);
    const answer = this.next(prompt);
    return items.find((item) => ScriptedUserInput.matches(answer, item.label)) ?? this.fail(`"${prompt}" offers no item ${String(answer)}; it offers ${items.map((i) => `"${i.label}"`).join(', ')}`);
  }

  async ask(options: vscode.InputBoxOptions): Promise<string> {
    const prompt = options.prompt ?? options.title ?? 'input box';
    this.asked.push(`ask "${prompt}"`);
    const answer = this.next(prompt);
    if (typeof answer !== 'string') return this.fail(`"${prompt}" needs a text answer, not ${String(answer)}`);
    const refusal = await options.validateInput?.(answer);
    if (refusal) this.fail(`"${prompt}" refuses "${answer}": ${typeof refusal === 'string' ? refusal : refusal.message}`);
    return answer;
  }

  async confirm(message: string, detail: string, button: string): Promise<string> {
    this.asked.push(`confirm "${message}" ${detail} [${button}]`);
    const answer = this.next(message);
    if (!ScriptedUserInput.matches(answer, button)) throw new UserCancelled();
    return button;
  }

  async choose(message: string, _detail: string, buttons: readonly string[]): Promise<string> {
    const answer = this.next(message);
    const chosen = buttons.find((b) => ScriptedUserInput.matches(answer, b));
    if (!chosen) throw new UserCancelled();
    return chosen;
  }

  async openFiles(options: vscode.OpenDialogOptions): Promise<vscode.Uri[]> {
    const answer = this.next(options.title ?? 'open dialog');
    if (typeof answer !== 'string') return this.fail(`an open dialog needs a path, not ${String(answer)}`);
    return [vscode.Uri.file(answer)];
  }
}

/** The one UserInput every command uses: a person's answers, or while a test runs, scripted ones. */
export class UserInputSeam implements UserInput {
  private readonly person = new VsCodeUserInput();
  private scripted: ScriptedUserInput | undefined;
  private lastAsked: readonly string[] = [];

  /** What the last runWithAnswers was asked, in order (`confirm "Stop #2 of iris? …" <detail> [Stop]`). */
  get prompts(): readonly string[] {
    return this.lastAsked;
  }

  private get current(): UserInput {
    return this.scripted ?? this.person;
  }

  pick<T extends vscode.QuickPickItem>(items: readonly T[], options: PickOptions<T>): Promise<T> {
    return this.current.pick(items, options);
  }

  ask(options: vscode.InputBoxOptions): Promise<string> {
    return this.current.ask(options);
  }

  confirm(message: string, detail: string, button: string): Promise<string> {
    return this.current.confirm(message, detail, button);
  }

  choose(message: string, detail: string, buttons: readonly string[]): Promise<string> {
    return this.current.choose(message, detail, buttons);
  }

  openFiles(options: vscode.OpenDialogOptions): Promise<vscode.Uri[]> {
    return this.current.openFiles(options);
  }

  /**
   * For tests: runs `action` (typically a command) with every prompt answered from `answers` in
   * order, then fails when a prompt found no fitting answer or an answer was left unused.
   */
  async runWithAnswers<T>(answers: readonly ScriptedAnswer[], action: () => Thenable<T>): Promise<T> {
    if (this.scripted) throw new Error('Scripted user input: runWithAnswers does not nest.');
    const scripted = new ScriptedUserInput([...answers]);
    this.scripted = scripted;
    try {
      const result = await action();
      if (scripted.problems.length > 0) throw new Error(`Scripted user input: ${scripted.problems.join('; ')}`);
      if (scripted.unused.length > 0) throw new Error(`Scripted user input: ${scripted.unused.length} answer(s) left unused: ${scripted.unused.map(String).join(', ')}`);
      return result;
    } finally {
      this.lastAsked = scripted.asked;
      this.scripted = undefined;
    }
  }
}
