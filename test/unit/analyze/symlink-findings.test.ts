import { describe, expect, it } from 'vitest';
import { symlinkFindings } from '../../../src/analyze/symlink-findings.js';
import type { DirFacts, Symlink } from '../../../src/model/fs-facts.js';
import type { Finding, Mount } from '../../../src/model/mount-plan.js';
import { sampleDir, sampleMount, sampleShipped as shipped } from '../../helpers/samples.js';

const VAR_RUN: Symlink = { path: '/var/run', target: '/run' };
const VAR_LOCK: Symlink = { path: '/var/lock', target: '/run/lock' };
const RUN = sampleDir('/run', { shipped: [shipped('lock', 'dir', { mode: 0o1777 }), shipped('mount', 'dir')] });

function findings(links: Symlink[], mounts: Mount[], dirs: DirFacts[] = [RUN]): string[] {
  return symlinkFindings(links, mounts, new Map(dirs.map((d) => [d.path, d]))).map((f) => `${f.severity} ${f.kind} ${f.path}`);
}

describe('symlinkFindings', () => {
  it('warns that a tmpfs on /run hides /run/lock, the target of /var/lock', () => {
    expect(symlinkFindings([VAR_LOCK], [sampleMount({ path: '/run' })], new Map([['/run', RUN]]))).toEqual<Finding[]>([
      {
        kind: 'symlink-alias',
        severity: 'info',
        path: '/var/lock',
        message: '/var/lock is a symlink to /run/lock: paths through it reach /run, and mounts always name the real directory',
        evidence: ['/var/lock -> /run/lock'],
      },
      {
        kind: 'hidden-symlink-target',
        severity: 'warning',
        path: '/run/lock',
        message: 'the mount on /run hides /run/lock, the target of /var/lock; anything the app writes through /var/lock fails unless it creates /run/lock itself',
        evidence: ['/var/lock -> /run/lock'],
      },
    ]);
  });

  it.each<[string, Symlink[], Mount[], DirFacts[], string[]]>([
    ['a nested mount on the target keeps it', [VAR_LOCK], [sampleMount({ path: '/run' }), sampleMount({ path: '/run/lock' })], [RUN], ['info symlink-alias /var/lock']],
    [
      'a seeded volume starts with the image’s copy of the target',
      [VAR_LOCK],
      [sampleMount({ path: '/run', kind: 'seeded', volumeName: 'app-run-000000' })],
      [RUN],
      ['info symlink-alias /var/lock'],
    ],
    ['a target the image does not ship is not hidden', [{ path: '/var/lock', target: '/run/lock' }], [sampleMount({ path: '/run' })], [sampleDir('/run')], ['info symlink-alias /var/lock']],
    ['a mount below the link’s target is reached through it', [VAR_RUN], [sampleMount({ path: '/run/app' })], [], ['info symlink-alias /var/run']],
    ['a mount on the target itself is reached through it', [VAR_LOCK], [sampleMount({ path: '/run/lock' })], [], ['info symlink-alias /var/lock']],
    ['a link unrelated to every mount says nothing', [VAR_RUN], [sampleMount({ path: '/var/log/app' })], [], []],
    [
      'a deeper target under a nested mount is judged by the innermost mount',
      [{ path: '/srv/current', target: '/srv/app/releases/v2' }],
      [sampleMount({ path: '/srv/app' }), sampleMount({ path: '/srv/app/releases' })],
      [sampleDir('/srv/app/releases', { shipped: [shipped('v2', 'dir', { empty: false })] })],
      ['info symlink-alias /srv/current', 'warning hidden-symlink-target /srv/app/releases/v2'],
    ],
  ])('%s', (_name, links, mounts, dirs, expected) => {
    expect(findings(links, mounts, dirs)).toEqual(expected);
  });

  it('names every mount a link leads to', () => {
    const [alias] = symlinkFindings([VAR_RUN], [sampleMount({ path: '/run/lock' }), sampleMount({ path: '/run/apache2' })], new Map());
    expect(alias?.message).toBe('/var/run is a symlink to /run: paths through it reach /run/apache2, /run/lock, and mounts always name the real directory');
  });
});
