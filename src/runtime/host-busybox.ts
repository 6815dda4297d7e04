import { readFile } from 'node:fs/promises';

const BUSYBOX_ON_HOST = ['/bin/busybox', '/usr/bin/busybox', '/usr/local/bin/busybox'];

/** True for an ELF executable that needs no dynamic loader (no PT_INTERP program header). */
export function isStaticElf(b: Buffer): boolean {
  if (b.length < 64 || b.readUInt32BE(0) !== 0x7f454c46) return false;
  const is64 = b[4] === 2;
  const le = b[5] === 1;
  const u16 = (o: number) => (le ? b.readUInt16LE(o) : b.readUInt16BE(o));
  const u32 = (o: number) => (le ? b.readUInt32LE(o) : b.readUInt32BE(o));
  const phoff = is64 ? Number(le ? b.readBigUInt64LE(32) : b.readBigUInt64BE(32)) : u32(28);
  const phentsize = u16(is64 ? 54 : 42);
  const phnum = u16(is64 ? 56 : 44);
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    if (o + 4 > b.length) return false;
    if (u32(o) === 3) return false; // PT_INTERP
  }
  return true;
}

/** A static busybox on this host, or why there is none. */
export async function hostBusybox(): Promise<{ path: string; body: Buffer } | { missing: string }> {
  for (const p of BUSYBOX_ON_HOST) {
    const body = await readFile(p).catch(() => undefined);
    if (body && isStaticElf(body)) return { path: p, body };
  }
  return { missing: `no static busybox on this host (looked in ${BUSYBOX_ON_HOST.join(', ')}; Debian: apt-get install busybox-static)` };
}
