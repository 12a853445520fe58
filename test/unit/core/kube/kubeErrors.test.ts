import assert from 'node:assert/strict';
import { describeKubeError, missingPermission } from '../../../../src/core/kube/kubeErrors';

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
