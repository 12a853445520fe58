import type * as vscode from 'vscode';
import type { ClusterChecks } from '../common/clusterChecks';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';
import { DiagnosticsScheduler } from './diagnosticsScheduler';
import { ParseCache } from './parseCache';
import { registerSpecProviders } from './specProviders';

/**
 * The YAML language features of revision specs: debounced diagnostics with cluster-aware warnings
 * (diagnosticsScheduler), and completion, hover, quick fixes and CodeLens (specProviders). The
 * work is done by the pure code in src/core/language; this only adapts it. Returns the parse
 * cache the spec commands share.
 */
export function registerLanguageFeatures(context: vscode.ExtensionContext, session: ClusterSession, checks: ClusterChecks, logger: Logger): ParseCache {
  const parses = new ParseCache();
  context.subscriptions.push(new DiagnosticsScheduler(session, checks, parses, logger));
  registerSpecProviders(context, session, parses);
  return parses;
}
