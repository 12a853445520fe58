/**
 * The bench's own HTTPS client to the API server: the kubeconfig's first cluster and user, one
 * keep-alive agent, bodies as bytes. It measures the raw LISTs (what the API server must send,
 * nothing parsed) and seeds the namespace, so neither goes through the code it measures.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { parse } from 'yaml';

interface Kubeconfig {
  clusters: Array<{ cluster: { server: string; 'certificate-authority-data'?: string; 'certificate-authority'?: string } }>;
  users: Array<{ user: { 'client-certificate-data'?: string; 'client-key-data'?: string; 'client-certificate'?: string; 'client-key'?: string } }>;
}

export interface Response {
  status: number;
  bytes: number;
  body: Buffer;
}

export const MetadataListAccept = 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

export class BenchClient {
  private readonly agent: Agent;
  private readonly server: URL;

  constructor(kubeconfigPath: string, maxSockets = 64) {
    const config = parse(readFileSync(kubeconfigPath, 'utf8')) as Kubeconfig;
    const cluster = config.clusters[0]?.cluster;
    const user = config.users[0]?.user;
    if (!cluster || !user) throw new Error(`${kubeconfigPath} has no cluster or user`);
    const pem = (data: string | undefined, file: string | undefined): Buffer | undefined => (data ? Buffer.from(data, 'base64') : file ? readFileSync(file) : undefined);
    this.agent = new Agent({ keepAlive: true, maxSockets, ca: pem(cluster['certificate-authority-data'], cluster['certificate-authority']), cert: pem(user['client-certificate-data'], user['client-certificate']), key: pem(user['client-key-data'], user['client-key']) });
    this.server = new URL(cluster.server);
  }

  send(method: string, path: string, options: { body?: string; accept?: string; contentType?: string } = {}): Promise<Response> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
      if (options.body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
      const req = request({ host: this.server.hostname, port: this.server.port, path, method, agent: this.agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const body = Buffer.concat(chunks);
          resolve({ status: res.statusCode ?? 0, bytes: body.length, body });
        });
      });
      req.on('error', reject);
      req.end(options.body);
    });
  }

  /** A GET that must answer 200: the bytes received (the body is not parsed). */
  async get(path: string, accept?: string): Promise<Response> {
    const response = await this.send('GET', path, accept ? { accept } : {});
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${response.body.toString().slice(0, 200)}`);
    return response;
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `work` over `items` with at most `concurrency` at once. */
export async function pool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await work(item);
      }
    }),
  );
}
