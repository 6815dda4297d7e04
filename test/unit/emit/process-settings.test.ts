import { describe, expect, it } from 'vitest';
import { capabilityArgs, configUser, hardeningCommentLines } from '../../../src/emit/process-settings.js';
import { LEVEL_MEANING, type Hardening } from '../../../src/model/hardening.js';
import { sampleRun } from '../../helpers/samples.js';

const hardening = (over: Partial<Hardening> = {}): Hardening => ({
  requested: 'auto',
  level: 'restricted',
  capDrop: ['ALL'],
  capAdd: [],
  noNewPrivileges: true,
  seccomp: 'RuntimeDefault',
  verified: true,
  rejected: [],
  ...over,
});

describe('configUser', () => {
  it('is the level\'s numeric user over --user', () => {
    expect(configUser({ run: sampleRun({ user: 'app' }), hardening: hardening({ user: { uid: 1000, gid: 1001 } }) })).toBe('1000:1001');
    expect(configUser({ run: sampleRun({ user: 'app' }), hardening: hardening({ user: { uid: 0, gid: 0 } }) })).toBe('0:0');
  });

  it('is --user as given when the level has no user, and undefined (the image\'s) when neither does', () => {
    expect(configUser({ run: sampleRun({ user: 'app:staff' }), hardening: hardening({ level: 'drop-caps' }) })).toBe('app:staff');
    expect(configUser({ run: sampleRun({ user: 'app:staff' }) })).toBe('app:staff');
    expect(configUser({ run: sampleRun() })).toBeUndefined();
  });
});

describe('capabilityArgs', () => {
  it('is nothing for a result made before levels, or for off', () => {
    expect(capabilityArgs(undefined)).toEqual([]);
    expect(capabilityArgs(hardening({ level: 'off', capDrop: [] }))).toEqual([]);
  });

  it('drops ALL first, then adds back each kept capability by name', () => {
    const h = hardening({
      level: 'drop-caps',
      capAdd: [
        { name: 'CHOWN', reason: 'r', evidence: [] },
        { name: 'NET_BIND_SERVICE', reason: 'r', evidence: [] },
      ],
    });
    expect(capabilityArgs(h)).toEqual(['--cap-drop', 'ALL', '--cap-add', 'CHOWN', '--cap-add', 'NET_BIND_SERVICE']);
  });
});

describe('hardeningCommentLines', () => {
  it('is nothing without hardening', () => {
    expect(hardeningCommentLines({})).toEqual([]);
  });

  it('says the level and what it means first, the seccomp line last, each a comment line', () => {
    const lines = hardeningCommentLines({ hardening: hardening({ level: 'off', capDrop: [] }) });
    expect(lines[0]).toBe(`# hardening: off: ${LEVEL_MEANING.off}\n`);
    expect(lines.at(-1)).toBe('# seccomp: the engine\'s default profile (RuntimeDefault); never add seccomp=unconfined\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(l).toMatch(/^# [^\n]*\n$/);
  });

  it('says when it is not verified and when a level was asked for', () => {
    expect(hardeningCommentLines({ hardening: hardening({ verified: false, requested: 'restricted' }) })[0]).toBe(`# hardening: restricted: ${LEVEL_MEANING.restricted}; NOT verified; asked for restricted\n`);
    expect(hardeningCommentLines({ hardening: hardening() })[0]).not.toMatch(/NOT verified|asked for/);
  });

  it('gives each kept capability its reason and, where there is one, the way without it', () => {
    const lines = hardeningCommentLines({
      hardening: hardening({
        level: 'drop-caps',
        capAdd: [
          { name: 'NET_BIND_SERVICE', reason: 'binds port 80', evidence: ['x'], alternative: 'listen on 8080' },
          { name: 'KILL', reason: 'signals its workers', evidence: ['y'] },
        ],
      }),
    });
    expect(lines).toContain('# capability NET_BIND_SERVICE kept: it binds port 80; without it: listen on 8080\n');
    expect(lines).toContain('# capability KILL kept: it signals its workers\n');
  });

  it('says the user: numeric, or the platform\'s for an arbitrary UID', () => {
    expect(hardeningCommentLines({ hardening: hardening({ user: { uid: 1000, gid: 1000 } }) })).toContain('# user: 1000:1000, numeric, so an admission check can see it is not root\n');
    expect(hardeningCommentLines({ hardening: hardening({ level: 'openshift', user: { uid: 1000680000, gid: 0 }, arbitraryUid: true }) })).toContain('# user: any UID with GID 0 (verified as 1000680000:0); the platform assigns it\n');
    expect(hardeningCommentLines({ hardening: hardening() }).some((l) => l.startsWith('# user:'))).toBe(false);
  });

  it('says what broke each rejected level, on one line however many lines the message has', () => {
    const lines = hardeningCommentLines({
      hardening: hardening({
        level: 'drop-caps',
        rejected: [
          { level: 'openshift', setting: 'run as UID\n1000680000', message: 'exited 1:\r\npermission denied', evidence: [], fix: 'chgrp 0 and\ng+rwX the data directory' },
          { level: 'restricted', setting: 'run as UID 33', message: 'no answer on 80', evidence: [] },
        ],
      }),
    });
    expect(lines).toContain('# not openshift: run as UID 1000680000 broke it (exited 1: permission denied); chgrp 0 and g+rwX the data directory\n');
    expect(lines).toContain('# not restricted: run as UID 33 broke it (no answer on 80)\n');
    // A newline in a message must never end the comment early: the rest would be config.
    for (const l of lines) expect(l.slice(0, -1)).not.toMatch(/[\r\n]/);
  });
});

describe('hardeningCommentLines with text from the image', () => {
  it('keeps a reason naming a path with a line break on its comment line', () => {
    const lines = hardeningCommentLines({
      hardening: {
        requested: 'drop-caps', level: 'drop-caps', capDrop: ['ALL'], noNewPrivileges: true, seccomp: 'RuntimeDefault', verified: true, rejected: [],
        capAdd: [{ name: 'CHOWN', reason: 'changes the owner of files it creates (/data/a\nrm -rf /srv)', alternative: 'own\u2028it', evidence: [] }],
      },
    });
    for (const l of lines) expect(l).toMatch(/^# [^\n\u2028]*\n$/);
  });
});
