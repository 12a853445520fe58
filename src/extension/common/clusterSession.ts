import * as vscode from 'vscode';
import { loadKube, type Kube } from '../../core/kube/loadKube';
import type { KubeconfigContexts, RevisionClient } from '../../kube/index';
import type { Logger } from './logger';

/** The extension's own choice of context and namespace, per workspace; the kubeconfig is never written. */
export interface ClusterTarget {
  context?: string;
  namespace?: string;
}

const TargetKey = 'serveRevisions.clusterTarget';

/**
 * The connection to the cluster, made on first use: loading the Kubernetes bundle costs
 * ~200 ms, so activation never does it. Fires onDidChangeTarget when the user switches context
 * or namespace, so the tree and the language features follow.
 */
export class ClusterSession implements vscode.Disposable {
  private client: RevisionClient | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTarget = this.changed.event;
  private readonly settingsWatch: vscode.Disposable;

  constructor(
    private readonly state: vscode.Memento,
    private readonly logger: Logger,
    private readonly load: () => Kube = loadKube,
  ) {
    // Another kubeconfig file (or GPU resource name): connect afresh, as Retry would.
    this.settingsWatch = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('serveRevisions.kubeconfig') || e.affectsConfiguration('serveRevisions.gpuResourceName')) this.reset();
    });
  }

  get target(): ClusterTarget {
    return this.state.get<ClusterTarget>(TargetKey) ?? {};
  }

  /** The kubeconfig file to read: the setting, else KUBECONFIG / ~/.kube/config as kubectl does. */
  private kubeconfigPath(): string | undefined {
    const configured = vscode.workspace.getConfiguration('serveRevisions').get<string>('kubeconfig');
    return configured && configured.trim() !== '' ? configured : undefined;
  }

  /**
   * The kubeconfig's contexts, read without connecting and without the stored choice: a stale
   * stored context must not break the picker meant to replace it. Throws like getClient when
   * there is no usable kubeconfig.
   */
  kubeconfigContexts(): KubeconfigContexts {
    const kubeconfig = this.kubeconfigPath();
    return this.load().readContexts(kubeconfig ? { kubeconfig } : {});
  }

  /** The client for the chosen context and namespace; throws a KubeActionError (read it with kubeErrorOf) with a next step when there is none. */
  getClient(): RevisionClient {
    if (!this.client) {
      const kube = this.load();
      const target = this.target;
      const kubeconfig = this.kubeconfigPath();
      const gpu = vscode.workspace.getConfiguration('serveRevisions').get<string>('gpuResourceName');
      this.client = kube.RevisionClient.connect({
        ...(kubeconfig ? { kubeconfig } : {}),
        ...(target.context ? { context: target.context } : {}),
        ...(target.namespace ? { namespace: target.namespace } : {}),
        ...(gpu ? { defaultGpuResourceName: gpu } : {}),
      });
      this.logger.info(`Using context "${this.client.contextName}", namespace "${this.client.namespace}"`);
    }
    return this.client;
  }

  async setTarget(target: ClusterTarget): Promise<void> {
    await this.state.update(TargetKey, target);
    this.client = undefined;
    this.changed.fire();
  }

  /** Forget the connection (e.g. after the kubeconfig changed) without changing the choice. */
  reset(): void {
    this.client = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.settingsWatch.dispose();
    this.changed.dispose();
  }
}
