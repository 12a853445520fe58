/**
 * Completion for revision specs: the keys the schema allows at the cursor, enum values, whole
 * blocks as snippets, and names from the live cluster. Pure: VS Code's adapter turns the items
 * into CompletionItems; snippets use VS Code's snippet syntax (`${1:default}`, `${1|a,b|}`).
 */
import { stringify } from 'yaml';
import type { Position, Range } from '../spec/specDocument';
import type { SpecPath } from '../spec/semanticChecks';
import { type ClusterLookup, type ClusterValues } from './clusterLookup';
import { cursorContext, splitLines } from './cursorContext';
import { SpecDefaults, StarterValues, starterSpec } from '../spec/specDefaults';
import { allowedValues, firstExample, isArraySchema, isObjectSchema, schemaNodeAt, typeLabel, yamlScalar, type SchemaNode } from './schemaInfo';
import { declaredKind } from './specDeclaration';

export type CompletionKind = 'property' | 'value' | 'enum' | 'snippet' | 'cluster';

export interface SpecCompletion {
  label: string;
  kind: CompletionKind;
  /** One line: the type, or where a cluster value comes from. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  /** insertText uses snippet syntax. */
  snippet: boolean;
  range: Range;
  sortText: string;
  filterText?: string;
}

export interface CompletionResult {
  items: SpecCompletion[];
  /** Cluster lookups that had no cached answer yet: the caller may fetch them and ask again. */
  pending: ClusterLookup[];
}

export interface CompletionOptions {
  cluster?: ClusterValues;
  /** The namespace cluster lookups use when the spec names none. */
  defaultNamespace?: string;
}

/** The spec's own `namespace:`, read from the text (it may not parse yet). */
export function declaredNamespace(text: string): string | undefined {
  const match = /^namespace:[ \t]*["']?([a-z0-9][-a-z0-9]*)["']?[ \t]*(#.*)?$/m.exec(text);
  return match?.[1];
}

/** A snippet choice list with `first` first: `${n|http,grpc,tcp|}`. */
function choice(tab: number, first: string, all: readonly string[]): string {
  return `\${${tab}|${[first, ...all.filter((v) => v !== first)].join(',')}|}`;
}

const Protocols = ['http', 'grpc', 'tcp'] as const;
const Metrics = ['cpu', 'memory', 'gpu'] as const;

/** Whole blocks, their placeholders filled from the spec's defaults and starter values (specDefaults.ts). */
const BlockSnippets: Record<'port' | 'secretEnv' | 'volumeMount' | 'autoscaling', { label: string; field: string; item: string; doc: string }> = {
  port: {
    label: 'port',
    field: 'ports',
    item: `name: \${1:${SpecDefaults.port.name}}\ncontainerPort: \${2:${SpecDefaults.port.containerPort}}\nprotocol: ${choice(3, SpecDefaults.port.protocol, Protocols)}`,
    doc: 'A port the server listens on: name, number and protocol.',
  },
  secretEnv: {
    label: 'env var from a Secret',
    field: 'env',
    item: `name: \${1:${StarterValues.secretEnv.name}}\nsecretKeyRef:\n  name: \${2:${StarterValues.secretEnv.secretName}}\n  key: \${3:${StarterValues.secretEnv.key}}`,
    doc: 'An environment variable whose value comes from a key of a Secret, so the value never sits in the spec.',
  },
  volumeMount: {
    label: 'volume mount',
    field: 'volumes',
    item: `name: \${1:${StarterValues.volume.name}}\nmountPath: \${2:${StarterValues.volume.mountPath}}\nreadOnly: true\npersistentVolumeClaim:\n  claimName: \${3:${StarterValues.volume.claimName}}`,
    doc: 'A PersistentVolumeClaim mounted read-only as a folder (model files, datasets).',
  },
  autoscaling: {
    label: 'autoscaling',
    field: 'autoscaling',
    item: `minReplicas: \${1:${StarterValues.autoscaling.minReplicas}}\nmaxReplicas: \${2:${StarterValues.autoscaling.maxReplicas}}\nmetric: ${choice(3, StarterValues.autoscaling.metric, Metrics)}\ntarget: \${4:${SpecDefaults.autoscalingTarget}}`,
    doc: 'Horizontal autoscaling between min and max replicas on CPU, memory or GPU utilisation.',
  },
};

/** The whole-spec snippet for an empty file: the template (starterSpec) with its values as placeholders. */
function skeletonSnippet(): string {
  const spec = starterSpec();
  const port = SpecDefaults.port;
  return [
    `apiVersion: ${spec.apiVersion}`,
    `kind: ${spec.kind}`,
    `service: \${1:${spec.service}}`,
    `message: \${2:${spec.message}}`,
    `image: \${3:${spec.image}}`,
    'resources:',
    `  cpu: "\${4:${SpecDefaults.resources.cpu}}"`,
    `  memory: \${5:${SpecDefaults.resources.memory}}`,
    'ports:',
    `  - name: ${port.name}`,
    `    containerPort: \${6:${port.containerPort}}`,
    `    protocol: ${choice(7, port.protocol, Protocols)}`,
    '$0',
  ].join('\n');
}

/** The whole-spec snippet of a service's settings: a gateway and a rollout plan to edit. */
function serviceSkeletonSnippet(): string {
  return ['apiVersion: serve-revisions/v1', 'kind: Service', 'service: ${1:iris}', 'gateway:', '  name: ${2:public}', 'rollout:', '  steps: [${3:10, 50, 100}]', '  interval: ${4:2m}', '$0'].join('\n');
}

/** Top-level keys that exclude each other: a spec has `replicas` or `autoscaling`, not both. */
const ExclusiveKeys: Record<string, string> = { replicas: 'autoscaling', autoscaling: 'replicas' };

/** For tests: the snippets whose placeholders must agree with the spec's defaults. */
export const DefaultSnippets = { blocks: BlockSnippets, skeleton: skeletonSnippet };

/** Which cluster values fit a field, by its path with list indexes as `*`. */
function clusterLookupFor(path: SpecPath, namespace: string | undefined, siblings: Map<string, string>): ClusterLookup | undefined {
  const shape = path.map((s) => (typeof s === 'number' ? '*' : s)).join('.');
  const sibling = (name: string): string | undefined => {
    const raw = siblings.get(name)?.trim();
    return raw ? raw.replace(/^["']|["']$/g, '') : undefined;
  };
  if (shape === 'namespace') return { kind: 'namespaces' };
  if (shape === 'resources.gpu.resourceName') return { kind: 'gpuResourceNames' };
  if (shape === 'resources.gpu.product') return { kind: 'gpuProducts' };
  if (namespace === undefined) return undefined;
  switch (shape) {
    case 'serviceAccountName':
      return { kind: 'serviceAccounts', namespace };
    case 'volumes.*.persistentVolumeClaim.claimName':
      return { kind: 'persistentVolumeClaims', namespace };
    case 'env.*.secretKeyRef.name':
    case 'volumes.*.secret.secretName':
      return { kind: 'secrets', namespace };
    case 'env.*.configMapKeyRef.name':
    case 'volumes.*.configMap.name':
      return { kind: 'configMaps', namespace };
    case 'env.*.secretKeyRef.key': {
      const name = sibling('name');
      return name ? { kind: 'secretKeys', namespace, name } : undefined;
    }
    case 'env.*.configMapKeyRef.key': {
      const name = sibling('name');
      return name ? { kind: 'configMapKeys', namespace, name } : undefined;
    }
    default:
      return undefined;
  }
}

const ClusterDetail: Record<ClusterLookup['kind'], string> = {
  namespaces: 'namespace in the cluster',
  serviceAccounts: 'service account in the namespace',
  persistentVolumeClaims: 'PersistentVolumeClaim in the namespace',
  secrets: 'Secret in the namespace',
  configMaps: 'ConfigMap in the namespace',
  secretKeys: 'key of the Secret',
  configMapKeys: 'key of the ConfigMap',
  gpuResourceNames: 'GPU resource advertised by nodes',
  gpuProducts: 'GPU product label of nodes',
};

export function docOf(node: SchemaNode): string {
  const parts: string[] = [];
  if (node.description) parts.push(node.description);
  const allowed = allowedValues(node);
  if (allowed && allowed.length > 1) parts.push(`Allowed: ${allowed.map((v) => `\`${String(v)}\``).join(', ')}`);
  if (node.default !== undefined && typeof node.default !== 'object') parts.push(`Default: \`${String(node.default)}\``);
  return parts.join('\n\n');
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** A sample value of a field: what the schema suggests, else an empty value of its type. */
export function sampleValue(node: SchemaNode | undefined): unknown {
  if (!node) return '';
  if (node.const !== undefined) return node.const;
  if (node.default !== undefined && !(Array.isArray(node.default) && node.default.length === 0)) return node.default;
  if (node.examples?.[0] !== undefined && isObjectSchema(node) === false) return node.examples[0];
  if (node.enum?.[0] !== undefined) return node.enum[0];
  if (isObjectSchema(node) && node.properties) {
    const out: Record<string, unknown> = {};
    for (const name of node.required ?? []) out[name] = sampleValue(node.properties[name]);
    return out;
  }
  if (isArraySchema(node)) return node.items && isObjectSchema(node.items) ? [sampleValue(node.items)] : [];
  const type = typeof node.type === 'string' ? node.type : node.type?.[0];
  if (type === 'integer' || type === 'number') return node.minimum ?? 0;
  if (type === 'boolean') return false;
  return '';
}

/** `name: value` as YAML lines, nested blocks indented by two spaces; `value` overrides the schema's sample. */
export function fieldText(name: string, node: SchemaNode | undefined, given?: unknown): string {
  const value = given === undefined ? sampleValue(node) : given;
  if (value !== null && typeof value === 'object' && !(Array.isArray(value) && value.length === 0) && !(Object.keys(value).length === 0)) {
    return stringify({ [name]: value }, { indent: 2, indentSeq: true, lineWidth: 0 }).trimEnd();
  }
  return `${yamlScalar(name)}: ${Array.isArray(value) ? '[]' : typeof value === 'object' && value !== null ? '{}' : yamlScalar(value)}`;
}

/** The snippet a key completion inserts: the key, and a placeholder or a block with its required fields. */
function keySnippet(name: string, node: SchemaNode): string {
  const allowed = allowedValues(node);
  if (allowed && allowed.length === 1) return `${name}: ${escapeSnippet(yamlScalar(allowed[0]))}`;
  if (allowed) return `${name}: \${1|${allowed.map((v) => String(v).replace(/[,|\\$}]/g, (c) => `\\${c}`)).join(',')}|}`;
  if (isObjectSchema(node) && node.properties && !isArraySchema(node)) {
    const required = node.required ?? [];
    if (required.length === 0) return `${name}:\n  $0`;
    let tab = 1;
    return `${name}:\n${required.map((child) => `  ${child}: ${placeholder(node.properties?.[child], tab++)}`).join('\n')}`;
  }
  if (isArraySchema(node) && node.items && isObjectSchema(node.items)) {
    const required = node.items.required ?? [];
    let tab = 1;
    const lines = required.map((child, i) => `${i === 0 ? '  - ' : '    '}${child}: ${placeholder(node.items?.properties?.[child], tab++)}`);
    return `${name}:\n${lines.length > 0 ? lines.join('\n') : '  - $0'}`;
  }
  return `${name}: ${placeholder(node, 1)}`;
}

function placeholder(node: SchemaNode | undefined, tab: number): string {
  if (!node) return `$${tab}`;
  const allowed = allowedValues(node);
  if (allowed && allowed.length > 1) return `\${${tab}|${allowed.map((v) => String(v)).join(',')}|}`;
  const example = firstExample(node);
  if (example === undefined || typeof example === 'object') return `$${tab}`;
  return `\${${tab}:${escapeSnippet(yamlScalar(example))}}`;
}

/** Indents every line after the first, so a block lands under the key column on a `- ` line. */
function indentContinuation(text: string, extra: number): string {
  if (extra <= 0) return text;
  const pad = ' '.repeat(extra);
  return text.split('\n').map((line, i) => (i === 0 || line === '' ? line : pad + line)).join('\n');
}

export function completeSpec(text: string, position: Position, options: CompletionOptions = {}): CompletionResult {
  const lines = splitLines(text);
  const context = cursorContext(lines, position);
  const items: SpecCompletion[] = [];
  const pending: ClusterLookup[] = [];
  if (context.kind === 'none') return { items, pending };

  const kind = declaredKind(text);
  if (context.kind === 'value') {
    const node = schemaNodeAt(context.path, kind);
    if (!node) return { items, pending };
    const doc = docOf(node);
    const seen = new Set<string>();
    const add = (value: unknown, kind: CompletionKind, detail: string, order: string): void => {
      const label = typeof value === 'string' ? value : JSON.stringify(value);
      if (seen.has(label)) return;
      seen.add(label);
      const insertText = (context.needsSpace ? ' ' : '') + yamlScalar(value);
      items.push({ label, kind, detail, ...(doc ? { documentation: doc } : {}), insertText, snippet: false, range: context.range, sortText: `${order}${label}`, filterText: context.needsSpace ? insertText : label });
    };
    const lookup = clusterLookupFor(context.path, declaredNamespace(text) ?? options.defaultNamespace, context.siblings);
    if (lookup && options.cluster) {
      const values = options.cluster(lookup);
      if (values === undefined) pending.push(lookup);
      for (const value of values ?? []) add(value, 'cluster', ClusterDetail[lookup.kind], '0');
    }
    for (const value of allowedValues(node) ?? []) add(value, 'enum', typeLabel(node), '1');
    if (node.default !== undefined && typeof node.default !== 'object') add(node.default, 'value', 'default', '2');
    for (const example of node.examples ?? []) if (typeof example !== 'object') add(example, 'value', 'example', '3');
    return { items, pending };
  }

  const container = schemaNodeAt(context.path, kind);
  if (!container) return { items, pending };
  if (kind === 'Service') return { items: [...items, ...propertyItems(container, context, extraOf(context))], pending };
  const extra = context.keyCol - context.lineIndent;
  const atRoot = context.path.length === 0;

  // In a list field (the cursor under `ports:`, or after `- `): whole items as snippets.
  const listField = isArraySchema(container) ? context.path[context.path.length - 1] : context.afterDash ? context.path[context.path.length - 2] : undefined;
  for (const block of Object.values(BlockSnippets)) {
    // Autoscaling is a key: its property item below inserts this block, so it is listed once.
    if (block.field === 'autoscaling') continue;
    if (listField === block.field) {
      const body = context.afterDash ? block.item : `- ${indentBlock(block.item, 2).trimStart()}`;
      items.push(snippetItem(block.label, body, block.doc, context.range, extra));
    } else if (atRoot && !context.siblings.has(block.field)) {
      items.push(snippetItem(block.label, `${block.field}:\n  - ${indentBlock(block.item, 4).trimStart()}`, block.doc, context.range, extra));
    }
  }
  if (isArraySchema(container)) return { items, pending };

  if (atRoot && context.siblings.size === 0 && lines.every((l, i) => i === position.line || l.trim() === '' || l.trimStart().startsWith('#'))) {
    items.push({ label: 'revision spec', kind: 'snippet', detail: 'a complete minimal revision spec', documentation: 'Every required field, ready to edit.', insertText: skeletonSnippet(), snippet: true, range: context.range, sortText: '0' });
    items.push({ label: 'service spec', kind: 'snippet', detail: "a service's settings: gateway and rollout plan", documentation: 'The settings of a whole service (`kind: Service`): the Gateway its traffic goes through, and the plan a rollout follows.', insertText: serviceSkeletonSnippet(), snippet: true, range: context.range, sortText: '0' });
  }

  items.push(...propertyItems(container, context, extra));
  return { items, pending };
}

function extraOf(context: { keyCol: number; lineIndent: number }): number {
  return context.keyCol - context.lineIndent;
}

/** The keys the schema allows in `container` that the mapping does not have yet. */
function propertyItems(container: SchemaNode, context: { path: readonly unknown[]; siblings: Map<string, string>; prefix: string; range: Range }, extra: number): SpecCompletion[] {
  const items: SpecCompletion[] = [];
  const atRoot = context.path.length === 0;
  const properties = container.properties ?? {};
  const required = new Set(container.required ?? []);
  for (const [name, node] of Object.entries(properties)) {
    if (context.siblings.has(name) && name !== context.prefix) continue;
    // Set by the cluster or by an action, never typed: revision, createdAt, createdBy, reproducedFrom.
    if (node.readOnly || node['x-internal']) continue;
    // One or the other: a fixed number of replicas, or an autoscaler's range.
    if (atRoot && ExclusiveKeys[name] !== undefined && context.siblings.has(ExclusiveKeys[name])) continue;
    items.push({
      label: name,
      kind: 'property',
      detail: `${required.has(name) ? 'required' : 'optional'} · ${typeLabel(node)}`,
      documentation: docOf(node),
      insertText: indentContinuation(atRoot && name === 'autoscaling' ? `autoscaling:\n${indentBlock(BlockSnippets.autoscaling.item, 2)}` : keySnippet(name, node), extra),
      snippet: true,
      range: context.range,
      sortText: `${required.has(name) ? '1' : '2'}${name}`,
      filterText: name,
    });
  }
  return items;
}

function indentBlock(text: string, by: number): string {
  const pad = ' '.repeat(by);
  return text.split('\n').map((line) => (line === '' ? line : pad + line)).join('\n');
}

function snippetItem(label: string, body: string, doc: string, range: Range, extra: number): SpecCompletion {
  return { label, kind: 'snippet', detail: 'snippet', documentation: doc, insertText: indentContinuation(body, extra), snippet: true, range, sortText: `3${label}` };
}
