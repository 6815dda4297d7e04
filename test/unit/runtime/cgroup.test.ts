import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { locateCgroup, readCgroup, statField } from '../../../src/runtime/cgroup.js';

const ID = 'e9a203e7060e2c9dd0e0c82c8aa0c99ebbf9a1b869c65911e58607bf693a91bc';

/** /proc/PID/cgroup of a container, as three real host layouts write it. */
const V1_SPLIT = [`9:name=systemd:/docker/${ID}`, `8:pids:/docker/${ID}`, `4:memory:/docker/${ID}`, `2:cpuacct:/docker/${ID}`, `1:cpu:/docker/${ID}`, `0::/docker/${ID}`].join('\n');
const V1_JOINED = [`11:pids:/system.slice/docker-${ID}.scope`, `5:cpu,cpuacct:/system.slice/docker-${ID}.scope`, `4:memory:/system.slice/docker-${ID}.scope`, '1:name=systemd:/system.slice/docker.service'].join('\n');
const V2 = `0::/system.slice/docker-${ID}.scope\n`;

describe('locateCgroup', () => {
  it('v1 with cpu and cpuacct mounted apart: each controller under its own hierarchy, name= lines ignored', () => {
    expect(locateCgroup(V1_SPLIT, '/cg')).toEqual({ version: 1, memory: `/cg/memory/docker/${ID}`, cpu: `/cg/cpuacct/docker/${ID}`, pids: `/cg/pids/docker/${ID}` });
  });

  it('v1 with cpu,cpuacct mounted together: the joined hierarchy name', () => {
    expect(locateCgroup(V1_JOINED, '/cg')?.cpu).toBe(`/cg/cpu,cpuacct/system.slice/docker-${ID}.scope`);
  });

  it('v2: one unified directory for every counter', () => {
    const dir = `/cg/system.slice/docker-${ID}.scope`;
    expect(locateCgroup(V2, '/cg')).toEqual({ version: 2, memory: dir, cpu: dir, pids: dir });
  });

  it('a v1 host without the pids controller, or text that is no cgroup file: nothing to read', () => {
    expect(locateCgroup(`4:memory:/docker/${ID}\n2:cpuacct:/docker/${ID}`, '/cg')).toBeUndefined();
    expect(locateCgroup('not a cgroup file', '/cg')).toBeUndefined();
  });
});

describe('readCgroup', () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
    root = undefined;
  });
  const files = (dir: string, contents: Record<string, string>) => {
    mkdirSync(dir, { recursive: true });
    for (const [name, text] of Object.entries(contents)) writeFileSync(join(dir, name), text);
  };

  it('v1: usage, the kernel\'s max_usage, total_inactive_file, cpuacct.usage (ns) and pids.current', async () => {
    root = mkdtempSync(join(tmpdir(), 'ro-profile-test-cgroup-'));
    const loc = locateCgroup(V1_SPLIT, root)!;
    files(loc.memory, { 'memory.usage_in_bytes': '7340032\n', 'memory.max_usage_in_bytes': '9437184\n', 'memory.stat': 'cache 1\ninactive_file 5\ntotal_inactive_file 1048576\n' });
    files(loc.cpu, { 'cpuacct.usage': '250000000\n' });
    files(loc.pids, { 'pids.current': '3\n' });
    expect(await readCgroup(loc)).toEqual({ memoryBytes: 7340032, memoryPeakBytes: 9437184, inactiveFileBytes: 1048576, cpuNs: 250000000, pids: 3 });
  });

  it('v2: memory.current and memory.peak, inactive_file, cpu.stat usage_usec as ns, pids.peak', async () => {
    root = mkdtempSync(join(tmpdir(), 'ro-profile-test-cgroup-'));
    const loc = locateCgroup(V2, root)!;
    files(loc.memory, { 'memory.current': '4194304', 'memory.peak': '6291456', 'memory.stat': 'anon 1\nactive_file 2\ninactive_file 65536\n', 'cpu.stat': 'usage_usec 1500\nuser_usec 1000\n', 'pids.current': '2', 'pids.peak': '5' });
    expect(await readCgroup(loc)).toEqual({ memoryBytes: 4194304, memoryPeakBytes: 6291456, inactiveFileBytes: 65536, cpuNs: 1500000, pids: 2, pidsPeak: 5 });
  });

  it('v2 on a kernel without memory.peak or pids.peak (before 5.19): the values of the moment only', async () => {
    root = mkdtempSync(join(tmpdir(), 'ro-profile-test-cgroup-'));
    const loc = locateCgroup(V2, root)!;
    files(loc.memory, { 'memory.current': '100', 'memory.stat': 'inactive_file 0\n', 'cpu.stat': 'usage_usec 1\n', 'pids.current': '1' });
    expect(await readCgroup(loc)).toEqual({ memoryBytes: 100, inactiveFileBytes: 0, cpuNs: 1000, pids: 1 });
  });

  it('rejects when a counter it must have is gone (the container stopped)', async () => {
    root = mkdtempSync(join(tmpdir(), 'ro-profile-test-cgroup-'));
    await expect(readCgroup(locateCgroup(V2, root)!)).rejects.toThrow();
  });
});

describe('statField', () => {
  it('reads a whole-line key only (total_inactive_file is not inactive_file)', () => {
    expect(statField('total_inactive_file 9\ninactive_file 4\n', 'inactive_file')).toBe(4);
    expect(statField('total_inactive_file 9\n', 'inactive_file')).toBeUndefined();
  });
});
