import * as vscode from 'vscode';
import type { Logger } from './logger';
import { notify } from './notify';
import { UserCancelled } from './userInput';

export interface CommandOptions {
  /** Shown in a progress notification while the command runs; omit for quick commands. */
  progressTitle?: string;
}

/**
 * Every command goes through here: it logs, shows progress for long work, stays silent when the
 * user cancels, and turns failures into a short message that names what failed, with the whole
 * text behind Show Details and a button to the log.
 */
export function registerCommand<Args extends unknown[]>(
  logger: Logger,
  id: string,
  handler: (...args: Args) => Promise<unknown>,
  options: CommandOptions = {},
): vscode.Disposable {
  return vscode.commands.registerCommand(id, async (...args: Args) => {
    logger.debug(`Command ${id}`);
    try {
      if (options.progressTitle) {
        return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: options.progressTitle }, () => handler(...args));
      }
      return await handler(...args);
    } catch (error) {
      if (error instanceof UserCancelled) return undefined;
      const message = error instanceof Error ? error.message : String(error);
      logger.error(message, error);
      void notify(logger, 'error', message);
      return undefined;
    }
  });
}
