// The details page: why the revision is (not) ready, its pods, conditions, autoscaler, live
// charts and events, drawn with lit from what the host sends. Texts are the host's, already
// escaped; lit escapes them again as HTML.
import { html, nothing, render, type TemplateResult } from 'lit';
import type { DetailsEvent, DetailsPod, LiveState, MetricsView, RevisionDetailsView } from '../../shared/detailsProtocol';
import { drawChart } from './charts';
import { post } from './detailsHost';
import { bytes, cores } from './format';

export const page: { details?: RevisionDetailsView; metrics?: MetricsView; live: LiveState } = { live: { state: 'live' } };

const root = document.getElementById('app') ?? document.body;

function ago(time: string | undefined): string {
  if (!time) return '';
  const s = Math.max(0, Math.round((Date.now() - Date.parse(time)) / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 48 * 3600) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}


const of = (used: number, request: number | undefined, limit: number | undefined, format: (v: number) => string): string =>
  `${format(used)}${request ? ` of ${format(request)} requested (${Math.round((used / request) * 100)}%)` : ''}${limit ? `, limit ${format(limit)}` : ''}`;

function liveBanner(live: LiveState, details: RevisionDetailsView | undefined): TemplateResult | typeof nothing {
  if (live.state === 'failed') return html`<div class="banner error" role="alert" id="live-status">${live.message}</div>`;
  if (live.state === 'reconnecting') return html`<div class="banner warning" role="status" id="live-status">Not live: ${live.message}</div>`;
  if (details?.deleted) return html`<div class="banner warning" role="status" id="live-status">This revision was deleted; what is shown is what was last seen.</div>`;
  return html`<p class="live" id="live-status"><span class="dot"></span> Live: follows the cluster by watch</p>`;
}

function podRow(p: DetailsPod): TemplateResult {
  return html`<tr class="pod ${p.ready ? 'ready' : 'not-ready'}">
    <td class="name">${p.name}${p.deleting ? html` <span class="muted">(terminating)</span>` : nothing}</td>
    <td>${p.phase}${p.ready ? ', ready' : ''}</td>
    <td>${p.node ?? html`<span class="muted">not scheduled</span>`}</td>
    <td class="num">${p.restarts}</td>
    <td class="reason">${p.reason ? html`<strong>${p.reason}</strong>` : nothing}${p.message ? html`<div class="message">${p.message}</div>` : nothing}
      ${p.containers.filter((c) => c.lastExitCode !== undefined).map((c) => html`<div class="message">${c.name} last exited with code ${c.lastExitCode}${c.lastReason ? ` (${c.lastReason})` : ''}</div>`)}
      ${p.previousLog ? html`<details class="previous-log"><summary>Last lines of the previous container's log</summary><pre>${p.previousLog.join('\n')}</pre></details>` : nothing}
    </td>
  </tr>`;
}

function eventRows(events: readonly DetailsEvent[]): TemplateResult {
  return html`<table class="events">
    <thead><tr><th>Age</th><th>Type</th><th>Reason</th><th>Object</th><th>Message</th></tr></thead>
    <tbody>
      ${events.map(
        (e) => html`<tr class=${e.type === 'Warning' ? 'warning' : ''}><td>${ago(e.time)}</td><td>${e.type}</td><td>${e.reason}</td><td class="name">${e.object}${e.count > 1 ? ` ×${e.count}` : ''}</td><td>${e.message}</td></tr>`,
      )}
    </tbody>
  </table>`;
}

function metricsSection(metrics: MetricsView | undefined, details: RevisionDetailsView): TemplateResult {
  const body = !metrics
    ? html`<p class="muted">Reading the metrics API…</p>`
    : !metrics.available
      ? html`<div class="banner info" id="metrics-missing" role="status">${metrics.reason}</div>`
      : html`${metrics.totals && metrics.pods.length > 0
            ? html`<p id="metrics-totals">CPU ${of(metrics.totals.cpu, metrics.totals.cpuRequest, metrics.totals.cpuLimit, cores)} · memory ${of(metrics.totals.memory, metrics.totals.memoryRequest, metrics.totals.memoryLimit, bytes)}</p>`
            : html`<p class="muted">No pod reports metrics yet (they appear 10–20 s after a pod starts).</p>`}
          ${metrics.samples.some((x) => x.cpu !== null)
            ? html`<div class="charts">
                <figure><figcaption>CPU (cores)</figcaption><div class="chart" id="chart-cpu"></div></figure>
                <figure><figcaption>Memory</figcaption><div class="chart" id="chart-memory"></div></figure>
              </div>`
            : nothing}
          ${metrics.pods.length > 0
            ? html`<table class="usage"><thead><tr><th>Pod</th><th>CPU</th><th>Memory</th></tr></thead><tbody>
                ${metrics.pods.map((p) => html`<tr><td class="name">${p.name}</td><td>${of(p.cpu, p.cpuRequest, p.cpuLimit, cores)}</td><td>${of(p.memory, p.memoryRequest, p.memoryLimit, bytes)}</td></tr>`)}
              </tbody></table>`
            : nothing}`;
  return html`<section aria-labelledby="h-metrics">
    <h2 id="h-metrics">Live metrics</h2>
    ${body}
    <figure><figcaption>Replicas (desired and ready)</figcaption><div class="chart" id="chart-replicas"></div></figure>
    ${details.autoscaler
      ? html`<div id="autoscaler"><h3>Autoscaler</h3>
          <p>${details.autoscaler.minReplicas}–${details.autoscaler.maxReplicas} replicas on ${details.autoscaler.metric}: now ${details.autoscaler.current ?? 'not measured yet'}, target ${details.autoscaler.target}${details.autoscaler.currentReplicas !== undefined ? `; ${details.autoscaler.currentReplicas} current, ${details.autoscaler.desiredReplicas ?? '?'} desired` : ''}${details.autoscaler.lastScaleTime ? `; last scaled ${ago(details.autoscaler.lastScaleTime)} ago` : ''}.</p>
          ${details.autoscaler.events.length > 0 ? eventRows(details.autoscaler.events) : html`<p class="muted">No scaling events yet.</p>`}</div>`
      : nothing}
  </section>`;
}

function template(d: RevisionDetailsView): TemplateResult {
  const restarted = d.pods.some((p) => p.restarts > 0);
  const r = d.replicas;
  return html`<main>
    <header>
      <h1 id="details-title">Revision ${d.revision} of "${d.service}"</h1>
      <p class="subtitle">${d.message ? html`${d.message} · ` : nothing}${d.image} · namespace "${d.namespace}"${d.context ? ` of context "${d.context}"` : ''}</p>
      ${liveBanner(page.live, d)}
      <div class="state ${d.state}" id="details-state" role="status"><span class="badge">${d.stateText}</span></div>
      <p class="headline" id="details-headline">${d.headline}</p>
      <div class="buttons">
        <button id="show-logs" ?disabled=${d.pods.length === 0} @click=${() => post({ type: 'showLogs', previous: false })}>Show logs</button>
        ${restarted ? html`<button id="show-previous-logs" class="secondary" @click=${() => post({ type: 'showLogs', previous: true })}>Previous container logs</button>` : nothing}
        <button id="open-spec" class="secondary" @click=${() => post({ type: 'openSpec' })}>Open stored spec</button>
      </div>
      ${d.notShown && d.notShown.length > 0 ? html`<ul class="not-shown" id="not-shown">${d.notShown.map((n) => html`<li>${n}</li>`)}</ul>` : nothing}
    </header>
    <section aria-labelledby="h-replicas">
      <h2 id="h-replicas">Replicas</h2>
      <p id="replicas">${r.ready} ready of ${r.desired} desired${r.total !== undefined ? ` · ${r.total} pod${r.total === 1 ? '' : 's'}` : ''}${r.updated !== undefined ? ` · ${r.updated} up to date` : ''}${r.available !== undefined ? ` · ${r.available} available` : ''}</p>
      ${d.refusals.length > 0 ? html`<div class="banner error" id="refusals" role="alert">${d.refusals.map((x) => html`<div>${x}</div>`)}</div>` : nothing}
    </section>
    ${d.pods.length > 0
      ? html`<section aria-labelledby="h-pods"><h2 id="h-pods">Pods</h2>
          <table class="pods" id="pods"><thead><tr><th>Pod</th><th>Phase</th><th>Node</th><th>Restarts</th><th>Why</th></tr></thead><tbody>${d.pods.map(podRow)}</tbody></table></section>`
      : nothing}
    ${metricsSection(page.metrics, d)}
    ${d.conditions.length > 0
      ? html`<section aria-labelledby="h-conditions"><h2 id="h-conditions">Conditions</h2>
          <table class="conditions"><thead><tr><th>Object</th><th>Condition</th><th>Reason</th><th>Message</th><th>Since</th></tr></thead><tbody>
            ${d.conditions.map((c) => html`<tr class=${c.status === 'True' ? '' : 'warning'}><td class="name">${c.object}</td><td>${c.type}=${c.status}</td><td>${c.reason ?? ''}</td><td>${c.message ?? ''}</td><td>${ago(c.since)}</td></tr>`)}
          </tbody></table></section>`
      : nothing}
    <section aria-labelledby="h-events"><h2 id="h-events">Events, newest first</h2>
      ${d.events.length > 0 ? eventRows(d.events) : html`<p class="muted" id="no-events">No events (the cluster keeps them for an hour).</p>`}
    </section>
  </main>`;
}

export function update(): void {
  if (!page.details) {
    render(html`${page.live.state !== 'live' ? liveBanner(page.live, undefined) : nothing}<p class="loading">Reading the revision from the cluster…</p>`, root);
    return;
  }
  render(template(page.details), root);
  if (page.metrics) {
    if (page.metrics.available) {
      drawChart('cpu', page.metrics);
      drawChart('memory', page.metrics);
    }
    drawChart('replicas', page.metrics);
  }
}
