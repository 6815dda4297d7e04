import { createRequire } from 'node:module';
import type { Builder } from 'junit-report-builder';
import { isWidening, type ResultDiff } from '../compare/diff-model.js';
import type { Result } from '../model/result.js';
import { displayPath } from './one-line.js';

/**
 * Pure: a result as JUnit XML for CI runners that read it. One testsuite for the image's mounts
 * (a testcase per mount, and a failing one per error finding), one per verification record (a
 * testcase per round; the record's last round fails when the verification failed: a failed
 * leave-one-out round in between is the proof a mount is needed, not a failure), and with a
 * baseline one for the diff (a failing testcase per widening). No timestamps or durations, so
 * the same result gives the same bytes. Names are displayPath'd: XML cannot carry control
 * characters, and the builder would drop them silently.
 */

const text = displayPath;

// Its dist is CommonJS with `module.exports = builder` (its types declare an ES default export).
// Required on first use, not imported: with its dependencies it costs ~90 ms of every start-up,
// and only --format junit (or all) needs it; a CommonJS require keeps the emitters synchronous.
let loaded: Builder | undefined;
const junitBuilder = (): Builder => (loaded ??= createRequire(import.meta.url)('junit-report-builder') as Builder);

function mountsSuite(b: Builder, r: Result): void {
  const s = b.testSuite().name(text(`ro-profile ${r.image.ref}: mounts`));
  for (const m of r.plan.mounts) {
    s.testCase().className(text(r.image.ref)).name(text(`writable ${m.path}`)).standardOutput(text(`${m.kind}, owner ${m.uid}:${m.gid}, mode ${(m.mode & 0o7777).toString(8).padStart(4, '0')}, ${m.exec ? 'exec' : 'noexec'}; ${m.reasons.join('; ')}`));
  }
  for (const f of r.findings.filter((x) => x.severity === 'error')) {
    s.testCase().className(text(r.image.ref)).name(text(`${f.kind} ${f.path}`)).failure(text(f.message), f.kind);
  }
  if (r.plan.mounts.length === 0 && !r.findings.some((x) => x.severity === 'error')) s.testCase().className(text(r.image.ref)).name('no writable mount needed');
}

function verificationSuites(b: Builder, r: Result): void {
  for (const v of r.verification) {
    const s = b.testSuite().name(text(`ro-profile ${r.image.ref}: verify with ${v.format} on ${v.runtime} ${v.version}`));
    v.rounds.forEach((round, i) => {
      const c = s.testCase().className(text(`${r.image.ref} ${v.format}`)).name(text(`round ${i + 1}: ${round.kind}${round.without !== undefined ? ` without ${round.without}` : ''}${round.harden ? ` ${round.harden.level}` : ''}`));
      const why = round.differences.map((d) => d.message).join('; ');
      if (v.result === 'fail' && i === v.rounds.length - 1) c.failure(text(`verification failed: ${why || 'it did not run as the writable run did'}`), 'verification-failed');
      else if (round.result === 'fail') c.standardOutput(text(`${round.kind} differed (expected while searching): ${why}`));
    });
    if (v.rounds.length === 0 && v.result === 'fail') s.testCase().className(text(`${r.image.ref} ${v.format}`)).name('verification').failure('verification failed', 'verification-failed');
  }
}

/** The diff as a testsuite: a testcase per change, failing when it widens; one passing case when nothing changed. */
export function diffSuite(b: Builder, d: ResultDiff): void {
  const s = b.testSuite().name(text(`ro-profile ${d.new.image}: baseline ${d.old.file}`));
  for (const c of d.changes) {
    const tc = s.testCase().className(text(`${d.new.image} baseline`)).name(text(`${c.kind}${c.path !== undefined ? ` ${c.path}` : ''}`));
    if (isWidening(c)) tc.failure(text(c.message), c.kind);
    else tc.standardOutput(text(c.message));
  }
  if (d.changes.length === 0) s.testCase().className(text(`${d.new.image} baseline`)).name('no change from the baseline');
}

export function emitJunit(r: Result, baseline?: ResultDiff): string {
  const b = junitBuilder().newBuilder();
  mountsSuite(b, r);
  verificationSuites(b, r);
  if (baseline) diffSuite(b, baseline);
  return `${b.build()}\n`;
}

export function diffJunit(d: ResultDiff): string {
  const b = junitBuilder().newBuilder();
  diffSuite(b, d);
  return `${b.build()}\n`;
}
