import type { DirFacts, ShippedEntry } from '../../src/model/fs-facts.js';
import type { HealthcheckSpec, ImageFacts } from '../../src/model/image-facts.js';
import type { Finding, Mount } from '../../src/model/mount-plan.js';
import type { ExerciseReport, ProbeResult, Result } from '../../src/model/result.js';
import type { RunSpec } from '../../src/model/run-spec.js';
import type { WriteEvent } from '../../src/model/write-event.js';

const MiB = 1024 * 1024;

/**
 * A complete result of an app that keeps a SQLite database in /srv/app/data and logs to
 * /var/log/app, built from the TypeScript types. Every optional field of every object is set
 * somewhere (the `Required<...>` values below fail to compile when a type gains a field), so a
 * schema that forgets a property rejects it.
 */
export function sampleResult(): Result {
  const healthcheck: Required<HealthcheckSpec> = {
    test: ['CMD-SHELL', 'wget -qO- http://127.0.0.1:8080/health || exit 1'],
    intervalMs: 30_000,
    timeoutMs: 5_000,
    startPeriodMs: 2_000,
    retries: 3,
  };
  const image: Required<ImageFacts> = {
    ref: 'example/app:1',
    id: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
    repoDigests: ['example/app@sha256:2222222222222222222222222222222222222222222222222222222222222222'],
    user: 'app',
    entrypoint: ['/entrypoint.sh'],
    cmd: ['/srv/app/bin/serve'],
    env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'APP_HOME=/srv/app'],
    workingDir: '/srv/app',
    exposedPorts: [{ port: 8080, protocol: 'tcp' }],
    volumes: ['/srv/app/uploads'],
    healthcheck,
    stopSignal: 'SIGTERM',
    os: 'linux',
    architecture: 'amd64',
  };
  const run: Required<RunSpec> = {
    image: 'example/app:1',
    env: [{ name: 'DATABASE_PASSWORD' }, { name: 'TZ' }],
    envFiles: ['./app.env'],
    user: '1000:1000',
    entrypoint: '/entrypoint.sh',
    command: ['/srv/app/bin/serve', '--port', '8080'],
    volumes: ['./config:/srv/app/config:ro'],
    mounts: ['type=volume,src=cache,dst=/srv/app/cache'],
    publish: ['8080:8080'],
    network: 'bridge',
    exercise: { execs: ['/srv/app/bin/selftest'], durationMs: 1_000, timeoutMs: 60_000, settleMs: 2_000, probePorts: [8080], probe: false },
  };
  const probe: Required<ProbeResult> = { port: 8080, kind: 'http', ok: false, status: 503, bodySha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', bodyShapeSha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', contentType: 'text/html; charset=utf-8', error: 'HTTP 503' };
  const exercise: Required<ExerciseReport> = {
    readiness: 'healthcheck',
    readyAfterMs: 640,
    probes: [probe, { port: 8080, kind: 'tcp', ok: true }],
    execs: [{ command: '/srv/app/bin/selftest', exitCode: 0, output: 'ok\n' }],
    jobExitCode: 0,
    trace: { tracer: 'strace', method: 'sidecar', image: 'ro-profile-tracer:0123456789ab', steps: 1, lines: 1200, events: 7 },
  };
  const dbEvent: Required<WriteEvent> = {
    path: '/srv/app/data/app.db',
    realPath: '/srv/app/data/app.db',
    op: 'add',
    source: 'diff',
    type: 'file',
    size: 8192,
    uid: 1000,
    gid: 1000,
    mode: 0o644,
    errno: 'EROFS',
    format: 'sqlite',
  };
  const shippedLog: Required<ShippedEntry> = { name: 'old', type: 'symlink', size: 0, uid: 0, gid: 0, mode: 0o777, empty: false, linkTarget: '/dev/null' };
  // Every field, the legacy `truncated` of older results included: the sample must validate with all of them.
  const logDir: Required<DirFacts> = {
    path: '/var/log/app',
    exists: true,
    created: false,
    type: 'dir',
    uid: 1000,
    gid: 1000,
    mode: 0o755,
    linkTarget: '',
    shipped: [shippedLog, { name: 'archive', type: 'dir', size: 0, uid: 0, gid: 0, mode: 0o755, empty: true }],
    truncated: false,
  };
  const dataMount: Required<Mount> = {
    path: '/srv/app/data',
    kind: 'volume',
    volumeName: 'example-app-1-srv-app-data',
    created: true,
    uid: 1000,
    gid: 1000,
    mode: 0o755,
    exec: false,
    sizeBytes: 64 * MiB,
    covers: ['/srv/app/data/app.db'],
    coversCount: 1,
    observedBytes: 8192,
    verified: { without: 'broke', evidence: ['log: sqlite3: unable to open database file /srv/app/data/app.db'] },
    reasons: ['the app wrote here (add 1; 8192 bytes observed)'],
    hides: [],
  };
  const finding: Finding = {
    kind: 'persistent-data',
    severity: 'warning',
    path: '/srv/app/data',
    message: '/srv/app/data holds what looks like data that must outlive the container',
    evidence: ['/srv/app/data/app.db (sqlite)'],
  };
  return {
    schemaVersion: 1,
    tool: { name: 'ro-profile', version: '0.1.0' },
    image,
    run,
    exercise,
    changes: [
      { kind: 'added', path: '/srv/app/data' },
      { kind: 'added', path: '/srv/app/data/app.db' },
      { kind: 'modified', path: '/var/log/app/app.log' },
      { kind: 'deleted', path: '/var/log/app/stale.log' },
    ],
    volumes: [{ destination: '/srv/app/uploads', name: 'f'.repeat(64), anonymous: true }],
    fs: {
      dirs: [{ path: '/srv/app', exists: true, type: 'dir', uid: 0, gid: 0, mode: 0o755, shipped: [] }, { path: '/srv/app/data', exists: true, created: true, shipped: [] }, logDir],
      symlinks: [{ path: '/var/run', target: '/run' }],
    },
    events: [
      dbEvent,
      { path: '/var/log/app/app.log', realPath: '/var/log/app/app.log', op: 'modify', source: 'diff', type: 'file', size: 120, uid: 1000, gid: 1000, mode: 0o644 },
      { path: '/var/log/app/stale.log', realPath: '/var/log/app/stale.log', op: 'delete', source: 'diff' },
    ],
    analysis: { persist: ['/srv/app/data'], ephemeral: [] },
    plan: {
      mounts: [
        dataMount,
        {
          path: '/var/log/app',
          kind: 'tmpfs',
          uid: 1000,
          gid: 1000,
          mode: 0o755,
          exec: false,
          sizeBytes: 64 * MiB,
          covers: ['/var/log/app/app.log', '/var/log/app/stale.log'],
          coversCount: 2,
          observedBytes: 120,
          reasons: ['the app wrote here (delete 1, modify 1; 120 bytes observed)'],
          hides: ['archive', 'old'],
        },
      ],
    },
    findings: [finding],
    verification: [
      {
        format: 'run',
        runtime: 'docker',
        version: '20.10.24',
        result: 'pass',
        rounds: [
          {
            kind: 'verify',
            mounts: [],
            result: 'fail',
            differences: [{ kind: 'log', message: 'new error lines', lines: ["open /srv/app/data/app.db: read-only file system"], paths: ['/srv/app/data/app.db'] }],
            repaired: ['/srv/app/data'],
          },
          { kind: 'leave-one-out', mounts: [], without: '/srv/app/data', result: 'fail', differences: [] },
          { kind: 'final', mounts: ['/srv/app/data'], result: 'pass', differences: [] },
        ],
        notes: ["port 8080: the writable run served a different page on each of its own requests, so only the status and content type were compared, not the page"],
      },
    ],
  };
}
