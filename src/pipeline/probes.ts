import { createHash } from 'node:crypto';
import { Socket } from 'node:net';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  /** True when the connection goes through Docker's userland proxy (a published port). */
  readonly proxied: boolean;
}

export interface TcpOutcome {
  readonly ok: boolean;
  readonly error?: string;
}

/**
 * Does something accept connections at the endpoint? Through Docker's userland proxy a
 * connect always succeeds, and the proxy closes it at once when nothing listens behind it;
 * so a proxied connection only counts once it has stayed open (or sent data) for a moment.
 */
export function tcpProbe(ep: Endpoint, timeoutMs: number): Promise<TcpOutcome> {
  return new Promise((resolve) => {
    const sock = new Socket();
    let done = false;
    const finish = (o: TcpOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => finish({ ok: false, error: 'timeout' }), timeoutMs);
    sock.once('error', (e: NodeJS.ErrnoException) => finish({ ok: false, error: e.code ?? e.message }));
    sock.once('data', () => finish({ ok: true }));
    sock.once('close', () => finish({ ok: false, error: 'closed' }));
    sock.connect(ep.port, ep.host, () => {
      if (!ep.proxied) finish({ ok: true });
      else setTimeout(() => finish({ ok: true }), 300);
    });
  });
}

export interface HttpOutcome {
  /** Set when the peer answered with an HTTP status line. */
  readonly status?: number;
  readonly bodySha256?: string;
  readonly error?: string;
}

const MAX_RESPONSE = 1 << 20;
const HTTP_PREFIX = Buffer.from('HTTP/');

/** True once a response with Content-Length has all its body. */
function complete(buf: Buffer): boolean {
  const sep = buf.indexOf('\r\n\r\n');
  if (sep < 0) return false;
  const m = /\r\ncontent-length:\s*(\d+)/i.exec(buf.subarray(0, sep).toString('latin1'));
  return m !== null && buf.length - (sep + 4) >= Number(m[1]);
}

/**
 * A plain `GET / HTTP/1.0` over a socket. HTTP/1.0 without a Host header on purpose: any HTTP
 * server answers it, and non-HTTP servers see no "Host:" line (redis logs one as an attack).
 */
export function httpProbe(ep: Endpoint, timeoutMs: number): Promise<HttpOutcome> {
  return new Promise((resolve) => {
    const sock = new Socket();
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(parseHttpResponse(Buffer.concat(chunks)));
    };
    const timer = setTimeout(finish, timeoutMs);
    sock.on('data', (b: Buffer) => {
      chunks.push(b);
      size += b.length;
      // Not HTTP (redis answers "-ERR ..."), or done: no need to wait for the peer to close.
      if (size > MAX_RESPONSE || (size >= 5 && !Buffer.concat(chunks).subarray(0, 5).equals(HTTP_PREFIX))) finish();
      else if (complete(Buffer.concat(chunks))) finish();
    });
    sock.once('end', finish);
    sock.once('close', finish);
    sock.once('error', (e: NodeJS.ErrnoException) => {
      if (!done && chunks.length === 0) {
        done = true;
        clearTimeout(timer);
        resolve({ error: e.code ?? e.message });
      } else finish();
    });
    sock.connect(ep.port, ep.host, () => {
      sock.write('GET / HTTP/1.0\r\nUser-Agent: ro-profile\r\nAccept: */*\r\n\r\n');
    });
  });
}

export function parseHttpResponse(buf: Buffer): HttpOutcome {
  const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(buf.subarray(0, 32).toString('latin1'));
  if (!m) return { error: buf.length === 0 ? 'no response' : 'not HTTP' };
  const sep = buf.indexOf('\r\n\r\n');
  const body = sep >= 0 ? buf.subarray(sep + 4) : Buffer.alloc(0);
  return { status: Number(m[1]), bodySha256: createHash('sha256').update(body).digest('hex') };
}
