/**
 * The typed messages between a revision's details panel (a webview) and its host. Imported by both
 * ends, so it uses neither `vscode` nor the DOM. Shaped like formProtocol.ts: the host never trusts
 * what arrives, and `parseDetailsMessage` checks the type, the exact keys, plain JSON and the size
 * of every incoming message before anything acts on it.
 *
 * The view payloads are plain JSON built by the host (src/core/observe/revisionDetails.ts and
 * metricsHistory.ts); every text in them that came from the cluster is already escaped.
 */

import { checkEnvelope } from './messageEnvelope';

/** Panel type of the details view. */
export const RevisionDetailsViewType = 'serveRevisions.revisionDetails';

/** The webview only ever sends a few small requests; anything larger is refused. */
export const MaxDetailsMessageBytes = 4 * 1024;

// --- what the panel shows ---------------------------------------------------------------------

export interface DetailsEvent {
  /** ISO time of the last occurrence, when the event says. */
  time?: string;
  type: string;
  reason: string;
  /** `Pod/iris-r3-7d9c-x2x`, `ReplicaSet/iris-r3-7d9c`. */
  object: string;
  message: string;
  count: number;
}

export interface DetailsCondition {
  /** `Deployment`, `ReplicaSet iris-r3-7d9c`, `Pod iris-r3-…`, `Autoscaler`. */
  object: string;
  type: string;
  status: string;
  reason?: string;
  message?: string;
  since?: string;
}

export interface DetailsContainer {
  name: string;
  image: string;
  ready: boolean;
  restarts: number;
  state: 'running' | 'waiting' | 'terminated' | 'unknown';
  reason?: string;
  message?: string;
  lastExitCode?: number;
  lastReason?: string;
  lastFinishedAt?: string;
}

export interface DetailsPod {
  name: string;
  phase: string;
  ready: boolean;
  node?: string;
  restarts: number;
  /** Why it is not running or not ready: `ImagePullBackOff`, `CrashLoopBackOff`, `Unschedulable`. */
  reason?: string;
  /** The words of whoever said so: the kubelet's, the registry's, the scheduler's. */
  message?: string;
  containers: DetailsContainer[];
  /** The last lines of the previous container's log, for a container that crashed. */
  previousLog?: string[];
  createdAt?: string;
  deleting: boolean;
}

export interface DetailsAutoscaler {
  minReplicas: number;
  maxReplicas: number;
  currentReplicas?: number;
  desiredReplicas?: number;
  /** `cpu`, `memory`, or the custom metric's name. */
  metric: string;
  /** `12% of the request`, `DCGM_FI_DEV_GPU_UTIL 40`; undefined until the autoscaler has read it. */
  current?: string;
  target: string;
  lastScaleTime?: string;
  conditions: DetailsCondition[];
  /** Its last scaling events (SuccessfulRescale and the like), newest first. */
  events: DetailsEvent[];
}

export type DetailsState = 'stopped' | 'starting' | 'running' | 'failed' | 'stopping';

export interface RevisionDetailsView {
  service: string;
  revision: number;
  namespace: string;
  context?: string;
  message: string;
  image: string;
  state: DetailsState;
  /** `failed: ImagePullBackOff`, as the tree says it. */
  stateText: string;
  /** Why it is (not) ready, in one sentence. */
  headline: string;
  replicas: { desired: number; ready: number; updated?: number; available?: number; total?: number };
  conditions: DetailsCondition[];
  pods: DetailsPod[];
  /** Refusals to create pods: quota, admission (the ReplicaSet's words). */
  refusals: string[];
  autoscaler?: DetailsAutoscaler;
  /** Events of the revision's objects, newest first. */
  events: DetailsEvent[];
  /** Set once the revision's record is gone. */
  deleted?: boolean;
  /** What could not be read, with the permission it needs: "Events are not shown: forbidden (needs list on events). …". */
  notShown?: string[];
}

export interface MetricsSample {
  /** Unix time in seconds. */
  t: number;
  /** Total CPU in cores and memory in bytes of the revision's pods; null where unknown. */
  cpu: number | null;
  memory: number | null;
  desired: number;
  ready: number;
  /**
   * Taken for a replica change between two metrics readings: usage was not read at this instant,
   * so the usage line joins across it (a null without it is a gap: metrics were not available).
   */
  between?: true;
}

export interface PodUsageView {
  name: string;
  cpu: number;
  memory: number;
  cpuRequest?: number;
  cpuLimit?: number;
  memoryRequest?: number;
  memoryLimit?: number;
}

export interface MetricsView {
  /** False where the cluster serves no metrics API (or it is down, or forbidden): `reason` says which and what to do. */
  available: boolean;
  reason?: string;
  /** The revision's replicas over time, and its total usage where metrics are available. */
  samples: MetricsSample[];
  /** Per pod at the last reading. */
  pods: PodUsageView[];
  totals?: { cpu: number; memory: number; cpuRequest: number; cpuLimit: number; memoryRequest: number; memoryLimit: number };
}

export type LiveState = { state: 'live' } | { state: 'reconnecting'; message: string } | { state: 'failed'; message: string };

// --- webview → host ---------------------------------------------------------------------------

/** The app has loaded and listens; the host answers with what it knows. */
export interface DetailsReadyMessage {
  type: 'ready';
}

/** Open the revision's logs (all pods, followed); `previous` shows the previous containers instead. */
export interface ShowLogsMessage {
  type: 'showLogs';
  previous: boolean;
}

/** Open the revision's stored spec. */
export interface OpenSpecMessage {
  type: 'openSpec';
}

export type DetailsWebviewToHost = DetailsReadyMessage | ShowLogsMessage | OpenSpecMessage;

// --- host → webview ---------------------------------------------------------------------------

export interface DetailsMessage {
  type: 'details';
  details: RevisionDetailsView;
}

export interface MetricsMessage {
  type: 'metrics';
  metrics: MetricsView;
}

export interface LiveMessage {
  type: 'live';
  live: LiveState;
}

export type DetailsHostToWebview = DetailsMessage | MetricsMessage | LiveMessage;

// --- the guard --------------------------------------------------------------------------------

export type ParsedDetails<T> = { ok: true; message: T } | { ok: false; reason: string };

const Keys: Record<DetailsWebviewToHost['type'], readonly string[]> = {
  ready: ['type'],
  showLogs: ['type', 'previous'],
  openSpec: ['type'],
};

/**
 * Checks that an incoming value is one of the messages above, exactly: known type, no extra keys,
 * right field types, at most MaxDetailsMessageBytes. The reason names what is wrong.
 */
export function parseDetailsMessage(message: unknown): ParsedDetails<DetailsWebviewToHost> {
  const envelope = checkEnvelope(message, Keys, MaxDetailsMessageBytes);
  if (!envelope.ok) return envelope;
  const { raw, type, allowed } = envelope;
  const missing = allowed.filter((k) => !Object.hasOwn(raw, k));
  if (missing.length > 0) return { ok: false, reason: `"${type}" message lacks ${missing.join(', ')}` };
  if (allowed.includes('previous') && typeof raw['previous'] !== 'boolean') return { ok: false, reason: `"${type}" message needs previous as true or false` };
  return { ok: true, message: raw as unknown as DetailsWebviewToHost };
}
