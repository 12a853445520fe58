/** Identifiers shared with package.json contributions; scripts/check-contributions.mjs keeps them in step. */
export const ViewContainerId = 'serveRevisions';

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
} as const;

export const LanguageId = 'revision-yaml';
