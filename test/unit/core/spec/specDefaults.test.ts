// The spec's defaults have one source (src/core/spec/specDefaults.ts): the schema documents the
// same values, the renderer renders them, the record stores them, and the template, the form and
// the completion snippets start from them. Each test fails when one of them drifts.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import schema from '../../../../schemas/revision.schema.json';
import { blankFormState, stateToSpec } from '../../../../src/core/form/formState';
import { renderRevision, revisionObjectList } from '../../../../src/core/kube/renderObjects';
import { DefaultSnippets } from '../../../../src/core/language/completion';
import type { RevisionSpec } from '../../../../src/core/spec/revisionSpec';
import { applySpecDefaults, SpecDefaults, StarterValues, starterSpec } from '../../../../src/core/spec/specDefaults';
import { newRevisionSpecTemplate } from '../../../../src/core/spec/template';
import { findSpecProblems } from '../../../../src/core/spec/validateSpec';

interface Node {
  default?: unknown;
  required?: string[];
  properties?: Record<string, Node>;
  items?: Node;
}

/** Every `default` in the schema, by path (list items as index 0). */
function schemaDefaults(node: Node, path: Array<string | number> = []): Array<{ path: Array<string | number>; value: unknown }> {
  const out: Array<{ path: Array<string | number>; value: unknown }> = [];
  if (node.default !== undefined && path.length > 0) out.push({ path, value: node.default });
  for (const [name, child] of Object.entries(node.properties ?? {})) out.push(...schemaDefaults(child, [...path, name]));
  if (node.items) out.push(...schemaDefaults(node.items, [...path, 0]));
  return out;
}

/** A spec with every optional block present, so each default has a parent to land in. */
function everyBlock(): RevisionSpec {
  return {
    ...starterSpec({ service: 'iris', message: 'm', image: 'ghcr.io/acme/iris:1.0.0' }),
    resources: { cpu: '1', memory: '1Gi', gpu: { count: 1 } },
    env: [
      { name: 'A', secretKeyRef: { name: 'a', key: 'k' } },
      { name: 'B', configMapKeyRef: { name: 'b', key: 'k' } },
    ],
    ports: [{ name: 'http', containerPort: 3000 }],
    autoscaling: { minReplicas: 1, maxReplicas: 2, metric: 'gpu' },
    volumes: [{ name: 'scratch', mountPath: '/scratch', emptyDir: {} }],
    healthCheck: { path: '/healthz' },
  };
}

function at(value: unknown, path: Array<string | number>): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string | number, unknown> | undefined)?.[k], value);
}

/** The path with each list index pointing at the first item that has the next field (env[1] for configMapKeyRef). */
function concretePath(spec: RevisionSpec, path: Array<string | number>): Array<string | number> {
  const out: Array<string | number> = [];
  path.forEach((segment, i) => {
    const list = at(spec, out);
    if (typeof segment === 'number' && Array.isArray(list)) {
      const next = path[i + 1];
      const index = list.findIndex((item) => next === undefined || (typeof item === 'object' && item !== null && (next in item || i + 2 === path.length)));
      out.push(index === -1 ? 0 : index);
    } else out.push(segment);
  });
  return out;
}

function without(spec: RevisionSpec, path: Array<string | number>): RevisionSpec {
  const copy = structuredClone(spec) as unknown as Record<string, unknown>;
  const parent = at(copy, path.slice(0, -1)) as Record<string | number, unknown>;
  delete parent[path[path.length - 1] as string];
  return copy as unknown as RevisionSpec;
}

/** A snippet with each placeholder replaced by its default (`${1:x}` → x, `${1|a,b|}` → a). */
function resolveSnippet(snippet: string): string {
  return snippet.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\{\d+\|([^,|]*)[^}]*\}/g, '$1').replace(/\$0/g, '');
}

describe('spec defaults have one source', () => {
  it('writes in every default the schema documents, where the spec leaves it out', () => {
    const defaults = schemaDefaults(schema as Node);
    assert.ok(defaults.length >= 10, `found ${defaults.length} defaults`);
    for (const { path, value } of defaults) {
      // Conditional defaults: replicas without autoscaling; the GPU metric name with metric gpu (everyBlock's).
      const base = path[0] === 'replicas' ? without(everyBlock(), ['autoscaling']) : everyBlock();
      const concrete = concretePath(base, path);
      const applied = applySpecDefaults(without(base, concrete));
      if (value === false) {
        // A switch left out is off: not written in, and rendered as if it were written.
        assert.equal(at(applied, concrete), undefined, `default of ${path.join('.')}`);
        const explicit = structuredClone(base) as unknown as Record<string, unknown>;
        (at(explicit, concrete.slice(0, -1)) as Record<string | number, unknown>)[concrete[concrete.length - 1] as string] = false;
        const options = { namespace: 'ns', revision: 1 };
        assert.deepEqual(revisionObjectList(renderRevision(without(base, concrete), options)).slice(1), revisionObjectList(renderRevision(explicit as unknown as RevisionSpec, options)).slice(1), `rendering of ${path.join('.')}`);
        continue;
      }
      assert.deepEqual(at(applied, concrete), value, `default of ${path.join('.')}`);
    }
  });

  it('documents no default on a required field, where it could never apply', () => {
    const walk = (node: Node, where: string): void => {
      for (const [name, child] of Object.entries(node.properties ?? {})) {
        assert.ok(!(node.required ?? []).includes(name) || child.default === undefined, `${where}${name} is required and has a default`);
        walk(child, `${where}${name}.`);
      }
      if (node.items) walk(node.items, `${where}[].`);
    };
    walk(schema as Node, '');
  });

  it('applies defaults idempotently and renders the same objects with or without them', () => {
    const examples = ['iris-bentoml', 'llama-vllm-gpu', 'whisper-volumes'].map((n) => parse(readFileSync(join(process.cwd(), 'examples', `${n}.revision.yaml`), 'utf8')) as RevisionSpec);
    for (const spec of [...examples, starterSpec(), everyBlock(), { ...starterSpec(), resources: undefined, ports: undefined } as unknown as RevisionSpec]) {
      const applied = applySpecDefaults(spec);
      assert.deepEqual(applySpecDefaults(applied), applied);
      const options = { namespace: 'ns', revision: 2, createdAt: '2026-01-01T00:00:00Z' };
      const plain = revisionObjectList(renderRevision(spec, options));
      const defaulted = revisionObjectList(renderRevision(applied, options));
      assert.deepEqual(plain, defaulted, spec.service);
      // The record stores what was rendered: its spec, with what creation assigns left out, is the defaulted spec.
      const stored = parse(renderRevision(spec, options).record.data?.['spec.yaml'] ?? '') as Record<string, unknown>;
      for (const key of ['namespace', 'revision', 'createdAt']) delete stored[key];
      const expected = structuredClone(applied) as unknown as Record<string, unknown>;
      delete expected['namespace'];
      assert.deepEqual(stored, expected, spec.service);
    }
  });

  it('starts the template, the form and the snippets from the same values', () => {
    const starter = starterSpec();
    assert.deepEqual(parse(newRevisionSpecTemplate()), starter);
    assert.deepEqual(findSpecProblems(starter), []);
    assert.deepEqual(parse(resolveSnippet(DefaultSnippets.skeleton())), starter);

    const blocks = DefaultSnippets.blocks;
    assert.deepEqual(parse(resolveSnippet(blocks.port.item)), SpecDefaults.port);
    assert.deepEqual(parse(resolveSnippet(blocks.autoscaling.item)), { ...StarterValues.autoscaling, target: SpecDefaults.autoscalingTarget });
    assert.deepEqual(parse(resolveSnippet(blocks.secretEnv.item)), { name: StarterValues.secretEnv.name, secretKeyRef: { name: StarterValues.secretEnv.secretName, key: StarterValues.secretEnv.key } });
    assert.deepEqual(parse(resolveSnippet(blocks.volumeMount.item)), { name: StarterValues.volume.name, mountPath: StarterValues.volume.mountPath, readOnly: true, persistentVolumeClaim: { claimName: StarterValues.volume.claimName } });

    const identity = { service: 'iris', message: 'm', image: 'ghcr.io/acme/iris:1.0.0' };
    const form = { ...blankFormState(), ...identity };
    assert.deepEqual(applySpecDefaults(stateToSpec(form)), applySpecDefaults(starterSpec(identity)));
    const autoscaled = stateToSpec({ ...form, autoscaling: true });
    assert.deepEqual(autoscaled.autoscaling, { ...StarterValues.autoscaling, target: SpecDefaults.autoscalingTarget });
  });
});
