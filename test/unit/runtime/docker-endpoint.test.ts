import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeDockerEndpoint, optionsFor, resolveDockerEndpoint } from '../../../src/runtime/docker-endpoint.js';
import { RoProfileError } from '../../../src/errors.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rp-endpoint-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A context as `docker context create NAME --docker host=HOST` writes it. */
function context(name: string, host: string, o: { tls?: boolean; skip?: boolean } = {}): void {
  const id = createHash('sha256').update(name).digest('hex');
  mkdirSync(join(dir, 'contexts', 'meta', id), { recursive: true });
  writeFileSync(join(dir, 'contexts', 'meta', id, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: o.skip ?? false } } }));
  if (o.tls) {
    const tls = join(dir, 'contexts', 'tls', id, 'docker');
    mkdirSync(tls, { recursive: true });
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tls, f), `${f} of ${name}`);
  }
}

describe('resolveDockerEndpoint', () => {
  it('takes DOCKER_HOST first, over any context', () => {
    context('far', 'tcp://10.1.2.3:2375');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: 'far' }));
    const e = resolveDockerEndpoint({ DOCKER_CONFIG: dir, DOCKER_HOST: 'unix:///run/podman/podman.sock', DOCKER_CONTEXT: 'far' });
    expect(e).toMatchObject({ source: 'DOCKER_HOST', host: 'unix:///run/podman/podman.sock', options: { socketPath: '/run/podman/podman.sock' }, loopback: true, childEnv: {} });
  });

  it('then DOCKER_CONTEXT, and hands its address to the tools it runs', () => {
    context('far', 'tcp://10.1.2.3:2375');
    const e = resolveDockerEndpoint({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'far' });
    expect(e).toMatchObject({ source: 'context', context: 'far', host: 'tcp://10.1.2.3:2375', options: { protocol: 'http', host: '10.1.2.3', port: '2375' }, loopback: false, childEnv: { DOCKER_HOST: 'tcp://10.1.2.3:2375' } });
    expect(describeDockerEndpoint(e)).toBe('tcp://10.1.2.3:2375 (context far)');
  });

  it("then config.json's currentContext; \"default\" is no context at all", () => {
    context('far', 'ssh://deploy@build.example.com');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: 'far' }));
    // ssh:// is plain HTTP through an agent of our own that keeps one SSH connection (ssh-agent.ts).
    const ssh = resolveDockerEndpoint({ DOCKER_CONFIG: dir, SSH_AUTH_SOCK: '/tmp/agent' });
    expect(ssh).toMatchObject({ source: 'context', host: 'ssh://deploy@build.example.com', loopback: false, options: { protocol: 'http', host: 'build.example.com', port: 22 } });
    expect((ssh.options as { agent?: unknown }).agent).toBeInstanceOf(Agent);
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'default' }).source).toBe('default');
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: 'default' }));
    expect(resolveDockerEndpoint({ DOCKER_CONFIG: dir })).toMatchObject({ source: 'default', options: {}, loopback: true });
  });

  it("uses a context's TLS files, and passes them on to docker-compose", () => {
    context('secure', 'tcp://engine.example.com:2376', { tls: true });
    const e = resolveDockerEndpoint({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'secure' });
    expect(e.options.protocol).toBe('https');
    expect(String(e.options.ca)).toBe('ca.pem of secure');
    expect(String(e.options.cert)).toBe('cert.pem of secure');
    expect(e.childEnv).toMatchObject({ DOCKER_HOST: 'tcp://engine.example.com:2376', DOCKER_TLS_VERIFY: '1' });
    expect(e.childEnv['DOCKER_CERT_PATH']).toContain(join('contexts', 'tls'));
  });

  it('says which context is missing and how to list them', () => {
    const e = (() => {
      try {
        resolveDockerEndpoint({ DOCKER_CONFIG: dir, DOCKER_CONTEXT: 'nope' });
      } catch (x) {
        return x;
      }
      return undefined;
    })() as RoProfileError;
    expect(e).toBeInstanceOf(RoProfileError);
    expect(e.code).toBe('USAGE');
    expect(e.message).toContain('"nope" does not exist');
    expect(e.hint).toContain('docker context ls');
  });

  it('refuses a config.json it cannot read, naming the file', () => {
    writeFileSync(join(dir, 'config.json'), '{ not json');
    expect(() => resolveDockerEndpoint({ DOCKER_CONFIG: dir })).toThrow(/config\.json/);
  });
});

describe('optionsFor', () => {
  it('tells a loopback engine from a remote one', () => {
    expect(optionsFor('tcp://127.0.0.1:2375', {}).loopback).toBe(true);
    expect(optionsFor('tcp://localhost:2375', {}).loopback).toBe(true);
    expect(optionsFor('tcp://[::1]:2375', {})).toMatchObject({ loopback: true, options: { host: '::1' } });
    expect(optionsFor('tcp://10.0.0.5:2375', {}).loopback).toBe(false);
    expect(optionsFor('ssh://127.0.0.1', {}).loopback).toBe(true);
  });

  it('takes a bare host:port as TCP, and 2376 or DOCKER_TLS_VERIFY as TLS', () => {
    expect(optionsFor('engine:2375', {}).options).toMatchObject({ protocol: 'http', host: 'engine', port: '2375' });
    expect(optionsFor('tcp://engine:2376', {}).options.protocol).toBe('https');
    expect(optionsFor('tcp://engine:2375', { DOCKER_TLS_VERIFY: '1' }).options.protocol).toBe('https');
  });

  it('refuses an address it cannot use, with the forms it takes', () => {
    expect(() => optionsFor('fd://', {})).toThrow(/cannot reach/);
    expect(() => optionsFor('tcp://[bad', {})).toThrow(/not a URL/);
  });
});

describe('DockerEngine with an engine address it cannot read', () => {
  it('does not throw when made, but fails its first call with the reason (so the CLI gives exit 2, not a crash)', async () => {
    vi.stubEnv('DOCKER_HOST', '');
    vi.stubEnv('DOCKER_CONFIG', dir);
    vi.stubEnv('DOCKER_CONTEXT', 'missing-one');
    const { DockerEngine } = await import('../../../src/runtime/docker-engine.js');
    const engine = new DockerEngine();
    await expect(engine.info()).rejects.toMatchObject({ code: 'USAGE', message: expect.stringContaining('"missing-one" does not exist') });
  });
});

describe('isLoopbackAddress', () => {
  it('is the same rule for a described endpoint as for DOCKER_HOST', async () => {
    const { isLoopbackAddress } = await import('../../../src/runtime/docker-endpoint.js');
    expect(['unix:///var/run/docker.sock', 'http://127.0.0.1:2375', 'tcp://localhost:2375', 'http://[::1]:2375'].map(isLoopbackAddress)).toEqual([true, true, true, true]);
    expect(['http://10.203.0.2:2375', 'ssh://root@build-host', 'http://127.example.com:2375'].map(isLoopbackAddress)).toEqual([false, false, false]);
  });
});
