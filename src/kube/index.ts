/**
 * Entry of the Kubernetes bundle (dist/kube.js). The extension and the CLI load it on first use
 * (src/bundles/loadKube.ts), so activation never pays for @kubernetes/client-node (~2 MB, ~200 ms to load).
 */
export { FieldManager, mergePatchOptions } from './applyObject';
export { connect, readContexts, type ClusterConnection, type ConnectionOptions, type KubeconfigContext, type KubeconfigContexts } from './clusterConnection';
export { ClusterLookups } from './clusterLookups';
export { type DryRunObjectResult, type DryRunOptions, type DryRunResult } from './dryRun';
export { NamespaceWatcher, type RevisionChange, type WatchStatus } from './namespaceWatcher';
export { RevisionClient, type ClientOptions, type CreateResult } from './revisionClient';
export { type LocalForward } from './portForward';
export { type ScaleRequest } from './revisionLifecycle';
export { type RevisionRef } from './revisionStore';
export { type FitVerdict } from '../core/observe/fitCheck';
export { type LogEvent, type LogRequest, type RevisionLogStream } from './revisionLogs';
export { MetricsIntervalMs, type MetricsReading } from './revisionMetrics';
export { type ObservedRevision, type ObserverStatus, type RevisionObserver } from './revisionObserver';
export { type DriveOptions, type DriveResult, type RolloutDriver } from './rolloutDriver';
export { type RouteAllOptions, type TrafficClient } from './trafficClient';
export { trafficCommand, type TrafficEdit } from './trafficActions';
export { type DataPlaneReconciler } from './dataPlaneReconciler';
