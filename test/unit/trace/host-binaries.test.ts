import { describe, expect, it } from 'vitest';
import { lddPaths } from '../../../src/trace/host-binaries.js';

describe('lddPaths', () => {
  it('reads the libraries and the loader of ldd output, without the vdso', () => {
    const out = [
      '\tlinux-vdso.so.1 (0x00007fef3cc78000)',
      '\tlibunwind-ptrace.so.0 => /lib/x86_64-linux-gnu/libunwind-ptrace.so.0 (0x00007fef3cc61000)',
      '\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fef3c81e000)',
      '\t/lib64/ld-linux-x86-64.so.2 (0x00007fef3cc7a000)',
    ].join('\n');
    expect(lddPaths(out)).toEqual(['/lib/x86_64-linux-gnu/libc.so.6', '/lib/x86_64-linux-gnu/libunwind-ptrace.so.0', '/lib64/ld-linux-x86-64.so.2']);
  });

  it('finds nothing in a static binary\'s answer', () => {
    expect(lddPaths('\tnot a dynamic executable')).toEqual([]);
  });
});
