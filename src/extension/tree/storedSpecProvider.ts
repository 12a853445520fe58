import * as vscode from 'vscode';
import { loadEngine } from '../../bundles/loadEngine';
import { RecordSpecKey } from '../../core/kube/labels';
import type { ClusterSession } from '../common/clusterSession';
import { StoredSpecScheme } from '../ids';

/**
 * The stored recipe of a revision, read-only, named as its record is:
 * `serve-revisions-spec:/<namespace>/<service>-r<N>.revision.yaml` (the tab reads `iris-r2.revision.yaml`).
 */
export function storedSpecUri(r: { namespace: string; service: string; revision: number }): vscode.Uri {
  return vscode.Uri.from({ scheme: StoredSpecScheme, path: `/${r.namespace}/${r.service}-r${r.revision}.revision.yaml` });
}

/** The revision a stored-spec document shows; undefined for any other document. */
export function storedSpecRef(uri: vscode.Uri): { namespace: string; service: string; revision: number } | undefined {
  if (uri.scheme !== StoredSpecScheme) return undefined;
  const match = /^\/([^/]+)\/([^/]+)-r(\d+)\.revision\.yaml$/.exec(uri.path);
  if (!match) return undefined;
  return { namespace: match[1] as string, service: match[2] as string, revision: Number(match[3]) };
}

/**
 * Serves storedSpecUri documents from the record in the cluster; the scheme has no file system, so
 * nothing writes them back. With the query `compare`, the spec without what creation assigns
 * (number, time, author), as Compare shows two revisions side by side.
 */
export class StoredSpecProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly session: ClusterSession) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const ref = storedSpecRef(uri);
    if (!ref) throw new Error(`Cannot open ${uri.toString()}: not a stored revision address.`);
    const { record } = await this.session.getClient().readRecord(ref);
    const text = record.data?.[RecordSpecKey] ?? '';
    return uri.query === 'compare' ? loadEngine().comparableSpecText(text) : text;
  }
}
