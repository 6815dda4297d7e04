import { afterEach, describe, expect, it, vi } from 'vitest';
import { redactStderr } from '../../../src/cli/redacted-stderr.js';
import { redactor } from '../../../src/pipeline/redact.js';

describe('redactStderr', () => {
  let restore: (() => void) | undefined;
  afterEach(() => restore?.());

  it('passes every write to stderr through the redactor, strings and buffers alike, until restored', () => {
    const seen: string[] = [];
    const original = process.stderr.write;
    const spy = vi.fn((chunk: string | Uint8Array) => {
      seen.push(String(chunk));
      return true;
    });
    process.stderr.write = spy as unknown as typeof process.stderr.write;
    try {
      restore = redactStderr(redactor(new Map([['TOKEN', 'hunter2-long'], ['PIN', 'q7z']])));
      process.stderr.write('ro-profile: --exec "login hunter2-long q7z" exited 3\n');
      process.stderr.write(Buffer.from('PIN=q7z in a buffer\n'));
      restore();
      restore = undefined;
      process.stderr.write('after: hunter2-long\n');
    } finally {
      process.stderr.write = original;
    }
    expect(seen).toEqual(['ro-profile: --exec "login *** ***" exited 3\n', 'PIN=*** in a buffer\n', 'after: hunter2-long\n']);
  });
});
