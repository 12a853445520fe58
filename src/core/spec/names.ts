/**
 * Kubernetes name rules (k8s.io/apimachinery/pkg/util/validation and the core API's helpers), as
 * a v1.34 API server and kubelet apply them. The differential test
 * (test/integration/specOracle.test.ts) compares them with Kubernetes' own code.
 */

/**
 * This tool's limit on service names: every object name derived from one
 * (`<service>-r<revision>`) must stay a 63-character DNS label up to revision 999999.
 */
export const MaxServiceNameLength = 55;
/** Longest revision suffix reserved in derived names: `-r` and up to six digits. */
export const RevisionSuffixReserve = 8;

const Dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const Dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const Dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const PortNameChars = /^[-a-z0-9]+$/;
const EnvVarName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const ConfigMapKey = /^[-._a-zA-Z0-9]+$/;
const QualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LabelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The characters of a DNS label, whatever its length (to tell a bad name from a long one). */
export function hasDns1035LabelChars(value: string): boolean {
  return Dns1035Label.test(value);
}

export function isDns1035Label(value: string, maxLength = 63): boolean {
  return value.length <= maxLength && Dns1035Label.test(value);
}

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && Dns1123Label.test(value);
}

/** The names of Secrets, ConfigMaps, PersistentVolumeClaims and service accounts. */
export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && Dns1123Subdomain.test(value);
}

/** A container port name (IANA service name): at most 15 characters, a letter, no `--`, no `-` at either end. */
export function isPortName(value: string): boolean {
  return value.length <= 15 && PortNameChars.test(value) && /[a-z]/.test(value) && !value.includes('--') && !value.startsWith('-') && !value.endsWith('-');
}

/**
 * An environment variable name. Kubernetes 1.32 turned on the relaxed rule (GA in 1.34): any
 * printable ASCII character except `=`. Older clusters want letters, digits, `_`, `-` and `.`,
 * not starting with a digit, and not `.`, `..` or starting with `..`.
 */
export function isEnvVarName(value: string, relaxed = true): boolean {
  if (!relaxed) return EnvVarName.test(value) && value !== '.' && !value.startsWith('..');
  if (value === '') return false;
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x3d) return false;
  }
  return true;
}

/** A key of a Secret or ConfigMap: letters, digits, `-`, `_`, `.`; not `.`, `..` or starting with `..`. */
export function isConfigMapKey(value: string): boolean {
  return value.length <= 253 && ConfigMapKey.test(value) && value !== '.' && !value.startsWith('..');
}

/** A name that can be one segment of an API path (e.g. a custom metric's name): not `.`/`..`, no `/` or `%`. */
export function isPathSegmentName(value: string): boolean {
  return value !== '.' && value !== '..' && !value.includes('/') && !value.includes('%');
}

/** `[prefix/]name`: a DNS subdomain prefix and a name of at most 63 characters. */
export function isQualifiedName(value: string): boolean {
  const parts = value.split('/');
  if (parts.length > 2) return false;
  const name = parts[parts.length - 1] ?? '';
  if (parts.length === 2 && !isDns1123Subdomain(parts[0] ?? '')) return false;
  return name.length <= 63 && QualifiedNamePart.test(name);
}

/**
 * An extended resource name a device plugin can advertise, such as `nvidia.com/gpu`: a domain
 * outside kubernetes.io and a name, which must still be a qualified name once the API server
 * prefixes it with `requests.` for quotas.
 */
export function isExtendedResourceName(value: string): boolean {
  if (!value.includes('/') || value.includes('kubernetes.io/') || value.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${value}`);
}

export function isLabelValue(value: string): boolean {
  return value.length <= 63 && LabelValue.test(value);
}

/** A name that follows the rules, made from one that does not, for use in suggestions. */
export function suggestDnsLabel(value: string, maxLength: number): string {
  let name = value
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, maxLength)
    .replace(/-+$/, '');
  if (name === '') name = 'service';
  return name;
}

/** A DNS subdomain made from a name that is not one (Secret and ConfigMap names). */
export function suggestDnsSubdomain(value: string): string {
  const name = value
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/(^|\.)[-.]+/g, '$1')
    .replace(/[-.]+($|\.)/g, '$1')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 253)
    .replace(/[-.]+$/, '');
  return isDns1123Subdomain(name) ? name : 'secret';
}

/** A Secret or ConfigMap key made from one that is not one. */
export function suggestConfigMapKey(value: string): string {
  const key = value.replace(/[^-._a-zA-Z0-9]+/g, '_').replace(/^\.+/, '').slice(0, 253);
  return isConfigMapKey(key) ? key : 'key';
}
