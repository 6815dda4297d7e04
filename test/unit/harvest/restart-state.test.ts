import { describe, expect, it } from 'vitest';
import type { ArchiveEntry } from '../../../src/harvest/archive.js';
import { isScratchTree, restartCandidates, stateAcrossRestart } from '../../../src/harvest/restart-state.js';
import type { WriteEvent } from '../../../src/model/write-event.js';
import { sampleMount } from '../../helpers/samples.js';

const file = (path: string, size: number, head = 'MSTORE 1\n12345'): [string, ArchiveEntry] => [path, { name: path.slice(1), type: 'file', size, uid: 1000, gid: 1000, mode: 0o644, mtimeMs: 0, head: Buffer.from(head).subarray(0, 16) }];
const add = (realPath: string): WriteEvent => ({ path: realPath, realPath, op: 'add', source: 'diff', type: 'file' });

describe('isScratchTree', () => {
  it.each(['/tmp', '/tmp/x', '/var/tmp/a', '/run/app', '/var/run/x', '/dev/shm/q', '/var/cache/nginx', '/srv/app/cache', '/home/u/.cache/pip', '/opt/app/temp', '/srv/Tmp'])('%s is scratch', (p) => {
    expect(isScratchTree(p)).toBe(true);
  });
  it.each(['/srv/metrics', '/var/lib/app', '/data', '/srv/templates', '/opt/cachet'])('%s is not', (p) => {
    expect(isScratchTree(p)).toBe(false);
  });
});

describe('restartCandidates', () => {
  const stopped = new Map([file('/srv/metrics/segment-1.dat', 200), file('/srv/metrics/app.log', 10), file('/run/app/app.pid', 4), file('/data/x', 1)]);
  const events = [add('/srv/metrics/segment-1.dat'), add('/srv/metrics/app.log'), add('/run/app/app.pid'), add('/srv/metrics/gone.tmp'), add('/data/x')];

  it('asks about the tmpfs mounts outside scratch trees that hold files the app created and kept, logs aside', () => {
    const mounts = [sampleMount({ path: '/srv/metrics' }), sampleMount({ path: '/run/app' }), sampleMount({ path: '/data', kind: 'volume', volumeName: 'd' })];
    expect([...restartCandidates(mounts, events, stopped)]).toEqual([['/srv/metrics', ['/srv/metrics/segment-1.dat']]]);
  });

  it('leaves --ephemeral mounts alone', () => {
    expect(restartCandidates([sampleMount({ path: '/srv/metrics' })], events, stopped, ['/srv']).size).toBe(0);
  });
});

describe('stateAcrossRestart', () => {
  const candidates = new Map([['/srv/metrics', ['/srv/metrics/segment-1.dat']]]);
  const stopped = new Map([file('/srv/metrics/segment-1.dat', 200)]);
  const running = new Map([file('/srv/metrics/segment-1.dat', 150)]);

  it('a file the first run left, appended to on the second start (larger, same first bytes): state', () => {
    const state = stateAcrossRestart({ candidates, stopped, running, restarted: new Map([file('/srv/metrics/segment-1.dat', 380)]) });
    expect(state.get('/srv/metrics')).toEqual([
      '/srv/metrics/segment-1.dat was appended to on the second start (200 → 380 bytes, its first bytes unchanged), not rewritten',
      '/srv/metrics/segment-1.dat grew from 150 to 200 bytes while the first run ran',
    ]);
  });

  it('new files beside the ones it kept: state', () => {
    const restarted = new Map([file('/srv/metrics/segment-1.dat', 200), file('/srv/metrics/segment-2.dat', 30)]);
    expect(stateAcrossRestart({ candidates, stopped, running: new Map(), restarted }).get('/srv/metrics')).toEqual([
      'the second start added /srv/metrics/segment-2.dat beside what the first run left, which it kept',
    ]);
  });

  it('a file rewritten on each start (other first bytes, or the same size), or removed, is no state', () => {
    const rewritten = new Map([file('/srv/metrics/segment-1.dat', 400, 'generated at 17:')]);
    expect(stateAcrossRestart({ candidates, stopped, running, restarted: rewritten }).size).toBe(0);
    expect(stateAcrossRestart({ candidates, stopped, running, restarted: new Map([file('/srv/metrics/segment-1.dat', 200)]) }).size).toBe(0);
    // Removed and replaced by another: nothing was kept to take up.
    expect(stateAcrossRestart({ candidates, stopped, running, restarted: new Map([file('/srv/metrics/other.dat', 10)]) }).size).toBe(0);
  });

  it('a log written beside the kept file is no evidence', () => {
    const restarted = new Map([file('/srv/metrics/segment-1.dat', 200), file('/srv/metrics/start.log', 30)]);
    expect(stateAcrossRestart({ candidates, stopped, running, restarted }).size).toBe(0);
  });
});
