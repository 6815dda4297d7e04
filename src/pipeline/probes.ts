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
  /** SHA-256 of the body with what changes by itself masked (see `bodyShape`). */
  readonly bodyShapeSha256?: string;
  /** The Content-Type header, lower-cased, parameters kept (`text/html; charset=utf-8`). */
  readonly contentType?: string;
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
  const head = (sep >= 0 ? buf.subarray(0, sep) : buf).toString('latin1');
  const type = /\r\ncontent-type:[ \t]*([^\r\n]*)/i.exec(head)?.[1]?.trim().toLowerCase();
  return {
    status: Number(m[1]),
    bodySha256: sha256(body),
    bodyShapeSha256: sha256(bodyShape(body.toString('latin1'))),
    ...(type ? { contentType: type } : {}),
  };
}

const WEEKDAYS_MONTHS = /\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b/g;

/**
 * A page with what changes between two requests by itself masked: digit runs (times, dates,
 * counters, ports, request ids), hex runs of 8 or more (container ids, hashes, nonces), day and
 * month names, and runs of white space. Two pages of the same shape differ only in those: an
 * error page that embeds the time and the hostname has one shape, the default page and the
 * app's own page have two.
 */
export function bodyShape(text: string): string {
  return text
    .replace(/\b[0-9a-f]{8,}\b/gi, 'H')
    .replace(/\d+/g, 'N')
    .replace(WEEKDAYS_MONTHS, 'W')
    .replace(/\s+/g, ' ')
    .trim();
}

function sha256(b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex');
}
