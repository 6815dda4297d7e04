import type { Duplex } from 'node:stream';
import type { ExerciseStep } from '../model/exercise-profile.js';
import { connectTo, errorText, type Endpoint } from './probes.js';

/** A step's outcome as the exercise records it: an exit code and what it printed. */
export interface StepOutcome {
  /** What the step did, in words (the record's `command`). */
  readonly label: string;
  /** 0 when it got what it expected; for HTTP the status itself, so runs compare status by status. */
  readonly exitCode: number;
  readonly output: string;
  readonly ok: boolean;
}

/** How a step is named in records and messages. */
export function stepLabel(s: Extract<ExerciseStep, { kind: 'http' | 'tcp' }>): string {
  if (s.kind === 'http') return `HTTP ${s.method} :${s.port}${s.path}${s.upload ? ` (a ${s.bodyBytes}-byte upload)` : s.bodyBytes > 0 ? ` (${s.bodyBytes}-byte body)` : ''}`;
  return `TCP :${s.port} ${JSON.stringify(s.send)}`;
}

const MAX_REPLY = 64 * 1024;

/** The final response of a reply: interim `1xx` ones (100 Continue) skipped. */
function finalResponse(reply: string): string {
  let r = reply;
  while (/^HTTP\/\d(?:\.\d)? 1\d\d/.test(r) && r.includes('\r\n\r\n')) r = r.slice(r.indexOf('\r\n\r\n') + 4);
  return r;
}

/** How long a request with a body waits for "100 Continue" (or an early answer) before it sends the body anyway, as curl does. */
const CONTINUE_WAIT_MS = 1000;

/**
 * An HTTP/1.1 request with Connection: close; the outcome is the status (the body is not kept:
 * what the app wrote on the way is what counts). A body is sent in 64 KiB chunks of "x" after
 * `Expect: 100-continue`, as curl sends one: a server that refuses on the headers alone (a proxy's
 * 400, a 413) answers before the body, instead of resetting the connection under it.
 */
export function httpStep(ep: Endpoint, s: Extract<ExerciseStep, { kind: 'http' }>, timeoutMs: number): Promise<StepOutcome> {
  const label = stepLabel(s);
  return exchange(ep, timeoutMs, (sock) => {
    const headers: Record<string, string> = { Host: `localhost:${s.port}`, 'User-Agent': 'ro-profile', Accept: '*/*', Connection: 'close' };
    // An upload: one file part of a multipart form, as a browser sends it.
    const boundary = 'ro-profile-upload-boundary';
    const pre = s.upload ? Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${s.upload.field}"; filename="${s.upload.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`) : Buffer.alloc(0);
    const post = s.upload ? Buffer.from(`\r\n--${boundary}--\r\n`) : Buffer.alloc(0);
    const length = pre.length + s.bodyBytes + post.length;
    if (length > 0 || s.method === 'POST' || s.method === 'PUT') {
      headers['Content-Length'] = String(length);
      headers['Content-Type'] = s.upload ? `multipart/form-data; boundary=${boundary}` : 'application/octet-stream';
    }
    if (length > 0) headers['Expect'] = '100-continue';
    Object.assign(headers, s.headers);
    sock.write(`${s.method} ${s.path} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    if (length > 0) void sendBodyOnContinue(sock, pre, s.bodyBytes, post);
  }, (reply) => /^HTTP\/\d(?:\.\d)? \d{3}/.test(finalResponse(reply)) && finalResponse(reply).includes('\r\n\r\n')).then((r) => {
    const m = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(finalResponse(r.reply));
    if (!m) return { label, exitCode: 1, output: r.error ? `no HTTP answer: ${r.error}` : 'no HTTP answer', ok: false };
    const status = Number(m[1]);
    return { label, exitCode: status, output: `HTTP ${status}`, ok: status === s.expectStatus };
  });
}

/** Sends the bytes and reads until the reply matches `expect` (or the peer closes, or time runs out). */
export function tcpStep(ep: Endpoint, s: Extract<ExerciseStep, { kind: 'tcp' }>, timeoutMs: number): Promise<StepOutcome> {
  const expect = new RegExp(s.expect);
  return exchange(ep, timeoutMs, (sock) => sock.write(s.send), (reply) => expect.test(reply)).then((r) => {
    const m = expect.exec(r.reply);
    // What matched, not the whole reply: a server's counters and times would differ run to run.
    return { label: stepLabel(s), exitCode: m ? 0 : 1, output: m ? m[0] : `${r.reply.slice(0, 4096)}${r.error ? `(${r.error})` : ''}`, ok: m !== null };
  });
}

/**
 * Waits for "100 Continue" (or CONTINUE_WAIT_MS, for a server that ignores Expect), then sends
 * `pre`, `bytes` of "x" in 64 KiB chunks as the socket drains, and `post`; stops as soon as a
 * final answer has come (the server refused on the headers).
 */
async function sendBodyOnContinue(sock: Duplex, pre: Buffer, bytes: number, post: Buffer): Promise<void> {
  let reply = '';
  const onData = (b: Buffer) => void (reply += b.toString('latin1'));
  sock.on('data', onData);
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, CONTINUE_WAIT_MS);
    const check = () => {
      if (reply.includes('\r\n\r\n') || sock.destroyed) {
        clearTimeout(timer);
        sock.off('data', check);
        resolve();
      }
    };
    sock.on('data', check);
    sock.once('close', check);
  });
  const answered = () => sock.destroyed || finalResponse(reply).length > 0;
  // One listener for the close, whatever the number of chunks (a listener per wait would pile up).
  const closed = new Promise<void>((resolve) => sock.once('close', resolve));
  const write = async (b: Buffer) => {
    if (!sock.write(b)) await Promise.race([new Promise<void>((resolve) => sock.once('drain', resolve)), closed]);
  };
  try {
    if (answered()) return;
    await write(pre);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let left = bytes; left > 0 && !answered(); left -= chunk.length) await write(left >= chunk.length ? chunk : chunk.subarray(0, left));
    if (!answered()) await write(post);
  } finally {
    sock.off('data', onData);
  }
}

function exchange(ep: Endpoint, timeoutMs: number, send: (s: Duplex) => void, done: (reply: string) => boolean): Promise<{ reply: string; error?: string }> {
  return new Promise((resolve) => {
    let reply = '';
    let finished = false;
    const finish = (error?: string) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ reply, ...(error ? { error } : {}) });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    const sock = connectTo(ep, () => send(sock));
    sock.on('data', (b: Buffer) => {
      if (reply.length < MAX_REPLY) reply += b.toString('latin1');
      if (done(reply)) finish();
    });
    sock.once('end', () => finish());
    sock.once('close', () => finish());
    sock.once('error', (e: NodeJS.ErrnoException) => finish(errorText(e)));
  });
}
