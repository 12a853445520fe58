/**
 * The local control plane's simulation knobs (cluster/kwok-simulation.yaml, cluster/README.md),
 * for integration tests and later product tests: simulated CPU/memory usage, a pod's container
 * logs from a file the test writes, a pod's port forwarded to a server the test runs, and the
 * waits that go with them. Everything goes through the real API server; nothing is faked here.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable, type Readable } from 'node:stream';
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Log,
  Metrics,
  type LogOptions,
  PatchStrategy,
  PortForward,
  setHeaderOptions,
  type CoreV1Event,
  type PodMetric,
} from '@kubernetes/client-node';
import { adminKubeconfig, waitFor } from './cluster';

/** Pod annotations the cluster's ClusterResourceUsage reads: a quantity per container. */
export const UsageAnnotations = { cpu: 'kwok.x-k8s.io/usage-cpu', memory: 'kwok.x-k8s.io/usage-memory' } as const;

export function adminKubeConfig(): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(adminKubeconfig());
  return kc;
}

/** Runs the cluster's own kubectl as admin and returns its stdout; throws with stderr on failure. */
export function kubectl(...args: string[]): string {
  const binary = process.env.SERVE_REVISIONS_KUBECTL;
  if (!binary) throw new Error('SERVE_REVISIONS_KUBECTL is not set: run the integration tests through "npm test -- integration".');
  const result = spawnSync(binary, ['--kubeconfig', adminKubeconfig(), ...args], { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${result.stderr || result.error?.message}`);
  return result.stdout;
}

const mergePatch = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

/** Which pods: one by name, or all that a label selector matches now. */
export type PodTarget = { pod: string } | { labelSelector: string };

async function podNames(core: CoreV1Api, namespace: string, target: PodTarget): Promise<string[]> {
  if ('pod' in target) return [target.pod];
  const { items } = await core.listNamespacedPod({ namespace, labelSelector: target.labelSelector });
  return items.map((p) => p.metadata?.name ?? '').filter((n) => n !== '');
}

/**
 * Sets the simulated usage of each container of the target pods (a quantity such as '400m' or
 * '1Gi'); null goes back to the default (about 10 % of the CPU request, 25 % of the memory
 * request). Pods created later (e.g. by a scale-up) start at the default. metrics.k8s.io shows
 * the change from the next scrape (10 s resolution). Returns the pods changed.
 */
export async function setSimulatedUsage(namespace: string, target: PodTarget, usage: { cpu?: string | null; memory?: string | null }): Promise<string[]> {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  const annotations: Record<string, string | null> = {};
  if (usage.cpu !== undefined) annotations[UsageAnnotations.cpu] = usage.cpu;
  if (usage.memory !== undefined) annotations[UsageAnnotations.memory] = usage.memory;
  const names = await podNames(core, namespace, target);
  await Promise.all(names.map((name) => core.patchNamespacedPod({ name, namespace, body: { metadata: { annotations } } }, mergePatch)));
  return names;
}

/** CPU in cores and memory in bytes from metrics.k8s.io quantities ("12345678n", "250m", "64Mi"). */
export function parseQuantity(value: string): number {
  const match = /^([0-9.]+)([a-zA-Z]*)$/.exec(value);
  if (!match) throw new Error(`not a quantity: ${value}`);
  const factors: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4 };
  const factor = factors[match[2] ?? ''];
  if (factor === undefined) throw new Error(`unknown quantity suffix in ${value}`);
  return Number(match[1]) * factor;
}

/**
 * Waits until metrics.k8s.io reports the pod (it needs two scrapes, so 10-20 s after the pod
 * runs) and, if given, until `accept` likes its metrics.
 */
export async function waitForPodMetrics(namespace: string, pod: string, accept: (m: PodMetric) => boolean = () => true, timeoutMs = 120_000): Promise<PodMetric> {
  const metrics = new Metrics(adminKubeConfig());
  return waitFor(async () => (await metrics.getPodMetrics(namespace)).items.find((m) => m.metadata.name === pod && accept(m)), `metrics of pod ${namespace}/${pod}`, timeoutMs, 1000);
}

/** One line in the CRI container log format that kubelets write and kwok serves. */
export function criLogLine(text: string, options: { stream?: 'stdout' | 'stderr'; time?: Date } = {}): string {
  const time = (options.time ?? new Date()).toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
  return `${time} ${options.stream ?? 'stdout'} F ${text}\n`;
}

export interface PodLogFile {
  /** Appends one line to the current container's log: a following reader receives it. */
  append(text: string, options?: { stream?: 'stdout' | 'stderr'; time?: Date }): void;
  readonly path: string;
  readonly previousPath: string;
  /** Deletes the Logs object and the files. */
  dispose(): Promise<void>;
}

/**
 * Points one pod's container logs (all containers, or the named ones) at files of this test:
 * `lines` start the current log, `previousLines` are the previous container's log. Creates a
 * kwok `Logs` object named like the pod, and waits until the API server serves the first line.
 */
export async function podLogFile(
  namespace: string,
  pod: string,
  options: { lines: Array<string | { text: string; stream?: 'stdout' | 'stderr'; time?: Date }>; previousLines?: string[]; containers?: string[] },
): Promise<PodLogFile> {
  if (options.lines.length === 0) throw new Error('podLogFile needs at least one line, to know when kwok serves the file');
  const dir = mkdtempSync(join(tmpdir(), 'serve-revisions-pod-log-'));
  const path = join(dir, 'current.log');
  const previousPath = join(dir, 'previous.log');
  const line = (l: string | { text: string; stream?: 'stdout' | 'stderr'; time?: Date }) => (typeof l === 'string' ? criLogLine(l) : criLogLine(l.text, l));
  writeFileSync(path, options.lines.map(line).join(''));
  writeFileSync(previousPath, (options.previousLines ?? []).map((l) => criLogLine(l)).join(''));
  const kc = adminKubeConfig();
  const custom = kc.makeApiClient(CustomObjectsApi);
  const object = { group: 'kwok.x-k8s.io', version: 'v1alpha1', namespace, plural: 'logs' };
  await custom.createNamespacedCustomObject({
    ...object,
    body: {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'Logs',
      metadata: { name: pod },
      spec: { logs: [{ ...(options.containers ? { containers: options.containers } : {}), logsFile: path, previousLogsFile: previousPath, follow: true }] },
    },
  });
  const first = options.lines[0];
  const firstText = typeof first === 'string' ? first : (first?.text ?? '');
  const core = kc.makeApiClient(CoreV1Api);
  const container = options.containers?.[0];
  await waitFor(async () => (await core.readNamespacedPodLog({ name: pod, namespace, ...(container ? { container } : {}) })).includes(firstText), `kwok to serve the log file of ${namespace}/${pod}`, 60_000, 250);
  return {
    path,
    previousPath,
    append: (text, appendOptions) => appendFileSync(path, criLogLine(text, appendOptions)),
    dispose: async () => {
      await custom.deleteNamespacedCustomObject({ ...object, name: pod }).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface FollowedLog {
  /** Everything received so far. */
  text(): string;
  /** Ends the request. */
  stop(): void;
}

/**
 * Reads a container's log through the API server with client-node's Log, as `kubectl logs`
 * does (with `follow: true` it keeps receiving). Stopping aborts the request; client-node pipes
 * the response into our stream without an error listener, so one is added through the 'pipe'
 * event, or the abort would surface as an uncaught AbortError.
 */
export async function followPodLog(namespace: string, pod: string, container: string, options: LogOptions): Promise<FollowedLog> {
  let received = '';
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      received += chunk.toString();
      done();
    },
  });
  sink.on('pipe', (source: Readable) => source.on('error', () => undefined));
  const controller = await new Log(adminKubeConfig()).log(namespace, pod, container, sink, options);
  return { text: () => received, stop: () => controller.abort() };
}

/**
 * Makes kwok forward the pod's `ports` (all ports if omitted) to `target` on this machine, e.g. a
 * server the test runs, instead of the cluster's default responder. Takes effect within a moment
 * (kwok watches the object): retry the first request. Returns a function that removes it.
 */
export async function forwardPodPort(namespace: string, pod: string, target: { port: number; address?: string }, ports?: number[]): Promise<() => Promise<void>> {
  const custom = adminKubeConfig().makeApiClient(CustomObjectsApi);
  const object = { group: 'kwok.x-k8s.io', version: 'v1alpha1', namespace, plural: 'portforwards' };
  await custom.createNamespacedCustomObject({
    ...object,
    body: {
      apiVersion: 'kwok.x-k8s.io/v1alpha1',
      kind: 'PortForward',
      metadata: { name: pod },
      spec: { forwards: [{ ...(ports ? { ports } : {}), target: { port: target.port, address: target.address ?? '127.0.0.1' } }] },
    },
  });
  return async () => {
    await custom.deleteNamespacedCustomObject({ ...object, name: pod }).catch(() => undefined);
  };
}

export interface LocalPortForward {
  /** http://127.0.0.1:PORT, forwarded to the pod's port through the API server. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * `kubectl port-forward` done with client-node: a local listener whose every connection is
 * forwarded to the pod's port through the API server's portforward subresource (WebSocket),
 * as the product's "open endpoint" does.
 */
export async function openLocalPortForward(kc: KubeConfig, namespace: string, pod: string, port: number): Promise<LocalPortForward> {
  const forward = new PortForward(kc);
  const sockets = new Set<{ destroy(): void }>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    const closeAll: Array<() => void> = [];
    socket.on('close', () => {
      sockets.delete(socket);
      for (const close of closeAll) close();
    });
    // Bytes from the pod end the connection when the pod side closes its stream.
    const fromPod = new PassThrough();
    fromPod.pipe(socket);
    forward
      .portForward(namespace, pod, [port], fromPod, null, socket)
      .then((ws) => {
        const socketOf = typeof ws === 'function' ? ws() : ws;
        if (!socketOf) return socket.destroy();
        closeAll.push(() => socketOf.close());
        socketOf.on('close', () => socket.end());
      })
      .catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no local port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Events about one object (by kind and name) in a namespace, oldest first. */
export async function eventsAbout(namespace: string, kind: string, name: string): Promise<CoreV1Event[]> {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  const { items } = await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.kind=${kind},involvedObject.name=${name}` });
  return items.sort((a, b) => eventTime(a) - eventTime(b));
}

function eventTime(event: CoreV1Event): number {
  const t = event.lastTimestamp ?? event.eventTime ?? event.metadata?.creationTimestamp;
  return t ? new Date(t).getTime() : 0;
}

/** Waits for an event about the object whose reason (and message, if given) matches. */
export async function waitForEvent(namespace: string, kind: string, name: string, reason: string, message?: RegExp, timeoutMs = 120_000): Promise<CoreV1Event> {
  return waitFor(
    async () => (await eventsAbout(namespace, kind, name)).find((e) => e.reason === reason && (!message || message.test(e.message ?? ''))),
    `a ${reason} event about ${kind} ${namespace}/${name}${message ? ` matching ${message}` : ''}`,
    timeoutMs,
    500,
  );
}

/** Creates a one-container pod (container "main") on the fake nodes and returns its name. */
export async function createPod(namespace: string, name: string, image: string, resources?: { requests?: Record<string, string>; limits?: Record<string, string> }): Promise<string> {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  await core.createNamespacedPod({ namespace, body: { metadata: { name }, spec: { containers: [{ name: 'main', image, ...(resources ? { resources } : {}) }] } } });
  return name;
}

/** Waits until the pod is Running with every container ready. */
export async function waitForRunningPod(namespace: string, name: string, timeoutMs = 120_000): Promise<void> {
  const core = adminKubeConfig().makeApiClient(CoreV1Api);
  await waitFor(
    async () => {
      const pod = await core.readNamespacedPod({ name, namespace });
      return pod.status?.phase === 'Running' && (pod.status.containerStatuses ?? []).every((c) => c.ready);
    },
    `pod ${namespace}/${name} running and ready`,
    timeoutMs,
  );
}
