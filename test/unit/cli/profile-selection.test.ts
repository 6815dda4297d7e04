import { describe, expect, it } from 'vitest';
import { applyProfile, selectProfile } from '../../../src/cli/profile-selection.js';
import type { RunSpec } from '../../../src/model/run-spec.js';
import type { LoadedProfile } from '../../../src/profiles/library.js';

const RUN: RunSpec = {
  image: 'demo:1',
  env: [{ name: 'MODE' }],
  envFiles: [],
  command: [],
  volumes: [],
  mounts: [],
  publish: [],
  exercise: { execs: ['echo mine'], durationMs: 0, timeoutMs: 60_000, settleMs: 2000, probePorts: [] },
};

const PROFILE: LoadedProfile = {
  profile: {
    name: 'demo',
    description: 'a demo',
    match: ['demo'],
    run: { env: [{ name: 'MODE', value: 'red' }, { name: 'LEVEL', value: 'debug' }, { name: 'PASSWORD', generate: 'password' }], user: '1000', command: ['serve'] },
    ready: { ports: [8080], log: 'up', timeoutMs: 120_000 },
    exercise: [{ kind: 'exec', command: 'echo theirs', expectExit: 0 }],
    writes: [{ path: '/data', kind: 'persistent', reason: 'db' }, { path: '/cache', kind: 'persistent', reason: 'cache' }, { path: '/tmp/x', kind: 'optional', reason: 'scratch' }],
  },
  sha256: 'a'.repeat(64),
  text: '',
  ref: { name: 'demo', source: 'built-in', sha256: 'a'.repeat(64) },
};

describe('applyProfile', () => {
  it('lays the profile under what the user gave: the user wins, values become secrets, hints stay hints', () => {
    const secrets = new Map([['MODE', 'blue']]);
    const r = applyProfile(PROFILE, RUN, secrets, { user: false, command: false, timeout: false }, { persist: [], ephemeral: ['/cache'] }, () => 'generated-value');
    expect(r.run.env).toEqual([{ name: 'MODE' }, { name: 'LEVEL' }, { name: 'PASSWORD' }]);
    expect([...secrets]).toEqual([['MODE', 'blue'], ['LEVEL', 'debug'], ['PASSWORD', 'generated-value']]);
    expect(r.run.user).toBe('1000');
    expect(r.run.command).toEqual(['serve']);
    expect(r.run.exercise.steps).toEqual(PROFILE.profile.exercise);
    expect(r.run.exercise.execs).toEqual(['echo mine']);
    expect(r.run.exercise.ready).toEqual({ ports: [8080], log: 'up' });
    expect(r.timeoutMs).toBe(120_000);
    // --ephemeral /cache wins over the profile's hint.
    expect(r.persistHints).toEqual(['/data']);
    expect(r.profile).toEqual({ name: 'demo', source: 'built-in', sha256: 'a'.repeat(64), description: 'a demo', writes: PROFILE.profile.writes, env: [{ name: 'LEVEL', kind: 'default' }, { name: 'PASSWORD', kind: 'generated' }] });
    expect(JSON.stringify(r.profile)).not.toContain('generated-value');
  });

  it('flags the user gave are kept', () => {
    const r = applyProfile(PROFILE, { ...RUN, user: '0', command: ['mine'] }, new Map(), { user: true, command: true, timeout: true }, { persist: [], ephemeral: [] });
    expect(r.run.user).toBe('0');
    expect(r.run.command).toEqual(['mine']);
    expect(r.timeoutMs).toBeUndefined();
  });

  it('generated values differ from run to run', () => {
    const a = new Map<string, string>();
    const b = new Map<string, string>();
    applyProfile(PROFILE, RUN, a, { user: false, command: false, timeout: false }, { persist: [], ephemeral: [] });
    applyProfile(PROFILE, RUN, b, { user: false, command: false, timeout: false }, { persist: [], ephemeral: [] });
    expect(a.get('PASSWORD')).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(a.get('PASSWORD')).not.toBe(b.get('PASSWORD'));
  });
});

describe('selectProfile', () => {
  it('--no-profile picks none, a match picks the built-in, --profile NAME picks that one', () => {
    expect(selectProfile('redis:7', false)).toBeUndefined();
    expect(selectProfile('redis:7', undefined)?.profile.name).toBe('redis');
    expect(selectProfile('redis:7', 'nginx')?.profile.name).toBe('nginx');
    expect(selectProfile('example/app:1', undefined)).toBeUndefined();
  });
});
