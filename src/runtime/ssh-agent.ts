import { Agent } from 'node:http';
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Client, type ConnectConfig } from 'ssh2';

/**
 * An http.Agent that carries every Docker API request over one SSH connection, on channels that
 * each run `docker system dial-stdio` on the far side (as the docker CLI's ssh:// helper does)
 * and are kept alive for request after request. docker-modem's own ssh:// support opens a new
 * SSH connection, login and dial-stdio for every request: a profile makes hundreds, and it took
 * minutes. With no request in flight for IDLE_MS the connection is closed (the next request opens
 * another), so it never keeps the CLI from exiting.
 */
const IDLE_MS = 300;
const noop = function (this: unknown) {
  return this;
};

export function sshAgent(config: ConnectConfig): Agent {
  let conn: Promise<Client> | undefined;
  let idle: NodeJS.Timeout | undefined;
  /** Channels with a request in flight (a pooled channel is idle; a hijacked one stays busy until it closes). */
  const busy = new Set<Duplex>();
  const settle = () => {
    clearTimeout(idle);
    if (busy.size > 0) return;
    idle = setTimeout(() => {
      if (busy.size === 0) void conn?.then((c) => c.end(), () => undefined);
    }, IDLE_MS);
  };
  const connect = (): Promise<Client> =>
    (conn ??= new Promise<Client>((resolve, reject) => {
      const c = new Client();
      const sock = new Socket();
      c.once('ready', () => resolve(c));
      c.once('error', (e) => {
        conn = undefined;
        reject(e);
      });
      c.once('close', () => {
        conn = undefined;
      });
      sock.connect(Number(config.port ?? 22), config.host ?? 'localhost');
      c.connect({ ...config, sock });
    }));
  const agent = new Agent({ keepAlive: true, maxFreeSockets: 4 });
  const pool = agent as unknown as {
    createConnection: (o: unknown, cb: (e: Error | null, s?: Duplex) => void) => undefined;
    keepSocketAlive: (s: Duplex) => boolean;
    reuseSocket: (s: Duplex, ...rest: unknown[]) => void;
  };
  pool.createConnection = (_o, cb) => {
    clearTimeout(idle);
    connect().then(
      (c) =>
        c.exec('docker system dial-stdio', (err, stream) => {
          if (err) return cb(err);
          busy.add(stream);
          // What Node's pool calls on a socket and a channel lacks: the idle timer does their work.
          Object.assign(stream, { ref: noop, unref: noop, setKeepAlive: noop, setTimeout: noop });
          stream.once('close', () => {
            busy.delete(stream);
            settle();
          });
          cb(null, stream);
        }),
      (e: unknown) => cb(e instanceof Error ? e : new Error(String(e))),
    );
    return undefined;
  };
  const { keepSocketAlive, reuseSocket } = pool;
  pool.keepSocketAlive = (s) => {
    busy.delete(s);
    settle();
    return keepSocketAlive.call(agent, s);
  };
  pool.reuseSocket = (s, ...rest: unknown[]) => {
    clearTimeout(idle);
    busy.add(s);
    (reuseSocket as (...a: unknown[]) => void).call(agent, s, ...rest);
  };
  return agent;
}
