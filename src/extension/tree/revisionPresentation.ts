/**
 * How a revision reads in the tree: label, description, context-value tokens and detail lines.
 * Pure (no `vscode`), so plain-Node unit tests pin what a person sees and what menus match.
 */
import { describeState } from '../../core/kube/describeState';
import { formatAge } from '../../core/kube/formatAge';
import type { RevisionModel, ServiceModel } from '../../core/kube/revisionState';
import { revisionTrafficDetails, revisionTrafficText, revisionTrafficTokens, serviceTrafficText, serviceTrafficTokens } from './trafficPresentation';

/** The state word(s) shown first in the description: `running 2/2`, `failed: ImagePullBackOff`. */
export function stateText(revision: RevisionModel): string {
  return describeState(revision.state);
}

export function revisionLabel(revision: RevisionModel): string {
  return `#${revision.revision} ${revision.message}`.trim();
}

export function revisionDescription(revision: RevisionModel, now = Date.now()): string {
  return [stateText(revision), revisionTrafficText(revision), revision.image, formatAge(revision.createdAt, now)].filter((p) => p !== '').join(' · ');
}

/**
 * Space-separated tokens matched by package.json menus (`viewItem =~ /\brunning\b/`):
 * `revision <state>` plus `scalable` (a workload exists), `autoscaled`, `hasEndpoint`.
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

/** The children of a revision: replicas, pods, endpoint, traffic and tags, autoscaling, resources. */
export function revisionDetails(revision: RevisionModel, dataPlane?: string): DetailLine[] {
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
  } else if (revision.spec?.autoscaling) {
    const a = revision.spec.autoscaling;
    lines.push({ key: 'autoscaling', label: 'Autoscaling', description: `${a.minReplicas}–${a.maxReplicas} replicas on ${a.metric} (when started)` });
  }
  const r = revision.spec?.resources;
  if (r) {
    const parts = [r.cpu !== undefined ? `cpu ${r.cpu}` : undefined, r.memory !== undefined ? `memory ${r.memory}` : undefined, r.gpu ? `${r.gpu.count} × ${r.gpu.resourceName ?? 'gpu'}${r.gpu.product ? ` (${r.gpu.product})` : ''}` : undefined].filter(Boolean);
    if (parts.length > 0) lines.push({ key: 'resources', label: 'Resources', description: parts.join(', ') });
  }
  if (revision.reproducedFrom) lines.push({ key: 'origin', label: 'Reproduced from', description: `#${revision.reproducedFrom}` });
  if (revision.specError) lines.push({ key: 'specError', label: 'Stored spec unreadable', description: revision.specError });
  return lines;
}
