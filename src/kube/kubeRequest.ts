/**
 * A GET to the API server that the generated clients do not serve well: a log followed for
 * minutes (client-node's Log pipes into the caller's stream without an error listener, so an
 * abort surfaces as an uncaught AbortError) and the metrics API (client-node's Metrics turns the
 * aggregator's plain-text 503 into a 500 "not valid JSON"). Authentication, TLS and proxies come
 * from the kubeconfig exactly as for every other call (KubeConfig.applyToHTTPSOptions), and a
 * refusal is the same ApiException the generated clients throw, so describeKubeError words it.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { ApiException, type KubeConfig } from '@kubernetes/client-node';

export type Query = Record<string, string | number | boolean | undefined>;

export interface StreamHandle {
  /** Settles when the response ended (resolved), failed (rejected), or was aborted (resolved). */
  readonly done: Promise<void>;
  abort(): void;
}

/** How long a request may wait for the response's headers. A followed log then streams without a limit. */
export const ConnectTimeoutMs = 30_000;

async function open(kubeConfig: KubeConfig, path: string, query: Query): Promise<{ url: URL; options: RequestOptions }> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error("The kubeconfig's current context names no cluster server.");
  const url = new URL(server.replace(/\/+$/, '') + path);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
  const options: RequestOptions = { method: 'GET', headers: { accept: 'application/json, */*' } };
  await kubeConfig.applyToHTTPSOptions(options);
  return { url, options };
}

function refusal(res: IncomingMessage, url: URL, body: string): ApiException<string> {
  const status = res.statusCode ?? 0;
  const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
  return new ApiException(status, `HTTP-Code: ${status}\nMessage: GET ${url.pathname} failed\nBody: ${body}`, body, headers);
}

/**
 * Streams a response's text to `onText` as it arrives; `onOpen` once the server accepted (2xx).
 * A non-2xx answer rejects `done` with an ApiException carrying the status and the body.
 */
export function streamGet(kubeConfig: KubeConfig, path: string, query: Query, onText: (text: string) => void, onOpen?: () => void): StreamHandle {
  let aborted = false;
  let req: ReturnType<typeof httpRequest> | undefined;
  const done = (async () => {
    const { url, options } = await open(kubeConfig, path, query);
    if (aborted) return;
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    await new Promise<void>((resolve, reject) => {
      const settle = (error?: unknown): void => (aborted || !error ? resolve() : reject(error as Error));
      req = send(url, options, (res) => {
        req?.setTimeout(0);
        res.setEncoding('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          let body = '';
          res.on('data', (chunk: string) => (body += chunk.slice(0, 64 * 1024)));
          res.on('end', () => settle(refusal(res, url, body)));
          res.on('error', settle);
          return;
        }
        onOpen?.();
        res.on('data', (chunk: string) => {
          if (!aborted) onText(chunk);
        });
        res.on('end', () => settle());
        res.on('aborted', () => settle(Object.assign(new Error('the API server closed the stream'), { code: 'ECONNRESET' })));
        res.on('error', settle);
      });
      req.setTimeout(ConnectTimeoutMs, () => req?.destroy(Object.assign(new Error(`GET ${url.pathname} got no answer within ${ConnectTimeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
      req.on('error', settle);
      req.end();
    });
  })();
  return {
    done,
    abort: () => {
      aborted = true;
      req?.destroy();
    },
  };
}

/** A GET whose whole body is returned as text (a log read once). */
export async function getText(kubeConfig: KubeConfig, path: string, query: Query = {}): Promise<string> {
  let text = '';
  await streamGet(kubeConfig, path, query, (chunk) => (text += chunk)).done;
  return text;
}

/** A GET of JSON. */
export async function getJson<T>(kubeConfig: KubeConfig, path: string, query: Query = {}): Promise<T> {
  const text = await getText(kubeConfig, path, query);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new Error(`GET ${path}: the API server answered with something that is not JSON (${(error as Error).message}).`, { cause: error });
  }
}
