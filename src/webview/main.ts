// The revision form: every field of a revision spec in the sections a person expects, validated as
// they type by the same schema and semantic checks as the YAML editor and the CLI
// (findSpecProblems), talking to the host only through the typed protocol in src/shared.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-radio/index.js';
import '@vscode-elements/elements/dist/vscode-radio-group/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { html, nothing, render, type TemplateResult } from 'lit';
import {
  blankFormState,
  emptyEnvRow,
  emptyPortRow,
  emptyVolumeRow,
  specToState,
  stateToSpec,
  type EnvRow,
  type FormState,
  type PortRow,
  type VolumeRow,
} from '../core/form/formState';
import { placeFindings } from '../core/form/formMessages';
import { schemaAt } from '../core/spec/schemaFindings';
import { SpecDefaults, StarterValues } from '../core/spec/specDefaults';
import type { SpecFinding } from '../core/spec/semanticChecks';
import { findSpecProblems } from '../core/spec/validateSpec';
import type { FormOrigin, HostToWebview, WebviewToHost } from '../shared/formProtocol';
import './form.css';

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** What survives hiding the panel and reloading the window (webview state; the host reads `origin`). */
interface SavedState {
  version: 1;
  form: FormState;
  origin: FormOrigin;
  touched: string[];
  showAll: boolean;
  namespace?: string;
  context?: string;
}

const vscode = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;

let form: FormState | undefined;
let origin: FormOrigin = { kind: 'blank' };
let sessionNamespace: string | undefined;
let sessionContext: string | undefined;
/** Fields the person has changed: only those show problems until they try to create. */
const touched = new Set<string>();
let showAll = false;
let busy: { requestId: number; text: string } | undefined;
let banner: { kind: 'error' | 'info'; text: string } | undefined;
let nextRequestId = 1;

function restore(): void {
  const saved = vscode.getState() as Partial<SavedState> | undefined;
  if (saved && saved.version === 1 && saved.form && saved.origin) {
    form = { ...blankFormState(), ...saved.form };
    origin = saved.origin;
    for (const t of saved.touched ?? []) touched.add(t);
    showAll = saved.showAll === true;
    sessionNamespace = saved.namespace;
    sessionContext = saved.context;
  }
}

function save(): void {
  if (!form) return;
  vscode.setState({ version: 1, form, origin, touched: [...touched], showAll, ...(sessionNamespace ? { namespace: sessionNamespace } : {}), ...(sessionContext ? { context: sessionContext } : {}) });
}

function post(message: WebviewToHost): void {
  vscode.postMessage(message);
}

// --- help text from the schema -----------------------------------------------------------------

/** A schema description with `code` spans, as the form shows it under a field. */
function helpFor(path: (string | number)[]): TemplateResult | typeof nothing {
  const description = schemaAt(path)?.description;
  if (!description) return nothing;
  const parts = description.split('`');
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

// --- fields --------------------------------------------------------------------------------------

/** Per render: which data-paths the form shows and the problems placed on them. */
interface RenderPass {
  paths: Set<string>;
  problems: Map<string, SpecFinding[]>;
}
let pass: RenderPass = { paths: new Set(), problems: new Map() };

function problemsAt(path: string): SpecFinding[] {
  pass.paths.add(path);
  const found = pass.problems.get(path) ?? [];
  return showAll || touched.has(path) ? found : [];
}

function idFor(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

function problemList(path: string, problems: SpecFinding[]): TemplateResult | typeof nothing {
  if (problems.length === 0) return nothing;
  return html`<ul class="problems" id=${`${idFor(path)}-problems`} aria-live="polite">
    ${problems.map((p) => html`<li class=${p.severity}>${p.message}</li>`)}
  </ul>`;
}

function change(path: string, apply: (f: FormState) => void, rerender = true): void {
  if (!form) return;
  apply(form);
  touched.add(path);
  banner = banner?.kind === 'error' ? banner : undefined;
  save();
  if (rerender) update();
}

interface TextOptions {
  placeholder?: string;
  help?: (string | number)[];
  multiline?: boolean;
  wide?: boolean;
  type?: 'text' | 'number';
}

/** A labelled text field bound to `get`/`set`, with help below and its problems beside it. */
function textField(path: string, label: string, get: () => string, set: (f: FormState, v: string) => void, options: TextOptions = {}): TemplateResult {
  const problems = problemsAt(path);
  const id = idFor(path);
  const errors = problems.some((p) => p.severity === 'error');
  const onInput = (event: Event) => change(path, (f) => set(f, (event.target as HTMLInputElement).value));
  const control = options.multiline
    ? html`<vscode-textarea id=${id} .value=${get()} label=${label} placeholder=${options.placeholder ?? ''} rows="4" ?invalid=${errors} @input=${onInput}></vscode-textarea>`
    : html`<vscode-textfield id=${id} .value=${get()} label=${label} placeholder=${options.placeholder ?? ''} ?invalid=${errors} @input=${onInput}></vscode-textfield>`;
  return html`<div class="field ${options.wide ? 'wide' : ''}" data-path=${path}>
    <vscode-label for=${id}>${label}</vscode-label>
    ${control}
    ${problemList(path, problems)}
    ${options.help ? html`<div class="help">${helpFor(options.help)}</div>` : nothing}
  </div>`;
}

function selectField<T extends string>(path: string, label: string, choices: [T, string][], get: () => T, set: (f: FormState, v: T) => void, help?: (string | number)[]): TemplateResult {
  const problems = problemsAt(path);
  const id = idFor(path);
  return html`<div class="field" data-path=${path}>
    <vscode-label for=${id}>${label}</vscode-label>
    <vscode-single-select id=${id} label=${label} .value=${get()} @change=${(event: Event) => change(path, (f) => set(f, (event.target as HTMLSelectElement).value as T))}>
      ${choices.map(([value, text]) => html`<vscode-option value=${value} ?selected=${get() === value}>${text}</vscode-option>`)}
    </vscode-single-select>
    ${problemList(path, problems)}
    ${help ? html`<div class="help">${helpFor(help)}</div>` : nothing}
  </div>`;
}

function checkField(path: string, label: string, get: () => boolean, set: (f: FormState, v: boolean) => void, help?: (string | number)[]): TemplateResult {
  const problems = problemsAt(path);
  return html`<div class="field check" data-path=${path}>
    <vscode-checkbox id=${idFor(path)} label=${label} .checked=${get()} @change=${(event: Event) => change(path, (f) => set(f, (event.target as HTMLInputElement).checked))}></vscode-checkbox>
    ${problemList(path, problems)}
    ${help ? html`<div class="help">${helpFor(help)}</div>` : nothing}
  </div>`;
}

function section(id: string, title: string, description: string, body: TemplateResult): TemplateResult {
  return html`<vscode-collapsible id=${`section-${id}`} class="section" heading=${title} title=${title} description=${description} open>
    <div class="section-body">${body}</div>
  </vscode-collapsible>`;
}

function rowProblems(path: string): TemplateResult | typeof nothing {
  return problemList(path, problemsAt(path));
}

function removeButton(label: string, onClick: () => void): TemplateResult {
  return html`<vscode-button class="remove" secondary aria-label=${label} title=${label} @click=${onClick}>Remove</vscode-button>`;
}

// --- sections ------------------------------------------------------------------------------------

function metadataSection(f: FormState): TemplateResult {
  return section(
    'metadata',
    'Metadata',
    'service, message',
    html`<div class="grid">
        ${textField('service', 'Service', () => f.service, (s, v) => (s.service = v), { placeholder: 'iris', help: ['service'] })}
        ${textField('namespace', 'Namespace', () => f.namespace, (s, v) => (s.namespace = v), { placeholder: sessionNamespace ?? 'default', help: ['namespace'] })}
      </div>
      ${textField('message', 'Message', () => f.message, (s, v) => (s.message = v), { placeholder: 'What this revision is for', help: ['message'], multiline: true, wide: true })}
      ${f.reproducedFrom !== undefined
        ? html`<div class="field" data-path="reproducedFrom"><span class="origin">Reproduced from revision ${f.reproducedFrom}</span>${rowProblems('reproducedFrom')}</div>`
        : nothing}`,
  );
}

function commandFields(f: FormState): TemplateResult {
  const path = 'command';
  const problems = problemsAt(path);
  const id = idFor(path);
  const pick = (event: Event) => change(path, (s) => (s.commandMode = (event.target as HTMLInputElement).value as FormState['commandMode']));
  return html`<div class="field wide" data-path=${path}>
    <vscode-label for=${id}>Start command</vscode-label>
    <vscode-radio-group id=${id} @change=${pick}>
      <vscode-radio name="commandMode" value="none" label="Image entrypoint" ?checked=${f.commandMode === 'none'}>Image entrypoint</vscode-radio>
      <vscode-radio name="commandMode" value="shell" label="Shell line" ?checked=${f.commandMode === 'shell'}>Shell line</vscode-radio>
      <vscode-radio name="commandMode" value="argv" label="Arguments" ?checked=${f.commandMode === 'argv'}>Arguments (one per line)</vscode-radio>
    </vscode-radio-group>
    ${f.commandMode === 'shell'
      ? html`<vscode-textfield id="f-command-shell" label="Shell line" placeholder="bentoml serve service:Model --port 3000" .value=${f.commandShell} ?invalid=${problems.length > 0}
          @input=${(e: Event) => change(path, (s) => (s.commandShell = (e.target as HTMLInputElement).value))}></vscode-textfield>`
      : nothing}
    ${f.commandMode === 'argv'
      ? html`<vscode-textarea id="f-command-argv" label="Arguments, one per line" rows="4" placeholder=${'python\n-m\nserver'} .value=${f.commandArgs} ?invalid=${problems.length > 0}
          @input=${(e: Event) => change(path, (s) => (s.commandArgs = (e.target as HTMLInputElement).value))}></vscode-textarea>`
      : nothing}
    ${problemList(path, problems)}
    <div class="help">${helpFor(['command'])}</div>
  </div>`;
}

function envRow(f: FormState, row: EnvRow, i: number): TemplateResult {
  const base = `env[${i}]`;
  const refKind = row.source === 'secret' ? 'secretKeyRef' : 'configMapKeyRef';
  const at = (s: FormState) => s.env[i] ?? emptyEnvRow();
  return html`<div class="row" data-path=${base} role="group" aria-label=${`Environment variable ${i + 1}`}>
    <div class="grid">
      ${textField(`${base}.name`, 'Name', () => row.name, (s, v) => (at(s).name = v), { placeholder: 'MODEL_NAME' })}
      ${selectField(
        `${base}.source`,
        'Value from',
        [
          ['value', 'Literal value'],
          ['secret', 'Secret key'],
          ['configMap', 'ConfigMap key'],
        ],
        () => row.source,
        (s, v) => (at(s).source = v),
      )}
      ${row.source === 'value'
        ? textField(`${base}.value`, 'Value', () => row.value, (s, v) => (at(s).value = v))
        : html`${textField(`${base}.${refKind}.name`, row.source === 'secret' ? 'Secret' : 'ConfigMap', () => row.refName, (s, v) => (at(s).refName = v), {
            placeholder: row.source === 'secret' ? 'hf-token' : 'model-settings',
          })}
          ${textField(`${base}.${refKind}.key`, 'Key', () => row.refKey, (s, v) => (at(s).refKey = v), { placeholder: 'token' })}
          ${checkField(`${base}.${refKind}.optional`, 'Optional', () => row.optional, (s, v) => (at(s).optional = v))}`}
    </div>
    ${rowProblems(base)}
    ${removeButton(`Remove environment variable ${row.name || i + 1}`, () => change('env', (s) => s.env.splice(i, 1)))}
  </div>`;
}

function portRow(f: FormState, row: PortRow, i: number): TemplateResult {
  const base = `ports[${i}]`;
  const at = (s: FormState) => s.ports[i] ?? emptyPortRow();
  return html`<div class="row" data-path=${base} role="group" aria-label=${`Port ${i + 1}`}>
    <div class="grid">
      ${textField(`${base}.containerPort`, 'Port', () => row.containerPort, (s, v) => (at(s).containerPort = v), { placeholder: String(SpecDefaults.port.containerPort) })}
      ${textField(`${base}.name`, 'Name', () => row.name, (s, v) => (at(s).name = v), { placeholder: 'http' })}
      ${selectField(
        `${base}.protocol`,
        'Protocol',
        [
          ['http', 'http'],
          ['grpc', 'grpc'],
          ['tcp', 'tcp'],
          ['', '(default: http)'],
        ],
        () => row.protocol,
        (s, v) => (at(s).protocol = v),
      )}
    </div>
    ${rowProblems(base)}
    ${removeButton(`Remove port ${row.containerPort || i + 1}`, () => change('ports', (s) => s.ports.splice(i, 1)))}
  </div>`;
}

function volumeRow(f: FormState, row: VolumeRow, i: number): TemplateResult {
  const base = `volumes[${i}]`;
  const at = (s: FormState) => s.volumes[i] ?? emptyVolumeRow();
  const sourcePath =
    row.source === 'persistentVolumeClaim' ? `${base}.persistentVolumeClaim.claimName` : row.source === 'configMap' ? `${base}.configMap.name` : row.source === 'secret' ? `${base}.secret.secretName` : `${base}.emptyDir`;
  const sourceLabel = row.source === 'persistentVolumeClaim' ? 'Claim name' : row.source === 'configMap' ? 'ConfigMap name' : 'Secret name';
  return html`<div class="row" data-path=${base} role="group" aria-label=${`Volume ${i + 1}`}>
    <div class="grid">
      ${textField(`${base}.name`, 'Name', () => row.name, (s, v) => (at(s).name = v), { placeholder: 'models' })}
      ${textField(`${base}.mountPath`, 'Mount path', () => row.mountPath, (s, v) => (at(s).mountPath = v), { placeholder: '/models' })}
      ${selectField(
        `${base}.source`,
        'Source',
        [
          ['persistentVolumeClaim', 'PersistentVolumeClaim'],
          ['configMap', 'ConfigMap'],
          ['secret', 'Secret'],
          ['emptyDir', 'emptyDir (scratch)'],
        ],
        () => row.source,
        (s, v) => (at(s).source = v),
      )}
      ${row.source === 'emptyDir'
        ? html`${textField(`${base}.emptyDir.sizeLimit`, 'Size limit', () => row.sizeLimit, (s, v) => (at(s).sizeLimit = v), { placeholder: '10Gi' })}
          ${selectField(
            `${base}.emptyDir.medium`,
            'Medium',
            [
              ['', 'Node disk'],
              ['Memory', 'Memory (tmpfs)'],
            ],
            () => row.medium,
            (s, v) => (at(s).medium = v),
          )}`
        : textField(sourcePath, sourceLabel, () => row.sourceName, (s, v) => (at(s).sourceName = v), { placeholder: 'model-weights' })}
      ${textField(`${base}.subPath`, 'Sub-path', () => row.subPath, (s, v) => (at(s).subPath = v), { placeholder: '(whole volume)' })}
      ${checkField(`${base}.readOnly`, 'Read-only', () => row.readOnly, (s, v) => (at(s).readOnly = v))}
    </div>
    ${rowProblems(base)}
    ${removeButton(`Remove volume ${row.name || i + 1}`, () => change('volumes', (s) => s.volumes.splice(i, 1)))}
  </div>`;
}

function deploymentSection(f: FormState): TemplateResult {
  return section(
    'deployment',
    'Deployment',
    'resources, image, command, environment, ports',
    html`${textField('image', 'Image', () => f.image, (s, v) => (s.image = v), { placeholder: 'ghcr.io/acme/iris-classifier:2.0.1', help: ['image'], wide: true })}
      ${commandFields(f)}
      <h3>Resources</h3>
      <div class="grid" data-path="resources">
        ${textField('resources.cpu', 'CPU', () => f.cpu, (s, v) => (s.cpu = v), { placeholder: SpecDefaults.resources.cpu, help: ['resources', 'cpu'] })}
        ${textField('resources.memory', 'Memory', () => f.memory, (s, v) => (s.memory = v), { placeholder: SpecDefaults.resources.memory, help: ['resources', 'memory'] })}
        ${textField('resources.gpu.count', 'GPU count', () => f.gpuCount, (s, v) => (s.gpuCount = v), { placeholder: 'none', help: ['resources', 'gpu', 'count'] })}
        ${textField('resources.gpu.resourceName', 'GPU resource name', () => f.gpuResourceName, (s, v) => (s.gpuResourceName = v), { placeholder: SpecDefaults.gpuResourceName, help: ['resources', 'gpu', 'resourceName'] })}
        ${textField('resources.gpu.product', 'GPU type', () => f.gpuProduct, (s, v) => (s.gpuProduct = v), { placeholder: 'any GPU', help: ['resources', 'gpu', 'product'] })}
      </div>
      ${rowProblems('resources')} ${rowProblems('resources.gpu')}
      <h3>Environment variables</h3>
      <div class="help">${helpFor(['env'])}</div>
      <div class="list" data-path="env">${f.env.map((row, i) => envRow(f, row, i))}</div>
      ${rowProblems('env')}
      <vscode-button id="add-env" secondary @click=${() => change('env', (s) => s.env.push(emptyEnvRow()))}>Add variable</vscode-button>
      <h3>Ports</h3>
      <div class="help">${helpFor(['ports'])}</div>
      <div class="list" data-path="ports">${f.ports.map((row, i) => portRow(f, row, i))}</div>
      ${rowProblems('ports')}
      <vscode-button id="add-port" secondary @click=${() => change('ports', (s) => s.ports.push(emptyPortRow()))}>Add port</vscode-button>`,
  );
}

function advancedSection(f: FormState): TemplateResult {
  return section(
    'advanced',
    'Advanced',
    'scaling, launch',
    html`${checkField('autoscaling', 'Autoscaling', () => f.autoscaling, (s, v) => (s.autoscaling = v), ['autoscaling'])}
      ${f.autoscaling
        ? html`<div class="grid">
            ${textField('autoscaling.minReplicas', 'Min replicas', () => f.minReplicas, (s, v) => (s.minReplicas = v), { placeholder: String(StarterValues.autoscaling.minReplicas), help: ['autoscaling', 'minReplicas'] })}
            ${textField('autoscaling.maxReplicas', 'Max replicas', () => f.maxReplicas, (s, v) => (s.maxReplicas = v), { placeholder: String(StarterValues.autoscaling.maxReplicas), help: ['autoscaling', 'maxReplicas'] })}
            ${selectField(
              'autoscaling.metric',
              'Metric',
              [
                ['cpu', 'CPU utilisation'],
                ['memory', 'Memory utilisation'],
                ['gpu', 'GPU utilisation'],
              ],
              () => f.metric,
              (s, v) => (s.metric = v),
              ['autoscaling', 'metric'],
            )}
            ${textField('autoscaling.target', 'Target %', () => f.target, (s, v) => (s.target = v), { placeholder: String(SpecDefaults.autoscalingTarget), help: ['autoscaling', 'target'] })}
            ${f.metric === 'gpu'
              ? textField('autoscaling.gpuMetricName', 'GPU metric name', () => f.gpuMetricName, (s, v) => (s.gpuMetricName = v), { placeholder: SpecDefaults.gpuMetricName, help: ['autoscaling', 'gpuMetricName'] })
              : nothing}
          </div>`
        : html`<div class="grid">${textField('replicas', 'Replicas', () => f.replicas, (s, v) => (s.replicas = v), { placeholder: String(SpecDefaults.replicas), help: ['replicas'] })}</div>`}
      ${checkField('launchImmediately', 'Launch immediately', () => f.launchImmediately, (s, v) => (s.launchImmediately = v), ['launchImmediately'])}`,
  );
}

function storageSection(f: FormState): TemplateResult {
  return section(
    'storage',
    'Storage & identity',
    'volumes, service account',
    html`<h3>Volume mounts</h3>
      <div class="help">${helpFor(['volumes'])}</div>
      <div class="list" data-path="volumes">${f.volumes.map((row, i) => volumeRow(f, row, i))}</div>
      ${rowProblems('volumes')}
      <vscode-button id="add-volume" secondary @click=${() => change('volumes', (s) => s.volumes.push(emptyVolumeRow()))}>Add volume</vscode-button>
      <div class="grid">
        ${textField('serviceAccountName', 'Service account', () => f.serviceAccountName, (s, v) => (s.serviceAccountName = v), { placeholder: 'default', help: ['serviceAccountName'] })}
      </div>`,
  );
}

function healthSection(f: FormState): TemplateResult {
  return section(
    'health',
    'Health',
    'readiness check',
    html`<div class="help">${helpFor(['healthCheck'])}</div>
      <div class="grid" data-path="healthCheck">
        ${textField('healthCheck.path', 'Path', () => f.healthPath, (s, v) => (s.healthPath = v), { placeholder: '/healthz', help: ['healthCheck', 'path'] })}
        ${textField('healthCheck.port', 'Port', () => f.healthPort, (s, v) => (s.healthPort = v), { placeholder: 'first port', help: ['healthCheck', 'port'] })}
        ${textField('healthCheck.initialDelaySeconds', 'Initial delay (s)', () => f.healthInitialDelaySeconds, (s, v) => (s.healthInitialDelaySeconds = v), {
          placeholder: String(SpecDefaults.healthInitialDelaySeconds),
          help: ['healthCheck', 'initialDelaySeconds'],
        })}
        ${textField('healthCheck.periodSeconds', 'Period (s)', () => f.healthPeriodSeconds, (s, v) => (s.healthPeriodSeconds = v), { placeholder: String(SpecDefaults.healthPeriodSeconds), help: ['healthCheck', 'periodSeconds'] })}
      </div>`,
  );
}

// --- the page ----------------------------------------------------------------------------------

function title(): string {
  if (origin.kind === 'reproduce') return `Reproduce revision ${origin.revision ?? '?'} of "${origin.service ?? ''}"`;
  if (origin.kind === 'service') return `New revision of "${origin.service ?? ''}"`;
  return 'New revision';
}

function subtitle(): string {
  const where = [sessionContext ? `context "${sessionContext}"` : '', sessionNamespace ? `namespace "${sessionNamespace}"` : ''].filter(Boolean).join(', ');
  const from = origin.kind === 'service' && origin.revision ? `Prefilled from revision ${origin.revision}. ` : origin.kind === 'reproduce' ? 'Same settings; change what you need. ' : '';
  return `${from}${where ? `Creates in ${where}.` : ''}`;
}

function template(f: FormState, unplaced: SpecFinding[], errorCount: number): TemplateResult {
  const disabled = busy !== undefined;
  return html`<main aria-busy=${disabled ? 'true' : 'false'}>
    <header>
      <h1 id="form-title">${title()}</h1>
      <p class="subtitle">${subtitle()}</p>
    </header>
    <form @submit=${(e: Event) => e.preventDefault()} aria-labelledby="form-title">
      ${metadataSection(f)} ${deploymentSection(f)} ${advancedSection(f)} ${storageSection(f)} ${healthSection(f)}
    </form>
    <footer>
      ${banner ? html`<div class="banner ${banner.kind}" role=${banner.kind === 'error' ? 'alert' : 'status'} id="form-banner">${banner.text}</div>` : nothing}
      ${showAll && errorCount > 0
        ? html`<div class="banner error" role="alert" id="form-summary">
            Fix the ${errorCount === 1 ? 'problem' : `${errorCount} problems`} marked above before creating.
            ${unplaced.length > 0 ? html`<ul>${unplaced.map((p) => html`<li>${p.message}</li>`)}</ul>` : nothing}
          </div>`
        : nothing}
      <div class="buttons">
        <vscode-button id="create" ?disabled=${disabled} @click=${() => submit(false)}>Create revision</vscode-button>
        <vscode-button id="create-launch" ?disabled=${disabled} @click=${() => submit(true)}>Create and launch</vscode-button>
        <vscode-button id="open-yaml" secondary ?disabled=${disabled} @click=${openYaml}>Open as YAML</vscode-button>
        <vscode-button id="cancel" secondary @click=${() => post({ type: 'cancel' })}>Cancel</vscode-button>
        ${busy ? html`<span class="progress" role="status"><vscode-progress-ring></vscode-progress-ring>${busy.text}</span>` : nothing}
      </div>
    </footer>
  </main>`;
}

let lastFindings: SpecFinding[] = [];

function update(): void {
  if (!form) {
    render(html`<p class="loading">Loading the revision form…</p>`, root);
    return;
  }
  const f = form;
  lastFindings = findSpecProblems(stateToSpec(f));
  // Two passes: the first learns which fields the form shows, the second places each finding on
  // the nearest of them.
  pass = { paths: new Set(), problems: new Map() };
  template(f, [], 0);
  const placed = placeFindings(lastFindings, pass.paths);
  pass = { paths: new Set(), problems: placed.byField };
  const errorCount = lastFindings.filter((p) => p.severity === 'error').length;
  render(template(f, placed.unplaced, errorCount), root);
}

function submit(launch: boolean): void {
  if (!form || busy) return;
  const spec = stateToSpec(form);
  const errors = findSpecProblems(spec).filter((p) => p.severity === 'error');
  if (errors.length > 0) {
    showAll = true;
    banner = undefined;
    save();
    update();
    const first = root.querySelector('[invalid]') as HTMLElement | null;
    first?.focus();
    return;
  }
  const requestId = nextRequestId++;
  busy = { requestId, text: launch ? 'Creating and launching the revision…' : 'Creating the revision…' };
  banner = undefined;
  update();
  post({ type: 'create', requestId, spec: spec as unknown as Record<string, unknown>, launch });
}

function openYaml(): void {
  if (!form) return;
  post({ type: 'openYaml', requestId: nextRequestId++, spec: stateToSpec(form) as unknown as Record<string, unknown> });
}

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  if (message.type === 'init') {
    sessionNamespace = message.namespace;
    sessionContext = message.context;
    // A saved draft (hidden panel, reloaded window) wins over the host's starting point.
    if (!form) {
      form = specToState(message.spec);
      origin = message.origin;
      // A prefilled draft is shown with its problems at once; a blank one waits for typing.
      showAll = origin.kind !== 'blank';
    }
    save();
    update();
  } else if (message.type === 'result') {
    if (busy && busy.requestId === message.requestId) busy = undefined;
    banner = { kind: message.ok ? 'info' : 'error', text: message.message };
    update();
  }
});

restore();
update();
post({ type: 'ready' });
