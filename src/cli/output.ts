import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { RoProfileError, isRoProfileError, messageOf } from '../errors.js';
import type { Result } from '../model/result.js';
import { DEFAULT_EMIT, FORMATS, emitFormat, type EmitOptions, type Format } from '../emit/emit.js';
import { exitCodeFor, EXIT } from './exit-codes.js';

export const FILE_NAMES: Record<Format, string> = { run: 'docker-run.sh', compose: 'compose.yaml', k8s: 'k8s.yaml', json: 'result.json', report: 'report.md', sarif: 'results.sarif', junit: 'junit.xml' };

export interface OutputOptions {
  readonly format: Format | 'all';
  readonly out?: string | undefined;
  readonly json: boolean;
  readonly emit?: EmitOptions;
  /** With --json: the run made its result but fails all the same (--baseline: widened), so the envelope says error. */
  readonly failure?: RoProfileError | undefined;
}

/** Artifacts go to stdout (or files under --out); --json wraps the result in one envelope object. Returns the names of the files written. */
export function writeResult(result: Result, o: OutputOptions): string[] {
  const formats: Format[] = o.format === 'all' ? [...FORMATS] : [o.format];
  const written: string[] = [];
  if (o.out !== undefined) {
    mkdirSync(o.out, { recursive: true });
    // The compose file is run from --out DIR: its relative paths must name the same files from there.
    const from = relative(resolve(o.out), process.cwd()).split(sep).join('/') || '.';
    const emit = { ...(o.emit ?? DEFAULT_EMIT), compose: { ...(o.emit ?? DEFAULT_EMIT).compose, from } };
    for (const f of formats) {
      const file =
        f === 'compose' && o.emit?.compose.override ? 'compose.override.yaml' : f === 'k8s' && o.emit?.k8s.patch ? 'k8s-patch.yaml' : FILE_NAMES[f];
      writeFileSync(join(o.out, file), emitFormat(result, f, emit));
      written.push(file);
    }
  }
  // --json: stdout is the envelope, with the files written all the same when --out is given.
  if (o.json) {
    const f = o.failure;
    process.stdout.write(`${JSON.stringify(f ? { outcome: 'error', result, error: { code: f.code, message: f.message, hint: f.hint ?? null } } : { outcome: 'success', result })}\n`);
  }
  else if (o.out === undefined) process.stdout.write(emitFormat(result, formats[0] ?? 'run', o.emit));
  return written;
}

/** Prints an error as the contract says and returns the exit status. */
export function reportError(e: unknown, o: { readonly json: boolean; readonly debug: boolean; readonly redact?: (text: string) => string }): number {
  const err = isRoProfileError(e)
    ? e
    : new RoProfileError('INTERNAL', `internal error: ${messageOf(e)}`, { hint: 'Please report this with the output of --debug.', cause: e });
  if (o.json) {
    const r = o.redact ?? ((t: string) => t);
    process.stdout.write(`${JSON.stringify({ outcome: 'error', error: { code: err.code, message: r(err.message), hint: err.hint !== undefined ? r(err.hint) : null } })}\n`);
  }
  process.stderr.write(`ro-profile: ${err.message}\n`);
  if (err.hint) process.stderr.write(`hint: ${err.hint}\n`);
  if (o.debug) {
    let c: unknown = err;
    while (c instanceof Error) {
      process.stderr.write(`${c.stack ?? c.message}\n`);
      c = c.cause;
      if (c) process.stderr.write('caused by: ');
    }
  }
  return err.code === 'INTERRUPTED' ? EXIT.interrupted : exitCodeFor(err.code);
}
