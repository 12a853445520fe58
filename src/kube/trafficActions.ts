/**
 * Changes to a service's traffic, each one write of its service object followed by bringing the
 * data plane in line: a split, tags, routing all traffic to one revision, the service's settings;
 * and the rules Start, Stop and Delete obey (core/traffic/trafficPolicy.ts).
 */
import { KubeActionError, trafficInvalid, trafficRefusal } from '../core/kube/kubeErrors';
import type { ServiceModel } from '../core/kube/revisionState';
import { tagServiceName } from '../core/traffic/dataPlane';
import { rolloutStepText } from '../core/traffic/rollout';
import { rolloutActive, shareOf, splitText, type ServiceRecord, type ServiceSettings, type TrafficTarget } from '../core/traffic/trafficModel';
import {
  applySplit,
  applyTags,
  canServe,
  moveShare,
  sameTraffic,
  splitProblem,
  stopDecision,
  tagChangesProblem,
  trafficAfterStart,
  withoutRevision,
  withoutShare,
  type RevisionFacts,
  type ShareAssignment,
} from '../core/traffic/trafficPolicy';
import { Labels } from '../core/kube/labels';
import type { KubeApis } from './applyObject';
import type { ClusterConnection } from './clusterConnection';
import type { DataPlaneWriter } from './dataPlaneWriter';
import type { RevisionStore } from './revisionStore';
import type { ConflictPolicy, StoredService } from './serviceStore';

export interface ServiceRef {
  service: string;
  namespace: string;
}

/** One traffic edit: a split (the whole distribution), tag moves and removals. */
export interface TrafficEdit {
  split?: ShareAssignment[];
  tag?: Array<{ revision: number; tag: string }>;
  untag?: string[];
  /** The traffic the person saw when deciding: refused as a conflict when it is no longer so. */
  expected?: TrafficTarget[];
}

/** `traffic iris 3=90 2=10`, the command that would make `traffic`. */
export function trafficCommand(service: string, traffic: readonly TrafficTarget[]): string {
  const split = traffic.filter((t) => t.percent > 0).map((t) => `${t.revision}=${t.percent}`);
  return `serve-revisions traffic ${service} ${split.join(' ')}`.trim();
}

function facts(model: ServiceModel | undefined): RevisionFacts[] {
  return (model?.revisions ?? []).map((r) => ({ revision: r.revision, state: r.state.kind }));
}

export class TrafficActions {
  constructor(
    private readonly connection: ClusterConnection,
    private readonly apis: KubeApis,
    private readonly store: RevisionStore,
    readonly dataPlane: DataPlaneWriter,
  ) {}

  private where(namespace: string, action: string) {
    return { action, namespace, context: this.connection.contextName };
  }

  /** A service with its revisions and traffic; refused when it has neither revisions nor settings. */
  async service(ref: ServiceRef, action = `read the traffic of "${ref.service}"`): Promise<ServiceModel> {
    const model = await this.store.listService(ref.service, ref.namespace);
    if (!model) throw new KubeActionError(`Could not ${action} in namespace "${ref.namespace}" of context "${this.connection.contextName}": it has no revisions. Create one first (serve-revisions create FILE).`, 'notFound', 404);
    return model;
  }

  /** Brings the data plane in line with a stored record. */
  async reconcile(stored: StoredService, namespace: string): Promise<void> {
    const uid = stored.object?.metadata?.uid;
    if (uid) await this.dataPlane.reconcile(stored.record, namespace, uid);
  }

  /** A traffic write that a person decided on: someone else's change of the traffic in between is a conflict. */
  private detect(expected?: readonly TrafficTarget[]): ConflictPolicy {
    return {
      kind: 'detect',
      ...(expected ? { expected: { service: '', revisionCounter: 0, settings: {}, traffic: [...expected] } } : {}),
      changed: (seen, now) => !sameTraffic(seen.traffic, now.traffic),
      describe: (now) => splitText(now.traffic),
    };
  }

  /** Refuses a tag whose Service name is taken by something that is not this tag. */
  private async refuseTakenTagNames(ref: ServiceRef, tags: ReadonlyArray<{ tag: string }>, action: string): Promise<void> {
    for (const { tag } of tags) {
      const name = tagServiceName(ref.service, tag);
      const existing = await this.apis.core.readNamespacedService({ name, namespace: ref.namespace }).catch(() => undefined);
      if (existing && !(existing.metadata?.labels?.[Labels.component] === 'tag-endpoint' && existing.metadata.labels[Labels.service] === ref.service)) {
        throw trafficRefusal(this.where(ref.namespace, action), `a Service named "${name}" already exists and is not a tag of "${ref.service}": choose another tag name`, 'tagNameTaken');
      }
    }
  }

  /** Sets the split and/or moves tags in one write, then routes. */
  async edit(ref: ServiceRef, edit: TrafficEdit): Promise<ServiceRecord> {
    const action = edit.split ? `set the traffic of "${ref.service}"` : `tag the revisions of "${ref.service}"`;
    const model = await this.service(ref, action);
    const revisions = facts(model);
    if (edit.split) {
      const problem = splitProblem(ref.service, edit.split, revisions);
      if (problem) throw trafficInvalid(this.where(ref.namespace, action), problem);
    }
    if (edit.tag && edit.tag.length > 0) await this.refuseTakenTagNames(ref, edit.tag, action);
    const stored = await this.store.services.update(
      { ...ref, action },
      (record) => {
        if (edit.split && rolloutActive(record.rollout)) {
          throw trafficRefusal(this.where(ref.namespace, action), `a rollout of revision ${record.rollout.target} is under way (${rolloutStepText(record.rollout)}): abort it (serve-revisions rollout abort ${ref.service}) or let it finish before changing the split`, 'rolloutActive');
        }
        let traffic = record.traffic;
        if (edit.split) traffic = applySplit(traffic, edit.split);
        if (edit.tag || edit.untag) {
          const problem = tagChangesProblem(ref.service, traffic, { ...(edit.tag ? { tag: edit.tag } : {}), ...(edit.untag ? { untag: edit.untag } : {}) }, revisions);
          if (problem) throw trafficInvalid(this.where(ref.namespace, action), problem);
          traffic = applyTags(traffic, { ...(edit.tag ? { tag: edit.tag } : {}), ...(edit.untag ? { untag: edit.untag } : {}) });
        }
        return sameTraffic(traffic, record.traffic) ? undefined : { ...record, traffic };
      },
      this.detect(edit.expected),
    );
    await this.reconcile(stored, ref.namespace);
    return stored.record;
  }

  /**
   * All traffic to one revision (which must run): one write. A rollout under way ends with it
   * (as aborted, saying why): routing everything somewhere is the way out of a rollout.
   */
  async routeAll(ref: ServiceRef & { revision: number }, by: string, expected?: TrafficTarget[]): Promise<ServiceRecord> {
    const action = `route all traffic of "${ref.service}" to revision ${ref.revision}`;
    const model = await this.service(ref, action);
    const problem = splitProblem(ref.service, [{ revision: ref.revision, percent: 100 }], facts(model));
    if (problem) throw trafficRefusal(this.where(ref.namespace, action), problem);
    const stored = await this.store.services.update(
      { ...ref, action },
      (record) => {
        const traffic = applySplit(record.traffic, [{ revision: ref.revision, percent: 100 }]);
        const ended = rolloutActive(record.rollout);
        if (!ended && sameTraffic(traffic, record.traffic)) return undefined;
        const next: ServiceRecord = { ...record, traffic };
        if (ended && record.rollout) {
          const at = new Date().toISOString();
          const { driver: _driver, ...rest } = record.rollout;
          next.rollout = { ...rest, state: 'aborted', endedAt: at, message: `ended by ${by}, who routed all traffic to revision ${ref.revision}` };
        }
        return next;
      },
      this.detect(expected),
    );
    await this.reconcile(stored, ref.namespace);
    return stored.record;
  }

  /** Stores a service's settings (gateway, default rollout plan) and routes accordingly. */
  async applySettings(ref: ServiceRef, settings: ServiceSettings): Promise<ServiceRecord> {
    const action = `apply the settings of "${ref.service}"`;
    if (settings.gateway && !(await this.dataPlane.servesGatewayApi().catch(() => true))) {
      throw trafficRefusal(this.where(ref.namespace, action), `it names the Gateway "${settings.gateway.name}", but the cluster serves no Gateway API (gateway.networking.k8s.io/v1): install the Gateway API, or leave the gateway out to use the plain data plane`, 'noGatewayApi');
    }
    const stored = await this.store.services.update({ ...ref, action }, (record) => (JSON.stringify(record.settings) === JSON.stringify(settings) ? undefined : { ...record, settings }), {
      kind: 'detect',
      changed: (seen, now) => JSON.stringify(seen.settings) !== JSON.stringify(now.settings),
      describe: (now) => JSON.stringify(now.settings),
    });
    await this.reconcile(stored, ref.namespace);
    return stored.record;
  }

  // --- what Start, Stop and Delete obey ------------------------------------------------------

  /** After a start: the service's first serving revision gets 100 %; then the data plane follows. */
  async afterStart(ref: ServiceRef & { revision: number }): Promise<void> {
    const stored = await this.store.services.update({ ...ref, action: `route traffic to revision ${ref.revision} of "${ref.service}"` }, (record, exists) => {
      const traffic = trafficAfterStart(record.traffic, ref.revision);
      // Written even unchanged when the service has no object yet: the stable Service needs its owner.
      return traffic ? { ...record, traffic } : exists ? undefined : record;
    }, { kind: 'retry' });
    await this.reconcile(stored, ref.namespace);
  }

  /**
   * Before a stop: a revision with a share cannot be stopped while another could take it; with
   * `moveTo` its share moves there first. The only revision running may stop: the service is then
   * left with no traffic (returned true, to clear after the stop).
   */
  async beforeStop(ref: ServiceRef & { revision: number }, moveTo?: number): Promise<{ clearAfter: boolean }> {
    const action = `stop revision ${ref.revision} of "${ref.service}"`;
    const model = await this.store.listService(ref.service, ref.namespace);
    const record = model?.traffic?.record;
    if (!record) return { clearAfter: false };
    const decision = stopDecision(record.traffic, ref.revision, facts(model));
    if (decision.kind === 'free') return { clearAfter: false };
    if (decision.kind === 'lastServing') return { clearAfter: true };
    if (moveTo === undefined || !decision.candidates.includes(moveTo)) {
      const to = moveTo ?? decision.candidates[0] ?? 0;
      const why = moveTo !== undefined ? `revision ${moveTo} cannot take its share (it is not running)` : `it serves ${decision.share}% of the traffic of "${ref.service}", and a stopped revision cannot hold traffic`;
      throw trafficRefusal(this.where(ref.namespace, action), `${why}. Move its share first, e.g. to revision ${to}: ${trafficCommand(ref.service, moveShare(record.traffic, ref.revision, to))}`, 'servesTraffic');
    }
    const target = model?.revisions.find((r) => r.revision === moveTo);
    if (!target || !canServe(target.state.kind)) throw trafficRefusal(this.where(ref.namespace, action), `revision ${moveTo} is not running, so it cannot take the share`, 'servesTraffic');
    const stored = await this.store.services.update(
      { ...ref, action },
      (r) => {
        if (rolloutActive(r.rollout)) throw trafficRefusal(this.where(ref.namespace, action), `a rollout of revision ${r.rollout.target} is under way: abort it first`, 'rolloutActive');
        return { ...r, traffic: moveShare(r.traffic, ref.revision, moveTo) };
      },
      this.detect(record.traffic),
    );
    await this.reconcile(stored, ref.namespace);
    return { clearAfter: false };
  }

  /** After a stop that left no revision serving: the policy says so too. */
  async afterStop(ref: ServiceRef & { revision: number }): Promise<void> {
    const stored = await this.store.services.update({ ...ref, action: `stop revision ${ref.revision} of "${ref.service}"` }, (record) => (shareOf(record.traffic, ref.revision) > 0 ? { ...record, traffic: withoutShare(record.traffic, ref.revision) } : undefined), { kind: 'retry' });
    await this.reconcile(stored, ref.namespace);
  }

  /** A revision that serves cannot be deleted; say its share and how to move it. */
  async beforeDelete(ref: ServiceRef & { revision: number }): Promise<void> {
    const action = `delete revision ${ref.revision} of "${ref.service}"`;
    const stored = await this.store.services.read(ref.service, ref.namespace, action);
    const model = stored ? undefined : await this.store.listService(ref.service, ref.namespace);
    const record = stored?.record ?? model?.traffic?.record;
    if (!record) return;
    const share = shareOf(record.traffic, ref.revision);
    if (rolloutActive(record.rollout) && record.rollout.target === ref.revision) {
      throw trafficRefusal(this.where(ref.namespace, action), `a rollout to it is under way (${rolloutStepText(record.rollout)}): abort it first (serve-revisions rollout abort ${ref.service})`, 'rolloutActive');
    }
    if (share > 0) {
      throw trafficRefusal(this.where(ref.namespace, action), `it serves ${share}% of the traffic of "${ref.service}" (${splitText(record.traffic)}). Move its traffic to another revision first (serve-revisions traffic ${ref.service} REV=100), or stop it if it is the only one running`, 'servesTraffic');
    }
  }

  /** After a delete: its tags go; with the last revision, the service object (and what it owns) goes too. */
  async afterDelete(ref: ServiceRef & { revision: number }, last: boolean): Promise<void> {
    const action = `delete revision ${ref.revision} of "${ref.service}"`;
    if (last) {
      await this.store.services.delete(ref.service, ref.namespace, action);
      return;
    }
    const stored = await this.store.services.read(ref.service, ref.namespace, action);
    if (!stored || !stored.record.traffic.some((t) => t.revision === ref.revision)) return;
    const updated = await this.store.services.update({ ...ref, action }, (record) => ({ ...record, traffic: withoutRevision(record.traffic, ref.revision) }), { kind: 'retry' });
    await this.reconcile(updated, ref.namespace);
  }
}
