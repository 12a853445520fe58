import assert from 'node:assert/strict';
import { describeKubeError, KubeActionError, kubeErrorOf, missingPermission } from '../../../../src/core/kube/kubeErrors';

/** The shape client-node 2.x throws: ApiException with the HTTP status in `code` and a JSON body string. */
function apiException(code: number, body: object): Error {
  return Object.assign(new Error(`HTTP-Code: ${code}`), { code, body: JSON.stringify(body) });
}

const where = { action: 'scale revision 3 of "iris"', namespace: 'ml', context: 'dev' };

describe('Kubernetes errors', () => {
  it('names the missing permission on 403', () => {
    const error = describeKubeError(apiException(403, { kind: 'Status', reason: 'Forbidden', message: 'deployments.apps "iris-r3" is forbidden: User "viewer" cannot patch resource "deployments/scale" in API group "apps" in the namespace "ml"' }), where);
    assert.equal(error.kind, 'forbidden');
    assert.match(error.message, /^Could not scale revision 3 of "iris" in namespace "ml" of context "dev": forbidden \(needs patch on deployments\.apps\/scale\)\./);
    assert.equal(missingPermission('User "x" cannot create resource "configmaps" in API group "" in the namespace "demo"'), 'create on configmaps');
  });

  it('names the invalid field on 422', () => {
    const error = describeKubeError(apiException(422, { reason: 'Invalid', details: { causes: [{ field: 'spec.template.spec.containers[0].image', message: 'Required value' }] } }), where);
    assert.equal(error.kind, 'invalid');
    assert.match(error.message, /spec\.template\.spec\.containers\[0\]\.image: Required value/);
  });

  it('explains 401, 404, 409 and timeouts', () => {
    assert.equal(describeKubeError(apiException(401, {}), where).kind, 'unauthorized');
    assert.match(describeKubeError(apiException(404, { message: 'configmaps "iris-r3" not found' }), where).message, /not found \(configmaps "iris-r3" not found\)/);
    assert.equal(describeKubeError(apiException(409, { message: 'already exists' }), where).kind, 'conflict');
    assert.equal(describeKubeError(Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }), where).kind, 'timeout');
    // A 504 write may still land once etcd catches up: the message must not claim nothing happened.
    const gateway = describeKubeError(apiException(504, { reason: 'Timeout', message: 'Timeout: request did not complete within requested timeout' }), where);
    assert.equal(gateway.kind, 'timeout');
    assert.match(gateway.message, /timed out \(504\), so the change may or may not have been applied\. Refresh/);
  });

  it('tells an unreachable server and a TLS failure apart', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }) });
    const unreachable = describeKubeError(refused, where);
    assert.equal(unreachable.kind, 'unreachable');
    assert.match(unreachable.message, /cannot reach the API server \(ECONNREFUSED\)/);
    // What client-node's fetch reports when kube-apiserver resets the stream on its own timeout (etcd frozen).
    const reset = new TypeError('fetch failed', { cause: Object.assign(new Error('Stream closed with error code NGHTTP2_INTERNAL_ERROR'), { code: 'ERR_HTTP2_STREAM_ERROR' }) });
    const dropped = describeKubeError(reset, where);
    assert.equal(dropped.kind, 'unavailable');
    assert.match(dropped.message, /the API server dropped the request \(ERR_HTTP2_STREAM_ERROR\), as it does when its datastore \(etcd\) is slow or down, so the change may or may not have been applied/);
    const tls = describeKubeError(Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }), where);
    assert.equal(tls.kind, 'tls');
  });
});

describe('Kubernetes errors as data across bundles', () => {
  /** What an error thrown in dist/kube.js looks like from dist/extension.js: another class with the same fields. */
  class OtherBundlesKubeActionError extends Error {
    constructor(
      message: string,
      readonly kind: string,
      readonly status?: number,
      readonly code?: string,
    ) {
      super(message);
      this.name = 'KubeActionError';
    }
  }

  it('reads kind, status and code from another bundle’s copy of the class', () => {
    const thrown = new OtherBundlesKubeActionError('No usable kubeconfig: KUBECONFIG is not set…', 'noKubeconfig', undefined, 'missing');
    assert.equal(thrown instanceof KubeActionError, false, 'the premise: class identity does not cross bundles');
    assert.deepEqual(kubeErrorOf(thrown), { kind: 'noKubeconfig', message: 'No usable kubeconfig: KUBECONFIG is not set…', code: 'missing' });
    assert.deepEqual(kubeErrorOf(new OtherBundlesKubeActionError('forbidden', 'forbidden', 403)), { kind: 'forbidden', message: 'forbidden', status: 403 });
  });

  it('reads nothing from other errors', () => {
    assert.equal(kubeErrorOf(new Error('boom')), undefined);
    assert.equal(kubeErrorOf(new OtherBundlesKubeActionError('x', 'made-up kind')), undefined);
    assert.equal(kubeErrorOf(Object.assign(new Error('x'), { kind: 'forbidden' })), undefined, 'a kind alone is not enough');
    assert.equal(kubeErrorOf('forbidden'), undefined);
    assert.equal(kubeErrorOf(null), undefined);
  });

  it('keeps an already described error as it is, whichever bundle made it', () => {
    const thrown = new OtherBundlesKubeActionError('Context "gone" is not in the kubeconfig', 'unknownContext');
    assert.equal(describeKubeError(thrown, where), thrown);
    assert.equal(describeKubeError(thrown, where).kind, 'unknownContext');
  });

  it('keeps the network error code as the code', () => {
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), { code: 'ECONNREFUSED' }) });
    assert.equal(describeKubeError(refused, where).code, 'ECONNREFUSED');
  });
});
