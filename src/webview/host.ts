// The webview's side of the host connection: the VS Code API (acquired once) and the typed protocol.
import type { FormState } from '../core/form/formState';
import type { FormOrigin, WebviewToHost } from '../shared/formProtocol';

/** What survives hiding the panel and reloading the window (webview state; the host reads `origin`). */
export interface SavedState {
  version: 1;
  form: FormState;
  origin: FormOrigin;
  touched: string[];
  showAll: boolean;
  namespace?: string;
  context?: string;
}

interface VsCodeApi {
  postMessage(message: WebviewToHost): void;
  getState(): unknown;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** May be called once per webview, so here and nowhere else. */
export const host = acquireVsCodeApi();

export function post(message: WebviewToHost): void {
  host.postMessage(message);
}
