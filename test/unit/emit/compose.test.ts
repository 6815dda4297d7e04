import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { emitCompose, serviceName } from '../../../src/emit/compose.js';
import { DEFAULT_EMIT, emitFormat } from '../../../src/emit/emit.js';
import type { Mount } from '../../../src/model/mount-plan.js';
import { parseResult } from '../../../src/model/parse-result.js';
import type { Result } from '../../../src/model/result.js';
import type { RunSpec } from '../../../src/model/run-spec.js';
import { loadYamlWithPython, onlyDoc } from '../../helpers/pyyaml.js';
import { sampleResult } from '../../helpers/sample-result.js';
import { sampleMount, sampleRun } from '../../helpers/samples.js';

const MiB = 1024 * 1024;
const NGINX = new URL('../../fixtures/results/nginx.json', import.meta.url);

/** A result of `example/app:1` with only the given run options and mounts. */
function result(run: Partial<Omit<RunSpec, 'exercise'>> = {}, mounts: Mount[] = []): Result {
  return { ...sampleResult(), run: sampleRun(run), plan: { mounts } };
}

interface ComposeService {
  readonly [key: string]: unknown;
}
interface ComposeDoc {
  readonly services: Record<string, ComposeService>;
  readonly volumes?: Record<string, { name: string }>;
}

describe('serviceName', () => {
  it.each([
    ['nginx', 'nginx'],
    ['nginx:1.25-alpine', 'nginx'],
    ['library/nginx:latest', 'nginx'],
    ['docker.io/library/nginx:1.25', 'nginx'],
    ['localhost:5000/app', 'app'],
    ['localhost:5000/team/app:2', 'app'],
    ['127.0.0.1:5000/x', 'x'],
    ['registry.example.com:443/a/b/c:tag@sha256:2222222222222222222222222222222222222222222222222222222222222222', 'c'],
    ['app@sha256:2222222222222222222222222222222222222222222222222222222222222222', 'app'],
    ['ghcr.io/org/my_app.v2:1', 'my_app.v2'],
    ['Example/App_Name:1', 'App_Name'],
    ['example/.hidden-:1', 'hidden'],
    ['ro-profile-fixture/nginx:latest', 'nginx'],
  ])('names the service of %s %j', (image, name) => {
    expect(serviceName(image)).toBe(name);
    expect(name).toMatch(/^[a-zA-Z0-9._-]+$/);
  });

  it('uses the name as the only key under services', () => {
    const text = emitCompose(result({ image: 'localhost:5000/team/api-server:2@sha256:2222222222222222222222222222222222222222222222222222222222222222' }), { override: false });
    expect(text).toMatch(/^services:\n {2}api-server:\n {4}image: "localhost:5000\/team\/api-server:2@sha256:2{64}"\n/);
  });
});

describe('--service', () => {
  it.each(['web', 'on', 'yes', '0755', '1e3', '.x', '-x', 'a.b_c-d', 'Y'])('takes %j, quoting it where YAML 1.1 would misread it', (service) => {
    const doc = onlyDoc(loadYamlWithPython([emitCompose(result(), { override: false, service })])[0]!, service) as ComposeDoc;
    expect(Object.keys(doc.services)).toEqual([service]);
  });

  it.each(['web app', 'a/b', '', 'é', 'a:b', 'x$y', 'web\n', 'a,b'])('refuses %j with a usage error naming the flag', (service) => {
    expect(() => emitCompose(result(), { override: false, service })).toThrow(
      expect.objectContaining({ code: 'USAGE', message: `"--service ${service}" is not a valid compose service name`, hint: 'Use letters, digits, ".", "_" and "-".' }),
    );
  });
});

describe('emitCompose pass-through', () => {
  const ROWS: readonly (readonly [name: string, run: Partial<Omit<RunSpec, 'exercise'>>, service: ComposeService, volumes?: Record<string, { name: string }>])[] = [
    ['nothing given: only the hardening', {}, {}],
    ['--user as a string', { user: '1000:1000' }, { user: '1000:1000' }],
    ['--user that YAML 1.1 reads as a number', { user: '0755' }, { user: '0755' }],
    ['--entrypoint "" as an empty list, which clears the image’s', { entrypoint: '' }, { entrypoint: [] }],
    ['--entrypoint as a one-word list, never split', { entrypoint: '/bin/sh -c' }, { entrypoint: ['/bin/sh -c'] }],
    ['the command word by word', { command: ['nginx', '-g', 'daemon off;'] }, { command: ['nginx', '-g', 'daemon off;'] }],
    ['a $ in the command as $$, which compose reads back as $', { command: ['sh', '-c', 'echo $HOME ${X}'] }, { command: ['sh', '-c', 'echo $$HOME $${X}'] }],
    ['-e names only, once each', { env: [{ name: 'TOKEN' }, { name: 'TZ' }, { name: 'TOKEN' }] }, { environment: ['TOKEN', 'TZ'] }],
    ['--env-file as given', { envFiles: ['./app.env', '/etc/app/$secret.env'] }, { env_file: ['./app.env', '/etc/app/$$secret.env'] }],
    ['-p as strings', { publish: ['8080:80', '127.0.0.1:53:53/udp'] }, { ports: ['8080:80', '127.0.0.1:53:53/udp'] }],
    ['--network as network_mode', { network: 'host' }, { network_mode: 'host' }],
    ['--network to a user network as network_mode', { network: 'backend' }, { network_mode: 'backend' }],
    ['a named -v volume, declared with its own name', { volumes: ['data:/data'] }, { volumes: ['data:/data'] }, { data: { name: 'data' } }],
    [
      '-v binds and anonymous volumes as given, not declared',
      { volumes: ['./config:/etc/app:ro', '/srv/host dir:/srv/x', '/anon'] },
      { volumes: ['./config:/etc/app:ro', '/srv/host dir:/srv/x', '/anon'] },
    ],
    [
      '--mount bind in the long syntax',
      { mounts: ['type=bind,source=/etc/app,target=/etc/app,readonly'] },
      { volumes: [{ type: 'bind', source: '/etc/app', target: '/etc/app', read_only: true }] },
    ],
    [
      '--mount with Go’s spellings of true (ro=True) still read-only',
      { mounts: ['type=bind,"source=/a,b",dst=/y,ro=True'] },
      { volumes: [{ type: 'bind', source: '/a,b', target: '/y', read_only: true }] },
    ],
    [
      '--mount volume in the long syntax, declared',
      { mounts: ['type=volume,src=cache,dst=/cache,volume-nocopy'] },
      { volumes: [{ type: 'volume', source: 'cache', target: '/cache', volume: { nocopy: true } }] },
      { cache: { name: 'cache' } },
    ],
    ['--mount anonymous volume (type defaults to volume)', { mounts: ['target=/anon'] }, { volumes: [{ type: 'volume', target: '/anon' }] }],
    [
      '--mount tmpfs with its size (compose 1.29 takes no mode)',
      { mounts: ['type=tmpfs,destination=/scratch,tmpfs-size=64m,tmpfs-mode=1770'] },
      { volumes: [{ type: 'tmpfs', target: '/scratch', tmpfs: { size: 64 * MiB } }] },
    ],
    [
      '--mount with a quoted CRLF, read as Docker reads it (LF)',
      { mounts: ['type=bind,source=/h,"target=/a\r\nb"'] },
      { volumes: [{ type: 'bind', source: '/h', target: '/a\nb' }] },
    ],
  ];

  const HARDENING = { image: 'example/app:1', read_only: true, security_opt: ['no-new-privileges:true'] };
  let docs: ComposeDoc[];
  let texts: string[];

  beforeAll(() => {
    texts = ROWS.map(([, run]) => emitCompose(result(run), { override: false }));
    docs = loadYamlWithPython(texts).map((r, i) => onlyDoc(r, texts[i]!) as ComposeDoc);
  });

  it.each(ROWS.map(([name, , service, volumes], i) => [name, service, volumes, i] as const))('carries %s', (_name, service, volumes, i) => {
    expect(docs[i], texts[i]).toEqual({ services: { app: { ...HARDENING, ...service } }, ...(volumes ? { volumes } : {}) });
  });

  it('writes the service’s keys in a fixed order', () => {
    const text = emitCompose(sampleResult(), { override: false });
    const service = text.slice(0, text.indexOf('\nvolumes:'));
    const keys = service.split('\n').flatMap((l) => (/^ {4}[a-z_]+:/.test(l) ? [l.trim().split(':')[0]] : []));
    expect(keys).toEqual(['image', 'read_only', 'security_opt', 'user', 'entrypoint', 'command', 'environment', 'env_file', 'tmpfs', 'volumes', 'ports', 'network_mode']);
  });
});

describe('emitCompose from --out DIR', () => {
  it('names the same env files and bind sources from the directory it is written to', () => {
    const r = result({ envFiles: ['./app.env', 'prod.env', '/etc/app.env'], volumes: ['./config:/etc/app:ro', 'data:/srv/data', '/abs:/abs', '~/x:/x'], mounts: ['type=bind,source=./certs,target=/certs,readonly', 'type=volume,src=cache,dst=/cache'] });
    const doc = YAML.parse(emitCompose(r, { override: false, from: '..' })) as ComposeDoc;
    const svc = doc.services['app']!;
    expect(svc['env_file']).toEqual(['../app.env', '../prod.env', '/etc/app.env']);
    expect(svc['volumes']).toEqual(expect.arrayContaining(['../config:/etc/app:ro', 'data:/srv/data', '/abs:/abs', '~/x:/x', expect.objectContaining({ type: 'bind', source: '../certs', target: '/certs' })]));
    // Written where the user ran it (--out .), or printed: as given.
    expect(YAML.parse(emitCompose(r, { override: false, from: '.' })).services.app.env_file).toEqual(['./app.env', './prod.env', '/etc/app.env']);
    expect(YAML.parse(emitCompose(r, { override: false })).services.app.env_file).toEqual(['./app.env', 'prod.env', '/etc/app.env']);
    // A deeper directory: back up each level.
    expect(YAML.parse(emitCompose(r, { override: false, from: '../..' })).services.app.env_file[0]).toBe('../../app.env');
  });
});

describe('emitCompose hardening', () => {
  it('puts tmpfs options in the short syntax and named volumes in short or long syntax, declared once with name:', () => {
    const mounts = [
      sampleMount({ path: '/var/lib/redis', uid: 100, gid: 101, mode: 0o750 }),
      sampleMount({ path: '/srv/a:b', sizeBytes: 16 * MiB, mode: 0o1777 }),
      sampleMount({ path: '/etc/app', kind: 'seeded', volumeName: 'config-edit-etc-app-582062' }),
      sampleMount({ path: '/data:x', kind: 'volume', volumeName: 'app-data-x-123abc' }),
      sampleMount({ path: '/data2', kind: 'volume', volumeName: 'app-data-x-123abc' }),
    ];
    const text = emitCompose(result({}, mounts), { override: false });
    expect(text).toBe(
      [
        'services:',
        '  app:',
        '    image: "example/app:1"',
        '    read_only: true',
        '    security_opt:',
        '      - "no-new-privileges:true"',
        '    tmpfs:',
        '      - "/var/lib/redis:rw,noexec,nosuid,nodev,size=64m,mode=0750,uid=100,gid=101"',
        '    volumes:',
        '      - type: "tmpfs"',
        '        target: "/srv/a:b"',
        '        tmpfs:',
        `          size: ${16 * MiB}`,
        '      - "config-edit-etc-app-582062:/etc/app"',
        '      - type: "volume"',
        '        source: "app-data-x-123abc"',
        '        target: "/data:x"',
        '      - "app-data-x-123abc:/data2"',
        'volumes:',
        '  config-edit-etc-app-582062:',
        '    name: "config-edit-etc-app-582062"',
        '  app-data-x-123abc:',
        '    name: "app-data-x-123abc"',
        '',
      ].join('\n'),
    );
  });

  it.each([
    ['a uid', { uid: 1000 }],
    ['a gid', { gid: 4 }],
    ['exec', { exec: true }],
  ])('refuses a tmpfs on a path with ":" that needs %s, naming the path', (_name, need) => {
    expect(() => emitCompose(result({}, [sampleMount({ path: '/srv/a:b', ...need })]), { override: false })).toThrow(
      expect.objectContaining({
        code: 'EMIT_FAILED',
        message: 'the tmpfs on "/srv/a:b" needs uid/gid/exec options, which compose cannot express for a path containing ":"',
        hint: 'Rename the directory in the image, or mount a volume there by hand.',
      }),
    );
  });

  it('refuses a volume mount without a volume name', () => {
    expect(() => emitCompose(result({}, [sampleMount({ kind: 'seeded' })]), { override: false })).toThrow(expect.objectContaining({ code: 'EMIT_FAILED', message: 'the seeded mount on /run has no volume name' }));
  });
});

describe('--compose-override', () => {
  it('holds the hardening only: no image, no pass-through, no user volumes', () => {
    expect(emitCompose(sampleResult(), { override: true })).toBe(
      [
        'services:',
        '  app:',
        '    read_only: true',
        '    security_opt:',
        '      - "no-new-privileges:true"',
        '    tmpfs:',
        '      - "/var/log/app:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=1000,gid=1000"',
        '    volumes:',
        '      - "example-app-1-srv-app-data:/srv/app/data"',
        'volumes:',
        '  example-app-1-srv-app-data:',
        '    name: "example-app-1-srv-app-data"',
        '',
      ].join('\n'),
    );
  });

  it('names the service to merge with by --service', () => {
    expect(emitCompose(sampleResult(), { override: true, service: 'backend' })).toMatch(/^services:\n {2}backend:\n {4}read_only: true\n/);
  });
});

describe('the nginx result', () => {
  const result = () => parseResult(readFileSync(NGINX, 'utf8'), 'nginx.json');

  it('gives the golden compose file', async () => {
    await expect(emitFormat(result(), 'compose')).toMatchFileSnapshot('../../fixtures/expected/nginx/compose.yaml');
  });

  it('gives the golden --compose-override fragment', async () => {
    await expect(emitFormat(result(), 'compose', { ...DEFAULT_EMIT, compose: { override: true } })).toMatchFileSnapshot('../../fixtures/expected/nginx/compose-override.yaml');
  });

  it('gives the same bytes every time', () => {
    expect(emitFormat(result(), 'compose')).toBe(emitFormat(result(), 'compose'));
  });
});
