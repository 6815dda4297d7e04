import type { ContainerState, EngineInfo } from '../runtime/engine.js';
import type { Endpoint } from './probes.js';

/**
 * How this process reaches a container port. On a local Linux engine the container's own
 * IP answers directly (no proxy in between, so a connect means a listener). Elsewhere
 * (Docker Desktop's VM, a remote engine) only the port published on 127.0.0.1 does.
 */
export function endpointFor(state: ContainerState, engine: EngineInfo, port: number): Endpoint | undefined {
  if (state.networkMode === 'host') return { host: '127.0.0.1', port, proxied: false };
  if (state.networkMode === 'none') return undefined;
  const ip = Object.keys(state.ips)
    .sort()
    .map((k) => state.ips[k])
    .find((v) => v);
  if (engine.local && ip) return { host: ip, port, proxied: false };
  const hostPort = state.loopbackPorts[port];
  if (hostPort !== undefined) return { host: '127.0.0.1', port: hostPort, proxied: true };
  return undefined;
}
