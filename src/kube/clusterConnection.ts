/**
 * Reads the kubeconfig as kubectl does (KUBECONFIG with several files, exec and auth-provider
 * credential plugins, in-cluster settings) and never writes it: the chosen context and namespace
 * are the caller's own state, applied in memory.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { KubeActionError } from '../core/kube/kubeErrors';
import { resolveNamespace } from '../core/kube/resolveNamespace';

export interface ConnectionOptions {
  /** One kubeconfig file (like kubectl's --kubeconfig); otherwise KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

export interface ClusterConnection {
  kubeConfig: KubeConfig;
  contextName: string;
  /** The namespace actions default to: the chosen one, else the context's, else "default" (resolveNamespace). */
  namespace: string;
  /** The namespace the kubeconfig's context names, if it names one. */
  contextNamespace?: string;
  server: string;
  contexts: Array<{ name: string; cluster: string; namespace?: string }>;
}

export function connect(options: ConnectionOptions = {}): ClusterConnection {
  const kubeConfig = new KubeConfig();
  try {
    if (options.kubeconfig) kubeConfig.loadFromFile(options.kubeconfig);
    else kubeConfig.loadFromDefault();
  } catch (error) {
    const source = options.kubeconfig ?? (process.env['KUBECONFIG'] ? `KUBECONFIG (${process.env['KUBECONFIG']})` : '~/.kube/config');
    throw new KubeActionError(`Could not read the kubeconfig from ${source}: ${(error as Error).message}. Fix the file or point KUBECONFIG at a valid one.`, 'other', undefined, { cause: error });
  }
  const contexts = kubeConfig.getContexts().map((c) => ({ name: c.name, cluster: c.cluster, ...(c.namespace ? { namespace: c.namespace } : {}) }));
  if (contexts.length === 0) {
    throw new KubeActionError('No Kubernetes context is configured: add one to your kubeconfig (or set KUBECONFIG), e.g. with your cloud CLI, then retry.', 'other');
  }
  if (options.context) {
    if (!contexts.some((c) => c.name === options.context)) {
      throw new KubeActionError(`Context "${options.context}" is not in the kubeconfig. Known contexts: ${contexts.map((c) => c.name).join(', ')}.`, 'other');
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const current = kubeConfig.getContextObject(kubeConfig.getCurrentContext());
  if (!current) {
    throw new KubeActionError(`The kubeconfig's current context "${kubeConfig.getCurrentContext()}" does not exist: choose one of ${contexts.map((c) => c.name).join(', ')}.`, 'other');
  }
  const cluster = kubeConfig.getCluster(current.cluster);
  return {
    kubeConfig,
    contextName: current.name,
    namespace: resolveNamespace({ chosen: options.namespace, context: current.namespace }),
    ...(current.namespace ? { contextNamespace: current.namespace } : {}),
    server: cluster?.server ?? '',
    contexts,
  };
}
