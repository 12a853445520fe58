// The revision form: every field of a revision spec in the sections a person expects, checked as
// they type by the same schema and semantic checks as the YAML editor and the CLI
// (findSpecProblems) and, through the host, the same cluster checks as the editor; talking to the
// host only through the typed protocol in src/shared.
// This entry registers the elements and answers the host; formModel holds the state, fields and
// sections draw it, formPage puts the page together.
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-label/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { specToState } from '../core/form/formState';
import type { HostToWebview } from '../shared/formProtocol';
import { app, restore, save } from './formModel';
import { markExistingProblems, update } from './formPage';
import { post } from './host';
import './form.css';

window.addEventListener('message', (event: MessageEvent<HostToWebview>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  if (message.type === 'init') {
    app.sessionNamespace = message.namespace;
    app.sessionContext = message.context;
    // A saved draft (hidden panel, reloaded window) wins over the host's starting point.
    if (!app.form) {
      app.form = specToState(message.spec);
      app.origin = message.origin;
    }
    // A prefilled draft shows the problems of the values it came with at once; empty fields wait
    // to be typed in or for Create, as in a blank form.
    if (app.origin.kind !== 'blank') markExistingProblems();
    save();
    update();
  } else if (message.type === 'result') {
    if (app.busy && app.busy.requestId === message.requestId) app.busy = undefined;
    app.banner = { kind: message.ok || message.cancelled ? 'info' : 'error', text: message.message };
    update();
  } else if (message.type === 'clusterFindings') {
    // Answers can cross: only the one for the latest spec counts.
    if (message.requestId < app.cluster.requestId) return;
    app.cluster = { requestId: message.requestId, findings: message.findings, ...(message.unavailable ? { unavailable: message.unavailable } : {}) };
    update();
  }
});

restore();
update();
post({ type: 'ready' });
