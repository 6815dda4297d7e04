import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { safeName } from '../../../../src/cli/batch/safe-name.js';

/** References as users type them: registry:port, namespaces, tags, digests, upper case, dots and slashes. */
const refArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('a', 'B', '0', '.', '-', '_', '/', ':', '@', '#', ' ', '\\', 'é'), maxLength: 120 }),
  fc
    .tuple(
      fc.option(fc.constantFrom('registry.example.com:5000', 'localhost', 'ghcr.io', '[::1]:5000'), { nil: undefined }),
      fc.array(fc.stringMatching(/^[a-z0-9]+([._-][a-z0-9]+)*$/), { minLength: 1, maxLength: 4 }),
      fc.option(fc.stringMatching(/^[\w][\w.-]{0,20}$/), { nil: undefined }),
      fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: undefined }),
    )
    .map(([host, path, tag, digest]) => `${host ? `${host}/` : ''}${path.join('/')}${tag ? `:${tag}` : ''}${digest ? `@sha256:${digest}` : ''}`),
);

describe('safeName', () => {
  it('is one safe path component for any reference: no slash, no leading dot, small alphabet, at most 77 characters', () => {
    fc.assert(
      fc.property(refArb, (ref) => {
        const n = safeName(ref);
        expect(n).toMatch(/^[a-z0-9][a-z0-9._-]*$/);
        expect(n.length).toBeLessThanOrEqual(77);
        expect(n).not.toMatch(/^(\.|\.\.)$/);
        expect(['summary.json', 'summary.md']).not.toContain(n);
      }),
      { numRuns: 2000 },
    );
  });

  it('is deterministic', () => {
    fc.assert(fc.property(refArb, (ref) => safeName(ref) === safeName(ref)));
  });

  it('never gives two references the same directory', () => {
    fc.assert(
      fc.property(refArb, refArb, (a, b) => {
        fc.pre(a !== b);
        expect(safeName(a)).not.toBe(safeName(b));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps references apart that differ only where the slug loses them', () => {
    const refs = ['nginx:alpine', 'nginx/alpine', 'nginx-alpine', 'NGINX:alpine', 'nginx:ALPINE', 'nginx_alpine', 'nginx-alpine_0123456789ab', 'a'.repeat(200), `${'a'.repeat(200)}b`];
    expect(new Set(refs.map(safeName)).size).toBe(refs.length);
  });

  it.each([
    ['nginx', 'nginx'],
    ['busybox-app', 'busybox-app'],
    ['nginx:alpine', /^nginx-alpine_[0-9a-f]{12}$/],
    ['registry.example.com:5000/team/app:1.2@sha256:' + 'ab'.repeat(32), /^registry.example.com-5000-team-app-1.2-sha256-abab[a-z0-9]*_[0-9a-f]{12}$/],
    ['..', /^image_[0-9a-f]{12}$/],
    ['../../etc', /^etc_[0-9a-f]{12}$/],
    ['.hidden', /^hidden_[0-9a-f]{12}$/],
    ['summary.json', /^summary.json_[0-9a-f]{12}$/],
    ['MyApp:Latest', /^myapp-latest_[0-9a-f]{12}$/],
  ])('%j is %s', (ref, want) => {
    if (typeof want === 'string') expect(safeName(ref)).toBe(want);
    else expect(safeName(ref)).toMatch(want);
  });
});
