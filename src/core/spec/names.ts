/** Kubernetes name rules (k8s.io/apimachinery/pkg/util/validation), as the API server applies them. */

export const MaxServiceNameLength = 55;
/** Longest revision suffix reserved in derived names: `-r` and up to six digits. */
export const RevisionSuffixReserve = 8;

const Dns1035Label = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const Dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const Dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const IanaSvcName = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const EnvVarName = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const QualifiedNamePart = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LabelValue = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

export function isDns1035Label(value: string, maxLength = 63): boolean {
  return value.length <= maxLength && Dns1035Label.test(value);
}

export function isDns1123Label(value: string): boolean {
  return value.length <= 63 && Dns1123Label.test(value);
}

export function isDns1123Subdomain(value: string): boolean {
  return value.length <= 253 && Dns1123Subdomain.test(value);
}

/** A Service/container port name: at most 15 characters, at least one letter, no `--`. */
export function isPortName(value: string): boolean {
  return value.length <= 15 && IanaSvcName.test(value) && /[a-z]/.test(value) && !value.includes('--');
}

export function isEnvVarName(value: string): boolean {
  return EnvVarName.test(value);
}

/** An extended resource name such as `nvidia.com/gpu`: a DNS subdomain prefix and a name. */
export function isExtendedResourceName(value: string): boolean {
  const slash = value.indexOf('/');
  if (slash <= 0) return false;
  const prefix = value.slice(0, slash);
  const name = value.slice(slash + 1);
  return isDns1123Subdomain(prefix) && name.length <= 63 && QualifiedNamePart.test(name) && !prefix.endsWith('kubernetes.io');
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
