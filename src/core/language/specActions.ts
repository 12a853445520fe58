/**
 * What the editor's spec actions need without a cluster: whether a YAML text is a revision
 * spec and where the CodeLens goes (specDeclaration.ts, light enough for activation), and the
 * objects a spec becomes as multi-document YAML.
 */
import { stringify } from 'yaml';
import { renderRevision, revisionObjectList } from '../kube/renderObjects';
import type { RevisionSpec } from '../spec/revisionSpec';
import { specKindOf } from '../spec/schemaFindings';
import { renderServiceSpec, type ServiceSpec } from '../spec/serviceSpec';
import type { ParsedSpec } from '../spec/specDocument';

export { codeLensLine, declaresRevisionSpec } from './specDeclaration';

/** The spec value when it parsed without YAML errors into a mapping; undefined otherwise. */
export function specValue(parsed: ParsedSpec): RevisionSpec | undefined {
  if (parsed.syntax.some((d) => d.severity === 'error')) return undefined;
  const value = parsed.value;
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RevisionSpec) : undefined;
}

/**
 * Every object `create` + `start` would make, as multi-document YAML (what `serve-revisions render`
 * prints), headed by a comment that says it is a preview: with the number the revision would get
 * when it is known (`next`), else with 1 standing in for the number create assigns. For a service
 * spec, the objects its settings become.
 */
export function renderedObjectsYaml(spec: RevisionSpec | ServiceSpec, namespace: string, next?: number, defaultGpuResourceName?: string): string {
  if (spec.kind === 'Service' || specKindOf(spec) === 'Service') {
    const header = `# Preview: the objects the settings of "${spec.service}" become in namespace "${namespace}" (the route's backends follow the traffic; nothing is applied by this preview).\n`;
    return header + renderServiceSpec(spec as ServiceSpec, namespace).map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
  }
  const revision = next ?? (spec as RevisionSpec).revision ?? 1;
  const objects = revisionObjectList(renderRevision(spec, { namespace, revision, ...(defaultGpuResourceName ? { defaultGpuResourceName } : {}) }));
  const header =
    next !== undefined
      ? `# Preview: the objects of "${spec.service}" as revision ${revision}, the next number in namespace "${namespace}" now (create assigns it; nothing is created by this preview).\n`
      : `# Preview: the objects of "${spec.service}" in namespace "${namespace}", with revision 1 standing in for the number create assigns (nothing is created by this preview).\n`;
  return header + objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}

/** The preview document's name: `iris-r5.preview.yaml` with the number it would get, `iris.preview.yaml` without. */
export function renderedObjectsName(service: string, next?: number): string {
  const safe = service.replace(/[^A-Za-z0-9-]/g, '_') || 'revision';
  return next !== undefined ? `${safe}-r${next}.preview.yaml` : `${safe}.preview.yaml`;
}
