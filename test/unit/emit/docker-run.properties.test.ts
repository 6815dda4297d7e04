import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildRunSpec } from '../../../src/cli/passthrough.js';
import { emitFormat } from '../../../src/emit/emit.js';
import { isRoProfileError } from '../../../src/errors.js';
import { emitCaseArb, envNameArb, pathArb, wordArb } from '../../helpers/emit-arbitraries.js';
import { alignCsvWords, refRunArgv, runInexpressible } from '../../helpers/emit-reference.js';
import { sampleResult } from '../../helpers/sample-result.js';
import { sampleMount } from '../../helpers/samples.js';

/**
 * Runs the emitted line with the real /bin/sh, `docker` being a shell function that prints how
 * many arguments it got and each one, NUL-terminated: the line runs exactly as a user pastes it.
 */
function shellArgv(line: string): string[][] {
  const script = `docker() { printf '%s\\0' "$#" "$@"; }\n${line}`;
  const out = execFileSync('/bin/sh', ['-c', script]).toString('utf8').split('\0').slice(0, -1);
  const calls: string[][] = [];
  for (let i = 0; i < out.length; ) {
    const n = Number(out[i]);
    calls.push(out.slice(i + 1, i + 1 + n));
    i += 1 + n;
  }
  return calls;
}

describe('the docker run line, for generated paths and pass-through values', () => {
  it('reaches docker as exactly the argv the mount fields call for, or is refused naming the path', () => {
    fc.assert(
      fc.property(emitCaseArb, ({ result }) => {
        const refused = runInexpressible(result.plan.mounts);
        let line: string;
        try {
          line = emitFormat(result, 'run');
        } catch (e) {
          if (!isRoProfileError(e) || !refused) throw e;
          expect(e.code).toBe('EMIT_FAILED');
          expect(e.message).toContain(`"${refused.path}"`);
          expect(e.message).toContain(refused.why === 'CRLF' ? '--mount' : 'uid/gid/exec');
          expect(e.hint).toBeTruthy();
          return;
        }
        expect(refused, 'the reference says this plan cannot be written for docker run').toBeUndefined();
        expect(line.endsWith('\n')).toBe(true);
        expect(line.startsWith('docker run ')).toBe(true);
        const calls = shellArgv(line);
        // One line, one command: every newline in it sits inside quotes.
        expect(calls).toHaveLength(1);
        const expected = refRunArgv(result);
        expect(alignCsvWords(calls[0] ?? [], expected)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('never carries a value given with -e NAME=VALUE: variables go by name only', () => {
    fc.assert(
      fc.property(emitCaseArb, fc.array(fc.tuple(envNameArb, wordArb), { minLength: 1, maxLength: 3 }), ({ result }, pairs) => {
        fc.pre(runInexpressible(result.plan.mounts) === undefined);
        const env = pairs.map(([name, value], i) => `${name}=SECRET-${i}:${value}`);
        const flags = { image: result.run.image, env, envFile: [], volume: [], mount: [], publish: [], command: [] };
        const { run, secrets } = buildRunSpec(flags, result.run.exercise, {});
        const line = emitFormat({ ...result, run: { ...result.run, env: run.env } }, 'run');
        const argv = shellArgv(line)[0] ?? [];
        expect(argv.flatMap((w, i) => (argv[i - 1] === '-e' ? [w] : []))).toEqual([...new Set(pairs.map(([name]) => name))]);
        for (const value of secrets.values()) {
          expect(line).not.toContain(value);
          expect(argv.filter((w) => w.includes(value))).toEqual([]);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('gives the same bytes for the same result', () => {
    fc.assert(
      fc.property(emitCaseArb, ({ result }) => {
        fc.pre(runInexpressible(result.plan.mounts) === undefined);
        expect(emitFormat(structuredClone(result), 'run')).toBe(emitFormat(result, 'run'));
      }),
      { numRuns: 50 },
    );
  });
});

describe('a tmpfs on a path holding ":"', () => {
  it('is refused when it needs an owner or exec, which --mount type=tmpfs cannot carry', () => {
    fc.assert(
      fc.property(
        pathArb.map((p) => `${p}:x`),
        fc.constantFrom({ uid: 1000 }, { gid: 4 }, { exec: true }),
        (path, need) => {
          const result = { ...sampleResult(), plan: { mounts: [sampleMount({ path, ...need })] } };
          expect(runInexpressible(result.plan.mounts)).toEqual({ path, why: 'uid/gid/exec' });
          expect(() => emitFormat(result, 'run')).toThrow(
            expect.objectContaining({ code: 'EMIT_FAILED', message: expect.stringContaining(`the tmpfs on "${path}" needs uid/gid/exec options`) }),
          );
        },
      ),
      { numRuns: 30 },
    );
  });

  it('goes through --mount with its size and mode when root-owned and noexec', () => {
    const path = '/srv/a:b,"c"\r';
    const line = emitFormat({ ...sampleResult(), run: { ...sampleResult().run, env: [], envFiles: [], volumes: [], mounts: [], publish: [], command: [] }, plan: { mounts: [sampleMount({ path, mode: 0o1777 })] } }, 'run');
    const argv = shellArgv(line)[0] ?? [];
    const expected = ['run', '--read-only', '--security-opt', 'no-new-privileges', '--mount', { csv: ['type=tmpfs', `destination=${path}`, `tmpfs-size=${64 * 1024 * 1024}`, 'tmpfs-mode=1777'] }];
    expect(alignCsvWords(argv.slice(0, 6), expected)).toEqual(expected);
  });
});

describe('a volume on a path holding ":"', () => {
  it.each([
    ['a trailing CR, which Go drops at the end of an unquoted value', '/srv/a:b\r'],
    ['a comma and quotes', '/srv/a:b,"c"'],
    ['a newline', '/srv/a:\nb'],
  ])('keeps %s', (_name, path) => {
    const mounts = [sampleMount({ path, kind: 'volume', volumeName: 'app-data' })];
    const line = emitFormat({ ...sampleResult(), plan: { mounts } }, 'run');
    const argv = shellArgv(line)[0] ?? [];
    const expected = ['--mount', { csv: ['type=volume', 'source=app-data', `target=${path}`] }];
    expect(alignCsvWords(argv.slice(4, 6), expected)).toEqual(expected);
  });

  it('is refused when the path holds CRLF, which Docker’s --mount CSV reads as LF', () => {
    const path = '/srv/a:b\r\nc';
    const mounts = [sampleMount({ path, kind: 'seeded', volumeName: 'app-data' })];
    expect(runInexpressible(mounts)).toEqual({ path, why: 'CRLF' });
    expect(() => emitFormat({ ...sampleResult(), plan: { mounts } }, 'run')).toThrow(
      expect.objectContaining({ code: 'EMIT_FAILED', message: expect.stringContaining(`"${path}"`) }),
    );
  });
});
