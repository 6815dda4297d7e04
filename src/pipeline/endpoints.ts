import { networkInterfaces } from 'node:os';
import type { ContainerState, EngineInfo } from '../runtime/engine.js';
import type { Endpoint } from './probes.js';

/** A stream to a port from inside the container's network (Engine.tunnel, bound to one container). */
export type Tunnel = (host: string, port: number) => Promise<import('node:stream').Duplex>;

/**
 * How this process reaches a container port, trying what needs least first and assuming
 * nothing about where the engine is:
 * 1. the container's own IP, when the engine shares this kernel and this machine has an
 *    address on that IP's network (a bridge of this host: no proxy, a connect means a listener);
 * 2. the port published on 127.0.0.1, when the engine's loopback is ours (Docker Desktop's VM,
 *    rootless Podman, an engine on tcp://127.0.0.1);
 * 3. a relay in the container's network namespace (a remote engine over tcp:// or ssh://).
 */
export function endpointFor(state: ContainerState, engine: EngineInfo, port: number, tunnel?: Tunnel, onThisHost: (ip: string) => boolean = onHostNetwork): Endpoint | undefined {
  if (state.networkMode === 'none') return undefined;
  const relayed = (host: string): Endpoint | undefined => (tunnel ? { host, port, proxied: true, open: () => tunnel(host, port) } : undefined);
  if (state.networkMode === 'host') return engine.loopback ? { host: '127.0.0.1', port, proxied: false } : relayed('127.0.0.1');
  const ip = Object.keys(state.ips)
    .sort()
    .map((k) => state.ips[k])
    .find((v) => v);
  if (engine.local && ip && onThisHost(ip)) return { host: ip, port, proxied: false };
  const hostPort = state.loopbackPorts[port];
  if (engine.loopback && hostPort !== undefined) return { host: '127.0.0.1', port: hostPort, proxied: true };
  return relayed(ip ?? '127.0.0.1');
}

/** True when one of this machine's IPv4 interfaces is on `ip`'s network (a bridge the engine made here). */
export function onHostNetwork(ip: string, nets: ReturnType<typeof networkInterfaces> = networkInterfaces()): boolean {
  const want = ipv4(ip);
  if (want === undefined) return false;
  for (const list of Object.values(nets)) {
    for (const n of list ?? []) {
      if (n.family !== 'IPv4' || n.internal || !n.cidr) continue;
      const [addr, bits] = n.cidr.split('/');
      const base = ipv4(addr ?? '');
      const len = Number(bits);
      if (base === undefined || !(len >= 0 && len <= 32)) continue;
      const mask = len === 0 ? 0 : (~0 << (32 - len)) >>> 0;
      if (((base & mask) >>> 0) === ((want & mask) >>> 0)) return true;
    }
  }
  return false;
}

function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return undefined;
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0;
}
