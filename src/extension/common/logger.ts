import * as vscode from 'vscode';

/**
 * One log for the extension, over a LogOutputChannel (the user picks the level). Messages are
 * ours: never pass tokens, kubeconfig contents or Secret values here.
 */
export class Logger implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;

  constructor(name = 'Serve Revisions') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  trace(message: string): void {
    this.channel.trace(message);
  }

  debug(message: string): void {
    this.channel.debug(message);
  }

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string, error?: unknown): void {
    if (error instanceof Error && error.stack && error.message !== message) this.channel.error(`${message}\n${error.stack}`);
    else this.channel.error(message);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
