import { RoProfileError, isRoProfileError, messageOf, type ErrorCode } from '../../errors.js';
import type { Result } from '../../model/result.js';
import { EXIT, exitCodeFor } from '../exit-codes.js';

/**
 * What became of one image: success; failed (its own exit code and error); resumed (a finished
 * success of an earlier run with the same options, not run again); interrupted (in flight at
 * Ctrl-C); not-run (Ctrl-C came before it started). pending and running are the states of a
 * batch still going, as its partial summary shows them.
 */
export const ENTRY_OUTCOMES = ['success', 'failed', 'resumed', 'interrupted', 'not-run', 'pending', 'running'] as const;
export type EntryOutcome = (typeof ENTRY_OUTCOMES)[number];

export interface EntryError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint: string | null;
}

/** One line of the summary, and the heart of the image's status.json. */
export interface BatchEntry {
  readonly image: string;
  /** The image's directory under --out DIR (its safe name). */
  readonly dir: string;
  readonly outcome: EntryOutcome;
  /** The exit status `ro-profile IMAGE` would have had (0, or 2 to 8, 130). */
  readonly exitCode?: number;
  readonly mounts?: number;
  /** The --harden level the config carries. */
  readonly hardening?: string;
  /** What verification ran ("run, docker 27.1"); absent with --no-verify. */
  readonly verifiedWith?: string;
  readonly seconds?: number;
  /** The files written into its directory, beside status.json. */
  readonly files?: readonly string[];
  readonly error?: EntryError;
}

/** The summary's facts of a finished result. */
export function resultFacts(result: Result): Pick<BatchEntry, 'mounts' | 'hardening' | 'verifiedWith'> {
  const v = result.verification.at(-1);
  return {
    mounts: result.plan.mounts.length,
    ...(result.hardening ? { hardening: result.hardening.level } : {}),
    ...(v ? { verifiedWith: `${v.format}, ${v.runtime} ${v.version}`.trim() } : {}),
  };
}

/** An error as the entry keeps it, with the exit code the single run would have had. */
export function entryErrorOf(e: unknown): { error: EntryError; exitCode: number } {
  const err = isRoProfileError(e) ? e : new RoProfileError('INTERNAL', `internal error: ${messageOf(e)}`, { hint: 'Please report this with the output of --debug.' });
  return { error: { code: err.code, message: err.message, hint: err.hint ?? null }, exitCode: err.code === 'INTERRUPTED' ? EXIT.interrupted : exitCodeFor(err.code) };
}
