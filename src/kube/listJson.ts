/**
 * Label-selected LIST calls returned as the API server's plain JSON. The tree only reads a few
 * fields of each object, and client-node's typed deserialisation (a class instance per nested
 * object, Date per timestamp) cost half again as much as the request itself at 10,000 revisions.
 * Plain JSON is also what the watch delivers, so cached objects have one shape whichever way they
 * arrived. Authentication, TLS and proxies come from the kubeconfig exactly as for every other
 * call (KubeConfig.applyToHTTPSOptions), and failures are the same ApiException the generated
 * clients throw, so describeKubeError words them alike.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { ApiException, type KubeConfig, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';

/** A LIST that takes longer than this is reported as a timeout rather than left hanging. */
export const ListTimeoutMs = 60_000;

export async function listJson<T extends KubernetesObject>(kubeConfig: KubeConfig, path: string, labelSelector: string): Promise<KubernetesListObject<T>> {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) throw new Error('The kubeconfig\'s current context names no cluster server.');
  const url = new URL(server.replace(/\/+$/, '') + path);
  url.searchParams.set('labelSelector', labelSelector);
  const options: RequestOptions = { method: 'GET', headers: { accept: 'application/json' }, timeout: ListTimeoutMs };
  await kubeConfig.applyToHTTPSOptions(options);
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status > 299) {
          const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v ?? '')]));
          reject(new ApiException(status, `HTTP-Code: ${status}\nMessage: LIST ${url.pathname} failed\nBody: ${body}`, body, headers));
          return;
        }
        try {
          resolve(JSON.parse(body) as KubernetesListObject<T>);
        } catch (error) {
          reject(new Error(`LIST ${url.pathname}: the API server answered with something that is not JSON (${(error as Error).message}).`));
        }
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error(`LIST ${url.pathname} got no answer within ${ListTimeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
    req.on('error', reject);
    req.end();
  });
}

