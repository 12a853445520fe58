/**
 * The service object as stored: a labelled, mutable ConfigMap named `<service>` whose one key
 * (`service.json`) holds the ServiceRecord as JSON. JSON rather than YAML: the tree reads every
 * service's record when it lists a namespace, and JSON.parse costs a tenth of a YAML parse.
 * Reading is forgiving (a field it does not understand is dropped, a broken one reported), so a
 * record written by a newer version of this tool still shows.
 */
import type { V1ConfigMap } from '@kubernetes/client-node';
import { Labels, ServiceObjectKey, serviceLabels } from '../kube/labels';
import { apportion, normalizeTraffic } from './trafficPolicy';
import { DefaultHeartbeatTimeoutSeconds, type GatewayParent, type RolloutPlan, type RolloutState, type ServiceRecord, type ServiceSettings, type TrafficTarget } from './trafficModel';

const RolloutStates = new Set(['progressing', 'paused', 'waiting-approval', 'aborted', 'done']);

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const wholeNumber = (value: unknown, min = 0): value is number => typeof value === 'number' && Number.isInteger(value) && value >= min;
const text = (value: unknown): value is string => typeof value === 'string' && value !== '';

function readTargets(value: unknown): TrafficTarget[] {
  if (!Array.isArray(value)) return [];
  const out: TrafficTarget[] = [];
  for (const item of value) {
    if (!isObject(item) || !wholeNumber(item['revision'], 1) || !wholeNumber(item['percent']) || item['percent'] > 100) continue;
    const tags = Array.isArray(item['tags']) ? item['tags'].filter(text) : [];
    out.push({ revision: item['revision'], percent: item['percent'], ...(tags.length > 0 ? { tags } : {}) });
  }
  return out;
}

export function readGateway(value: unknown): GatewayParent | undefined {
  if (!isObject(value) || !text(value['name'])) return undefined;
  return { name: value['name'], ...(text(value['namespace']) ? { namespace: value['namespace'] } : {}), ...(text(value['sectionName']) ? { sectionName: value['sectionName'] } : {}) };
}

export function readPlan(value: unknown): RolloutPlan | undefined {
  if (!isObject(value) || !Array.isArray(value['steps']) || !value['steps'].every((s) => wholeNumber(s))) return undefined;
  return {
    steps: value['steps'] as number[],
    ...(wholeNumber(value['intervalSeconds'], 1) ? { intervalSeconds: value['intervalSeconds'] } : {}),
    ...(value['manual'] === true ? { manual: true } : {}),
  };
}

function readRollout(value: unknown): RolloutState | undefined {
  if (!isObject(value)) return undefined;
  const plan = readPlan(value['plan']);
  const state = value['state'];
  if (!plan || !wholeNumber(value['target'], 1) || typeof value['step'] !== 'number' || typeof state !== 'string' || !RolloutStates.has(state) || !text(value['startedAt'])) return undefined;
  const rollout: RolloutState = {
    target: value['target'],
    plan,
    step: value['step'],
    before: readTargets(value['before']),
    state: state as RolloutState['state'],
    heartbeatTimeoutSeconds: wholeNumber(value['heartbeatTimeoutSeconds'], 1) ? value['heartbeatTimeoutSeconds'] : DefaultHeartbeatTimeoutSeconds,
    startedAt: value['startedAt'],
  };
  for (const key of ['stepStartedAt', 'driver', 'heartbeat', 'message', 'endedAt'] as const) {
    const v = value[key];
    if (text(v)) rollout[key] = v;
  }
  if (wholeNumber(value['approvedStep'])) rollout.approvedStep = value['approvedStep'];
  return rollout;
}

function readSettings(value: unknown): ServiceSettings {
  if (!isObject(value)) return {};
  const gateway = readGateway(value['gateway']);
  const rollout = readPlan(value['rollout']);
  return { ...(gateway ? { gateway } : {}), ...(rollout ? { rollout } : {}) };
}

/** The record a service object holds; an error in words when its data cannot be read. */
export function readServiceRecord(object: V1ConfigMap): { record: ServiceRecord } | { error: string } {
  const service = object.metadata?.labels?.[Labels.service] ?? object.metadata?.name ?? '';
  const raw = object.data?.[ServiceObjectKey];
  if (raw === undefined) return { error: `the service object "${service}" has no ${ServiceObjectKey}` };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (error) {
    return { error: `the service object "${service}" holds no readable JSON in ${ServiceObjectKey} (${(error as Error).message})` };
  }
  if (!isObject(data)) return { error: `the service object "${service}" does not hold a mapping in ${ServiceObjectKey}` };
  const rollout = readRollout(data['rollout']);
  return {
    record: {
      service,
      revisionCounter: wholeNumber(data['revisionCounter']) ? data['revisionCounter'] : 0,
      traffic: normalizeTraffic(readTargets(data['traffic'])),
      settings: readSettings(data['settings']),
      ...(rollout ? { rollout } : {}),
    },
  };
}

const RolloutKeys: ReadonlyArray<keyof RolloutState> = ['target', 'state', 'step', 'plan', 'before', 'stepStartedAt', 'approvedStep', 'message', 'driver', 'heartbeat', 'heartbeatTimeoutSeconds', 'startedAt', 'endedAt'];

/** The JSON stored for a record: fixed key order, so two equal records are equal text. */
export function serviceRecordJson(record: ServiceRecord): string {
  const { service, revisionCounter, settings, traffic, rollout } = record;
  const ordered = rollout ? Object.fromEntries(RolloutKeys.filter((k) => rollout[k] !== undefined).map((k) => [k, rollout[k]])) : undefined;
  return `${JSON.stringify({ service, revisionCounter, settings, traffic: normalizeTraffic(traffic), ...(ordered ? { rollout: ordered } : {}) }, null, 2)}\n`;
}

/** The service object for a record (without resourceVersion: the writer adds it for an update). */
export function renderServiceObject(record: ServiceRecord, namespace: string): V1ConfigMap {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: record.service, namespace, labels: serviceLabels(record.service, 'service') },
    data: { [ServiceObjectKey]: serviceRecordJson(record) },
  };
}

/** An empty record: no revision numbered yet, no traffic, no settings. */
export function emptyServiceRecord(service: string): ServiceRecord {
  return { service, revisionCounter: 0, traffic: [], settings: {} };
}

/** What the first write of a service created before service objects existed starts from. */
export interface LegacyRevision {
  revision: number;
  /** RevisionState's kind. */
  state: string;
  /** Pods ready now. */
  ready: number;
}

/**
 * The record of a service that has none yet (made before this version): its counter is its
 * highest revision number, and its traffic what the cluster serves today — the old stable Service
 * selected every running revision, so each running revision keeps the share its ready pods give it;
 * with no pod ready anywhere, the newest running (or starting) revision gets 100 %.
 */
export function migratedServiceRecord(service: string, revisions: readonly LegacyRevision[]): ServiceRecord {
  const record = emptyServiceRecord(service);
  record.revisionCounter = Math.max(0, ...revisions.map((r) => r.revision));
  const live = revisions.filter((r) => r.state === 'running' || r.state === 'starting' || r.state === 'failed');
  const ready = live.filter((r) => r.ready > 0);
  if (ready.length > 0) {
    record.traffic = normalizeTraffic(apportion(ready.map((r) => ({ revision: r.revision, weight: r.ready })), 100));
    return record;
  }
  const newest = live.filter((r) => r.state !== 'failed').sort((a, b) => b.revision - a.revision)[0];
  if (newest) record.traffic = [{ revision: newest.revision, percent: 100 }];
  return record;
}
