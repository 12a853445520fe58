import * as vscode from 'vscode';

/** What to do with a plain `yaml` file that declares `apiVersion: serve-revisions/v1` (package.json documents each). */
export type PlainYamlMode = 'switchLanguage' | 'diagnose' | 'ignore';

function section(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('serveRevisions');
}

/** The extension's settings (contributed in package.json), read where they are needed, never cached. */
export const Settings = {
  /** The kubeconfig file to read: the setting, else undefined (KUBECONFIG / ~/.kube/config, as kubectl does). */
  kubeconfig(): string | undefined {
    const configured = section().get<string>('kubeconfig');
    return configured && configured.trim() !== '' ? configured : undefined;
  },
  /** The GPU resource name used when a spec names none. */
  gpuResourceName(): string | undefined {
    return section().get<string>('gpuResourceName') || undefined;
  },
  plainYamlSpecs(): PlainYamlMode {
    return section().get<PlainYamlMode>('yaml.plainYamlSpecs') ?? 'switchLanguage';
  },
  clusterChecks(): boolean {
    return section().get<boolean>('yaml.clusterChecks') ?? true;
  },
};
