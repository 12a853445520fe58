import * as vscode from 'vscode';
import type { KubeErrorKind } from '../../core/kube/kubeErrors';
import type { ServiceModel } from '../../core/kube/revisionState';
import { CommandIds } from '../ids';
import { agesShown, msUntilAgesChange, revisionContextValue, revisionDetails, revisionLabel, serviceContextValue, serviceDescription } from './revisionPresentation';
import { revisionTrafficText, serviceDetails } from './trafficPresentation';
import type { RevisionsTreeModel } from './revisionsTreeModel';
import type { StoredSpecs } from './storedSpecs';
import { ContextNode, DetailNode, LoadMoreNode, MessageNode, RevisionNode, revisionTooltip, ServiceDetailNode, ServiceNode, type TreeNode } from './treeNodes';

/** Everything the view draws for a service and its revisions (ages aside, which tick by themselves). */
function appearance(service: ServiceModel): string {
  return JSON.stringify([
    serviceDescription(service),
    serviceContextValue(service),
    service.endpoint,
    serviceDetails(service),
    service.revisions.map((r) => [revisionLabel(r), r.message, r.image, revisionContextValue(r), revisionDetails(r, undefined, service.traffic?.dataPlane), revisionTrafficText(r)]),
  ]);
}

const retryNode = (): MessageNode =>
  new MessageNode('retry', 'Retry', new vscode.ThemeIcon('refresh'), 'List and watch the namespace again', { command: CommandIds.refresh, title: 'Retry' });
const switchContextNode = (): MessageNode =>
  new MessageNode('pickContext', 'Switch context…', new vscode.ThemeIcon('cloud'), 'Use another context of your kubeconfig', { command: CommandIds.switchContext, title: 'Switch Context' });
const switchNamespaceNode = (): MessageNode =>
  new MessageNode('pickNamespace', 'Switch namespace…', new vscode.ThemeIcon('symbol-namespace'), 'Use another namespace', { command: CommandIds.switchNamespace, title: 'Switch Namespace' });
const chooseKubeconfigNode = (): MessageNode =>
  new MessageNode('chooseKubeconfig', 'Choose kubeconfig file…', new vscode.ThemeIcon('file'), 'Point Serve Revisions at another kubeconfig file (the file is never written)', { command: CommandIds.chooseKubeconfig, title: 'Choose Kubeconfig File' });

/**
 * What the view offers below an error, by what went wrong, most likely help first. Retrying a
 * forbidden namespace fails the same way, so it is not offered; a stale context or a broken
 * kubeconfig may be fixed in the file, so Retry comes after the switch there.
 */
function nextSteps(kind: KubeErrorKind): MessageNode[] {
  switch (kind) {
    case 'forbidden':
      return [switchNamespaceNode(), switchContextNode()];
    case 'unknownContext':
    case 'unauthorized':
      return [switchContextNode(), retryNode()];
    case 'badKubeconfig':
      return [chooseKubeconfigNode(), retryNode()];
    case 'unsupportedRuntime':
      return [];
    default:
      return [retryNode(), switchContextNode(), switchNamespaceNode()];
  }
}

/** Services shown before a "Load more" node: a flat list of thousands is unusable. */
export const ServicePageSize = 200;

/**
 * Adapts RevisionsTreeModel to the view: root = the context/namespace node, then services (one
 * page at a time), then revisions newest first. Service nodes are kept per name so a change
 * redraws only that service (onDidChangeTreeData(node)), never the whole tree.
 */
export class RevisionsTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly nodes = new Map<string, ServiceNode>();
  /** What each service node showed when last drawn: a rollout's state changes with time alone. */
  private readonly drawn = new Map<string, string>();
  /** The ages each service's rows showed when last drawn (by a change or a tick), so a tick redraws only what now reads differently. */
  private readonly agesDrawn = new Map<string, string>();
  private shown = ServicePageSize;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly model: RevisionsTreeModel,
    private readonly specs: StoredSpecs,
  ) {
    this.subscriptions = [
      model.onDidChangeState(() => {
        this.nodes.clear();
        this.drawn.clear();
        this.agesDrawn.clear();
        this.changed.fire(undefined);
      }),
      model.onDidChangeServices((names) => {
        for (const name of names) {
          const node = this.nodes.get(name);
          const service = this.model.service(name);
          // Many watch events change nothing a person sees (a pod's resourceVersion, a status
          // heartbeat): redrawing anyway would flicker and close an open context menu.
          const now = service ? appearance(service) : undefined;
          if (node && service && now !== (this.drawn.get(name) ?? appearance(node.model))) {
            node.model = service;
            this.drawn.set(name, now ?? '');
            this.agesDrawn.set(name, agesShown(service));
            this.changed.fire(node);
          } else if (node && service) node.model = service;
        }
      }),
      model.onDidChangeWatchProblem(() => this.changed.fire(undefined)),
    ];
  }

  /**
   * Redraws the services whose rows would now show another age (and only those), and says how
   * long until the next one would: the age clock's tick. Only services drawn so far are looked at.
   */
  tickAges(now = Date.now()): number | undefined {
    let soonest: number | undefined;
    for (const service of this.model.services.slice(0, this.shown)) {
      const node = this.nodes.get(service.name);
      if (node) {
        const ages = agesShown(node.model, now);
        const drawn = this.agesDrawn.get(service.name);
        if (drawn !== undefined && ages !== drawn) this.changed.fire(node);
        this.agesDrawn.set(service.name, ages);
      }
      const wait = msUntilAgesChange(service, now);
      if (wait !== undefined && (soonest === undefined || wait < soonest)) soonest = wait;
    }
    return soonest;
  }

  loadMore(): void {
    this.shown += ServicePageSize;
    this.changed.fire(undefined);
  }

  getTreeItem(element: TreeNode): vscode.TreeItem {
    return element.getTreeItem();
  }

  /** A revision's tooltip on hover, with the lines of its stored spec (fetched then, not while listing). */
  async resolveTreeItem(item: vscode.TreeItem, element: TreeNode): Promise<vscode.TreeItem> {
    if (element instanceof RevisionNode && item.tooltip === undefined) item.tooltip = revisionTooltip(element.model, await this.specs.get(element.model));
    return item;
  }

  /** Needed by TreeView.reveal: nodes carry stable ids, so a fresh node finds the one drawn. */
  getParent(element: TreeNode): TreeNode | undefined {
    if (element instanceof RevisionNode) return this.serviceNode(element.model.service);
    if (element instanceof DetailNode) return new RevisionNode(element.revision);
    if (element instanceof ServiceDetailNode) return this.serviceNode(element.service.name);
    return undefined;
  }

  /**
   * The node of a revision the model holds, for reveal; its service's page is shown first if it
   * was behind "Load more". Undefined while the model does not hold it.
   */
  revisionNode(service: string, revision: number): RevisionNode | undefined {
    const index = this.model.services.findIndex((s) => s.name === service);
    const model = this.model.services[index]?.revisions.find((r) => r.revision === revision);
    if (!model) return undefined;
    if (index >= this.shown) {
      this.shown = (Math.floor(index / ServicePageSize) + 1) * ServicePageSize;
      this.changed.fire(undefined);
    }
    return new RevisionNode(model, this.model.services[index]?.traffic?.dataPlane);
  }

  private serviceNode(name: string): ServiceNode | undefined {
    const service = this.model.service(name);
    if (!service) return undefined;
    let node = this.nodes.get(name);
    if (node) node.model = service;
    else {
      node = new ServiceNode(service);
      this.nodes.set(name, node);
      this.drawn.set(name, appearance(service));
      this.agesDrawn.set(name, agesShown(service));
    }
    return node;
  }

  async getChildren(element?: TreeNode): Promise<TreeNode[]> {
    // A revision's details include lines of its stored spec, fetched when it is expanded.
    if (element instanceof RevisionNode) return element.details(await this.specs.get(element.model));
    if (element) return element.getChildren();
    await this.model.firstRows();
    const state = this.model.state;
    const where = this.model.where;
    const head: TreeNode[] = where ? [new ContextNode(where.context, where.namespace)] : [];
    switch (state.kind) {
      case 'idle':
      case 'loading':
        return [...head, new MessageNode('loading', 'Loading services…', new vscode.ThemeIcon('loading~spin'))];
      case 'noKubeconfig':
        // The welcome content says what to do; an empty tree lets it show.
        return [];
      case 'noServices': {
        // One message naming the namespace; switching is on the context row above it (click, or its inline actions).
        const namespace = where ? `namespace "${where.namespace}"` : 'this namespace';
        return [
          ...head,
          new MessageNode('noServices', `No services in ${namespace} yet`, new vscode.ThemeIcon('info'), `Create the first revision of a service in ${namespace}, or switch to another namespace or context with the row above.`),
          new MessageNode('create', 'New revision…', new vscode.ThemeIcon('add'), `Open the revision form for a new service in ${namespace}`, { command: CommandIds.openForm, title: 'New Revision…' }),
        ];
      }
      case 'error': {
        const steps = nextSteps(state.errorKind);
        return [...head, new MessageNode('error', state.message, new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')), state.message, steps[0]?.command, 'error'), ...steps];
      }
      case 'ready': {
        const services = this.model.services;
        const page = services.slice(0, this.shown).flatMap((s) => this.serviceNode(s.name) ?? []);
        const problem = this.model.problem;
        const warning = problem ? [new MessageNode('watchProblem', `Not live: ${problem}`, new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')), problem, { command: CommandIds.refresh, title: 'Retry' })] : [];
        const more = services.length > this.shown ? [new LoadMoreNode(services.length - this.shown)] : [];
        const loading = this.model.loading ? [new MessageNode('loadingMore', 'Loading more services…', new vscode.ThemeIcon('loading~spin'))] : [];
        return [...head, ...warning, ...page, ...more, ...loading];
      }
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}
