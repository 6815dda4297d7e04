import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { volumeName } from '../../../src/analyze/volume-name.js';

/** Docker's rule for volume names (daemon/names: RestrictedNamePattern). */
const DOCKER_NAME = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
/** A Kubernetes object name (RFC 1123 label): lower case, at most 63 characters. */
const K8S_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

describe('volumeName', () => {
  it.each([
    ['ro-profile-fixture/redis:latest', '/var/lib/redis', 'redis-var-lib-redis-09be9d'],
    ['ro-profile-fixture/sqlite-app:latest', '/var/lib/app', 'sqlite-app-var-lib-app-38219d'],
    ['ro-profile-fixture/config-edit:latest', '/etc/app', 'config-edit-etc-app-582062'],
  ])('names the volume of %s on %s %s', (ref, path, name) => {
    expect(volumeName(ref, path)).toBe(name);
  });

  it.each([
    ['a registry with a port and a tag', 'registry.example.com:5000/team/app:1.2', '/data', /^app-data-[0-9a-f]{6}$/],
    ['a registry with a port and no tag', 'localhost:5000/app', '/data', /^app-data-[0-9a-f]{6}$/],
    ['a digest', 'app@sha256:2222222222222222222222222222222222222222222222222222222222222222', '/data', /^app-data-[0-9a-f]{6}$/],
    ['upper case and dots', 'Team/My.App:v1', '/Srv/Data', /^my-app-srv-data-[0-9a-f]{6}$/],
    ['an empty reference', '', '/data', /^image-data-[0-9a-f]{6}$/],
    ['the root directory', 'app', '/', /^app-root-[0-9a-f]{6}$/],
    ['non-ASCII and spaces', 'app', '/srv/données du site', /^app-srv-donn-es-du-site-[0-9a-f]{6}$/],
    ['a path cut to length', 'app', `/srv/${'very-long-directory-name/'.repeat(4)}end`, /^app-srv-very-long-directory-name-very-long-direc-[0-9a-f]{6}$/],
    ['a cut that ends on a separator', 'app', `/${'a'.repeat(43)}/b`, /^app-a{43}-[0-9a-f]{6}$/],
  ])('keeps a readable, valid name for %s', (_name, ref, path, pattern) => {
    const name = volumeName(ref, path);
    expect(name).toMatch(pattern);
    expect(name).toMatch(DOCKER_NAME);
    expect(name).toMatch(K8S_NAME);
  });

  it('starts with --volume-prefix, so two services of one image keep their data apart', () => {
    expect(volumeName('postgres:16', '/var/lib/postgresql/data', 'shop')).toMatch(/^shop-postgres-var-lib-postgresql-data-[0-9a-f]{6}$/);
    expect(volumeName('postgres:16', '/var/lib/postgresql/data', 'shop')).not.toBe(volumeName('postgres:16', '/var/lib/postgresql/data', 'billing'));
    // The same path hash: only the prefix tells them apart, and without one the name is as before.
    expect(volumeName('postgres:16', '/var/lib/postgresql/data', 'shop').slice(-6)).toBe(volumeName('postgres:16', '/var/lib/postgresql/data').slice(-6));
    const long = volumeName('app', '/srv/data', 'a'.repeat(30));
    expect(long).toMatch(DOCKER_NAME);
    expect(long).toMatch(K8S_NAME);
  });

  it('gives distinct names to paths whose readable parts agree', () => {
    const paths = ['/a-b', '/a/b', '/a_b', '/a.b', '/A/b', '/a b', '/a--b', '/a/b/'];
    const names = paths.map((p) => volumeName('app:1', p));
    expect(names.map((n) => n.replace(/-[0-9a-f]{6}$/, ''))).toEqual(Array<string>(paths.length).fill('app-a-b'));
    expect(new Set(names).size).toBe(paths.length);
  });

  it('gives a valid name for any reference and path, the same every time', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 200 }).map((s) => `/${s}`), (ref, path) => {
        const name = volumeName(ref, path);
        expect(name).toMatch(DOCKER_NAME);
        expect(name).toMatch(K8S_NAME);
        expect(volumeName(ref, path)).toBe(name);
      }),
    );
  });
});
