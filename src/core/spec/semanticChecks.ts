/**
 * Rules a JSON Schema cannot say. Shared by the YAML language features, the webview form, the
 * CLI and the host-side validation of webview messages, so every surface reports the same thing.
 *
 * The rules are Kubernetes' own (the API server's validation and what the kubelet needs to run a
 * pod), held to them by the differential test in test/integration/specOracle.test.ts. Where this
 * tool is stricter on purpose, the message says it is this tool's rule and why. This module
 * checks names and the image; resourceChecks.ts and workloadChecks.ts the rest.
 *
 * The input is whatever the YAML held: the checks look only at values of the expected type and
 * leave type errors to the schema, so a spec with schema errors still gets its semantic findings.
 */
import { readImageReference, type ImageProblem } from './imageReference';
import { quoted } from './messageText';
import { hasDns1035LabelChars, isDns1123Label, isDns1123Subdomain, MaxServiceNameLength, suggestDnsLabel, suggestDnsSubdomain } from './names';
import { checkAutoscaling, checkResources } from './resourceChecks';
import { isObject, replace, type Add, type CheckOptions, type Json, type SpecFinding, type SpecFix } from './specFinding';
import { checkEnv, checkHealth, checkPorts, checkVolumes } from './workloadChecks';

export { formatPath, type CheckOptions, type Severity, type SpecFinding, type SpecFix, type SpecPath } from './specFinding';
export { MaxCpuCores } from './resourceChecks';

/** Whether the cluster's version predates the relaxed environment variable name rule (1.32). */
export function usesStrictEnvNames(version: string | undefined): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major < 1 || (major === 1 && minor < 32);
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

/** The names a spec of either kind holds: service, namespace, service account. */
export function checkNames(spec: Json, add: Add): void {
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
