import * as vscode from 'vscode';
import { loadEngine } from '../../bundles/loadEngine';
import type { RevisionSpec } from '../../core/spec/revisionSpec';
import type { AfterLaunch, FormOrigin, HostToWebview } from '../../shared/formProtocol';
import type { RolloutDrivers } from '../common/rolloutDrivers';
import type { RevealTarget } from '../tree/revealRevision';
import { createRevision, type CreateFlowDeps } from '../commands/createFlow';
import { notify } from '../common/notify';
import { UserCancelled } from '../common/userInput';
import { webviewHtml } from '../common/webviewHtml';
import { CommandIds, LanguageId } from '../ids';
import { revisionName } from '../tree/revisionPresentation';

/** What the form needs: the create flow's parts, and the rollouts this window drives (the after-launch choice). */
export interface FormDeps extends CreateFlowDeps {
  drivers: RolloutDrivers;
}

/**
 * One open form: its webview panel, the draft it started from and the messages it exchanges.
 * Every message from the webview goes through guardFormMessage first.
 */
export class RevisionFormPanel {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly deps: FormDeps,
    private readonly spec: Record<string, unknown>,
    private readonly origin: FormOrigin,
  ) {
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.title = this.title();
    panel.webview.html = webviewHtml(panel.webview, extensionUri, { script: 'webview.js', style: 'webview.css', title: this.title() });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  private title(): string {
    if (this.origin.kind === 'reproduce') return `Reproduce ${revisionName({ service: this.origin.service ?? '', revision: this.origin.revision ?? 0 })}`;
    if (this.origin.kind === 'service') return `New revision of ${this.origin.service ?? ''}`;
    return 'New revision';
  }

  private post(message: HostToWebview): void {
    void this.panel.webview.postMessage(message);
  }

  private target(): { context?: string; namespace?: string } {
    try {
      const client = this.deps.session.getClient();
      return { context: client.contextName, namespace: client.namespace };
    } catch {
      // No kubeconfig yet: the form still works for Open as YAML; create says what is missing.
      return this.deps.session.target;
    }
  }

  private async receive(raw: unknown): Promise<void> {
    const guarded = loadEngine().guardFormMessage(raw);
    if (!guarded.ok) {
      this.deps.logger.warn(`Revision form: refused a message from the webview: ${guarded.reason}`);
      if (guarded.requestId !== undefined) {
        this.post({ type: 'result', requestId: guarded.requestId, ok: false, message: `Could not act on the form: ${guarded.reason}. Fix the values marked in the form and try again.` });
      }
      return;
    }
    const message = guarded.message;
    switch (message.type) {
      case 'ready': {
        const { context, namespace } = this.target();
        this.post({ type: 'init', spec: this.spec, origin: this.origin, ...(context ? { context } : {}), ...(namespace ? { namespace } : {}) });
        return;
      }
      case 'cancel':
        this.panel.dispose();
        return;
      case 'openYaml': {
        const doc = await vscode.workspace.openTextDocument({ language: LanguageId, content: loadEngine().stringifyYaml(message.spec, { lineWidth: 0 }) });
        await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside });
        this.post({ type: 'result', requestId: message.requestId, ok: true, message: 'Opened the spec as YAML beside the form.' });
        return;
      }
      case 'create':
        await this.create(message.requestId, message.spec as unknown as RevisionSpec, message.launch, message.afterLaunch ?? 'keep');
        return;
      case 'checkCluster': {
        // The same checks as the YAML editor's diagnostics (ClusterChecks), by field path.
        const { findings, unavailable } = await this.deps.checks.check(message.spec);
        this.post({ type: 'clusterFindings', requestId: message.requestId, findings: findings.map((f) => ({ severity: f.severity, message: f.message, path: [...f.path], code: f.code, target: f.target })), ...(unavailable ? { unavailable } : {}) });
        return;
      }
    }
  }

  /**
   * After a launch: all traffic to the new revision once ready, or a rollout to it (the service's
   * plan, driven by this window). A service's first revision has all the traffic already.
   */
  private async afterLaunch(result: { service: string; revision: number; namespace: string }, choice: AfterLaunch): Promise<string> {
    if (choice === 'keep') return '';
    const client = this.deps.session.getClient();
    const title = choice === 'route' ? `Routing all traffic of ${result.service} to ${revisionName(result)}…` : `Starting a rollout to ${revisionName(result)}…`;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, async (progress) => {
      const service = await client.traffic.service(result.service, result.namespace);
      if (service.revisions.find((r) => r.revision === result.revision)?.traffic?.percent === 100) return " It is the service's first serving revision, so it has all the traffic.";
      const by = await client.traffic.describeClient('VS Code');
      if (choice === 'route') {
        await client.traffic.routeAll(result, { by, onProgress: (message) => progress.report({ message }) });
        return ' All traffic now goes to it.';
      }
      await client.traffic.startRollout(result.service, result.revision, undefined, { namespace: result.namespace, driver: by });
      void this.deps.drivers.drive(client, result.service, result.namespace, by);
      return " A rollout to it started (the service's plan), driven by this window.";
    });
  }

  private async create(requestId: number, spec: RevisionSpec, launch: boolean, afterLaunch: AfterLaunch): Promise<void> {
    try {
      const outcome = await createRevision(this.deps, spec, launch, 'form');
      const { result } = outcome;
      let { text, severity } = outcome;
      if (result.started && afterLaunch !== 'keep') {
        // The revision exists whatever happens next: a traffic failure is said, never reported as a failed create.
        try {
          text += await this.afterLaunch(result, afterLaunch);
        } catch (error) {
          const why = error instanceof Error ? error.message : String(error);
          this.deps.logger.error(`Revision form: after creating ${revisionName(result)}: ${why}`, error);
          text += ` Its traffic did not move: ${why}`;
          severity = 'warning';
        }
      }
      this.post({ type: 'result', requestId, ok: true, message: text });
      void notify(this.deps.logger, severity, text);
      this.panel.dispose();
      // After closing: the tree takes focus with the new revision selected once the watch has it.
      const target: RevealTarget = { service: result.service, revision: result.revision, namespace: result.namespace };
      void vscode.commands.executeCommand(CommandIds.revealRevision, target);
    } catch (error) {
      if (error instanceof UserCancelled) {
        this.post({ type: 'result', requestId, ok: false, cancelled: true, message: 'Nothing was created. Fix what the warning said, or use Create revision to store it without launching.' });
        return;
      }
      const text = error instanceof Error ? error.message : String(error);
      this.deps.logger.error(`Revision form: ${text}`, error);
      // The webview keeps every value; the person fixes the cause and tries again.
      this.post({ type: 'result', requestId, ok: false, message: text });
    }
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

