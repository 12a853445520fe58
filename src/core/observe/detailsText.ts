/**
 * A revision's details as plain text, for `serve-revisions describe` (and anything else that
 * prints them). Pure; the texts in the view are escaped already (revisionDetails.ts).
 */
import type { DetailsEvent, RevisionDetailsView } from '../../shared/detailsProtocol';
import { formatAge } from '../kube/formatAge';

function eventRow(e: DetailsEvent, now: number): string {
  const age = e.time ? formatAge(e.time, now) : '?';
  return `  ${age.padEnd(5)} ${e.type.padEnd(8)} ${e.reason.padEnd(18)} ${e.object}${e.count > 1 ? ` (×${e.count})` : ''}: ${e.message}`;
}

export function detailsText(view: RevisionDetailsView, now = Date.now()): string {
  const lines: string[] = [];
  const r = view.replicas;
  lines.push(`Revision ${view.revision} of "${view.service}" in namespace "${view.namespace}"${view.context ? ` of context "${view.context}"` : ''}`);
  if (view.message) lines.push(`Message:   ${view.message}`);
  if (view.image) lines.push(`Image:     ${view.image}`);
  lines.push(`State:     ${view.stateText}`);
  lines.push(`Why:       ${view.headline}`);
  lines.push(`Replicas:  ${r.ready} ready of ${r.desired} desired${r.total !== undefined ? `, ${r.total} pod${r.total === 1 ? '' : 's'}` : ''}${r.updated !== undefined ? `, ${r.updated} up to date` : ''}${r.available !== undefined ? `, ${r.available} available` : ''}`);
  if (view.refusals.length > 0) {
    lines.push('Refused:');
    for (const refusal of view.refusals) lines.push(`  ${refusal}`);
  }
  if (view.pods.length > 0) {
    lines.push('Pods:');
    for (const p of view.pods) {
      lines.push(`  ${p.name}  ${p.phase}${p.ready ? ', ready' : ', not ready'}${p.node ? `, on ${p.node}` : ', not scheduled'}, ${p.restarts} restart${p.restarts === 1 ? '' : 's'}${p.deleting ? ', terminating' : ''}`);
      if (p.reason) lines.push(`    ${p.reason}${p.message ? `: ${p.message}` : ''}`);
      for (const c of p.containers) {
        if (c.lastExitCode !== undefined) lines.push(`    container ${c.name} (${c.image}) last exited with code ${c.lastExitCode}${c.lastReason ? ` (${c.lastReason})` : ''}${c.lastFinishedAt ? ` at ${c.lastFinishedAt}` : ''}`);
      }
      if (p.previousLog && p.previousLog.length > 0) {
        lines.push(`    last lines of the previous container's log:`);
        for (const l of p.previousLog) lines.push(`      ${l}`);
      }
    }
  }
  if (view.conditions.length > 0) {
    lines.push('Conditions:');
    for (const c of view.conditions) lines.push(`  ${c.object} ${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? `: ${c.message}` : ''}`);
  }
  if (view.autoscaler) {
    const a = view.autoscaler;
    lines.push(`Autoscaler: ${a.minReplicas}–${a.maxReplicas} replicas on ${a.metric}, target ${a.target}, now ${a.current ?? 'not measured yet'}${a.currentReplicas !== undefined ? `, ${a.currentReplicas} current` : ''}${a.desiredReplicas !== undefined ? `, ${a.desiredReplicas} desired` : ''}`);
    for (const e of a.events) lines.push(eventRow(e, now));
  }
  lines.push(view.events.length > 0 ? 'Events (newest first):' : 'Events: none');
  for (const e of view.events) lines.push(eventRow(e, now));
  return `${lines.join('\n')}\n`;
}
