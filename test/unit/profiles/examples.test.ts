import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_EMIT, emitFormat } from '../../../src/emit/emit.js';
import type { Result } from '../../../src/model/result.js';
import { builtinProfiles } from '../../../src/profiles/library.js';

/**
 * examples/profiles/<name>/ holds, per built-in, the real outputs of a profile run
 * (scripts/make-profile-examples.sh). They must match what is committed: the profile they were
 * made with (a changed profile needs them made again), and what the emitters print from their
 * result today.
 */
const root = new URL('../../../examples/profiles/', import.meta.url);
const FILES = { run: 'docker-run.sh', compose: 'compose.yaml', k8s: 'k8s.yaml', report: 'report.md' } as const;

describe.each(builtinProfiles().map((p) => [p.profile.name, p] as const))('examples/profiles/%s', (name, loaded) => {
  const dir = new URL(`${name}/`, root);
  const read = (f: string) => readFileSync(new URL(f, dir), 'utf8');

  it('exists, with a README of what the image needs', () => {
    for (const f of [...Object.values(FILES), 'result.json', 'README.md']) expect(existsSync(new URL(f, dir)), `${name}/${f}`).toBe(true);
  });

  it('was made with the profile as committed, and verified', () => {
    const r = JSON.parse(read('result.json')) as Result;
    expect(r.profile, 'run scripts/make-profile-examples.sh').toMatchObject({ name, source: 'built-in', sha256: loaded.sha256 });
    expect(r.verification.at(-1)?.result).toBe('pass');
  });

  it.each(Object.entries(FILES))('%s is what the emitter prints from its result', (format, file) => {
    const r = JSON.parse(read('result.json')) as Result;
    // Written from the repository root into examples/profiles/<name>: relative paths start there.
    const emit = { ...DEFAULT_EMIT, compose: { ...DEFAULT_EMIT.compose, from: '../../..' } };
    expect(read(file), 'run scripts/make-profile-examples.sh').toBe(emitFormat(r, format as keyof typeof FILES, emit));
  });
});
