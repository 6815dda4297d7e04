import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellJoin, shellQuote } from '../../../src/emit/shell-quote.js';

/** What the real /bin/sh reads back from a line of quoted words. */
function shellWords(quoted: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf "%s\\0" ${quoted}`]).toString('utf8');
  return out.split('\0').slice(0, -1);
}

const SPECIALS = ["'", '"', '$', '`', '\\', '\n', '\t', ' ', '*', '?', '[', ']', '~', '#', '!', '{', '}', '(', ')', ';', '&', '|', '<', '>', '=', '-', '%', 'é', '日本', '😀', '\u00a0', 'a', '$(id)', '${HOME}', '\\n'];

/** Any string an argv can hold: full Unicode, no NUL (no argv can carry one). */
const wordArb = fc
  .oneof(
    fc.string({ unit: 'binary' }),
    fc.string({ unit: fc.constantFrom(...SPECIALS) }),
    fc.string({ unit: 'grapheme-ascii' }),
  )
  .filter((s) => !s.includes('\0'));

describe('shellQuote', () => {
  it.each([
    ['a plain word', 'nginx', 'nginx'],
    ['an image reference', 'ro-profile-fixture/nginx:latest', 'ro-profile-fixture/nginx:latest'],
    ['a tmpfs option string', '/run:rw,noexec,nosuid,nodev,size=64m,mode=0755', '/run:rw,noexec,nosuid,nodev,size=64m,mode=0755'],
    ['the empty string', '', "''"],
    ['a space', 'daemon off;', "'daemon off;'"],
    ['a single quote', "it's", "'it'\\''s'"],
    ['a dollar sign', '$HOME', "'$HOME'"],
    ['a backtick', '`id`', "'`id`'"],
    ['a tilde', '~/x', "'~/x'"],
    ['a glob', '*.log', "'*.log'"],
    ['a newline', 'a\nb', "'a\nb'"],
    ['non-ASCII text', 'café', "'café'"],
  ])('quotes %s as expected', (_name, word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  it('gives back any string through the real /bin/sh', () => {
    fc.assert(
      fc.property(wordArb, (s) => {
        expect(shellWords(shellQuote(s))).toEqual([s]);
      }),
      { numRuns: 150 },
    );
  });
});

describe('shellJoin', () => {
  it('joins words with single spaces', () => {
    expect(shellJoin(['docker', 'run', '-e', 'A B', ''])).toBe("docker run -e 'A B' ''");
  });

  it('gives back any list of words through the real /bin/sh', () => {
    fc.assert(
      fc.property(fc.array(wordArb, { minLength: 1, maxLength: 6 }), (words) => {
        expect(shellWords(shellJoin(words))).toEqual(words);
      }),
      { numRuns: 100 },
    );
  });
});
