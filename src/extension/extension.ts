import type * as vscode from 'vscode';
import { engineLoaded } from '../bundles/loadEngine';
import { kubeLoaded } from '../bundles/loadKube';
import { registerCommands } from './commands/registerCommands';
import { ClusterChecks } from './common/clusterChecks';
import { ClusterSession } from './common/clusterSession';
import { Logger } from './common/logger';
import { RolloutDrivers } from './common/rolloutDrivers';
import { UserInputSeam } from './common/userInput';
import { RevisionDetailsPanels } from './details/revisionDetailsPanels';
import { RevisionForms } from './form/revisionForms';
import { registerLanguageFeatures } from './language/registerLanguageFeatures';
import { RevisionLogViews } from './logs/revisionLogTerminal';
import { registerRevisionsView } from './tree/registerRevisionsView';
import type { AgeClock } from './tree/ageClock';
import type { RevisionsTreeModel } from './tree/revisionsTreeModel';
import type { RevisionsTreeProvider } from './tree/revisionsTreeProvider';

/**
 * What activate() returns for the end-to-end tests (not a public API): the view's provider, so a
 * test reads the same nodes and items the view draws; the model, to wait for its state; and the
 * user-input seam, to answer the prompts of the commands it runs.
 */
export interface ExtensionTestApi {
  revisionsTree: RevisionsTreeProvider;
  revisionsModel: RevisionsTreeModel;
  /** Whether the rows' ages are being kept current (only while the view is visible). */
  ageClock: Pick<AgeClock, 'running'>;
  userInput: Pick<UserInputSeam, 'runWithAnswers' | 'prompts'>;
  /** Which lazy bundles activate() had loaded by the time it returned: neither, whatever is open. */
  loadedAtActivation: { engine: boolean; kube: boolean };
  /** The open revision details panels and log views, to read what they show. */
  observe: { details: RevisionDetailsPanels; logs: RevisionLogViews };
}

/**
 * Activation wires objects and returns: everything heavy (the Kubernetes client, the spec engine,
 * the webview) is created on first use so that opening a window stays cheap.
 */
export function activate(context: vscode.ExtensionContext): ExtensionTestApi {
  const logger = new Logger();
  const session = new ClusterSession(context.workspaceState, logger);
  const ui = new UserInputSeam();
  context.subscriptions.push(logger, session);
  const checks = new ClusterChecks(session, logger);
  const parses = registerLanguageFeatures(context, session, checks, logger);
  const drivers = new RolloutDrivers(logger);
  context.subscriptions.push(drivers);
  const forms = new RevisionForms(context, { session, logger, ui, checks, drivers });
  const tree = registerRevisionsView(context, session, logger);
  const details = new RevisionDetailsPanels(context, session, logger);
  const logs = new RevisionLogViews(logger);
  registerCommands({ context, session, logger, ui, tree, forms, parses, checks, details, logs, drivers });
  return {
    revisionsTree: tree.provider,
    revisionsModel: tree.model,
    ageClock: tree.ageClock,
    userInput: ui,
    observe: { details, logs },
    loadedAtActivation: { engine: engineLoaded(), kube: kubeLoaded() },
  };
}

export function deactivate(): void {
  // Nothing to release: every disposable is in context.subscriptions.
}
