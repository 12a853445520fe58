/**
 * How the form names its fields, and the checks' messages in those words: the YAML editor and the
 * CLI name a field by its path (`resources.memory`, `autoscaling.minReplicas`), the form by the
 * label a person sees beside it (Memory, Min replicas). Pure, so the webview and its tests agree.
 */
import { formatPath, type SpecFinding, type SpecPath } from '../spec/specFinding';

const Labels: Record<string, string> = {
  service: 'Service',
  namespace: 'Namespace',
  message: 'Message',
  reproducedFrom: 'Reproduced from',
  image: 'Image',
  command: 'Start command',
  resources: 'Resources',
  'resources.cpu': 'CPU',
  'resources.memory': 'Memory',
  'resources.gpu': 'GPU',
  'resources.gpu.count': 'GPU count',
  'resources.gpu.resourceName': 'GPU resource name',
  'resources.gpu.product': 'GPU type',
  env: 'Environment variables',
  ports: 'Ports',
  replicas: 'Replicas',
  autoscaling: 'Autoscaling',
  'autoscaling.minReplicas': 'Min replicas',
  'autoscaling.maxReplicas': 'Max replicas',
  'autoscaling.metric': 'Metric',
  'autoscaling.target': 'Target %',
  'autoscaling.gpuMetricName': 'GPU metric name',
  launchImmediately: 'Launch immediately',
  volumes: 'Volume mounts',
  serviceAccountName: 'Service account',
  healthCheck: 'Health check',
  'healthCheck.path': 'Health path',
  'healthCheck.port': 'Health port',
  'healthCheck.initialDelaySeconds': 'Initial delay',
  'healthCheck.periodSeconds': 'Period',
};

/** What a row's field is called after the row's own name (`Variable 2` + ` name`). */
const RowFields: Record<string, Record<string, string>> = {
  env: { '': '', name: ' name', value: ' value', 'secretKeyRef.name': ' Secret', 'secretKeyRef.key': ' key', 'secretKeyRef.optional': ' optional', 'configMapKeyRef.name': ' ConfigMap', 'configMapKeyRef.key': ' key', 'configMapKeyRef.optional': ' optional', secretKeyRef: ' Secret', configMapKeyRef: ' ConfigMap' },
  ports: { '': '', containerPort: ' number', name: ' name', protocol: ' protocol' },
  volumes: {
    '': '',
    name: ' name',
    mountPath: ' mount path',
    subPath: ' sub-path',
    readOnly: ' read-only',
    persistentVolumeClaim: ' claim',
    'persistentVolumeClaim.claimName': ' claim name',
    configMap: ' ConfigMap',
    'configMap.name': ' ConfigMap name',
    secret: ' Secret',
    'secret.secretName': ' Secret name',
    emptyDir: ' scratch folder',
    'emptyDir.sizeLimit': ' size limit',
    'emptyDir.medium': ' medium',
  },
};
const RowNames: Record<string, string> = { env: 'Variable', ports: 'Port', volumes: 'Volume' };

/** The label of the field (or row) at `path`: `Memory`, `Variable 2 name`, `Port 1 number`; the path itself when the form has no such field. */
export function fieldLabel(path: SpecPath): string {
  const key = formatPath(path);
  const known = Labels[key];
  if (known) return known;
  const [list, index, ...rest] = path;
  if (typeof list === 'string' && typeof index === 'number' && RowNames[list]) {
    const suffix = RowFields[list]?.[rest.join('.')];
    if (suffix !== undefined) return `${RowNames[list]} ${index + 1}${suffix}`;
  }
  if (list === 'command' && typeof index === 'number') return `Start command argument ${index + 1}`;
  // A deeper path than the form shows: the nearest field it has, then the rest as written.
  for (let n = path.length - 1; n > 0; n--) {
    const parent = path.slice(0, n);
    if (Labels[formatPath(parent)] || (RowNames[String(parent[0])] && typeof parent[1] === 'number')) return `${fieldLabel(parent)} ${formatPath(path.slice(n))}`;
  }
  return key;
}

/** A field path as the checks write it in a message: `resources.gpu.count`, `ports[1].name`. */
const PathInMessage = /\b[a-zA-Z]+(?:\[\d+\]|\.[a-zA-Z]+)+/g;

function parsePath(text: string): SpecPath {
  const path: Array<string | number> = [];
  for (const part of text.matchAll(/([a-zA-Z]+)|\[(\d+)\]/g)) path.push(part[1] ?? Number(part[2]));
  return path;
}

/**
 * A finding's message in the form's words: the field it begins with, and any field path it
 * mentions, become the labels a person sees (`resources.memory "8GB" is not…` → `Memory "8GB"
 * is not…`).
 */
export function formMessage(finding: Pick<SpecFinding, 'message' | 'path'>): string {
  let message = finding.message;
  const own = formatPath(finding.path);
  if (own !== '' && message.startsWith(own) && !/^[\w.[\]]/.test(message.slice(own.length))) {
    message = fieldLabel(finding.path) + message.slice(own.length);
  }
  message = message.replace(PathInMessage, (text) => {
    const path = parsePath(text);
    const label = fieldLabel(path);
    return label === text ? text : label;
  });
  return message.charAt(0).toUpperCase() + message.slice(1);
}
