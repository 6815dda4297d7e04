import { describe, expect, it } from 'vitest';
import { DEFAULT_WAIT_MS, deadline } from '../../../src/runtime/deadline.js';

describe('deadline', () => {
  it('aborts past its bound and says the engine did not finish in time (exit 3), with details.timedOut', async () => {
    const d = deadline('logs', undefined, 20);
    await new Promise((r) => setTimeout(r, 60));
    expect(d.signal.aborted).toBe(true);
    expect(d.why()).toMatchObject({ code: 'DOCKER_UNAVAILABLE', message: 'The Docker engine did not finish logs within 0 s', details: { timedOut: 'true', op: 'logs' } });
    d.done();
  });

  it('aborts with the run, and then it is an interrupt', () => {
    const run = new AbortController();
    const d = deadline('wait', run.signal, 10_000);
    expect(d.signal.aborted).toBe(false);
    run.abort();
    expect(d.signal.aborted).toBe(true);
    expect(d.why().code).toBe('INTERRUPTED');
    d.done();
  });

  it('is bounded even when the caller names no bound', () => {
    expect(DEFAULT_WAIT_MS).toBe(60_000);
    const d = deadline('diff', undefined, undefined);
    expect(d.signal.aborted).toBe(false);
    d.done();
  });
});
