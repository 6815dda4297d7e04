import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emitReport } from '../../../src/emit/report.js';
import type { Mount } from '../../../src/model/mount-plan.js';
import { parseResult } from '../../../src/model/parse-result.js';
import type { Result } from '../../../src/model/result.js';
import type { WriteEvent } from '../../../src/model/write-event.js';
import { sampleEvent, sampleMount } from '../../helpers/samples.js';

const NGINX = new URL('../../fixtures/results/nginx.json', import.meta.url);
const nginx = (): Result => parseResult(readFileSync(NGINX, 'utf8'), 'nginx.json');

/** The level-2 headings of a Markdown document, in order. */
const sections = (md: string) => md.split('\n').filter((l) => l.startsWith('## '));

describe('emitReport', () => {
  it('writes the nginx result as the golden Markdown report', async () => {
    const md = emitReport(nginx());
    expect(sections(md)).toEqual(['## Mounts', '## Config knobs instead of mounts', '## Findings', '## Logs', '## Resources', '## Raw changes']);
    await expect(md).toMatchFileSnapshot('../../fixtures/expected/nginx/report.md');
  });
});

describe('emitReport details', () => {
  const MiB = 1024 * 1024;
  const lines = (r: Result) => emitReport(r).split('\n');
  const withPlan = (mounts: Mount[], events: WriteEvent[] = []): Result => ({ ...nginx(), plan: { mounts }, events, findings: [] });

  it('offers a config knob with its evidence only where one applies', () => {
    const md = emitReport(nginx());
    expect(md).toContain('### `/var/lib/nginx`: `client_body_temp_path`');
    expect(md).toContain('- `written: /var/lib/nginx/body`');
    expect(sections(emitReport(withPlan([sampleMount({ path: '/run/app', covers: ['/run/app/app.pid'], coversCount: 1 })])))).not.toContain('## Config knobs instead of mounts');
  });

  it('says when the user it runs as is the shared nobody, and what to do instead', () => {
    const base = nginx();
    const hardening = { requested: 'auto', level: 'restricted', capDrop: ['ALL'], capAdd: [], user: { uid: 65534, gid: 65534 }, noNewPrivileges: true, seccomp: 'RuntimeDefault', verified: true, rejected: [] } as unknown as NonNullable<Result['hardening']>;
    expect(emitReport({ ...base, hardening })).toContain('UID 65534 is `nobody`, shared by every image that drops to it');
    expect(emitReport({ ...base, hardening: { ...hardening, user: { uid: 33, gid: 33 } } })).not.toContain('`nobody`');
  });

  it('says so when nothing needs a mount and nothing was found', () => {
    const md = emitReport({ ...nginx(), plan: { mounts: [] }, findings: [], changes: [], events: [] });
    expect(sections(md)).toEqual(['## Mounts', '## Findings', '## Resources', '## Raw changes']);
    expect(md).toContain('## Mounts\n\nNone: the app wrote nothing outside its volumes during the profile.\n');
    expect(md).toContain('## Findings\n\nNone.\n');
    expect(md).toContain('```\n(none)\n```\n');
  });

  it('names the volume of a volume or seeded mount, which has no size limit', () => {
    const md = lines(
      withPlan([
        sampleMount({ path: '/etc/app', kind: 'seeded', volumeName: 'app-etc-app-582062', uid: 1000, gid: 1000, coversCount: 1, observedBytes: 118 }),
        sampleMount({ path: '/var/lib/app', kind: 'volume', volumeName: 'app-var-lib-app-38219d', uid: 999, gid: 999, mode: 0o750, coversCount: 2, observedBytes: 3 * MiB }),
      ]),
    );
    expect(md).toContain('| `/etc/app` | seeded volume `app-etc-app-582062` | 1000:1000 | 0755 | no | — | 1 path, 118 B |');
    expect(md).toContain('| `/var/lib/app` | volume `app-var-lib-app-38219d` | 999:999 | 0750 | no | — | 2 paths, 3 MiB |');
    expect(md).toContain('### `/var/lib/app` (volume `app-var-lib-app-38219d`)');
  });

  it.each<[string, Partial<Result>, string]>([
    ['a finished job', { exercise: { readiness: 'job-exit', readyAfterMs: 900, probes: [], execs: [], jobExitCode: 0 } }, '- Profiled by ro-profile 0.1.0: ran as a job to exit code 0'],
    [
      'TCP probes, exec steps and extra time',
      {
        exercise: {
          readiness: 'healthcheck',
          readyAfterMs: 1500,
          probes: [
            { port: 6379, kind: 'tcp', ok: true },
            { port: 6380, kind: 'tcp', ok: false, error: 'ECONNREFUSED' },
          ],
          execs: [{ command: 'redis-cli SAVE', exitCode: 0, output: 'OK' }],
        },
        run: { ...nginx().run, exercise: { ...nginx().run.exercise, durationMs: 5000 } },
      },
      '- Profiled by ro-profile 0.1.0: ready by healthcheck after 1.5 s, TCP open on :6379, TCP ECONNREFUSED on :6380, 1 --exec step, kept running 5 s more',
    ],
    ['a registry digest, preferred to the local id', { image: { ...nginx().image, repoDigests: ['nginx@sha256:abcd'], user: 'www-data' } }, '- Image: `nginx@sha256:abcd` (linux/amd64), user `www-data`'],
    [
      'a verified config',
      { verification: [{ format: 'run', runtime: 'docker', version: '20.10.24', result: 'pass', rounds: [{ kind: 'final', mounts: ['/run'], result: 'pass', differences: [] }] }] },
      '- Verified: pass with run on docker 20.10.24',
    ],
  ])('describes %s in the header', (_name, overrides, line) => {
    expect(lines({ ...nginx(), ...overrides })).toContain(line);
  });

  it('lists what sources other than the diff saw after the diff itself', () => {
    const r = nginx();
    const md = emitReport({ ...r, events: [...r.events, sampleEvent('open-write', '/var/log/nginx/error.log', { source: 'strace' }), sampleEvent('add', '/data/x', { source: 'volume' })] });
    expect(md).toContain('C /var/log/nginx/access.log\nstrace: open-write /var/log/nginx/error.log\nvolume: add /data/x\n```');
  });

  it('escapes pipes in table cells', () => {
    const m = sampleMount({ path: '/srv/a|b', covers: ['/srv/a|b/x'], coversCount: 1 });
    const md = lines(withPlan([m], [sampleEvent('add', '/srv/a|b/x', { type: 'file', size: 1 })]));
    expect(md).toContain('| `/srv/a\\|b` | tmpfs | 0:0 | 0755 | no | 64 MiB | 1 path, 0 B |');
    expect(md).toContain('| `/srv/a\\|b/x` | add | file | 1 | — | — | diff |');
  });

  it('shows 25 written paths per mount, 25 hidden entries, 10 pieces of evidence, and counts the rest', () => {
    const paths = Array.from({ length: 40 }, (_, i) => `/srv/f${String(i).padStart(2, '0')}`);
    const m = sampleMount({ path: '/srv', covers: paths, coversCount: 40, hides: paths.map((p) => p.slice(5)) });
    const evidence = paths.slice(0, 12);
    const r: Result = { ...withPlan([m], paths.map((p) => sampleEvent('add', p, { type: 'file' }))), findings: [{ kind: 'shadowed-content', severity: 'info', path: '/srv', message: 'm', evidence }] };
    const md = lines(r);
    expect(md.filter((l) => l.startsWith('| `/srv/f'))).toHaveLength(25);
    expect(md).toContain('| … and 15 more | | | | | | |');
    expect(md.find((l) => l.startsWith('- hides what the image ships there:'))).toMatch(/`f24`, … and 15 more$/);
    expect(md.filter((l) => l.startsWith('  - `/srv/f'))).toHaveLength(10);
    expect(md).toContain('  - … and 2 more');
  });

  it('counts the rows it leaves out, where a path has several, and the paths covers does not list', () => {
    const paths = Array.from({ length: 20 }, (_, i) => `/run/p${String(i).padStart(2, '0')}.pid`);
    const events = paths.flatMap((p) => [sampleEvent('add', p, { type: 'file', size: 2 }), sampleEvent('delete', p, { type: 'file' })]);
    const md = lines(withPlan([sampleMount({ covers: paths, coversCount: 23 })], events));
    expect(md.filter((l) => l.startsWith('| `/run/p'))).toHaveLength(25);
    expect(md).toContain('| … and 18 more | | | | | | |');
  });

  it('counts errors and warnings in the summary', () => {
    const r = nginx();
    const md = lines({ ...r, findings: [...r.findings, { kind: 'system-write', severity: 'error', path: '/var', message: 'm', evidence: [] }] });
    expect(md).toContain('- Result: 3 writable mounts on a read-only root; 1 error, 1 warning');
  });
});
