import { describe, expect, it } from 'vitest';
import { AFTER_RESTART, compareRuns, comparisonNotes, newErrorLines } from '../../../src/verify/compare.js';
import type { Observation } from '../../../src/verify/observe.js';

const page = (sha: string) => ({ port: 8080, kind: 'http' as const, ok: true, status: 200, bodySha256: sha });
const service = (over: Partial<Observation> = {}): Observation => ({
  ready: true,
  runningAtEnd: true,
  probes: [page('aaaa')],
  execs: [{ command: 'redis-cli SAVE', exitCode: 0, output: 'OK\n' }],
  logLines: ['[1] 25 Nov 2026 21:25:38.123 * Ready to accept connections'],
  fileLogLines: [],
  ...over,
});

describe('compareRuns', () => {
  it('an OOM kill under the config\'s memory limit is a difference that says what to change', () => {
    const d = compareRuns(service(), service({ runningAtEnd: false, oomKilled: true }));
    expect(d.map((x) => x.kind)).toEqual(['state', 'state']);
    expect(d[1]?.message).toMatch(/killed for memory \(OOM\).*--headroom.*--limits off/);
  });

  it('finds nothing when the hardened run did what the writable one did (timestamps and pids aside)', () => {
    expect(compareRuns(service(), service({ logLines: ['[7] 26 Nov 2026 09:01:02.456 * Ready to accept connections'] }))).toEqual([]);
  });

  it('catches a default page served with the same status: the body differs', () => {
    const d = compareRuns(service(), service({ probes: [page('bbbb')] }));
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ kind: 'probe' });
    expect(d[0]?.message).toContain('different page');
  });

  it('a page that differs only in a time or a counter is the same page', () => {
    const shaped = (sha: string) => ({ ...page(sha), bodyShapeSha256: 'shape1', contentType: 'text/html' });
    expect(compareRuns(service({ probes: [shaped('aaaa')] }), service({ probes: [shaped('bbbb')] }))).toEqual([]);
    expect(compareRuns(service({ probes: [shaped('aaaa')] }), service({ probes: [{ ...shaped('bbbb'), bodyShapeSha256: 'shape2' }] }))[0]?.message).toContain('different page');
  });

  it('where the writable run\'s own page changed between requests, only status and content type count, and the notes say so', () => {
    const base = service({ probes: [{ ...page('aaaa'), bodyShapeSha256: 's1', contentType: 'text/html' }], bodyStability: [{ port: 8080, stability: 'none' }] });
    expect(compareRuns(base, service({ probes: [{ ...page('cccc'), bodyShapeSha256: 's3', contentType: 'text/html' }] }))).toEqual([]);
    expect(compareRuns(base, service({ probes: [{ ...page('cccc'), bodyShapeSha256: 's3', contentType: 'text/plain' }] }))[0]?.message).toBe('port 8080 served text/plain instead of text/html (same status 200)');
    expect(compareRuns(base, service({ probes: [{ ...page('cccc'), status: 500 }] }))[0]?.message).toBe('port 8080 answered HTTP 500, the writable run HTTP 200');
    expect(comparisonNotes(base)).toEqual([expect.stringContaining('only the status and content type were compared')]);
    expect(comparisonNotes(service({ bodyStability: [{ port: 8080, stability: 'exact' }] }))).toEqual([]);
  });

  it('names the paths of new read-only error lines', () => {
    const d = compareRuns(service(), service({ logLines: ['/app/start.sh: line 6: can\'t create /var/log/open-log/app.log: Read-only file system'] }));
    expect(d).toEqual([
      {
        kind: 'log',
        message: '1 new error line in the logs',
        lines: ["/app/start.sh: line 6: can't create /var/log/open-log/app.log: Read-only file system"],
        paths: ['/var/log/open-log/app.log'],
      },
    ]);
  });

  it('counts an app\'s own warning with no errno text as a difference', () => {
    const d = compareRuns(service(), service({ logLines: ['silent-default: cannot write /srv/site/index.html, serving the default page'] }));
    expect(d.map((x) => x.kind)).toEqual(['log']);
    expect(d[0]?.paths).toEqual(['/srv/site/index.html']);
  });

  it('ignores error lines the writable run printed too', () => {
    const line = 'AH00558: apache2: Could not reliably determine the server\'s fully qualified domain name';
    expect(compareRuns(service({ logLines: [line] }), service({ logLines: [line] }))).toEqual([]);
  });

  it('a service that never became ready, or stopped, differs', () => {
    expect(compareRuns(service(), service({ ready: false, failure: 'exited with code 1 before it was ready', probes: [], execs: [] }))[0]).toMatchObject({ kind: 'ready' });
    expect(compareRuns(service(), service({ runningAtEnd: false }))[0]).toMatchObject({ kind: 'state' });
  });

  it('a job must end with the same exit code', () => {
    const job = (code: number): Observation => ({ ready: code === 0, jobExitCode: code, runningAtEnd: false, probes: [], execs: [], logLines: [], fileLogLines: [] });
    expect(compareRuns(job(0), job(0))).toEqual([]);
    expect(compareRuns(job(0), job(1))[0]?.message).toBe('the job ended with exit code 1, the writable run with 0');
  });

  it('exec steps: exit code, then output with numbers masked', () => {
    expect(compareRuns(service(), service({ execs: [{ command: 'redis-cli SAVE', exitCode: 1, output: 'ERR\n' }] }))[0]?.message).toBe('--exec "redis-cli SAVE" exited 1, in the writable run 0');
    expect(compareRuns(service({ execs: [{ command: 'date', exitCode: 0, output: 'Wed Nov 25 21:25:38 UTC 2026\n' }] }), service({ execs: [{ command: 'date', exitCode: 0, output: 'Thu Nov 26 09:01:02 UTC 2026\n' }] }))).toEqual([]);
  });

  it("a profile's steps are named by what they did, a command by itself, whatever it starts with", () => {
    const restart = { command: 'restart (stop, start, ready again)', step: 'restart' as const, exitCode: 0, output: 'ready again by ports' };
    const down = { ...restart, exitCode: 1, output: '"app" exited with code 1 before it was ready' };
    expect(compareRuns(service({ execs: [restart] }), service({ execs: [down] }))[0]?.message).toBe(`the profile's step restart (stop, start, ready again) got "app" exited with code 1 before it was ready, in the writable run ready again by ports`);
    const get = { command: 'redis-cli GET k', step: 'exec' as const, exitCode: 0, output: 'v\n' };
    expect(compareRuns(service({ execs: [restart, get] }), service({ execs: [down] }))[1]?.message).toBe(`the profile's step "redis-cli GET k"${AFTER_RESTART} did not run`);
    expect(compareRuns(service({ execs: [restart, get] }), service({ execs: [restart, { ...get, exitCode: 1, output: '\n' }] }))[0]?.message).toBe(`the profile's step "redis-cli GET k" (after the profile's restart step) exited 1, in the writable run 0`);
    expect(compareRuns(service({ execs: [get, restart] }), service({ execs: [{ ...get, exitCode: 1 }, restart] }))[0]?.message).toBe(`the profile's step "redis-cli GET k" exited 1, in the writable run 0`);
    const http = { command: 'HTTP GET :80/', exitCode: 0, output: 'ok' };
    expect(compareRuns(service({ execs: [http] }), service({ execs: [{ ...http, exitCode: 1 }] }))[0]?.message).toBe('--exec "HTTP GET :80/" exited 1, in the writable run 0');
  });

  it('reports what broke after a restart apart', () => {
    const restart = service({ ready: false, failure: 'stale-lock: lock file /run/stale-lock/app.lock exists, another instance is running', probes: [], execs: [] });
    const d = compareRuns(service(), service({ restart }));
    expect(d.map((x) => x.kind)).toContain('restart');
    expect(d.find((x) => x.kind === 'restart')?.message).toMatch(/^after a restart: /);
  });
});

describe('newErrorLines', () => {
  it('keeps each new error once and skips ordinary lines', () => {
    expect(newErrorLines([], ['listening on 8080', 'open /data/x: read-only file system', 'open /data/x: read-only file system'])).toEqual(['open /data/x: read-only file system']);
  });

  it('an operation the writable run was refused too is not new, whatever the reason the kernel gives now', () => {
    const base = ["chown: changing ownership of '/usr/lib/mysql/plugin/auth_pam_tool_dir': Operation not permitted"];
    expect(newErrorLines(base, ["chown: changing ownership of '/usr/lib/mysql/plugin/auth_pam_tool_dir': Read-only file system"])).toEqual([]);
    // Another path refused, or the same path now failing in another way, is new.
    expect(newErrorLines(base, ["chown: changing ownership of '/srv/data': Read-only file system"])).toEqual(["chown: changing ownership of '/srv/data': Read-only file system"]);
    expect(newErrorLines([], ["open /var/log/app.log: Permission denied"])).toEqual(['open /var/log/app.log: Permission denied']);
  });
});
