/**
 * A local port that reaches a revision's server through the API server's port-forward
 * (`pods/portforward`, as `kubectl port-forward` does): each connection to 127.0.0.1:<port> is
 * its own stream to a ready pod of the revision, found when the connection opens, so a pod
 * replaced by a rollout or a scale-down does not break the forward.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { PassThrough } from 'node:stream';
import { PortForward, type KubeConfig } from '@kubernetes/client-node';

export interface LocalForward {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Stops listening and ends every open connection. */
  close(): Promise<void>;
  /** Called once when a connection could not be forwarded (no ready pod, forbidden…); the forward itself stays. */
  onProblem(listener: (error: unknown) => void): void;
}

export interface ForwardTarget {
  namespace: string;
  /** A ready pod to forward the next connection to; throws when there is none. */
  pod(): Promise<string>;
  port: number;
}

export async function forwardToLocalPort(kubeConfig: KubeConfig, target: ForwardTarget): Promise<LocalForward> {
  const forward = new PortForward(kubeConfig);
  const sockets = new Set<Socket>();
  const problemListeners: Array<(error: unknown) => void> = [];
  const problem = (error: unknown): void => {
    for (const listener of problemListeners) listener(error);
  };
  const connect = async (socket: Socket): Promise<void> => {
    const fromPod = new PassThrough();
    fromPod.pipe(socket);
    const pod = await target.pod();
    const opened = await forward.portForward(target.namespace, pod, [target.port], fromPod, null, socket);
    const ws = typeof opened === 'function' ? opened() : opened;
    if (!ws) throw new Error(`the API server opened no stream to pod "${pod}"`);
    socket.on('close', () => ws.close());
    ws.on('close', () => socket.end());
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    connect(socket).catch((error: unknown) => {
      socket.destroy();
      problem(error);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('could not listen on a local port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
    onProblem: (listener) => {
      problemListeners.push(listener);
    },
  };
}
