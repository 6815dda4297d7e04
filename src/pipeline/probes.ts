import { createHash } from 'node:crypto';
import { Socket } from 'node:net';
import { Duplex } from 'node:stream';

export interface Endpoint {
  readonly host: string;
  readonly port: number;
  /** True when the connection goes through Docker's userland proxy (a published port) or a relay. */
  readonly proxied: boolean;
  /** Set when this machine cannot reach the container: a stream through the engine's relay instead of a socket. */
  readonly open?: () => Promise<Duplex>;
}

/**
 * A connection to the endpoint: a socket from here, or the relay's stream. Returned at once
 * (listeners go on it before anything can happen); `onOpen` runs once it can be written to.
 */
export function connectTo(ep: Endpoint, onOpen: () => void): Duplex {
  if (!ep.open) {
    const sock = new Socket();
    sock.connect(ep.port, ep.host, onOpen);
    return sock;
  }
  return deferred(ep.open(), onOpen);
}

/** A Duplex that stands for one still being opened: writes wait for it, its data and end come through. */
function deferred(opening: Promise<Duplex>, onOpen: () => void): Duplex {
  let inner: Duplex | undefined;
  const pending: { chunk: unknown; enc: BufferEncoding; cb: (e?: Error | null) => void }[] = [];
  const d = new Duplex({
    read() {
      inner?.resume();
    },
    write(chunk, enc, cb) {
      if (inner) inner.write(chunk, enc, cb);
      else pending.push({ chunk, enc, cb });
    },
    destroy(err, cb) {
      inner?.destroy();
      cb(err);
    },
  });
  opening.then(
    (s) => {
      if (d.destroyed) return void s.destroy();
      inner = s;
      s.on('data', (b: Buffer) => {
        if (!d.push(b)) s.pause();
      });
      s.once('end', () => d.push(null));
      s.once('close', () => d.destroy());
      s.once('error', (e) => d.destroy(e));
      for (const p of pending.splice(0)) s.write(p.chunk, p.enc, p.cb);
      onOpen();
    },
    (e: unknown) => d.destroy(e instanceof Error ? e : new Error(String(e))),
  );
  return d;
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
    let done = false;
    const finish = (o: TcpOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(o);
    };
    const timer = setTimeout(() => finish({ ok: false, error: 'timeout' }), timeoutMs);
    const sock = connectTo(ep, () => {
      if (!ep.proxied) finish({ ok: true });
      else setTimeout(() => finish({ ok: true }), 300);
    });
    sock.once('error', (e: NodeJS.ErrnoException) => finish({ ok: false, error: errorText(e) }));
    sock.once('data', () => finish({ ok: true }));
    sock.once('close', () => finish({ ok: false, error: 'closed' }));
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
    const sock = connectTo(ep, () => {
      sock.write('GET / HTTP/1.0\r\nUser-Agent: ro-profile\r\nAccept: */*\r\n\r\n');
    });
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
        resolve({ error: errorText(e) });
      } else finish();
    });
  });
}

/** A socket's errno code; a relay's failure (no errno) by its message. */
export function errorText(e: NodeJS.ErrnoException): string {
  return typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) ? e.code : e.message;
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
