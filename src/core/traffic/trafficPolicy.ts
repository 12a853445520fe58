/**
 * The rules of a service's traffic, pure so that the CLI, the editor and the cluster client apply
 * the same ones: what a valid split is, how tags are named and moved, who gets traffic when a
 * revision starts, and what Stop and Delete may do to a revision that serves.
 */
import { shareOf, servingTargets, type TrafficTarget } from './trafficModel';

/** What the rules need to know of a revision. */
export interface RevisionFacts {
  revision: number;
  /** `running`, `starting`, `failed`, `stopped`, `stopping` (RevisionState's kind). */
  state: string;
}

/** One `REV=PERCENT` of a split. */
export interface ShareAssignment {
  revision: number;
  percent: number;
}

/** Most tags a service may have: a Gateway route holds at most 16 rules, one of them the split. */
export const MaxTags = 15;

const MaxNameLength = 63;

/** A revision that may be given a share above 0: it runs, or is on its way. */
export function canServe(state: string): boolean {
  return state === 'running' || state === 'starting';
}

/** `2=90` → revision 2, 90 percent; the problem in words otherwise. */
export function parseAssignment(text: string): ShareAssignment | string {
  const match = /^\s*#?(\d+)\s*=\s*(\S*)\s*$/.exec(text);
  if (!match) return `"${text}" is not REVISION=PERCENT, e.g. "2=90"`;
  const revision = Number(match[1]);
  const raw = match[2] ?? '';
  const percent = /^\d{1,3}%?$/.test(raw) ? Number(raw.replace('%', '')) : NaN;
  if (revision < 1) return `"${text}": revision numbers start at 1`;
  if (!Number.isInteger(percent) || percent > 100) return `"${text}": the share of revision ${revision} must be a whole number from 0 to 100, not "${raw}"`;
  return { revision, percent };
}

/**
 * What is wrong with a split of `service`'s traffic, naming the revision and the fix; undefined
 * when it can be applied: whole percents adding up to 100, each revision once, existing, and
 * running (or starting) when it gets a share.
 */
export function splitProblem(service: string, split: readonly ShareAssignment[], revisions: readonly RevisionFacts[]): string | undefined {
  if (split.length === 0) return 'no share given: name each revision and its percent, e.g. 2=90 3=10';
  const seen = new Set<number>();
  for (const { revision, percent } of split) {
    if (seen.has(revision)) return `revision ${revision} is given twice: give each revision one share`;
    seen.add(revision);
    if (!Number.isInteger(percent) || percent < 0 || percent > 100) return `the share of revision ${revision} must be a whole number from 0 to 100, not ${percent}`;
    const facts = revisions.find((r) => r.revision === revision);
    if (!facts) return `revision ${revision} of "${service}" does not exist: ${revisions.length > 0 ? `it has ${revisions.map((r) => `#${r.revision}`).join(', ')}` : 'it has no revisions'}`;
    if (percent > 0 && !canServe(facts.state)) {
      return `revision ${revision} of "${service}" is ${facts.state}, and a ${facts.state === 'failed' ? 'failed' : 'stopped'} revision cannot hold traffic: start it first (serve-revisions start ${service} ${revision}), or give it 0`;
    }
  }
  const sum = split.reduce((n, s) => n + s.percent, 0);
  if (sum !== 100) return `the shares add up to ${sum}, not 100: ${sum < 100 ? `give the remaining ${100 - sum} to one of the revisions` : `take ${sum - 100} away from one of them`}`;
  return undefined;
}

/** Drops what carries nothing (0 % and no tag) and orders newest first, so equal policies read alike. */
export function normalizeTraffic(traffic: readonly TrafficTarget[]): TrafficTarget[] {
  return traffic
    .filter((t) => t.percent > 0 || (t.tags?.length ?? 0) > 0)
    .map((t) => ({ revision: t.revision, percent: t.percent, ...(t.tags && t.tags.length > 0 ? { tags: [...t.tags].sort() } : {}) }))
    .sort((a, b) => b.revision - a.revision);
}

/** The split as given (revisions left out get 0), tags kept where they were. */
export function applySplit(traffic: readonly TrafficTarget[], split: readonly ShareAssignment[]): TrafficTarget[] {
  const percents = new Map(split.map((s) => [s.revision, s.percent]));
  const out = traffic.map((t) => ({ ...t, percent: percents.get(t.revision) ?? 0 }));
  for (const s of split) if (!out.some((t) => t.revision === s.revision)) out.push({ revision: s.revision, percent: s.percent });
  return normalizeTraffic(out);
}

/** Whether two policies route the same shares to the same revisions with the same tags. */
export function sameTraffic(a: readonly TrafficTarget[], b: readonly TrafficTarget[]): boolean {
  return JSON.stringify(normalizeTraffic(a)) === JSON.stringify(normalizeTraffic(b));
}

/**
 * What is wrong with a tag name for `service`: it names a Service `<service>-<tag>`, so it is a
 * DNS label that keeps that name within 63 characters and cannot be taken for a revision's own
 * `<service>-r<n>`.
 */
export function tagProblem(service: string, tag: string): string | undefined {
  const room = MaxNameLength - service.length - 1;
  if (!/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(tag)) return `tag "${tag}" is not a valid name: use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, e.g. "canary"`;
  if (/^r\d+$/.test(tag)) return `tag "${tag}" would name the Service "${service}-${tag}", which is revision ${tag.slice(1)}'s own endpoint: choose another name`;
  if (tag.length > room) return `tag "${tag}" is ${tag.length} characters long: with "${service}-" in front, its Service name may take at most ${room}`;
  return undefined;
}

/** Tags moved or removed: `tag` gives each tag to one revision (taking it from another), `untag` removes them. */
export function applyTags(traffic: readonly TrafficTarget[], changes: { tag?: ReadonlyArray<{ revision: number; tag: string }>; untag?: readonly string[] }): TrafficTarget[] {
  const moving = new Set([...(changes.tag ?? []).map((t) => t.tag), ...(changes.untag ?? [])]);
  const out = traffic.map((t) => ({ ...t, tags: (t.tags ?? []).filter((tag) => !moving.has(tag)) }));
  for (const { revision, tag } of changes.tag ?? []) {
    let entry = out.find((t) => t.revision === revision);
    if (!entry) {
      entry = { revision, percent: 0, tags: [] };
      out.push(entry);
    }
    entry.tags = [...(entry.tags ?? []), tag];
  }
  return normalizeTraffic(out);
}

/** What is wrong with tag changes, naming the tag and the fix; undefined when they can be applied. */
export function tagChangesProblem(service: string, traffic: readonly TrafficTarget[], changes: { tag?: ReadonlyArray<{ revision: number; tag: string }>; untag?: readonly string[] }, revisions: readonly RevisionFacts[]): string | undefined {
  const given = new Set<string>();
  for (const { revision, tag } of changes.tag ?? []) {
    const problem = tagProblem(service, tag);
    if (problem) return problem;
    if (given.has(tag)) return `tag "${tag}" is given twice: a tag follows one revision`;
    given.add(tag);
    if (!revisions.some((r) => r.revision === revision)) return `revision ${revision} of "${service}" does not exist, so it cannot be tagged "${tag}"`;
  }
  for (const tag of changes.untag ?? []) {
    if (!traffic.some((t) => t.tags?.includes(tag))) return `no revision of "${service}" is tagged "${tag}"${allTags(traffic).length > 0 ? `: its tags are ${allTags(traffic).map((t) => `"${t}"`).join(', ')}` : ''}`;
  }
  const after = allTags(applyTags(traffic, changes));
  if (after.length > MaxTags) return `a service may have at most ${MaxTags} tags, and this would make ${after.length}: remove some first`;
  return undefined;
}

export function allTags(traffic: readonly TrafficTarget[]): string[] {
  return traffic.flatMap((t) => t.tags ?? []).sort();
}

/** A start sends traffic only when nothing serves yet: the service's first revision gets 100 %. */
export function trafficAfterStart(traffic: readonly TrafficTarget[], revision: number): TrafficTarget[] | undefined {
  if (servingTargets(traffic).length > 0) return undefined;
  return applySplit(traffic, [{ revision, percent: 100 }]);
}

/** What stopping a revision means for traffic. */
export type StopDecision =
  /** It serves nothing: stop it. */
  | { kind: 'free' }
  /** It serves and another revision could take its share: move that first. */
  | { kind: 'mustMove'; share: number; candidates: number[] }
  /** It serves and no other revision runs: stopping it leaves the service with no traffic. */
  | { kind: 'lastServing'; share: number };

export function stopDecision(traffic: readonly TrafficTarget[], revision: number, revisions: readonly RevisionFacts[]): StopDecision {
  const share = shareOf(traffic, revision);
  if (share === 0) return { kind: 'free' };
  const others = revisions.filter((r) => r.revision !== revision && canServe(r.state));
  const serving = servingTargets(traffic).filter((t) => t.revision !== revision).map((t) => t.revision);
  const candidates = [...serving, ...others.map((r) => r.revision).filter((r) => !serving.includes(r)).sort((a, b) => b - a)];
  if (candidates.length === 0) return { kind: 'lastServing', share };
  return { kind: 'mustMove', share, candidates };
}

/** `from`'s share given to `to` (which keeps its own). */
export function moveShare(traffic: readonly TrafficTarget[], from: number, to: number): TrafficTarget[] {
  const share = shareOf(traffic, from);
  const split = servingTargets(traffic)
    .filter((t) => t.revision !== from)
    .map((t) => ({ revision: t.revision, percent: t.percent + (t.revision === to ? share : 0) }));
  if (!split.some((s) => s.revision === to)) split.push({ revision: to, percent: share });
  return applySplit(traffic, split);
}

/** The policy once a revision is gone (deleted): its entry and tags with it. */
export function withoutRevision(traffic: readonly TrafficTarget[], revision: number): TrafficTarget[] {
  return normalizeTraffic(traffic.filter((t) => t.revision !== revision));
}

/** The policy once a revision stopped: no share (it cannot hold one), its tags kept. */
export function withoutShare(traffic: readonly TrafficTarget[], revision: number): TrafficTarget[] {
  return normalizeTraffic(traffic.map((t) => (t.revision === revision ? { ...t, percent: 0 } : t)));
}

/**
 * Whole percents in proportion to `weights`, adding up to `total` exactly (largest remainder; ties
 * to the larger weight, then the newer revision).
 */
export function apportion(weights: ReadonlyArray<{ revision: number; weight: number }>, total: number): ShareAssignment[] {
  const sum = weights.reduce((n, w) => n + w.weight, 0);
  if (sum <= 0 || weights.length === 0) return [];
  const exact = weights.map((w) => ({ revision: w.revision, weight: w.weight, value: (w.weight * total) / sum }));
  const out = exact.map((e) => ({ revision: e.revision, percent: Math.floor(e.value), rest: e.value - Math.floor(e.value), weight: e.weight }));
  let left = total - out.reduce((n, o) => n + o.percent, 0);
  for (const o of [...out].sort((a, b) => b.rest - a.rest || b.weight - a.weight || b.revision - a.revision)) {
    if (left <= 0) break;
    o.percent++;
    left--;
  }
  return out.map(({ revision, percent }) => ({ revision, percent }));
}

/**
 * Replicas that make ready pods approximate the split on a plain Service (the method Argo Rollouts
 * documents): the split's revisions share `total` replicas by weight, each keeping at least one.
 */
export function replicasForSplit(traffic: readonly TrafficTarget[], total: number): Array<{ revision: number; replicas: number }> {
  const serving = servingTargets(traffic);
  const pool = Math.max(total, serving.length);
  return serving.map((t) => ({ revision: t.revision, replicas: Math.max(1, Math.round((pool * t.percent) / 100)) }));
}

/**
 * What is wrong with a share typed for one revision of a split, as the person types it: a whole
 * percent within what is left to give; the last one must take exactly what is left, so the sum is 100.
 */
export function shareInputProblem(text: string, remaining: number, last: boolean): string | undefined {
  const trimmed = text.trim().replace(/%$/, '');
  if (!/^\d{1,3}$/.test(trimmed)) return 'Enter a whole percent, e.g. 10.';
  const percent = Number(trimmed);
  if (percent > remaining) return `Only ${remaining}% is left to give: enter at most ${remaining}.`;
  if (last && percent !== remaining) return `The shares must add up to 100: this last one takes the remaining ${remaining}.`;
  return undefined;
}
