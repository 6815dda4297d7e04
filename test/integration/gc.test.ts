import { describe, expect, it } from 'vitest';
import { FIXTURE, docker, dockerAvailable, leftovers, runCli, spawnCli, testSession } from '../helpers/cli.js';
import { LABEL_HOST, LABEL_MANAGED, LABEL_PID, LABEL_ROLE, LABEL_SESSION } from '../../src/runtime/labels.js';
import { hostname } from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BUILD_LABEL } from '../../src/trace/tracer-image.js';

/** A docker command whose failure (already gone) does not matter. */
function quietly(args: string[]): void {
  try {
    execFileSync('docker', args, { stdio: 'ignore' });
  } catch {
    // gone already
  }
}

/** gc removes what no live ro-profile process owns, and never what a running profile owns. */
describe.skipIf(!dockerAvailable())('ro-profile gc', () => {
  it('removes an orphan and keeps the container of a live run', async () => {
    const session = testSession('gc');
    // An orphan: labelled as ours, owned by a pid that no longer exists.
    const orphan = await docker.createContainer({
      Image: FIXTURE.busybox,
      Labels: { [LABEL_MANAGED]: 'true', [LABEL_SESSION]: `${session}-orphan`, [LABEL_PID]: '999999', [LABEL_HOST]: hostname(), [LABEL_ROLE]: 'profile' },
    });
    const live = spawnCli([FIXTURE.nginx, '--duration', '60s'], { session: `${session}-live` });
    let stderr = '';
    live.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
    try {
      const deadline = Date.now() + 60_000;
      while (!stderr.includes('--duration') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(await leftovers(`${session}-live`)).toHaveLength(1);

      const dry = await runCli(['gc', '--dry-run', '--json'], { session });
      expect(dry.code, dry.stderr).toBe(0);
      expect(JSON.parse(dry.stdout).result.removed).toContainEqual({ kind: 'container', id: orphan.id });
      expect(await leftovers(`${session}-orphan`)).toHaveLength(1);

      const r = await runCli(['gc'], { session });
      expect(r.code, r.stderr).toBe(0);
      expect(await leftovers(`${session}-orphan`)).toEqual([]);
      expect(await leftovers(`${session}-live`)).toHaveLength(1);
    } finally {
      live.kill('SIGINT');
      await new Promise((r) => live.on('exit', r));
      await orphan.remove({ force: true }).catch(() => undefined);
    }
    expect(await leftovers(`${session}-live`)).toEqual([]);
  });

  it('knows the tracer images it built: kept as a cache and said so, listed for removal with --images', async () => {
    const session = testSession('gc-images');
    const tag = `ro-profile-tracer:gc-test-${process.pid}`;
    // A stand-in tracer image, labelled as the tool labels the ones it builds.
    execFileSync('docker', ['build', '-q', '--label', `${BUILD_LABEL}=true`, '-t', tag, '-'], { input: `FROM ${FIXTURE.base}\n` });
    try {
      const plain = await runCli(['gc'], { session });
      expect(plain.code, plain.stderr).toBe(0);
      expect(plain.stderr).toMatch(new RegExp(`tool images? kept \\(.*${tag.replace(/[.:]/g, '\\$&')}.*\\): a cache for --tracer strace and the probe relay; remove with "ro-profile gc --images"`));
      const dry = await runCli(['gc', '--images', '--dry-run', '--json'], { session });
      expect(dry.code, dry.stderr).toBe(0);
      expect(JSON.parse(dry.stdout).result.images.removed).toContain(tag);
      expect(execFileSync('docker', ['images', '-q', tag], { encoding: 'utf8' }).trim()).not.toBe('');
    } finally {
      execFileSync('docker', ['rmi', '-f', tag], { stdio: 'ignore' });
    }
  });

  it('gc --images removes the tracer images it built (each tag), keeps one a container uses, and says which', async () => {
    const session = testSession('gc-images-remove');
    const gone = `ro-profile-tracer:gc-gone-${process.pid}`;
    const alias = `ro-profile-tracer:gc-gone-alias-${process.pid}`;
    const used = `ro-profile-tracer:gc-used-${process.pid}`;
    const label = ['--label', `${BUILD_LABEL}=true`];
    // The real tracer images are a cache the other suites use: kept aside and put back.
    const cached = execFileSync('docker', ['images', '--filter', `label=${BUILD_LABEL}=true`, '--format', '{{.Repository}}:{{.Tag}}'], { encoding: 'utf8' }).split('\n').filter((t) => t && !t.endsWith(':<none>'));
    const saved = join(mkdtempSync(join(tmpdir(), 'ro-profile-gc-test-')), 'cache.tar');
    if (cached.length > 0) execFileSync('docker', ['save', '-o', saved, ...cached]);
    // Two stand-ins: one with two tags (removing it by id would be refused), one a container uses.
    execFileSync('docker', ['build', '-q', ...label, '--label', 'gc-test=gone', '-t', gone, '-t', alias, '-'], { input: `FROM ${FIXTURE.base}\nLABEL gc-test=gone\n` });
    execFileSync('docker', ['build', '-q', ...label, '-t', used, '-'], { input: `FROM ${FIXTURE.base}\nLABEL gc-test=used\n` });
    const user = execFileSync('docker', ['create', used, '/bin/true'], { encoding: 'utf8' }).trim();
    try {
      const r = await runCli(['gc', '--images', '--json'], { session });
      expect(r.code, r.stderr).toBe(0);
      const images = JSON.parse(r.stdout).result.images;
      expect(images.inUse).toEqual([used]);
      expect(images.removed).toContain(gone);
      const left = (tag: string) => execFileSync('docker', ['images', '-q', tag], { encoding: 'utf8' }).trim();
      expect(left(gone)).toBe('');
      expect(left(alias)).toBe('');
      expect(left(used)).not.toBe('');
      expect(await leftovers(session)).toEqual([]);
    } finally {
      quietly(['rm', '-f', user]);
      for (const tag of [gone, alias, used]) quietly(['rmi', '-f', tag]);
      if (cached.length > 0) execFileSync('docker', ['load', '-q', '-i', saved], { stdio: 'ignore' });
      rmSync(dirname(saved), { recursive: true, force: true });
    }
  });
});

