// The page: title, sections, the problems no field shows, and the buttons; drawing it, and the
// create and open-as-YAML requests to the host.
import { html, nothing, render, type TemplateResult } from 'lit';
import { placeFindings } from '../core/form/formMessages';
import { stateToSpec, type FormState } from '../core/form/formState';
import type { SpecFinding } from '../core/spec/semanticChecks';
import { findSpecProblems } from '../core/spec/validateSpec';
import { startPass } from './fields';
import { app, onChange, save } from './formModel';
import { post } from './host';
import type { AfterLaunch } from '../shared/formProtocol';
import { advancedSection, deploymentSection, healthSection, metadataSection, storageSection } from './sections';

const root = document.getElementById('app') ?? document.body;

function title(): string {
  if (app.origin.kind === 'reproduce') return `Reproduce revision ${app.origin.revision ?? '?'} of "${app.origin.service ?? ''}"`;
  if (app.origin.kind === 'service') return `New revision of "${app.origin.service ?? ''}"`;
  return 'New revision';
}

function subtitle(): string {
  const where = [app.sessionContext ? `context "${app.sessionContext}"` : '', app.sessionNamespace ? `namespace "${app.sessionNamespace}"` : ''].filter(Boolean).join(', ');
  const from = app.origin.kind === 'service' && app.origin.revision ? `Prefilled from revision ${app.origin.revision}. ` : app.origin.kind === 'reproduce' ? 'Same settings; change what you need. ' : '';
  return `${from}${where ? `Creates in ${where}.` : ''}`;
}

function template(f: FormState, unplaced: SpecFinding[], errorCount: number): TemplateResult {
  const disabled = app.busy !== undefined;
  return html`<main aria-busy=${disabled ? 'true' : 'false'}>
    <header>
      <h1 id="form-title">${title()}</h1>
      <p class="subtitle">${subtitle()}</p>
    </header>
    <form @submit=${(e: Event) => e.preventDefault()} aria-labelledby="form-title">
      ${metadataSection(f)} ${deploymentSection(f)} ${advancedSection(f)} ${storageSection(f)} ${healthSection(f)}
    </form>
    <footer>
      ${app.banner ? html`<div class="banner ${app.banner.kind}" role=${app.banner.kind === 'error' ? 'alert' : 'status'} id="form-banner">${app.banner.text}</div>` : nothing}
      ${app.showAll && errorCount > 0
        ? html`<div class="banner error" role="alert" id="form-summary">
            Fix the ${errorCount === 1 ? 'problem' : `${errorCount} problems`} marked above before creating.
            ${unplaced.length > 0 ? html`<ul>${unplaced.map((p) => html`<li>${p.message}</li>`)}</ul>` : nothing}
          </div>`
        : nothing}
      ${afterLaunchChoice(disabled)}
      <div class="buttons">
        <vscode-button id="create" ?disabled=${disabled} @click=${() => submit(false)}>Create revision</vscode-button>
        <vscode-button id="create-launch" ?disabled=${disabled} @click=${() => submit(true)}>Create and launch</vscode-button>
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

export function update(): void {
  if (!app.form) {
    render(html`<p class="loading">Loading the revision form…</p>`, root);
    return;
  }
  const f = app.form;
  const lastFindings = findSpecProblems(stateToSpec(f));
  // Two passes: the first learns which fields the form shows, the second places each finding on
  // the nearest of them.
  const shown = startPass(new Map());
  template(f, [], 0);
  const placed = placeFindings(lastFindings, shown);
  startPass(placed.byField);
  const errorCount = lastFindings.filter((p) => p.severity === 'error').length;
  render(template(f, placed.unplaced, errorCount), root);
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
    const first = root.querySelector('[invalid]') as HTMLElement | null;
    first?.focus();
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
