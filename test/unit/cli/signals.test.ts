import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { gcLine } from '../../../src/cli/signals.js';

describe('gcLine', () => {
  it.each(['plain-1', "it's mine", 'a b;rm -rf /', '$(id)'])('is a line the shell reads back with the session %j intact', (session) => {
    const line = gcLine(session);
    expect(line.startsWith('ro-profile gc --session ')).toBe(true);
    const args = execFileSync('/bin/sh', ['-c', `set -- ${line.slice('ro-profile '.length)}; printf '%s\\n' "$3"`]).toString();
    expect(args).toBe(`${session}\n`);
  });
});
