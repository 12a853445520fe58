import * as vscode from 'vscode';
import type { RevisionClient } from '../../bundles/loadKube';
import type { RolloutView } from '../../core/traffic/rollout';
import { CommandIds } from '../ids';
import type { Logger } from './logger';
import { notify } from './notify';

/** What a drive ended with (the kube bundle's DriveResult, as data). */
interface DriveEnd {
  state: string;
  message: string;
}

/**
 * The rollouts this window drives, in the background: one status bar item each, showing the step
 * and progress (click: pause, resume or abort). Closing the window stops driving them: each stays
 * at its last applied step, shown paused to every other window and the CLI until resumed.
 */
export class RolloutDrivers implements vscode.Disposable {
  private readonly running = new Map<string, { controller: AbortController; item: vscode.StatusBarItem; done: Promise<DriveEnd> }>();

  constructor(private readonly logger: Logger) {}

  private key(service: string, namespace: string, context: string): string {
    return `${context}/${namespace}/${service}`;
  }

  isDriving(client: RevisionClient, service: string, namespace: string): boolean {
    return this.running.has(this.key(service, namespace, client.contextName));
  }

  private show(item: vscode.StatusBarItem, service: string, view: RolloutView): void {
    const step = view.step < 0 ? 'starting' : `${view.percent}% (step ${view.step + 1}/${view.steps.length})`;
    const icon = view.state === 'progressing' ? '$(sync~spin)' : view.state === 'waiting-approval' ? '$(question)' : '$(debug-pause)';
    item.text = `${icon} ${service} → #${view.target} ${step}`;
    item.tooltip = `Rollout of revision ${view.target} of "${service}": ${view.state}${view.message ? ` — ${view.message}` : ''}. Driven by this window; click to pause, resume or abort.`;
  }

  /** Drives the service's rollout until it ends; resolves with how it ended (a message is shown too). */
  drive(client: RevisionClient, service: string, namespace: string, driver: string): Promise<DriveEnd> {
    const key = this.key(service, namespace, client.contextName);
    const existing = this.running.get(key);
    if (existing) return existing.done;
    const controller = new AbortController();
    const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
    item.text = `$(sync~spin) ${service}: rollout starting`;
    item.command = { command: CommandIds.rolloutActions, title: 'Rollout', arguments: [{ service, namespace }] };
    item.show();
    const done = client.traffic
      .driver(service, driver, { namespace, signal: controller.signal, onUpdate: (view) => this.show(item, service, view) })
      .run()
      .then(
        (result) => {
          this.logger.info(`Rollout of "${service}" in namespace "${namespace}": ${result.state}: ${result.message}`);
          if (result.state === 'done') void notify(this.logger, 'info', `Rollout of ${service} done: ${result.message}.`);
          else if (result.state === 'aborted') void notify(this.logger, 'warning', `Rollout of ${service} aborted: ${result.message}.`);
          return { state: result.state, message: result.message };
        },
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          this.logger.error(message, error);
          void notify(this.logger, 'error', message);
          return { state: 'failed', message };
        },
      )
      .finally(() => {
        item.dispose();
        this.running.delete(key);
      });
    this.running.set(key, { controller, item, done });
    return done;
  }

  dispose(): void {
    for (const { controller } of this.running.values()) controller.abort();
  }
}
