/**
 * Before Start and Create and launch: will its pods fit? When the check says no, a modal warning
 * with the specifics, and the person decides (Start Anyway, or cancel). A check that cannot be
 * made is logged and never blocks: the action itself then says what the cluster says.
 */
import * as vscode from 'vscode';
import type { FitVerdict } from '../../bundles/loadKube';
import { fitWarning } from '../../core/observe/fitCheck';
import type { Logger } from './logger';
import type { UserInput } from './userInput';

export async function confirmFit(deps: { ui: UserInput; logger: Logger }, what: string, button: string, check: () => Promise<FitVerdict>): Promise<void> {
  let verdict: FitVerdict;
  try {
    verdict = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `Checking whether ${what.toLowerCase()} fits…` }, check);
  } catch (error) {
    deps.logger.warn(`Could not check whether ${what.toLowerCase()} fits; going on: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  for (const note of verdict.notes) deps.logger.info(`Fit check of ${what.toLowerCase()}: ${note}`);
  if (verdict.fits) return;
  deps.logger.warn(fitWarning(what, verdict));
  const detail = [...verdict.problems.map((p) => `• ${p}`), ...verdict.notes, 'Start it anyway if you expect room to be made (a scale-down elsewhere, a node being added).'].join('\n');
  await deps.ui.confirm(fitWarning(what, verdict), detail, button);
}
