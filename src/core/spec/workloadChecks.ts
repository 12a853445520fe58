/**
 * The checks of what the container runs with: ports, environment variables (and the Secrets and
 * ConfigMaps they read), volumes and the health check.
 */
import { quoted } from './messageText';
import { isConfigMapKey, isDns1123Label, isDns1123Subdomain, isEnvVarName, isPortName, suggestConfigMapKey, suggestDnsLabel, suggestDnsSubdomain } from './names';
import { suggestMemoryQuantity } from './quantity';
import { quantityProblem } from './resourceChecks';
import { SpecDefaults } from './specDefaults';
import { asArray, formatPath, isInteger, isObject, replace, type Add, type Json, type SpecPath } from './specFinding';

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

/** The revision's ports as they run: its own, or the default port when it lists none. */
export function checkPorts(spec: Json, add: Add): Json[] {
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

export function checkEnv(spec: Json, add: Add, relaxed: boolean, version: string | undefined): void {
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

export function checkVolumes(spec: Json, add: Add): void {
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

export function checkHealth(spec: Json, ports: Json[], add: Add): void {
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
