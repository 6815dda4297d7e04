import { execFileSync } from 'node:child_process';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readHeaders } from '../../../src/harvest/archive.js';
import { GATE_BUSYBOX, GATE_DIR, MAIN_GATE_NAME, effectiveArgv, gateArchive, gateFileArchive, gatedMain, gatedStep, isStaticElf, releaseName, startTimeOf } from '../../../src/trace/gate.js';
import { readFileSync } from 'node:fs';

describe('effectiveArgv', () => {
  const image = { entrypoint: ['/docker-entrypoint.sh'], cmd: ['nginx', '-g', 'daemon off;'] };
  it('is the image entrypoint followed by its CMD', () => {
    expect(effectiveArgv(image, { command: [] })).toEqual(['/docker-entrypoint.sh', 'nginx', '-g', 'daemon off;']);
  });
  it('takes a command after -- in place of CMD', () => {
    expect(effectiveArgv(image, { command: ['nginx', '-T'] })).toEqual(['/docker-entrypoint.sh', 'nginx', '-T']);
  });
  it('drops the image CMD when --entrypoint is given, as docker does', () => {
    expect(effectiveArgv(image, { entrypoint: '/bin/sh', command: [] })).toEqual(['/bin/sh']);
    expect(effectiveArgv(image, { entrypoint: '', command: ['redis-server'] })).toEqual(['redis-server']);
  });
});

describe('the gate', () => {
  it('runs the real command as its arguments, under the gate name the host tracer releases', () => {
    const g = gatedMain(['nginx', '-g', 'daemon off;']);
    expect(g.entrypoint.slice(0, 3)).toEqual([GATE_BUSYBOX, 'sh', '-c']);
    expect(g.entrypoint[4]).toBe(MAIN_GATE_NAME);
    expect(g.cmd).toEqual(['nginx', '-g', 'daemon off;']);
    const step = gatedStep('ro-profile-step-abc', ['sh', '-c', 'echo hi']);
    expect(step[4]).toBe('ro-profile-step-abc');
    expect(step.slice(5)).toEqual(['sh', '-c', 'echo hi']);
  });

  it('is a POSIX sh script (dash parses it)', () => {
    const script = gatedMain(['x']).entrypoint[3] ?? '';
    expect(() => execFileSync('/bin/sh', ['-n', '-c', script])).not.toThrow();
  });

  it('ships as a root-owned 0755 busybox under the gate directory', async () => {
    const tar = await gateArchive(Buffer.from('\x7fELF-not-really'));
    const entries = await readHeaders(Readable.from([tar]));
    expect(entries.map((e) => [e.name, e.type, e.mode, e.uid, e.gid])).toEqual([
      [GATE_DIR.slice(1), 'dir', 0o755, 0, 0],
      [`${GATE_DIR.slice(1)}/busybox`, 'file', 0o755, 0, 0],
    ]);
    // Deterministic bytes: same input, same archive.
    expect((await gateArchive(Buffer.from('x'))).equals(await gateArchive(Buffer.from('x')))).toBe(true);
  });
});

describe('the release file (a tracer the gate cannot see)', () => {
  const stat = (comm: string, start: string) => `1 (${comm}) S 0 1 1 0 -1 4194560 93 0 0 0 0 0 0 0 20 0 1 0 ${start} 2387968 348 18446744073709551615 4198400`;
  it('is named after the gate and its process start time, field 22 of /proc/PID/stat', () => {
    expect(startTimeOf(stat('busybox', '5663953'))).toBe('5663953');
    // A command name may hold spaces and parentheses: the fields start after the last ") ".
    expect(startTimeOf(stat('we ird) (x', '42'))).toBe('42');
    expect(releaseName(MAIN_GATE_NAME, '42')).toBe(`go.${MAIN_GATE_NAME}.42`);
    expect(() => startTimeOf('garbage')).toThrow(/not a \/proc\/PID\/stat line/);
  });

  it('is the one the gate itself waits for: its own start time, read as the host reads it', () => {
    // The script's first lines, run by this host's sh on its own /proc/self/stat.
    const script = gatedMain(['x']).entrypoint[3] ?? '';
    const head = script.split('\n').slice(1, 4).join('\n');
    const out = execFileSync('/bin/sh', ['-c', `${head}\necho "$st"; read -r l </proc/self/stat; echo "$l"`], { encoding: 'utf8' }).trim().split('\n');
    expect(out[0]).toMatch(/^\d+$/);
    expect(out[0]).toBe(startTimeOf(out[1]!));
  });

  it('goes into the gate\'s own volume as a bare busybox (no directory entry over the volume root)', async () => {
    const entries = await readHeaders(Readable.from([await gateFileArchive(Buffer.from('x'))]));
    expect(entries.map((e) => [e.name, e.type, e.mode])).toEqual([['busybox', 'file', 0o755]]);
  });
});

describe('isStaticElf', () => {
  it('tells a dynamically linked program (this node binary) from a static one', () => {
    expect(isStaticElf(readFileSync(process.execPath).subarray(0, 1 << 16))).toBe(false);
  });
  it('refuses what is not ELF', () => {
    expect(isStaticElf(Buffer.from('#!/bin/sh\necho hi\n'.padEnd(128)))).toBe(false);
  });
  it('accepts an ELF header with no PT_INTERP program header', () => {
    const b = Buffer.alloc(64 + 56 * 2);
    b.writeUInt32BE(0x7f454c46, 0);
    b[4] = 2; // 64-bit
    b[5] = 1; // little-endian
    b.writeBigUInt64LE(64n, 32); // e_phoff
    b.writeUInt16LE(56, 54); // e_phentsize
    b.writeUInt16LE(2, 56); // e_phnum
    b.writeUInt32LE(1, 64); // PT_LOAD
    b.writeUInt32LE(4, 64 + 56); // PT_NOTE
    expect(isStaticElf(b)).toBe(true);
    b.writeUInt32LE(3, 64 + 56); // PT_INTERP
    expect(isStaticElf(b)).toBe(false);
  });
});
