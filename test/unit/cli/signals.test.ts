import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { gcLine, installSignalHandlers } from '../../../src/cli/signals.js';

describe('gcLine', () => {
  it.each(['plain-1', "it's mine", 'a b;rm -rf /', '$(id)'])('is a line the shell reads back with the session %j intact', (session) => {
    const line = gcLine(session);
    expect(line.startsWith('ro-profile gc --session ')).toBe(true);
    const args = execFileSync('/bin/sh', ['-c', `set -- ${line.slice('ro-profile '.length)}; printf '%s\\n' "$3"`]).toString();
    expect(args).toBe(`${session}\n`);
  });
});

describe('installSignalHandlers', () => {
  const run = async (stillThere: () => Promise<string[] | undefined>, halt?: (ms: number) => Promise<void>) => {
    const events: string[] = [];
    const lines: string[] = [];
    let exited: number | undefined;
    const controller = new AbortController();
    const done = new Promise<void>((resolve) => {
      const uninstall = installSignalHandlers({
        controller,
        sessionId: 'sess-1',
        leftovers: () => ['container abc'],
        ...(halt ? { halt: async (ms: number) => (events.push('halt'), halt(ms)) } : {}),
        stillThere: async () => (events.push('list'), stillThere()),
        write: (l) => lines.push(l),
        exit: (code) => {
          exited = code;
          uninstall();
          resolve();
        },
      });
    });
    process.emit('SIGINT', 'SIGINT');
    expect(controller.signal.aborted).toBe(true);
    process.emit('SIGINT', 'SIGINT');
    await done;
    return { events, lines, exited };
  };

  it('a second Ctrl-C halts the cleanup before it asks what is left, so what it names stays there', async () => {
    let halted = false;
    const r = await run(
      async () => (halted ? ['container 1a2b3c4d5e6f'] : ['container 1a2b3c4d5e6f', 'volume gone-soon']),
      async () => void (halted = true),
    );
    expect(r.events).toEqual(['halt', 'list']);
    expect(r.exited).toBe(130);
    expect(r.lines.at(-1)).toBe('ro-profile: exiting now; left on the engine: container 1a2b3c4d5e6f\nro-profile: remove them with: ro-profile gc --session sess-1');
  });

  it('says nothing is left when the engine lists nothing', async () => {
    const r = await run(async () => []);
    expect(r.lines.at(-1)).toBe('ro-profile: exiting now; nothing of this run is left');
  });

  it('falls back to what the cleanup still owned when the engine cannot say', async () => {
    const r = await run(async () => {
      throw new Error('engine gone');
    });
    expect(r.lines.at(-1)).toContain('the engine did not say what is left (the cleanup still had: container abc)');
    expect(r.lines.at(-1)).toContain('ro-profile gc --session sess-1');
  });
});
