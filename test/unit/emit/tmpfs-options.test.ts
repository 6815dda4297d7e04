import { describe, expect, it } from 'vitest';
import { formatMode, formatSize, tmpfsOptions } from '../../../src/emit/tmpfs-options.js';
import type { Mount } from '../../../src/model/mount-plan.js';
import { sampleMount } from '../../helpers/samples.js';

const MiB = 1024 * 1024;

function mount(overrides: Partial<Mount>): Mount {
  return sampleMount(overrides);
}

describe('formatMode', () => {
  it.each([
    [0o755, '0755'],
    [0o700, '0700'],
    [0o1777, '1777'],
    [0o7, '0007'],
    [0, '0000'],
  ])('writes mode %o as %s', (mode, text) => {
    expect(formatMode(mode)).toBe(text);
  });
});

describe('formatSize', () => {
  it.each([
    [64 * MiB, '64m'],
    [1024 * MiB, '1024m'],
    [1024, '1k'],
    [1025, '2k'],
    [64 * MiB + 1, '65537k'],
  ])('writes %i bytes as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});

describe('tmpfsOptions', () => {
  it.each<[string, Partial<Mount>, string]>([
    ['a root-owned noexec mount', {}, 'rw,noexec,nosuid,nodev,size=64m,mode=0755'],
    ['a mount whose files must run', { exec: true }, 'rw,exec,nosuid,nodev,size=64m,mode=0755'],
    ['a mount owned by uid 33', { uid: 33 }, 'rw,noexec,nosuid,nodev,size=64m,mode=0755,uid=33'],
    ['a mount owned by 100:101 with mode 0750', { uid: 100, gid: 101, mode: 0o750 }, 'rw,noexec,nosuid,nodev,size=64m,mode=0750,uid=100,gid=101'],
    ['a mount owned by group 4 only', { gid: 4 }, 'rw,noexec,nosuid,nodev,size=64m,mode=0755,gid=4'],
    ['a sticky world-writable mount', { mode: 0o1777, sizeBytes: 128 * MiB }, 'rw,noexec,nosuid,nodev,size=128m,mode=1777'],
  ])('spells out every option for %s', (_name, overrides, text) => {
    expect(tmpfsOptions(mount(overrides))).toBe(text);
  });
});
