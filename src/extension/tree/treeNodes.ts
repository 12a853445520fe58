import * as vscode from 'vscode';
import type { RevisionModel, ServiceModel } from '../../core/kube/revisionState';
import type { StoredSpec } from '../../core/kube/storedSpec';
import { CommandIds } from '../ids';
import { revisionContextValue, revisionDescription, revisionDetails, revisionLabel, revisionTooltipLines, serviceContextValue, serviceDescription, type DetailLine } from './revisionPresentation';
import { serviceDetails } from './trafficPresentation';

/** Every node of the Revisions view: it makes its own TreeItem and, lazily, its children. */
export abstract class TreeNode {
  abstract getTreeItem(): vscode.TreeItem;
  getChildren(): TreeNode[] | Promise<TreeNode[]> {
    return [];
  }
}

export class ContextNode extends TreeNode {
  constructor(
    readonly context: string,
    readonly namespace: string,
  ) {
    super();
  }

  getTreeItem(): vscode.TreeItem {
    // The namespace first: it is what the rows below belong to, and what a narrow view must still show.
    const item = new vscode.TreeItem(`namespace ${this.namespace}`, vscode.TreeItemCollapsibleState.None);
    item.id = 'context';
    item.description = `context ${this.context}`;
    item.iconPath = new vscode.ThemeIcon('cloud');
    item.contextValue = 'context';
    item.tooltip = `Context "${this.context}", namespace "${this.namespace}". Click to switch the namespace; the kubeconfig is never changed.`;
    item.command = { command: CommandIds.switchNamespace, title: 'Switch Namespace' };
    return item;
  }
}

/** A failure or a hint, with the next step as its click action. */
export class MessageNode extends TreeNode {
  constructor(
    readonly id: string,
    readonly label: string,
    readonly icon: vscode.ThemeIcon,
    readonly tooltip?: string,
    readonly command?: vscode.Command,
    readonly contextValue = 'message',
  ) {
    super();
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.iconPath = this.icon;
    item.contextValue = this.contextValue;
    if (this.tooltip) item.tooltip = this.tooltip;
    if (this.command) item.command = this.command;
    return item;
  }
}

export class ServiceNode extends TreeNode {
  constructor(public model: ServiceModel) {
    super();
  }

  get name(): string {
    return this.model.name;
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.model.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `service:${this.model.name}`;
    item.description = serviceDescription(this.model);
    item.iconPath = new vscode.ThemeIcon('server-process');
    item.contextValue = serviceContextValue(this.model);
    item.tooltip = `Service "${this.model.name}" in namespace "${this.model.namespace}"${this.model.endpoint ? `\nStable endpoint: ${this.model.endpoint}` : ''}`;
    return item;
  }

  override getChildren(): TreeNode[] {
    const dataPlane = this.model.traffic?.dataPlane;
    return [...serviceDetails(this.model).map((line) => new ServiceDetailNode(this.model, line)), ...this.model.revisions.map((r) => new RevisionNode(r, dataPlane))];
  }
}

/** A line at the top of a service: its data plane, split and rollout. */
export class ServiceDetailNode extends TreeNode {
  constructor(
    readonly service: ServiceModel,
    readonly line: DetailLine,
  ) {
    super();
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.line.label, vscode.TreeItemCollapsibleState.None);
    item.id = `serviceDetail:${this.service.name}:${this.line.key}`;
    item.description = this.line.description;
    item.tooltip = `${this.line.label}: ${this.line.description}`;
    item.iconPath = new vscode.ThemeIcon(this.line.key === 'rollout' ? 'debug-step-over' : this.line.key === 'split' ? 'split-horizontal' : 'plug');
    if (this.line.contextValue) item.contextValue = this.line.contextValue;
    return item;
  }
}

function stateIcon(revision: RevisionModel): vscode.ThemeIcon {
  switch (revision.state.kind) {
    case 'running':
      return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'starting':
      return new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('charts.yellow'));
    case 'stopping':
      return new vscode.ThemeIcon('loading~spin', new vscode.ThemeColor('disabledForeground'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'stopped':
      return new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('disabledForeground'));
  }
}

/** A revision's tooltip; the lines from its stored spec once `stored` has been fetched (resolveTreeItem). */
export function revisionTooltip(revision: RevisionModel, stored?: StoredSpec): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${revision.service} #${revision.revision}**: `);
  md.appendText(revision.message);
  for (const line of revisionTooltipLines(revision, undefined, stored)) {
    md.appendMarkdown('\n\n');
    md.appendText(line);
  }
  // Why it is (not) ready, its logs and its metrics: one click from the tooltip.
  const args = encodeURIComponent(JSON.stringify([{ service: revision.service, revision: revision.revision }]));
  md.appendMarkdown(`\n\n[${revision.state.kind === 'failed' ? 'Why is it failing?' : 'Show details'}](command:${CommandIds.showDetails}?${args})`);
  if (revision.state.kind !== 'stopped') md.appendMarkdown(` · [Show logs](command:${CommandIds.showLogs}?${args})`);
  md.isTrusted = { enabledCommands: [CommandIds.showDetails, CommandIds.showLogs] };
  return md;
}

export class RevisionNode extends TreeNode {
  constructor(
    readonly model: RevisionModel,
    readonly dataPlane?: string,
  ) {
    super();
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(revisionLabel(this.model), vscode.TreeItemCollapsibleState.Collapsed);
    item.id = `revision:${this.model.service}:${this.model.revision}`;
    item.description = revisionDescription(this.model);
    item.iconPath = stateIcon(this.model);
    item.contextValue = revisionContextValue(this.model);
    // No tooltip here: the provider's resolveTreeItem makes it on hover, with the stored spec.
    return item;
  }

  /** The detail lines, with those from the stored spec once it is fetched (the provider passes it). */
  details(stored?: StoredSpec): DetailNode[] {
    return revisionDetails(this.model, stored, this.dataPlane).map((line) => new DetailNode(this.model, line));
  }
}

export class DetailNode extends TreeNode {
  constructor(
    readonly revision: RevisionModel,
    readonly line: DetailLine,
  ) {
    super();
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.line.label, vscode.TreeItemCollapsibleState.None);
    item.id = `detail:${this.revision.service}:${this.revision.revision}:${this.line.key}`;
    item.description = this.line.description;
    item.tooltip = `${this.line.label}: ${this.line.description}`;
    if (this.line.contextValue) item.contextValue = this.line.contextValue;
    if (this.line.key === 'failure') {
      // The failed state links to the details that say why.
      item.command = { command: CommandIds.showDetails, title: 'Show Details', arguments: [{ service: this.revision.service, revision: this.revision.revision }] };
      item.tooltip = `${this.line.label}: ${this.line.description}\nClick for the details: conditions, pods, events.`;
      item.iconPath = new vscode.ThemeIcon('info');
    }
    return item;
  }
}

export class LoadMoreNode extends TreeNode {
  constructor(readonly remaining: number) {
    super();
  }

  getTreeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Load more… (${this.remaining} more services)`, vscode.TreeItemCollapsibleState.None);
    item.id = 'loadMore';
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = 'loadMore';
    item.command = { command: CommandIds.loadMore, title: 'Load More' };
    return item;
  }
}
