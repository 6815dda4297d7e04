import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { runCompose, withoutComposeEnv } from '../../src/runtime/compose-cli.js';
import { composeAvailable } from '../helpers/compose.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURE, dockerAvailable, leftovers, runCli, spawnCli, testSession } from '../helpers/cli.js';

/**
 * DESIGN's contract with scripts, driven through the real CLI on a real engine: flags × formats ×
 * failure points, one row each. A row says what it runs, the exit code, what stdout must be (the
 * artifact, or the --json envelope), what stderr must say, and that nothing is left behind.
 */
interface Row {
  readonly name: string;
  readonly args: readonly string[];
  readonly env?: NodeJS.ProcessEnv;
  readonly code: number;
  /** stdout: 'envelope' (the --json object with this outcome and error code), 'artifact' (starts with this), or empty. */
  readonly stdout: { readonly envelope: 'success' | 'error'; readonly error?: string } | { readonly startsWith: string } | 'empty';
  readonly stderr?: RegExp;
  /** More to check on the result a `--format json` row printed. */
  readonly result?: (result: Record<string, unknown>) => void;
  /** Values that must appear on no stream and in no file written (secrets). */
  readonly absent?: readonly string[];
  /** Files --out must have written (the directory is removed after), and what each config file must carry. */
  readonly files?: { readonly dir: string; readonly names: readonly string[]; readonly eachConfigHas?: readonly (string | RegExp)[] };
}

const CONFIG_FILES = ['compose.yaml', 'docker-run.sh', 'k8s.yaml'];

const OUT = join(tmpdir(), `ro-profile-contract-out-${process.pid}`);

/** Fails only under a read-only root (the mountinfo of / says ro), whatever the mounts: no repair can fix it. */
const HANGS_READ_ONLY = "if grep -q ' / / ro' /proc/self/mountinfo; then sleep 120; fi";

/**
 * Prints an error on stdout only when it starts again in the same container (the container id it
 * left in the user's volume, read from its mountinfo, is its own; the hostname is the session's): the writable run and the hardened run's first start never do.
 */
const ERRS_ON_RESTART = 'me=$(grep -o "containers/[0-9a-f]*" /proc/self/mountinfo | head -n 1); if [ "$(cat /srv/state/me 2>/dev/null)" = "$me" ]; then echo "ERROR: restarted over my own state"; fi; echo "$me" > /srv/state/me; exec /app/start.sh';

const ROWS: readonly Row[] = [
  // Exit codes of the engine's refusals, with and without the envelope.
  { name: 'an entrypoint the image lacks', args: [FIXTURE.busybox, '--entrypoint', '/nope', '--no-verify'], code: 5, stdout: 'empty', stderr: /refused to start the container: .*\/nope.*\nhint: The entrypoint or command is not in the image/s },
  { name: 'an entrypoint the image lacks, --json', args: [FIXTURE.busybox, '--entrypoint', '/nope', '--no-verify', '--json'], code: 5, stdout: { envelope: 'error', error: 'CONTAINER_FAILED' } },
  { name: 'a network the engine does not know', args: [FIXTURE.busybox, '--network', 'ro-profile-no-such-net', '--no-verify', '--json'], code: 2, stdout: { envelope: 'error', error: 'USAGE' }, stderr: /docker network create/ },
  { name: 'a user the image does not have', args: [FIXTURE.busybox, '--user', 'nosuchuser', '--no-verify'], code: 2, stdout: 'empty', stderr: /--user takes/ },
  // The engine and the image.
  { name: 'an engine that cannot be reached, --json', args: [FIXTURE.busybox, '--json'], env: { DOCKER_HOST: 'unix:///nonexistent/docker.sock' }, code: 3, stdout: { envelope: 'error', error: 'DOCKER_UNAVAILABLE' } },
  { name: 'an image that is not there and cannot be pulled', args: ['127.0.0.1:1/ro-profile/no-such-image:never', '--json'], code: 4, stdout: { envelope: 'error', error: 'IMAGE_NOT_FOUND' } },
  { name: 'a port that never opens before --timeout', args: [FIXTURE.busybox, '--timeout', '3s', '--json', '--', 'sleep', '60'], code: 6, stdout: { envelope: 'error', error: 'NOT_READY' } },
  // A write straight into a system tree: exit 8, in every format the same header as an unverified config.
  ...(['run', 'compose', 'k8s'] as const).map((format): Row => ({
    name: `a write into /etc, --format ${format}`,
    args: [FIXTURE.base, '--format', format, '--', 'sh', '-c', 'echo x > /etc/app.conf'],
    code: 8,
    stdout: { startsWith: '# UNVERIFIED: this config cannot run read-only as is' },
    stderr: /the image writes straight into \/etc/,
  })),
  // Usage errors before anything runs.
  { name: 'a usage error, --json', args: ['--json'], code: 2, stdout: { envelope: 'error', error: 'USAGE' } },
  { name: 'an unknown flag, --json', args: [FIXTURE.busybox, '--no-such-flag', '--json'], code: 2, stdout: { envelope: 'error', error: 'USAGE' } },
  { name: 'a --volume-prefix that cannot start a volume name', args: [FIXTURE.busybox, '--volume-prefix', 'Bad_One', '--json'], code: 2, stdout: { envelope: 'error', error: 'USAGE' } },
  // Nothing waits forever: a step past --exec-timeout.
  { name: 'an exec step past --exec-timeout in the writable run', args: [FIXTURE.busybox, '--exec', 'sleep 120', '--exec-timeout', '2s', '--no-verify'], code: 5, stdout: 'empty', stderr: /did not end within 2 s in the writable run\nhint: Raise --exec-timeout/ },
  {
    name: 'an exec step that hangs only in the hardened run: a difference, exit 7, the config printed UNVERIFIED',
    args: [FIXTURE.busybox, '--exec', HANGS_READ_ONLY, '--exec-timeout', '3s', '--leave-one-out', '0'],
    code: 7,
    stdout: { startsWith: '# UNVERIFIED: ' },
    stderr: /exited 124, in the writable run 0/,
  },
  // Secrets stay out of every stream, short values too, in the difference that quotes the --exec.
  {
    name: 'a difference quoting an --exec with a short and a long secret value in it: neither printed',
    args: [FIXTURE.busybox, '-e', 'API_KEY=zq9', '-e', 'DB_PASSWORD=correct-horse-battery', '--exec', `test "$API_KEY" = zq9 && test "$DB_PASSWORD" = correct-horse-battery && ${HANGS_READ_ONLY}`, '--exec-timeout', '3s', '--leave-one-out', '0'],
    code: 7,
    stdout: { startsWith: '# UNVERIFIED: ' },
    stderr: /exited 124, in the writable run 0/,
    absent: ['zq9', 'correct-horse-battery'],
  },
  // The same pass-through in every format.
  {
    name: 'the user\'s volume, port and network reach every format',
    args: [FIXTURE.busybox, '-v', `ro-profile-contract-pass-${process.pid}:/srv/data`, '-p', '127.0.0.1:18080:8080', '--network', 'bridge', '--no-verify', '--format', 'all', '--out', `${OUT}-pass`],
    code: 0,
    stdout: 'empty',
    files: { dir: `${OUT}-pass`, names: ['compose.yaml', 'docker-run.sh', 'junit.xml', 'k8s.yaml', 'report.md', 'result.json', 'results.sarif'], eachConfigHas: [`ro-profile-contract-pass-${process.pid}`, '/srv/data', '8080'] },
  },
  // Restart checks read the restart's own output, stdout included: what only the second start
  // printed is seen, and recorded as a restart-state warning with the line as evidence (the config
  // runs; the state the app left in the user's own volume is what breaks its restart).
  {
    name: 'an error line only a restart prints, on stdout: seen, a restart-state finding with the line',
    args: [FIXTURE.busybox, '--user', '0', '-v', `ro-profile-contract-restart-${process.pid}:/srv/state`, '--leave-one-out', '0', '--format', 'json', '--', 'sh', '-c', ERRS_ON_RESTART],
    code: 0,
    stdout: { startsWith: '{' },
    stderr: /final run with a restart: after a restart: 1 new error line in the logs/,
    result: (r) => {
      const finding = (r['findings'] as { kind: string; evidence?: string[] }[]).find((f) => f.kind === 'restart-state');
      expect(finding?.evidence).toContain('ERROR: restarted over my own state');
    },
  },
  // --json with --out: the files and the envelope.
  {
    name: '--json with --out',
    args: [FIXTURE.busybox, '--no-verify', '--json', '--format', 'all', '--out', OUT],
    code: 0,
    stdout: { envelope: 'success' },
    files: { dir: OUT, names: ['compose.yaml', 'docker-run.sh', 'junit.xml', 'k8s.yaml', 'report.md', 'result.json', 'results.sarif'] },
  },
];

describe.skipIf(!dockerAvailable())('the contract, row by row', () => {
  it.each(ROWS)('$name: exit $code', async (row) => {
    const session = testSession('contract');
    const started = Date.now();
    const r = await runCli([...row.args], { session, ...(row.env ? { env: row.env } : {}) });
    expect(r.code, r.stderr).toBe(row.code);
    if (row.stdout === 'empty') expect(r.stdout).toBe('');
    else if ('startsWith' in row.stdout) expect(r.stdout.startsWith(row.stdout.startsWith), r.stdout).toBe(true);
    else {
      const env = JSON.parse(r.stdout);
      expect(env.outcome).toBe(row.stdout.envelope);
      if (row.stdout.error) expect(env.error).toMatchObject({ code: row.stdout.error, message: expect.any(String), hint: expect.any(String) });
      expect(r.stdout.trim().split('\n')).toHaveLength(1);
    }
    if (row.stderr) expect(r.stderr).toMatch(row.stderr);
    row.result?.(JSON.parse(r.stdout));
    for (const value of row.absent ?? []) {
      expect(r.stdout).not.toContain(value);
      expect(r.stderr).not.toContain(value);
    }
    if (row.files) {
      try {
        expect(readdirSync(row.files.dir).sort()).toEqual([...row.files.names]);
        for (const name of row.files.names) {
          const text = readFileSync(join(row.files.dir, name), 'utf8');
          for (const value of row.absent ?? []) expect(text).not.toContain(value);
          if (CONFIG_FILES.includes(name)) for (const want of row.files.eachConfigHas ?? []) expect(text, name).toMatch(typeof want === 'string' ? new RegExp(want.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')) : want);
        }
      } finally {
        rmSync(row.files.dir, { recursive: true, force: true });
      }
    }
    // Bounded: no row waits out a 120 s sleep.
    expect(Date.now() - started).toBeLessThan(90_000);
    expect(await leftovers(session)).toEqual([]);
  });

  it('a user mount named through a link (-v VOL:/var/run/app, /var/run -> /run) covers the writes at /run/app: no second mount there', async () => {
    const session = testSession('contract-link-mount');
    const volume = `ro-profile-contract-${process.pid}`;
    const r = await runCli([FIXTURE.busybox, '-v', `${volume}:/var/run/app`, '--tracer', 'strace', '--tracer-base', FIXTURE.base, '--exec', 'echo hi > /run/app/state', '--format', 'json'], { session });
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout);
    expect(result.plan.mounts.map((m: { path: string }) => m.path)).not.toContain('/run/app');
    expect(result.fs.symlinks).toContainEqual({ path: '/var/run', target: '/run' });
    expect(result.verification.at(-1).result).toBe('pass');
    // The volume the run had to create is removed with it.
    expect(await leftovers(session)).toEqual([]);
  });

  it('--volume-prefix keeps two services of one image apart: their named volumes differ, and verification says it uses the user\'s own mounts', async () => {
    const names: string[][] = [];
    for (const prefix of ['shop', 'billing']) {
      const session = testSession(`contract-prefix-${prefix}`);
      const r = await runCli(['ro-profile-fixture/sqlite-app:latest', '--volume-prefix', prefix, '--no-verify', '--format', 'json'], { session });
      expect(r.code, r.stderr).toBe(0);
      const result = JSON.parse(r.stdout);
      expect(result.analysis.volumePrefix).toBe(prefix);
      names.push(result.plan.mounts.map((m: { volumeName?: string }) => m.volumeName).filter(Boolean));
      expect(await leftovers(session)).toEqual([]);
    }
    expect(names[0]).toEqual([expect.stringMatching(/^shop-sqlite-app-var-lib-app-/)]);
    expect(names[1]).toEqual([expect.stringMatching(/^billing-sqlite-app-var-lib-app-/)]);
    const session = testSession('contract-own-mounts');
    const volume = `ro-profile-contract-own-${process.pid}`;
    const r = await runCli([FIXTURE.busybox, '-v', `${volume}:/srv/scratch`], { session });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`warning: verification starts the image again under each config it tries with your own mounts (${volume}:/srv/scratch)`);
    expect(await leftovers(session)).toEqual([]);
  });

  it.skipIf(!composeAvailable() && process.env['CI'] !== 'true')('--out DIR: the compose file names the env file relative to where it is written, so docker-compose reads it from there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ro-profile-contract-cwd-'));
    try {
      writeFileSync(join(dir, 'app.env'), 'APP_MODE=blue\n');
      const session = testSession('contract-out-compose');
      // Verified through docker-compose from deploy/, as the user will run it.
      const r = await runCli([FIXTURE.busybox, '--env-file', './app.env', '--exec', 'test "$APP_MODE" = blue', '--verify-with', 'compose', '--format', 'all', '--out', 'deploy'], { session, cwd: dir });
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(dir, 'deploy', 'compose.yaml'), 'utf8')).toContain('- "../app.env"');
      expect(JSON.parse(readFileSync(join(dir, 'deploy', 'result.json'), 'utf8')).verification[0]).toMatchObject({ format: 'compose', result: 'pass' });
      // docker-compose resolves env_file against the file's own directory, from anywhere.
      const config = await runCompose(['-f', join(dir, 'deploy', 'compose.yaml'), 'config'], { env: withoutComposeEnv(process.env) });
      expect(config.code, config.stderr).toBe(0);
      expect(config.stdout).toMatch(/APP_MODE: blue/);
      expect(await leftovers(session)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the first Ctrl-C ends a run blocked in an exec step at once, and nothing is left', async () => {
    const session = testSession('contract-interrupt-exec');
    const child = spawnCli([FIXTURE.busybox, '--exec', 'sleep 120', '--no-verify'], { session });
    let stderr = '';
    child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
    const deadline = Date.now() + 60_000;
    while (!stderr.includes('ro-profile: ready') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    const sent = Date.now();
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(130);
    expect(Date.now() - sent).toBeLessThan(20_000);
    expect(await leftovers(session)).toEqual([]);
  });
});
