/**
 * The commands on the Revisions view itself: what it shows (Refresh, Load More, Switch Context,
 * Switch Namespace) and Reveal Revision, which the form and the YAML create commands call.
 */
import { registerCommand } from '../common/registerCommand';
import { CommandIds } from '../ids';
import { revealRevision, type RevealTarget } from '../tree/revealRevision';
import type { CommandDeps } from './commandDeps';

const NamespaceName = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

async function switchContext({ session, ui }: CommandDeps, name?: string): Promise<void> {
  let chosen = typeof name === 'string' ? name : undefined;
  if (!chosen) {
    const { contexts, contextName } = session.getClient().connection;
    const items = contexts.map((c) => ({ label: c.name, description: `${c.name === contextName ? 'current · ' : ''}cluster ${c.cluster}${c.namespace ? ` · namespace ${c.namespace}` : ''}` }));
    chosen = (await ui.pick(items, { placeHolder: 'Kubernetes context to use (the kubeconfig is not changed)' })).label;
  }
  // A new context starts in its own default namespace.
  await session.setTarget({ context: chosen });
}

async function switchNamespace({ session, ui, logger }: CommandDeps, name?: string): Promise<void> {
  let chosen = typeof name === 'string' ? name : undefined;
  if (!chosen) {
    const c = session.getClient();
    let names: string[] = [];
    try {
      names = await c.namespaceNames();
    } catch (error) {
      logger.warn(`Could not list namespaces in context "${c.contextName}" (${String(error)}); asking for a name instead.`);
    }
    const placeHolder = `Namespace in context "${c.contextName}"`;
    chosen =
      names.length > 0
        ? (await ui.pick(names.map((n) => ({ label: n, description: n === c.namespace ? 'current' : '' })), { placeHolder })).label
        : await ui.ask({ prompt: placeHolder, value: c.namespace, validateInput: (t) => (NamespaceName.test(t) ? undefined : 'A namespace name: lowercase letters, digits and "-".') });
  }
  await session.setTarget({ ...session.target, namespace: chosen });
}

export function registerViewCommands(deps: CommandDeps): void {
  const { logger, session, tree } = deps;
  deps.context.subscriptions.push(
    registerCommand(logger, CommandIds.refresh, async () => {
      session.reset();
      await tree.model.ensureStarted();
    }),
    registerCommand(logger, CommandIds.loadMore, async () => tree.provider.loadMore()),
    registerCommand(logger, CommandIds.switchContext, (name?: string) => switchContext(deps, name)),
    registerCommand(logger, CommandIds.switchNamespace, (name?: string) => switchNamespace(deps, name)),
    registerCommand(logger, CommandIds.revealRevision, (target?: RevealTarget) => revealRevision(tree, target)),
  );
}
