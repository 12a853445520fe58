// The building blocks of the form: labelled fields bound to the form state, each showing the
// schema's help below it and the problems placed on its path beside it.
import { html, nothing, type TemplateResult } from 'lit';
import type { FormState } from '../core/form/formState';
import { schemaAt } from '../core/spec/schemaFindings';
import type { SpecFinding } from '../core/spec/semanticChecks';
import { app, change } from './formModel';

/** A schema description with `code` spans, as the form shows it under a field. */
export function helpFor(path: (string | number)[]): TemplateResult | typeof nothing {
  const description = schemaAt(path)?.description;
  if (!description) return nothing;
  const parts = description.split('`');
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

/** Per render: which data-paths the form shows and the problems placed on them. */
interface RenderPass {
  paths: Set<string>;
  problems: Map<string, SpecFinding[]>;
}
let pass: RenderPass = { paths: new Set(), problems: new Map() };

/** Starts a render pass: which fields are shown is learnt again, and `problems` are placed on them. */
export function startPass(problems: Map<string, SpecFinding[]>): ReadonlySet<string> {
  pass = { paths: new Set(), problems };
  return pass.paths;
}

export function problemsAt(path: string): SpecFinding[] {
  pass.paths.add(path);
  const found = pass.problems.get(path) ?? [];
  return app.showAll || app.touched.has(path) ? found : [];
}

export function idFor(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

export function problemList(path: string, problems: SpecFinding[]): TemplateResult | typeof nothing {
  if (problems.length === 0) return nothing;
  return html`<ul class="problems" id=${`${idFor(path)}-problems`} aria-live="polite">
    ${problems.map((p) => html`<li class=${p.severity}>${p.message}</li>`)}
  </ul>`;
}


interface TextOptions {
  placeholder?: string;
  help?: (string | number)[];
  multiline?: boolean;
  wide?: boolean;
  type?: 'text' | 'number';
}

/** A labelled text field bound to `get`/`set`, with help below and its problems beside it. */
export function textField(path: string, label: string, get: () => string, set: (f: FormState, v: string) => void, options: TextOptions = {}): TemplateResult {
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

export function selectField<T extends string>(path: string, label: string, choices: [T, string][], get: () => T, set: (f: FormState, v: T) => void, help?: (string | number)[]): TemplateResult {
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

export function checkField(path: string, label: string, get: () => boolean, set: (f: FormState, v: boolean) => void, help?: (string | number)[]): TemplateResult {
  const problems = problemsAt(path);
  return html`<div class="field check" data-path=${path}>
    <vscode-checkbox id=${idFor(path)} label=${label} .checked=${get()} @change=${(event: Event) => change(path, (f) => set(f, (event.target as HTMLInputElement).checked))}></vscode-checkbox>
    ${problemList(path, problems)}
    ${help ? html`<div class="help">${helpFor(help)}</div>` : nothing}
  </div>`;
}

export function section(id: string, title: string, description: string, body: TemplateResult): TemplateResult {
  return html`<vscode-collapsible id=${`section-${id}`} class="section" heading=${title} title=${title} description=${description} open>
    <div class="section-body">${body}</div>
  </vscode-collapsible>`;
}

export function rowProblems(path: string): TemplateResult | typeof nothing {
  return problemList(path, problemsAt(path));
}

export function removeButton(label: string, onClick: () => void): TemplateResult {
  return html`<vscode-button class="remove" secondary aria-label=${label} title=${label} @click=${onClick}>Remove</vscode-button>`;
}
