import { createHash } from 'node:crypto';
import { readFile, realpath, stat } from 'node:fs/promises';
import { loadExeca } from '../runtime/lazy-execa.js';
import { hostBusybox } from '../runtime/host-busybox.js';
import type { TarEntry } from './tar.js';

/** `--tracer-base host`: the tracer image assembled from this machine's own binaries. */
export const HOST_BASE = 'host';

/** Where strace lives, on a host and in an image alike. */
export const STRACE_PATHS = ['/usr/bin/strace', '/bin/strace', '/usr/local/bin/strace'];

export interface HostBinaries {
  readonly strace: string;
  /** A static busybox: the gate, and the sidecar's shell. */
  readonly busybox: Buffer;
  readonly busyboxPath: string;
  /** The shared libraries and loader strace needs, as `ldd` names them. */
  readonly libs: readonly string[];
}

async function firstFile(paths: readonly string[]): Promise<string | undefined> {
  for (const p of paths) if ((await stat(p).catch(() => undefined))?.isFile()) return p;
  return undefined;
}

export { hostBusybox } from '../runtime/host-busybox.js';

/** strace, its libraries and a static busybox from this host, or what is missing. */
export async function hostBinaries(): Promise<HostBinaries | { missing: string }> {
  const strace = await firstFile(STRACE_PATHS);
  if (!strace) return { missing: `no strace on this host (looked in ${STRACE_PATHS.join(', ')}; Debian: apt-get install strace)` };
  const bb = await hostBusybox();
  if ('missing' in bb) return bb;
  const execa = await loadExeca();
  const ldd = await execa('ldd', [strace], { reject: false });
  // A static strace: ldd says "not a dynamic executable" and there is nothing to copy.
  const libs = ldd.exitCode === 0 ? lddPaths(ldd.stdout) : [];
  return { strace, busybox: bb.body, busyboxPath: bb.path, libs };
}

/** The absolute paths in `ldd` output: `libc.so.6 => /lib/…/libc.so.6 (0x…)` and the loader line. */
export function lddPaths(out: string): string[] {
  const paths = new Set<string>();
  for (const line of out.split('\n')) {
    const m = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(0x/.exec(line);
    if (m?.[1]) paths.add(m[1]);
  }
  return [...paths].sort();
}

/**
 * The build context of an image FROM scratch holding the host's strace (at /usr/bin/strace),
 * the libraries at the paths its loader looks them up, and busybox with the applets the sidecar
 * uses. No registry, no package mirror: what the host already has.
 */
export async function hostTracerContext(b: HostBinaries): Promise<{ context: TarEntry[]; digest: string }> {
  const files: { name: string; body: Buffer; mode: number }[] = [
    { name: 'usr/bin/strace', body: await readFile(b.strace), mode: 0o755 },
    { name: 'bin/busybox', body: b.busybox, mode: 0o755 },
  ];
  for (const lib of b.libs) files.push({ name: lib.slice(1), body: await readFile(await realpath(lib)), mode: 0o755 });
  const dirs = new Set<string>();
  for (const f of files) for (let d = f.name.slice(0, f.name.lastIndexOf('/')); d !== ''; d = d.slice(0, Math.max(0, d.lastIndexOf('/')))) dirs.add(d);
  const dockerfile = [
    'FROM scratch',
    'COPY rootfs/ /',
    // Every applet (sh, tr, grep, readlink, sleep for the sidecar's finder; the rest for users who build on it).
    'RUN ["/bin/busybox", "--install", "-s", "/bin"]',
    'ENV PATH=/usr/bin:/bin',
    '',
  ].join('\n');
  const h = createHash('sha256').update(dockerfile);
  for (const f of files) h.update(f.name).update(f.body);
  const context: TarEntry[] = [
    { name: 'Dockerfile', type: 'file', mode: 0o644, body: dockerfile },
    { name: 'rootfs', type: 'directory', mode: 0o755 },
    ...[...dirs].sort().map((d) => ({ name: `rootfs/${d}`, type: 'directory' as const, mode: 0o755 })),
    ...files.map((f) => ({ name: `rootfs/${f.name}`, type: 'file' as const, mode: f.mode, body: f.body })),
  ];
  return { context, digest: h.digest('hex').slice(0, 12) };
}
