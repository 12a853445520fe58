/** Identifiers shared with package.json contributions; scripts/check-contributions.mjs keeps them in step. */
export const ViewContainerId = 'serveRevisions';

export const ViewIds = {
  revisions: 'serveRevisions.revisions',
} as const;

export const CommandIds = {
  newSpecFile: 'serveRevisions.newSpecFile',
} as const;

export const LanguageId = 'revision-yaml';
