import { createServer as createHttpServer, type RequestListener } from 'node:http';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/** A server on 127.0.0.1 that a test owns; `await using` closes it and every open socket. */
export interface LocalServer extends AsyncDisposable {
  readonly port: number;
  /** Requests (HTTP) or first data chunks (TCP) the server saw, as text. */
  readonly seen: string[];
}

async function listen(server: Server, sockets: Set<Socket>, seen: string[]): Promise<LocalServer> {
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    seen,
    async [Symbol.asyncDispose]() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A raw TCP server; `onSocket` decides what each connection gets. */
export function tcpServer(onSocket: (socket: Socket, seen: string[]) => void): Promise<LocalServer> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  return listen(createServer((s) => onSocket(s, seen)), sockets, seen);
}

export function httpServer(handler: RequestListener): Promise<LocalServer> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttpServer((req, res) => {
    seen.push(`${req.method} ${req.url} HTTP/${req.httpVersion} host=${req.headers.host ?? '-'}`);
    handler(req, res);
  });
  return listen(server, sockets, seen);
}

/** A port on 127.0.0.1 that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
