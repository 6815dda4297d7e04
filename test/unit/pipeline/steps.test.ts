import { createServer as createHttp } from 'node:http';
import { createServer as createTcp, type AddressInfo, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpStep, tcpStep } from '../../../src/pipeline/steps.js';

let http: Server;
let tcp: Server;
const seen: { method: string | undefined; url: string | undefined; bytes: number; header: string | undefined }[] = [];
const port = (s: Server) => (s.address() as AddressInfo).port;
const ep = (s: Server) => ({ host: '127.0.0.1', port: port(s), proxied: false });

beforeAll(async () => {
  http = createHttp((req, res) => {
    let bytes = 0;
    req.on('data', (b: Buffer) => (bytes += b.length));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, bytes, header: req.headers['x-test'] as string | undefined });
      res.statusCode = req.method === 'POST' ? 201 : req.url === '/' ? 200 : 404;
      res.end('body');
    });
  });
  tcp = createTcp((sock) => sock.on('data', (b) => sock.write(b.toString().startsWith('PING') ? '+PONG\r\n' : '-ERR\r\n')));
  await Promise.all([new Promise<void>((r) => http.listen(0, '127.0.0.1', r)), new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r))]);
});
afterAll(() => {
  http.close();
  tcp.close();
});

describe('httpStep', () => {
  it('sends the method, path, headers and a body of the size asked; the outcome is the status', async () => {
    const r = await httpStep(ep(http), { kind: 'http', port: port(http), method: 'POST', path: '/upload', bodyBytes: 200_000, headers: { 'X-Test': 'yes' }, expectStatus: 201 }, 5000);
    expect(r).toEqual({ label: `HTTP POST :${port(http)}/upload (200000-byte body)`, exitCode: 201, output: 'HTTP 201', ok: true });
    expect(seen.at(-1)).toEqual({ method: 'POST', url: '/upload', bytes: 200_000, header: 'yes' });
  });

  it('another status than expected is not ok', async () => {
    const r = await httpStep(ep(http), { kind: 'http', port: port(http), method: 'GET', path: '/nope', bodyBytes: 0, headers: {}, expectStatus: 200 }, 5000);
    expect(r).toMatchObject({ exitCode: 404, output: 'HTTP 404', ok: false });
  });

  it('a server that refuses on the headers alone (Expect: 100-continue): its answer is read, and no body is sent into the reset', async () => {
    let afterHead = 0;
    const early = createTcp((sock) => {
      let head = '';
      sock.on('data', (b) => {
        if (head.includes('\r\n\r\n')) return void (afterHead += b.length);
        head += b.toString('latin1');
        if (!head.includes('\r\n\r\n')) return;
        expect(head).toContain('Expect: 100-continue');
        sock.write('HTTP/1.1 413 Payload Too Large\r\nContent-Length: 0\r\n\r\n', () => setTimeout(() => sock.resetAndDestroy(), 300));
      });
    });
    await new Promise<void>((r) => early.listen(0, '127.0.0.1', r));
    try {
      const r = await httpStep(ep(early), { kind: 'http', port: port(early), method: 'POST', path: '/', bodyBytes: 8 << 20, headers: {}, expectStatus: 413 }, 5000);
      expect(r).toMatchObject({ exitCode: 413, output: 'HTTP 413', ok: true });
      expect(afterHead).toBe(0);
    } finally {
      early.close();
    }
  });

  it('no server: not ok, saying why', async () => {
    const r = await httpStep({ host: '127.0.0.1', port: 1, proxied: false }, { kind: 'http', port: 1, method: 'GET', path: '/', bodyBytes: 0, headers: {}, expectStatus: 200 }, 2000);
    expect(r).toMatchObject({ exitCode: 1, ok: false, output: 'no HTTP answer: ECONNREFUSED' });
  });
});

describe('tcpStep', () => {
  it('records what matched, not the whole reply', async () => {
    expect(await tcpStep(ep(tcp), { kind: 'tcp', port: port(tcp), send: 'PING\r\n', expect: '\\+PONG' }, 5000)).toMatchObject({ exitCode: 0, output: '+PONG', ok: true });
  });

  it('a reply that does not match, once time runs out', async () => {
    expect(await tcpStep(ep(tcp), { kind: 'tcp', port: port(tcp), send: 'HELLO\r\n', expect: 'PONG' }, 300)).toMatchObject({ exitCode: 1, output: '-ERR\r\n(timeout)', ok: false });
  });
});
