import type { Difference, ExecResult, ProbeResult } from '../model/result.js';
import { isErrorLine, normalizeLogLine, pathsFromLogLine } from './log-paths.js';
import type { Observation } from './observe.js';

/** How the kernel's refusals read in a log line (strerror of EROFS, EPERM, EACCES). */
const DENIAL = /Read-only file system|Operation not permitted|Permission denied/i;
const DENIAL_ALL = new RegExp(DENIAL.source, 'gi');

/** Lines of evidence kept per difference. */
const MAX_LINES = 20;

/**
 * How a hardened run differed from the writable one. Not an absolute rule: a job must end
 * with the same exit code, a service must be ready and still running; every probe must give
 * the same HTTP status and body (a default page instead of the real one is a difference), or
 * the same TCP outcome; every exec step the same exit code and output (numbers masked); and
 * the logs (stdout, stderr, log files in mounts) must hold no error line the writable run did
 * not have. Empty when they compare equal. Pure.
 */
export function compareRuns(base: Observation, hard: Observation): Difference[] {
  const out: Difference[] = [];
  if (base.jobExitCode !== undefined) {
    if (hard.jobExitCode !== base.jobExitCode) {
      out.push(withPaths({ kind: 'state', message: `the job ended with ${hard.jobExitCode === undefined ? 'no exit code' : `exit code ${hard.jobExitCode}`}, the writable run with ${base.jobExitCode}`, lines: hard.failure ? tail(hard.failure) : [] }));
    }
  } else if (!hard.ready) {
    const refusedBefore = refusedIn([...base.logLines, ...base.fileLogLines]);
    out.push(withPaths({ kind: 'ready', message: 'it never became ready', lines: tail(hard.failure ?? '').filter((l) => !refusedBefore(l)) }));
  } else if (!hard.runningAtEnd) {
    out.push({ kind: 'state', message: 'it stopped during the exercise; the writable run kept running' });
  }
  if (hard.ready && hard.jobExitCode === undefined) {
    out.push(...probeDifferences(base.probes, hard.probes, base.bodyStability ?? []));
    out.push(...execDifferences(base.execs, hard.execs));
  }
  if (hard.oomKilled === true) {
    out.push({ kind: 'state', message: 'it was killed for memory (OOM) under the memory limit of the config; the limits come from the writable run: raise --headroom, or use --limits off' });
  }
  const fresh = newErrorLines([...base.logLines, ...base.fileLogLines], [...hard.logLines, ...hard.fileLogLines]);
  if (fresh.length > 0) out.push(withPaths({ kind: 'log', message: `${fresh.length} new error line${fresh.length === 1 ? '' : 's'} in the logs`, lines: fresh.slice(0, MAX_LINES) }));
  if (hard.restart) {
    for (const d of compareRuns({ ...base, execs: [] }, hard.restart)) out.push({ ...d, kind: 'restart', message: `after a restart: ${d.message}` });
  }
  return out;
}

/**
 * Status and TCP outcome always; the page as far as the writable run itself was stable: the same
 * bytes, or else the same shape (times, counters and ids masked: a page that prints the time is
 * the same page a second later); where even its shape changed between the writable run's own
 * requests, the content type only (`comparisonNotes` says so).
 */
function probeDifferences(base: readonly ProbeResult[], hard: readonly ProbeResult[], stability: NonNullable<Observation['bodyStability']>): Difference[] {
  const out: Difference[] = [];
  for (const b of base) {
    const h = hard.find((x) => x.port === b.port);
    const what = (p: ProbeResult | undefined) => (p === undefined ? 'no probe' : p.kind === 'http' ? `HTTP ${p.status}` : p.ok ? 'TCP open' : `TCP ${p.error ?? 'failed'}`);
    if (h === undefined || h.kind !== b.kind || h.status !== b.status || h.ok !== b.ok) {
      out.push({ kind: 'probe', message: `port ${b.port} answered ${what(h)}, the writable run ${what(b)}` });
      continue;
    }
    if (b.kind !== 'http') continue;
    const stable = stability.find((s) => s.port === b.port)?.stability ?? 'exact';
    if ((h.contentType ?? '') !== (b.contentType ?? '')) {
      out.push({ kind: 'probe', message: `port ${b.port} served ${h.contentType ?? 'no content type'} instead of ${b.contentType ?? 'no content type'} (same status ${b.status})` });
    } else if (stable !== 'none' && b.bodySha256 !== h.bodySha256 && (b.bodyShapeSha256 === undefined || b.bodyShapeSha256 !== h.bodyShapeSha256)) {
      out.push({ kind: 'probe', message: `port ${b.port} served a different page than in the writable run (same status ${b.status}, body sha256 ${short(h.bodySha256)} instead of ${short(b.bodySha256)})` });
    }
  }
  return out;
}

/** What the comparison could not hold the hardened run to, for the report. */
export function comparisonNotes(base: Observation): string[] {
  return (base.bodyStability ?? []).flatMap(({ port, stability }) =>
    stability === 'shape'
      ? [`port ${port}: the writable run's page changed between requests only in numbers, ids or dates, so pages were compared with those masked`]
      : stability === 'none'
        ? [`port ${port}: the writable run served a different page on each of its own requests, so only the status and content type were compared, not the page`]
        : [],
  );
}

/** How a recorded step is named: a profile's request or restart by its label, its command quoted, an --exec as --exec. */
function stepName(x: ExecResult): string {
  if (x.step === undefined) return `--exec "${x.command}"`;
  return x.step === 'exec' ? `the profile's step "${x.command}"` : `the profile's step ${x.command}`;
}

/** Appended to a step's difference when it ran after the profile's restart step (the hint names the tmpfs mounts). */
export const AFTER_RESTART = " (after the profile's restart step)";

function execDifferences(base: readonly ExecResult[], hard: readonly ExecResult[]): Difference[] {
  const out: Difference[] = [];
  let restarted = false;
  base.forEach((b, i) => {
    const h = hard[i];
    const what = `${stepName(b)}${restarted ? AFTER_RESTART : ''}`;
    if (b.step === 'restart') restarted = true;
    if (h === undefined) out.push({ kind: 'exec', message: `${what} did not run` });
    else if (b.step !== undefined && b.step !== 'exec' && h.exitCode !== b.exitCode) out.push(withPaths({ kind: 'exec', message: `${what} got ${h.output}, in the writable run ${b.output}`, lines: tail(h.output) }));
    else if (h.exitCode !== b.exitCode) out.push(withPaths({ kind: 'exec', message: `${what} exited ${h.exitCode}, in the writable run ${b.exitCode}`, lines: tail(h.output) }));
    else if (masked(h.output) !== masked(b.output)) out.push(withPaths({ kind: 'exec', message: `${what} printed something else than in the writable run`, lines: tail(h.output) }));
  });
  return out;
}

/** Error lines of the hardened run whose normalized form the writable run never printed. */
export function newErrorLines(base: readonly string[], hard: readonly string[]): string[] {
  const seen = new Set(base.map(normalizeLogLine));
  const refusedBefore = refusedIn(base);
  const out: string[] = [];
  const kept = new Set<string>();
  for (const line of hard) {
    const n = normalizeLogLine(line);
    if (seen.has(n) || kept.has(n) || !isErrorLine(line) || refusedBefore(line)) continue;
    kept.add(n);
    out.push(line);
  }
  return out;
}

/**
 * Whether a line reports an operation the writable run was refused too, only for another reason
 * (a chown the app's user may not make: EPERM in the writable run, EROFS under the hardening):
 * no new failure, and nothing a mount should repair.
 */
function refusedIn(base: readonly string[]): (line: string) => boolean {
  const before = new Set(base.filter((l) => DENIAL.test(l)).map((l) => normalizeLogLine(l).replace(DENIAL_ALL, '<DENIED>')));
  return (line) => DENIAL.test(line) && before.has(normalizeLogLine(line).replace(DENIAL_ALL, '<DENIED>'));
}

/** The paths the difference's lines name, deduplicated, in order. */
function withPaths(d: Difference): Difference {
  const { lines = [], ...rest } = d;
  const paths = [...new Set(lines.flatMap((l) => pathsFromLogLine(l).map((p) => p.path)))];
  return { ...rest, ...(lines.length > 0 ? { lines } : {}), ...(paths.length > 0 ? { paths } : {}) };
}

function tail(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l !== '')
    .slice(-MAX_LINES);
}

function masked(output: string): string {
  return output
    .split('\n')
    .map((l) => normalizeLogLine(l))
    .join('\n')
    .trim();
}

function short(h: string | undefined): string {
  return h === undefined ? 'none' : h.slice(0, 12);
}
