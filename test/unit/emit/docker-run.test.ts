import { execFileSync } from 'node:child_process';
import { sampleMount, sampleRun } from '../../helpers/samples.js';
import { describe, expect, it } from 'vitest';
import { emitDockerRun, hardeningArgs, passThroughArgs } from '../../../src/emit/docker-run.js';
import type { Mount } from '../../../src/model/mount-plan.js';
import type { RunSpec } from '../../../src/model/run-spec.js';

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

  it.each<[string, Mount, string]>([
    ['a volume mount', mount({ kind: 'volume' }), 'mount kind "volume" on /run cannot be written as docker run flags yet'],
    ['a colon path that needs a uid', mount({ path: '/srv/a:b', uid: 1000 }), 'the tmpfs on "/srv/a:b" needs uid/gid/exec options, which docker run cannot express for a path containing ":"'],
    ['a colon path that needs exec', mount({ path: '/srv/a:b', exec: true }), 'the tmpfs on "/srv/a:b" needs uid/gid/exec options, which docker run cannot express for a path containing ":"'],
  ])('refuses %s with EMIT_FAILED', (_name, m, message) => {
    expect(() => hardeningArgs([m])).toThrow(expect.objectContaining({ code: 'EMIT_FAILED', message }));
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

  it('names environment variables without their values', () => {
    const line = emitDockerRun(run({ env: [{ name: 'API_TOKEN' }] }), []);
    expect(line).toContain(' -e API_TOKEN ');
    expect(line).not.toContain('=');
  });
});
