// The building blocks of the form: labelled fields bound to the form state, each with short help
// below it (the schema's first sentence; all of it with "Show detailed help") and the problems
// placed on its path, both tied to the control for screen readers (describedBy).
import { html, nothing, type TemplateResult } from 'lit';
import { formMessage } from '../core/form/fieldLabels';
import type { FormState } from '../core/form/formState';
import { schemaAt } from '../core/spec/schemaFindings';
import type { SpecFinding } from '../core/spec/semanticChecks';
import { app, change, findingKey } from './formModel';

/** A description's first sentence, and the rest (shown with "Show detailed help"). */
export function splitHelp(description: string): { short: string; more: string } {
  const match = /^(.*?[.!?])(\s+[A-Z`(].*)?$/s.exec(description.trim());
  if (!match) return { short: description.trim(), more: '' };
  return { short: match[1] ?? '', more: (match[2] ?? '').trim() };
}

function withCode(text: string): TemplateResult {
  const parts = text.split('`');
  return html`${parts.map((part, i) => (i % 2 === 1 ? html`<code>${part}</code>` : part))}`;
}

/** A schema description as the form shows it under a field: short, the rest on demand. */
export function helpFor(path: (string | number)[]): TemplateResult | typeof nothing {
  const description = schemaAt(path)?.description;
  if (!description) return nothing;
  const { short, more } = splitHelp(description);
  return html`${withCode(short)}${app.detailedHelp && more ? html` ${withCode(more)}` : nothing}`;
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

/**
 * The problems shown at `path`: a field's own only once the person has changed it or tried to
 * create (a fresh form is calm), or when a prefilled draft came with them; the cluster's warnings
 * on values that are there, always.
 */
export function problemsAt(path: string): SpecFinding[] {
  pass.paths.add(path);
  const found = pass.problems.get(path) ?? [];
  return app.showAll || app.touched.has(path) ? found : found.filter((p) => p.code.startsWith('cluster-') || app.existing.has(findingKey(p)));
}

export function idFor(path: string): string {
  return `f-${path.replace(/[^A-Za-z0-9]+/g, '-')}`;
}

/** The ids that describe a field's control: its help and its problems (describedBy wires them). */
function describedBy(id: string, help: boolean, problems: boolean): string {
  return [help ? `${id}-help` : '', problems ? `${id}-problems` : ''].filter(Boolean).join(' ');
}

export function problemList(path: string, problems: SpecFinding[]): TemplateResult | typeof nothing {
  if (problems.length === 0) return nothing;
  return html`<ul class="problems" id=${`${idFor(path)}-problems`} aria-live="polite">
    ${problems.map((p) => html`<li class=${p.severity}><span class="severity">${p.severity === 'error' ? 'Error' : 'Warning'}:</span> ${formMessage(p)}</li>`)}
  </ul>`;
}

function helpBlock(id: string, help?: (string | number)[]): TemplateResult | typeof nothing {
  return help ? html`<div class="help" id=${`${id}-help`}>${helpFor(help)}</div>` : nothing;
}

interface TextOptions {
  placeholder?: string;
  help?: (string | number)[];
  multiline?: boolean;
  wide?: boolean;
}

/** A labelled text field bound to `get`/`set`, with help below and its problems beside it. */
export function textField(path: string, label: string, get: () => string, set: (f: FormState, v: string) => void, options: TextOptions = {}): TemplateResult {
  const problems = problemsAt(path);
  const id = idFor(path);
  const errors = problems.some((p) => p.severity === 'error');
  const described = describedBy(id, options.help !== undefined, problems.length > 0);
  const onInput = (event: Event) => change(path, (f) => set(f, (event.target as HTMLInputElement).value));
  const control = options.multiline
    ? html`<vscode-textarea id=${id} .value=${get()} label=${label} placeholder=${options.placeholder ?? ''} rows="2" ?invalid=${errors} data-describedby=${described} @input=${onInput}></vscode-textarea>`
    : html`<vscode-textfield id=${id} .value=${get()} label=${label} placeholder=${options.placeholder ?? ''} ?invalid=${errors} data-describedby=${described} @input=${onInput}></vscode-textfield>`;
  return html`<div class="field ${options.wide ? 'wide' : ''}" data-path=${path}>
    <vscode-label for=${id}>${label}</vscode-label>
    ${control} ${problemList(path, problems)} ${helpBlock(id, options.help)}
  </div>`;
}

export function selectField<T extends string>(path: string, label: string, choices: [T, string][], get: () => T, set: (f: FormState, v: T) => void, help?: (string | number)[]): TemplateResult {
  const problems = problemsAt(path);
  const id = idFor(path);
  const described = describedBy(id, help !== undefined, problems.length > 0);
  return html`<div class="field" data-path=${path}>
    <vscode-label for=${id}>${label}</vscode-label>
    <vscode-single-select id=${id} label=${label} .value=${get()} data-describedby=${described} @change=${(event: Event) => change(path, (f) => set(f, (event.target as HTMLSelectElement).value as T))}>
      ${choices.map(([value, text]) => html`<vscode-option value=${value} ?selected=${get() === value}>${text}</vscode-option>`)}
    </vscode-single-select>
    ${problemList(path, problems)} ${helpBlock(id, help)}
  </div>`;
}

export function checkField(path: string, label: string, get: () => boolean, set: (f: FormState, v: boolean) => void, help?: (string | number)[]): TemplateResult {
  const problems = problemsAt(path);
  const id = idFor(path);
  const described = describedBy(id, help !== undefined, problems.length > 0);
  return html`<div class="field check" data-path=${path}>
    <vscode-checkbox id=${id} label=${label} .checked=${get()} data-describedby=${described} @change=${(event: Event) => change(path, (f) => set(f, (event.target as HTMLInputElement).checked))}></vscode-checkbox>
    ${problemList(path, problems)} ${helpBlock(id, help)}
  </div>`;
}

/** One choice of a radio group: `[value, label]`. */
export type RadioChoice<T extends string> = [T, string];

/**
 * Radio buttons as the platform makes them (announced as radios, arrow keys move between them,
 * one tab stop), in a fieldset whose legend names the group.
 */
export function radioField<T extends string>(path: string, label: string, choices: RadioChoice<T>[], get: () => T, set: (f: FormState, v: T) => void, help?: (string | number)[], extra: TemplateResult | typeof nothing = nothing): TemplateResult {
  const problems = problemsAt(path);
  const id = idFor(path);
  const described = describedBy(id, help !== undefined, problems.length > 0);
  return html`<fieldset class="field wide radios" data-path=${path} id=${id} aria-describedby=${described || nothing}>
    <legend>${label}</legend>
    <div class="radio-row">
      ${choices.map(
        ([value, text]) =>
          html`<label class="radio"><input type="radio" name=${id} id=${`${id}-${value}`} value=${value} .checked=${get() === value} @change=${() => change(path, (f) => set(f, value))} />${text}</label>`,
      )}
    </div>
    ${extra} ${problemList(path, problems)} ${helpBlock(id, help)}
  </fieldset>`;
}

/** Whether a section starts open: it has values or problems worth seeing, or the person opened it. */
export function sectionOpen(id: string, byDefault: boolean): boolean {
  return app.openSections[id] ?? byDefault;
}

/** A section the person can fold (a native disclosure: announced as expandable, Enter or Space toggles it). */
export function section(id: string, title: string, description: string, body: TemplateResult, openByDefault = true): TemplateResult {
  const onToggle = (event: Event) => {
    app.openSections[id] = (event.target as HTMLDetailsElement).open;
  };
  return html`<details id=${`section-${id}`} class="section" ?open=${sectionOpen(id, openByDefault)} @toggle=${onToggle}>
    <summary><span class="section-title">${title}</span> <span class="section-description">${description}</span></summary>
    <div class="section-body">${body}</div>
  </details>`;
}

export function rowProblems(path: string): TemplateResult | typeof nothing {
  return problemList(path, problemsAt(path));
}

export function removeButton(label: string, onClick: () => void): TemplateResult {
  return html`<vscode-button class="remove" secondary aria-label=${label} title=${label} @click=${onClick}>Remove</vscode-button>`;
}
