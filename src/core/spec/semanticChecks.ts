/**
 * Rules a JSON Schema cannot say. Shared by the YAML language features, the webview form, the
 * CLI and the host-side validation of webview messages, so every surface reports the same thing.
 *
 * The rules are Kubernetes' own (the API server's validation and what the kubelet needs to run a
 * pod), held to them by the differential test in test/integration/specOracle.test.ts. Where this
 * tool is stricter on purpose, the message says it is this tool's rule and why.
 *
 * The input is whatever the YAML held: the checks look only at values of the expected type and
 * leave type errors to the schema, so a spec with schema errors still gets its semantic findings.
 */
import { readImageReference, type ImageProblem } from './imageReference';
import { quoted } from './messageText';
import {
  hasDns1035LabelChars,
  isConfigMapKey,
  isDns1123Label,
  isDns1123Subdomain,
  isEnvVarName,
  isExtendedResourceName,
  isLabelValue,
  isPathSegmentName,
  isPortName,
  isQualifiedName,
  MaxServiceNameLength,
  suggestConfigMapKey,
  suggestDnsLabel,
  suggestDnsSubdomain,
} from './names';
import { compareQuantity, MaxQuantityExponent, quantityText, readQuantity, suggestCpuQuantity, suggestMemoryQuantity, type Quantity } from './quantity';
import { SpecDefaults } from './specDefaults';

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

export interface CheckOptions {
  /**
   * The Kubernetes version of the cluster the spec is for (`v1.31.4`, `1.31`), when the surface
   * knows it; rules that changed between releases follow it. Unknown: the current release.
   */
  kubernetesVersion?: string;
}

/** This tool's limit: no node offers more cores (the largest machines have a few hundred). */
export const MaxCpuCores = 4096;

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

/** Whether the cluster's version predates the relaxed environment variable name rule (1.32). */
export function usesStrictEnvNames(version: string | undefined): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major < 1 || (major === 1 && minor < 32);
}

// Names that sound secret; a name that says it holds a path, a file, a setting's kind or a
// switch does not hold the secret itself.
const SecretNamePattern = /(^|_)(TOKEN|PASSWORD|PASSWD|PWD|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|SECRET_?KEY|CREDENTIALS?|AUTH)(_|$)/i;
const NotASecretName = /_(PATH|FILE|DIR|DIRECTORY|URL|URI|HOST|PORT|PROVIDER|TYPE|MODE|METHOD|HEADER|NAME|ID|ENABLED|DISABLED|TTL|TIMEOUT|EXPIRY|EXPIRES|LENGTH|SIZE|ALGORITHM|SCOPE|SCOPES|REGION|ENDPOINT)$/i;
const SecretValuePatterns: RegExp[] = [
  /^hf_[A-Za-z0-9]{20,}$/, // Hugging Face
  /^sk-[A-Za-z0-9_-]{20,}$/, // OpenAI and similar
  /^(AKIA|ASIA)[A-Z0-9]{16}$/, // AWS access key id
  /^gh[pousr]_[A-Za-z0-9]{30,}$/, // GitHub
  /^xox[abpr]-[A-Za-z0-9-]{10,}$/, // Slack
  /^-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

function looksLikeSecret(name: string, value: string): boolean {
  const trimmed = value.trim();
  if (trimmed === '') return false;
  if (SecretValuePatterns.some((p) => p.test(trimmed))) return true;
  if (!SecretNamePattern.test(name) || NotASecretName.test(name)) return false;
  // A placeholder, a reference, a number, a path, a URL without credentials or a plain word is not a leak.
  if (/^(\$\{.*\}|\$\(.*\)|<.*>|changeme|none|null|false|true|\d{1,5})$/i.test(trimmed)) return false;
  if (/^(\/|\.\/|~\/)/.test(trimmed)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\/[^@\s]*$/i.test(trimmed)) return false;
  if (/^[A-Za-z]+([-_ ][A-Za-z]+)*$/.test(trimmed)) return false;
  return true;
}

type Add = (severity: Severity, code: string, path: SpecPath, message: string, target?: 'key' | 'value', fixes?: SpecFix[]) => void;

function replace(path: SpecPath, value: unknown, title = `Change to ${String(value)}`): SpecFix {
  return { kind: 'replaceValue', path, value, title };
}

export function checkSpec(spec: unknown, options: CheckOptions = {}): SpecFinding[] {
  const findings: SpecFinding[] = [];
  if (!isObject(spec)) return findings;
  const add: Add = (severity, code, path, message, target = 'value', fixes) => {
    const finding: SpecFinding = { severity, code, path, message, target };
    if (fixes && fixes.length > 0) finding.fixes = fixes;
    findings.push(finding);
  };

  checkNames(spec, add);
  checkImage(spec, add);
  const gpuCount = checkResources(spec, add);
  checkAutoscaling(spec, gpuCount, add);
  const ports = checkPorts(spec, add);
  checkEnv(spec, add, !usesStrictEnvNames(options.kubernetesVersion), options.kubernetesVersion);
  checkVolumes(spec, add);
  checkHealth(spec, ports, add);
  return findings;
}

function checkNames(spec: Json, add: Add): void {
  const service = spec['service'];
  if (typeof service === 'string' && service !== '') {
    if (!hasDns1035LabelChars(service)) {
      const suggestion = suggestDnsLabel(service, MaxServiceNameLength);
      add('error', 'service-name', ['service'], `service ${quoted(service)} is not a valid name: use lowercase letters, digits and '-', starting with a letter and ending with a letter or digit, e.g. "${suggestion}".`, 'value', [
        replace(['service'], suggestion, `Rename to "${suggestion}"`),
      ]);
    } else if (service.length > MaxServiceNameLength) {
      const suggestion = service.slice(0, MaxServiceNameLength).replace(/-+$/, '');
      add('error', 'service-name-length', ['service'], `service ${quoted(service)} is ${service.length} characters long: this tool allows at most ${MaxServiceNameLength}, so that every object name derived from it ("<service>-r<revision>", up to revision 999999) stays within Kubernetes' 63-character limit.`, 'value', [
        replace(['service'], suggestion, `Shorten to "${suggestion}"`),
      ]);
    }
  }
  const namespace = spec['namespace'];
  if (typeof namespace === 'string' && namespace !== '' && !isDns1123Label(namespace)) {
    add('error', 'namespace-name', ['namespace'], `namespace ${quoted(namespace)} is not a valid namespace name: use at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit.`);
  }
  const account = spec['serviceAccountName'];
  if (typeof account === 'string' && account !== '' && !isDns1123Subdomain(account)) {
    const suggestion = suggestDnsSubdomain(account);
    add('error', 'service-account-name', ['serviceAccountName'], `serviceAccountName ${quoted(account)} is not a valid name: use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. "${suggestion}".`, 'value', [
      replace(['serviceAccountName'], suggestion, `Rename to ${suggestion}`),
    ]);
  }
}

const ImageHints: Record<ImageProblem, string> = {
  empty: 'it is empty',
  spaces: 'it has spaces around it',
  'hex-name': 'a name of 64 hexadecimal digits is taken for an image ID, not a repository',
  uppercase: 'repository names must be lowercase (only the registry host may have capitals)',
  format: 'write it as registry/repository:tag or repository@sha256:digest, e.g. "ghcr.io/acme/iris:1.2.0"',
  'too-long': "the repository path is longer than 255 characters (Docker Hub names count with their 'library/' or account prefix)",
  'digest-algorithm': 'the digest algorithm must be sha256, sha384 or sha512',
  'digest-length': 'the digest has the wrong number of hex digits for its algorithm (64 for sha256, 96 for sha384, 128 for sha512)',
  'digest-format': 'the digest must be lowercase hexadecimal',
};

function checkImage(spec: Json, add: Add): void {
  const image = spec['image'];
  if (typeof image !== 'string' || image === '') return;
  const reference = readImageReference(image);
  if (typeof reference === 'string') {
    const fixes: SpecFix[] = [];
    const trimmed = image.trim();
    if (reference === 'spaces' && typeof readImageReference(trimmed) !== 'string') fixes.push(replace(['image'], trimmed, `Change to ${trimmed}`));
    if (reference === 'uppercase') {
      const at = image.indexOf('/');
      const lower = at > 0 && /[.:]/.test(image.slice(0, at)) ? image.slice(0, at + 1) + image.slice(at + 1).replace(/^[^:@]*/, (p) => p.toLowerCase()) : image.replace(/^[^:@]*/, (p) => p.toLowerCase());
      if (typeof readImageReference(lower) !== 'string') fixes.push(replace(['image'], lower, `Change to ${lower}`));
    }
    add('error', 'image-reference', ['image'], `image ${quoted(image)} is not an image reference the kubelet can pull: ${ImageHints[reference]}.`, 'value', fixes);
    return;
  }
  if (reference.digest === undefined && (reference.tag === undefined || reference.tag === 'latest')) {
    add('warning', 'image-unpinned', ['image'], `image ${quoted(image)} has ${reference.tag === undefined ? 'no tag' : 'the tag "latest"'}: pin a version tag or a digest so that starting this revision again runs the same server.`);
  }
}

const exponentRule = `this tool refuses decimal exponents beyond ±${MaxQuantityExponent}, which no amount needs and which Kubernetes' parser takes ever longer to read (it never returns on some)`;

function quantityProblem(value: string | number, field: string, code: string, path: SpecPath, add: Add, suggest: (text: string) => string[], hint: string): Quantity | undefined {
  const read = readQuantity(value);
  if (typeof read !== 'string') return read;
  if (read === 'exponent') {
    add('error', code, path, `${field} ${quoted(quantityText(value))} is out of range: ${exponentRule}.`);
    return undefined;
  }
  const suggestions = typeof value === 'string' ? suggest(value) : [];
  const text = suggestions.length > 0 ? `write ${suggestions.map((s) => `"${s}"`).join(' or ')}` : hint;
  add('error', code, path, `${field} ${quoted(quantityText(value))} is not a Kubernetes quantity: ${text}.`, 'value', suggestions.map((s) => replace(path, s)));
  return undefined;
}

/** Memory amounts a tiny one probably meant: the same number in Mi, and in M (for `m`) or Gi. */
function tinyMemoryFixes(value: string | number, path: SpecPath): SpecFix[] {
  const text = quantityText(value).trim();
  const number = /^\+?(\d+(?:\.\d*)?|\.\d+)/.exec(text)?.[1];
  if (number === undefined) return [];
  const suffix = text.slice(text.indexOf(number) + number.length);
  const candidates = [`${number}Mi`, suffix === 'm' ? `${number}M` : `${number}Gi`];
  return candidates
    .filter((c, i, all) => all.indexOf(c) === i && c !== text)
    .filter((c) => {
      const q = readQuantity(c);
      return typeof q !== 'string' && compareQuantity(q, '1Mi') >= 0;
    })
    .map((c) => replace(path, c));
}

/** Checks resources and returns the GPU count per replica (0 when none). */
function checkResources(spec: Json, add: Add): number {
  const resources = spec['resources'];
  if (!isObject(resources)) return 0;
  const cpu = resources['cpu'];
  const cpuPath = ['resources', 'cpu'];
  if (typeof cpu === 'string' || typeof cpu === 'number') {
    const value = quantityProblem(cpu, 'resources.cpu', 'cpu-quantity', cpuPath, add, suggestCpuQuantity, 'write cores ("2", "0.5") or millicores ("500m")');
    if (value && value.negative) {
      add('error', 'cpu-positive', cpuPath, `resources.cpu ${quoted(quantityText(cpu))} is negative: ask for at least "100m".`);
    } else if (value && value.digits === 0n) {
      add('error', 'cpu-positive', cpuPath, `resources.cpu is 0: this tool asks for some CPU, since a server given none is starved by its neighbours; ask for at least "100m".`);
    } else if (value && compareQuantity(value, '1m') < 0) {
      add('error', 'cpu-precision', cpuPath, `resources.cpu ${quoted(quantityText(cpu))} is below 1m: this tool's rule, since Kubernetes schedules CPU in whole millicores and would give it 1m; ask for at least "1m".`);
    } else if (value && compareQuantity(value, String(MaxCpuCores)) > 0) {
      const text = quantityText(cpu).trim();
      const milli = /^\d+(\.\d+)?M$/.test(text) ? `${text.slice(0, -1)}m` : undefined;
      add('error', 'cpu-too-large', cpuPath, `resources.cpu ${quoted(text)} asks for more than ${MaxCpuCores} cores, which no node has (this tool's rule: the pods would stay Pending)${milli ? `: did you mean millicores, "${milli}"?` : '.'}`, 'value', milli ? [replace(cpuPath, milli)] : []);
    }
  }
  const memory = resources['memory'];
  const memoryPath = ['resources', 'memory'];
  if (typeof memory === 'string' || typeof memory === 'number') {
    const value = quantityProblem(memory, 'resources.memory', 'memory-quantity', memoryPath, add, suggestMemoryQuantity, 'write it with a unit such as "512Mi" or "8Gi" (binary) or "8G" (decimal)');
    if (value && value.negative) {
      add('error', 'memory-positive', memoryPath, `resources.memory ${quoted(quantityText(memory))} is negative: ask for at least "128Mi".`);
    } else if (value && value.digits === 0n) {
      add('error', 'memory-positive', memoryPath, 'resources.memory is 0: this tool asks for some memory, since no server runs in none; ask for at least "128Mi".');
    } else if (value && compareQuantity(value, '1Mi') < 0) {
      const fixes = tinyMemoryFixes(memory, memoryPath);
      const hint = fixes.length > 0 ? `: did you mean ${fixes.map((f) => `"${String((f as { value: unknown }).value)}"`).join(' or ')}?` : ': write it with a unit such as "512Mi".';
      add('warning', 'memory-tiny', memoryPath, `resources.memory ${quoted(quantityText(memory))} is less than 1 MiB, which no server can run in${hint}`, 'value', fixes);
    }
  }
  const gpu = resources['gpu'];
  if (!isObject(gpu)) return 0;
  const resourceName = gpu['resourceName'];
  if (typeof resourceName === 'string' && !isExtendedResourceName(resourceName)) {
    const why = !resourceName.includes('/') && resourceName !== ''
      ? `this tool's rule: a GPU is an extended resource with a domain, and a standard name such as ${quoted(resourceName, 20)} would replace the revision's own request of it with the GPU count; write e.g. "${SpecDefaults.gpuResourceName}"`
      : resourceName.includes('kubernetes.io/')
      ? 'device plugins may not advertise names in the kubernetes.io domain'
      : resourceName.startsWith('requests.')
        ? 'names starting with "requests." are reserved for quotas'
        : isQualifiedName(resourceName) && resourceName.includes('/')
          ? 'Kubernetes also needs it to be a valid name once prefixed with "requests." (the domain is too long)'
          : `write it as domain/name, e.g. "${SpecDefaults.gpuResourceName}"`;
    add('error', 'gpu-resource-name', ['resources', 'gpu', 'resourceName'], `resources.gpu.resourceName ${quoted(resourceName)} is not an extended resource name a device plugin can advertise: ${why}.`);
  }
  const product = gpu['product'];
  if (typeof product === 'string' && !isLabelValue(product)) {
    add('error', 'gpu-product', ['resources', 'gpu', 'product'], `resources.gpu.product ${quoted(product)} cannot be a node label value: use at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit, as in "NVIDIA-A100-SXM4-80GB".`);
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
  const metricName = autoscaling['gpuMetricName'];
  if (typeof metricName === 'string' && metricName !== '' && !isPathSegmentName(metricName)) {
    add('error', 'gpu-metric-name', ['autoscaling', 'gpuMetricName'], `autoscaling.gpuMetricName ${quoted(metricName)} cannot name a custom metric: it must not be "." or ".." nor contain '/' or '%', e.g. "${SpecDefaults.gpuMetricName}".`, 'value', [
      replace(['autoscaling', 'gpuMetricName'], SpecDefaults.gpuMetricName),
    ]);
  }
  if (spec['replicas'] !== undefined) {
    add('warning', 'replicas-with-autoscaling', ['replicas'], 'replicas is ignored while autoscaling is on: the autoscaler runs between autoscaling.minReplicas and autoscaling.maxReplicas. Remove replicas or remove autoscaling.', 'key');
  }
}

/** The revision's ports as they run: its own, or the default port when it lists none. */
function checkPorts(spec: Json, add: Add): Json[] {
  if (spec['ports'] === undefined) return [{ ...SpecDefaults.port }];
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
    if (typeof name === 'string' && name !== '') {
      if (!isPortName(name)) {
        const suggestion = suggestDnsLabel(name, 15).replace(/--+/g, '-');
        const fixes = isPortName(suggestion) ? [replace(['ports', index, 'name'], suggestion, `Rename to ${suggestion}`)] : [];
        add('error', 'port-name', ['ports', index, 'name'], `ports[${index}].name ${quoted(name)} is not a valid port name: use at most 15 lowercase letters, digits and '-', with at least one letter, no '--' and no '-' at either end, e.g. "http".`, 'value', fixes);
      } else if (seenNames.has(name)) {
        add('error', 'port-name-duplicate', ['ports', index, 'name'], `ports[${index}].name ${quoted(name)} is already used by ports[${seenNames.get(name)}]: give each port its own name.`);
      } else {
        seenNames.set(name, index);
      }
    } else if (name === undefined && ports.length > 1) {
      add('error', 'port-name-required', ['ports', index], `ports[${index}] needs a name because the revision has more than one port (Kubernetes requires names then): add e.g. name: ${index === 0 ? 'http' : `port-${index}`}.`, 'key');
    }
  });
  return ports.filter(isObject);
}

function checkKeyRef(ref: unknown, path: SpecPath, kind: 'Secret' | 'ConfigMap', add: Add): void {
  if (!isObject(ref)) return;
  const code = kind === 'Secret' ? 'secret' : 'configmap';
  const name = ref['name'];
  if (typeof name === 'string' && name !== '' && !isDns1123Subdomain(name)) {
    const suggestion = suggestDnsSubdomain(name);
    add('error', `${code}-name`, [...path, 'name'], `${formatPath([...path, 'name'])} ${quoted(name)} cannot name a ${kind}: use at most 253 lowercase letters, digits, '-' and '.', starting and ending with a letter or digit, e.g. "${suggestion}".`, 'value', [
      replace([...path, 'name'], suggestion, `Rename to ${suggestion}`),
    ]);
  }
  const key = ref['key'];
  if (typeof key === 'string' && key !== '' && !isConfigMapKey(key)) {
    const suggestion = suggestConfigMapKey(key);
    add('error', `${code}-key`, [...path, 'key'], `${formatPath([...path, 'key'])} ${quoted(key)} cannot be a key of a ${kind}: use at most 253 letters, digits, '-', '_' and '.', not starting with "..", e.g. "${suggestion}".`, 'value', [
      replace([...path, 'key'], suggestion, `Change to ${suggestion}`),
    ]);
  }
}

function checkEnv(spec: Json, add: Add, relaxed: boolean, version: string | undefined): void {
  const seen = new Map<string, number>();
  asArray(spec['env']).forEach((entry, index) => {
    if (!isObject(entry)) return;
    checkKeyRef(entry['secretKeyRef'], ['env', index, 'secretKeyRef'], 'Secret', add);
    checkKeyRef(entry['configMapKeyRef'], ['env', index, 'configMapKeyRef'], 'ConfigMap', add);
    const name = entry['name'];
    if (typeof name !== 'string' || name === '') return;
    if (!isEnvVarName(name, relaxed)) {
      const suggestion = relaxed ? name.replace(/[^\x20-\x3c\x3e-\x7e]/g, '_') : name.replace(/[^-._a-zA-Z0-9]/g, '_').replace(/^[0-9]/, '_$&');
      const rule = relaxed
        ? 'use printable ASCII characters other than \'=\''
        : `the cluster runs Kubernetes ${version}, which wants letters, digits, '_', '-' and '.', not starting with a digit (any printable ASCII character but '=' from 1.32)`;
      add('error', 'env-name', ['env', index, 'name'], `env[${index}].name ${quoted(name)} is not a valid variable name: ${rule}, e.g. "${suggestion}".`, 'value', [
        replace(['env', index, 'name'], suggestion, `Rename to ${suggestion}`),
      ]);
    } else if (seen.has(name)) {
      add('error', 'env-duplicate', ['env', index, 'name'], `env[${index}].name ${quoted(name)} is already set by env[${seen.get(name)}]: each variable may appear once; remove one of them.`);
    } else {
      seen.set(name, index);
    }
    const value = entry['value'];
    if (typeof value === 'string' && looksLikeSecret(name, value)) {
      add('warning', 'env-secret-literal', ['env', index, 'value'], `env ${quoted(name)} has a literal value that looks like a secret: store it in a Secret and reference it with secretKeyRef (name, key), so it is not kept in the revision's recipe in plain text.`, 'value', [
        { kind: 'useSecretRef', path: ['env', index], title: `Reference a Secret for ${name}` },
      ]);
    }
  });
}

/** `/a/./b/../c/` → `/a/c`: the folder a mount path names, as the container sees it. */
function normalisePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return `/${out.join('/')}`;
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
        add('error', 'volume-name', ['volumes', index, 'name'], `volumes[${index}].name ${quoted(name)} is not a valid volume name: use at most 63 lowercase letters, digits and '-', e.g. "${suggestion}".`, 'value', [
          replace(['volumes', index, 'name'], suggestion, `Rename to ${suggestion}`),
        ]);
      } else if (names.has(name)) {
        add('error', 'volume-name-duplicate', ['volumes', index, 'name'], `volumes[${index}].name ${quoted(name)} is already used by volumes[${names.get(name)}]: give each volume its own name.`);
      } else {
        names.set(name, index);
      }
    }
    const mountPath = volume['mountPath'];
    if (typeof mountPath === 'string' && mountPath !== '') {
      const normalised = normalisePath(mountPath);
      const path = ['volumes', index, 'mountPath'];
      if (!mountPath.startsWith('/')) {
        add('warning', 'mount-path-relative', path, `volumes[${index}].mountPath ${quoted(mountPath)} is not absolute: the kubelet mounts it at "${normalised}"; write that.`, 'value', [replace(path, normalised)]);
      } else if (mountPath.split('/').includes('..')) {
        add('warning', 'mount-path-dotdot', path, `volumes[${index}].mountPath ${quoted(mountPath)} contains "..": the container sees it at "${normalised}"; write that.`, 'value', [replace(path, normalised)]);
      }
      if (paths.has(normalised)) {
        add('error', 'mount-path-duplicate', path, `volumes[${index}].mountPath ${quoted(mountPath)} is the folder of volumes[${paths.get(normalised)}] too: this tool's rule, since a container cannot mount two volumes at one folder; mount each at its own.`);
      } else {
        paths.set(normalised, index);
      }
    }
    const subPath = volume['subPath'];
    if (typeof subPath === 'string' && (subPath.startsWith('/') || subPath.split('/').includes('..'))) {
      add('error', 'sub-path', ['volumes', index, 'subPath'], `volumes[${index}].subPath ${quoted(subPath)} must be a relative path inside the volume, without a leading '/' or "..".`);
    }
    const emptyDir = volume['emptyDir'];
    const sizeLimit = isObject(emptyDir) ? emptyDir['sizeLimit'] : undefined;
    if (typeof sizeLimit === 'string') {
      const path = ['volumes', index, 'emptyDir', 'sizeLimit'];
      const value = quantityProblem(sizeLimit, `volumes[${index}].emptyDir.sizeLimit`, 'size-limit-quantity', path, add, suggestMemoryQuantity, 'write e.g. "10Gi"');
      if (value?.negative) add('error', 'size-limit-negative', path, `volumes[${index}].emptyDir.sizeLimit ${quoted(sizeLimit)} is negative: write a size such as "10Gi".`);
    }
    const claim = volume['persistentVolumeClaim'];
    if (isObject(claim) && typeof claim['claimName'] === 'string' && claim['claimName'] !== '' && !isDns1123Subdomain(claim['claimName'])) {
      const suggestion = suggestDnsSubdomain(claim['claimName']);
      add('error', 'claim-name', ['volumes', index, 'persistentVolumeClaim', 'claimName'], `volumes[${index}].persistentVolumeClaim.claimName ${quoted(claim['claimName'])} cannot name a PersistentVolumeClaim: use at most 253 lowercase letters, digits, '-' and '.', e.g. "${suggestion}".`, 'value', [
        replace(['volumes', index, 'persistentVolumeClaim', 'claimName'], suggestion, `Rename to ${suggestion}`),
      ]);
    }
    const secret = volume['secret'];
    if (isObject(secret) && typeof secret['secretName'] === 'string' && secret['secretName'] !== '' && !isDns1123Subdomain(secret['secretName'])) {
      const suggestion = suggestDnsSubdomain(secret['secretName']);
      add('error', 'secret-name', ['volumes', index, 'secret', 'secretName'], `volumes[${index}].secret.secretName ${quoted(secret['secretName'])} cannot name a Secret: use at most 253 lowercase letters, digits, '-' and '.', e.g. "${suggestion}".`, 'value', [
        replace(['volumes', index, 'secret', 'secretName'], suggestion, `Rename to ${suggestion}`),
      ]);
    }
    const configMap = volume['configMap'];
    if (isObject(configMap) && typeof configMap['name'] === 'string' && configMap['name'] !== '' && !isDns1123Subdomain(configMap['name'])) {
      const suggestion = suggestDnsSubdomain(configMap['name']);
      add('error', 'configmap-name', ['volumes', index, 'configMap', 'name'], `volumes[${index}].configMap.name ${quoted(configMap['name'])} cannot name a ConfigMap: use at most 253 lowercase letters, digits, '-' and '.', e.g. "${suggestion}".`, 'value', [
        replace(['volumes', index, 'configMap', 'name'], suggestion, `Rename to ${suggestion}`),
      ]);
    }
  });
}

function checkHealth(spec: Json, ports: Json[], add: Add): void {
  const health = spec['healthCheck'];
  if (!isObject(health)) return;
  const path = health['path'];
  if (typeof path === 'string' && path !== '' && !path.startsWith('/')) {
    add('warning', 'health-path', ['healthCheck', 'path'], `healthCheck.path ${quoted(path)} does not start with '/': the kubelet requests "/${path}"; write that.`, 'value', [replace(['healthCheck', 'path'], `/${path}`)]);
  }
  const port = health['port'];
  if (isInteger(port)) {
    if (port < 1 || port > 65535) {
      add('error', 'health-port-range', ['healthCheck', 'port'], `healthCheck.port ${port} is out of range: use a port number from 1 to 65535, or a port's name.`);
    } else if (ports.length > 0 && !ports.some((p) => p['containerPort'] === port)) {
      const known = ports.map((p) => p['containerPort']).filter(isInteger);
      add('warning', 'health-port-unknown', ['healthCheck', 'port'], `healthCheck.port ${port} is not one of the revision's ports (${known.join(', ')}): check a port the server listens on.`);
    }
  } else if (typeof port === 'string' && !ports.some((p) => p['name'] === port)) {
    const known = ports.map((p) => p['name']).filter((n): n is string => typeof n === 'string');
    const why = isPortName(port) ? 'the kubelet finds no port of that name, so the check never passes' : 'it is not a valid port name';
    add('error', 'health-port-name', ['healthCheck', 'port'], `healthCheck.port ${quoted(port)} names no port of the revision${known.length > 0 ? ` (names: ${known.join(', ')})` : ''}: ${why}; use a port's name or number.`);
  }
}
