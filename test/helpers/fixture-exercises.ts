import { expect } from 'vitest';
import { docker } from './cli.js';
import { eventually, type StartedHardened } from './hardened-run.js';

/**
 * Every fixture image, the profiling flags its exercise needs, and the check that proves the
 * hardened container works: the same exercise, run against the config ro-profile printed.
 * scripts/make-results.sh and scripts/make-examples.sh profile with the same flags.
 */
export interface FixtureCase {
  readonly fixture: string;
  readonly image: string;
  /** Flags for `ro-profile IMAGE`, beyond the format. */
  readonly args: readonly string[];
  /** The exercise, against a container started from the printed config. */
  check(c: StartedHardened, options?: CheckOptions): Promise<void>;
}

export interface CheckOptions {
  /**
   * Whether the image's own HEALTHCHECK runs and must pass (default true). Kubernetes ignores
   * it, and podman runs none without systemd, so the Kubernetes runs pass false.
   */
  readonly healthcheck?: boolean;
}

async function get(c: StartedHardened, port: number): Promise<{ status: number; text: string }> {
  return eventually(async () => {
    const res = await fetch(`http://${c.ip}:${port}/`, { signal: AbortSignal.timeout(3000) });
    return { status: res.status, text: await res.text() };
  });
}

/** HTTP 200 on GET / (and the page holds `contains`, when given). */
const http =
  (port: number, contains?: string) =>
  async (c: StartedHardened): Promise<void> => {
    const page = await get(c, port);
    expect(page.status, `GET http://${c.ip}:${port}/`).toBe(200);
    if (contains !== undefined) expect(page.text).toContain(contains);
  };

/** A command inside the container exits 0 (and prints `contains`, when given). */
async function execOk(c: StartedHardened, cmd: string[], contains?: string): Promise<void> {
  const r = await c.exec(cmd);
  expect(r.exitCode, `${cmd.join(' ')}: ${r.output}`).toBe(0);
  if (contains !== undefined) expect(r.output).toContain(contains);
}

/** Profiled with the live tracer (its image built from the fixture base: no registry needed). */
const TRACED = ['--tracer', 'strace', '--tracer-base', 'ro-profile-fixture/base:latest'];

/**
 * The fixtures exercise the generic path (--no-profile): the built-in profiles that match some of
 * them by name have their own suite (test/integration/profiles.test.ts).
 */
const fixture = (name: string, args: string[], check: (c: StartedHardened, options?: CheckOptions) => Promise<void>): FixtureCase => ({
  fixture: name,
  image: `ro-profile-fixture/${name}:latest`,
  args: ['--no-profile', ...args],
  check,
});

export const FIXTURE_CASES: readonly FixtureCase[] = [
  fixture('busybox-app', [], async (c) => {
    await http(8080)(c);
    // The pid file, written through the /var/run -> /run symlink into the uid-1000 tmpfs.
    await execOk(c, ['cat', '/var/run/app/app.pid']);
  }),
  fixture('busybox-health', [], async (c, options) => {
    await http(8080)(c);
    if (options?.healthcheck === false) return;
    // Its own healthcheck (wget inside the container) passes under the hardening.
    await eventually(async () => (await docker.getContainer(c.id).inspect()).State.Health?.Status === 'healthy', 20_000);
  }),
  fixture('busybox-volume', [], async (c) => {
    await http(8080)(c);
    await execOk(c, ['cat', '/data/started']);
  }),
  fixture('trace-app', [...TRACED, '--exec', ': >> /var/lib/trace-app/state'], async (c) => {
    await http(8080)(c);
    // The shipped file the --exec step opens for appending (only the trace saw it).
    await execOk(c, ['sh', '-c', ': >> /var/lib/trace-app/state']);
  }),
  fixture('no-shell', TRACED, async (c) => {
    // syslogd runs (an exec needs a running container) and has logged into its mount.
    await eventually(async () => (await c.exec(['/bin/busybox', 'test', '-s', '/var/log/messages'])).exitCode === 0);
  }),
  fixture('temp-churn', TRACED, async (c) => {
    // Its loop has made and removed temp data in /tmp a few times and still runs.
    await new Promise((r) => setTimeout(r, 1000));
    await execOk(c, ['sh', '-c', 'kill -0 1 && test -w /tmp']);
  }),
  fixture('write-check', TRACED, async (c) => {
    // Its start-up check `[ -w /srv/uploads ]` passed under the read-only root, and it still runs.
    await new Promise((r) => setTimeout(r, 1000));
    await execOk(c, ['sh', '-c', 'kill -0 1 && test -w /srv/uploads']);
    expect(await c.logs()).toContain('accepting uploads');
  }),
  // Verification's fixtures: each config is the verified one (a repair, an optional edit left out, a required mount).
  fixture('open-log', [], http(8080)),
  fixture('edit-optional', [], http(8080)),
  fixture('silent-default', [], http(8080, 'generated')),
  fixture('shutdown-writer', [], http(8080)),
  fixture('stale-lock', [], http(8080)),
  fixture('clock-page', [], http(8080, 'Bad Gateway')),
  fixture('tempdir-search', [], async (c) => {
    // It found a temp dir it can use, and still runs (it checks it twice a second).
    await new Promise((r) => setTimeout(r, 1000));
    await execOk(c, ['sh', '-c', 'kill -0 1']);
    expect(await c.logs()).toContain('temp files go to /tmp');
  }),
  fixture('nginx', [], http(80)),
  fixture('redis', ['--exec', 'redis-cli SET k v', '--exec', 'redis-cli SAVE'], async (c) => {
    await eventually(async () => (await c.exec(['redis-cli', 'PING'])).output.includes('PONG'));
    await execOk(c, ['redis-cli', 'SET', 'k', 'v'], 'OK');
    await execOk(c, ['redis-cli', 'SAVE'], 'OK');
    expect(await c.logs()).toContain('DB saved on disk');
  }),
  fixture('apache2', [], http(80)),
  fixture('config-edit', [], http(8080, 'site blue')),
  fixture('nonroot-dirs', [], async (c) => {
    await http(8080)(c);
    await execOk(c, ['ls', '/srv/uploads/first-upload.txt']);
  }),
  fixture('seeded-data', [], async (c) => {
    await http(8080)(c);
    // The schema the image ships in its data directory reached the mount, and the app applied it.
    await execOk(c, ['test', '-s', '/var/lib/app/schema.sql']);
    await execOk(c, ['sqlite3', '/var/lib/app/app.db', 'SELECT count(*) FROM starts']);
  }),
  fixture('metrics-store', [], async (c) => {
    // It appends samples to its segment and still runs.
    await new Promise((r) => setTimeout(r, 1000));
    await execOk(c, ['sh', '-c', 'kill -0 1 && test -s /srv/metrics/segment-000001.dat']);
  }),
  fixture('sqlite-app', [], async (c) => {
    await http(8080)(c);
    await execOk(c, ['sqlite3', '/var/lib/app/app.db', 'SELECT count(*) FROM starts']);
  }),
];

/** What a hardened container must never log. */
export const READ_ONLY_ERRORS = /read-only file system|EROFS|permission denied/i;
