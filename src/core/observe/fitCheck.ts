/**
 * Will it fit? What a revision's pods ask for (replicas × CPU, memory, GPUs and any other
 * resource) against what the nodes can still give (allocatable minus what the pods on them
 * request), their taints and labels (node selector, GPU product), and the namespace's
 * ResourceQuotas. Pure, so the warning before Start, the CLI and the tests agree; the kube layer
 * gathers the facts (src/kube/fitFacts.ts). Like the scheduler's filters, not its scores: pods of
 * one revision are alike, so room for them is the sum over the nodes that pass.
 */
import type { V1Node, V1Pod, V1PodSpec, V1ResourceQuota, V1Taint, V1Toleration } from '@kubernetes/client-node';
import { escapeControl } from '../escapeText';
import { amountOf, describeAmount, formatAmount, podAmounts } from './resourceAmounts';

/** The pods a revision would run: their template and how many. */
export interface PodPlan {
  replicas: number;
  spec: V1PodSpec;
}

export interface FitFacts {
  namespace: string;
  /** Undefined when they could not be read: `nodesProblem` says why. */
  nodes?: readonly V1Node[];
  /** Every pod of the cluster that holds resources (scheduled, not finished). */
  pods?: readonly V1Pod[];
  nodesProblem?: string;
  quotas?: readonly V1ResourceQuota[];
  quotaProblem?: string;
  /** The revision's own pods already running or asked for: what they hold is counted as theirs, not as taken. */
  ownPods?: readonly V1Pod[];
}

export interface FitVerdict {
  /** False only when the facts say it will not fit; unreadable facts are notes, not failures. */
  fits: boolean;
  /** One sentence each, the most telling first: "needs 4 × nvidia.com/gpu on one node; the most free is 2, on kwok-gpu-0". */
  problems: string[];
  /** What could not be checked, and why. */
  notes: string[];
  /** How many of the pods the nodes have room for (when nodes were read). */
  room?: number;
  /** Per pod: amounts by resource, in counting units. */
  perPod: Record<string, number>;
}

const finished = (pod: V1Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

function tolerates(tolerations: readonly V1Toleration[], taint: V1Taint): boolean {
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.operator === 'Exists') return !t.key || t.key === taint.key;
    return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
  });
}

interface NodeRoom {
  name: string;
  /** Why no pod of the plan can go there at all, or undefined. */
  excluded?: { kind: 'cordoned' | 'notReady' | 'selector' | 'taint'; detail: string };
  free: Record<string, number>;
}

function nodeRoom(node: V1Node, pods: readonly V1Pod[], own: ReadonlySet<string>, plan: PodPlan): NodeRoom {
  const name = node.metadata?.name ?? '?';
  const free: Record<string, number> = {};
  for (const [resource, quantity] of Object.entries(node.status?.allocatable ?? {})) free[resource] = amountOf(resource, quantity);
  let podCount = 0;
  for (const pod of pods) {
    if (pod.spec?.nodeName !== name || finished(pod) || own.has(pod.metadata?.uid ?? '')) continue;
    podCount++;
    for (const [resource, amount] of Object.entries(podAmounts(pod.spec))) free[resource] = (free[resource] ?? 0) - amount;
  }
  free['pods'] = (free['pods'] ?? 110) - podCount;
  const room: NodeRoom = { name, free };
  const labels = node.metadata?.labels ?? {};
  const missing = Object.entries(plan.spec.nodeSelector ?? {}).find(([k, v]) => labels[k] !== v);
  const taint = (node.spec?.taints ?? []).find((t) => (t.effect === 'NoSchedule' || t.effect === 'NoExecute') && !tolerates(plan.spec.tolerations ?? [], t));
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  if (node.spec?.unschedulable) room.excluded = { kind: 'cordoned', detail: `${name} (cordoned)` };
  else if (ready && ready.status !== 'True') room.excluded = { kind: 'notReady', detail: `${name} (not ready)` };
  else if (missing) room.excluded = { kind: 'selector', detail: `${missing[0]}=${missing[1]}` };
  else if (taint) room.excluded = { kind: 'taint', detail: `${name} (${taint.key}${taint.value ? `=${taint.value}` : ''}:${taint.effect})` };
  return room;
}

/** How many of the plan's pods fit on a node. */
function podsThatFit(free: Record<string, number>, perPod: Record<string, number>): number {
  let count = Math.max(0, free['pods'] ?? 0);
  for (const [resource, need] of Object.entries(perPod)) {
    if (need <= 0 || resource === 'pods') continue;
    count = Math.min(count, Math.max(0, Math.floor((free[resource] ?? 0) / need)));
  }
  return count;
}

/** Why no node can take even one pod, resource by resource, naming the node with the most free. */
function shortages(rooms: readonly NodeRoom[], perPod: Record<string, number>): string[] {
  const out: string[] = [];
  for (const [resource, need] of Object.entries(perPod)) {
    if (need <= 0) continue;
    let best: NodeRoom | undefined;
    for (const room of rooms) if (!best || (room.free[resource] ?? 0) > (best.free[resource] ?? 0)) best = room;
    const most = best?.free[resource] ?? 0;
    if (need <= most) continue;
    if (most <= 0 && !rooms.some((r) => resource in r.free)) {
      out.push(`needs ${describeAmount(resource, need)}, which no node it could use offers`);
    } else {
      out.push(`needs ${describeAmount(resource, need)} on one node; the most free is ${formatAmount(resource, Math.max(0, most))}, on ${best?.name ?? '?'}`);
    }
  }
  return out;
}

function exclusions(rooms: readonly NodeRoom[], nodes: readonly V1Node[], plan: PodPlan): string[] {
  const selector = rooms.filter((r) => r.excluded?.kind === 'selector');
  if (selector.length === rooms.length && rooms.length > 0) {
    const [key] = (selector[0]?.excluded?.detail ?? '=').split('=');
    const offered = [...new Set(nodes.map((n) => n.metadata?.labels?.[key ?? '']).filter((v): v is string => v !== undefined))];
    const wanted = Object.entries(plan.spec.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(', ');
    return [`no node has the label${Object.keys(plan.spec.nodeSelector ?? {}).length === 1 ? '' : 's'} ${wanted} its pods select${offered.length > 0 ? ` (nodes have ${key}=${offered.join(', ')})` : ''}`];
  }
  const tainted = rooms.filter((r) => r.excluded?.kind === 'taint');
  if (tainted.length > 0) return [`every node it could use has a taint it does not tolerate: ${tainted.map((r) => r.excluded?.detail).join(', ')}`];
  const down = rooms.filter((r) => r.excluded);
  return [`no node it could use takes pods: ${down.map((r) => r.excluded?.detail).join(', ')}`];
}

function nodeProblems(facts: FitFacts, plan: PodPlan, perPod: Record<string, number>): { problems: string[]; room: number } {
  const own = new Set((facts.ownPods ?? []).map((p) => p.metadata?.uid ?? '').filter(Boolean));
  const rooms = (facts.nodes ?? []).map((n) => nodeRoom(n, facts.pods ?? [], own, plan));
  const usable = rooms.filter((r) => !r.excluded);
  if (rooms.length === 0) return { problems: ['the cluster has no nodes'], room: 0 };
  if (usable.length === 0) return { problems: exclusions(rooms, facts.nodes ?? [], plan), room: 0 };
  const room = usable.reduce((sum, r) => sum + podsThatFit(r.free, perPod), 0);
  if (room >= plan.replicas) return { problems: [], room };
  if (room === 0) {
    const short = shortages(usable, perPod);
    return { problems: short.length > 0 ? short : ['no node it could use has room for a pod'], room };
  }
  const each = Object.entries(perPod).filter(([, v]) => v > 0).map(([r, v]) => describeAmount(r, v)).join(', ');
  return { problems: [`the nodes have room for ${room} of its ${plan.replicas} replicas (each needs ${each})`], room };
}

/** What a quota key counts for one pod of the plan, or undefined for keys it does not count here. */
function quotaAmount(key: string, requests: Record<string, number>, limits: Record<string, number>): { resource: string; amount: number } | undefined {
  if (key === 'pods' || key === 'count/pods') return { resource: 'pods', amount: 1 };
  const [kind, ...rest] = key.split('.');
  const resource = rest.join('.');
  if (kind === 'requests' && resource) return { resource, amount: requests[resource] ?? 0 };
  if (kind === 'limits' && resource) return { resource, amount: limits[resource] ?? 0 };
  if (key === 'cpu' || key === 'memory') return { resource: key, amount: requests[key] ?? 0 };
  return undefined;
}

function quotaProblems(facts: FitFacts, plan: PodPlan): string[] {
  const requests = podAmounts(plan.spec, 'requests');
  const limits = podAmounts(plan.spec, 'limits');
  const own = (facts.ownPods ?? []).filter((p) => !finished(p));
  const out: string[] = [];
  for (const quota of facts.quotas ?? []) {
    const hard = quota.status?.hard ?? quota.spec?.hard ?? {};
    const used = quota.status?.used ?? {};
    for (const [key, limit] of Object.entries(hard)) {
      const per = quotaAmount(key, requests, limits);
      if (!per || per.amount <= 0) continue;
      const ownUse = own.reduce((sum, p) => sum + (quotaAmount(key, podAmounts(p.spec, 'requests'), podAmounts(p.spec, 'limits'))?.amount ?? 0), 0);
      const cap = amountOf(per.resource, limit);
      const taken = Math.max(0, amountOf(per.resource, used[key]) - ownUse);
      const needed = per.amount * plan.replicas;
      if (taken + needed > cap) {
        const left = Math.max(0, cap - taken);
        out.push(`needs ${key} ${formatAmount(per.resource, needed)} in namespace "${facts.namespace}", but ResourceQuota "${quota.metadata?.name ?? '?'}" leaves ${formatAmount(per.resource, left)} of ${formatAmount(per.resource, cap)}`);
      }
    }
  }
  return out;
}

/** Whether the plan's pods fit the cluster now, and if not, why, in words to act on. */
export function checkFit(plan: PodPlan, facts: FitFacts): FitVerdict {
  const perPod = podAmounts(plan.spec, 'requests');
  const notes: string[] = [];
  const problems: string[] = [];
  let room: number | undefined;
  if (plan.replicas > 0) {
    if (facts.nodes) {
      const nodes = nodeProblems(facts, plan, perPod);
      problems.push(...nodes.problems);
      room = nodes.room;
    } else {
      notes.push(`Node capacity was not checked: ${facts.nodesProblem ?? 'the nodes could not be read'}`);
    }
    if (facts.quotas) problems.push(...quotaProblems(facts, plan));
    else if (facts.quotaProblem) notes.push(`Quotas were not checked: ${facts.quotaProblem}`);
  }
  return { fits: problems.length === 0, problems: problems.map((p) => escapeControl(p)), notes: notes.map((n) => escapeControl(n)), ...(room !== undefined ? { room } : {}), perPod };
}

/** The warning before acting: `needs …; … Its pods would stay Pending.` */
export function fitWarning(what: string, verdict: FitVerdict): string {
  return `${what} may not fit: ${verdict.problems[0] ?? ''}${verdict.problems.length > 1 ? ` (and ${verdict.problems.length - 1} more)` : ''}. Its pods would wait until room is made.`;
}
