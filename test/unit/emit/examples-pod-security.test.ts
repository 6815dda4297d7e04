import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Result } from '../../../src/model/result.js';
import { restrictedViolations } from '../../helpers/pod-security.js';

/**
 * Every example made by a live run (examples/<fixture>/ and examples/profiles/<name>/): where the
 * image runs as non-root under its verified config, its Pod passes Pod Security "restricted" as
 * the independent checker reads the published rules; where it does not, the checker says why.
 */
const root = new URL('../../../examples/', import.meta.url);
const dirs = [
  ...readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name !== 'profiles').map((d) => new URL(`${d.name}/`, root)),
  ...readdirSync(new URL('profiles/', root), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => new URL(`profiles/${d.name}/`, root)),
].filter((d) => existsSync(new URL('result.json', d)) && existsSync(new URL('k8s.yaml', d)));

const name = (d: URL) => d.pathname.replace(/.*examples\//, '').replace(/\/$/, '');
const read = (d: URL) => ({ result: JSON.parse(readFileSync(new URL('result.json', d), 'utf8')) as Result, pod: parse(readFileSync(new URL('k8s.yaml', d), 'utf8')) as unknown });

describe('examples: the Pod of every image that runs as non-root passes Pod Security "restricted"', () => {
  it('covers the examples, most of them hardened to restricted', () => {
    const levels = dirs.map((d) => read(d).result.hardening?.level);
    expect(dirs.length).toBeGreaterThan(20);
    expect(levels.filter((l) => l === 'restricted').length).toBeGreaterThan(dirs.length / 2);
  });

  it.each(dirs.map((d) => [name(d), d] as const))('%s', (_n, d) => {
    const { result, pod } = read(d);
    const h = result.hardening;
    expect(h, 'made before --harden: run scripts/make-examples.sh / make-profile-examples.sh').toBeDefined();
    const violations = restrictedViolations(pod);
    if (h!.verified && (h!.level === 'restricted' || h!.level === 'openshift')) expect(violations).toEqual([]);
    // A root image keeps its user, so the checker must object to it: the check is not one that always passes.
    else expect(violations.join('\n')).toMatch(/runAsNonRoot|Non-root|capabilit/i);
  });
});
