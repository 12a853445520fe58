// The form's state in the webview: what the person typed, which fields they touched, what is
// running, and its saved copy that survives hiding the panel and reloading the window.
import { blankFormState, type FormState } from '../core/form/formState';
import type { AfterLaunch, FindingData, FormOrigin } from '../shared/formProtocol';
import { host, type SavedState } from './host';

export interface FormApp {
  form: FormState | undefined;
  origin: FormOrigin;
  /** Where the host creates (shown in the subtitle and as the namespace placeholder). */
  sessionNamespace: string | undefined;
  sessionContext: string | undefined;
  /** Fields the person has changed: only those show problems until they try to create. */
  touched: Set<string>;
  showAll: boolean;
  busy: { requestId: number; text: string } | undefined;
  banner: { kind: 'error' | 'info'; text: string } | undefined;
  nextRequestId: number;
  /** What Create and launch does with the service's traffic once the revision runs. */
  afterLaunch: AfterLaunch;
  /** The cluster's findings on the spec as last checked by the host (the YAML editor's cluster checks). */
  cluster: { requestId: number; findings: FindingData[]; unavailable?: string };
  /** The whole schema description under each field, not only its first sentence. */
  detailedHelp: boolean;
  /** Sections the person opened or closed, by id; the others follow their default. */
  openSections: Record<string, boolean>;
  /** Problems a prefilled draft came with (findingKey): shown at once, unlike those of fields left empty. */
  existing: Set<string>;
}

/** A finding's identity across renders: its rule and where it is. */
export function findingKey(finding: { code: string; path: ReadonlyArray<string | number> }): string {
  return `${finding.code}@${finding.path.join('.')}`;
}

export const app: FormApp = {
  form: undefined,
  origin: { kind: 'blank' },
  sessionNamespace: undefined,
  sessionContext: undefined,
  touched: new Set<string>(),
  showAll: false,
  busy: undefined,
  banner: undefined,
  nextRequestId: 1,
  afterLaunch: 'keep',
  cluster: { requestId: 0, findings: [] },
  detailedHelp: false,
  openSections: {},
  existing: new Set<string>(),
};

export function restore(): void {
  const saved = host.getState() as Partial<SavedState> | undefined;
  if (saved && saved.version === 1 && saved.form && saved.origin) {
    app.form = { ...blankFormState(), ...saved.form };
    app.origin = saved.origin;
    for (const t of saved.touched ?? []) app.touched.add(t);
    app.showAll = saved.showAll === true;
    app.sessionNamespace = saved.namespace;
    app.sessionContext = saved.context;
  }
}

export function save(): void {
  const { form, origin, touched, showAll, sessionNamespace, sessionContext } = app;
  if (!form) return;
  host.setState({ version: 1, form, origin, touched: [...touched], showAll, ...(sessionNamespace ? { namespace: sessionNamespace } : {}), ...(sessionContext ? { context: sessionContext } : {}) });
}

let rerender: () => void = () => undefined;

/** The page's render function, set once by the page (so fields need not import it). */
export function onChange(render: () => void): void {
  rerender = render;
}

/** Applies a person's edit of the field at `path`, keeps it, and draws the form again. */
export function change(path: string, apply: (f: FormState) => void): void {
  if (!app.form) return;
  apply(app.form);
  app.touched.add(path);
  app.banner = app.banner?.kind === 'error' ? app.banner : undefined;
  save();
  rerender();
}
