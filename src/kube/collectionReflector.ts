/**
 * Keeps one label-selected collection of a namespace in a store: a paged LIST, then a WATCH from
 * the resourceVersion of the list's last page, re-watched from the last event (or bookmark) when
 * the server ends it, listed again on 410 Gone, retried with backoff when the connection breaks.
 * What client-go's reflector does, with what client-node's informer lacks: pages, so the first
 * objects are there before the whole list is (the caller is told after every page), and metadata
 * only, for the collections where that is all the caller reads.
 */
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import { httpStatus } from '../core/kube/kubeErrors';
import type { CollectionObject } from '../core/kube/namespaceIndex';
import { openWatch, requestPage, type ListPage, type PendingPage } from './collectionRequests';

/** Where the objects go: the reflector only needs to know which it holds, and at which version. */
export interface ReflectorStore {
  put(object: CollectionObject, type: 'add' | 'update'): void;
  remove(name: string): void;
  resourceVersion(name: string): string | undefined;
  names(): string[];
}

export interface ReflectorTarget {
  kubeConfig: KubeConfig;
  path: string;
  labelSelector: string;
  metadataOnly: boolean;
  /** PageSizes.whole unless given. */
  pageSizes?: readonly number[];
}

/**
 * Page sizes of a LIST (the last size repeats). Every page is a round trip, so pages grow; a view
 * starts small, to draw from at once: the first records' services are complete once the other
 * collections have been listed past them, for which a smaller first page (of larger objects) does.
 */
export const PageSizes = {
  recordsFirstRows: [250, 2_000, 10_000],
  workloadsFirstRows: [100, 1_000, 10_000],
  /** A one-shot listing (the CLI): nothing is drawn before the end. */
  whole: [5_000, 10_000],
} as const satisfies Record<string, readonly number[]>;

const MaxBackoffMs = 10_000;

/** 410 Gone: the resourceVersion (or the continue token's snapshot) is older than etcd keeps. */
const isGone = (error: unknown): boolean => httpStatus(error) === 410;

export interface ReflectorEvents {
  /** A page of the (first or a later) LIST is in the store. Awaited before the second page is asked for. */
  page?(page: ListPage): void | Promise<void>;
  /** A LIST completed or a WATCH opened: the collection is live. */
  connected?(): void;
  /** A LIST or WATCH failed; the reflector tries again after `retryInMs`. */
  failed?(error: unknown, retryInMs: number): void;
}

/**
 * Lists every page into the store and removes what the store held but the list no longer has.
 * The first page (small, for the first rows) is in the store and told before more is asked for;
 * from then on each next page is asked for as soon as the current one's continue token has arrived,
 * so the API server prepares it while this one is read and indexed. On an expired continue token
 * the listing starts over (the snapshot it paged through is gone); what earlier pages put in the
 * store stays there meanwhile. Returns the resourceVersion to watch from.
 */
export async function listCollection(target: ReflectorTarget, store: ReflectorStore, events: ReflectorEvents = {}): Promise<string> {
  const pageSizes = target.pageSizes ?? PageSizes.whole;
  const seen = new Set<string>();
  const ask = (index: number, continueToken?: string): PendingPage => {
    const limit = pageSizes[Math.min(index, pageSizes.length - 1)];
    const pending = requestPage(target.kubeConfig, target.path, { labelSelector: target.labelSelector, metadataOnly: target.metadataOnly, ...(limit ? { limit } : {}), ...(continueToken ? { continueToken } : {}) });
    // Awaited in its turn; a page asked for ahead of a failure is dropped without an unhandled rejection.
    pending.page.catch(() => undefined);
    return pending;
  };
  let index = 0;
  let pending = ask(0);
  for (;;) {
    const next = index === 0 ? undefined : pending.continueToken.then((token) => (token ? ask(index + 1, token) : undefined));
    let page: ListPage;
    try {
      page = await pending.page;
    } catch (error) {
      if (index === 0 || !isGone(error)) throw error;
      index = 0;
      seen.clear();
      pending = ask(0);
      continue;
    }
    for (const object of page.items) {
      const name = object.metadata?.name;
      if (!name) continue;
      seen.add(name);
      const held = store.resourceVersion(name);
      if (held === undefined) store.put(object, 'add');
      else if (held !== object.metadata?.resourceVersion) store.put(object, 'update');
    }
    await events.page?.(page);
    const following = index === 0 ? (page.continueToken ? ask(1, page.continueToken) : undefined) : await next;
    if (!following) {
      for (const name of store.names()) if (!seen.has(name)) store.remove(name);
      return page.resourceVersion;
    }
    pending = following;
    index++;
  }
}

export class CollectionReflector {
  /** The last name the current LIST has reached; names arrive in ascending order. */
  private reached: string | undefined;
  private everListed = false;
  private stopped = false;
  private endWatch: (() => void) | undefined;
  private wake: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private abandon: (() => void) | undefined;

  constructor(
    private readonly target: ReflectorTarget,
    private readonly store: ReflectorStore,
    private readonly events: ReflectorEvents = {},
  ) {}

  /** Whether a whole LIST has been in the store at least once. */
  get listed(): boolean {
    return this.everListed;
  }

  /** Whether every object named `name` or less is in the store (listed, or reached by the LIST under way). */
  hasReached(name: string): boolean {
    return this.everListed || (this.reached !== undefined && this.reached >= name);
  }

  /** Lists, then keeps watching until stop(); resolves once the first LIST is in, rejects if it fails. */
  start(): Promise<void> {
    return new Promise((resolve, reject) => {
      // Stopped before the first LIST is in: the start fails rather than hang its caller forever.
      this.abandon = () => reject(new Error(`the listing of ${this.target.path} was stopped before it ended`));
      void this.run(resolve, reject);
    });
  }

  private async run(listed: () => void, failedFirst: (error: unknown) => void): Promise<void> {
    let resourceVersion: string | undefined;
    let failures = 0;
    let opened = 0;
    // A watch the server ends at once, again and again, must not become a busy loop.
    const pauseIfShort = async (): Promise<void> => {
      if (Date.now() - opened >= 1_000) failures = 0;
      else await this.sleep(Math.min(MaxBackoffMs, 250 * 2 ** failures++));
    };
    while (!this.stopped) {
      try {
        if (resourceVersion === undefined) {
          resourceVersion = await listCollection(this.target, this.store, { page: (page) => this.onPage(page) });
          if (this.stopped) return;
          if (!this.everListed) {
            this.everListed = true;
            listed();
          }
          this.events.connected?.();
        }
        opened = Date.now();
        resourceVersion = await this.watch(resourceVersion, () => this.events.connected?.());
        await pauseIfShort();
      } catch (error) {
        if (this.stopped) return;
        if (isGone(error)) {
          // Too old to watch from (etcd compacted it away): list again, which also finds deletions missed.
          resourceVersion = undefined;
          await pauseIfShort();
          continue;
        }
        if (!this.everListed) {
          this.stopped = true;
          failedFirst(error);
          return;
        }
        failures++;
        const retryInMs = Math.min(MaxBackoffMs, 250 * 2 ** (failures - 1));
        this.events.failed?.(error, retryInMs);
        await this.sleep(retryInMs);
      }
    }
  }

  private async onPage(page: ListPage): Promise<void> {
    const last = page.items.at(-1)?.metadata?.name;
    if (last !== undefined && (this.reached === undefined || last > this.reached)) this.reached = last;
    await this.events.page?.(page);
  }

  /** One WATCH; resolves with the resourceVersion to go on from when the server ends it, rejects on failure. */
  private watch(from: string, opened: () => void): Promise<string> {
    let resourceVersion = from;
    let failure: unknown;
    return new Promise((resolve, reject) => {
      // 4 to 5 minutes, spread so that several watches do not all end at once.
      const timeoutSeconds = 240 + Math.floor(Math.random() * 60);
      this.endWatch = openWatch(this.target.kubeConfig, this.target.path, { labelSelector: this.target.labelSelector, metadataOnly: this.target.metadataOnly, resourceVersion, timeoutSeconds }, {
        open: opened,
        event: (type, object) => {
          if (type === 'ERROR') {
            // A Status object, e.g. 410 when the resourceVersion is too old: the stream is over.
            const body = JSON.stringify(object);
            failure = new ApiException(object.code ?? 500, `HTTP-Code: ${object.code ?? 500}\nMessage: WATCH ${this.target.path} failed\nBody: ${body}`, body, {});
            this.endWatch?.();
            return;
          }
          const name = object.metadata?.name;
          const version = object.metadata?.resourceVersion;
          if (version) resourceVersion = version;
          if (type === 'BOOKMARK' || !name) return;
          if (type === 'DELETED') this.store.remove(name);
          else this.store.put(object, this.store.resourceVersion(name) === undefined ? 'add' : 'update');
        },
        close: (error) => {
          this.endWatch = undefined;
          if (failure !== undefined || error !== undefined) reject(failure ?? error);
          else resolve(resourceVersion);
        },
      });
    });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.wake = resolve;
      this.timer = setTimeout(resolve, ms);
    });
  }

  stop(): void {
    this.stopped = true;
    if (!this.everListed) this.abandon?.();
    if (this.timer) clearTimeout(this.timer);
    this.wake?.();
    this.endWatch?.();
  }
}
