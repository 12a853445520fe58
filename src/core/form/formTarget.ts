/**
 * What a form command was invoked on. From the tree it gets a node (whose exact shape belongs to
 * the tree), from the palette nothing; this reads the service and revision out of whatever node
 * carries them — a `{service, revision}` ref, a ServiceModel/RevisionModel, or a node wrapping one.
 */
export interface FormTarget {
  service?: string;
  revision?: number;
  namespace?: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function revisionNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

export function formTargetOf(arg: unknown, depth = 0): FormTarget {
  if (!isRecord(arg) || depth > 3) return {};
  const namespace = typeof arg['namespace'] === 'string' ? arg['namespace'] : undefined;
  const withNamespace = (t: FormTarget): FormTarget => (namespace && !t.namespace ? { ...t, namespace } : t);
  // A RevisionModel, or a plain ref: { service: 'iris', revision: 3 }.
  if (typeof arg['service'] === 'string') {
    const revision = revisionNumber(arg['revision']);
    return withNamespace({ service: arg['service'], ...(revision ? { revision } : {}) });
  }
  // A ServiceModel: { name, namespace, revisions: [...] }.
  if (typeof arg['name'] === 'string' && Array.isArray(arg['revisions'])) return withNamespace({ service: arg['name'] });
  // A tree node holding its model under a conventional property.
  for (const key of ['revision', 'service', 'model', 'data', 'item']) {
    const inner = arg[key];
    if (isRecord(inner)) {
      const found = formTargetOf(inner, depth + 1);
      if (found.service) return withNamespace(found);
    }
  }
  return {};
}
