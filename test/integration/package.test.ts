import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, ROOT, dockerAvailable, leftovers, testSession } from '../helpers/cli.js';

/**
 * The package as users get it: `npm pack`, installed into an empty project, run through the
 * installed bin. Catches what the repository hides: a file left out of `files`, a dependency
 * only in devDependencies, a bin without its shebang, profiles/ or docs/ read from the source tree.
 */
describe.skipIf(!dockerAvailable())('the packed tarball', () => {
  let dir: string;
  let bin: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rp-package-'));
    execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, stdio: 'ignore', timeout: 120_000 });
    const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    expect(tgz).toBeDefined();
    const project = join(dir, 'project');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'uses-ro-profile', private: true }));
    // --prefer-offline: the dependencies come from npm's cache where CI's own install put them.
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', join(dir, tgz!)], { cwd: project, stdio: 'ignore', timeout: 240_000 });
    bin = join(project, 'node_modules', '.bin', 'ro-profile');
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('answers --version and --help from the installed bin', () => {
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    expect(version).toBe(JSON.parse(execFileSync('npm', ['pkg', 'get', 'version'], { cwd: ROOT, encoding: 'utf8' })));
    expect(execFileSync(bin, ['--help'], { encoding: 'utf8' })).toContain('ro-profile');
  });

  it('profiles a fixture with its built-in exercise profile, and leaves nothing', async () => {
    const session = testSession('package');
    const out = execFileSync(bin, [FIXTURE.nginx, '--no-verify', '--format', 'json'], { encoding: 'utf8', env: { ...process.env, RO_PROFILE_SESSION: session }, timeout: 170_000, cwd: dir });
    const result = JSON.parse(out) as { profile?: { name: string }; plan: { mounts: { path: string }[] } };
    expect(result.profile?.name).toBe('nginx');
    expect(result.plan.mounts.length).toBeGreaterThan(0);
    expect(await leftovers(session)).toEqual([]);
  });
});
