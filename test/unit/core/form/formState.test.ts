import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { blankFormState, emptyEnvRow, emptyVolumeRow, specToState, stateToSpec } from '../../../../src/core/form/formState';
import type { RevisionSpec } from '../../../../src/core/spec/revisionSpec';
import { parseSpecText } from '../../../../src/core/spec/specDocument';
import { findSpecProblems } from '../../../../src/core/spec/validateSpec';

const examples = join(process.cwd(), 'examples');
const exampleFiles = readdirSync(examples).filter((f) => f.endsWith('.revision.yaml'));

function readExample(file: string): RevisionSpec {
  return parseSpecText(readFileSync(join(examples, file), 'utf8')).value as RevisionSpec;
}

/** The same spec as Kubernetes sees it: `false` flags are the same as leaving them out; the form's buttons say whether it launches. */
function normalised(spec: RevisionSpec): RevisionSpec {
  const copy = structuredClone(spec);
  delete copy.launchImmediately;
  for (const v of copy.volumes ?? []) if (v.readOnly === false) delete v.readOnly;
  for (const e of copy.env ?? []) for (const ref of [e.secretKeyRef, e.configMapKeyRef]) if (ref?.optional === false) delete ref.optional;
  if (copy.resources) copy.resources = { ...copy.resources, cpu: String(copy.resources.cpu), memory: String(copy.resources.memory) };
  return copy;
}

const roundTrip = (spec: RevisionSpec): RevisionSpec => stateToSpec(specToState(spec));

/** A spec that sets every field the form edits, each to a non-default value. */
const everyField: RevisionSpec = {
  apiVersion: 'serve-revisions/v1',
  kind: 'Revision',
  service: 'every-field',
  namespace: 'ml-serving',
  message: 'Every field set',
  reproducedFrom: 4,
  image: 'ghcr.io/acme/server:1.0.0',
  command: ['python', '-m', 'server with space', '', '--port', '9000'],
  resources: { cpu: '2500m', memory: '12Gi', gpu: { count: 2, resourceName: 'amd.com/gpu', product: 'Tesla-T4' } },
  env: [
    { name: 'LITERAL', value: 'one two' },
    { name: 'EMPTY', value: '' },
    { name: 'TOKEN', secretKeyRef: { name: 'hf-token', key: 'token', optional: true } },
    { name: 'SETTING', configMapKeyRef: { name: 'settings', key: 'batch' } },
  ],
  ports: [
    { name: 'http', containerPort: 9000, protocol: 'http' },
    { name: 'grpc', containerPort: 9001, protocol: 'grpc' },
    { name: 'raw', containerPort: 9002, protocol: 'tcp' },
    { name: 'plain', containerPort: 9003 },
  ],
  autoscaling: { minReplicas: 2, maxReplicas: 8, metric: 'gpu', target: 55, gpuMetricName: 'MY_GPU_UTIL' },
  launchImmediately: true,
  volumes: [
    { name: 'weights', mountPath: '/models', readOnly: true, subPath: 'v2', persistentVolumeClaim: { claimName: 'weights' } },
    { name: 'code', mountPath: '/app', configMap: { name: 'code' } },
    { name: 'certs', mountPath: '/certs', readOnly: true, secret: { secretName: 'tls' } },
    { name: 'shm', mountPath: '/dev/shm', emptyDir: { medium: 'Memory', sizeLimit: '8Gi' } },
    { name: 'scratch', mountPath: '/tmp/scratch', emptyDir: {} },
  ],
  serviceAccountName: 'model-reader',
  healthCheck: { path: '/healthz', port: 'http', initialDelaySeconds: 30, periodSeconds: 5 },
};

describe('form state ⇄ spec', () => {
  for (const file of exampleFiles) {
    it(`round-trips examples/${file}`, () => {
      const spec = readExample(file);
      assert.deepEqual(roundTrip(spec), normalised(spec));
    });
  }

  it('round-trips a spec that sets every field the form edits', () => {
    assert.deepEqual(roundTrip(everyField), normalised(everyField));
    assert.equal(roundTrip(everyField).launchImmediately, undefined, 'the buttons, not a field, say whether it launches');
    assert.deepEqual(findSpecProblems(everyField).filter((f) => f.severity === 'error'), []);
  });

  it('round-trips the other shapes: shell command, fixed replicas, numeric health port, no ports', () => {
    const spec: RevisionSpec = {
      apiVersion: 'serve-revisions/v1',
      kind: 'Revision',
      service: 'small',
      message: 'Small',
      image: 'busybox:1.36',
      command: 'sleep 3600 && echo "done"',
      resources: { cpu: '1', memory: '2Gi', gpu: { count: 0 } },
      replicas: 0,
      healthCheck: { port: 8080 },
    };
    assert.deepEqual(roundTrip(spec), spec);
    const state = specToState(spec);
    assert.equal(state.commandMode, 'shell');
    assert.deepEqual(state.ports, []);
  });

  it('keeps every form field when the state goes to a spec and back', () => {
    const state = specToState(everyField);
    assert.deepEqual(specToState(stateToSpec(state)), state);
  });

  it('normalises only what means the same to Kubernetes', () => {
    const spec = { ...everyField, launchImmediately: false, resources: { cpu: 2, memory: 1024 } } as RevisionSpec;
    const back = roundTrip(spec);
    assert.equal(back.launchImmediately, undefined);
    assert.deepEqual(back.resources, { cpu: '2', memory: '1024' });
  });

  it('keeps text that is not a number as text, so the finding names the field and the mistake', () => {
    const state = { ...blankFormState('iris'), message: 'm', image: 'busybox:1.36', replicas: 'two', memory: '8GB' };
    const spec = stateToSpec(state);
    assert.equal(spec.replicas as unknown, 'two');
    const findings = findSpecProblems(spec);
    assert.ok(findings.some((f) => f.path.join('.') === 'replicas' && /whole number/.test(f.message)), JSON.stringify(findings));
    assert.ok(findings.some((f) => f.path.join('.') === 'resources.memory' && /8Gi/.test(f.message)), JSON.stringify(findings));
  });

  it('leaves out empty optional fields and keeps empty required ones so the schema names them', () => {
    const state = blankFormState();
    const spec = stateToSpec({ ...state, env: [emptyEnvRow()], volumes: [{ ...emptyVolumeRow(), source: 'emptyDir' }] });
    assert.equal(spec.service, '');
    assert.equal('namespace' in spec, false);
    assert.equal('healthCheck' in spec, false);
    assert.deepEqual(spec.env, [{ name: '', value: '' }]);
    assert.deepEqual(spec.volumes, [{ name: '', mountPath: '', emptyDir: {} }]);
    const paths = findSpecProblems(spec).map((f) => f.path.join('.'));
    for (const expected of ['service', 'message', 'image']) assert.ok(paths.includes(expected), `${expected} in ${paths.join(', ')}`);
  });

  it('writes replicas only without autoscaling, and autoscaling only when switched on', () => {
    const state = { ...specToState(everyField), replicas: '3' };
    assert.equal(stateToSpec(state).replicas, undefined);
    const fixed = stateToSpec({ ...state, autoscaling: false });
    assert.equal(fixed.replicas, 3);
    assert.equal(fixed.autoscaling, undefined);
  });
});
