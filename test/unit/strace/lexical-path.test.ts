import { describe, expect, it } from 'vitest';
import { resolveLexical } from '../../../src/strace/lexical-path.js';

describe('resolveLexical', () => {
  it.each<[string | undefined, string, string]>([
    ['/app', 'data/x', '/app/data/x'],
    ['/', 'x', '/x'],
    ['/app', '/etc//x/', '/etc/x'],
    ['/app/sub', '../data/./x', '/app/data/x'],
    ['/', '../../x', '/x'],
    [undefined, './rp-test/a/', 'rp-test/a'],
    [undefined, '../x', '../x'],
    ['/app', '.', '/app'],
    ['/srv', '.hidden', '/srv/.hidden'],
  ])('resolves (%s, %s)', (base, p, expected) => {
    expect(resolveLexical(base, p)).toBe(expected);
  });
});
