/**
 * Runs the build-time compiled schema validator and turns ajv's errors into findings that name
 * the field and the fix, one per problem (ajv reports every failed branch of a `oneOf`).
 */
import type { ErrorObject } from 'ajv';
import validateRevision from '../../generated/revisionValidator';
import validateService from '../../generated/serviceValidator';
import revisionSchema from '../../../schemas/revision.schema.json';
import serviceSchema from '../../../schemas/service.schema.json';
import { quoted } from './messageText';
import { formatPath, type SpecFinding, type SpecFix, type SpecPath } from './semanticChecks';
import type { DeferredFinding } from './specFinding';

interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  examples?: unknown[];
  enum?: unknown[];
  const?: unknown;
  oneOf?: SchemaNode[];
  type?: string | string[];
}

/** The kinds of spec document: a revision's recipe, or a service's settings. */
export type SpecDocumentKind = 'Revision' | 'Service';

const Schemas: Record<SpecDocumentKind, { validate: typeof validateRevision; root: SchemaNode; what: string }> = {
  Revision: { validate: validateRevision, root: revisionSchema as unknown as SchemaNode, what: 'a revision spec' },
  Service: { validate: validateService, root: serviceSchema as unknown as SchemaNode, what: 'a service spec' },
};

/** The kind a spec value declares: `Service` for a service's settings, else a revision (whose schema then says what is wrong). */
export function specKindOf(value: unknown): SpecDocumentKind {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Service' ? 'Service' : 'Revision';
}

/** The schema that describes the value at a spec path (undefined outside the schema). */
export function schemaAt(path: SpecPath, kind: SpecDocumentKind = 'Revision'): SchemaNode | undefined {
  let node: SchemaNode | undefined = Schemas[kind].root;
  for (const segment of path) {
    if (node === undefined) return undefined;
    node = typeof segment === 'number' ? node.items : node.properties?.[segment];
  }
  return node;
}

function pointerToPath(pointer: string, data: unknown): (string | number)[] {
  if (pointer === '') return [];
  const path: (string | number)[] = [];
  let current: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.includes('~') ? raw.replace(/~1/g, '/').replace(/~0/g, '~') : raw;
    if (Array.isArray(current)) {
      const index = Number(segment);
      path.push(index);
      current = current[index];
    } else {
      path.push(segment);
      current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[segment] : undefined;
    }
  }
  return path;
}

function describeField(path: SpecPath): string {
  return path.length === 0 ? 'the spec' : formatPath(path);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the text ${quoted(value, 40)}`;
  return `${typeof value} ${String(value)}`;
}

const TypeWords: Record<string, string> = {
  string: 'text',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  object: 'a mapping of fields',
  array: 'a list',
  null: 'empty',
};

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j] ?? 0;
      row[j] = Math.min((row[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, previous + (a[i - 1]?.toLowerCase() === b[j - 1]?.toLowerCase() ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length] ?? 0;
}

/** The closest known field name, for "did you mean" hints on typos. */
export function closestName(name: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

function exampleText(node: SchemaNode | undefined): string {
  const example = node?.examples?.[0] ?? node?.const;
  if (example === undefined || typeof example === 'object') return '';
  return `, e.g. ${JSON.stringify(example)}`;
}

const OneOfMessages: Record<string, (field: string) => string> = {
  command: (field) => `${field} must be a shell line (text) or a list of arguments (a list of text)`,
  env: (field) => `${field} needs exactly one of value, secretKeyRef or configMapKeyRef`,
  volumes: (field) => `${field} needs exactly one source: persistentVolumeClaim, configMap, secret or emptyDir`,
};

function messageFor(error: ErrorObject, path: SpecPath, data: unknown, kind: SpecDocumentKind): { message: string; path: SpecPath; target: 'key' | 'value' } {
  const field = describeField(path);
  const schemaAt_ = (p: SpecPath): SchemaNode | undefined => schemaAt(p, kind);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required': {
      const missing = String(params['missingProperty']);
      const node = schemaAt_([...path, missing]);
      const where = path.length === 0 ? '' : ` in ${field}`;
      return { message: `missing required field "${missing}"${where}: add ${missing}${exampleText(node)}. ${node?.description?.split('. ')[0] ?? ''}`.trim(), path, target: 'key' };
    }
    case 'additionalProperties': {
      const extra = String(params['additionalProperty']);
      const known = Object.keys(schemaAt_(path)?.properties ?? {});
      const suggestion = closestName(extra, known);
      const where = path.length === 0 ? `in ${Schemas[kind].what}` : `in ${field}`;
      const hint = suggestion ? `did you mean "${suggestion}"?` : `known fields: ${known.join(', ')}`;
      return { message: `unknown field ${quoted(extra)} ${where}: ${hint}`, path: [...path, extra], target: 'key' };
    }
    case 'type': {
      const expected = String(params['type']).split(',').map((t) => TypeWords[t] ?? t).join(' or ');
      return { message: `${field} must be ${expected}, not ${typeName(valueAt(data, path))}${exampleText(schemaAt_(path))}`, path, target: 'value' };
    }
    case 'enum': {
      const allowed = (params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ');
      return { message: `${field} must be one of ${allowed}, not ${typeName(valueAt(data, path))}`, path, target: 'value' };
    }
    case 'const':
      if (path.length === 1 && path[0] === 'kind') return { message: 'kind must be "Revision" (a revision\'s recipe) or "Service" (a service\'s settings)', path, target: 'value' };
      return { message: `${field} must be ${JSON.stringify(params['allowedValue'])}`, path, target: 'value' };
    case 'minimum':
    case 'exclusiveMinimum':
      return { message: `${field} must be at least ${String(params['limit'])}`, path, target: 'value' };
    case 'maximum':
    case 'exclusiveMaximum':
      return { message: `${field} must be at most ${String(params['limit'])}`, path, target: 'value' };
    case 'minLength':
      return { message: `${field} must not be empty${exampleText(schemaAt_(path))}`, path, target: 'value' };
    case 'maxLength':
      return { message: `${field} is too long: use at most ${String(params['limit'])} characters`, path, target: 'value' };
    case 'minItems':
      return { message: `${field} needs at least ${String(params['limit'])} item${params['limit'] === 1 ? '' : 's'}`, path, target: 'value' };
    case 'oneOf': {
      const top = path.find((segment): segment is string => typeof segment === 'string');
      const make = top !== undefined ? OneOfMessages[top] : undefined;
      return { message: make ? make(field) : `${field} ${error.message ?? 'is not valid'}`, path, target: 'key' };
    }
    default:
      return { message: `${field} ${error.message ?? 'is not valid'}`, path, target: 'value' };
  }
}

function valueAt(data: unknown, path: SpecPath): unknown {
  let current = data;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

/**
 * ajv reports a failed `oneOf` and the errors of each of its branches. When the value's type
 * picks one branch (a list for `command`), that branch's errors say exactly what is wrong, on the
 * item; otherwise the oneOf's own message does. A oneOf beside a type error of the same value
 * (an env item that is text) adds nothing. Linear in the number of errors: each error finds its
 * oneOf by walking up its own instance path.
 */
function selectErrors(errors: ErrorObject[]): ErrorObject[] {
  const oneOfsAt = new Map<string, ErrorObject[]>();
  for (const e of errors) {
    if (e.keyword !== 'oneOf') continue;
    const list = oneOfsAt.get(e.instancePath);
    if (list) list.push(e);
    else oneOfsAt.set(e.instancePath, [e]);
  }
  if (oneOfsAt.size === 0) return errors;
  const within = (e: ErrorObject, o: ErrorObject): boolean => e.schemaPath.length > o.schemaPath.length && e.schemaPath.charCodeAt(o.schemaPath.length) === 47 && e.schemaPath.startsWith(o.schemaPath);
  // Per oneOf, its branches (by index, as bits) that have errors and those with a type error of
  // the oneOf's own value; per error, its oneOf and branch. No list per branch: thousands of
  // failed oneOfs (one per broken env item) stay cheap.
  const branchesOf = new Map<ErrorObject, { present: number; typed: number }>();
  const ownerOf = new Map<ErrorObject, { oneOf: ErrorObject; branch: number }>();
  const ownTypeError = new Set<ErrorObject>();
  for (const e of errors) {
    if (e.keyword === 'oneOf') continue;
    let owner: ErrorObject | undefined;
    for (let path = e.instancePath; ; path = path.slice(0, path.lastIndexOf('/'))) {
      owner = oneOfsAt.get(path)?.find((o) => within(e, o));
      if (owner || path === '') break;
    }
    if (!owner) {
      // A type error of the very value a oneOf is about makes that oneOf redundant.
      if (e.keyword === 'type') for (const o of oneOfsAt.get(e.instancePath) ?? []) ownTypeError.add(o);
      continue;
    }
    const branch = Number.parseInt(e.schemaPath.slice(owner.schemaPath.length + 1), 10);
    const bit = 1 << branch;
    let branches = branchesOf.get(owner);
    if (!branches) branchesOf.set(owner, (branches = { present: 0, typed: 0 }));
    branches.present |= bit;
    if (e.keyword === 'type' && e.instancePath === owner.instancePath) branches.typed |= bit;
    ownerOf.set(e, { oneOf: owner, branch });
  }
  // A oneOf whose value's type rules out every branch but one: that branch's errors say what is wrong.
  const keepBranch = (oneOf: ErrorObject): number => {
    const branches = branchesOf.get(oneOf);
    if (!branches || branches.typed === 0) return -1;
    const fitting = branches.present & ~branches.typed;
    return fitting !== 0 && (fitting & (fitting - 1)) === 0 ? Math.log2(fitting) : -1;
  };
  return errors.filter((e) => {
    if (e.keyword === 'oneOf') return !ownTypeError.has(e) && keepBranch(e) === -1;
    const owned = ownerOf.get(e);
    return !owned || owned.branch === keepBranch(owned.oneOf);
  });
}

/** `- HF_HOME=/data/hf`: an env item written as text, the way a shell or Docker writes it. */
function envTextFinding(path: SpecPath, value: unknown): SpecFinding | undefined {
  if (path.length !== 2 || path[0] !== 'env' || typeof path[1] !== 'number') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return undefined;
  const text = String(value);
  const field = formatPath(path);
  const match = /^([^=]+)=(.*)$/s.exec(text);
  if (!match) {
    return { severity: 'error', code: 'env-item-text', path, target: 'value', message: `${field} is the text ${quoted(text)}: write each variable as a mapping with name and value (or secretKeyRef / configMapKeyRef), e.g. "- name: MODEL_NAME" and "value: iris" below it.` };
  }
  const name = (match[1] ?? '').trim();
  const entry = { name, value: match[2] ?? '' };
  const fix: SpecFix = { kind: 'replaceValue', path, value: entry, title: `Write as name: ${name} and value` };
  return { severity: 'error', code: 'env-item-text', path, target: 'value', fixes: [fix], message: `${field} is the text ${quoted(text)}: write each variable as a mapping, here "name: ${quoted(name).slice(1, -1)}" and "value: ${quoted(entry.value).slice(1, -1)}".` };
}

/** A schema error as a finding, its message written when read (messageFor looks for close field names). */
class SchemaFinding implements DeferredFinding {
  readonly severity = 'error';
  constructor(
    readonly code: string,
    readonly path: SpecPath,
    readonly target: 'key' | 'value',
    private readonly error: ErrorObject,
    private readonly errorPath: SpecPath,
    private readonly data: unknown,
    private readonly kind: SpecDocumentKind,
  ) {}

  describe(): string {
    return messageFor(this.error, this.errorPath, this.data, this.kind).message;
  }
}

/** The schema's findings, one per problem; messages are written when read (see DeferredFinding). */
export function schemaFindings(data: unknown, kind: SpecDocumentKind = 'Revision'): Array<SpecFinding | DeferredFinding> {
  const validate = Schemas[kind].validate;
  if (validate(data)) return [];
  const kept = selectErrors(validate.errors ?? []);
  const findings: Array<SpecFinding | DeferredFinding> = [];
  const seen = new Set<string>();
  for (const error of kept) {
    const params = error.params as Record<string, unknown>;
    const extra = error.keyword === 'additionalProperties' ? String(params['additionalProperty']) : undefined;
    const detail = extra ?? (error.keyword === 'required' ? String(params['missingProperty']) : JSON.stringify(params));
    const key = `${error.keyword}|${error.instancePath}|${detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const errorPath = pointerToPath(error.instancePath, data);
    const special = error.keyword === 'type' ? envTextFinding(errorPath, valueAt(data, errorPath)) : undefined;
    if (special) {
      findings.push(special);
      continue;
    }
    const target: 'key' | 'value' = error.keyword === 'required' || error.keyword === 'additionalProperties' || error.keyword === 'oneOf' ? 'key' : 'value';
    findings.push(new SchemaFinding(`schema-${error.keyword}`, extra === undefined ? errorPath : [...errorPath, extra], target, error, errorPath, data, kind));
  }
  return findings;
}
