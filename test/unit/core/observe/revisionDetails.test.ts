import assert from 'node:assert/strict';
import type { CoreV1Event, V1Deployment, V1Pod, V1ReplicaSet, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import { buildRevisionDetails, revisionEventFilter } from '../../../../src/core/observe/revisionDetails';
import { detailsText } from '../../../../src/core/observe/detailsText';

const target = { service: 'iris', revision: 3, namespace: 'demo', context: 'local', message: 'Try the new base image', image: 'ghcr.io/example/iris:fail-pull' };

function deployment(replicas: number, ready: number, conditions: NonNullable<V1Deployment['status']>['conditions'] = []): V1Deployment {
  return { metadata: { name: 'iris-r3', uid: 'd-uid' }, spec: { replicas, selector: {}, template: { spec: { containers: [{ name: 'server', image: 'ghcr.io/example/iris:fail-pull' }] } } }, status: { readyReplicas: ready, updatedReplicas: replicas, conditions } };
}

function pod(name: string, status: V1Pod['status'], nodeName?: string): V1Pod {
  return { metadata: { name, uid: `${name}-uid`, creationTimestamp: new Date('2026-11-28T09:00:00Z') }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'server', image: 'ghcr.io/example/iris:fail-pull' }] }, status };
}

function event(kind: string, name: string, reason: string, message: string, at: string, extra: Partial<CoreV1Event> = {}): CoreV1Event {
  return { metadata: { name: `${name}.${reason}` }, involvedObject: { kind, name }, reason, message, type: 'Warning', lastTimestamp: new Date(at), count: 1, ...extra };
}

describe('revision details', () => {
  it('explains an image that cannot be pulled with the image and the registry\'s message', () => {
    const pulling = pod('iris-r3-7d9c5b8f4-x2x7k', {
      phase: 'Pending',
      conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
      containerStatuses: [{ name: 'server', image: 'ghcr.io/example/iris:fail-pull', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image "ghcr.io/example/iris:fail-pull": ErrImagePull: not found' } } }],
    }, 'kwok-cpu-0');
    const events = [
      event('Pod', 'iris-r3-7d9c5b8f4-x2x7k', 'Failed', 'Failed to pull image: rpc error: code = NotFound', '2026-11-28T09:01:00Z'),
      event('Pod', 'iris-r3-7d9c5b8f4-x2x7k', 'Scheduled', 'Successfully assigned', '2026-11-28T09:00:01Z', { type: 'Normal' }),
      // Another revision's pod and another service's look-alike are not this revision's.
      event('Pod', 'iris-r30-7d9c5b8f4-aaaaa', 'Failed', 'other', '2026-11-28T09:02:00Z'),
      event('Pod', 'iris-r3-extra-r1-abcde-fghij', 'Failed', 'other', '2026-11-28T09:02:00Z'),
    ];
    const view = buildRevisionDetails(target, { deployment: deployment(1, 0), replicaSets: [], pods: [pulling], events });
    assert.equal(view.state, 'failed');
    assert.equal(view.stateText, 'failed: ImagePullBackOff');
    assert.equal(view.headline, 'ImagePullBackOff: the image "ghcr.io/example/iris:fail-pull" cannot be pulled. Back-off pulling image "ghcr.io/example/iris:fail-pull": ErrImagePull: not found');
    assert.deepEqual(view.events.map((e) => e.reason), ['Failed', 'Scheduled'], 'newest first, only the revision\'s');
    assert.equal(view.pods[0]?.node, 'kwok-cpu-0');
    assert.equal(view.pods[0]?.reason, 'ImagePullBackOff');
    assert.deepEqual(view.replicas, { desired: 1, ready: 0, updated: 1, total: 1 });
    assert.deepEqual(view.conditions.map((c) => `${c.object} ${c.type}=${c.status}`), ['Pod iris-r3-7d9c5b8f4-x2x7k Ready=False']);
  });

  it('explains a crash loop with the last exit code and the previous container\'s last lines', () => {
    const crashing = pod('iris-r3-7d9c5b8f4-c1ash', {
      phase: 'Running',
      containerStatuses: [{ name: 'server', image: 'x:fail-crash', imageID: '', ready: false, restartCount: 4, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s' } }, lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: new Date('2026-11-28T09:03:00Z') } } }],
    }, 'kwok-cpu-1');
    const previousLogs = new Map([['iris-r3-7d9c5b8f4-c1ash', ['FileNotFoundError: model file not found', 'ERROR    Model server failed to start; exiting with code 1\u001b[2J']]]);
    const view = buildRevisionDetails(target, { deployment: deployment(1, 0), replicaSets: [], pods: [crashing], events: [], previousLogs });
    assert.equal(view.headline, 'CrashLoopBackOff: container "server" keeps exiting with code 1 (Error); restarted 4 times. Its last log line: ERROR    Model server failed to start; exiting with code 1\\u001b[2J');
    assert.equal(view.pods[0]?.restarts, 4);
    assert.equal(view.pods[0]?.containers[0]?.lastExitCode, 1);
    assert.equal(view.pods[0]?.previousLog?.length, 2);
    assert.match(detailsText(view, Date.parse('2026-11-28T09:05:00Z')), /last lines of the previous container's log:\n {6}FileNotFoundError/);
  });

  it('explains a pod no node can take in the scheduler\'s words', () => {
    const pending = pod('iris-r3-7d9c5b8f4-p3nd1', { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient nvidia.com/gpu.' }] });
    const view = buildRevisionDetails(target, { deployment: deployment(1, 0), replicaSets: [], pods: [pending], events: [] });
    assert.equal(view.headline, 'Unschedulable: no node can run its pods. The scheduler says: 0/3 nodes are available: 3 Insufficient nvidia.com/gpu.');
    assert.equal(view.pods[0]?.node, undefined);
  });

  it('explains a quota refusal from the ReplicaSet', () => {
    const message = 'pods "iris-r3-7d9c5b8f4-zzzzz" is forbidden: exceeded quota: two-cpus, requested: requests.cpu=1, used: requests.cpu=2, limited: requests.cpu=2';
    const rs: V1ReplicaSet = { metadata: { name: 'iris-r3-7d9c5b8f4', uid: 'rs-uid' }, spec: { selector: {} }, status: { replicas: 0, conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message }] } };
    const d = deployment(3, 2, [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message }]);
    const events = [event('ReplicaSet', 'iris-r3-7d9c5b8f4', 'FailedCreate', `Error creating: ${message}`, '2026-11-28T09:00:05Z', { involvedObject: { kind: 'ReplicaSet', name: 'iris-r3-7d9c5b8f4', uid: 'rs-uid' } })];
    const view = buildRevisionDetails(target, { deployment: d, replicaSets: [rs], pods: [], events });
    assert.equal(view.headline, `FailedCreate: its pods cannot be created. ${message}`);
    assert.deepEqual(view.refusals, [`ReplicaSet iris-r3-7d9c5b8f4: FailedCreate: ${message}`]);
    assert.equal(view.events[0]?.object, 'ReplicaSet/iris-r3-7d9c5b8f4');
  });

  it('shows the autoscaler\'s current and target metric and its scaling events', () => {
    const hpa: V2HorizontalPodAutoscaler = {
      metadata: { name: 'iris-r3', uid: 'h-uid' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'iris-r3' }, minReplicas: 1, maxReplicas: 4, metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }] },
      status: { currentReplicas: 3, desiredReplicas: 3, currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 85 } } }], lastScaleTime: new Date('2026-11-28T09:04:00Z') },
    };
    const events = [event('HorizontalPodAutoscaler', 'iris-r3', 'SuccessfulRescale', 'New size: 3; reason: cpu resource utilization (percentage of request) above target', '2026-11-28T09:04:00Z', { type: 'Normal' })];
    const view = buildRevisionDetails(target, { deployment: deployment(3, 3), replicaSets: [], pods: [], autoscaler: hpa, events });
    assert.equal(view.autoscaler?.current, '85% of the request');
    assert.equal(view.autoscaler?.target, '70% of the request');
    assert.equal(view.autoscaler?.events[0]?.reason, 'SuccessfulRescale');
    assert.equal(view.headline, 'Running: 3 of 3 replicas ready.');
  });

  it('is stopped without a Deployment, and escapes whatever the cluster says', () => {
    const view = buildRevisionDetails({ ...target, message: 'a\u001b]0;title\u0007b' }, { replicaSets: [], pods: [], events: [] });
    assert.equal(view.state, 'stopped');
    assert.equal(view.message, 'a\\u001b]0;title\\u0007b');
    assert.equal(view.replicas.desired, 0);
  });

  it('orders events to the second, then in the order the API server stored them', () => {
    const scheduled = event('Pod', 'iris-r3-7d9c5b8f4-x2x7k', 'Scheduled', 'assigned', '2026-11-28T09:00:00.900Z', { type: 'Normal', metadata: { name: 's', resourceVersion: '100' } });
    const failed = event('Pod', 'iris-r3-7d9c5b8f4-x2x7k', 'Failed', 'pull', '2026-11-28T09:00:00Z', { metadata: { name: 'f', resourceVersion: '105' } });
    const view = buildRevisionDetails(target, { deployment: deployment(1, 0), replicaSets: [], pods: [], events: [scheduled, failed] });
    assert.deepEqual(view.events.map((e) => e.reason), ['Failed', 'Scheduled']);
  });

  it('matches events by uid even when the name does not look like the revision\'s', () => {
    const accept = revisionEventFilter(target, { deployment: deployment(1, 1), replicaSets: [], pods: [] });
    assert.equal(accept({ involvedObject: { kind: 'Deployment', name: 'renamed', uid: 'd-uid' }, metadata: {} }), true);
    assert.equal(accept({ involvedObject: { kind: 'Deployment', name: 'iris-r3' }, metadata: {} }), true);
    assert.equal(accept({ involvedObject: { kind: 'Deployment', name: 'iris-r33' }, metadata: {} }), false);
  });
});
