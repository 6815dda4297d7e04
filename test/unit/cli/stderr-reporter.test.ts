import { afterEach, describe, expect, it, vi } from 'vitest';
import { stderrReporter } from '../../../src/cli/stderr-reporter.js';

describe('stderrReporter', () => {
  let written = '';
  const capture = () => {
    written = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((written += String(chunk)), true));
  };
  afterEach(() => vi.restoreAllMocks());

  it('writes stages with their time, info and warnings, as before', () => {
    capture();
    const r = stderrReporter({ quiet: false });
    r.stage('resolve', 'nginx:alpine', 1234);
    r.info('pulling it');
    r.warn('two lines\nof warning');
    expect(written).toBe('ro-profile: resolve   nginx:alpine (1.2 s)\nro-profile: pulling it\nro-profile: warning: two lines\nof warning\n');
  });

  it('a batch prefix starts every line, continuation lines too, so parallel images read apart', () => {
    capture();
    const r = stderrReporter({ quiet: false, prefix: '[redis:7] ' });
    r.stage('ready', 'by ports');
    r.warn('two lines\nof warning');
    expect(written).toBe('ro-profile: [redis:7] ready     by ports\nro-profile: [redis:7] warning: two lines\n[redis:7] of warning\n');
  });

  it('--quiet keeps only warnings', () => {
    capture();
    const r = stderrReporter({ quiet: true, prefix: '[a] ' });
    r.stage('ready', 'x');
    r.info('y');
    r.warn('z');
    expect(written).toBe('ro-profile: [a] warning: z\n');
  });
});
