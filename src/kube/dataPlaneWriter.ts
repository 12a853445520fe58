/**
 * Makes the cluster carry a service's traffic policy (core/traffic/dataPlane.ts): the serving label
 * on pods, the stable Service's selector, the tags' Services and, with a Gateway, the HTTPRoute.
 * Idempotent: it compares with what is there and writes only the difference, so every traffic
 * write, a rollout step and any client watching the namespace may run it again at any time.
 * Order matters on the plain data plane: pods that start serving are labelled before the selector
 * switches, and those that stop are unlabelled after, so no moment has fewer endpoints than both.
 */
import { ApisApi, type V1Pod, type V1Service, type V1ServicePort } from '@kubernetes/client-node';
import { describeKubeError, httpStatus, KubeActionError } from '../core/kube/kubeErrors';
import { Labels, ManagedSelector } from '../core/kube/labels';
import { servicePorts } from '../core/kube/renderObjects';
import { GatewayGroup, GatewayVersion, podRevision, renderHttpRoute, renderStableService, renderTagService, sameSelector, stableSelector, tagServiceName, wantsServingLabel } from '../core/traffic/dataPlane';
import { servingTargets, type ServiceRecord } from '../core/traffic/trafficModel';
import { applySpecDefaults } from '../core/spec/specDefaults';
import { applyObject, deleteObject, FieldManager, mergePatchOptions, type KubeApis } from './applyObject';
import type { ClusterConnection } from './clusterConnection';
import type { RevisionStore } from './revisionStore';

export class DataPlaneWriter {
  private gatewayServed: Promise<boolean> | undefined;

  constructor(
    private readonly connection: ClusterConnection,
    private readonly apis: KubeApis,
    private readonly store: RevisionStore,
  ) {}

  /** Whether the cluster serves gateway.networking.k8s.io/v1 (asked once per connection). */
  servesGatewayApi(): Promise<boolean> {
    this.gatewayServed ??= this.connection.kubeConfig
      .makeApiClient(ApisApi)
      .getAPIVersions()
      .then((groups) => groups.groups.some((g) => g.name === GatewayGroup && g.versions.some((v) => v.version === GatewayVersion)));
    // A failed answer is not remembered: the next call asks again.
    this.gatewayServed.catch(() => (this.gatewayServed = undefined));
    return this.gatewayServed;
  }

  /** The Gateways in a namespace, for a picker: `name` and the listeners' names. */
  async listGateways(namespace: string): Promise<Array<{ name: string; namespace: string; listeners: string[] }>> {
    const list = (await this.apis.custom.listNamespacedCustomObject({ group: GatewayGroup, version: GatewayVersion, namespace, plural: 'gateways' })) as { items?: Array<{ metadata?: { name?: string }; spec?: { listeners?: Array<{ name?: string }> } }> };
    return (list.items ?? []).map((g) => ({ name: g.metadata?.name ?? '', namespace, listeners: (g.spec?.listeners ?? []).map((l) => l.name ?? '').filter(Boolean) })).filter((g) => g.name !== '');
  }

  /** Brings the data plane of `record`'s service in line with it. `uid` is the service object's. */
  async reconcile(record: ServiceRecord, namespace: string, uid: string): Promise<void> {
    const action = `route the traffic of "${record.service}"`;
    try {
      const ports = new Map<number, V1ServicePort[]>();
      const portsOf = async (revision: number): Promise<V1ServicePort[]> => {
        let found = ports.get(revision);
        if (!found) {
          const { spec } = await this.store.readRecord({ service: record.service, revision, namespace });
          found = servicePorts(applySpecDefaults(spec));
          ports.set(revision, found);
        }
        return found;
      };
      const pods = await this.servicePods(record.service, namespace);
      await this.label(pods, record, true);
      await this.applyStableService(record, namespace, uid, portsOf);
      await this.label(pods, record, false);
      await this.applyTags(record, namespace, uid, portsOf);
      await this.applyRoute(record, namespace, uid, portsOf);
    } catch (error) {
      throw describeKubeError(error, { action, namespace, context: this.connection.contextName });
    }
  }

  private async servicePods(service: string, namespace: string): Promise<V1Pod[]> {
    const { items } = await this.apis.core.listNamespacedPod({ namespace, labelSelector: `${ManagedSelector},${Labels.service}=${service},${Labels.component}=workload` });
    return items.filter((p) => !p.metadata?.deletionTimestamp);
  }

  /** Adds the serving label where it is missing (`adding`), or removes it where it is not wanted. */
  private async label(pods: V1Pod[], record: ServiceRecord, adding: boolean): Promise<void> {
    await Promise.all(
      pods.map(async (pod) => {
        const revision = podRevision(pod);
        if (revision === undefined || !pod.metadata?.name) return;
        const wanted = wantsServingLabel(record.traffic, revision);
        const has = pod.metadata.labels?.[Labels.serving] === 'true';
        if (wanted === has || wanted !== adding) return;
        await this.patchServingLabel(pod.metadata.name, pod.metadata.namespace ?? '', wanted).catch((error: unknown) => {
          // A pod deleted meanwhile needs no label.
          if (httpStatus(error) !== 404) throw error;
        });
      }),
    );
  }

  /** Sets or removes the serving label of one pod (a merge patch: idempotent). */
  patchServingLabel(name: string, namespace: string, serving: boolean): Promise<unknown> {
    return this.apis.core.patchNamespacedPod({ name, namespace, body: { metadata: { labels: { [Labels.serving]: serving ? 'true' : null } } }, fieldManager: FieldManager }, mergePatchOptions());
  }

  private async existing(name: string, namespace: string): Promise<V1Service | undefined> {
    try {
      return await this.apis.core.readNamespacedService({ name, namespace });
    } catch (error) {
      if (httpStatus(error) === 404) return undefined;
      throw error;
    }
  }

  private async applyStableService(record: ServiceRecord, namespace: string, uid: string, portsOf: (revision: number) => Promise<V1ServicePort[]>): Promise<void> {
    const primary = servingTargets(record.traffic)[0];
    const current = await this.existing(record.service, namespace);
    if (current && current.metadata?.labels?.[Labels.component] !== 'service-endpoint') {
      throw new KubeActionError(`a Service named "${record.service}" already exists in namespace "${namespace}" and is not this service's stable endpoint; rename or remove it`, 'precondition');
    }
    // With nothing serving, the Service stays (its address is the service's) but selects no pod.
    const ports = primary ? await portsOf(primary.revision) : current?.spec?.ports;
    if (!ports) return;
    const selector = stableSelector(record.service, record.traffic);
    const owned = current?.metadata?.ownerReferences?.some((o) => o.uid === uid) ?? false;
    const samePorts = !primary || JSON.stringify(current?.spec?.ports?.map((p) => p.port)) === JSON.stringify(ports.map((p) => p.port));
    if (current && owned && sameSelector(current.spec?.selector, selector) && samePorts) return;
    await applyObject(this.apis, renderStableService(record.service, namespace, ports.map(({ name, port, targetPort, protocol, appProtocol }) => ({ ...(name ? { name } : {}), port, ...(targetPort !== undefined ? { targetPort } : {}), ...(protocol ? { protocol } : {}), ...(appProtocol ? { appProtocol } : {}) })), selector, { uid }));
  }

  private async applyTags(record: ServiceRecord, namespace: string, uid: string, portsOf: (revision: number) => Promise<V1ServicePort[]>): Promise<void> {
    const { items } = await this.apis.core.listNamespacedService({ namespace, labelSelector: `${ManagedSelector},${Labels.service}=${record.service},${Labels.component}=tag-endpoint` });
    const wanted = new Map(record.traffic.flatMap((t) => (t.tags ?? []).map((tag) => [tag, t.revision] as const)));
    for (const [tag, revision] of wanted) {
      const current = items.find((s) => s.metadata?.labels?.[Labels.tag] === tag);
      if (current?.spec?.selector?.[Labels.revision] === String(revision)) continue;
      const name = tagServiceName(record.service, tag);
      if (!current) {
        const other = await this.existing(name, namespace);
        if (other) throw new KubeActionError(`a Service named "${name}" already exists in namespace "${namespace}" and is not the tag "${tag}" of "${record.service}"; choose another tag`, 'precondition');
      }
      await applyObject(this.apis, renderTagService(record.service, tag, revision, namespace, await portsOf(revision), { uid }));
    }
    for (const s of items) {
      const tag = s.metadata?.labels?.[Labels.tag];
      if (tag && !wanted.has(tag) && s.metadata?.name) await deleteObject(this.apis, 'Service', s.metadata.name, namespace);
    }
  }

  private async applyRoute(record: ServiceRecord, namespace: string, uid: string, portsOf: (revision: number) => Promise<V1ServicePort[]>): Promise<void> {
    const gateway = record.settings.gateway;
    if (!gateway) {
      // Back to the plain data plane: the route goes (only ours; nothing to do where the API is not served).
      if (!(await this.servesGatewayApi())) return;
      const route = (await this.apis.custom.getNamespacedCustomObject({ group: GatewayGroup, version: GatewayVersion, namespace, plural: 'httproutes', name: record.service }).catch((error: unknown) => {
        if (httpStatus(error) === 404) return undefined;
        throw error;
      })) as { metadata?: { labels?: Record<string, string> } } | undefined;
      if (route?.metadata?.labels?.[Labels.component] === 'route') await deleteObject(this.apis, 'HTTPRoute', record.service, namespace);
      return;
    }
    if (!(await this.servesGatewayApi())) {
      throw new KubeActionError(`the service names the Gateway "${gateway.name}", but the cluster serves no Gateway API (${GatewayGroup}/${GatewayVersion}); install it, or remove the gateway from the service's settings to use the plain data plane`, 'precondition');
    }
    const revisions = [...new Set(record.traffic.filter((t) => t.percent > 0 || (t.tags?.length ?? 0) > 0).map((t) => t.revision))];
    const firstPort = new Map<number, number | undefined>();
    for (const revision of revisions) firstPort.set(revision, (await portsOf(revision))[0]?.port);
    await applyObject(this.apis, renderHttpRoute(record.service, namespace, gateway, record.traffic, (r) => firstPort.get(r), { uid }) as unknown as Parameters<typeof applyObject>[1]);
  }
}
