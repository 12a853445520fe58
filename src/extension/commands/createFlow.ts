/**
 * Creating a revision, the same from the form and from a YAML spec: the cluster checks first
 * (launching something that cannot run, or whose pods do not fit now, asks), then create (and start), then the first verdict on
 * its pods, so the message says what actually happened: "Created #5 of iris in namespace "demo"
 * and started; 2/2 ready", or "… started, but its pods are pending: 0/3 nodes are available: 3
 * Insufficient nvidia.com/gpu.", never "started" for a revision already failing.
 */
import * as vscode from 'vscode';
import { loadEngine } from '../../bundles/loadEngine';
import type { CreateResult } from '../../bundles/loadKube';
import { formMessage } from '../../core/form/fieldLabels';
import { launchOutcome } from '../../core/kube/launchOutcome';
import type { RevisionSpec } from '../../core/spec/revisionSpec';
import type { ClusterChecks } from '../common/clusterChecks';
import { confirmFit } from '../common/fitConfirmation';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';
import type { NotifySeverity } from '../common/notify';
import type { UserInput } from '../common/userInput';
import { revisionName } from '../tree/revisionPresentation';

/** How long a launch (Create and launch, Start) waits for the first verdict on the pods before it reports. */
export const VerdictWaitMs = 8_000;

export interface CreateFlowDeps {
  session: ClusterSession;
  logger: Logger;
  ui: UserInput;
  checks: ClusterChecks;
}

export interface CreateOutcome {
  result: CreateResult;
  /** One sentence for a notification or the form: what was created, where, and what its pods do. */
  text: string;
  severity: NotifySeverity;
}

/** The button that launches anyway; dismissing the question creates nothing. */
export const LaunchAnyway = 'Create and Launch Anyway';

/**
 * When launching, asks first if the cluster checks say the revision cannot run as it is (a
 * Secret that is missing, more GPUs than any node has, GPU autoscaling without custom metrics).
 * Throws UserCancelled when the person declines.
 */
async function confirmLaunchable(deps: CreateFlowDeps, spec: RevisionSpec, words: CreateWords): Promise<boolean> {
  const found = (await deps.checks.findings(spec)).filter((f) => loadEngine().preventsRunning(f));
  if (found.length === 0) return false;
  // In the words of where it was written: the form's field labels, or the spec's own paths.
  const blocking = found.map((f) => (words === 'form' ? formMessage(f) : f.message));
  const more = blocking.length > 1 ? ` (and ${blocking.length - 1} more: ${blocking.slice(1).join(' ')})` : '';
  await deps.ui.confirm(`Launch a revision of ${spec.service} that cannot run as it is?`, `${blocking[0] ?? ''}${more}\n\nCreate it without launching to fix this first, or launch anyway and watch it in the Revisions view.`, LaunchAnyway);
  return true;
}

/** Where the spec was written, for the words of a question about it: the form's labels or the YAML's paths. */
export type CreateWords = 'form' | 'yaml';

export async function createRevision(deps: CreateFlowDeps, spec: RevisionSpec, launch: boolean, words: CreateWords = 'yaml'): Promise<CreateOutcome> {
  const client = deps.session.getClient();
  // Then whether its pods fit the cluster now; one question at most: launching anyway what cannot run covers it.
  if (launch && !(await confirmLaunchable(deps, spec, words))) await confirmFit(deps, `A new revision of ${spec.service}`, LaunchAnyway, () => client.checkSpecFit(spec));
  const title = `${launch ? 'Creating and launching' : 'Creating'} a revision of ${spec.service}…`;
  const { result, verdict } = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, async (progress) => {
    // The client places it as every surface does: the spec's namespace, else the chosen one (resolveNamespace).
    const created = await client.create(spec, { launch });
    if (!created.started) return { result: created, verdict: undefined };
    progress.report({ message: `created ${revisionName(created)}; waiting for its pods…` });
    return { result: created, verdict: await client.firstVerdict(created, VerdictWaitMs) };
  });
  const outcome = result.started ? launchOutcome(verdict) : { severity: 'info' as const, text: '' };
  const text = `Created ${revisionName(result)} in namespace "${result.namespace}"${result.started ? ` and ${outcome.text}` : ''}${outcome.text.endsWith('.') ? '' : '.'}`;
  deps.logger.info(`${text} (context "${client.contextName}")`);
  return { result, text, severity: outcome.severity };
}
