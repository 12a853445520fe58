/**
 * Rules a JSON Schema cannot say. Shared by the YAML language features, the webview form, the
 * CLI and the host-side validation of webview messages, so every surface reports the same thing.
 *
 * The input is whatever the YAML held: the checks look only at values of the expected type and
 * leave type errors to the schema, so a spec with schema errors still gets its semantic findings.
 */
import { parseImageReference } from './imageReference';
import {
  isDns1035Label,
  isDns1123Label,
  isDns1123Subdomain,
  isEnvVarName,
  isExtendedResourceName,
  isLabelValue,
  isPortName,
  MaxServiceNameLength,
  suggestDnsLabel,
} from './names';
import { parseQuantity, suggestCpuQuantity, suggestMemoryQuantity } from './quantity';
import { SpecDefaults } from './revisionSpec';

export type Severity = 'error' | 'warning';
export type SpecPath = ReadonlyArray<string | number>;

/** A machine-readable fix: quick fixes in the editor and the form apply it. */
export type SpecFix =
  | { kind: 'replaceValue'; path: SpecPath; value: unknown; title: string }
  | { kind: 'swapValues'; paths: [SpecPath, SpecPath]; title: string }
  | { kind: 'useSecretRef'; path: SpecPath; title: string };

export interface SpecFinding {
  severity: Severity;
  /** What is wrong and how to fix it, naming the field. */
  message: string;
  /** Where in the spec; the YAML layer turns it into a range. */
  path: SpecPath;
  /** Mark the key (a field that should not be there, a duplicate) or the value. */
  target: 'key' | 'value';
  /** A stable identifier of the rule, e.g. `memory-quantity`. */
  code: string;
  fixes?: SpecFix[];
}

/** `ports[1].containerPort`: how the messages name a field. */
export function formatPath(path: SpecPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

const SecretNamePattern = /(^|_)(TOKEN|PASSWORD|PASSWD|PWD|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|CREDENTIALS?|AUTH)(_|$)/i;
const SecretValuePatterns: RegExp[] = [
  /^hf_[A-Za-z0-9]{20,}$/, // Hugging Face
  /^sk-[A-Za-z0-9_-]{20,}$/, // OpenAI and similar
  /^(AKIA|ASIA)[A-Z0-9]{16}$/, // AWS access key id
  /^gh[pousr]_[A-Za-z0-9]{30,}$/, // GitHub
  /^xox[abpr]-[A-Za-z0-9-]{10,}$/, // Slack
  /^-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

function looksLikeSecret(name: string, value: string): boolean {
  if (value.trim() === '') return false;
  if (SecretValuePatterns.some((p) => p.test(value))) return true;
  // A secret-sounding name with a placeholder or a reference-like value is not a leak.
  if (SecretNamePattern.test(name) && !/^(\$\{.*\}|<.*>|changeme|none|null|false|true|\d{1,5})$/i.test(value)) return true;
  return false;
}

export function checkSpec(spec: unknown): SpecFinding[] {
  const findings: SpecFinding[] = [];
  if (!isObject(spec)) return findings;
  const add = (severity: Severity, code: string, path: SpecPath, message: string, target: 'key' | 'value' = 'value', fixes?: SpecFix[]): void => {
    const finding: SpecFinding = { severity, code, path, message, target };
    if (fixes && fixes.length > 0) finding.fixes = fixes;
    findings.push(finding);
  };

  checkNames(spec, add);
  checkImage(spec, add);
  const gpuCount = checkResources(spec, add);
  checkAutoscaling(spec, gpuCount, add);
  const ports = checkPorts(spec, add);
  checkEnv(spec, add);
  checkVolumes(spec, add);
  checkHealth(spec, ports, add);
  return findings;
}

type Add = (severity: Severity, code: string, path: SpecPath, message: string, target?: 'key' | 'value', fixes?: SpecFix[]) => void;

function checkNames(spec: Json, add: Add): void {
  const service = spec['service'];
  if (typeof service === 'string' && service !== '') {
    if (!isDns1035Label(service, 63)) {
      const suggestion = suggestDnsLabel(service, MaxServiceNameLength);
      add('error', 'service-name', ['service'], `service "${service}" is not a valid name: use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, e.g. "${suggestion}".`, 'value', [
        { kind: 'replaceValue', path: ['service'], value: suggestion, title: `Rename to "${suggestion}"` },
      ]);
    } else if (service.length > MaxServiceNameLength) {
      const suggestion = service.slice(0, MaxServiceNameLength).replace(/-+$/, '');
      add('error', 'service-name-length', ['service'], `service "${service}" is ${service.length} characters long: use at most ${MaxServiceNameLength}, so that object names such as "${service}-r1" stay within Kubernetes' 63-character limit.`, 'value', [
        { kind: 'replaceValue', path: ['service'], value: suggestion, title: `Shorten to "${suggestion}"` },
      ]);
    }
  }
  const namespace = spec['namespace'];
  if (typeof namespace === 'string' && namespace !== '' && !isDns1123Label(namespace)) {
    add('error', 'namespace-name', ['namespace'], `namespace "${namespace}" is not a valid namespace name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit.`);
  }
  const account = spec['serviceAccountName'];
  if (typeof account === 'string' && !isDns1123Subdomain(account)) {
    add('error', 'service-account-name', ['serviceAccountName'], `serviceAccountName "${account}" is not a valid name: use lowercase letters, digits, '-' and '.', starting and ending with a letter or digit.`);
  }
}

function checkImage(spec: Json, add: Add): void {
  const image = spec['image'];
  if (typeof image !== 'string' || image === '') return;
  const reference = parseImageReference(image);
  if (!reference) {
    const hint = image !== image.toLowerCase() ? ' Repository names must be lowercase.' : image.includes(' ') ? ' It must not contain spaces.' : '';
    add('error', 'image-reference', ['image'], `image "${image}" is not a valid image reference: write it as registry/repository:tag or repository@sha256:digest, e.g. "ghcr.io/acme/iris:1.2.0".${hint}`);
    return;
  }
  if (reference.digest === undefined && (reference.tag === undefined || reference.tag === 'latest')) {
    add('warning', 'image-unpinned', ['image'], `image "${image}" has ${reference.tag === undefined ? 'no tag' : 'the tag "latest"'}: pin a version tag or a digest so that starting this revision again runs the same server.`);
  }
}

/** Checks resources and returns the GPU count per replica (0 when none). */
function checkResources(spec: Json, add: Add): number {
  const resources = spec['resources'];
  if (!isObject(resources)) return 0;
  const cpu = resources['cpu'];
  if (typeof cpu === 'string' || typeof cpu === 'number') {
    const value = parseQuantity(cpu);
    if (value === undefined) {
      const suggestions = typeof cpu === 'string' ? suggestCpuQuantity(cpu) : [];
      const hint = suggestions.length > 0 ? `write "${suggestions[0]}"` : 'write cores ("2", "0.5") or millicores ("500m")';
      add('error', 'cpu-quantity', ['resources', 'cpu'], `resources.cpu "${cpu}" is not a Kubernetes quantity: ${hint}.`, 'value',
        suggestions.map((s) => ({ kind: 'replaceValue', path: ['resources', 'cpu'], value: s, title: `Change to ${s}` })));
    } else if (value <= 0) {
      add('error', 'cpu-positive', ['resources', 'cpu'], `resources.cpu must be more than 0: ask for at least "100m".`);
    } else if (value < 0.001) {
      add('error', 'cpu-precision', ['resources', 'cpu'], `resources.cpu "${cpu}" is below 1m, the smallest CPU amount Kubernetes schedules: ask for at least "1m".`);
    }
  }
  const memory = resources['memory'];
  if (typeof memory === 'string' || typeof memory === 'number') {
    const value = parseQuantity(memory);
    if (value === undefined) {
      const suggestions = typeof memory === 'string' ? suggestMemoryQuantity(memory) : [];
      const hint = suggestions.length > 0 ? `write ${suggestions.map((s) => `"${s}"`).join(' or ')}` : 'write it with a unit such as "512Mi" or "8Gi" (binary) or "8G" (decimal)';
      add('error', 'memory-quantity', ['resources', 'memory'], `resources.memory "${memory}" is not a Kubernetes quantity: ${hint}.`, 'value',
        suggestions.map((s) => ({ kind: 'replaceValue', path: ['resources', 'memory'], value: s, title: `Change to ${s}` })));
    } else if (value <= 0) {
      add('error', 'memory-positive', ['resources', 'memory'], 'resources.memory must be more than 0: ask for at least "128Mi".');
    } else if (value < 2 ** 20) {
      const plain = String(memory);
      add('warning', 'memory-tiny', ['resources', 'memory'], `resources.memory "${plain}" is ${value} bytes, which no server can run in: did you mean "${plain}Mi" or "${plain}Gi"?`, 'value', [
        { kind: 'replaceValue', path: ['resources', 'memory'], value: `${plain}Mi`, title: `Change to ${plain}Mi` },
        { kind: 'replaceValue', path: ['resources', 'memory'], value: `${plain}Gi`, title: `Change to ${plain}Gi` },
      ]);
    }
  }
  const gpu = resources['gpu'];
  if (!isObject(gpu)) return 0;
  const resourceName = gpu['resourceName'];
  if (typeof resourceName === 'string' && !isExtendedResourceName(resourceName)) {
    add('error', 'gpu-resource-name', ['resources', 'gpu', 'resourceName'], `resources.gpu.resourceName "${resourceName}" is not an extended resource name: write it as domain/name, e.g. "${SpecDefaults.gpuResourceName}".`);
  }
  const product = gpu['product'];
  if (typeof product === 'string' && !isLabelValue(product)) {
    add('error', 'gpu-product', ['resources', 'gpu', 'product'], `resources.gpu.product "${product}" cannot be a node label value: use at most 63 letters, digits, '-', '_' and '.', as in "NVIDIA-A100-SXM4-80GB".`);
  }
  const count = gpu['count'];
  return isInteger(count) ? count : 0;
}

function checkAutoscaling(spec: Json, gpuCount: number, add: Add): void {
  const autoscaling = spec['autoscaling'];
  if (!isObject(autoscaling)) return;
  const min = autoscaling['minReplicas'];
  const max = autoscaling['maxReplicas'];
  if (isInteger(min) && isInteger(max) && min > max) {
    add('error', 'autoscaling-min-max', ['autoscaling', 'minReplicas'], `autoscaling.minReplicas (${min}) is greater than autoscaling.maxReplicas (${max}): make minReplicas at most maxReplicas, e.g. swap them.`, 'value', [
      { kind: 'swapValues', paths: [['autoscaling', 'minReplicas'], ['autoscaling', 'maxReplicas']], title: `Swap minReplicas and maxReplicas (${max} and ${min})` },
    ]);
  }
  if (autoscaling['metric'] === 'gpu' && gpuCount < 1) {
    add('error', 'gpu-metric-without-gpu', ['autoscaling', 'metric'], 'autoscaling.metric is "gpu" but the revision requests no GPU: add resources.gpu.count (at least 1) or scale on "cpu" or "memory".');
  }
  if (spec['replicas'] !== undefined) {
    add('warning', 'replicas-with-autoscaling', ['replicas'], 'replicas is ignored while autoscaling is on: the autoscaler runs between autoscaling.minReplicas and autoscaling.maxReplicas. Remove replicas or remove autoscaling.', 'key');
  }
}

function checkPorts(spec: Json, add: Add): Json[] {
  const ports = asArray(spec['ports']);
  const seenNumbers = new Map<number, number>();
  const seenNames = new Map<string, number>();
  ports.forEach((port, index) => {
    if (!isObject(port)) return;
    const number = port['containerPort'];
    if (isInteger(number)) {
      if (number < 1 || number > 65535) {
        add('error', 'port-range', ['ports', index, 'containerPort'], `ports[${index}].containerPort ${number} is out of range: use a port number from 1 to 65535.`);
      } else if (seenNumbers.has(number)) {
        add('error', 'port-duplicate', ['ports', index, 'containerPort'], `ports[${index}].containerPort ${number} is already used by ports[${seenNumbers.get(number)}]: each port number may appear once.`);
      } else {
        seenNumbers.set(number, index);
      }
    }
    const name = port['name'];
    if (typeof name === 'string') {
      if (!isPortName(name)) {
        add('error', 'port-name', ['ports', index, 'name'], `ports[${index}].name "${name}" is not a valid port name: use at most 15 lowercase letters, digits and '-', with at least one letter, e.g. "http".`);
      } else if (seenNames.has(name)) {
        add('error', 'port-name-duplicate', ['ports', index, 'name'], `ports[${index}].name "${name}" is already used by ports[${seenNames.get(name)}]: give each port its own name.`);
      } else {
        seenNames.set(name, index);
      }
    } else if (name === undefined && ports.length > 1) {
      add('error', 'port-name-required', ['ports', index], `ports[${index}] needs a name because the revision has more than one port (Kubernetes requires names then): add e.g. name: ${index === 0 ? 'http' : `port-${index}`}.`, 'key');
    }
  });
  return ports.filter(isObject);
}

function checkEnv(spec: Json, add: Add): void {
  const seen = new Map<string, number>();
  asArray(spec['env']).forEach((entry, index) => {
    if (!isObject(entry)) return;
    const name = entry['name'];
    if (typeof name !== 'string' || name === '') return;
    if (!isEnvVarName(name)) {
      const suggestion = name.replace(/[^-._a-zA-Z0-9]/g, '_').replace(/^[0-9]/, '_$&');
      add('error', 'env-name', ['env', index, 'name'], `env[${index}].name "${name}" is not a valid variable name: use letters, digits, '_', '-' and '.', not starting with a digit, e.g. "${suggestion}".`, 'value', [
        { kind: 'replaceValue', path: ['env', index, 'name'], value: suggestion, title: `Rename to ${suggestion}` },
      ]);
    } else if (seen.has(name)) {
      add('error', 'env-duplicate', ['env', index, 'name'], `env[${index}].name "${name}" is already set by env[${seen.get(name)}]: each variable may appear once; remove one of them.`);
    } else {
      seen.set(name, index);
    }
    const value = entry['value'];
    if (typeof value === 'string' && looksLikeSecret(name, value)) {
      add('warning', 'env-secret-literal', ['env', index, 'value'], `env ${name} has a literal value that looks like a secret: store it in a Secret and reference it with secretKeyRef (name, key), so it is not kept in the revision's recipe in plain text.`, 'value', [
        { kind: 'useSecretRef', path: ['env', index], title: `Reference a Secret for ${name}` },
      ]);
    }
  });
}

function checkVolumes(spec: Json, add: Add): void {
  const names = new Map<string, number>();
  const paths = new Map<string, number>();
  asArray(spec['volumes']).forEach((volume, index) => {
    if (!isObject(volume)) return;
    const name = volume['name'];
    if (typeof name === 'string') {
      if (!isDns1123Label(name)) {
        const suggestion = suggestDnsLabel(name, 63);
        add('error', 'volume-name', ['volumes', index, 'name'], `volumes[${index}].name "${name}" is not a valid volume name: use lowercase letters, digits and '-', e.g. "${suggestion}".`, 'value', [
          { kind: 'replaceValue', path: ['volumes', index, 'name'], value: suggestion, title: `Rename to ${suggestion}` },
        ]);
      } else if (names.has(name)) {
        add('error', 'volume-name-duplicate', ['volumes', index, 'name'], `volumes[${index}].name "${name}" is already used by volumes[${names.get(name)}]: give each volume its own name.`);
      } else {
        names.set(name, index);
      }
    }
    const mountPath = volume['mountPath'];
    if (typeof mountPath === 'string') {
      const normalised = mountPath.replace(/\/+$/, '') || '/';
      if (!mountPath.startsWith('/')) {
        add('error', 'mount-path-relative', ['volumes', index, 'mountPath'], `volumes[${index}].mountPath "${mountPath}" is not absolute: start it with '/', e.g. "/${mountPath}".`, 'value', [
          { kind: 'replaceValue', path: ['volumes', index, 'mountPath'], value: `/${mountPath}`, title: `Change to /${mountPath}` },
        ]);
      } else if (mountPath.split('/').includes('..')) {
        add('error', 'mount-path-dotdot', ['volumes', index, 'mountPath'], `volumes[${index}].mountPath "${mountPath}" must not contain "..": write the folder's full path.`);
      } else if (paths.has(normalised)) {
        add('error', 'mount-path-duplicate', ['volumes', index, 'mountPath'], `volumes[${index}].mountPath "${mountPath}" is already used by volumes[${paths.get(normalised)}]: mount each volume at its own folder.`);
      } else {
        paths.set(normalised, index);
      }
    }
    const subPath = volume['subPath'];
    if (typeof subPath === 'string' && (subPath.startsWith('/') || subPath.split('/').includes('..'))) {
      add('error', 'sub-path', ['volumes', index, 'subPath'], `volumes[${index}].subPath "${subPath}" must be a relative path inside the volume, without a leading '/' or "..".`);
    }
    const emptyDir = volume['emptyDir'];
    if (isObject(emptyDir) && typeof emptyDir['sizeLimit'] === 'string' && parseQuantity(emptyDir['sizeLimit']) === undefined) {
      const suggestions = suggestMemoryQuantity(emptyDir['sizeLimit']);
      add('error', 'size-limit-quantity', ['volumes', index, 'emptyDir', 'sizeLimit'], `volumes[${index}].emptyDir.sizeLimit "${emptyDir['sizeLimit']}" is not a Kubernetes quantity: ${suggestions.length > 0 ? `write ${suggestions.map((s) => `"${s}"`).join(' or ')}` : 'write e.g. "10Gi"'}.`);
    }
    const claim = volume['persistentVolumeClaim'];
    if (isObject(claim) && typeof claim['claimName'] === 'string' && !isDns1123Subdomain(claim['claimName'])) {
      add('error', 'claim-name', ['volumes', index, 'persistentVolumeClaim', 'claimName'], `volumes[${index}].persistentVolumeClaim.claimName "${claim['claimName']}" is not a valid object name: use lowercase letters, digits, '-' and '.'.`);
    }
  });
}

function checkHealth(spec: Json, ports: Json[], add: Add): void {
  const health = spec['healthCheck'];
  if (!isObject(health)) return;
  const path = health['path'];
  if (typeof path === 'string' && !path.startsWith('/')) {
    add('error', 'health-path', ['healthCheck', 'path'], `healthCheck.path "${path}" must start with '/', e.g. "/${path}".`, 'value', [
      { kind: 'replaceValue', path: ['healthCheck', 'path'], value: `/${path}`, title: `Change to /${path}` },
    ]);
  }
  const port = health['port'];
  if (isInteger(port) && ports.length > 0 && !ports.some((p) => p['containerPort'] === port)) {
    const known = ports.map((p) => p['containerPort']).filter(isInteger);
    add('warning', 'health-port-unknown', ['healthCheck', 'port'], `healthCheck.port ${port} is not one of the revision's ports (${known.join(', ')}): check a port the server listens on.`);
  } else if (typeof port === 'string' && !ports.some((p) => p['name'] === port)) {
    const known = ports.map((p) => p['name']).filter((n): n is string => typeof n === 'string');
    add('error', 'health-port-name', ['healthCheck', 'port'], `healthCheck.port "${port}" names no port of the revision${known.length > 0 ? ` (names: ${known.join(', ')})` : ''}: use a port's name or number.`);
  }
}
