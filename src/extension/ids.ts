/** Identifiers shared with package.json contributions; scripts/check-package.mjs keeps them in step. */
export const ViewIds = {
  revisions: 'serveRevisions.revisions',
} as const;

export const CommandIds = {
  newSpecFile: 'serveRevisions.newSpecFile',
  openForm: 'serveRevisions.openForm',
  reproduceInForm: 'serveRevisions.reproduceInForm',
  createRevisionFromSpec: 'serveRevisions.createRevisionFromSpec',
  createAndLaunchFromSpec: 'serveRevisions.createAndLaunchFromSpec',
  dryRunSpec: 'serveRevisions.dryRunSpec',
  showRenderedObjects: 'serveRevisions.showRenderedObjects',
  start: 'serveRevisions.start',
  stop: 'serveRevisions.stop',
  scale: 'serveRevisions.scale',
  delete: 'serveRevisions.delete',
  refresh: 'serveRevisions.refresh',
  switchContext: 'serveRevisions.switchContext',
  switchNamespace: 'serveRevisions.switchNamespace',
  chooseKubeconfig: 'serveRevisions.chooseKubeconfig',
  copyEndpoint: 'serveRevisions.copyEndpoint',
  openEndpoint: 'serveRevisions.openEndpoint',
  stopForwarding: 'serveRevisions.stopForwarding',
  openSpec: 'serveRevisions.openSpec',
  loadMore: 'serveRevisions.loadMore',
  revealRevision: 'serveRevisions.revealRevision',
  showDetails: 'serveRevisions.showDetails',
  showLogs: 'serveRevisions.showLogs',
  showLogsWithOptions: 'serveRevisions.showLogsWithOptions',
  splitTraffic: 'serveRevisions.splitTraffic',
  routeAllTrafficHere: 'serveRevisions.routeAllTrafficHere',
  tagRevision: 'serveRevisions.tagRevision',
  compareWithPrevious: 'serveRevisions.compareWithPrevious',
  compareWith: 'serveRevisions.compareWith',
  chooseDataPlane: 'serveRevisions.chooseDataPlane',
  sizeReplicasToSplit: 'serveRevisions.sizeReplicasToSplit',
  openServiceSettings: 'serveRevisions.openServiceSettings',
  applyServiceSpec: 'serveRevisions.applyServiceSpec',
  startRollout: 'serveRevisions.startRollout',
  pauseRollout: 'serveRevisions.pauseRollout',
  resumeRollout: 'serveRevisions.resumeRollout',
  abortRollout: 'serveRevisions.abortRollout',
  rolloutActions: 'serveRevisions.rolloutActions',
} as const;

/** URI scheme of the read-only documents that show a revision's stored recipe. */
export const StoredSpecScheme = 'serve-revisions-spec';

export const LanguageId = 'revision-yaml';
