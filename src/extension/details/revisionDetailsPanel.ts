import * as vscode from 'vscode';
import type { MetricsReading, RevisionClient, RevisionObserver } from '../../bundles/loadKube';
import { kubeErrorOf } from '../../core/kube/kubeErrors';
import { MetricsHistory, metricsView, podUsage } from '../../core/observe/metricsHistory';
import type { DetailsHostToWebview, LiveState, MetricsView, RevisionDetailsView } from '../../shared/detailsProtocol';
import { parseDetailsMessage } from '../../shared/detailsProtocol';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';
import { webviewHtml } from '../common/webviewHtml';

export interface DetailsRef {
  service: string;
  revision: number;
  namespace: string;
}

/** What the panel's buttons do, supplied by the commands (so they run through the same command wrapper). */
export interface DetailsActions {
  showLogs(ref: DetailsRef, previous: boolean): Thenable<unknown>;
  openSpec(ref: DetailsRef): Thenable<unknown>;
}

/** How often the metrics API is read while the panel is visible (metrics-server's own pace; src/kube/revisionMetrics.ts). */
const MetricsEveryMs = 10_000;

/**
 * One revision's details panel: a watch of its objects (never polling) feeding the "why not ready"
 * view, and the metrics API read every 10 s while the panel is visible, feeding the charts. Every
 * message from the webview goes through parseDetailsMessage first.
 */
export class RevisionDetailsPanel {
  private readonly disposables: vscode.Disposable[] = [];
  private observer: RevisionObserver | undefined;
  /** The connection the panel was opened on: switching the view's context or namespace later does not move it. */
  private client: RevisionClient | undefined;
  private lastMetricsRead = 0;
  private details: RevisionDetailsView | undefined;
  private metrics: MetricsView | undefined;
  private live: LiveState = { state: 'live' };
  private readonly history = new MetricsHistory();
  private metricsTimer: NodeJS.Timeout | undefined;
  private pods: Parameters<typeof podUsage>[1] = [];
  private disposed = false;
  private readonly closed = new vscode.EventEmitter<void>();
  readonly onDidClose = this.closed.event;

  constructor(
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly session: ClusterSession,
    private readonly logger: Logger,
    readonly ref: DetailsRef,
    private readonly actions: DetailsActions,
  ) {
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')] };
    panel.title = `${ref.service} #${ref.revision}`;
    panel.webview.html = webviewHtml(panel.webview, extensionUri, { script: 'details.js', style: 'details.css', title: `${ref.service} #${ref.revision}` });
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => void this.receive(raw)),
      // Shown again: read at once if the last reading is older than the interval.
      panel.onDidChangeViewState(() => this.scheduleMetrics(Math.max(0, this.lastMetricsRead + MetricsEveryMs - Date.now()))),
      panel.onDidDispose(() => this.dispose()),
    );
    void this.watch();
  }

  /** What the panel shows now (for the end-to-end tests and the serializer). */
  get shown(): { details?: RevisionDetailsView; metrics?: MetricsView; live: LiveState } {
    return { ...(this.details ? { details: this.details } : {}), ...(this.metrics ? { metrics: this.metrics } : {}), live: this.live };
  }

  private post(message: DetailsHostToWebview): void {
    if (!this.disposed) void this.panel.webview.postMessage(message);
  }

  private setLive(live: LiveState): void {
    this.live = live;
    this.post({ type: 'live', live });
  }

  private async watch(): Promise<void> {
    try {
      this.client = this.session.getClient();
      const observer = this.client.observe(this.ref);
      this.observer = observer;
      observer.onChange((observed) => {
        this.pods = observed.pods;
        this.details = observer.details(observed);
        const r = this.details.replicas;
        this.history.record({ t: Date.now() / 1000, cpu: null, memory: null, between: true, desired: r.desired, ready: r.ready });
        this.post({ type: 'details', details: this.details });
        if (this.metrics) this.post({ type: 'metrics', metrics: { ...this.metrics, samples: [...this.history.samples] } });
      });
      observer.onStatus((status) => this.setLive(status.kind === 'live' ? { state: 'live' } : { state: 'reconnecting', message: `${status.message} Retrying in ${Math.ceil(status.retryInMs / 1000)} s.` }));
      await observer.start();
      if (this.disposed) await observer.stop();
      else this.scheduleMetrics(0);
    } catch (error) {
      const message = kubeErrorOf(error)?.message ?? (error instanceof Error ? error.message : String(error));
      this.logger.error(`Details of revision ${this.ref.revision} of "${this.ref.service}": ${message}`, error);
      this.setLive({ state: 'failed', message });
    }
  }

  /** Reads metrics now and every MetricsEveryMs while the panel is visible; nothing while hidden. */
  private scheduleMetrics(delayMs = MetricsEveryMs): void {
    if (this.metricsTimer) clearTimeout(this.metricsTimer);
    this.metricsTimer = undefined;
    if (this.disposed || !this.panel.visible || !this.observer || !this.client) return;
    this.metricsTimer = setTimeout(() => void this.readMetrics(), delayMs);
  }

  private async readMetrics(): Promise<void> {
    let reading: MetricsReading;
    this.lastMetricsRead = Date.now();
    try {
      if (!this.client) return;
      reading = await this.client.readMetrics(this.ref);
    } catch (error) {
      reading = { ok: false, absence: 'unreachable', detail: error instanceof Error ? error.message : String(error) };
    }
    if (this.disposed) return;
    const r = this.details?.replicas ?? { desired: 0, ready: 0 };
    if (reading.ok) {
      const pods = podUsage(reading.items, this.pods);
      const cpu = pods.reduce((s, p) => s + p.cpu, 0);
      const memory = pods.reduce((s, p) => s + p.memory, 0);
      this.history.record({ t: Date.now() / 1000, cpu: pods.length > 0 ? cpu : null, memory: pods.length > 0 ? memory : null, desired: r.desired, ready: r.ready });
      this.metrics = metricsView(this.history, { pods });
    } else {
      this.history.record({ t: Date.now() / 1000, cpu: null, memory: null, desired: r.desired, ready: r.ready });
      this.metrics = metricsView(this.history, { absence: reading.absence, ...(reading.detail ? { detail: reading.detail } : {}) });
    }
    this.post({ type: 'metrics', metrics: this.metrics });
    this.scheduleMetrics();
  }

  private async receive(raw: unknown): Promise<void> {
    const parsed = parseDetailsMessage(raw);
    if (!parsed.ok) {
      this.logger.warn(`Revision details: refused a message from the webview: ${parsed.reason}`);
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ready':
        this.post({ type: 'live', live: this.live });
        if (this.details) this.post({ type: 'details', details: this.details });
        if (this.metrics) this.post({ type: 'metrics', metrics: this.metrics });
        return;
      case 'showLogs':
        await this.actions.showLogs(this.ref, message.previous);
        return;
      case 'openSpec':
        await this.actions.openSpec(this.ref);
        return;
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.metricsTimer) clearTimeout(this.metricsTimer);
    void this.observer?.stop();
    for (const d of this.disposables.splice(0)) d.dispose();
    this.closed.fire();
    this.closed.dispose();
  }
}
