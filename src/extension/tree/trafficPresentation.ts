/**
 * How traffic reads in the tree: a revision's share (desired, and in effect where they differ)
 * and tags; a service's data plane and its rollout's step and progress; the context-value tokens
 * the traffic menus match. Pure (no `vscode`), like revisionPresentation.
 */
import type { RevisionModel, ServiceModel } from '../../core/kube/revisionState';
import { rolloutView, type RolloutView } from '../../core/traffic/rollout';
import { planText, rolloutActive, splitText } from '../../core/traffic/trafficModel';

/** A line below a node (the shape of revisionPresentation's DetailLine). */
interface Line {
  key: string;
  label: string;
  description: string;
  contextValue?: string;
}

const live = (r: RevisionModel): boolean => r.state.kind === 'running' || r.state.kind === 'starting';

function tagsText(tags: readonly string[]): string {
  return tags.length === 0 ? '' : `${tags.length === 1 ? 'tag' : 'tags'} ${tags.join(', ')}`;
}

/**
 * `90%`, `10% (25% in effect)`, `0%`, plus its tags: shown for a revision that runs, or one that
 * has a share or a tag; empty otherwise.
 */
export function revisionTrafficText(r: RevisionModel): string {
  const t = r.traffic;
  if (!t || (!live(r) && t.percent === 0 && t.tags.length === 0)) return '';
  const share = t.percent > 0 || live(r) ? `${t.percent}%${live(r) && t.effectivePercent !== t.percent ? ` (${t.effectivePercent}% in effect)` : ''}` : '';
  return [share, tagsText(t.tags)].filter((p) => p !== '').join(' · ');
}

/** The rollout of a service as every viewer sees it now (paused when its driver went away). */
export function serviceRollout(service: ServiceModel, now = Date.now()): RolloutView | undefined {
  const record = service.traffic?.record;
  return record && rolloutActive(record.rollout) ? rolloutView(record, now) : undefined;
}

function rolloutShort(view: RolloutView): string {
  const step = view.step < 0 ? 'not started' : `${view.step + 1}/${view.steps.length} at ${view.percent}%`;
  const state = view.state === 'waiting-approval' ? 'waiting for approval' : view.state;
  return `rollout #${view.target} ${step}, ${state}`;
}

/** `gateway public · rollout #3 2/3 at 50%, progressing`, or '' for a plain service without a rollout. */
export function serviceTrafficText(service: ServiceModel, now = Date.now()): string {
  const t = service.traffic;
  if (!t) return '';
  const plane = t.dataPlane === 'gateway' && t.gateway ? `gateway ${t.gateway.namespace ? `${t.gateway.namespace}/` : ''}${t.gateway.name}` : '';
  const view = serviceRollout(service, now);
  return [plane, view ? rolloutShort(view) : ''].filter((p) => p !== '').join(' · ');
}

/** Tokens for a revision's menus: `serving` (a share above 0), `allTraffic` (all of it), `tagged`. */
export function revisionTrafficTokens(r: RevisionModel): string[] {
  const tokens: string[] = [];
  if ((r.traffic?.percent ?? 0) > 0) tokens.push('serving');
  if (r.traffic?.percent === 100) tokens.push('allTraffic');
  if ((r.traffic?.tags.length ?? 0) > 0) tokens.push('tagged');
  return tokens;
}

/**
 * Tokens for a service's menus: its data plane (`plain`, `gateway`), `split` (two or more revisions
 * serve), and with a rollout under way `rollout` plus `rolloutRunning`, `rolloutPaused` or `rolloutWaiting`.
 */
export function serviceTrafficTokens(service: ServiceModel, now = Date.now()): string[] {
  const t = service.traffic;
  if (!t) return [];
  const tokens: string[] = [t.dataPlane];
  if (t.record.traffic.filter((x) => x.percent > 0).length > 1) tokens.push('split');
  const view = serviceRollout(service, now);
  if (view) tokens.push('rollout', view.state === 'paused' ? 'rolloutPaused' : view.state === 'waiting-approval' ? 'rolloutWaiting' : 'rolloutRunning');
  return tokens;
}

/** The traffic lines below a revision: its share and how it is carried, and each tag's address. */
export function revisionTrafficDetails(r: RevisionModel, dataPlane: string | undefined): Line[] {
  const t = r.traffic;
  if (!t) return [];
  const lines: Line[] = [];
  if (t.percent > 0 || live(r)) {
    const how = dataPlane === 'gateway' ? 'exact: the HTTPRoute weight' : t.percent !== t.effectivePercent ? `${t.effectivePercent}% in effect (approximate: the split follows ready pods)` : 'the same in effect';
    lines.push({ key: 'traffic', label: 'Traffic', description: `${t.percent}% · ${how}` });
  }
  for (const tag of t.tags) lines.push({ key: `tag:${tag}`, label: `Tag ${tag}`, description: `${r.service}-${tag}.${r.namespace}.svc` });
  return lines;
}

/** The lines at the top of a service: its data plane, its split and its rollout. */
export function serviceDetails(service: ServiceModel, now = Date.now()): Line[] {
  const t = service.traffic;
  if (!t) return [];
  const lines: Line[] = [];
  const g = t.gateway;
  lines.push(
    t.dataPlane === 'gateway' && g
      ? { key: 'dataPlane', label: 'Data plane', description: `Gateway API: HTTPRoute ${service.name} on Gateway ${g.namespace ? `${g.namespace}/` : ''}${g.name}${g.sectionName ? ` (${g.sectionName})` : ''} — exact weights`, contextValue: 'serviceDetail dataPlane' }
      : { key: 'dataPlane', label: 'Data plane', description: `plain: the stable Service ${service.name} — approximate, the split follows ready pods`, contextValue: 'serviceDetail dataPlane' },
  );
  lines.push({ key: 'split', label: 'Split', description: `${splitText(t.record.traffic)}${t.stored ? '' : ' (as served today; stored on the first traffic change)'}` });
  const view = serviceRollout(service, now);
  if (view) {
    const step = view.step < 0 ? 'no step yet' : `step ${view.step + 1} of ${view.steps.length} (${view.percent}% on #${view.target})`;
    const driver = view.driver && !view.driverGone ? ` · driven by ${view.driver}` : '';
    lines.push({ key: 'rollout', label: 'Rollout', description: `${step} · ${view.state}${driver} · ${planText(view.plan)}${view.message ? ` · ${view.message}` : ''}`, contextValue: 'serviceDetail rollout' });
  }
  return lines;
}
