// The revision form: every field of a revision spec in the sections a person expects, validated as
// they type by the same schema and semantic checks as the YAML editor and the CLI
// (findSpecProblems), talking to the host only through the typed protocol in src/shared.
// This entry registers the elements and answers the host; formModel holds the state, fields and
// sections draw it, formPage puts the page together.
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
import { specToState } from '../core/form/formState';
import type { HostToWebview } from '../shared/formProtocol';
import { app, restore, save } from './formModel';
import { update } from './formPage';
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
      // A prefilled draft is shown with its problems at once; a blank one waits for typing.
      app.showAll = app.origin.kind !== 'blank';
    }
    save();
    update();
  } else if (message.type === 'result') {
    if (app.busy && app.busy.requestId === message.requestId) app.busy = undefined;
    app.banner = { kind: message.ok ? 'info' : 'error', text: message.message };
    update();
  }
});

restore();
update();
post({ type: 'ready' });
