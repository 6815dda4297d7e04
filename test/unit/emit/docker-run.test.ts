import { execFileSync } from 'node:child_process';
import { sampleMount, sampleRun } from '../../helpers/samples.js';
import { describe, expect, it } from 'vitest';
import { planMounts } from '../../../src/analyze/plan-mounts.js';
import { emitDockerRun, hardeningArgs, passThroughArgs } from '../../../src/emit/docker-run.js';
import { shellJoin } from '../../../src/emit/shell-quote.js';
import type { Mount } from '../../../src/model/mount-plan.js';
import type { RunSpec } from '../../../src/model/run-spec.js';
import * as fixtures from '../../helpers/scenarios.js';

const MiB = 1024 * 1024;

function mount(overrides: Partial<Mount>): Mount {
  return sampleMount(overrides);
}

function run(overrides: Partial<RunSpec> = {}): RunSpec {
  return { ...sampleRun({ image: 'ro-profile-fixture/nginx:latest' }), ...overrides };
}

/** The argv the real /bin/sh builds from the emitted line (with `docker` replaced by printf). */
function argvOf(line: string): string[] {
  expect(line.startsWith('docker run ')).toBe(true);
  const out = execFileSync('/bin/sh', ['-c', `printf "%s\\0" ${line.slice('docker '.length)}`]).toString('utf8');
  return out.split('\0').slice(0, -1);
}

describe('hardeningArgs', () => {
  it('always makes the root read-only and forbids new privileges', () => {
    expect(hardeningArgs([])).toEqual(['--read-only', '--security-opt', 'no-new-privileges']);
  });

  it.each<[string, Mount, string[]]>([
    ['a plain path becomes --tmpfs', mount({ path: '/var/lib/redis', uid: 100, gid: 101, mode: 0o750 }), ['--tmpfs', '/var/lib/redis:rw,noexec,nosuid,nodev,size=64m,mode=0750,uid=100,gid=101']],
    ['a path with a colon becomes --mount', mount({ path: '/srv/a:b' }), ['--mount', `type=tmpfs,destination=/srv/a:b,tmpfs-size=${64 * MiB},tmpfs-mode=0755`]],
    ['a path with a colon and a comma is CSV-quoted', mount({ path: '/srv/a:b,c' }), ['--mount', `type=tmpfs,"destination=/srv/a:b,c",tmpfs-size=${64 * MiB},tmpfs-mode=0755`]],
    ['a quote inside a CSV field is doubled', mount({ path: '/srv/a:"b"' }), ['--mount', `type=tmpfs,"destination=/srv/a:""b""",tmpfs-size=${64 * MiB},tmpfs-mode=0755`]],
  ])('%s', (_name, m, args) => {
    expect(hardeningArgs([m]).slice(3)).toEqual(args);
  });

  it.each<[string, Mount, string[]]>([
    ['a volume becomes -v NAME:PATH', mount({ path: '/var/lib/redis', kind: 'volume', volumeName: 'redis-var-lib-redis-09be9d', uid: 100, gid: 101, mode: 0o750 }), ['-v', 'redis-var-lib-redis-09be9d:/var/lib/redis']],
    ['a seeded volume becomes -v NAME:PATH too: Docker copies the image’s content in', mount({ path: '/etc/app', kind: 'seeded', volumeName: 'config-edit-etc-app-582062' }), ['-v', 'config-edit-etc-app-582062:/etc/app']],
    ['a volume on a path with a colon becomes --mount', mount({ path: '/srv/a:b', kind: 'volume', volumeName: 'app-srv-a-b-123abc' }), ['--mount', 'type=volume,source=app-srv-a-b-123abc,target=/srv/a:b']],
    ['a volume on a path with a colon and a comma is CSV-quoted', mount({ path: '/srv/a:b,c', kind: 'seeded', volumeName: 'app-srv-a-b-c-123abc' }), ['--mount', 'type=volume,source=app-srv-a-b-c-123abc,"target=/srv/a:b,c"']],
  ])('%s', (_name, m, args) => {
    expect(hardeningArgs([m]).slice(3)).toEqual(args);
  });

  it.each<[string, Mount, string]>([
    ['a volume mount without a name', mount({ kind: 'volume' }), 'the volume mount on /run has no volume name'],
    ['a seeded mount without a name', mount({ kind: 'seeded' }), 'the seeded mount on /run has no volume name'],
    ['a colon path that needs a uid', mount({ path: '/srv/a:b', uid: 1000 }), 'the tmpfs on "/srv/a:b" needs uid/gid/exec options, which docker run cannot express for a path containing ":"'],
    ['a colon path that needs exec', mount({ path: '/srv/a:b', exec: true }), 'the tmpfs on "/srv/a:b" needs uid/gid/exec options, which docker run cannot express for a path containing ":"'],
  ])('refuses %s with EMIT_FAILED', (_name, m, message) => {
    expect(() => hardeningArgs([m])).toThrow(expect.objectContaining({ code: 'EMIT_FAILED', message }));
  });
});

describe('hardeningArgs for the captured fixture images', () => {
  // The flags test/fixtures/docker-diff/README.md records as checked by hand, where it has them.
  it.each<[string, () => fixtures.Scenario, string]>([
    [
      'nginx',
      fixtures.nginxScenario,
      '--tmpfs /run:rw,noexec,nosuid,nodev,size=64m,mode=0755 --tmpfs /var/lib/nginx:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=33 --tmpfs /var/log/nginx:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=33,gid=4',
    ],
    [
      'apache2 (not /run alone, which hides /run/lock)',
      fixtures.apache2Scenario,
      '--tmpfs /run/apache2:rw,noexec,nosuid,nodev,size=64m,mode=0755 --tmpfs /run/lock:rw,noexec,nosuid,nodev,size=64m,mode=1777 --tmpfs /var/log/apache2:rw,noexec,nosuid,nodev,size=64m,mode=0750,gid=4',
    ],
    ['redis (dump.rdb is data)', fixtures.redisScenario, '-v redis-var-lib-redis-09be9d:/var/lib/redis'],
    ['config-edit (a tmpfs would hide defaults.env)', fixtures.configEditScenario, '-v config-edit-etc-app-582062:/etc/app'],
    ['the non-root app (gid 1000 writes /srv/uploads through its group)', fixtures.nonrootDirsScenario, '--tmpfs /srv/uploads:rw,noexec,nosuid,nodev,size=64m,mode=0775,gid=1000 --tmpfs /tmp:rw,noexec,nosuid,nodev,size=64m,mode=1777'],
    ['the SQLite app', fixtures.sqliteAppScenario, '-v sqlite-app-var-lib-app-38219d:/var/lib/app'],
  ])('gives %s the flags it needs', (_name, scenario, flags) => {
    const s = scenario();
    const h = fixtures.harvestScenario(s);
    const { plan } = planMounts({ image: s.image, events: h.events, fs: h.fs, userMounts: [] });
    expect(shellJoin(hardeningArgs(plan.mounts).slice(3))).toBe(flags);
  });
});

describe('passThroughArgs', () => {
  it('carries every user option over, in a fixed order', () => {
    const spec = run({
      env: [{ name: 'TOKEN' }, { name: 'TZ' }],
      envFiles: ['./app.env'],
      user: '1000:1000',
      entrypoint: '/bin/sh',
      volumes: ['data:/data'],
      mounts: ['type=bind,source=/etc/app,target=/etc/app,readonly'],
      publish: ['8080:80'],
      network: 'backend',
    });
    expect(passThroughArgs(spec)).toEqual([
      '-e', 'TOKEN', '-e', 'TZ',
      '--env-file', './app.env',
      '--user', '1000:1000',
      '--entrypoint', '/bin/sh',
      '-v', 'data:/data',
      '--mount', 'type=bind,source=/etc/app,target=/etc/app,readonly',
      '-p', '8080:80',
      '--network', 'backend',
    ]);
  });

  it('adds nothing when the user gave nothing', () => {
    expect(passThroughArgs(run())).toEqual([]);
  });

  it('keeps an empty --entrypoint, which clears the image’s entrypoint', () => {
    expect(passThroughArgs(run({ entrypoint: '' }))).toEqual(['--entrypoint', '']);
  });
});

describe('emitDockerRun', () => {
  it('writes one line with the command after the image', () => {
    const line = emitDockerRun(run({ command: ['nginx', '-g', 'daemon off;'], publish: ['8080:80'] }), [mount({})]);
    expect(line).toBe("docker run --read-only --security-opt no-new-privileges --tmpfs /run:rw,noexec,nosuid,nodev,size=64m,mode=0755 -p 8080:80 ro-profile-fixture/nginx:latest nginx -g 'daemon off;'\n");
  });

  it('quotes every word so the shell gives docker exactly the intended argv', () => {
    const spec = run({ env: [{ name: 'TZ' }], volumes: ['my data:/data'], command: ['sh', '-c', `echo "$HOME" 'x' \`id\`\nexit 0`] });
    const line = emitDockerRun(spec, [mount({ path: '/srv/with space', uid: 33 })]);
    expect(line.split('\n')).toHaveLength(3); // the newline lives inside the quoted command, then the final one
    expect(argvOf(line.trimEnd())).toEqual([
      'run', '--read-only', '--security-opt', 'no-new-privileges',
      '--tmpfs', '/srv/with space:rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=33',
      '-e', 'TZ', '-v', 'my data:/data',
      'ro-profile-fixture/nginx:latest', 'sh', '-c', `echo "$HOME" 'x' \`id\`\nexit 0`,
    ]);
  });

  it('mixes tmpfs and named volumes in one line, in the plan’s order', () => {
    const mounts = [
      mount({ path: '/etc/app', kind: 'seeded', volumeName: 'config-edit-etc-app-582062', uid: 1000, gid: 1000 }),
      mount({ path: '/tmp', mode: 0o1777 }),
      mount({ path: '/var/lib/app', kind: 'volume', volumeName: 'app-var-lib-app-38219d', uid: 999, gid: 999, mode: 0o750 }),
    ];
    expect(argvOf(emitDockerRun(run(), mounts).trimEnd())).toEqual([
      'run', '--read-only', '--security-opt', 'no-new-privileges',
      '-v', 'config-edit-etc-app-582062:/etc/app',
      '--tmpfs', '/tmp:rw,noexec,nosuid,nodev,size=64m,mode=1777',
      '-v', 'app-var-lib-app-38219d:/var/lib/app',
      'ro-profile-fixture/nginx:latest',
    ]);
  });

  it('names environment variables without their values', () => {
    const line = emitDockerRun(run({ env: [{ name: 'API_TOKEN' }] }), []);
    expect(line).toContain(' -e API_TOKEN ');
    expect(line).not.toContain('=');
  });
});
