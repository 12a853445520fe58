/**
 * Entry of the Kubernetes bundle (dist/kube.js). The extension and the CLI load it on first use,
 * so activation never pays for @kubernetes/client-node (~2 MB, ~200 ms to load).
 */
export { connect, readContexts, type ClusterConnection, type ConnectionOptions, type KubeconfigContext, type KubeconfigContexts } from './clusterConnection';
export { authoredSpec, FieldManager, mergePatchOptions, RevisionClient, type ClientOptions, type CreateResult, type RevisionRef, type ScaleRequest } from './revisionClient';
export { NamespaceWatcher, type RevisionChange, type WatchStatus } from './namespaceWatcher';
export { dryRunRevision, type DryRunObjectResult, type DryRunOptions, type DryRunResult } from './dryRun';
