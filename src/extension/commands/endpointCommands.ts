/**
 * Copy Endpoint (the in-cluster URL) and Open Endpoint (a local port forwarded through the API
 * server, opened in the browser), and Stop Forwarding. A forward stops when the person says so,
 * when its revision stops running, when the view switches context or namespace, and on exit.
 */
import * as vscode from 'vscode';
import type { LocalForward } from '../../bundles/loadKube';
import { kubeErrorOf } from '../../core/kube/kubeErrors';
import type { RevisionModel } from '../../core/kube/revisionState';
import { notify } from '../common/notify';
import { registerCommand } from '../common/registerCommand';
import { CommandIds } from '../ids';
import { endpointUrl, revisionName } from '../tree/revisionPresentation';
import { ServiceNode } from '../tree/treeNodes';
import type { CommandDeps } from './commandDeps';
import { ref, target, type RevisionArg } from './revisionCommands';

interface Forward {
  key: string;
  revision: RevisionModel;
  local: LocalForward & { targetPort: number };
}

/** The forwards that are open, with a status bar item per forward that stops it. */
class EndpointForwards implements vscode.Disposable {
  private readonly forwards = new Map<string, Forward>();
  private readonly status = vscode.window.createStatusBarItem('serveRevisions.forwards', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly deps: CommandDeps) {
    this.status.name = 'Serve Revisions: forwarded endpoints';
    this.subscriptions = [
      // Whatever the view shows now, a forward into the namespace it left is not wanted any more.
      deps.session.onDidChangeTarget(() => void this.stopAll('the view switched to another context or namespace')),
      deps.tree.model.onDidChangeServices((names) => void this.stopGone(names)),
    ];
  }

  static key(r: { namespace: string; service: string; revision: number }): string {
    return `${r.namespace}/${r.service}/${r.revision}`;
  }

  get(r: RevisionModel): Forward | undefined {
    return this.forwards.get(EndpointForwards.key(r));
  }

  add(forward: Forward): void {
    this.forwards.set(forward.key, forward);
    forward.local.onProblem((error) => this.deps.logger.warn(`Forwarding ${revisionName(forward.revision)}: a connection failed: ${kubeErrorOf(error)?.message ?? (error instanceof Error ? error.message : String(error))}`));
    this.show();
  }

  async stop(key: string, why?: string): Promise<void> {
    const forward = this.forwards.get(key);
    if (!forward) return;
    this.forwards.delete(key);
    await forward.local.close();
    this.deps.logger.info(`Stopped forwarding ${revisionName(forward.revision)} on ${forward.local.url}${why ? `: ${why}` : ''}`);
    if (why) void notify(this.deps.logger, 'info', `Stopped forwarding ${revisionName(forward.revision)} to ${forward.local.url}: ${why}.`);
    this.show();
  }

  async stopAll(why?: string): Promise<void> {
    for (const key of [...this.forwards.keys()]) await this.stop(key, why);
  }

  /** A forwarded revision that no longer runs (stopped, deleted) ends its forward. */
  private async stopGone(services: string[]): Promise<void> {
    const model = this.deps.tree.model;
    for (const forward of [...this.forwards.values()]) {
      const r = forward.revision;
      if (!services.includes(r.service) || model.where?.namespace !== r.namespace) continue;
      const now = model.service(r.service)?.revisions.find((x) => x.revision === r.revision);
      if (!now) await this.stop(forward.key, 'it was deleted');
      else if (now.state.kind === 'stopped' || now.state.kind === 'stopping') await this.stop(forward.key, 'it was stopped');
    }
  }

  private show(): void {
    const all = [...this.forwards.values()];
    void vscode.commands.executeCommand('setContext', 'serveRevisions.forwarding', all.length > 0);
    if (all.length === 0) {
      this.status.hide();
      return;
    }
    this.status.text = `$(plug) ${all.map((f) => `${revisionName(f.revision)} → ${f.local.port}`).join(', ')}`;
    this.status.tooltip = `${all.map((f) => `${revisionName(f.revision)} (port ${f.local.targetPort}) is forwarded to ${f.local.url}`).join('\n')}\nClick to stop forwarding.`;
    this.status.command = CommandIds.stopForwarding;
    this.status.show();
  }

  dispose(): void {
    void this.stopAll();
    for (const s of this.subscriptions) s.dispose();
    this.status.dispose();
  }
}

/** The protocol of a revision's first port, from its stored spec (the model holds none); undefined when it cannot be read. */
async function portProtocol(deps: CommandDeps, revision: RevisionModel): Promise<string | undefined> {
  const stored = await deps.tree.specs.get(revision);
  return 'spec' in stored ? stored.spec.ports?.[0]?.protocol : undefined;
}

async function copyEndpoint(deps: CommandDeps, arg?: RevisionArg | ServiceNode): Promise<string> {
  let endpoint: string | undefined;
  let protocol: string | undefined;
  let what: string;
  if (arg instanceof ServiceNode) {
    const service = deps.tree.model.service(arg.name) ?? arg.model;
    endpoint = service.endpoint;
    const running = service.revisions.find((r) => r.state.kind !== 'stopped');
    protocol = running ? await portProtocol(deps, running) : undefined;
    what = `service ${arg.name}`;
  } else {
    const r = await target(deps, arg, 'Revision whose endpoint to copy', (x) => x.endpoint !== undefined);
    endpoint = r.endpoint;
    protocol = await portProtocol(deps, r);
    what = revisionName(r);
  }
  if (!endpoint) throw new Error(`Could not copy the endpoint of ${what}: it has none while stopped. Start it first.`);
  const url = endpointUrl(endpoint, protocol);
  await vscode.env.clipboard.writeText(url);
  void vscode.window.setStatusBarMessage(`Copied ${url} (reachable inside the cluster; Open Endpoint forwards it to this machine)`, 5000);
  return url;
}

/** Opens the revision's endpoint through a local port; a second call for the same revision reuses its forward. */
async function openEndpoint(deps: CommandDeps, forwards: EndpointForwards, arg?: RevisionArg): Promise<string> {
  const r = await target(deps, arg, 'Revision whose endpoint to open', (x) => x.state.kind === 'running' || x.state.kind === 'starting');
  let forward = forwards.get(r);
  if (!forward) {
    const local = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Forwarding ${revisionName(r)} to a local port…` }, () => deps.session.getClient().forwardEndpoint(ref(r)));
    forward = { key: EndpointForwards.key(r), revision: r, local };
    forwards.add(forward);
    deps.logger.info(`Forwarding ${revisionName(r)} (port ${local.targetPort}, namespace "${r.namespace}") to ${local.url} through the API server`);
  }
  // Where the editor runs elsewhere (a browser, a remote), the local port is reached through VS Code's own mapping.
  const external = await vscode.env.asExternalUri(vscode.Uri.parse(`${forward.local.url}/`));
  // Not awaited: VS Code may ask before opening a link, and the forward is ready either way.
  void vscode.env.openExternal(external);
  void vscode.window.setStatusBarMessage(`${revisionName(r)} answers on ${forward.local.url} (forwarded through the API server)`, 5000);
  return forward.local.url;
}

async function stopForwarding(deps: CommandDeps, forwards: EndpointForwards, arg?: RevisionArg): Promise<void> {
  if (arg === undefined) return forwards.stopAll();
  const r = await target(deps, arg, 'Revision whose forward to stop');
  return forwards.stop(EndpointForwards.key(r));
}

export function registerEndpointCommands(deps: CommandDeps): void {
  const { logger } = deps;
  const forwards = new EndpointForwards(deps);
  deps.context.subscriptions.push(
    forwards,
    registerCommand(logger, CommandIds.copyEndpoint, (arg?: RevisionArg | ServiceNode) => copyEndpoint(deps, arg)),
    registerCommand(logger, CommandIds.openEndpoint, (arg?: RevisionArg) => openEndpoint(deps, forwards, arg)),
    registerCommand(logger, CommandIds.stopForwarding, (arg?: RevisionArg) => stopForwarding(deps, forwards, arg)),
  );
}
