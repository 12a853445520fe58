/**
 * How a revision reads in the tree and in the prompts about it: label, description, context-value
 * tokens, detail lines and tooltip. Pure (no `vscode`), so plain-Node unit tests pin what a person
 * sees and what menus match.
 */
import { describeState } from '../../core/kube/describeState';
import { formatAge, formatTime, msUntilAgeChanges } from '../../core/kube/formatAge';
import type { RevisionModel, ServiceModel } from '../../core/kube/revisionState';
import type { StoredSpec } from '../../core/kube/storedSpec';
import { revisionTrafficDetails, revisionTrafficText, revisionTrafficTokens, serviceTrafficText, serviceTrafficTokens } from './trafficPresentation';

/** The state word(s) shown first in the description: `running 2/2`, `failed: ImagePullBackOff`. */
export function stateText(revision: RevisionModel): string {
  return describeState(revision.state);
}

/** How prompts and notifications name a revision, in the tree's words: `#2 of iris`. */
export function revisionName(r: { service: string; revision: number }): string {
  return `#${r.revision} of ${r.service}`;
}

/**
 * `#2 running 2/2`: the number and the state, first on the row, so a narrow view still shows what
 * each revision is doing; its message follows in the description (and whole in the tooltip).
 */
export function revisionLabel(revision: RevisionModel): string {
  return `#${revision.revision} ${stateText(revision)}`;
}

/**
 * The image as a row has room for: the last part of the repository with its tag
 * (`iris-bentoml:1.1.0`), or a digest cut to 12 hex digits; the tooltip shows it whole.
 */
export function shortImage(image: string): string {
  const at = image.indexOf('@');
  const name = at === -1 ? image : image.slice(0, at);
  const digest = at === -1 ? '' : image.slice(at);
  const lastSlash = name.lastIndexOf('/');
  const short = lastSlash === -1 ? name : name.slice(lastSlash + 1);
  const shortDigest = digest.replace(/^(@[A-Za-z0-9]+:)([0-9a-fA-F]{12})[0-9a-fA-F]+$/, '$1$2');
  return `${short}${shortDigest}`;
}

/** Ages in the tree tick once a minute at most (AgeOptions.coarse): a redraw closes an open context menu. */
const TreeAges = { coarse: true } as const;

/**
 * `90% (75% in effect) · tag canary · Retrained on the full dataset · iris-bentoml:1.1.0 · 5m`: its
 * share of the traffic and tags right after the state (trafficPresentation), then what it is for, a
 * short image, its age.
 */
export function revisionDescription(revision: RevisionModel, now = Date.now()): string {
  return [revisionTrafficText(revision), revision.message, shortImage(revision.image), formatAge(revision.createdAt, now, TreeAges)].filter((p) => p !== '').join(' · ');
}

/** The ages a service's rows show, to tell when a tick must redraw it. */
export function agesShown(service: ServiceModel, now = Date.now()): string {
  return service.revisions.map((r) => formatAge(r.createdAt, now, TreeAges)).join(' ');
}

/** Milliseconds until any of the service's ages reads differently; undefined when none has an age. */
export function msUntilAgesChange(service: ServiceModel, now = Date.now()): number | undefined {
  let soonest: number | undefined;
  for (const r of service.revisions) {
    const wait = msUntilAgeChanges(r.createdAt, now, TreeAges);
    if (wait !== undefined && (soonest === undefined || wait < soonest)) soonest = wait;
  }
  return soonest;
}

/**
 * Space-separated tokens matched by package.json menus (`viewItem =~ /\brunning\b/`):
 * `revision <state>` plus `scalable` (a workload exists), `autoscaled`, `hasEndpoint`. A failed
 * revision has a workload that does not come up: Stop and Scale fit it, Start does not.
 */
export function revisionContextValue(revision: RevisionModel): string {
  const tokens = ['revision', revision.state.kind];
  if (revision.state.kind !== 'stopped' && revision.state.kind !== 'stopping') tokens.push('scalable');
  if (revision.autoscaling) tokens.push('autoscaled');
  if (revision.endpoint) tokens.push('hasEndpoint');
  tokens.push(...revisionTrafficTokens(revision));
  return tokens.join(' ');
}

export function serviceContextValue(service: ServiceModel, now = Date.now()): string {
  return [service.endpoint ? 'service hasEndpoint' : 'service', ...serviceTrafficTokens(service, now)].join(' ');
}

export function serviceDescription(service: ServiceModel, now = Date.now()): string {
  const running = service.revisions.filter((r) => r.state.kind === 'running').length;
  const count = `${service.revisions.length} revision${service.revisions.length === 1 ? '' : 's'}`;
  return [running > 0 ? `${count} · ${running} running` : count, serviceTrafficText(service, now)].filter((p) => p !== '').join(' · ');
}

export interface DetailLine {
  /** Stable per revision: the tree item's id suffix. */
  key: string;
  label: string;
  description: string;
  contextValue?: string;
}

/**
 * The children of a revision: replicas, pods, endpoint, traffic and tags, autoscaling, resources.
 * The lines from its stored spec (resources, autoscaling when stopped) come once `stored` has been
 * fetched.
 */
export function revisionDetails(revision: RevisionModel, stored?: StoredSpec, dataPlane?: string): DetailLine[] {
  const spec = stored && 'spec' in stored ? stored.spec : undefined;
  const lines: DetailLine[] = [];
  const s = revision.state;
  if (s.kind === 'running' || s.kind === 'starting' || s.kind === 'failed') lines.push({ key: 'replicas', label: 'Replicas', description: `${s.ready} ready of ${s.desired}` });
  else lines.push({ key: 'replicas', label: 'Replicas', description: s.kind === 'stopping' ? 'stopping' : 'none (stopped)' });
  if (s.kind === 'failed') lines.push({ key: 'failure', label: 'Failure', description: `${s.reason}: ${s.message}` });
  for (const pod of revision.pods) {
    lines.push({ key: `pod:${pod.name}`, label: `Pod ${pod.name}`, description: [pod.phase, pod.ready ? 'ready' : 'not ready', pod.reason, pod.node ? `on ${pod.node}` : undefined].filter(Boolean).join(' · ') });
  }
  if (revision.endpoint) lines.push({ key: 'endpoint', label: 'Endpoint', description: revision.endpoint, contextValue: 'detail endpoint hasEndpoint' });
  lines.push(...revisionTrafficDetails(revision, dataPlane));
  if (revision.autoscaling) {
    const a = revision.autoscaling;
    lines.push({ key: 'autoscaling', label: 'Autoscaling', description: `${a.minReplicas}–${a.maxReplicas} replicas on ${a.metric}${a.current !== undefined ? `, ${a.current} now` : ''}` });
  } else if (spec?.autoscaling) {
    const a = spec.autoscaling;
    lines.push({ key: 'autoscaling', label: 'Autoscaling', description: `${a.minReplicas}–${a.maxReplicas} replicas on ${a.metric} (when started)` });
  }
  const r = spec?.resources;
  if (r) {
    const parts = [r.cpu !== undefined ? `cpu ${r.cpu}` : undefined, r.memory !== undefined ? `memory ${r.memory}` : undefined, r.gpu ? `${r.gpu.count} × ${r.gpu.resourceName ?? 'gpu'}${r.gpu.product ? ` (${r.gpu.product})` : ''}` : undefined].filter(Boolean);
    if (parts.length > 0) lines.push({ key: 'resources', label: 'Resources', description: parts.join(', ') });
  }
  if (revision.reproducedFrom) lines.push({ key: 'origin', label: 'Reproduced from', description: `#${revision.reproducedFrom}` });
  if (stored && 'error' in stored) lines.push({ key: 'specError', label: 'Stored spec unreadable', description: stored.error });
  return lines;
}

/**
 * The tooltip's lines after its title: state (and why it failed), the whole image, the details
 * (with those from its stored spec once `stored` has been fetched), when and by whom it was made.
 */
export function revisionTooltipLines(revision: RevisionModel, now = Date.now(), stored?: StoredSpec): string[] {
  const lines = [`State: ${stateText(revision)}${revision.state.kind === 'failed' ? ` — ${revision.state.message}` : ''}`, `Image: ${revision.image}`];
  for (const line of revisionDetails(revision, stored).filter((l) => l.key !== 'failure')) lines.push(`${line.label}: ${line.description}`);
  const created = formatTime(revision.createdAt, now);
  if (created) lines.push(`Created ${created}${revision.createdBy ? ` by ${revision.createdBy}` : ''}`);
  return lines;
}

/** What deleting a revision removes besides its recipe, naming only what exists. */
export function deleteConsequences(revision: RevisionModel, service: ServiceModel | undefined): string {
  const parts: string[] = [];
  const pods = revision.pods.length;
  if (pods > 0) parts.push(`its ${pods === 1 ? 'pod' : `${pods} pods`}`);
  if (revision.endpoint) parts.push(`its endpoint ${revision.endpoint}`);
  if (revision.autoscaling) parts.push('its autoscaler');
  const last = service !== undefined && service.revisions.length === 1 && service.revisions[0]?.revision === revision.revision;
  if (last && service?.endpoint) parts.push(`the service's stable endpoint ${service.endpoint} (this is its last revision)`);
  const plural = parts.length > 1 || (parts.length === 1 && pods > 1);
  const also = parts.length === 0 ? '' : ` ${capitalise(joinAnd(parts))} ${plural ? 'go' : 'goes'} too.`;
  const others = last ? '' : ' Other revisions stay.';
  return `The stored recipe "${revision.message}" (${revision.image}) is removed for good.${also}${others}`;
}

function joinAnd(parts: string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The address Copy Endpoint copies: an `http://` URL for an HTTP port (the default), the bare
 * `host:port` for gRPC and TCP, which have no URL scheme a browser or curl takes.
 */
export function endpointUrl(endpoint: string, protocol: string | undefined): string {
  return protocol === undefined || protocol === 'http' ? `http://${endpoint}` : endpoint;
}
