/**
 * Container image references as container runtimes parse them (the distribution reference
 * grammar): `[registry[:port]/]path[:tag][@algorithm:hex]`.
 */
const DomainComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const Domain = `${DomainComponent}(?:\\.${DomainComponent})*(?::[0-9]+)?`;
const PathComponent = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const Tag = '[\\w][\\w.-]{0,127}';
const Digest = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}';
const Reference = new RegExp(`^(?:(${Domain})/)?(${PathComponent}(?:/${PathComponent})*)(?::(${Tag}))?(?:@(${Digest}))?$`);

export interface ImageReference {
  registry?: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImageReference(image: string): ImageReference | undefined {
  const match = Reference.exec(image);
  if (!match) return undefined;
  let registry = match[1];
  let repository = match[2] ?? '';
  // `foo/bar`: `foo` is a registry only if it looks like a host (has a dot or port, or is localhost).
  if (registry !== undefined && !/[.:]/.test(registry) && registry !== 'localhost' && registry === registry.toLowerCase()) {
    repository = `${registry}/${repository}`;
    registry = undefined;
  }
  if (repository.length + (registry?.length ?? 0) > 255) return undefined;
  const reference: ImageReference = { repository };
  if (registry !== undefined) reference.registry = registry;
  if (match[3] !== undefined) reference.tag = match[3];
  if (match[4] !== undefined) reference.digest = match[4];
  return reference;
}
