import { describe, expect, it } from 'vitest';
import { buildRunSpec, readEnvFile, type PassThroughFlags } from '../../../src/cli/passthrough.js';
import { tmpDir } from '../../helpers/tmp.js';

const EXERCISE = { execs: [], durationMs: 0, timeoutMs: 60_000, settleMs: 2_000 };

function flags(overrides: Partial<PassThroughFlags> = {}): PassThroughFlags {
  return { image: 'redis:7', env: [], envFile: [], volume: [], mount: [], publish: [], command: [], ...overrides };
}

describe('buildRunSpec', () => {
  it('builds a plain run spec with no options', () => {
    expect(buildRunSpec(flags(), EXERCISE, {})).toEqual({
      run: {
        image: 'redis:7',
        env: [],
        envFiles: [],
        command: [],
        volumes: [],
        mounts: [],
        publish: [],
        exercise: { ...EXERCISE, probePorts: [] },
      },
      secrets: new Map(),
    });
  });

  it('keeps variable names in the spec and their values apart', () => {
    const { run, secrets } = buildRunSpec(flags({ env: ['TOKEN=abc', 'TZ', 'EMPTY=', 'TOKEN=s3=cret', 'UNSET'] }), EXERCISE, { TZ: 'UTC' });
    expect(run.env).toEqual([{ name: 'TOKEN' }, { name: 'TZ' }, { name: 'EMPTY' }, { name: 'UNSET' }]);
    expect([...secrets]).toEqual([
      ['TOKEN', 's3=cret'],
      ['TZ', 'UTC'],
      ['EMPTY', ''],
    ]);
    expect(JSON.stringify(run)).not.toContain('s3=cret');
  });

  it('reads --env-file values, lets -e override them, and keeps only the file name', () => {
    using dir = tmpDir();
    const file = dir.write('app.env', 'DB_PASSWORD=hunter2\nTZ=Europe/Paris\n');
    const { run, secrets } = buildRunSpec(flags({ envFile: [file], env: ['TZ=UTC'] }), EXERCISE, {});
    expect(run.envFiles).toEqual([file]);
    expect(run.env).toEqual([{ name: 'TZ' }]);
    expect(Object.fromEntries(secrets)).toEqual({ DB_PASSWORD: 'hunter2', TZ: 'UTC' });
    expect(JSON.stringify(run)).not.toContain('hunter2');
  });

  it('carries the other options exactly as given', () => {
    const { run } = buildRunSpec(
      flags({
        user: '999',
        entrypoint: '',
        volume: ['./data:/data', 'cache:/cache:ro'],
        mount: ['type=tmpfs,target=/tmp'],
        publish: ['6379:6379'],
        network: 'backend',
        command: ['redis-server', '--appendonly', 'yes'],
      }),
      EXERCISE,
      {},
    );
    expect(run).toMatchObject({
      user: '999',
      entrypoint: '',
      volumes: ['./data:/data', 'cache:/cache:ro'],
      mounts: ['type=tmpfs,target=/tmp'],
      publish: ['6379:6379'],
      network: 'backend',
      command: ['redis-server', '--appendonly', 'yes'],
    });
  });

  it.each<[string, Partial<PassThroughFlags>, string]>([
    ['an invalid -e name, without echoing its value', { env: ['1BAD=topsecret'] }, '"-e 1BAD=…" has an invalid variable name'],
    ['an invalid -e name given alone', { env: ['A-B C'] }, '"-e A-B C" has an invalid variable name'],
    ['a -v with no source', { volume: [':/data'] }, '"-v :/data" is not a volume specification'],
    ['a -v with no target', { volume: ['data:'] }, '"-v data:" is not a volume specification'],
    ['a --mount with no target', { mount: ['type=bind,source=/x'] }, '"--mount type=bind,source=/x" cannot be used: it has no target'],
    ['--network none with --publish', { network: 'none', publish: ['80:80'] }, '"--network none" and "-p/--publish" cannot be used together'],
  ])('refuses %s', (_name, overrides, message) => {
    expect(() => buildRunSpec(flags(overrides), EXERCISE, {})).toThrow(expect.objectContaining({ code: 'USAGE', message }));
  });
});

describe('readEnvFile', () => {
  it('reads Docker’s env-file format', () => {
    using dir = tmpDir();
    const file = dir.write(
      'app.env',
      ['# database', '', 'DB_URL=postgres://u:p@db/app?x=1', '   INDENTED=yes', 'SPACES=a b  ', 'FROM_ENV', 'NOT_SET', 'QUOTED="kept as is"', 'CRLF=1\r', ''].join('\n'),
    );
    expect(readEnvFile(file, { FROM_ENV: 'from-env' })).toEqual([
      ['DB_URL', 'postgres://u:p@db/app?x=1'],
      ['INDENTED', 'yes'],
      ['SPACES', 'a b  '],
      ['FROM_ENV', 'from-env'],
      ['QUOTED', '"kept as is"'],
      ['CRLF', '1'],
    ]);
  });

  it('names the file and line of an invalid variable', () => {
    using dir = tmpDir();
    const file = dir.write('bad.env', 'OK=1\nexport BAD=2\n');
    expect(() => readEnvFile(file, {})).toThrow(expect.objectContaining({ code: 'USAGE', message: `${file}:2: "export BAD" is not a valid variable name` }));
  });

  it('says why a missing file cannot be read', () => {
    expect(() => readEnvFile('/nonexistent/ro-profile.env', {})).toThrow(
      expect.objectContaining({ code: 'USAGE', message: '"--env-file /nonexistent/ro-profile.env" cannot be read: ENOENT' }),
    );
  });
});
