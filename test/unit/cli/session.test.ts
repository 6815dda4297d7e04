import { afterEach, describe, expect, it } from 'vitest';
import { RoProfileError } from '../../../src/errors.js';
import { openRunSession } from '../../../src/cli/session.js';

describe('openRunSession', () => {
  const before = { int: process.listenerCount('SIGINT'), term: process.listenerCount('SIGTERM') };
  afterEach(() => {
    expect(process.listenerCount('SIGINT')).toBe(before.int);
    expect(process.listenerCount('SIGTERM')).toBe(before.term);
  });

  it('installs the signal handlers for its lifetime and removes them when disposed', () => {
    {
      using session = openRunSession({ interrupted: 'Interrupted' });
      expect(process.listenerCount('SIGINT')).toBe(before.int + 1);
      expect(process.listenerCount('SIGTERM')).toBe(before.term + 1);
      expect(session.signal.aborted).toBe(false);
      expect(session.identity.sessionId).not.toBe('');
    }
  });

  it('passes a failure through while the run was not interrupted', () => {
    using session = openRunSession({ interrupted: 'Interrupted' });
    const e = new Error('boom');
    expect(session.failure(e)).toBe(e);
    expect(() => session.throwIfInterrupted()).not.toThrow();
  });

  it('reports any failure as the interrupt, with its message, once SIGINT aborted the run', () => {
    using session = openRunSession({ interrupted: 'Interrupted; everything the run created was removed' });
    const writes: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => (writes.push(s), true)) as typeof process.stderr.write;
    try {
      process.emit('SIGINT', 'SIGINT');
    } finally {
      process.stderr.write = write;
    }
    expect(writes.join('')).toContain('SIGINT received, cleaning up');
    expect(session.signal.aborted).toBe(true);
    const reported = session.failure(new Error('the engine call was aborted'));
    expect(reported).toBeInstanceOf(RoProfileError);
    expect(reported).toMatchObject({ code: 'INTERRUPTED', message: 'Interrupted; everything the run created was removed' });
    expect(() => session.throwIfInterrupted()).toThrow(/Interrupted; everything/);
  });
});
