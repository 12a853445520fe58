/**
 * What the editor's spec actions need without a cluster: whether a YAML text is a revision
 * spec, where the CodeLens goes, and the objects a spec becomes as multi-document YAML.
 */
import { stringify } from 'yaml';
import { renderRevision, revisionObjectList } from '../kube/renderObjects';
import type { RevisionSpec } from '../spec/revisionSpec';
import { specKindOf } from '../spec/schemaFindings';
import { renderServiceSpec, type ServiceSpec } from '../spec/serviceSpec';
import type { ParsedSpec } from '../spec/specDocument';

const DeclarationPattern = /^apiVersion:[ \t]*["']?serve-revisions\/v1["']?[ \t]*(#.*)?$/m;

/** A YAML text declares itself a revision spec by its apiVersion (looked for near the top). */
export function declaresRevisionSpec(text: string): boolean {
  return DeclarationPattern.test(text.slice(0, 4096));
}

/** The line the spec actions sit above: the apiVersion line, else the first line with content. */
export function codeLensLine(text: string): number {
  const lines = text.split(/\r?\n/);
  const api = lines.findIndex((l) => /^apiVersion:/.test(l));
  if (api !== -1) return api;
  const first = lines.findIndex((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  return first === -1 ? 0 : first;
}

/** The spec value when it parsed without YAML errors into a mapping; undefined otherwise. */
export function specValue(parsed: ParsedSpec): RevisionSpec | undefined {
  if (parsed.syntax.some((d) => d.severity === 'error')) return undefined;
  const value = parsed.value;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RevisionSpec) : undefined;
}

/**
 * Every object `create` + `start` would make, as multi-document YAML (what `serve-revisions render`
 * prints); for a service spec, the objects its settings become.
 */
export function renderedObjectsYaml(spec: RevisionSpec | ServiceSpec, namespace: string, revision = (spec as RevisionSpec).revision ?? 1, defaultGpuResourceName?: string): string {
  if (spec.kind === 'Service' || specKindOf(spec) === 'Service') {
    const header = `# The objects the settings of "${spec.service}" become in namespace "${namespace}" (the route's backends follow the traffic).\n`;
    return header + renderServiceSpec(spec as ServiceSpec, namespace).map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  }
  const objects = revisionObjectList(renderRevision(spec, { namespace, revision, ...(defaultGpuResourceName ? { defaultGpuResourceName } : {}) }));
  const header = `# The objects revision ${revision} of "${spec.service}" becomes in namespace "${namespace}" (the number is assigned on create).\n`;
  return header + objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}
