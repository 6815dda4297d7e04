import type Docker from 'dockerode';
import { RoProfileError, messageOf } from '../errors.js';
import { describeDockerEndpoint, type DockerEndpoint } from './docker-endpoint.js';

/** What dockerode throws, and how its failures become our errors and messages. */
export interface DockerApiError {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

export const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'EPERM', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET']);

export function statusOf(e: unknown): number | undefined {
  return (e as DockerApiError | undefined)?.statusCode;
}

export function apiMessage(e: unknown): string {
  const d = e as DockerApiError;
  return d?.json?.message ?? messageOf(e);
}

/** Where dockerode connects, for messages; docker-modem may hold the default socket as a function. */
export function describeEndpoint(docker: Docker, found?: DockerEndpoint): string {
  if (found && found.source !== 'default') return describeDockerEndpoint(found);
  const m = docker.modem as unknown as { socketPath?: unknown; host?: string; port?: number | string; protocol?: string };
  if (typeof m.socketPath === 'string') return `unix://${m.socketPath}`;
  if (m.host) return `${m.protocol ?? 'http'}://${m.host}${m.port ? `:${m.port}` : ''}`;
  return process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
}

export function pullError(ref: string, e: unknown): RoProfileError {
  const msg = apiMessage(e);
  const code = (e as DockerApiError)?.code;
  if (code && UNREACHABLE_CODES.has(code)) {
    return new RoProfileError('DOCKER_UNAVAILABLE', `Cannot reach the Docker engine while pulling "${ref}" (${code})`, {
      hint: 'Start the Docker engine, or point DOCKER_HOST at a running one.',
      cause: e,
    });
  }
  return new RoProfileError('IMAGE_NOT_FOUND', `Image "${ref}" is not present locally and could not be pulled: ${msg}`, {
    hint: 'Check the name and tag, log in to the registry if it is private, or build the image locally first.',
    cause: e,
  });
}

/**
 * Why the engine refused to create or start a container, in the terms of the flags that caused
 * it: a network or user that does not exist is a usage error (exit 2); a command the image
 * cannot run, or any other refusal at start, is a container failure (exit 5). Both with a hint.
 */
export function containerRefusal(op: 'create' | 'start', e: unknown): RoProfileError {
  const msg = apiMessage(e);
  const words = `the engine refused to ${op} the container: ${msg}`;
  if (/network [^ ]+ not found|no such network/i.test(msg)) {
    return new RoProfileError('USAGE', words, { hint: 'Create the network first (docker network create NAME), or leave --network out.', cause: e });
  }
  if (/unable to find (user|group)|no matching entries in (passwd|group) file/i.test(msg)) {
    return new RoProfileError('USAGE', words, { hint: '--user takes a user (or group) the image\'s /etc/passwd (/etc/group) has, or numeric UID[:GID].', cause: e });
  }
  if (/exec[: ].*(executable file not found|no such file or directory|permission denied|exec format error)/i.test(msg)) {
    return new RoProfileError('CONTAINER_FAILED', words, { hint: 'The entrypoint or command is not in the image, or not executable there: check --entrypoint and the command after "--" (the image\'s own ENTRYPOINT and CMD otherwise).', cause: e });
  }
  if (op === 'create' && statusOf(e) === 400) {
    return new RoProfileError('USAGE', words, { hint: 'A flag passed through to the container (-v, --mount, -p, -e, --user, --entrypoint) is not valid for the engine: the message above names it.', cause: e });
  }
  return new RoProfileError('CONTAINER_FAILED', words, { hint: 'The engine\'s own words are above: the container could not run as given (its mounts, network or command).', cause: e });
}

/** Splits Docker's multiplexed log format (8-byte frame headers) into stdout and stderr. */
export function demuxBuffer(buf: Buffer): { stdout: string; stderr: string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  let i = 0;
  const looksFramed = buf.length >= 8 && (buf[0] === 1 || buf[0] === 2) && buf[1] === 0 && buf[2] === 0 && buf[3] === 0;
  if (!looksFramed) return { stdout: buf.toString('utf8'), stderr: '' };
  while (i + 8 <= buf.length) {
    const stream = buf[i];
    const len = buf.readUInt32BE(i + 4);
    const body = buf.subarray(i + 8, i + 8 + len);
    (stream === 2 ? err : out).push(body);
    i += 8 + len;
  }
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}
