import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { composeCommand, uniqueProjectName, withoutComposeEnv } from '../../../src/runtime/compose-cli.js';

describe('composeCommand', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ro-profile-compose-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** A directory holding a docker-compose file with `mode`. */
  const withCompose = (name: string, mode: number): string => {
    const d = join(dir, name);
    mkdirSync(d);
    writeFileSync(join(d, 'docker-compose'), '#!/bin/sh\n');
    chmodSync(join(d, 'docker-compose'), mode);
    return d;
  };

  it('finds the first executable docker-compose on the given PATH', () => {
    const plain = withCompose('plain', 0o644);
    const bin = withCompose('bin', 0o755);
    expect(composeCommand(['', plain, bin].join(delimiter))).toBe(join(bin, 'docker-compose'));
    expect(composeCommand(plain)).toBeUndefined();
    expect(composeCommand('')).toBeUndefined();
  });
});

describe('uniqueProjectName', () => {
  it('is unique per call and made of what compose 1.29 keeps', () => {
    const a = uniqueProjectName('ro-profile-verify-R1.x');
    const b = uniqueProjectName('ro-profile-verify-R1.x');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^ro-profile-verify-r1-x-\d+-\d+-[a-z0-9]+$/);
  });
});

describe('withoutComposeEnv', () => {
  it('drops COMPOSE_* and unset entries', () => {
    expect(withoutComposeEnv({ COMPOSE_FILE: 'a', PATH: '/bin', X: undefined })).toEqual({ PATH: '/bin' });
  });
});
