/**
 * The service object's model: which revisions serve a service and in what share, its tags, its
 * data plane, its default rollout plan, its rollout state and its revision counter. Types and
 * small pure helpers only (no `yaml`, no I/O), so the tree can word traffic at activation.
 */

/** How traffic reaches the revisions: the stable Service alone (approximate), or a Gateway API HTTPRoute (exact). */
export type DataPlane = 'plain' | 'gateway';

/** The Gateway an HTTPRoute attaches to (`parentRefs`). */
export interface GatewayParent {
  name: string;
  /** The Gateway's namespace when it is not the service's. */
  namespace?: string;
  /** One listener of the Gateway. */
  sectionName?: string;
}

/** One revision's share of the traffic (a whole percent) and its tags. */
export interface TrafficTarget {
  revision: number;
  percent: number;
  tags?: string[];
}

/** How a rollout moves: the target's share at each step, each held for an interval or until approved. */
export interface RolloutPlan {
  /** Strictly increasing whole percents, the last one 100. */
  steps: number[];
  /** How long each step is held (while healthy) before the next; absent with `manual`. */
  intervalSeconds?: number;
  /** Each step waits for an approval (Resume) instead of an interval. */
  manual?: boolean;
}

export type RolloutStateName = 'progressing' | 'paused' | 'waiting-approval' | 'aborted' | 'done';

/** A rollout as stored in the service object: every viewer reads the same one. */
export interface RolloutState {
  /** The revision the rollout moves traffic to. */
  target: number;
  plan: RolloutPlan;
  /** Index in plan.steps of the last step applied; -1 before the first. */
  step: number;
  /** When the last step was applied (RFC 3339). */
  stepStartedAt?: string;
  /** The split before the rollout, which abort restores. */
  before: TrafficTarget[];
  state: RolloutStateName;
  /** Who drives it (a client's description); absent while no client does. */
  driver?: string;
  /** The driver's last sign of life (RFC 3339). */
  heartbeat?: string;
  /** A driver silent for longer than this has gone away: the rollout shows as paused. */
  heartbeatTimeoutSeconds: number;
  /** The last step a person approved (manual plans). */
  approvedStep?: number;
  /** Why it is paused, held or ended, in a sentence. */
  message?: string;
  startedAt: string;
  endedAt?: string;
}

/** What a person sets for a service (the `kind: Service` spec). */
export interface ServiceSettings {
  gateway?: GatewayParent;
  /** The plan a rollout uses when none is given. */
  rollout?: RolloutPlan;
}

/** The stored service object. */
export interface ServiceRecord {
  service: string;
  /** The highest revision number ever given; never lowered, so numbers are never reused. */
  revisionCounter: number;
  /** Revisions with a share above 0, and tagged ones (0 allowed); shares sum to 100 or the list holds none above 0. */
  traffic: TrafficTarget[];
  settings: ServiceSettings;
  rollout?: RolloutState;
}

export const DefaultRolloutPlan: RolloutPlan = { steps: [10, 50, 100], intervalSeconds: 120 };

/** A driver that said nothing for this long has gone away (it heartbeats every third of it). */
export const DefaultHeartbeatTimeoutSeconds = 30;

export function dataPlaneOf(settings: ServiceSettings): DataPlane {
  return settings.gateway ? 'gateway' : 'plain';
}

/** A revision's share of the service's traffic (0 when it has none). */
export function shareOf(traffic: readonly TrafficTarget[], revision: number): number {
  return traffic.find((t) => t.revision === revision)?.percent ?? 0;
}

/**
 * Does this revision serve traffic? True when its share is above 0. Takes a revision as the tree
 * and the CLI model it (`RevisionModel.traffic`), so every surface asks the same question — Stop
 * and Delete ask it before they act.
 */
export function servesTraffic(revision: { traffic?: { percent: number } | undefined }): boolean {
  return (revision.traffic?.percent ?? 0) > 0;
}

/** The revisions with a share above 0, largest first. */
export function servingTargets(traffic: readonly TrafficTarget[]): TrafficTarget[] {
  return traffic.filter((t) => t.percent > 0).sort((a, b) => b.percent - a.percent || b.revision - a.revision);
}

/** The revision holding `tag`, if any. */
export function revisionOfTag(traffic: readonly TrafficTarget[], tag: string): number | undefined {
  return traffic.find((t) => t.tags?.includes(tag))?.revision;
}

/** A rollout that has not ended. */
export type ActiveRollout = RolloutState & { state: 'progressing' | 'paused' | 'waiting-approval' };

/** Whether a rollout is under way (not ended): traffic edits other than tags wait for it. */
export function rolloutActive(rollout: RolloutState | undefined): rollout is ActiveRollout {
  return rollout !== undefined && rollout.state !== 'done' && rollout.state !== 'aborted';
}

/** `#2 90% · #3 10%`, or `no revision serves` for an empty split. */
export function splitText(traffic: readonly TrafficTarget[]): string {
  const serving = servingTargets(traffic);
  return serving.length === 0 ? 'no revision serves' : serving.map((t) => `#${t.revision} ${t.percent}%`).join(' · ');
}

/** `2m`, `90s`, `1h30m`: a duration as a person writes it. */
export function durationText(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return [h ? `${h}h` : '', m ? `${m}m` : '', s || seconds === 0 ? `${s}s` : ''].join('');
}

/** `10 → 50 → 100, 2m each` or `10 → 50 → 100, each approved`. */
export function planText(plan: RolloutPlan): string {
  return `${plan.steps.join(' → ')}${plan.manual ? ', each approved' : plan.intervalSeconds !== undefined ? `, ${durationText(plan.intervalSeconds)} each` : ''}`;
}
