import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { stageLog } from '../../../src/cli/stage-log.js';
import { stderrReporter } from '../../../src/cli/stderr-reporter.js';

describe('stageLog (RO_PROFILE_STAGE_LOG)', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'stage-log-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('is off without the variable', () => {
    expect(stageLog({})).toBeUndefined();
  });

  it('appends one JSON line per stage, with its ms and the time since the process started', () => {
    const file = join(tmp(), 'stages.jsonl');
    const log = stageLog({ RO_PROFILE_STAGE_LOG: file })!;
    log('engine', 12);
    log('profile', undefined);
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { stage: string; ms?: number; atMs: number });
    expect(lines.map((l) => [l.stage, l.ms])).toEqual([['engine', 12], ['profile', undefined]]);
    expect(lines[0]!.atMs).toBeGreaterThan(0);
    expect(lines[1]!.atMs).toBeGreaterThanOrEqual(lines[0]!.atMs);
  });

  it('a file that cannot be written never fails the run', () => {
    const log = stageLog({ RO_PROFILE_STAGE_LOG: join(tmp(), 'missing-dir', 'stages.jsonl') })!;
    expect(() => log('engine', 1)).not.toThrow();
  });

  it('the stderr reporter logs every stage, --quiet too, and its stderr stays as it was', () => {
    const file = join(tmp(), 'stages.jsonl');
    vi.stubEnv('RO_PROFILE_STAGE_LOG', file);
    let written = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((written += String(chunk)), true));
    stderrReporter({ quiet: false }).stage('resolve', 'nginx:alpine', 1234);
    stderrReporter({ quiet: true }).stage('ready', 'by ports', 56);
    expect(written).toBe('ro-profile: resolve   nginx:alpine (1.2 s)\n');
    expect(readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { stage: string }).stage)).toEqual(['resolve', 'ready']);
  });
});
