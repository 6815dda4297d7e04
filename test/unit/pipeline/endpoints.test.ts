import { createServer, Socket, type Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointFor, onHostNetwork } from '../../../src/pipeline/endpoints.js';
import { httpProbe, tcpProbe } from '../../../src/pipeline/probes.js';
import { httpStep } from '../../../src/pipeline/steps.js';
import { LOCAL_ENGINE, containerState } from '../../helpers/engine-fake.js';

const REMOTE = { ...LOCAL_ENGINE, local: false, loopback: false, endpoint: 'tcp://10.0.0.2:2375' };
const DESKTOP = { ...LOCAL_ENGINE, local: false, loopback: true };
const bridged = containerState({ ips: { bridge: '172.17.0.5' }, loopbackPorts: { 80: 49153 } });
const tunnel = async (): Promise<Duplex> => new Socket();

describe('endpointFor', () => {
  it("goes straight to the container's IP only when this machine is on its network", () => {
    expect(endpointFor(bridged, LOCAL_ENGINE, 80, tunnel, () => true)).toEqual({ host: '172.17.0.5', port: 80, proxied: false });
    // Same kernel, but not our network (rootless Podman, a forwarded socket): the published port.
    expect(endpointFor(bridged, LOCAL_ENGINE, 80, tunnel, () => false)).toEqual({ host: '127.0.0.1', port: 49153, proxied: true });
  });

  it("takes the published loopback port when the engine's loopback is ours", () => {
    expect(endpointFor(bridged, DESKTOP, 80, tunnel, () => true)).toEqual({ host: '127.0.0.1', port: 49153, proxied: true });
  });

  it('goes through the relay for a remote engine, to the IP as the container sees it', () => {
    const ep = endpointFor(bridged, REMOTE, 80, tunnel, () => true);
    expect(ep).toMatchObject({ host: '172.17.0.5', port: 80, proxied: true });
    expect(typeof ep?.open).toBe('function');
    expect(endpointFor(containerState({ networkMode: 'host' }), REMOTE, 80, tunnel)).toMatchObject({ host: '127.0.0.1', proxied: true });
  });

  it('has no way in with network none, or remote without a relay', () => {
    expect(endpointFor(containerState({ networkMode: 'none' }), LOCAL_ENGINE, 80, tunnel)).toBeUndefined();
    expect(endpointFor(bridged, REMOTE, 80, undefined, () => true)).toBeUndefined();
  });
});

describe('onHostNetwork', () => {
  const nets = { docker0: [{ address: '172.17.0.1', netmask: '255.255.0.0', family: 'IPv4' as const, mac: '', internal: false, cidr: '172.17.0.1/16' }], lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '', internal: true, cidr: '127.0.0.1/8' }] };
  it("matches an IP on one of this machine's networks, and nothing else", () => {
    expect(onHostNetwork('172.17.3.9', nets)).toBe(true);
    expect(onHostNetwork('10.204.0.2', nets)).toBe(false);
    expect(onHostNetwork('127.0.0.5', nets)).toBe(false);
    expect(onHostNetwork('fe80::1', nets)).toBe(false);
  });
});

describe('probes through a tunnel (a stream that is opened later, like the relay exec)', () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    server = createServer((s) => {
      s.once('data', () => s.end('HTTP/1.0 204 No Content\r\nContent-Length: 0\r\n\r\n'));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const via = (p: number) => ({
    host: '10.9.9.9',
    port: p,
    proxied: true,
    // A real socket, handed over after a delay: writes made before must wait for it.
    open: () => new Promise<Duplex>((resolve) => setTimeout(() => resolve(new Socket().connect(p, '127.0.0.1')), 50)),
  });

  it('reads an HTTP answer through it', async () => {
    expect((await httpProbe(via(port), 2000)).status).toBe(204);
    const step = await httpStep(via(port), { kind: 'http', port, method: 'GET', path: '/', bodyBytes: 0, headers: {}, expectStatus: 204 }, 2000);
    expect(step).toMatchObject({ ok: true, output: 'HTTP 204' });
  });

  it('counts a port open only when the stream stays up (a relay whose nc cannot connect closes at once)', async () => {
    expect((await tcpProbe(via(port), 2000)).ok).toBe(true);
    const closed = { ...via(port), open: async () => new Socket().connect(1, '127.0.0.1') };
    expect((await tcpProbe(closed, 2000)).ok).toBe(false);
  });

  it("reports a relay that cannot be opened by its message", async () => {
    const broken = { ...via(port), open: () => Promise.reject(new Error('the relay image cannot be built')) };
    expect(await tcpProbe(broken, 2000)).toEqual({ ok: false, error: 'the relay image cannot be built' });
  });
});
