import { describe, expect, it } from 'vitest';
import { RoProfileError } from '../../../src/errors.js';
import { composeServiceSource, dependencyOrder, shellSplit, type ComposeDoc } from '../../../src/source/compose-source.js';

const project = (key: string) => `proj_${key}`;

/** As `docker-compose config` prints a file: env_file merged into environment, paths absolute, ports long. */
const doc: ComposeDoc = {
  services: {
    web: {
      image: 'shop/web:1',
      environment: { API_TOKEN: 's3cr3t-value', MODE: 'demo', UNSET: null },
      entrypoint: ['/entry.sh', '--verbose'],
      command: 'serve --port "8 000"',
      user: '1000:1000',
      working_dir: '/srv',
      volumes: ['uploads:/app/uploads:rw', '/home/me/conf:/conf:ro', '/scratch', { type: 'volume', source: 'cache', target: '/var/cache/app', read_only: true }, { type: 'bind', source: '/home/me/data', target: '/data' }],
      tmpfs: ['/run:size=1m'],
      ports: [{ target: 8000 }, { target: 9000, published: 9000, host_ip: '127.0.0.1' }, { target: 5353, protocol: 'udp' }],
      depends_on: { api: { condition: 'service_healthy' }, cache: { condition: 'service_started' } },
      healthcheck: { test: ['CMD', 'true'] },
      secrets: [{ source: 'db_password' }],
      configs: [{ source: 'app_conf', target: '/etc/app.conf' }],
    },
    api: { image: 'shop/api:1', depends_on: ['db'] },
    cache: { image: 'redis:7' },
    db: { image: 'postgres:16' },
    worker: { build: { context: '/home/me/shop/worker', dockerfile: 'Dockerfile.worker' } },
  },
  volumes: { uploads: {}, cache: { external: true } },
};

describe('composeServiceSource', () => {
  const s = composeServiceSource(doc, { service: 'web', volumeName: project, network: 'proj_default' });

  it('maps the image, user, entrypoint and command as docker run takes them', () => {
    expect(s.image).toBe('shop/web:1');
    expect(s.flags.user).toBe('1000:1000');
    // docker's --entrypoint is one program; the rest of compose's list goes before the command.
    expect(s.flags.entrypoint).toBe('/entry.sh');
    expect(s.flags.command).toEqual(['--verbose', 'serve', '--port', '8 000']);
  });

  it('passes the environment as NAME=VALUE for the run only, and leaves an unset name out', () => {
    expect(s.flags.env).toEqual(['API_TOKEN=s3cr3t-value', 'MODE=demo']);
    // compose merged env_file already: nothing is read twice.
    expect(s.flags.envFile).toEqual([]);
  });

  it('gives named volumes the project\'s names for the run and keeps the file\'s for the user; binds stay read-only', () => {
    expect(s.flags.volume).toEqual(['proj_uploads:/app/uploads:rw', '/home/me/conf:/conf:ro', '/scratch']);
    expect(s.userFlags.volume).toEqual(['uploads:/app/uploads:rw', '/home/me/conf:/conf:ro', '/scratch']);
    expect(s.flags.mount).toEqual(['type=volume,source=proj_cache,target=/var/cache/app,readonly', 'type=bind,source=/home/me/data,target=/data', 'type=tmpfs,target=/run']);
    expect(s.userFlags.mount[0]).toBe('type=volume,source=cache,target=/var/cache/app,readonly');
  });

  it('publishes the ports as -p values, the network only for the run', () => {
    expect(s.flags.publish).toEqual(['8000', '127.0.0.1:9000:9000', '5353/udp']);
    expect(s.flags.network).toBe('proj_default');
  });

  it('names secrets and configs, never their contents, and says what it leaves out', () => {
    expect(s.secretNames).toEqual(['db_password']);
    expect(s.configNames).toEqual(['app_conf']);
    expect(s.ignored).toEqual(['healthcheck', 'working_dir']);
    // Values live in the run's flags only, which become secrets; nothing else of it carries one.
    expect(JSON.stringify({ ...s, flags: undefined })).not.toContain('s3cr3t-value');
  });

  it('starts the dependencies transitively, each after its own', () => {
    expect(s.dependencies).toEqual(['db', 'api', 'cache']);
  });

  it('takes a build when the service has no image', () => {
    const w = composeServiceSource(doc, { service: 'worker', volumeName: project });
    expect(w.image).toBeUndefined();
    expect(w.build).toEqual({ context: '/home/me/shop/worker', dockerfile: 'Dockerfile.worker' });
    expect(w.dependencies).toEqual([]);
  });

  it('takes the only service without --service, and lists the services when it cannot choose', () => {
    expect(composeServiceSource({ services: { db: { image: 'postgres:16' } } }, { volumeName: project }).service).toBe('db');
    expect(() => composeServiceSource(doc, { volumeName: project })).toThrow(/defines 5 services \(api, cache, db, web, worker\)/);
    const e = (() => {
      try {
        composeServiceSource(doc, { service: 'front', volumeName: project });
      } catch (err) {
        return err;
      }
      return undefined;
    })();
    expect(e).toBeInstanceOf(RoProfileError);
    expect((e as RoProfileError).code).toBe('USAGE');
    expect((e as RoProfileError).message).toBe('the compose file has no service "front"; it defines: api, cache, db, web, worker');
  });

  it('refuses a service with neither image nor build', () => {
    expect(() => composeServiceSource({ services: { x: { command: ['true'] } } }, { volumeName: project })).toThrow(/neither "image" nor "build"/);
  });

  it('binds file-backed secrets and configs read-only where compose puts them, by path only', () => {
    const d: ComposeDoc = {
      services: { x: { image: 'a', secrets: [{ source: 'token' }, { source: 'key', target: 'api.key' }], configs: [{ source: 'conf', target: '/etc/app.conf' }, { source: 'ext' }] } },
      secrets: { token: { file: '/p/token.txt' }, key: { file: '/p/key' } },
      configs: { conf: { file: '/p/app.conf' }, ext: { external: true } },
    };
    const x = composeServiceSource(d, { volumeName: project });
    expect(x.flags.mount).toEqual([
      'type=bind,source=/p/token.txt,target=/run/secrets/token,readonly',
      'type=bind,source=/p/key,target=/run/secrets/api.key,readonly',
      'type=bind,source=/p/app.conf,target=/etc/app.conf,readonly',
    ]);
    expect(x.userFlags.mount).toEqual(x.flags.mount);
    expect(x.secretNames).toEqual(['token', 'key']);
  });

  it('keeps an empty entrypoint (the image\'s dropped), as docker run --entrypoint ""', () => {
    const e = composeServiceSource({ services: { x: { image: 'a', entrypoint: [], command: ['sh', '-c', 'true'] } } }, { volumeName: project });
    expect(e.flags.entrypoint).toBe('');
    expect(e.flags.command).toEqual(['sh', '-c', 'true']);
  });
});

describe('dependencyOrder', () => {
  it('names a cycle', () => {
    const services = { a: { depends_on: ['b'] }, b: { depends_on: { c: {} } }, c: { depends_on: ['a'] } };
    expect(() => dependencyOrder(services, 'a')).toThrow('the compose services depend on each other in a cycle: a -> b -> c -> a');
  });

  it('names a dependency the file does not define', () => {
    expect(() => dependencyOrder({ a: { depends_on: ['ghost'] } }, 'a')).toThrow('the compose service "a" depends on "ghost", which the file does not define');
  });

  it('lists a shared dependency once', () => {
    const services = { web: { depends_on: ['api', 'worker'] }, api: { depends_on: ['db'] }, worker: { depends_on: ['db'] }, db: {} };
    expect(dependencyOrder(services, 'web')).toEqual(['db', 'api', 'worker']);
  });
});

describe('shellSplit', () => {
  it('splits as shlex does', () => {
    expect(shellSplit(`a 'b c' "d \\"e\\"" f\\ g ''`)).toEqual(['a', 'b c', 'd "e"', 'f g', '']);
    expect(() => shellSplit('a "b')).toThrow(/unclosed quote/);
  });
});
