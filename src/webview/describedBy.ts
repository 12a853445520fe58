// Ties each field's help and problems to the control a screen reader lands on. The controls of
// @vscode-elements render their input inside a shadow root, which an `aria-describedby` id cannot
// reach; ARIA element reflection (`ariaDescribedByElements`) can point from inside a shadow root
// to elements of the page around it, so the input itself carries the description.

interface Describable extends HTMLElement {
  ariaDescribedByElements: Element[] | null;
}

/** The focusable element inside one of the form's custom elements. */
function innerControl(host: HTMLElement): HTMLElement | undefined {
  return host.shadowRoot?.querySelector<HTMLElement>('input, textarea, [role="combobox"]') ?? undefined;
}

function link(host: HTMLElement): void {
  const control = innerControl(host);
  if (!control) return;
  const ids = (host.dataset['describedby'] ?? '').split(/\s+/).filter(Boolean);
  const elements = ids.map((id) => document.getElementById(id)).filter((e): e is HTMLElement => e !== null);
  (control as Describable).ariaDescribedByElements = elements;
}

/** After each render: every `[data-describedby]` control once its shadow root is drawn. */
export function linkDescriptions(root: HTMLElement): void {
  for (const host of root.querySelectorAll<HTMLElement & { updateComplete?: Promise<unknown> }>('[data-describedby]')) {
    if (host.updateComplete) void host.updateComplete.then(() => link(host));
    else link(host);
  }
}
