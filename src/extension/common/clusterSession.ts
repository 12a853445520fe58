import * as vscode from 'vscode';
import { loadKube, type ClusterLookups, type Kube, type KubeconfigContexts, type RevisionClient } from '../../bundles/loadKube';
import { resolveNamespace } from '../../core/kube/resolveNamespace';
import type { Logger } from './logger';
import { Settings } from './settings';

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
  private lookups: ClusterLookups | undefined;
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

  /**
   * The kubeconfig's contexts, read without connecting and without the stored choice: a stale
   * stored context must not break the picker meant to replace it. Throws like getClient when
   * there is no usable kubeconfig.
   */
  kubeconfigContexts(): KubeconfigContexts {
    const kubeconfig = Settings.kubeconfig();
    return this.load().readContexts(kubeconfig ? { kubeconfig } : {});
  }

  /** The client for the chosen context and namespace; throws a KubeActionError (read it with kubeErrorOf) with a next step when there is none. */
  getClient(): RevisionClient {
    if (!this.client) {
      const kube = this.load();
      const target = this.target;
      const kubeconfig = Settings.kubeconfig();
      const gpu = Settings.gpuResourceName();
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

  /** The client, or undefined (logged) when there is no usable kubeconfig: for features that work without a cluster. */
  tryClient(): RevisionClient | undefined {
    try {
      return this.getClient();
    } catch (error) {
      this.logger.debug(`Working without the cluster: ${error instanceof Error ? error.message : String(error)}`);
      return undefined;
    }
  }

  /** Cached cluster lookups of this connection (completion, cluster checks); undefined without a cluster. */
  getLookups(): ClusterLookups | undefined {
    const client = this.tryClient();
    if (!client) return undefined;
    this.lookups ??= new (this.load().ClusterLookups)(client, (key, error) => this.logger.debug(`Cluster lookup ${key} failed: ${error instanceof Error ? error.message : String(error)}`));
    return this.lookups;
  }

  /** The namespace an action on a spec works in: the spec's, else the chosen one, else the context's (resolveNamespace). */
  namespaceFor(specNamespace?: unknown): string {
    return resolveNamespace({ spec: specNamespace, chosen: this.target.namespace, context: this.tryClient()?.connection.contextNamespace });
  }

  async setTarget(target: ClusterTarget): Promise<void> {
    await this.state.update(TargetKey, target);
    this.forget();
  }

  /** Forget the connection (e.g. after the kubeconfig changed) without changing the choice. */
  reset(): void {
    this.forget();
  }

  private forget(): void {
    this.client = undefined;
    this.lookups = undefined;
    this.changed.fire();
  }

  dispose(): void {
    this.settingsWatch.dispose();
    this.changed.dispose();
  }
}
