import type * as vscode from 'vscode';
import type { ClusterChecks } from '../common/clusterChecks';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';
import type { RolloutDrivers } from '../common/rolloutDrivers';
import type { UserInput } from '../common/userInput';
import type { RevisionDetailsPanels } from '../details/revisionDetailsPanels';
import type { RevisionForms } from '../form/revisionForms';
import type { ParseCache } from '../language/parseCache';
import type { RevisionLogViews } from '../logs/revisionLogTerminal';
import type { RevisionsView } from '../tree/registerRevisionsView';

/** What the commands act through, built once in activate(). */
export interface CommandDeps {
  context: vscode.ExtensionContext;
  session: ClusterSession;
  logger: Logger;
  /** Every prompt goes through it, so tests answer the same commands a person runs. */
  ui: UserInput;
  tree: RevisionsView;
  forms: RevisionForms;
  /** The language features' parses of open specs, shared with the spec commands. */
  parses: ParseCache;
  /** The rollouts this window drives. */
  drivers: RolloutDrivers;
  /** The cluster checks every surface shares (editor, form, create and launch, dry run). */
  checks: ClusterChecks;
  /** Revision details panels (Show Details) and log views (Show Logs). */
  details: RevisionDetailsPanels;
  logs: RevisionLogViews;
}
