// The details webview's side of the host connection: the VS Code API (acquired once) and the typed protocol.
import type { DetailsWebviewToHost } from '../../shared/detailsProtocol';

/** What survives a window reload: which revision this panel shows (the host's serializer checks it). */
export interface SavedDetailsState {
  service: string;
  revision: number;
  namespace: string;
}

interface VsCodeApi {
  postMessage(message: DetailsWebviewToHost): void;
  setState(state: SavedDetailsState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const host = acquireVsCodeApi();

export function post(message: DetailsWebviewToHost): void {
  host.postMessage(message);
}

export function save(state: SavedDetailsState): void {
  host.setState(state);
}
