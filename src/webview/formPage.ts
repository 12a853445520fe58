// The page: title, sections, the problems listed as links to their fields, and the buttons; drawing
// it, asking the host for the cluster's findings as the spec changes, and the create and
// open-as-YAML requests.
import { html, nothing, render, type TemplateResult } from 'lit';
import { fieldLabel, formMessage } from '../core/form/fieldLabels';
import { placeFindings } from '../core/form/formMessages';
import { stateToSpec, type FormState } from '../core/form/formState';
import type { SpecFinding } from '../core/spec/semanticChecks';
import { findSpecProblems } from '../core/spec/validateSpec';
import { linkDescriptions } from './describedBy';
import { idFor, startPass } from './fields';
import { app, findingKey, onChange, save } from './formModel';
import { post } from './host';
import type { AfterLaunch } from '../shared/formProtocol';
import { advancedSection, deploymentSection, healthSection, metadataSection, storageSection } from './sections';

const root = document.getElementById('app') ?? document.body;

/** How long after the last change the host is asked for the cluster's findings. */
const ClusterCheckDelayMs = 400;

function title(): string {
  if (app.origin.kind === 'reproduce') return `Reproduce #${app.origin.revision ?? '?'} of ${app.origin.service ?? ''}`;
  if (app.origin.kind === 'service') return `New revision of ${app.origin.service ?? ''}`;
  return 'New revision';
}

function subtitle(): string {
  const where = [app.sessionNamespace ? `namespace "${app.sessionNamespace}"` : '', app.sessionContext ? `context "${app.sessionContext}"` : ''].filter(Boolean).join(' of ');
  const from = app.origin.kind === 'service' && app.origin.revision ? `Prefilled from revision ${app.origin.revision}. ` : app.origin.kind === 'reproduce' ? 'Same settings; change what you need. ' : '';
  return `${from}${where ? `Creates in ${where} unless the Namespace field says otherwise.` : ''}`;
}

/** Opens the section holding a field, puts the focus in its control and brings it into view. */
function focusField(path: string): void {
  const field = root.querySelector<HTMLElement>(`[data-path="${CSS.escape(path)}"]`);
  if (!field) return;
  const section = field.closest('details');
  if (section && !section.open) {
    section.open = true;
    app.openSections[section.id.replace(/^section-/, '')] = true;
  }
  const control = field.querySelector<HTMLElement>('vscode-textfield, vscode-textarea, vscode-single-select, vscode-checkbox, input, vscode-button') ?? field;
  field.scrollIntoView({ block: 'center' });
  control.focus();
}

/** Each error as a link to its field, in the order of the form; the ones no field shows after them. */
function errorList(placed: Map<string, SpecFinding[]>, shownPaths: ReadonlySet<string>, unplaced: SpecFinding[]): TemplateResult {
  const items: TemplateResult[] = [];
  for (const path of shownPaths) {
    for (const finding of (placed.get(path) ?? []).filter((f) => f.severity === 'error')) {
      const label = fieldLabel(finding.path);
      const message = formMessage(finding);
      const rest = message.startsWith(label) ? message.slice(label.length).replace(/^[:,]?\s*/, '') : message;
      const onClick = (event: Event) => {
        event.preventDefault();
        focusField(path);
      };
      items.push(html`<li><a href=${`#${idFor(path)}`} class="field-link" @click=${onClick}>${label}</a>: ${rest}</li>`);
    }
  }
  for (const finding of unplaced.filter((f) => f.severity === 'error')) items.push(html`<li>${formMessage(finding)}</li>`);
  return html`<ul>${items}</ul>`;
}

function banners(placed: Map<string, SpecFinding[]>, shownPaths: ReadonlySet<string>, unplaced: SpecFinding[], errorCount: number): TemplateResult {
  const summary =
    app.showAll && errorCount > 0
      ? html`<div class="banner error" role="alert" id="form-summary"><p>Fix ${errorCount === 1 ? 'this field' : `these ${errorCount} problems`} before creating:</p>${errorList(placed, shownPaths, unplaced)}</div>`
      : nothing;
  const result = app.banner ? html`<div class="banner ${app.banner.kind}" role=${app.banner.kind === 'error' ? 'alert' : 'status'} id="form-banner">${app.banner.text}</div>` : nothing;
  return html`${summary}${result}`;
}

function template(f: FormState, placed: Map<string, SpecFinding[]>, shownPaths: ReadonlySet<string>, unplaced: SpecFinding[], errorCount: number): TemplateResult {
  const disabled = app.busy !== undefined;
  const toggleHelp = (event: Event) => {
    app.detailedHelp = (event.target as HTMLInputElement).checked;
    update();
  };
  return html`<main aria-busy=${disabled ? 'true' : 'false'}>
    <header>
      <h1 id="form-title">${title()}</h1>
      <p class="subtitle">${subtitle()}</p>
      <vscode-checkbox id="detailed-help" label="Show detailed help" .checked=${app.detailedHelp} @change=${toggleHelp}></vscode-checkbox>
    </header>
    <form @submit=${(e: Event) => e.preventDefault()} aria-labelledby="form-title">
      ${metadataSection(f)} ${deploymentSection(f)} ${advancedSection(f)} ${storageSection(f)} ${healthSection(f)}
    </form>
    <footer>
      ${banners(placed, shownPaths, unplaced, errorCount)}
      ${app.cluster.unavailable ? html`<p class="note" id="cluster-note">Not checked against the cluster: ${app.cluster.unavailable}.</p>` : nothing}
      ${afterLaunchChoice(disabled)}
      <div class="buttons">
        <vscode-button id="create" ?disabled=${disabled} @click=${() => submit(false)}>Create revision</vscode-button>
        <vscode-button id="create-launch" secondary ?disabled=${disabled} @click=${() => submit(true)}>Create and launch</vscode-button>
        <vscode-button id="open-yaml" secondary ?disabled=${disabled} @click=${openYaml}>Open as YAML</vscode-button>
        <vscode-button id="cancel" secondary @click=${() => post({ type: 'cancel' })}>Cancel</vscode-button>
        ${app.busy ? html`<span class="progress" role="status"><vscode-progress-ring></vscode-progress-ring>${app.busy.text}</span>` : nothing}
      </div>
    </footer>
  </main>`;
}

/**
 * What Create and launch does with traffic once the revision runs: a service's first revision
 * takes all of it anyway; a later one gets none unless routed here or rolled out.
 */
function afterLaunchChoice(disabled: boolean): TemplateResult {
  const pick = (event: Event): void => {
    app.afterLaunch = (event.target as HTMLSelectElement).value as AfterLaunch;
    update();
  };
  return html`<div class="after-launch">
    <vscode-label for="after-launch">After launch</vscode-label>
    <vscode-single-select id="after-launch" ?disabled=${disabled} .value=${app.afterLaunch} @change=${pick}>
      <vscode-option value="keep" ?selected=${app.afterLaunch === 'keep'}>Keep the traffic where it is (a service's first revision gets all of it)</vscode-option>
      <vscode-option value="route" ?selected=${app.afterLaunch === 'route'}>Route all traffic to it once it is ready</vscode-option>
      <vscode-option value="rollout" ?selected=${app.afterLaunch === 'rollout'}>Start a rollout to it (the service's plan)</vscode-option>
    </vscode-single-select>
  </div>`;
}

let clusterTimer: ReturnType<typeof setTimeout> | undefined;
let clusterKey = '';

/** Asks the host for the cluster's findings once the spec has stopped changing for a moment. */
function scheduleClusterCheck(spec: Record<string, unknown>): void {
  const key = JSON.stringify(spec);
  if (key === clusterKey) return;
  clusterKey = key;
  clearTimeout(clusterTimer);
  clusterTimer = setTimeout(() => post({ type: 'checkCluster', requestId: app.nextRequestId++, spec }), ClusterCheckDelayMs);
}

/** The form's own findings (schema and semantic checks) and the cluster's, as last checked. */
function allFindings(f: FormState): { local: SpecFinding[]; all: SpecFinding[] } {
  const spec = stateToSpec(f);
  scheduleClusterCheck(spec as unknown as Record<string, unknown>);
  const local = findSpecProblems(spec);
  return { local, all: [...local, ...(app.cluster.findings as SpecFinding[])] };
}

export function update(): void {
  if (!app.form) {
    render(html`<p class="loading">Loading the revision form…</p>`, root);
    return;
  }
  const f = app.form;
  const { local, all } = allFindings(f);
  // Two passes: the first learns which fields the form shows, the second places each finding on
  // the nearest of them.
  const shown = startPass(new Map());
  template(f, new Map(), shown, [], 0);
  const placed = placeFindings(all, shown);
  startPass(placed.byField);
  const errorCount = local.filter((p) => p.severity === 'error').length;
  render(template(f, placed.byField, shown, placed.unplaced, errorCount), root);
  linkDescriptions(root);
}

/** In a prefilled draft, the problems of the values it came with show at once (not those of empty fields). */
export function markExistingProblems(): void {
  if (!app.form) return;
  for (const finding of findSpecProblems(stateToSpec(app.form))) {
    if (finding.code === 'schema-required' || (finding.code === 'schema-minLength' && /must not be empty/.test(finding.message))) continue;
    app.existing.add(findingKey(finding));
  }
}

function submit(launch: boolean): void {
  if (!app.form || app.busy) return;
  const spec = stateToSpec(app.form);
  const errors = findSpecProblems(spec).filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    app.showAll = true;
    app.banner = undefined;
    save();
    update();
    // The list of problems is announced (role=alert); the focus goes to the first field to fix.
    const first = root.querySelector<HTMLElement>('#form-summary .field-link');
    first?.click();
    return;
  }
  const requestId = app.nextRequestId++;
  app.busy = { requestId, text: launch ? 'Creating and launching the revision…' : 'Creating the revision…' };
  app.banner = undefined;
  update();
  post({ type: 'create', requestId, spec: spec as unknown as Record<string, unknown>, launch, ...(launch && app.afterLaunch !== 'keep' ? { afterLaunch: app.afterLaunch } : {}) });
}

function openYaml(): void {
  if (!app.form) return;
  post({ type: 'openYaml', requestId: app.nextRequestId++, spec: stateToSpec(app.form) as unknown as Record<string, unknown> });
}

onChange(update);
