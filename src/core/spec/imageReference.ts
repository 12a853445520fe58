/**
 * Container image references as the kubelet reads them before pulling (its image manager
 * parses with the distribution reference grammar and normalises Docker Hub names; what it cannot
 * parse becomes `InvalidImageName`): `[host[:port]/]path[:tag][@algorithm:hex]`, where the host
 * may be an IPv6 address in brackets, the path is lowercase and at most 255 characters once
 * Docker Hub's `library/` is added, and a digest is sha256, sha384 or sha512 in lowercase hex of
 * the algorithm's exact length.
 */
const DomainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const Host = `(?:${DomainComponent}(?:\\.${DomainComponent})*|\\[(?:[a-fA-F0-9:]+)\\])`;
const DomainAndPort = `${Host}(?::[0-9]+)?`;
const PathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const RemoteName = `${PathComponent}(?:/${PathComponent})*`;
const Tag = '[\\w][\\w.-]{0,127}';
const Digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9A-Fa-f]{32,}';
const ReferencePattern = new RegExp(`^((?:${DomainAndPort}/)?${RemoteName})(?::(${Tag}))?(?:@(${Digest}))?$`);
const NamePattern = new RegExp(`^(?:(${DomainAndPort})/)?(${RemoteName})$`);
const Identifier = /^[a-f0-9]{64}$/;
const DigestLengths: Record<string, number> = { sha256: 64, sha384: 96, sha512: 128 };
const MaxPathLength = 255;

export interface ImageReference {
  /** The registry host, `docker.io` for Docker Hub names. */
  registry: string;
  /** The repository path, `library/…` for Docker Hub's official images. */
  repository: string;
  tag?: string;
  digest?: string;
}

export type ImageProblem = 'empty' | 'spaces' | 'hex-name' | 'uppercase' | 'format' | 'too-long' | 'digest-algorithm' | 'digest-length' | 'digest-format';

/** Docker Hub's normalisation: `iris` is docker.io/library/iris, `acme/iris` docker.io/acme/iris. */
function splitDomain(name: string): [string, string] {
  const slash = name.indexOf('/');
  if (slash === -1) return ['docker.io', `library/${name}`];
  const maybeDomain = name.slice(0, slash);
  const rest = name.slice(slash + 1);
  let domain: string;
  let remote: string;
  if (maybeDomain === 'localhost' || /[.:]/.test(maybeDomain) || maybeDomain.toLowerCase() !== maybeDomain) {
    [domain, remote] = [maybeDomain === 'index.docker.io' ? 'docker.io' : maybeDomain, rest];
  } else {
    [domain, remote] = ['docker.io', name];
  }
  if (domain === 'docker.io' && !remote.includes('/')) remote = `library/${remote}`;
  return [domain, remote];
}

function checkDigest(digest: string): ImageProblem | undefined {
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const hex = digest.slice(colon + 1);
  const length = DigestLengths[algorithm];
  if (length === undefined) return 'digest-algorithm';
  if (hex.length !== length) return 'digest-length';
  if (!/^[a-f0-9]+$/.test(hex)) return 'digest-format';
  return undefined;
}

/** The parsed reference, or why the API server or the kubelet refuses it. */
export function readImageReference(image: string): ImageReference | ImageProblem {
  if (image === '') return 'empty';
  // The API server refuses leading and trailing white space (Go's TrimSpace).
  if (/^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]|[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]$/.test(image)) return 'spaces';
  if (Identifier.test(image)) return 'hex-name';
  const [domain, remainder] = splitDomain(image);
  const tagColon = remainder.indexOf(':');
  const remote = tagColon === -1 ? remainder : remainder.slice(0, tagColon);
  if (remote.toLowerCase() !== remote) return 'uppercase';
  const match = ReferencePattern.exec(`${domain}/${remainder}`);
  if (!match) return 'format';
  const name = NamePattern.exec(match[1] ?? '');
  const registry = name?.[1] ?? '';
  const repository = name?.[2] ?? match[1] ?? '';
  if (repository.length > MaxPathLength) return 'too-long';
  const reference: ImageReference = { registry, repository };
  if (match[2] !== undefined) reference.tag = match[2];
  if (match[3] !== undefined) {
    const problem = checkDigest(match[3]);
    if (problem) return problem;
    reference.digest = match[3];
  }
  return reference;
}

export function parseImageReference(image: string): ImageReference | undefined {
  const read = readImageReference(image);
  return typeof read === 'string' ? undefined : read;
}
