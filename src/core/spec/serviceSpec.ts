/**
 * The `kind: Service` spec: a service's settings, apart from its revisions (the Gateway its route
 * attaches to, the plan a rollout follows when none is given). schemas/service.schema.json is the
 * source of truth; these types mirror it, and the checks here say what a schema cannot.
 */
import { isDns1123Subdomain } from './names';
import { checkNames } from './semanticChecks';
import { isObject, type Add, type SpecFinding } from './specFinding';
import { renderHttpRoute } from '../traffic/dataPlane';
import { parseDuration, stepsProblem } from '../traffic/rollout';
import { emptyServiceRecord, renderServiceObject } from '../traffic/serviceRecord';
import { durationText, type RolloutPlan, type ServiceSettings } from '../traffic/trafficModel';

export const ServiceSpecKind = 'Service';

export interface ServiceSpec {
  apiVersion: 'serve-revisions/v1';
  kind: typeof ServiceSpecKind;
  service: string;
  namespace?: string;
  gateway?: { name: string; namespace?: string; sectionName?: string };
  rollout?: { steps: number[]; interval?: string; manual?: boolean };
}

function checkGateway(spec: Record<string, unknown>, add: Add): void {
  const gateway = spec['gateway'];
  if (!isObject(gateway)) return;
  for (const key of ['name', 'namespace', 'sectionName'] as const) {
    const value = gateway[key];
    if (typeof value !== 'string' || value === '') continue;
    const ok = key === 'namespace' ? /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) && value.length <= 63 : isDns1123Subdomain(value);
    if (!ok) add('error', 'gateway-name', ['gateway', key], `gateway.${key} "${value}" is not a valid ${key === 'namespace' ? 'namespace' : 'Gateway API'} name: use lowercase letters, digits${key === 'namespace' ? '' : ", '.'"} and '-', starting and ending with a letter or digit.`);
  }
}

function checkRollout(spec: Record<string, unknown>, add: Add): void {
  const rollout = spec['rollout'];
  if (!isObject(rollout)) return;
  const steps = rollout['steps'];
  if (Array.isArray(steps) && steps.every((s) => typeof s === 'number' && Number.isInteger(s))) {
    const problem = stepsProblem(steps as number[]);
    if (problem) add('error', 'rollout-steps', ['rollout', 'steps'], `rollout.steps: ${problem}.`);
  }
  const interval = rollout['interval'];
  if (typeof interval === 'string' && interval !== '') {
    const parsed = parseDuration(interval);
    if (typeof parsed === 'string') add('error', 'rollout-interval', ['rollout', 'interval'], `rollout.interval: ${parsed}.`);
  }
  if (rollout['manual'] === true && interval !== undefined) add('error', 'rollout-manual-interval', ['rollout', 'manual'], 'rollout holds each step either for an interval or until approved: remove interval, or manual.', 'key');
}

/** Rules the service schema cannot say: names, the steps growing to 100, the interval's syntax. */
export function checkServiceSpec(spec: unknown): SpecFinding[] {
  const findings: SpecFinding[] = [];
  if (!isObject(spec)) return findings;
  const add: Add = (severity, code, path, message, target = 'value', fixes) => findings.push({ severity, code, path, message, target, ...(fixes && fixes.length > 0 ? { fixes } : {}) });
  checkNames(spec, add);
  checkGateway(spec, add);
  checkRollout(spec, add);
  return findings;
}

/** The settings a valid service spec stores. */
export function settingsOf(spec: ServiceSpec): ServiceSettings {
  const settings: ServiceSettings = {};
  if (spec.gateway) settings.gateway = { name: spec.gateway.name, ...(spec.gateway.namespace ? { namespace: spec.gateway.namespace } : {}), ...(spec.gateway.sectionName ? { sectionName: spec.gateway.sectionName } : {}) };
  if (spec.rollout) {
    const seconds = spec.rollout.interval !== undefined ? parseDuration(spec.rollout.interval) : undefined;
    const plan: RolloutPlan = { steps: [...spec.rollout.steps] };
    if (spec.rollout.manual) plan.manual = true;
    else plan.intervalSeconds = typeof seconds === 'number' ? seconds : 120;
    settings.rollout = plan;
  }
  return settings;
}

/** The spec that states a service's current settings (to edit them as YAML). */
export function serviceSpecOf(service: string, namespace: string, settings: ServiceSettings): ServiceSpec {
  const spec: ServiceSpec = { apiVersion: 'serve-revisions/v1', kind: ServiceSpecKind, service, namespace };
  if (settings.gateway) spec.gateway = { ...settings.gateway };
  if (settings.rollout) spec.rollout = { steps: [...settings.rollout.steps], ...(settings.rollout.manual ? { manual: true } : { interval: durationText(settings.rollout.intervalSeconds ?? 120) }) };
  return spec;
}

/**
 * The objects a service spec becomes (what `render` prints): the service object holding the
 * settings and, with a gateway, the HTTPRoute — its backends are the split's revisions, filled in
 * as traffic is routed (none before a revision serves).
 */
export function renderServiceSpec(spec: ServiceSpec, namespace: string): Array<Record<string, unknown>> {
  const record = { ...emptyServiceRecord(spec.service), settings: settingsOf(spec) };
  const objects: Array<Record<string, unknown>> = [renderServiceObject(record, namespace) as unknown as Record<string, unknown>];
  if (record.settings.gateway) objects.push(renderHttpRoute(spec.service, namespace, record.settings.gateway, [], () => undefined) as unknown as Record<string, unknown>);
  return objects;
}
