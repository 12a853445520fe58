/**
 * Rollouts as pure transitions of the stored state: the split at each step, when a step may
 * advance (the target healthy, the hold over or approved), pause, resume, abort, and how a
 * rollout whose driver went away reads. Each transition returns the next service record, which
 * the cluster client writes in one atomic update: a rollout is never half-applied.
 */
import { apportion, applySplit, normalizeTraffic } from './trafficPolicy';
import { DefaultHeartbeatTimeoutSeconds, rolloutActive, servingTargets, shareOf, type RolloutPlan, type RolloutState, type ServiceRecord, type TrafficTarget } from './trafficModel';

const MaxSteps = 20;
const MaxIntervalSeconds = 7 * 24 * 3600;

/** `2m`, `30s`, `1h30m`, `90` (seconds) → seconds; the problem in words otherwise. */
export function parseDuration(text: string): number | string {
  const trimmed = text.trim();
  const match = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?$/.exec(trimmed);
  if (!match || trimmed === '' || (match[1] === undefined && match[2] === undefined && match[3] === undefined)) return `"${text}" is not a duration: write it like 30s, 2m or 1h30m`;
  const seconds = Number(match[1] ?? 0) * 3600 + Number(match[2] ?? 0) * 60 + Number(match[3] ?? 0);
  if (seconds < 1) return `"${text}" is too short: hold each step at least 1s`;
  if (seconds > MaxIntervalSeconds) return `"${text}" is longer than a week: hold each step at most 168h`;
  return seconds;
}

/** `10,50,100` → [10, 50, 100]; the problem in words otherwise. */
export function parseSteps(text: string): number[] | string {
  const parts = text.split(',').map((p) => p.trim().replace(/%$/, ''));
  if (parts.some((p) => !/^\d{1,3}$/.test(p))) return `"${text}" is not a list of whole percents: write it like 10,50,100`;
  const steps = parts.map(Number);
  return stepsProblem(steps) ?? steps;
}

/** What is wrong with a plan's steps; undefined when they are fine. */
export function stepsProblem(steps: readonly number[]): string | undefined {
  if (steps.length === 0) return 'a rollout needs at least one step, e.g. 10,50,100';
  if (steps.length > MaxSteps) return `a rollout has at most ${MaxSteps} steps, not ${steps.length}`;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i] as number;
    if (!Number.isInteger(step) || step < 1 || step > 100) return `step ${i + 1} (${step}) must be a whole percent from 1 to 100`;
    if (i > 0 && step <= (steps[i - 1] as number)) return `the steps must grow: ${steps[i - 1]} is followed by ${step}`;
  }
  if (steps[steps.length - 1] !== 100) return `the last step must be 100 (all traffic on the new revision), not ${steps[steps.length - 1]}`;
  return undefined;
}

/** What is wrong with a whole plan; undefined when it is fine. */
export function planProblem(plan: RolloutPlan): string | undefined {
  const steps = stepsProblem(plan.steps);
  if (steps) return steps;
  if (plan.manual && plan.intervalSeconds !== undefined) return 'a rollout holds each step either for an interval or until approved (manual), not both';
  if (!plan.manual && plan.intervalSeconds === undefined) return 'a rollout needs an interval to hold each step (e.g. 2m), or manual approval';
  return undefined;
}

/**
 * The split at a step: the target gets `percent`; the rest goes to the revisions that served
 * before the rollout, in their former proportions. Tags stay where they are.
 */
export function splitAtStep(before: readonly TrafficTarget[], target: number, percent: number, current: readonly TrafficTarget[]): TrafficTarget[] {
  const others = servingTargets(before).filter((t) => t.revision !== target);
  const rest = apportion(others.map((t) => ({ revision: t.revision, weight: t.percent })), 100 - percent);
  const split = percent >= 100 || rest.length === 0 ? [{ revision: target, percent: 100 }] : [{ revision: target, percent }, ...rest];
  return applySplit(current, split);
}

/** What the target revision looks like to the health gate. */
export interface TargetHealth {
  /** RevisionState's kind. */
  state: string;
  ready: number;
  desired: number;
  /** Why it is not healthy, when it is not (`1/2 ready`, `CrashLoopBackOff: …`). */
  reason?: string;
  /** The latest time a container of the target restarted (RFC 3339), if any did. */
  lastRestartAt?: string;
}

export function isHealthy(health: TargetHealth): boolean {
  return health.state === 'running' && health.desired > 0 && health.ready >= health.desired;
}

/** What a driver does now. */
export type RolloutAction =
  | { kind: 'apply'; step: number }
  | { kind: 'hold'; why: string }
  | { kind: 'waitApproval' }
  | { kind: 'pause'; why: string }
  | { kind: 'none' };

function secondsSince(time: string | undefined, now: number): number {
  return time ? (now - Date.parse(time)) / 1000 : Infinity;
}

/**
 * The next move of a rollout, from its state, its target's health and the time. A step advances
 * only while the target is healthy: all pods ready, and no container restart in the step's
 * window (since the step began, and within the last interval).
 */
export function nextRolloutAction(rollout: RolloutState, health: TargetHealth, now: number): RolloutAction {
  if (!rolloutActive(rollout) || rollout.state === 'paused') return { kind: 'none' };
  const steps = rollout.plan.steps;
  const who = `revision ${rollout.target}`;
  if (health.state === 'failed') return { kind: 'pause', why: `${who} failed (${health.reason ?? 'see its details'})` };
  if (health.state === 'stopped' || health.state === 'stopping') return { kind: 'pause', why: `${who} is ${health.state}` };
  if (!isHealthy(health)) return { kind: 'hold', why: `waiting for ${who} to be ready (${health.reason ?? `${health.ready}/${health.desired} ready`})` };
  if (rollout.step < 0) return { kind: 'apply', step: 0 };
  if (rollout.step >= steps.length - 1) return { kind: 'none' };
  const windowStart = Math.max(Date.parse(rollout.stepStartedAt ?? '') || 0, rollout.plan.intervalSeconds !== undefined ? now - rollout.plan.intervalSeconds * 1000 : 0);
  if (health.lastRestartAt && Date.parse(health.lastRestartAt) >= windowStart) return { kind: 'hold', why: `${who} restarted a container at ${health.lastRestartAt}; holding until a whole window passes without one` };
  if (rollout.plan.manual) {
    if ((rollout.approvedStep ?? -1) >= rollout.step) return { kind: 'apply', step: rollout.step + 1 };
    return rollout.state === 'waiting-approval' ? { kind: 'none' } : { kind: 'waitApproval' };
  }
  const held = secondsSince(rollout.stepStartedAt, now);
  if (held >= (rollout.plan.intervalSeconds ?? 0)) return { kind: 'apply', step: rollout.step + 1 };
  return { kind: 'hold', why: `holding ${steps[rollout.step]}% for ${Math.ceil((rollout.plan.intervalSeconds ?? 0) - held)}s more` };
}

/** The record once step `step` is applied: the split and the step in one write. The last step ends the rollout. */
export function applyStep(record: ServiceRecord, step: number, now: number): ServiceRecord {
  const rollout = record.rollout as RolloutState;
  const percent = rollout.plan.steps[step] as number;
  const last = step >= rollout.plan.steps.length - 1;
  const at = new Date(now).toISOString();
  const next: RolloutState = { ...rollout, step, stepStartedAt: at, state: last ? 'done' : 'progressing', message: last ? `all traffic on revision ${rollout.target}` : `step ${step + 1} of ${rollout.plan.steps.length}: ${percent}% on revision ${rollout.target}` };
  if (last) {
    next.endedAt = at;
    delete next.driver;
  }
  return { ...record, traffic: splitAtStep(rollout.before, rollout.target, percent, record.traffic), rollout: next };
}

/** The record with a new rollout of `target` begun (no step applied yet). */
export function beginRollout(record: ServiceRecord, target: number, plan: RolloutPlan, now: number, driver?: string, heartbeatTimeoutSeconds = DefaultHeartbeatTimeoutSeconds): ServiceRecord {
  const at = new Date(now).toISOString();
  const rollout: RolloutState = {
    target,
    plan,
    step: -1,
    before: servingTargets(record.traffic).map((t) => ({ revision: t.revision, percent: t.percent })),
    state: 'progressing',
    heartbeatTimeoutSeconds,
    startedAt: at,
    message: `starting: waiting for revision ${target} to be ready`,
    ...(driver ? { driver, heartbeat: at } : {}),
  };
  return { ...record, rollout };
}

/** What keeps a rollout of `target` from starting now; undefined when it can. */
export function rolloutStartProblem(record: ServiceRecord, target: number, plan: RolloutPlan): string | undefined {
  const plan_ = planProblem(plan);
  if (plan_) return plan_;
  if (rolloutActive(record.rollout)) return `a rollout of revision ${record.rollout.target} is already under way (${rolloutStepText(record.rollout)}): abort it, or let it finish, first`;
  if (shareOf(record.traffic, target) === 100) return `revision ${target} already serves all the traffic`;
  if (plan.steps[0] !== undefined && plan.steps[0] <= shareOf(record.traffic, target)) return `revision ${target} already serves ${shareOf(record.traffic, target)}%, and the first step (${plan.steps[0]}%) would not move anything: start from a larger step`;
  return undefined;
}

/** `step 2 of 3 (50%)` or `not started`. */
export function rolloutStepText(rollout: RolloutState): string {
  return rollout.step < 0 ? 'no step applied yet' : `step ${rollout.step + 1} of ${rollout.plan.steps.length} (${rollout.plan.steps[rollout.step]}%)`;
}

export function pauseRollout(record: ServiceRecord, by: string, now: number, why?: string): ServiceRecord {
  const rollout = record.rollout as RolloutState;
  return { ...record, rollout: { ...rollout, state: 'paused', message: why ?? `paused by ${by} at ${new Date(now).toISOString()}` } };
}

/**
 * The record with the rollout going again, driven by `driver` when given (resume re-acquires a
 * rollout whose driver went away); a step waiting for approval is approved.
 */
export function resumeRollout(record: ServiceRecord, now: number, driver?: string): ServiceRecord {
  const rollout = record.rollout as RolloutState;
  const at = new Date(now).toISOString();
  const next: RolloutState = { ...rollout, state: 'progressing', message: `resumed at ${at}` };
  if (rollout.state === 'waiting-approval' || rollout.plan.manual) next.approvedStep = rollout.step;
  if (driver) {
    next.driver = driver;
    next.heartbeat = at;
  }
  return { ...record, rollout: next };
}

/** The split before the rollout back, in one write: the rollout ends as aborted. */
export function abortRollout(record: ServiceRecord, by: string, now: number, why?: string): ServiceRecord {
  const rollout = record.rollout as RolloutState;
  const at = new Date(now).toISOString();
  const next: RolloutState = { ...rollout, state: 'aborted', endedAt: at, message: why ?? `aborted by ${by}; traffic returned to ${rollout.before.map((t) => `#${t.revision} ${t.percent}%`).join(', ') || 'no revision'}` };
  delete next.driver;
  const restored = rollout.before.length > 0 ? applySplit(record.traffic, rollout.before) : normalizeTraffic(record.traffic.map((t) => ({ ...t, percent: 0 })));
  return { ...record, traffic: restored, rollout: next };
}

/** Whether the rollout's driver has said nothing for longer than its timeout (or there is none). */
export function driverGone(rollout: RolloutState, now: number): boolean {
  return !rollout.driver || secondsSince(rollout.heartbeat, now) > rollout.heartbeatTimeoutSeconds;
}

/** A rollout as every viewer shows it: an active one whose driver went away is paused at its last applied step. */
export interface RolloutView {
  target: number;
  state: RolloutState['state'];
  /** Index of the last applied step (-1: none). */
  step: number;
  steps: number[];
  /** The target's share now. */
  percent: number;
  driver?: string;
  /** True when shown as paused because no client drives it. */
  driverGone: boolean;
  message?: string;
  plan: RolloutPlan;
}

export function rolloutView(record: ServiceRecord, now: number): RolloutView | undefined {
  const rollout = record.rollout;
  if (!rollout) return undefined;
  const gone = rolloutActive(rollout) && driverGone(rollout, now);
  const view: RolloutView = {
    target: rollout.target,
    state: gone ? 'paused' : rollout.state,
    step: rollout.step,
    steps: rollout.plan.steps,
    percent: shareOf(record.traffic, rollout.target),
    driverGone: gone,
    plan: rollout.plan,
  };
  if (rollout.driver) view.driver = rollout.driver;
  const message = gone ? (rollout.driver ? `${rollout.driver} stopped driving it (no sign of life since ${rollout.heartbeat ?? '?'}); resume it to go on` : 'no client drives it; resume it to go on') : rollout.message;
  if (message) view.message = message;
  return view;
}

/** `rollout of #3: step 2 of 3 (50%), progressing` for the tree and the CLI. */
export function rolloutViewText(view: RolloutView): string {
  const step = view.step < 0 ? 'no step yet' : `step ${view.step + 1}/${view.steps.length} (${view.steps[view.step]}%)`;
  return `rollout of #${view.target}: ${step}, ${view.state}`;
}
