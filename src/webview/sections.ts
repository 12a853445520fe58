// The form's five sections — Metadata, Deployment, Advanced, Storage & identity, Health — and the
// rows of its lists (environment variables, ports, volumes).
import { html, nothing, type TemplateResult } from 'lit';
import { emptyEnvRow, emptyPortRow, emptyVolumeRow, type EnvRow, type FormState, type PortRow, type VolumeRow } from '../core/form/formState';
import { SpecDefaults, StarterValues } from '../core/spec/specDefaults';
import { checkField, helpFor, problemsAt, radioField, removeButton, rowProblems, section, selectField, textField } from './fields';
import { app, change } from './formModel';

export function metadataSection(f: FormState): TemplateResult {
  return section(
    'metadata',
    'Metadata',
    'service, message',
    html`<div class="grid">
        ${textField('service', 'Service', () => f.service, (s, v) => (s.service = v), { placeholder: 'iris', help: ['service'] })}
        ${textField('namespace', 'Namespace', () => f.namespace, (s, v) => (s.namespace = v), { placeholder: app.sessionNamespace ?? 'default', help: ['namespace'] })}
      </div>
      ${textField('message', 'Message', () => f.message, (s, v) => (s.message = v), { placeholder: 'What this revision is for', help: ['message'], multiline: true, wide: true })}
      ${f.reproducedFrom !== undefined
        ? html`<div class="field" data-path="reproducedFrom"><span class="origin">Reproduced from revision ${f.reproducedFrom}</span>${rowProblems('reproducedFrom')}</div>`
        : nothing}`,
  );
}

function commandFields(f: FormState): TemplateResult {
  const path = 'command';
  const invalid = problemsAt(path).length > 0;
  const extra =
    f.commandMode === 'shell'
      ? html`<vscode-textfield id="f-command-shell" label="Shell line" placeholder="bentoml serve service:Model --port 3000" .value=${f.commandShell} ?invalid=${invalid}
          @input=${(e: Event) => change(path, (s) => (s.commandShell = (e.target as HTMLInputElement).value))}></vscode-textfield>`
      : f.commandMode === 'argv'
        ? html`<vscode-textarea id="f-command-argv" label="Arguments, one per line" rows="4" placeholder=${'python\n-m\nserver'} .value=${f.commandArgs} ?invalid=${invalid}
            @input=${(e: Event) => change(path, (s) => (s.commandArgs = (e.target as HTMLInputElement).value))}></vscode-textarea>`
        : nothing;
  return radioField<FormState['commandMode']>(
    path,
    'Start command',
    [
      ['none', 'Image entrypoint'],
      ['shell', 'Shell line'],
      ['argv', 'Arguments (one per line)'],
    ],
    () => f.commandMode,
    (s, v) => (s.commandMode = v),
    ['command'],
    extra,
  );
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

export function deploymentSection(f: FormState): TemplateResult {
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

export function advancedSection(f: FormState): TemplateResult {
  return section(
    'advanced',
    'Advanced',
    'replicas or autoscaling',
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
        : html`<div class="grid">${textField('replicas', 'Replicas', () => f.replicas, (s, v) => (s.replicas = v), { placeholder: String(SpecDefaults.replicas), help: ['replicas'] })}</div>`}`,
  );
}

export function storageSection(f: FormState): TemplateResult {
  const used = f.volumes.length > 0 || f.serviceAccountName.trim() !== '';
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
    used,
  );
}

export function healthSection(f: FormState): TemplateResult {
  const used = [f.healthPath, f.healthPort, f.healthInitialDelaySeconds, f.healthPeriodSeconds].some((v) => v.trim() !== '');
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
    used,
  );
}
