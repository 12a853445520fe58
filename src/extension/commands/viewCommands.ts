/**
 * The commands on the Revisions view itself: what it shows (Refresh, Load More, Switch Context,
 * Switch Namespace) and Reveal Revision, which the form and the YAML create commands call.
 */
import * as vscode from 'vscode';
import type { RevisionClient } from '../../bundles/loadKube';
import { kubeErrorOf } from '../../core/kube/kubeErrors';
import { registerCommand } from '../common/registerCommand';
import { CommandIds } from '../ids';
import { revealRevision, type RevealTarget } from '../tree/revealRevision';
import type { CommandDeps } from './commandDeps';

const NamespaceName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Kubernetes' own namespaces, where nobody deploys a model server. */
function isSystemNamespace(name: string): boolean {
  return name.startsWith('kube-');
}

/** Namespaces by name, Kubernetes' own last. */
function namespaceOrder(names: string[]): string[] {
  return [...names].sort((a, b) => Number(isSystemNamespace(a)) - Number(isSystemNamespace(b)) || a.localeCompare(b));
}

/**
 * Asks for a context of the kubeconfig, read without connecting: the stored choice may be the
 * very thing that is broken (a context deleted from the kubeconfig).
 */
async function pickContext({ session, ui, tree }: CommandDeps): Promise<string> {
  const { contexts, currentContext } = session.kubeconfigContexts();
  const stored = session.target.context;
  const stale = stored !== undefined && !contexts.some((c) => c.name === stored);
  const inUse = stored !== undefined && !stale ? stored : currentContext;
  // The context in use shows the namespace the view shows, not the one the kubeconfig names.
  const where = tree.model.where;
  const viewNamespace = where && where.context === inUse ? where.namespace : undefined;
  const items = contexts.map((c) => {
    const namespace = c.name === inUse && viewNamespace ? viewNamespace : c.namespace;
    return { label: c.name, description: `${c.name === inUse ? 'current · ' : ''}cluster ${c.cluster}${namespace ? ` · namespace ${namespace}` : ''}` };
  });
  const placeHolder = stale ? `Context "${stored}" is no longer in the kubeconfig: choose another (the kubeconfig is not changed)` : 'Kubernetes context to use (the kubeconfig is not changed)';
  const active = items.find((i) => i.label === inUse);
  return (await ui.pick(items, { placeHolder, ...(active ? { active } : {}) })).label;
}

/** The client of the chosen context; when that context is gone from the kubeconfig, asks for another first. */
async function clientOrPickContext(deps: CommandDeps): Promise<RevisionClient> {
  try {
    return deps.session.getClient();
  } catch (error) {
    // The stored context is gone from the kubeconfig: namespaces live in a context, so choose that first.
    if (kubeErrorOf(error)?.kind !== 'unknownContext') throw error;
    await deps.session.setTarget({ context: await pickContext(deps) });
    return deps.session.getClient();
  }
}

async function switchNamespace(deps: CommandDeps, name?: string): Promise<void> {
  const { session, ui, logger } = deps;
  let chosen = typeof name === 'string' ? name : undefined;
  if (!chosen) {
    const c = await clientOrPickContext(deps);
    let names: string[] = [];
    try {
      names = await c.namespaceNames();
    } catch (error) {
      logger.warn(`Could not list namespaces in context "${c.contextName}" (${kubeErrorOf(error)?.message ?? String(error)}); asking for a name instead.`);
    }
    const placeHolder = `Namespace in context "${c.contextName}"`;
    const items = namespaceOrder(names).map((n) => ({ label: n, description: n === c.namespace ? 'current' : isSystemNamespace(n) ? 'system' : '' }));
    const active = items.find((i) => i.label === c.namespace);
    chosen =
      names.length > 0
        ? (await ui.pick(items, { placeHolder, ...(active ? { active } : {}) })).label
        : await ui.ask({ prompt: `${placeHolder} (you may not list them all)`, value: c.namespace, validateInput: (t) => (NamespaceName.test(t) ? undefined : 'A namespace name: lowercase letters, digits and "-".') });
  }
  await session.setTarget({ ...session.target, namespace: chosen });
}

/** Points the extension at another kubeconfig file (the serveRevisions.kubeconfig setting); the file is only read. */
async function chooseKubeconfig({ session, ui, logger }: CommandDeps): Promise<void> {
  const [file] = await ui.openFiles({ title: 'Kubeconfig file for Serve Revisions (read, never written)', openLabel: 'Use This Kubeconfig', canSelectFiles: true, canSelectFolders: false, canSelectMany: false });
  if (!file) return;
  await vscode.workspace.getConfiguration('serveRevisions').update('kubeconfig', file.fsPath, vscode.ConfigurationTarget.Global);
  // Another file: start from its own current context and namespace.
  await session.setTarget({});
  logger.info(`Reading the kubeconfig ${file.fsPath} (setting serveRevisions.kubeconfig)`);
}

export function registerViewCommands(deps: CommandDeps): void {
  const { logger, session, tree } = deps;
  deps.context.subscriptions.push(
    registerCommand(logger, CommandIds.refresh, async () => {
      session.reset();
      await tree.model.ensureStarted();
    }),
    registerCommand(logger, CommandIds.loadMore, async () => tree.provider.loadMore()),
    // A new context starts in its own default namespace.
    registerCommand(logger, CommandIds.switchContext, async (name?: string) => session.setTarget({ context: typeof name === 'string' ? name : await pickContext(deps) })),
    registerCommand(logger, CommandIds.switchNamespace, (name?: string) => switchNamespace(deps, name)),
    registerCommand(logger, CommandIds.chooseKubeconfig, () => chooseKubeconfig(deps)),
    registerCommand(logger, CommandIds.revealRevision, (target?: RevealTarget) => revealRevision(tree, target)),
  );
}
