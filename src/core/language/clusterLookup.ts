/**
 * Values the live cluster can offer while a spec is typed, and a cache that answers at once:
 * lookups run in the background and a miss (or an unreachable cluster) simply yields nothing,
 * so completion never waits on the network longer than its caller allows.
 */

export type ClusterLookup =
  | { kind: 'namespaces' }
  | { kind: 'serviceAccounts' | 'persistentVolumeClaims' | 'secrets' | 'configMaps'; namespace: string }
  | { kind: 'secretKeys' | 'configMapKeys'; namespace: string; name: string }
  | { kind: 'gpuResourceNames' }
  | { kind: 'gpuProducts' };

/** Synchronous: the cached answer, or undefined when it is not known (yet). */
export type ClusterValues = (lookup: ClusterLookup) => readonly string[] | undefined;

export function lookupKey(lookup: ClusterLookup): string {
  switch (lookup.kind) {
    case 'namespaces':
    case 'gpuResourceNames':
    case 'gpuProducts':
      return lookup.kind;
    case 'secretKeys':
    case 'configMapKeys':
      return `${lookup.kind}/${lookup.namespace}/${lookup.name}`;
    default:
      return `${lookup.kind}/${lookup.namespace}`;
  }
}

interface Entry<T> {
  at: number;
  value?: T;
  failed?: boolean;
  pending?: Promise<T | undefined>;
}

export interface AsyncCacheOptions {
  /** How long an answer is fresh. */
  ttlMs?: number;
  /** How long a failure is remembered, so an unreachable cluster is not asked on every key press. */
  failureTtlMs?: number;
  now?: () => number;
  onError?: (key: string, error: unknown) => void;
}

/** A keyed cache of asynchronous answers: `peek` never waits, `wait` waits at most a given time. */
export class AsyncCache {
  private readonly entries = new Map<string, Entry<unknown>>();
  private readonly ttlMs: number;
  private readonly failureTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: AsyncCacheOptions = {}) {
    this.ttlMs = options.ttlMs ?? 30_000;
    this.failureTtlMs = options.failureTtlMs ?? 15_000;
    this.now = options.now ?? Date.now;
  }

  /** The cached value (possibly stale), starting a refresh when it is missing or stale. */
  peek<T>(key: string, load: () => Promise<T>): T | undefined {
    const entry = this.entries.get(key) as Entry<T> | undefined;
    const age = entry ? this.now() - entry.at : Infinity;
    const fresh = entry && !entry.pending && age < (entry.failed ? this.failureTtlMs : this.ttlMs);
    if (!fresh && !entry?.pending) this.refresh(key, load, entry);
    return entry?.value;
  }

  /** Like peek, but waits up to `timeoutMs` for a value that is not cached yet. */
  async wait<T>(key: string, load: () => Promise<T>, timeoutMs: number): Promise<T | undefined> {
    const cached = this.peek(key, load);
    if (cached !== undefined) return cached;
    const pending = (this.entries.get(key) as Entry<T> | undefined)?.pending;
    if (!pending) return undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), timeoutMs);
    });
    try {
      return await Promise.race([pending, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private refresh<T>(key: string, load: () => Promise<T>, previous: Entry<T> | undefined): void {
    const entry: Entry<T> = { at: previous?.at ?? 0, ...(previous?.value !== undefined ? { value: previous.value } : {}) };
    let started: Promise<T>;
    try {
      started = load();
    } catch (error) {
      started = Promise.reject(error);
    }
    entry.pending = started.then(
      (value) => {
        entry.value = value;
        entry.failed = false;
        entry.at = this.now();
        delete entry.pending;
        return value;
      },
      (error: unknown) => {
        entry.failed = true;
        entry.at = this.now();
        delete entry.pending;
        this.options.onError?.(key, error);
        return entry.value;
      },
    );
    this.entries.set(key, entry as Entry<unknown>);
  }

  clear(): void {
    this.entries.clear();
  }
}
