import * as vscode from 'vscode';
import { RevisionDetailsViewType } from '../../shared/detailsProtocol';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';
import { RevisionDetailsPanel, type DetailsActions, type DetailsRef } from './revisionDetailsPanel';

const key = (ref: DetailsRef): string => `${ref.namespace}/${ref.service}/${ref.revision}`;

/** The ref a restored panel's webview kept in its state, checked before use. */
function savedRef(state: unknown): DetailsRef | undefined {
  if (typeof state !== 'object' || state === null) return undefined;
  const { service, revision, namespace } = state as Record<string, unknown>;
  if (typeof service !== 'string' || service.length > 253 || typeof namespace !== 'string' || namespace.length > 253) return undefined;
  if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 1) return undefined;
  return { service, revision, namespace };
}

/**
 * Opens revision details panels, one per revision (opening it again brings it to the front), and
 * brings them back after a window reload.
 */
export class RevisionDetailsPanels implements vscode.Disposable {
  private readonly open = new Map<string, RevisionDetailsPanel>();
  private actions: DetailsActions | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly session: ClusterSession,
    private readonly logger: Logger,
  ) {
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(RevisionDetailsViewType, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown): Promise<void> => {
          const ref = savedRef(state);
          if (!ref) {
            panel.dispose();
            return;
          }
          this.track(new RevisionDetailsPanel(panel, context.extensionUri, session, logger, ref, this.requireActions()));
        },
      }),
    );
  }

  /** The commands behind the panel's buttons (set once the commands are registered). */
  setActions(actions: DetailsActions): void {
    this.actions = actions;
  }

  private requireActions(): DetailsActions {
    if (!this.actions) throw new Error('The details panel opened before the commands were registered.');
    return this.actions;
  }

  private track(panel: RevisionDetailsPanel): RevisionDetailsPanel {
    const k = key(panel.ref);
    this.open.set(k, panel);
    panel.onDidClose(() => {
      if (this.open.get(k) === panel) this.open.delete(k);
    });
    return panel;
  }

  show(ref: DetailsRef): RevisionDetailsPanel {
    const existing = this.open.get(key(ref));
    if (existing) {
      existing.panel.reveal();
      return existing;
    }
    const { extensionUri } = this.context;
    const panel = vscode.window.createWebviewPanel(RevisionDetailsViewType, `${ref.service} #${ref.revision}`, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    return this.track(new RevisionDetailsPanel(panel, extensionUri, this.session, this.logger, ref, this.requireActions()));
  }

  /** The open panels (for the end-to-end tests). */
  get panels(): readonly RevisionDetailsPanel[] {
    return [...this.open.values()];
  }

  dispose(): void {
    for (const panel of this.open.values()) panel.panel.dispose();
    this.open.clear();
  }
}
