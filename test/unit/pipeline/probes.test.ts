import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bodyShape, httpProbe, parseHttpResponse, tcpProbe } from '../../../src/pipeline/probes.js';
import { closedPort, httpServer, tcpServer } from '../../helpers/servers.js';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const local = (port: number, proxied = false) => ({ host: '127.0.0.1', port, proxied });

describe('httpProbe', () => {
  it.each([200, 404, 503])('gives the status %i of a real HTTP server and the hash of its body', async (status) => {
    await using server = await httpServer((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/plain' });
      res.end(`status ${status}\n`);
    });
    expect(await httpProbe(local(server.port), 2000)).toEqual({ status, bodySha256: sha256(`status ${status}\n`), bodyShapeSha256: sha256('status N'), contentType: 'text/plain' });
    expect(server.seen).toEqual(['GET / HTTP/1.0 host=-']);
  });

  it('gives no status for a server that answers like redis', async () => {
    await using server = await tcpServer((s, seen) => {
      s.once('data', (d: Buffer) => {
        seen.push(d.toString('latin1'));
        s.write("-ERR unknown command 'GET', with args beginning with: '/' 'HTTP/1.0'\r\n");
      });
    });
    expect(await httpProbe(local(server.port), 2000)).toEqual({ error: 'not HTTP' });
    expect(server.seen).toEqual(['GET / HTTP/1.0\r\nUser-Agent: ro-profile\r\nAccept: */*\r\n\r\n']);
  });

  it('reports a refused connection on a closed port', async () => {
    expect(await httpProbe(local(await closedPort()), 2000)).toEqual({ error: 'ECONNREFUSED' });
  });

  it('reports no response from a server that accepts and closes at once', async () => {
    await using server = await tcpServer((s) => s.destroy());
    expect(await httpProbe(local(server.port), 2000)).toEqual({ error: 'no response' });
  });

  it('gives up after the timeout on a server that never answers', async () => {
    await using server = await tcpServer(() => undefined);
    const started = Date.now();
    expect(await httpProbe(local(server.port), 200)).toEqual({ error: 'no response' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });

  it('reads a response without Content-Length up to the close', async () => {
    await using server = await tcpServer((s) => {
      s.once('data', () => s.end('HTTP/1.0 200 OK\r\nServer: busybox\r\n\r\n<html>hi</html>\n'));
    });
    expect(await httpProbe(local(server.port), 2000)).toEqual({ status: 200, bodySha256: sha256('<html>hi</html>\n'), bodyShapeSha256: sha256('<html>hi</html>') });
  });
});

describe('tcpProbe', () => {
  it('accepts a direct endpoint as soon as it connects', async () => {
    await using server = await tcpServer(() => undefined);
    expect(await tcpProbe(local(server.port), 2000)).toEqual({ ok: true });
  });

  it('reports a refused connection on a closed port', async () => {
    expect(await tcpProbe(local(await closedPort()), 2000)).toEqual({ ok: false, error: 'ECONNREFUSED' });
  });

  it('does not count a proxied endpoint whose server accepts and closes at once', async () => {
    await using server = await tcpServer((s) => s.destroy());
    expect(await tcpProbe(local(server.port, true), 2000)).toEqual({ ok: false, error: 'closed' });
  });

  it('counts a proxied endpoint that stays open', async () => {
    await using server = await tcpServer(() => undefined);
    const started = Date.now();
    expect(await tcpProbe(local(server.port, true), 2000)).toEqual({ ok: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('counts a proxied endpoint that greets at once without waiting', async () => {
    await using server = await tcpServer((s) => s.write('220 ready\r\n'));
    const started = Date.now();
    expect(await tcpProbe(local(server.port, true), 2000)).toEqual({ ok: true });
    expect(Date.now() - started).toBeLessThan(250);
  });

  it('times out when a proxied endpoint has not proved itself in time', async () => {
    await using server = await tcpServer(() => undefined);
    expect(await tcpProbe(local(server.port, true), 100)).toEqual({ ok: false, error: 'timeout' });
  });
});

describe('bodyShape', () => {
  it('masks what an error page changes by itself: the time, the date, a container id, a counter', () => {
    const at = (t: string, host: string, n: number) => `<h1>502 Bad Gateway</h1><p>${t} on ${host}, request ${n}</p>\n`;
    expect(bodyShape(at('Sun, 06 Dec 2026 17:12:02 GMT', '3f9a2c1b7d4e', 1))).toBe(bodyShape(at('Mon, 07 Dec 2026 09:00:59 GMT', 'a01b2c3d4e5f', 27)));
  });

  it('keeps apart pages that say different things', () => {
    expect(bodyShape('<h1>Welcome to nginx!</h1>')).not.toBe(bodyShape('<h1>Hello from the app</h1>'));
    expect(bodyShape('<p>upload ok</p>')).not.toBe(bodyShape('<p>upload failed</p>'));
  });
});

describe('parseHttpResponse', () => {
  it.each<[string, string, ReturnType<typeof parseHttpResponse>]>([
    ['an HTTP/1.1 response', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok', { status: 200, bodySha256: sha256('ok'), bodyShapeSha256: sha256('ok') }],
    ['an HTTP/2-style status line', 'HTTP/2 204 No Content\r\n\r\n', { status: 204, bodySha256: sha256(''), bodyShapeSha256: sha256('') }],
    ['headers cut short', 'HTTP/1.0 302 Found\r\nLocation: /x', { status: 302, bodySha256: sha256(''), bodyShapeSha256: sha256('') }],
    ['a content type, lower-cased', 'HTTP/1.1 200 OK\r\nContent-Type: Text/HTML; charset=UTF-8\r\n\r\n<p>hi</p>', { status: 200, bodySha256: sha256('<p>hi</p>'), bodyShapeSha256: sha256('<p>hi</p>'), contentType: 'text/html; charset=utf-8' }],
    ['a redis error', '-ERR unknown command\r\n', { error: 'not HTTP' }],
    ['nothing at all', '', { error: 'no response' }],
    ['a status that is not three digits', 'HTTP/1.1 20 OK\r\n\r\n', { error: 'not HTTP' }],
  ])('reads %s', (_name, text, expected) => {
    expect(parseHttpResponse(Buffer.from(text, 'latin1'))).toEqual(expected);
  });
});
