/**
 * Looking at a revision: Show Details (why it is not ready, live, with its metrics), Show Logs
 * (all its pods, followed from the last 100 lines) and Show Logs with Options… (previous
 * containers, since, a filter).
 */
import * as vscode from 'vscode';
import { parseLogFilter, parseSince } from '../../core/observe/logLines';
import { registerCommand } from '../common/registerCommand';
import type { DetailsRef } from '../details/revisionDetailsPanel';
import { CommandIds } from '../ids';
import type { LogViewOptions } from '../logs/revisionLogTerminal';
import type { CommandDeps } from './commandDeps';
import { target, type RevisionArg } from './revisionCommands';
import { revisionName } from '../tree/revisionPresentation';

const refOf = (r: { service: string; revision: number; namespace: string }): DetailsRef => ({ service: r.service, revision: r.revision, namespace: r.namespace });

function showLogs(deps: CommandDeps, ref: DetailsRef, options: LogViewOptions): void {
  deps.logs.open(deps.session.getClient(), ref, options);
}

/** What to show, asked in two steps: which log and from where, then an optional filter. */
async function askLogOptions(deps: CommandDeps, title: string): Promise<LogViewOptions> {
  const mode = await deps.ui.pick(
    [
      { label: 'Follow', description: 'new lines as they come, from the last lines of each pod', mode: 'follow' as const },
      { label: 'Previous containers', description: 'why the last containers exited (pods that restarted)', mode: 'previous' as const },
    ],
    { title, placeHolder: 'Which logs?' },
  );
  const from = await deps.ui.ask({
    title,
    prompt: 'From the last N lines of each pod, or since a time ago (30s, 10m, 1h)',
    value: '100',
    validateInput: (t) => (/^\d+$/.test(t.trim()) || parseSince(t) !== undefined ? undefined : 'Enter a number of lines (100) or a duration (10m).'),
  });
  const filterText = await deps.ui.ask({
    title,
    prompt: 'Show only lines containing (text, or /regular expression/); leave empty for every line',
    value: '',
    validateInput: (t) => {
      try {
        parseLogFilter(t);
        return undefined;
      } catch (error) {
        return (error as Error).message;
      }
    },
  });
  const filter = parseLogFilter(filterText);
  const since = /^\d+$/.test(from.trim()) ? undefined : parseSince(from);
  return {
    ...(mode.mode === 'previous' ? { previous: true, follow: false } : { follow: true }),
    ...(since !== undefined ? { sinceSeconds: since } : { tailLines: Number(from.trim()) }),
    ...(filter ? { filter } : {}),
  };
}

export function registerObserveCommands(deps: CommandDeps): void {
  const { logger } = deps;
  deps.details.setActions({
    showLogs: (ref, previous) => vscode.commands.executeCommand(CommandIds.showLogs, { ...ref, previous }),
    openSpec: (ref) => vscode.commands.executeCommand(CommandIds.openSpec, ref),
  });
  deps.context.subscriptions.push(
    deps.details,
    registerCommand(logger, CommandIds.showDetails, async (arg?: RevisionArg) => {
      const r = await target(deps, arg, 'Revision whose details to show');
      deps.details.show(refOf(r));
    }),
    registerCommand(logger, CommandIds.showLogs, async (arg?: RevisionArg & { previous?: boolean }) => {
      const r = await target(deps, arg, 'Revision whose logs to show', (x) => x.state.kind !== 'stopped');
      const previous = typeof arg === 'object' && arg !== null && 'previous' in arg && arg.previous === true;
      showLogs(deps, refOf(r), previous ? { previous: true, follow: false } : { follow: true });
    }),
    registerCommand(logger, CommandIds.showLogsWithOptions, async (arg?: RevisionArg) => {
      const r = await target(deps, arg, 'Revision whose logs to show', (x) => x.state.kind !== 'stopped');
      showLogs(deps, refOf(r), await askLogOptions(deps, `Logs of ${revisionName(r)}`));
    }),
  );
}
