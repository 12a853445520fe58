/**
 * The two requests a collection is read with: one page of a label-selected LIST, and a WATCH from
 * a resourceVersion, both as the API server's plain JSON, optionally as metadata only (the
 * `as=PartialObjectMetadata[List];g=meta.k8s.io;v=v1` content type client-go's metadata informers
 * ask for, with plain JSON as the fallback a server without it answers with).
 *
 * Why not client-node's typed clients and informers: its deserialisation (a class instance per
 * nested object, a Date per timestamp) cost half again as much as the request at 10,000 revisions;
 * its informer neither pages a LIST nor asks for metadata; and its Watch takes no Accept header.
 * Authentication, TLS and proxies come from the kubeconfig exactly as for every other call
 * (KubeConfig.applyToHTTPSOptions), and failures are the same ApiException the generated clients
 * throw, so describeKubeError words them alike.
 */
import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';
import type { CollectionObject } from '../core/kube/namespaceIndex';

/** A LIST page that takes longer than this is reported as a timeout rather than left hanging. */
export const ListTimeoutMs = 60_000;

const MetadataListAccept = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';
const MetadataWatchAccept = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1,application/json';

export interface ListPageRequest {
  labelSelector: string;
  metadataOnly: boolean;
  limit?: number;
  continueToken?: string;
}

export interface ListPage {
  items: CollectionObject[];
  /** The snapshot the page belongs to: a watch from here misses nothing. */
  resourceVersion: string;
  /** Set when more pages follow. */
  continueToken?: string;
  /** Bytes of the response body. */
  bytes: number;
}

interface Sent {
  response: IncomingMessage;
  url: URL;
}

async function send(kubeConfig: KubeConfig, path: string, query: Record<string, string | undefined>, accept: string, timeoutMs: number, abort?: AbortSignal): Promise<Sent> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error("The kubeconfig's current context names no cluster server.");
  const url = new URL(server.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
  const options: RequestOptions = { method: 'GET', headers: { accept }, timeout: timeoutMs, ...(abort ? { signal: abort } : {}) };
  await kubeConfig.applyToHTTPSOptions(options);
  const request = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, options, (response) => resolve({ response, url }));
    req.on('timeout', () => req.destroy(Object.assign(new Error(`GET ${url.pathname} got no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

function readBody(response: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('error', reject);
    response.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** A non-2xx answer as client-node's ApiException (status, Status body), as every other call fails. */
function apiException(verb: string, url: URL, response: IncomingMessage, body: string): ApiException<string> {
  const status = response.statusCode ?? 0;
  const headers = Object.fromEntries(Object.entries(response.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
  return new ApiException(status, `HTTP-Code: ${status}\nMessage: ${verb} ${url.pathname} failed\nBody: ${body}`, body, headers);
}

/**
 * The tree never reads managedFields, often the larger half of an object's metadata: dropped as
 * soon as an object arrives (set to undefined rather than deleted, which keeps V8's fast shape).
 */
export function dropManagedFields(object: CollectionObject): CollectionObject {
  if (object.metadata?.managedFields) object.metadata.managedFields = undefined as never;
  return object;
}

/** A LIST page on its way: the continue token arrives with the first bytes, the page with the last. */
export interface PendingPage {
  /** The token of the page after this one (undefined on the last page), known before the body has all arrived. */
  continueToken: Promise<string | undefined>;
  page: Promise<ListPage>;
}

/**
 * The list's own metadata comes first in the API server's JSON (`{"kind":…,"metadata":{…,
 * "continue":"…"},"items":[…`), so the token to ask for the next page is read from the head of the
 * body, and the next request can go out while this body is still arriving and being parsed.
 */
const ItemsKey = '"items":';
const ContinueInHead = /"continue":"([^"]+)"/;
const HeadBytes = 64 * 1024;

function parsePage(url: URL, body: Buffer): ListPage {
  let list: { metadata?: { resourceVersion?: string; continue?: string }; items?: CollectionObject[] };
  try {
    list = JSON.parse(body.toString('utf8')) as typeof list;
  } catch (error) {
    throw new Error(`LIST ${url.pathname}: the API server answered with something that is not JSON (${(error as Error).message}).`, { cause: error });
  }
  const items = (list.items ?? []).map(dropManagedFields);
  const continueToken = list.metadata?.continue;
  return { items, resourceVersion: list.metadata?.resourceVersion ?? '', bytes: body.length, ...(continueToken ? { continueToken } : {}) };
}

/** Asks for one page of a label-selected LIST. */
export function requestPage(kubeConfig: KubeConfig, path: string, page: ListPageRequest): PendingPage {
  let tellToken: (token: string | undefined) => void = () => undefined;
  const continueToken = new Promise<string | undefined>((resolve) => (tellToken = resolve));
  const query = { labelSelector: page.labelSelector, limit: page.limit === undefined ? undefined : String(page.limit), continue: page.continueToken };
  const listed = (async (): Promise<ListPage> => {
    const { response, url } = await send(kubeConfig, path, query, page.metadataOnly ? MetadataListAccept : 'application/json', ListTimeoutMs);
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) throw apiException('LIST', url, response, (await readBody(response)).toString('utf8'));
    let head = '';
    let headRead = false;
    response.on('data', (chunk: Buffer) => {
      if (headRead) return;
      head += chunk.toString('latin1');
      const items = head.indexOf(ItemsKey);
      // Not in the head after 64 KiB (a server that orders differently): the parsed page tells.
      if (items === -1 && head.length < HeadBytes) return;
      headRead = true;
      if (items !== -1) tellToken(ContinueInHead.exec(head.slice(0, items))?.[1]);
    });
    const parsed = parsePage(url, await readBody(response));
    tellToken(parsed.continueToken);
    return parsed;
  })();
  listed.catch(() => tellToken(undefined));
  return { continueToken, page: listed };
}

/** One page of a label-selected LIST. */
export function listPage(kubeConfig: KubeConfig, path: string, page: ListPageRequest): Promise<ListPage> {
  return requestPage(kubeConfig, path, page).page;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchHandlers {
  /** The stream is open (the API server answered 200). */
  open(): void;
  event(type: WatchEventType, object: CollectionObject & { code?: number; reason?: string; message?: string }, bytes: number): void;
  /** The stream ended: cleanly (undefined; the server's timeoutSeconds passed) or with an error. */
  close(error?: unknown): void;
}

export interface WatchRequest {
  labelSelector: string;
  metadataOnly: boolean;
  resourceVersion: string;
  /** The API server ends the watch after this long; the caller watches again from where it got. */
  timeoutSeconds: number;
}

/** A WATCH from a resourceVersion, with bookmarks; returns a function that ends it. */
export function openWatch(kubeConfig: KubeConfig, path: string, watch: WatchRequest, handlers: WatchHandlers): () => void {
  const abort = new AbortController();
  let closed = false;
  const close = (error?: unknown): void => {
    if (closed) return;
    closed = true;
    abort.abort();
    handlers.close(error);
  };
  const query = { watch: '1', labelSelector: watch.labelSelector, resourceVersion: watch.resourceVersion, allowWatchBookmarks: 'true', timeoutSeconds: String(watch.timeoutSeconds) };
  // Silence longer than the server's own timeout (plus a minute's grace) means a dead connection.
  send(kubeConfig, path, query, watch.metadataOnly ? MetadataWatchAccept : 'application/json', (watch.timeoutSeconds + 60) * 1000, abort.signal)
    .then(async ({ response, url }) => {
      const status = response.statusCode ?? 0;
      if (status < 200 || status > 299) {
        close(apiException('WATCH', url, response, (await readBody(response)).toString('utf8')));
        return;
      }
      handlers.open();
      let pending = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        pending += chunk;
        let newline = pending.indexOf('\n');
        while (newline !== -1 && !closed) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          newline = pending.indexOf('\n');
          if (line.trim() === '') continue;
          try {
            const event = JSON.parse(line) as { type: WatchEventType; object: CollectionObject };
            handlers.event(event.type, dropManagedFields(event.object), Buffer.byteLength(line) + 1);
          } catch (error) {
            close(new Error(`WATCH ${url.pathname}: the API server sent something that is not a JSON event (${(error as Error).message}).`));
          }
        }
      });
      response.on('error', (error) => close(error));
      response.on('end', () => close());
      response.on('close', () => close());
    })
    .catch((error: unknown) => close(error));
  return () => close();
}
