import { describe, expect, it } from 'vitest';
import { imageRefProblem } from '../../../src/syntax/image-ref.js';

describe('imageRefProblem', () => {
  it.each([
    'nginx',
    'nginx:alpine',
    'library/nginx:1.27.0',
    'ro-profile-fixture/busybox-app:latest',
    'registry.example.com:5000/team/app:v1_2-rc.3',
    'localhost:5000/app',
    'Registry.Example.com/owner/app', // a registry host may be upper case, the path may not
    `app@sha256:${'a'.repeat(64)}`,
    `registry:5000/ns/name:tag@sha256:${'0'.repeat(64)}`,
    'a__b/c--d/e.f',
  ])('%s is a reference', (ref) => {
    expect(imageRefProblem(ref)).toBeUndefined();
  });

  it.each([
    ['', /empty/],
    ['..', /not of the form/],
    ['../etc/passwd', /not of the form/],
    ['nginx alpine', /white space/],
    ['MyApp:1', /lower case/],
    ['Library/nginx', /lower case/],
    ['ghcr.io/Owner/app', /lower case/],
    ['nginx:', /not of the form/],
    ['nginx@sha256:abc', /not of the form/],
    ['-nginx', /not of the form/],
    ['nginx:-tag', /not of the form/],
    [`${'a'.repeat(256)}`, /longer than 255/],
  ])('%j is not: %s', (ref, why) => {
    expect(imageRefProblem(ref)).toMatch(why);
  });
});
