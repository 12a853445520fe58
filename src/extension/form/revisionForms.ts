import * as vscode from 'vscode';
import { loadEngine } from '../../bundles/loadEngine';
import { kubeErrorOf } from '../../core/kube/kubeErrors';
import { nextRevisionDraft } from '../../core/kube/revisionRecord';
import type { FormTarget } from '../../core/form/formTarget';
import { starterSpec } from '../../core/spec/specDefaults';
import { RevisionFormViewType, type FormOrigin } from '../../shared/formProtocol';
import { RevisionFormPanel, type FormDeps } from './revisionFormPanel';

/** A fresh spec with the values a new service usually starts from. */
function blankSpec(service = ''): Record<string, unknown> {
  return { ...starterSpec({ service, message: '', image: '' }) };
}

/**
 * Opens revision forms: blank, for a service (prefilled from its latest revision) or to reproduce
 * a revision; and brings a form back after a window reload (the webview keeps its own draft).
 */
export class RevisionForms {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly deps: FormDeps,
  ) {
    context.subscriptions.push(
      vscode.window.registerWebviewPanelSerializer(RevisionFormViewType, {
        deserializeWebviewPanel: async (panel: vscode.WebviewPanel, state: unknown): Promise<void> => {
          // The webview restores its own draft from this state; the host only needs the origin.
          const origin = loadEngine().parseSavedOrigin(state) ?? { kind: 'blank' };
          new RevisionFormPanel(panel, context.extensionUri, deps, blankSpec(origin.service), origin);
        },
      }),
    );
  }

  private open(spec: Record<string, unknown>, origin: FormOrigin): void {
    const { extensionUri } = this.context;
    const panel = vscode.window.createWebviewPanel(RevisionFormViewType, 'New revision', vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    });
    new RevisionFormPanel(panel, extensionUri, this.deps, spec, origin);
  }

  openBlank(): void {
    this.open(blankSpec(), { kind: 'blank' });
  }

  /** A new revision of a service, prefilled from its latest revision with a readable spec (blank when it has none). */
  async openForService(target: FormTarget): Promise<void> {
    const client = this.deps.session.getClient();
    const service = await client.listService(target.service ?? '', target.namespace);
    // Newest first; the model holds no spec, so each is read until one can be (a record whose
    // spec cannot be read is skipped; a cluster that cannot be read fails the command).
    for (const revision of service?.revisions ?? []) {
      const stored = await client.readRecord({ service: revision.service, revision: revision.revision, namespace: revision.namespace }).catch((error: unknown) => {
        if (kubeErrorOf(error)?.code !== 'unreadableSpec') throw error;
        this.deps.logger.warn(`Revision form: skipping revision ${revision.revision} of "${revision.service}": ${kubeErrorOf(error)?.message ?? String(error)}`);
        return undefined;
      });
      if (stored) {
        this.open(nextRevisionDraft(stored.spec) as unknown as Record<string, unknown>, { kind: 'service', service: revision.service, revision: revision.revision });
        return;
      }
    }
    this.open(blankSpec(target.service), { kind: 'blank' });
  }

  /** A reproduction of a stored revision: the same settings, recording where it came from. */
  async openReproduction(ref: { service: string; revision: number; namespace?: string }): Promise<void> {
    const draft = await this.deps.session.getClient().reproduceDraft(ref);
    this.open(draft as unknown as Record<string, unknown>, { kind: 'reproduce', service: ref.service, revision: ref.revision });
  }
}
