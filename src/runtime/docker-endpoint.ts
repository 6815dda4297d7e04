import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { RoProfileError, messageOf } from '../errors.js';
import { sshAgent } from './ssh-agent.js';

/**
 * Which engine to talk to, found the way the docker CLI finds it: DOCKER_HOST first, then
 * DOCKER_CONTEXT, then the current context in the CLI's config.json, then the default socket.
 * docker-modem reads DOCKER_HOST itself but knows nothing of contexts, so a user who ran
 * `docker context use remote` would otherwise be profiled on the local engine without a word.
 */
export interface DockerEndpoint {
  /** The engine's address as the CLI writes it: unix:///var/run/docker.sock, tcp://host:2376, ssh://user@host. */
  readonly host: string;
  /** Where it came from, for messages. */
  readonly source: 'DOCKER_HOST' | 'context' | 'default';
  readonly context?: string;
  /** For dockerode. */
  readonly options: Docker.DockerOptions;
  /** The environment the tools we run (docker-compose) need to reach the same engine. */
  readonly childEnv: Readonly<Record<string, string>>;
  /** True when the engine's loopback is this machine's: a unix socket, or TCP to 127.0.0.1/::1/localhost. */
  readonly loopback: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_SOCKET = '/var/run/docker.sock';

/** The CLI's config directory: DOCKER_CONFIG, else ~/.docker. */
function configDir(env: Env): string {
  return env['DOCKER_CONFIG'] || join(env['HOME'] || homedir(), '.docker');
}

function readJson(file: string, what: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new RoProfileError('USAGE', `Cannot read ${what} ${file}: ${messageOf(e)}`, { hint: 'Fix or remove the file, or set DOCKER_HOST to the engine to use.', cause: e });
  }
}

/** The context named by DOCKER_CONTEXT or config.json's currentContext ("default" is no context). */
function contextName(env: Env): string | undefined {
  const named = env['DOCKER_CONTEXT'];
  if (named) return named === 'default' ? undefined : named;
  const file = join(configDir(env), 'config.json');
  if (!existsSync(file)) return undefined;
  const current = readJson(file, 'the docker CLI config').currentContext;
  return typeof current === 'string' && current !== '' && current !== 'default' ? current : undefined;
}

/** A context's endpoint and TLS files: contexts/meta/<sha256(name)>/meta.json and contexts/tls/<sha256(name)>/docker/. */
function readContext(env: Env, name: string): { host: string; skipTlsVerify: boolean; tlsDir?: string } {
  const dir = createHash('sha256').update(name).digest('hex');
  const base = join(configDir(env), 'contexts');
  const meta = join(base, 'meta', dir, 'meta.json');
  if (!existsSync(meta)) {
    throw new RoProfileError('USAGE', `The docker context "${name}" does not exist (no ${meta})`, {
      hint: `List the contexts with "docker context ls"; pick one with DOCKER_CONTEXT=NAME or "docker context use NAME", or set DOCKER_HOST.`,
    });
  }
  const endpoints = readJson(meta, `the docker context "${name}"`).Endpoints as Record<string, { Host?: unknown; SkipTLSVerify?: unknown }> | undefined;
  const host = endpoints?.['docker']?.Host;
  if (typeof host !== 'string' || host === '') {
    throw new RoProfileError('USAGE', `The docker context "${name}" has no docker endpoint (${meta})`, {
      hint: `Recreate it with "docker context create ${name} --docker host=URL", or set DOCKER_HOST.`,
    });
  }
  const tls = join(base, 'tls', dir, 'docker');
  return { host, skipTlsVerify: endpoints?.['docker']?.SkipTLSVerify === true, ...(existsSync(tls) ? { tlsDir: tls } : {}) };
}

/** How to log in: the ssh agent when there is one, else the first default key in ~/.ssh that has no passphrase. */
function sshIdentity(env: Env): { agent?: string; privateKey?: Buffer } {
  if (env['SSH_AUTH_SOCK']) return { agent: env['SSH_AUTH_SOCK'] };
  for (const f of ['id_ed25519', 'id_ecdsa', 'id_rsa']) {
    const p = join(env['HOME'] || homedir(), '.ssh', f);
    if (existsSync(p)) return { privateKey: readFileSync(p) };
  }
  return {};
}

function isLoopbackHost(h: string): boolean {
  const bare = h.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127\.\d+\.\d+\.\d+$/.test(bare);
}

/** True for an address whose host is this machine's loopback (a unix socket included): the one rule for both ways an engine is named. */
export function isLoopbackAddress(address: string): boolean {
  if (address.startsWith('unix://') || address.startsWith('npipe://')) return true;
  try {
    return isLoopbackHost(new URL(address.includes('//') ? address : `tcp://${address}`).hostname);
  } catch {
    return false;
  }
}

function tlsFiles(dir: string): Pick<Docker.DockerOptions, 'ca' | 'cert' | 'key'> {
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : undefined);
  const ca = read('ca.pem');
  const cert = read('cert.pem');
  const key = read('key.pem');
  return { ...(ca ? { ca } : {}), ...(cert ? { cert } : {}), ...(key ? { key } : {}) };
}

/** dockerode's options for an address, as docker-modem would read it from DOCKER_HOST, plus a context's TLS. */
export function optionsFor(host: string, env: Env, tls?: { dir?: string; skipVerify?: boolean }): { options: Docker.DockerOptions; loopback: boolean } {
  if (host.startsWith('unix://')) return { options: { socketPath: host.slice('unix://'.length) || DEFAULT_SOCKET }, loopback: true };
  if (host.startsWith('npipe://')) return { options: { socketPath: host.slice('npipe://'.length) || '//./pipe/docker_engine' }, loopback: true };
  let url: URL;
  try {
    url = new URL(host.includes('//') ? host : `tcp://${host}`);
  } catch {
    throw new RoProfileError('USAGE', `The engine address "${host}" is not a URL`, { hint: 'Write it as unix:///var/run/docker.sock, tcp://HOST:2375, or ssh://USER@HOST.' });
  }
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === 'ssh:') {
    const ssh = { host: url.hostname, port: Number(url.port || 22), username: url.username ? decodeURIComponent(url.username) : (env['USER'] ?? 'root'), ...sshIdentity(env) };
    // Plain HTTP over our own agent: one SSH connection for the whole run (see ssh-agent.ts).
    return { options: { protocol: 'http', host: ssh.host, port: ssh.port, agent: sshAgent(ssh) } as Docker.DockerOptions, loopback };
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RoProfileError('USAGE', `The engine address "${host}" uses ${url.protocol}, which ro-profile cannot reach`, { hint: 'Use unix://, tcp://, or ssh://.' });
  }
  const certDir = tls?.dir ?? env['DOCKER_CERT_PATH'];
  const files = certDir ? tlsFiles(certDir) : {};
  const secure = url.protocol === 'https:' || env['DOCKER_TLS_VERIFY'] === '1' || url.port === '2376' || (files.cert !== undefined && files.key !== undefined);
  const options: Docker.DockerOptions = {
    protocol: secure ? 'https' : 'http',
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || (secure ? 2376 : 2375),
    ...files,
    ...(tls?.skipVerify ? { checkServerIdentity: () => undefined } : {}),
  };
  return { options, loopback };
}

/** The engine this run uses; see the interface's comment for the order. */
export function resolveDockerEndpoint(env: Env = process.env): DockerEndpoint {
  const fromEnv = env['DOCKER_HOST'];
  if (fromEnv) {
    const { options, loopback } = optionsFor(fromEnv, env);
    return { host: fromEnv, source: 'DOCKER_HOST', options, childEnv: {}, loopback };
  }
  const name = contextName(env);
  if (name !== undefined) {
    const ctx = readContext(env, name);
    const { options, loopback } = optionsFor(ctx.host, env, { ...(ctx.tlsDir ? { dir: ctx.tlsDir } : {}), skipVerify: ctx.skipTlsVerify });
    // docker-compose 1.x reads DOCKER_HOST (and DOCKER_CERT_PATH) but not contexts.
    const childEnv: Record<string, string> = { DOCKER_HOST: ctx.host };
    if (ctx.tlsDir && options.protocol === 'https') Object.assign(childEnv, { DOCKER_CERT_PATH: ctx.tlsDir, DOCKER_TLS_VERIFY: ctx.skipTlsVerify ? '' : '1' });
    return { host: ctx.host, source: 'context', context: name, options, childEnv, loopback };
  }
  // No options: docker-modem picks /var/run/docker.sock, or Docker Desktop's ~/.docker/run/docker.sock.
  return { host: `unix://${DEFAULT_SOCKET}`, source: 'default', options: {}, childEnv: {}, loopback: true };
}

/** For messages: the address, and the context it came from. */
export function describeDockerEndpoint(e: DockerEndpoint): string {
  return e.context !== undefined ? `${e.host} (context ${e.context})` : e.host;
}
