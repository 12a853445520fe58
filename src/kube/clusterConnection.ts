/**
 * Reads the kubeconfig as kubectl does (KUBECONFIG with several files, exec and auth-provider
 * credential plugins, in-cluster settings) and never writes it: the chosen context and namespace
 * are the caller's own state, applied in memory.
 */
import { existsSync } from 'node:fs';
import { delimiter } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { KubeActionError } from '../core/kube/kubeErrors';
import { resolveNamespace } from '../core/kube/resolveNamespace';

export interface ConnectionOptions {
  /** One kubeconfig file (like kubectl's --kubeconfig); otherwise KUBECONFIG or ~/.kube/config. */
  kubeconfig?: string;
  context?: string;
  namespace?: string;
}

export interface KubeconfigContext {
  name: string;
  cluster: string;
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
  contexts: KubeconfigContext[];
}

/** What the kubeconfig offers, read without choosing a context: for a context picker. */
export interface KubeconfigContexts {
  contexts: KubeconfigContext[];
  /** The kubeconfig's own current-context, when it names one that exists. */
  currentContext?: string;
}

/** Where the kubeconfig comes from, for messages. */
function source(options: ConnectionOptions): string {
  if (options.kubeconfig) return options.kubeconfig;
  return process.env['KUBECONFIG'] ? `KUBECONFIG (${process.env['KUBECONFIG']})` : '~/.kube/config';
}

const NoKubeconfigNextStep = 'Set KUBECONFIG, create ~/.kube/config (e.g. with your cloud CLI), or point Serve Revisions at a kubeconfig file (the serveRevisions.kubeconfig setting, or --kubeconfig FILE).';

/**
 * client-node's last resort when it finds no kubeconfig at all: a made-up context for
 * http://localhost:8080 (kubectl has the same default). Connecting there would only fail later
 * with a confusing error, so it counts as "no kubeconfig".
 */
function isMadeUpDefault(kubeConfig: KubeConfig): boolean {
  const contexts = kubeConfig.getContexts();
  return contexts.length === 1 && contexts[0]?.name === 'loaded-context' && kubeConfig.getCluster(contexts[0].cluster)?.server === 'http://localhost:8080';
}

function load(options: ConnectionOptions): KubeConfig {
  const kubeConfig = new KubeConfig();
  const unusable = (why: string, code: 'missing' | 'unreadable', cause?: unknown): KubeActionError =>
    new KubeActionError(
      `Could not read the kubeconfig from ${source(options)}: ${why}. ${code === 'missing' ? 'Check the path' : 'Fix the file'}, or point Serve Revisions at another kubeconfig file.`,
      'badKubeconfig',
      undefined,
      { code, ...(cause === undefined ? {} : { cause }) },
    );
  if (options.kubeconfig) {
    if (!existsSync(options.kubeconfig)) throw unusable('the file does not exist', 'missing');
    try {
      kubeConfig.loadFromFile(options.kubeconfig);
    } catch (error) {
      throw unusable((error as Error).message, 'unreadable', error);
    }
    return kubeConfig;
  }
  const listed = (process.env['KUBECONFIG'] ?? '').split(delimiter).filter((f) => f !== '');
  if (listed.length > 0 && !listed.some((f) => existsSync(f))) {
    throw new KubeActionError(`No usable kubeconfig: none of the files in KUBECONFIG (${listed.join(delimiter)}) exists. ${NoKubeconfigNextStep}`, 'noKubeconfig', undefined, { code: 'missing' });
  }
  try {
    kubeConfig.loadFromDefault();
  } catch (error) {
    throw unusable((error as Error).message, 'unreadable', error);
  }
  if (isMadeUpDefault(kubeConfig)) {
    throw new KubeActionError(`No usable kubeconfig: KUBECONFIG is not set and there is no ~/.kube/config. ${NoKubeconfigNextStep}`, 'noKubeconfig', undefined, { code: 'missing' });
  }
  return kubeConfig;
}

function contextsOf(kubeConfig: KubeConfig, options: ConnectionOptions): KubeconfigContext[] {
  const contexts = kubeConfig.getContexts().map((c) => ({ name: c.name, cluster: c.cluster, ...(c.namespace ? { namespace: c.namespace } : {}) }));
  if (contexts.length === 0) {
    throw new KubeActionError(`No usable kubeconfig: ${source(options)} defines no context. Add one (e.g. with your cloud CLI), or point Serve Revisions at another kubeconfig file.`, 'noKubeconfig', undefined, { code: 'noContexts' });
  }
  return contexts;
}

/** The contexts the kubeconfig offers, without connecting and without applying any stored choice. */
export function readContexts(options: Pick<ConnectionOptions, 'kubeconfig'> = {}): KubeconfigContexts {
  const kubeConfig = load(options);
  const contexts = contextsOf(kubeConfig, options);
  const current = kubeConfig.getCurrentContext();
  return { contexts, ...(contexts.some((c) => c.name === current) ? { currentContext: current } : {}) };
}

export function connect(options: ConnectionOptions = {}): ClusterConnection {
  const kubeConfig = load(options);
  const contexts = contextsOf(kubeConfig, options);
  const choose = `Choose one of ${contexts.map((c) => `"${c.name}"`).join(', ')} (Switch Context… in the editor, --context NAME on the command line).`;
  if (options.context) {
    if (!contexts.some((c) => c.name === options.context)) {
      throw new KubeActionError(`Context "${options.context}" is not in the kubeconfig (${source(options)}), or no longer. ${choose}`, 'unknownContext');
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const currentName = kubeConfig.getCurrentContext();
  const current = currentName ? kubeConfig.getContextObject(currentName) : null;
  if (!current) {
    throw new KubeActionError(`${currentName ? `The kubeconfig's current context "${currentName}" does not exist` : 'The kubeconfig names no current context'}. ${choose}`, 'unknownContext');
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
