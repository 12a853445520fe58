import assert from 'node:assert/strict';
import { ApiextensionsV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { deleteNamespace, freshNamespace } from '../cluster';
import { adminKubeConfig } from '../simulation';

const route = (name: string, rule: Record<string, unknown>) => ({
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  metadata: { name },
  spec: { parentRefs: [{ name: 'public' }], rules: [rule] },
});

/** The API server's refusal of an object: its HTTP status and message. */
async function refusal(promise: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: number; body?: string };
    return { code: e.code ?? 0, message: (JSON.parse(e.body ?? '{}') as { message?: string }).message ?? '' };
  }
  throw new Error('the API server accepted the object');
}

describe('local control plane: Gateway API standard channel', function () {
  this.timeout(120_000);
  let namespace: string;

  beforeEach(async () => {
    namespace = await freshNamespace('gateway');
  });
  afterEach(async () => {
    await deleteNamespace(namespace);
  });

  it('serves the v1.6.3 standard-channel CRDs', async () => {
    const { items } = await adminKubeConfig().makeApiClient(ApiextensionsV1Api).listCustomResourceDefinition();
    const gateway = items.filter((crd) => crd.spec.group === 'gateway.networking.k8s.io');
    assert.deepEqual(gateway.map((crd) => crd.spec.names.kind).sort(), [
      'BackendTLSPolicy',
      'GRPCRoute',
      'Gateway',
      'GatewayClass',
      'HTTPRoute',
      'ListenerSet',
      'ReferenceGrant',
      'TCPRoute',
      'TLSRoute',
      'UDPRoute',
    ]);
    for (const crd of gateway) {
      assert.equal(crd.metadata?.annotations?.['gateway.networking.k8s.io/bundle-version'], 'v1.6.3', crd.metadata?.name);
      assert.equal(crd.metadata?.annotations?.['gateway.networking.k8s.io/channel'], 'standard', crd.metadata?.name);
    }
    const httpRoute = gateway.find((crd) => crd.spec.names.kind === 'HTTPRoute');
    assert.ok(httpRoute?.spec.versions.some((v) => v.name === 'v1' && v.served && v.storage));
  });

  it('accepts a weighted HTTPRoute and refuses invalid ones by schema and by CEL rule', async () => {
    const custom = adminKubeConfig().makeApiClient(CustomObjectsApi);
    const create = (body: object) => custom.createNamespacedCustomObject({ group: 'gateway.networking.k8s.io', version: 'v1', namespace, plural: 'httproutes', body });
    const backends = [
      { name: 'iris-r1', port: 3000, weight: 90 },
      { name: 'iris-r2', port: 3000, weight: 10 },
    ];
    const created = (await create(route('iris', { backendRefs: backends }))) as { spec: { rules: Array<{ backendRefs: Array<{ weight: number }> }> } };
    assert.deepEqual(created.spec.rules[0]?.backendRefs.map((b) => b.weight), [90, 10]);

    // OpenAPI schema: a weight is at least 0.
    const negative = await refusal(create(route('negative', { backendRefs: [{ name: 'iris-r1', port: 3000, weight: -1 }] })));
    assert.equal(negative.code, 422);
    assert.match(negative.message, /spec\.rules\[0\]\.backendRefs\[0\]\.weight: Invalid value: -1: spec\.rules\[0\]\.backendRefs\[0\]\.weight in body should be greater than or equal to 0/);

    // CEL (x-kubernetes-validations): a Service backend needs a port.
    const portless = await refusal(create(route('portless', { backendRefs: [{ name: 'iris-r1' }] })));
    assert.equal(portless.code, 422);
    assert.match(portless.message, /Must have port for Service reference/);

    // CEL on a path match: a PathPrefix value is an absolute path.
    const relative = await refusal(create(route('relative', { matches: [{ path: { type: 'PathPrefix', value: 'predict' } }], backendRefs: backends })));
    assert.equal(relative.code, 422);
    assert.match(relative.message, /value must be an absolute path and start with '\/'/);
  });
});
