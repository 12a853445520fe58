import * as vscode from 'vscode';
import { hasMoreDetail, notificationSummary } from '../../core/notificationText';
import type { Logger } from './logger';

export type NotifySeverity = 'info' | 'warning' | 'error';

export interface NotifyOptions {
  /** Buttons of the command's own (e.g. "Start Again"), before Show Details / Show Log; resolved with the one pressed. */
  actions?: string[];
  /** Offer Show Log (the log holds the full text and what led to it). Default: for warnings and errors. */
  showLog?: boolean;
  /** What Show Details shows, when it is more than `text` itself. */
  details?: string;
}

const ShowDetails = 'Show Details';
const ShowLog = 'Show Log';

function show(severity: NotifySeverity, text: string, options: vscode.MessageOptions, items: string[]): Thenable<string | undefined> {
  if (severity === 'error') return vscode.window.showErrorMessage(text, options, ...items);
  if (severity === 'warning') return vscode.window.showWarningMessage(text, options, ...items);
  return vscode.window.showInformationMessage(text, options, ...items);
}

/**
 * A notification of one or two lines: the first sentences of `text`, with *Show Details* (the
 * whole text in a dialog) when they leave something out, and *Show Log*. Not awaited by callers
 * that go on; resolves with the command's own action the person chose, if any.
 */
export async function notify(logger: Logger, severity: NotifySeverity, text: string, options: NotifyOptions = {}): Promise<string | undefined> {
  const summary = notificationSummary(text);
  const items = [...(options.actions ?? [])];
  const details = options.details ?? text;
  if (options.details !== undefined || hasMoreDetail(text)) items.push(ShowDetails);
  if (options.showLog ?? severity !== 'info') items.push(ShowLog);
  const choice = await show(severity, summary, {}, items);
  // The whole text in a dialog: modal, so it can be long and read through.
  if (choice === ShowDetails) await show(severity, summary, { modal: true, detail: details }, []);
  if (choice === ShowLog) logger.show();
  return choice !== undefined && options.actions?.includes(choice) ? choice : undefined;
}
