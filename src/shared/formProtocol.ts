/**
 * The typed messages between the revision form's webview and its host. Imported by both ends, so
 * it uses neither `vscode` nor the DOM. The host never trusts what arrives: `parseFormMessage`
 * checks the shape and size of every incoming message before anything acts on it (the spec inside
 * is then checked against the schema and the semantic rules by the host).
 */

import { checkEnvelope, isPlainObject } from './messageEnvelope';

/** Panel type of the form; also what the webview panel serializer is registered for. */
export const RevisionFormViewType = 'serveRevisions.revisionForm';

/** Larger messages are refused: a revision spec is a few KB, nothing legitimate comes near this. */
export const MaxMessageBytes = 256 * 1024;

/** Where the draft came from, shown in the form's title and kept across reloads. */
export interface FormOrigin {
  kind: 'blank' | 'service' | 'reproduce';
  service?: string;
  /** The revision the draft was copied from (the latest one for "New revision" of a service). */
  revision?: number;
}

// --- webview → host ---------------------------------------------------------------------------

/** The app has loaded and listens; the host answers with `init`. */
export interface ReadyMessage {
  type: 'ready';
}

/** What Create and launch does with the service's traffic once the revision runs. */
export type AfterLaunch = 'keep' | 'route' | 'rollout';
export const AfterLaunchChoices: readonly AfterLaunch[] = ['keep', 'route', 'rollout'];

/** Create the spec as a new revision; `launch` also starts it (Create and launch), then `afterLaunch` (default `keep`). */
export interface CreateMessage {
  type: 'create';
  requestId: number;
  spec: Record<string, unknown>;
  launch: boolean;
  afterLaunch?: AfterLaunch;
}

/** Open the same spec in a YAML editor (an untitled revision-yaml document). */
export interface OpenYamlMessage {
  type: 'openYaml';
  requestId: number;
  spec: Record<string, unknown>;
}

/** Close the form without creating anything. */
export interface CancelMessage {
  type: 'cancel';
}

/** Check the spec against the live cluster, as the YAML editor does; answered with `clusterFindings`. */
export interface CheckClusterMessage {
  type: 'checkCluster';
  requestId: number;
  spec: Record<string, unknown>;
}

export type WebviewToHost = ReadyMessage | CreateMessage | OpenYamlMessage | CancelMessage | CheckClusterMessage;

// --- host → webview ---------------------------------------------------------------------------

/** The draft to show, sent once after `ready`. The webview prefers its own saved state when it has one. */
export interface InitMessage {
  type: 'init';
  spec: Record<string, unknown>;
  origin: FormOrigin;
  /** Namespace the cluster session targets, shown as the placeholder of the namespace field. */
  namespace?: string;
  context?: string;
}

/** The answer to a request (`create`, `openYaml`). */
export interface ResultMessage {
  type: 'result';
  requestId: number;
  ok: boolean;
  /** What happened, in a sentence for a person: success or what failed, why and the next step. */
  message: string;
  /** The person declined a question the host asked (launching what cannot run): nothing failed, nothing was made. */
  cancelled?: boolean;
}

/** A finding as it crosses to the webview: the shape of the checks' own findings, as plain data. */
export interface FindingData {
  severity: 'error' | 'warning';
  message: string;
  path: Array<string | number>;
  code: string;
  target: 'key' | 'value';
}

/** The answer to `checkCluster`: what only the cluster can say (missing Secrets, GPUs no node has…). */
export interface ClusterFindingsMessage {
  type: 'clusterFindings';
  requestId: number;
  findings: FindingData[];
  /** Why there are none to show, when the cluster could not be asked (no kubeconfig, checks turned off). */
  unavailable?: string;
}

export type HostToWebview = InitMessage | ResultMessage | ClusterFindingsMessage;

// --- the guard --------------------------------------------------------------------------------

export type Parsed<T> = { ok: true; message: T } | { ok: false; reason: string };

const Keys: Record<WebviewToHost['type'], readonly string[]> = {
  ready: ['type'],
  cancel: ['type'],
  create: ['type', 'requestId', 'spec', 'launch', 'afterLaunch'],
  openYaml: ['type', 'requestId', 'spec'],
  checkCluster: ['type', 'requestId', 'spec'],
};

/** JSON-like data only (what structured clone of the form's values gives), with bounded depth. */
function isJsonData(value: unknown, depth = 0): boolean {
  if (depth > 12) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJsonData(v, depth + 1));
  if (isPlainObject(value)) return Object.keys(value).every((k) => k !== '__proto__' && isJsonData(value[k], depth + 1));
  return false;
}

/**
 * Checks that an incoming value is one of the messages above, exactly: known type, no extra keys,
 * right field types, JSON data only, at most MaxMessageBytes. The reason names what is wrong.
 */
export function parseFormMessage(message: unknown): Parsed<WebviewToHost> {
  const envelope = checkEnvelope(message, Keys, MaxMessageBytes);
  if (!envelope.ok) return envelope;
  const { raw, type, allowed } = envelope;
  if (allowed.includes('requestId')) {
    const id = raw['requestId'];
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return { ok: false, reason: `"${type}" message needs a non-negative integer requestId, got ${JSON.stringify(id)}` };
  }
  if (allowed.includes('launch') && typeof raw['launch'] !== 'boolean') return { ok: false, reason: `"${type}" message needs launch as true or false` };
  if (raw['afterLaunch'] !== undefined && !AfterLaunchChoices.includes(raw['afterLaunch'] as AfterLaunch)) return { ok: false, reason: `"${type}" message needs afterLaunch as one of ${AfterLaunchChoices.join(', ')}` };
  if (allowed.includes('spec')) {
    const spec = raw['spec'];
    if (!isPlainObject(spec)) return { ok: false, reason: `"${type}" message needs spec as an object` };
    if (!isJsonData(spec)) return { ok: false, reason: `"${type}" message has a spec that is not plain JSON data (or nests too deep)` };
  }
  return { ok: true, message: raw as unknown as WebviewToHost };
}
