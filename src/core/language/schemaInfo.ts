/**
 * The revision schema read as documentation and as a map of what may appear where: the
 * completion, hover and quick-fix providers all ask it, so they agree with the validator.
 */
import schema from '../../../schemas/revision.schema.json';
import serviceSchema from '../../../schemas/service.schema.json';
import { parse } from 'yaml';
import type { SpecDocumentKind } from '../spec/schemaFindings';
import type { SpecPath } from '../spec/semanticChecks';

export interface SchemaNode {
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  required?: string[];
  examples?: unknown[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  oneOf?: SchemaNode[];
  type?: string | string[];
  readOnly?: boolean;
  /** Written by an action (Reproduce), not by a person: never offered by completion. */
  'x-internal'?: boolean;
  minimum?: number;
  maximum?: number;
}

const Roots: Record<SpecDocumentKind, SchemaNode> = { Revision: schema as unknown as SchemaNode, Service: serviceSchema as unknown as SchemaNode };

export function rootSchema(kind: SpecDocumentKind = 'Revision'): SchemaNode {
  return Roots[kind];
}


/** The schema of the value at `path`; a `oneOf` of alternatives is searched for the branch that fits. */
export function schemaNodeAt(path: SpecPath, kind: SpecDocumentKind = 'Revision'): SchemaNode | undefined {
  let node: SchemaNode | undefined = Roots[kind];
  for (const segment of path) {
    if (node === undefined) return undefined;
    node = childSchema(node, segment);
  }
  return node;
}

function childSchema(node: SchemaNode, segment: string | number): SchemaNode | undefined {
  if (typeof segment === 'number') {
    if (node.items) return node.items;
    return node.oneOf?.find((branch) => branch.items)?.items;
  }
  const own = node.properties?.[segment];
  if (own) return own;
  for (const branch of node.oneOf ?? []) {
    const found = branch.properties?.[segment];
    if (found) return found;
  }
  return undefined;
}

export function typesOf(node: SchemaNode): string[] {
  const own = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
  const branches = (node.oneOf ?? []).flatMap((b) => typesOf(b));
  const all = [...own, ...branches];
  if (all.length === 0 && node.enum) return [...new Set(node.enum.map((v) => typeof v))];
  if (all.length === 0 && node.const !== undefined) return [typeof node.const];
  return [...new Set(all)];
}

export function isObjectSchema(node: SchemaNode | undefined): boolean {
  return node !== undefined && (node.properties !== undefined || typesOf(node).includes('object'));
}

export function isArraySchema(node: SchemaNode | undefined): boolean {
  return node !== undefined && typesOf(node).includes('array');
}

/** Values a field may take, when the schema says so: its enum, const or true/false. */
export function allowedValues(node: SchemaNode): unknown[] | undefined {
  if (node.enum) return node.enum;
  if (node.const !== undefined) return [node.const];
  const types = typesOf(node);
  if (types.length === 1 && types[0] === 'boolean') return [true, false];
  return undefined;
}

export function firstExample(node: SchemaNode): unknown {
  return node.examples?.[0] ?? node.const ?? node.default ?? node.enum?.[0];
}

const TypeWords: Record<string, string> = {
  string: 'text',
  integer: 'whole number',
  number: 'number',
  boolean: 'true or false',
  object: 'mapping',
  array: 'list',
};

/** `text or number`: the field's type for people. */
export function typeLabel(node: SchemaNode): string {
  if (node.enum) return 'one of ' + node.enum.map((v) => JSON.stringify(v)).join(', ');
  if (node.const !== undefined) return `always ${JSON.stringify(node.const)}`;
  return typesOf(node).map((t) => TypeWords[t] ?? t).join(' or ') || 'any';
}

/**
 * A YAML scalar as it would be written: plain when YAML reads it back as the same text. A mapping
 * or list becomes a flow collection (`{ name: HF_HOME, value: /data/hf }`).
 */
export function yamlScalar(value: unknown, inFlow = false): string {
  if (typeof value === 'string') {
    const plain = value !== '' && !/[\n\r\t]/.test(value) && !(inFlow && /[,[\]{}#]/.test(value)) && readsBackAs(value, value);
    return plain ? value : JSON.stringify(value);
  }
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map((v) => yamlScalar(v, true)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${yamlScalar(k, true)}: ${yamlScalar(v, true)}`).join(', ')} }`;
  }
  return String(value);
}

function readsBackAs(text: string, value: string): boolean {
  try {
    return parse(text, { logLevel: 'error' }) === value;
  } catch {
    return false;
  }
}
