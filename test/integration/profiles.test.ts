import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExerciseStep } from '../../src/model/exercise-profile.js';
import { builtinProfiles } from '../../src/profiles/library.js';
import { FIXTURE, dockerAvailable, leftovers, runCli, testSession } from '../helpers/cli.js';

/**
 * Every built-in profile, run on a real image of its software (built from Debian packages like
 * the fixtures): picked by the image's name alone, exercised step by step, and verified
 * read-only. No test, no profile: the table must name every built-in.
 */
/** Built-in → the image it is tested on (scripts/make-profile-examples.sh reads it too). */
const TESTED_ON = JSON.parse(readFileSync(new URL('../fixtures/profile-images.json', import.meta.url), 'utf8')) as Record<string, string>;

describe('the built-in profiles', () => {
  it('each has a test image here', () => {
    expect(Object.keys(TESTED_ON).sort()).toEqual(builtinProfiles().map((p) => p.profile.name).sort());
  });
});

describe.skipIf(!dockerAvailable())('each built-in, on its image', () => {
  it.each(builtinProfiles().map((p) => [p.profile.name, p] as const))('%s: picked by name, every step as expected, verified read-only', async (name, loaded) => {
    const session = testSession(`profile-${name}`);
    // No --profile: the image's name picks it (the app profiles' test images carry names they match).
    // Leave-one-out is the fixture suites' to test (and examples/profiles/ show it), except where a
    // profile's image is the case for it: mariadb's chown of a shipped plugin dir is left out by it,
    // and the profile's `ignorable` hint makes that mount the first one tried, so one run does.
    const loo = ['--leave-one-out', name === 'mariadb' ? '1' : '0'];
    const r = await runCli([TESTED_ON[name]!, ...loo, '--format', 'json'], { session, timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.profile).toMatchObject({ name, source: 'built-in', sha256: loaded.sha256 });
    expect(r.stderr).toContain(`profile   ${name} (built-in, sha256 ${loaded.sha256.slice(0, 12)})`);
    // One record per step that talks to the app, each with the outcome the profile expects.
    const steps = loaded.profile.exercise.filter((s): s is Exclude<ExerciseStep, { kind: 'wait' }> => s.kind !== 'wait');
    expect(result.exercise.execs).toHaveLength(steps.length);
    steps.forEach((s, i) => {
      const rec = result.exercise.execs[i];
      if (s.kind === 'http') expect(rec.exitCode, rec.command).toBe(s.expectStatus);
      else if (s.kind === 'exec') expect(rec.exitCode, `${rec.command}: ${rec.output}`).toBe(s.expectExit);
      else expect(rec.exitCode, `${rec.command}: ${rec.output}`).toBe(0);
    });
    expect(result.verification.at(-1)).toMatchObject({ format: 'run', result: 'pass' });
    if (name === 'mariadb') expect(result.plan.mounts.map((m: { path: string }) => m.path)).not.toContain('/usr/lib/mysql/plugin');
    // A mount at a directory of the image (a persistent hint above the written ones included) is
    // planned from its facts, never as one the runtime creates (root-owned, 0755).
    for (const m of result.plan.mounts as { path: string; created?: boolean }[]) {
      const facts = result.fs.dirs.find((d: { path: string }) => d.path === m.path);
      expect(facts, `facts of ${m.path}`).toBeDefined();
      if (facts.exists && !facts.created) expect(m.created, `${m.path} is in the image`).toBeUndefined();
    }
    // What the profile generated never reaches the result.
    for (const e of loaded.profile.run.env) expect(result.run.env).toContainEqual({ name: e.name });
    expect(await leftovers(session)).toEqual([]);
  });
});

/** Runs `fn` with a profile file of this text in a temp dir of its own (removed after). */
async function withProfileFile(name: string, text: string, fn: (file: string, dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ro-profile-test-profile-'));
  try {
    const file = join(dir, name);
    writeFileSync(file, text);
    await fn(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.skipIf(!dockerAvailable())('choosing a profile', () => {
  it('--no-profile: the generic exercise, no profile in the result', async () => {
    const session = testSession('profile-none');
    const r = await runCli([TESTED_ON['redis']!, '--no-profile', '--leave-one-out', '0', '--format', 'json'], { session });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.profile).toBeUndefined();
    expect(result.exercise.execs).toEqual([]);
    expect(await leftovers(session)).toEqual([]);
  });

  it('--profile FILE: a profile of the user\'s own, its steps run before --exec, named in the result and the report', () =>
    withProfileFile(
      'mine.yaml',
      [
        'name: mine',
        'description: the busybox app, my way',
        'match: [nothing-matches-this]',
        'ready: { port: 8080, http: { port: 8080, path: /, status: 200 }, log: ".", timeout: 30s }',
        'exercise:',
        '  - http: { port: 8080, path: /, status: 200 }',
        '  - http: { port: 8080, path: /missing, status: 404 }',
        '  - exec: { command: "test -e /nowhere", exit: 1 }',
        '  - wait: 200ms',
        'writes:',
        '  - { path: /var/log/app, kind: ignorable, reason: the app log nobody reads }',
        '',
      ].join('\n'),
      async (file, dir) => {
        const session = testSession('profile-file');
        const out = join(dir, 'out');
        const r = await runCli([FIXTURE.busybox, '--profile', file, '--exec', 'true', '--format', 'all', '--out', out], { session });
        expect(r.code, r.stderr).toBe(0);
        const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8'));
        expect(result.profile).toMatchObject({ name: 'mine', source: file });
        expect(result.exercise.execs.map((e: { command: string; exitCode: number }) => [e.command, e.exitCode])).toEqual([
          ['HTTP GET :8080/', 200],
          ['HTTP GET :8080/missing', 404],
          ['test -e /nowhere', 1],
          ['true', 0],
        ]);
        const report = readFileSync(join(out, 'report.md'), 'utf8');
        expect(report).toContain('- Exercise profile: `mine`');
        expect(report).toContain('- `/var/log/app` ignorable: the app log nobody reads');
        expect(await leftovers(session)).toEqual([]);
      },
    ));

  it('a restart step: both starts are traced, and a step after it is compared', () =>
    withProfileFile(
      'restarts.yaml',
      [
        'name: restarts',
        'description: redis, started by a shell that leaves a transient file at each start',
        'match: [nothing-matches-this]',
        'run:',
        // Each start writes and removes a file only a trace sees; the second start another one.
        "  command: [sh, -c, 'if [ -e /var/lib/redis/started ]; then f=/tmp/ro-second; else f=/tmp/ro-first; touch /var/lib/redis/started; fi; echo x > $f; rm $f; exec redis-server --bind 0.0.0.0 --protected-mode no --dir /var/lib/redis']",
        'ready: { port: 6379 }',
        'exercise:',
        '  - exec: redis-cli SET k v',
        '  - exec: redis-cli SAVE',
        '  - restart: true',
        '  - exec: test "$(redis-cli GET k)" = v',
        '',
      ].join('\n'),
      async (file) => {
        const session = testSession('profile-restart');
        const r = await runCli([TESTED_ON['redis']!, '--profile', file, '--tracer', 'strace', '--leave-one-out', '0', '--format', 'json'], { session, timeoutMs: 300_000 });
        expect(r.code, r.stderr).toBe(0);
        const result = JSON.parse(r.stdout);
        expect(result.exercise.execs.map((e: { command: string; step?: string; exitCode: number }) => [e.command, e.step, e.exitCode])).toEqual([
          ['redis-cli SET k v', 'exec', 0],
          ['redis-cli SAVE', 'exec', 0],
          ['restart (stop, start, ready again)', 'restart', 0],
          ['test "$(redis-cli GET k)" = v', 'exec', 0],
        ]);
        const written = new Set(result.events.map((e: { path: string }) => e.path));
        expect(written).toContain('/tmp/ro-first');
        expect(written).toContain('/tmp/ro-second');
        expect(result.plan.mounts.map((m: { path: string }) => m.path)).toEqual(expect.arrayContaining(['/tmp', '/var/lib/redis']));
        expect(result.verification.at(-1)).toMatchObject({ format: 'run', result: 'pass' });
        expect(await leftovers(session)).toEqual([]);
      },
    ));

  it('a restart step with the data dir made a tmpfs: exit 7, the step after the restart named, the hint names the tmpfs', async () => {
    const session = testSession('profile-restart-tmpfs');
    const r = await runCli([TESTED_ON['redis']!, '--ephemeral', '/var/lib/redis', '--leave-one-out', '0'], { session, timeoutMs: 300_000 });
    expect(r.code, r.stderr).toBe(7);
    expect(r.stderr).toContain(`the profile's step "test "$(redis-cli GET ro-profile:key)" = value" (after the profile's restart step) exited 1, in the writable run 0`);
    expect(r.stderr).toContain('if the app keeps state in /var/lib/redis, keep it on a volume with --persist PATH');
    expect(await leftovers(session)).toEqual([]);
  });

  it('a step the image does not pass in the writable run: exit 5 naming the step, nothing left', () =>
    withProfileFile('wrong.yaml', 'name: wrong\ndescription: d\nmatch: [x]\nexercise:\n  - http: { port: 8080, path: /missing, status: 200 }\n', async (file) => {
      const session = testSession('profile-wrong');
      const r = await runCli([FIXTURE.busybox, '--profile', file, '--no-verify'], { session });
      expect(r.code, r.stderr).toBe(5);
      expect(r.stderr).toContain("the profile's step HTTP GET :8080/missing answered HTTP 404, not HTTP 200 in the writable run");
      expect(await leftovers(session)).toEqual([]);
    }));

  it('a malformed profile: exit 2 with file:line:column, before anything runs', () =>
    withProfileFile('bad.yaml', 'name: bad\ndescription: d\nmatch: [x]\nexercise:\n  - http: { port: 80, methd: GET }\n', async (file) => {
      const session = testSession('profile-bad');
      const r = await runCli([FIXTURE.busybox, '--profile', file, '--json'], { session });
      expect(r.code).toBe(2);
      const env = JSON.parse(r.stdout);
      expect(env.error.code).toBe('USAGE');
      expect(env.error.message).toContain(`${file}:5:23: "methd" is not allowed in exercise.0.http; allowed: port, method, path, body, upload, headers, status`);
      expect(await leftovers(session)).toEqual([]);
    }));

  it('ro-profile profiles lists every built-in; profiles show prints one as written', async () => {
    const session = testSession('profiles-list');
    const list = await runCli(['profiles', '--json'], { session });
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout).result.map((p: { name: string }) => p.name)).toEqual(builtinProfiles().map((p) => p.profile.name));
    const show = await runCli(['profiles', 'show', 'redis'], { session });
    expect(show.code).toBe(0);
    expect(show.stdout).toBe(builtinProfiles().find((p) => p.profile.name === 'redis')!.text);
    const missing = await runCli(['profiles', 'show', 'nosuch'], { session });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no built-in profile is named "nosuch"');
  });
});
