// A revision's details: why it is (not) ready, live by watch, and its metrics over time. The host
// (src/extension/details/revisionDetailsPanel.ts) sends what it sees; this app only draws it and
// asks for logs and the stored spec through the typed protocol in src/shared/detailsProtocol.ts.
import type { DetailsHostToWebview } from '../../shared/detailsProtocol';
import { watchWidth } from './charts';
import { post, save } from './detailsHost';
import { page, update } from './detailsPage';
import 'uplot/dist/uPlot.min.css';
import './details.css';

window.addEventListener('message', (event: MessageEvent<DetailsHostToWebview>) => {
  const message = event.data;
  if (typeof message !== 'object' || message === null) return;
  switch (message.type) {
    case 'details':
      page.details = message.details;
      save({ service: message.details.service, revision: message.details.revision, namespace: message.details.namespace });
      break;
    case 'metrics':
      page.metrics = message.metrics;
      break;
    case 'live':
      page.live = message.live;
      break;
    default:
      return;
  }
  update();
});

watchWidth(update);
update();
post({ type: 'ready' });
