import * as vscode from 'vscode';
import { kubeErrorOf } from '../../core/kube/kubeErrors';
import { RecordSpecKey } from '../../core/kube/labels';
import type { RevisionModel, ServiceModel } from '../../core/kube/revisionState';
import { loadEngine } from '../../core/loadEngine';
import { newRevisionSpecTemplate } from '../../core/spec/template';
import type { RevisionClient } from '../../kube/index';
import type { ClusterSession } from '../common/clusterSession';
import type { Logger } from '../common/logger';
import { registerCommand, UserCancelled } from '../common/runCommand';
import { CommandIds, LanguageId, StoredSpecScheme } from '../ids';
import type { RevisionsTreeModel } from '../tree/revisionsTreeModel';
import type { RevisionsTreeProvider } from '../tree/revisionsTreeProvider';
import { DetailNode, RevisionNode, ServiceNode } from '../tree/treeNodes';
import { stateText } from '../tree/revisionPresentation';

/**
 * A command's target: a tree node (context menu), `{ service, revision }` (scripts and tests),
 * or nothing (palette: a quick pick asks).
 */
type RevisionArg = RevisionNode | DetailNode | { service: string; revision: number } | undefined;

/** Answers a script or test can pass instead of a person answering the prompt. */
export interface ScaleAnswer {
  replicas?: number;
  minReplicas?: number;
  maxReplicas?: number;
}

function describe(r: { service: string; revision: number }): string {
  return `revision ${r.revision} of "${r.service}"`;
}

/** Validates a replica count as it is typed; undefined when fine. */
export function replicaProblem(text: string, min = 0, max = 1000): string | undefined {
  const trimmed = text.trim();
  if (!/^\d+$/.test(trimmed)) return 'Enter a whole number, e.g. 2.';
  const n = Number(trimmed);
  if (n < min) return `Enter at least ${min}.`;
  if (n > max) return `Enter at most ${max}.`;
  return undefined;
}

async function ask(options: vscode.InputBoxOptions): Promise<string> {
  const value = await vscode.window.showInputBox(options);
  if (value === undefined) throw new UserCancelled();
  return value;
}

/**
 * Opens the reproduce draft of a revision for editing: the one place the revision form will
 * replace (until then, an untitled revision-yaml document with the same settings).
 */
export async function openReproduceDraft(client: RevisionClient, ref: { service: string; revision: number }): Promise<vscode.TextDocument> {
  const draft = await client.reproduceDraft(ref);
  const content = `# Reproduce ${describe(ref)}: edit, then create it (CLI: serve-revisions create FILE).\n${loadEngine().stringifyYaml({ ...draft, message: `Reproduced from revision ${ref.revision}: ${draft.message}` }, { lineWidth: 0 })}`;
  const doc = await vscode.workspace.openTextDocument({ language: LanguageId, content });
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** The stored recipe of a revision, read-only: `serve-revisions-spec:/<namespace>/<service>/r<N>.revision.yaml`. */
export function storedSpecUri(r: { namespace: string; service: string; revision: number }): vscode.Uri {
  return vscode.Uri.from({ scheme: StoredSpecScheme, path: `/${r.namespace}/${r.service}/r${r.revision}.revision.yaml` });
}

class StoredSpecProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly session: ClusterSession) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const match = /^\/([^/]+)\/([^/]+)\/r(\d+)\.revision\.yaml$/.exec(uri.path);
    if (!match) throw new Error(`Cannot open ${uri.toString()}: not a stored revision address.`);
    const { record } = await this.session.getClient().readRecord({ namespace: match[1] as string, service: match[2] as string, revision: Number(match[3]) });
    return record.data?.[RecordSpecKey] ?? '';
  }
}

export function registerRevisionCommands(context: vscode.ExtensionContext, session: ClusterSession, logger: Logger, model: RevisionsTreeModel, provider: RevisionsTreeProvider): void {
  const client = (): RevisionClient => session.getClient();

  async function pickRevision(placeHolder: string, filter: (r: RevisionModel) => boolean = () => true): Promise<RevisionModel> {
    await model.ensureStarted();
    const items = model.services.flatMap((s) => s.revisions.filter(filter).map((r) => ({ label: `${r.service} #${r.revision}`, description: `${stateText(r)} · ${r.message}`, revision: r })));
    if (items.length === 0) throw new Error(`No revision to choose in namespace "${model.where?.namespace ?? '?'}": create one first (Serve Revisions: Create Revision).`);
    const picked = await vscode.window.showQuickPick(items, { placeHolder, matchOnDescription: true });
    if (!picked) throw new UserCancelled();
    return picked.revision;
  }

  /**
   * Asks for a context of the kubeconfig, read without connecting: the stored choice may be the
   * very thing that is broken (a context deleted from the kubeconfig).
   */
  async function pickContext(): Promise<string> {
    const { contexts, currentContext } = session.kubeconfigContexts();
    const stored = session.target.context;
    const stale = stored !== undefined && !contexts.some((c) => c.name === stored);
    const inUse = stored !== undefined && !stale ? stored : currentContext;
    const picked = await vscode.window.showQuickPick(
      contexts.map((c) => ({ label: c.name, description: `${c.name === inUse ? 'current · ' : ''}cluster ${c.cluster}${c.namespace ? ` · namespace ${c.namespace}` : ''}` })),
      { placeHolder: stale ? `Context "${stored}" is no longer in the kubeconfig: choose another (the kubeconfig is not changed)` : 'Kubernetes context to use (the kubeconfig is not changed)' },
    );
    if (!picked) throw new UserCancelled();
    return picked.label;
  }

  /** The revision a command acts on; current data from the watch when it has it. */
  async function target(arg: RevisionArg, placeHolder: string, filter?: (r: RevisionModel) => boolean): Promise<RevisionModel> {
    if (arg instanceof RevisionNode) return model.service(arg.model.service)?.revisions.find((r) => r.revision === arg.model.revision) ?? arg.model;
    if (arg instanceof DetailNode) return arg.revision;
    if (arg && typeof arg === 'object' && 'service' in arg) {
      await model.ensureStarted();
      const found = model.service(arg.service)?.revisions.find((r) => r.revision === arg.revision);
      return found ?? (await client().getRevision(arg));
    }
    return pickRevision(placeHolder, filter);
  }

  const ref = (r: RevisionModel) => ({ service: r.service, revision: r.revision, namespace: r.namespace });

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(StoredSpecScheme, new StoredSpecProvider(session)),

    registerCommand(logger, CommandIds.start, async (arg?: RevisionArg) => {
      const r = await target(arg, 'Revision to start', (x) => x.state.kind !== 'running');
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Starting ${describe(r)}…` }, () => client().start(ref(r)));
      logger.info(`Started ${describe(r)}`);
    }),

    registerCommand(logger, CommandIds.stop, async (arg?: RevisionArg) => {
      const r = await target(arg, 'Revision to stop', (x) => x.state.kind !== 'stopped');
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Stopping ${describe(r)}…` }, () => client().stop(ref(r)));
      logger.info(`Stopped ${describe(r)}`);
    }),

    registerCommand(logger, CommandIds.scale, async (arg?: RevisionArg, answer?: ScaleAnswer) => {
      const r = await target(arg, 'Revision to scale', (x) => x.state.kind !== 'stopped' && x.state.kind !== 'stopping');
      if (r.state.kind === 'stopped' || r.state.kind === 'stopping') throw new Error(`Could not scale ${describe(r)}: it is not running. Start it first.`);
      const autoscaling = r.autoscaling;
      if (autoscaling) {
        const min = answer?.minReplicas ?? Number(await ask({ title: `Scale ${describe(r)} (autoscaled)`, prompt: 'Minimum replicas', value: String(autoscaling.minReplicas), validateInput: (t) => replicaProblem(t, 1) }));
        const max = answer?.maxReplicas ?? Number(await ask({ title: `Scale ${describe(r)} (autoscaled)`, prompt: `Maximum replicas (at least ${min})`, value: String(Math.max(min, autoscaling.maxReplicas)), validateInput: (t) => replicaProblem(t, Math.max(1, min)) }));
        await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Scaling ${describe(r)} to ${min}–${max}…` }, () => client().scale(ref(r), { minReplicas: min, maxReplicas: max }));
        return;
      }
      const current = r.state.kind === 'running' || r.state.kind === 'starting' || r.state.kind === 'failed' ? r.state.desired : 1;
      const replicas = answer?.replicas ?? Number(await ask({ title: `Scale ${describe(r)}`, prompt: 'Number of replicas (0 keeps the recipe but runs no pods)', value: String(current), validateInput: (t) => replicaProblem(t, 0) }));
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Scaling ${describe(r)} to ${replicas}…` }, () => client().scale(ref(r), { replicas }));
    }),

    registerCommand(logger, CommandIds.reproduce, async (arg?: RevisionArg) => {
      const r = await target(arg, 'Revision to reproduce');
      await openReproduceDraft(client(), ref(r));
    }),

    registerCommand(logger, CommandIds.delete, async (arg?: RevisionArg, options?: { confirmed?: boolean }) => {
      const r = await target(arg, 'Revision to delete');
      if (options?.confirmed !== true) {
        const running = r.state.kind !== 'stopped' ? ' It is running: its pods, its endpoint and its autoscaler go too.' : '';
        const choice = await vscode.window.showWarningMessage(
          `Delete ${describe(r)} in namespace "${r.namespace}"?`,
          { modal: true, detail: `The stored recipe "${r.message}" (${r.image}) is removed for good.${running} Other revisions stay.` },
          'Delete',
        );
        if (choice !== 'Delete') throw new UserCancelled();
      }
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Deleting ${describe(r)}…` }, () => client().delete(ref(r)));
      logger.info(`Deleted ${describe(r)}`);
    }),

    registerCommand(logger, CommandIds.refresh, async () => {
      session.reset();
      await model.ensureStarted();
    }),

    registerCommand(logger, CommandIds.loadMore, async () => provider.loadMore()),

    registerCommand(logger, CommandIds.switchContext, async (name?: string) => {
      // A new context starts in its own default namespace.
      await session.setTarget({ context: typeof name === 'string' ? name : await pickContext() });
    }),

    registerCommand(logger, CommandIds.switchNamespace, async (name?: string) => {
      let chosen = typeof name === 'string' ? name : undefined;
      if (!chosen) {
        let c: RevisionClient;
        try {
          c = client();
        } catch (error) {
          // The stored context is gone from the kubeconfig: namespaces live in a context, so choose that first.
          if (kubeErrorOf(error)?.kind !== 'unknownContext') throw error;
          await session.setTarget({ context: await pickContext() });
          c = client();
        }
        let names: string[] = [];
        try {
          names = (await c.core.listNamespace()).items.map((n) => n.metadata?.name ?? '').filter((n) => n !== '');
        } catch (error) {
          logger.warn(`Could not list namespaces in context "${c.contextName}" (${kubeErrorOf(error)?.message ?? String(error)}); asking for a name instead.`);
        }
        if (names.length > 0) {
          const picked = await vscode.window.showQuickPick(
            names.map((n) => ({ label: n, description: n === c.namespace ? 'current' : '' })),
            { placeHolder: `Namespace in context "${c.contextName}"` },
          );
          if (!picked) throw new UserCancelled();
          chosen = picked.label;
        } else {
          chosen = await ask({ prompt: `Namespace in context "${c.contextName}" (you may not list them all)`, value: c.namespace, validateInput: (t) => (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(t) ? undefined : 'A namespace name: lowercase letters, digits and "-".') });
        }
      }
      await session.setTarget({ ...session.target, namespace: chosen });
    }),

    registerCommand(logger, CommandIds.chooseKubeconfig, async () => {
      const picked = await vscode.window.showOpenDialog({
        title: 'Kubeconfig file for Serve Revisions (read, never written)',
        openLabel: 'Use This Kubeconfig',
        canSelectFiles: true,
        canSelectFolders: false,
        canSelectMany: false,
      });
      const file = picked?.[0];
      if (!file) throw new UserCancelled();
      await vscode.workspace.getConfiguration('serveRevisions').update('kubeconfig', file.fsPath, vscode.ConfigurationTarget.Global);
      // Another file: start from its own current context and namespace.
      await session.setTarget({});
      logger.info(`Reading the kubeconfig ${file.fsPath} (setting serveRevisions.kubeconfig)`);
    }),

    registerCommand(logger, CommandIds.copyEndpoint, async (arg?: RevisionArg | ServiceNode) => {
      let endpoint: string | undefined;
      let what: string;
      if (arg instanceof ServiceNode) {
        endpoint = model.service(arg.name)?.endpoint ?? arg.model.endpoint;
        what = `service "${arg.name}"`;
      } else {
        const r = await target(arg, 'Revision whose endpoint to copy', (x) => x.endpoint !== undefined);
        endpoint = r.endpoint;
        what = describe(r);
      }
      if (!endpoint) throw new Error(`Could not copy the endpoint of ${what}: it has none while stopped. Start it first.`);
      await vscode.env.clipboard.writeText(endpoint);
      void vscode.window.setStatusBarMessage(`Copied ${endpoint}`, 3000);
      return endpoint;
    }),

    registerCommand(logger, CommandIds.openSpec, async (arg?: RevisionArg) => {
      const r = await target(arg, 'Revision whose stored spec to open');
      const doc = await vscode.workspace.openTextDocument(storedSpecUri(r));
      await vscode.languages.setTextDocumentLanguage(doc, LanguageId);
      await vscode.window.showTextDocument(doc, { preview: true });
      return doc.uri.toString();
    }),

    registerCommand(logger, CommandIds.createRevision, async (arg?: ServiceNode | RevisionNode) => {
      // Until the revision form lands: a new spec from the template, for the node's service if any.
      const service: ServiceModel | undefined = arg instanceof ServiceNode ? arg.model : arg instanceof RevisionNode ? model.service(arg.model.service) : undefined;
      const doc = await vscode.workspace.openTextDocument({ language: LanguageId, content: newRevisionSpecTemplate(service?.name) });
      await vscode.window.showTextDocument(doc);
    }),
  );
}
