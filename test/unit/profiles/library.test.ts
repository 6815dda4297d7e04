import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinProfiles, loadProfile, matchBuiltin, type LoadedProfile } from '../../../src/profiles/library.js';
import { globMatches, repositoryPath } from '../../../src/profiles/match.js';

describe('repositoryPath', () => {
  it.each([
    ['nginx', 'nginx'],
    ['nginx:1.27-alpine', 'nginx'],
    ['docker.io/library/nginx:1.27', 'nginx'],
    ['library/redis', 'redis'],
    ['bitnami/nginx:latest', 'bitnami/nginx'],
    ['localhost:5000/team/app@sha256:0123', 'team/app'],
    ['registry.example.com:443/a/b/c:tag', 'a/b/c'],
    ['Ghcr.IO/Org/Postgres:16', 'org/postgres'],
  ])('%s → %s', (ref, path) => expect(repositoryPath(ref)).toBe(path));
});

describe('globMatches', () => {
  it.each([
    ['nginx', 'nginx', true],
    ['nginx', 'bitnami/nginx', false],
    ['*/nginx', 'bitnami/nginx', true],
    ['*/nginx', 'a/b/nginx', false],
    ['**/nginx', 'a/b/nginx', true],
    ['postgis/postgis', 'postgis/postgis', true],
    ['redis', 'redis-stack', false],
    ['a.b', 'axb', false],
  ])('%s on %s: %s', (pattern, path, want) => expect(globMatches(pattern, path)).toBe(want));
});

describe('the built-ins', () => {
  const all = builtinProfiles();

  it('all parse and are named after their files', () => {
    expect(all.length).toBeGreaterThanOrEqual(5);
    for (const p of all) expect(p.ref).toEqual({ name: p.profile.name, source: 'built-in', sha256: p.sha256 });
  });

  it.each([
    ['nginx:alpine', 'nginx'],
    ['docker.io/library/postgres:16', 'postgres'],
    ['ro-profile-fixture/apache2:latest', 'httpd'],
    ['redis:7', 'redis'],
    ['memcached:1.6', 'memcached'],
    ['example/unknown-app:1', undefined],
  ])('%s picks %s', (image, name) => expect(matchBuiltin(image)?.profile.name).toBe(name));

  it('the quick pick (patterns only, the chosen file unvalidated) gives what the validated list gives, for every pattern of every built-in', () => {
    const images = all.flatMap((p) => p.profile.match.map((m) => m.replace(/\*\*?/g, 'some')));
    expect(images.length).toBeGreaterThan(all.length);
    for (const image of [...images, 'example/unknown-app:1']) {
      const quick = matchBuiltin(image);
      const full = matchBuiltin(image, all);
      expect(quick?.profile).toEqual(full?.profile);
      expect(quick?.ref).toEqual(full?.ref);
      expect(quick?.text).toBe(full?.text);
    }
  });

  it('a literal pattern wins over a wildcard', () => {
    const mk = (name: string, match: string[]): LoadedProfile => ({ profile: { name, description: name, match, run: { env: [] }, ready: {}, exercise: [], writes: [] }, sha256: '0', text: '', ref: { name, source: 'built-in', sha256: '0' } });
    const list = [mk('generic', ['*/nginx']), mk('bitnami', ['bitnami/nginx'])];
    expect(matchBuiltin('bitnami/nginx:1', list)?.profile.name).toBe('bitnami');
    expect(matchBuiltin('other/nginx:1', list)?.profile.name).toBe('generic');
  });
});

describe('loadProfile', () => {
  it('a built-in by name, a file by path, and a clear error for a name that is neither', () => {
    expect(loadProfile('redis').ref.source).toBe('built-in');
    const dir = mkdtempSync(join(tmpdir(), 'ro-profile-test-'));
    try {
      const file = join(dir, 'mine.yaml');
      writeFileSync(file, 'name: mine\ndescription: mine\nmatch: [mine]\nexercise: []\n');
      expect(loadProfile(file).ref).toMatchObject({ name: 'mine', source: file });
      expect(() => loadProfile(join(dir, 'missing.yaml'))).toThrow(/cannot read the profile .*missing\.yaml: ENOENT/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(() => loadProfile('nosuch')).toThrow('no built-in profile is named "nosuch"');
  });
});
