import { capabilityHints, levelsToTry, mountsOwnedFor, nonRootCandidate, reasonFor, remainingDefaults, settingsFor, startUserOf, unwritableVolumes, userString, type PrivilegeFacts } from '../analyze/hardening.js';
import { isRoProfileError } from '../errors.js';
import { HARDEN_LEVELS, type Hardening, type HardenLevel, type KeptCapability, type RejectedLevel } from '../model/hardening.js';
import type { Finding } from '../model/mount-plan.js';
import type { Difference, Result, VerifyRound } from '../model/result.js';
import { minimalSubset } from './minimal-set.js';
import { observePlan, type VerifyOptions } from './verify.js';

/** Runs the search may spend on finding the capabilities a root app needs. */
export const CAPABILITY_RUN_BUDGET = 14;

/**
 * The config the verification passed, at the strongest --harden level that runs as the writable
 * run did. Each stronger level is tried on the verified mounts (each run with a restart, as the
 * final one): restricted as a non-root UID, with tmpfs mounts owned by it; drop-caps with the
 * capabilities the writable run showed it uses, then Docker's defaults, shrunk to those without
 * which it breaks. Every run is a `harden` round of the last verification record; levels that
 * broke are kept with the setting that broke them and the evidence. An explicit level that
 * cannot be met fails the verification (exit 7), with its config printed as the last tried.
 */
export async function hardenResult(verified: Result, facts: PrivilegeFacts, o: VerifyOptions): Promise<{ result: Result; passed: boolean }> {
  const current = verified.hardening;
  if (!current) return { result: verified, passed: true };
  const log: TrialLog = { rounds: [], notes: [] };
  const rounds = log.rounds;
  const rejected: RejectedLevel[] = [...current.rejected];
  const stronger = levelsToTry(current.requested).filter((l) => HARDEN_LEVELS.indexOf(l) < HARDEN_LEVELS.indexOf(current.level));
  let adopted: Result | undefined;
  let lastTried: Result | undefined;
  for (const level of stronger) {
    const attempt = await tryLevel(level, verified, facts, o, log);
    if ('result' in attempt) {
      adopted = attempt.result;
      break;
    }
    rejected.push(attempt.rejected);
    lastTried = attempt.tried;
    o.reporter.info(`--harden ${level}: ${attempt.rejected.setting} broke it (${attempt.rejected.message})`);
  }
  const explicitMissed = !adopted && current.requested !== 'auto' && stronger.length > 0;
  const base = adopted ?? (explicitMissed && lastTried ? lastTried : verified);
  // Not adopted and not missed: the level verification ran at stands, verified by it.
  const notes = adopted ? [...new Set(log.notes.filter((n) => n.startsWith(`under ${adopted.hardening!.level} it`)))] : [];
  const hardening: Hardening = { ...base.hardening!, rejected, verified: !explicitMissed, ...(current.processes ? { processes: current.processes } : {}), ...(notes.length > 0 ? { notes: notes.slice(0, 10) } : {}) };
  const result = withHardenRounds({ ...base, hardening }, rounds, explicitMissed ? rejected.at(-1) : undefined);
  return { result, passed: !explicitMissed };
}

type Attempt = { readonly result: Result } | { readonly rejected: RejectedLevel; readonly tried: Result };

async function tryLevel(level: HardenLevel, r: Result, facts: PrivilegeFacts, o: VerifyOptions, log: TrialLog): Promise<Attempt> {
  const requested = r.hardening!.requested;
  switch (level) {
    case 'restricted':
    case 'openshift': {
      const start = startUserOf(facts);
      const user = level === 'openshift' ? undefined : start && start.uid !== 0 ? start : nonRootCandidate(facts);
      const settings = settingsFor(level, requested, user);
      const mounts = mountsOwnedFor(r.plan.mounts, settings.user, level === 'openshift');
      const candidate: Result = { ...r, hardening: settings, plan: { mounts } };
      const setting = level === 'openshift' ? `an arbitrary UID (${settings.user!.uid}) with GID 0` : `running as the non-root UID ${userString(settings.user!)}${start?.uid === 0 ? ' (the image starts as root)' : ''}`;
      // Docker copies a volume's owner from the image: a user who cannot write it there cannot write it in the volume (a Pod's fsGroup can).
      const locked = o.launcher.format === 'k8s' ? [] : unwritableVolumes(mounts, settings.user);
      if (locked.length > 0) {
        return {
          tried: candidate,
          rejected: {
            level,
            setting,
            message: `${locked.map((m) => `${m.path} (owner ${m.uid}:${m.gid}, mode ${m.mode.toString(8)})`).join(', ')} ${locked.length === 1 ? 'is a volume' : 'are volumes'} that UID cannot write: Docker copies the image directory's owner into a new volume`,
            evidence: locked.map((m) => `${m.path}: owner ${m.uid}:${m.gid} mode ${m.mode.toString(8)} in the image`),
            fix: `give ${locked.map((m) => m.path).join(', ')} to ${level === 'openshift' ? 'group 0 with group write (RUN chgrp -R 0 DIR && chmod -R g=u DIR)' : `${userString(settings.user!)} in the image (RUN chown)`}`,
          },
        };
      }
      const diffs = await trial(o, candidate, log, level);
      if (diffs.length === 0) return { result: { ...candidate, hardening: { ...settings, verified: true } } };
      return { tried: candidate, rejected: rejection(level, setting, diffs, level === 'openshift' ? 'build the image for any UID: give the directories it writes to group 0 with group write (chgrp -R 0, chmod -R g=u)' : nonRootFix(facts)) };
    }
    case 'drop-caps':
      return tryDropCaps(r, facts, o, log);
    case 'off':
      return { result: r };
  }
}

/**
 * drop-caps: every capability dropped, then back only what breaks the run without it. The
 * writable run's hints are tried first; when they are not enough, Docker's defaults, shrunk.
 */
async function tryDropCaps(r: Result, facts: PrivilegeFacts, o: VerifyOptions, log: TrialLog): Promise<Attempt> {
  const requested = r.hardening!.requested;
  const hints = capabilityHints(facts);
  const known = new Map(hints.map((h) => [h.name, h]));
  let budget = CAPABILITY_RUN_BUDGET;
  const setKey = (caps: readonly string[]) => [...caps].sort().join(',');
  // One run per set of capabilities: the search and the leave-one-out ask about the same sets.
  const seen = new Map<string, Difference[]>();
  const runWith = async (caps: readonly string[], without?: string): Promise<Difference[]> => {
    const key = setKey(caps);
    const known_ = seen.get(key);
    if (known_) return known_;
    budget--;
    const settings = settingsFor('drop-caps', requested, undefined, caps.map((c) => keep(c, known)));
    const diffs = await trial(o, { ...r, hardening: settings }, log, 'drop-caps', without);
    seen.set(key, diffs);
    return diffs;
  };
  const candidate = (caps: readonly string[]) => ({ ...r, hardening: settingsFor('drop-caps', requested, undefined, caps.map((c) => keep(c, known))) });
  let kept = hints.map((h) => h.name);
  const firstDiffs = await runWith(kept);
  if (firstDiffs.length > 0) {
    // The hints were not enough: add the rest of Docker's defaults, then take away what is not needed.
    const rest = remainingDefaults(kept);
    const all = [...kept, ...rest];
    const withAll = await runWith(all);
    if (withAll.length > 0) {
      return { tried: candidate(all), rejected: rejection('drop-caps', 'cap-drop ALL (even with Docker\'s default capabilities added back)', withAll, undefined) };
    }
    // Out of runs, a test counts as failed: the capability stays (as verified with all of them), never one too few.
    const hinted = kept;
    const needed = await minimalSubset(rest, async (extra) => budget > 0 && (await runWith([...hinted, ...extra])).length === 0, true);
    kept = [...kept, ...needed];
  }
  // Each one kept is needed: without it the run breaks (that is its evidence), or it goes.
  const evidence = new Map<string, string[]>();
  for (const c of [...kept]) {
    if (budget <= 0 && !seen.has(setKey(kept.filter((k) => k !== c)))) continue;
    const diffs = await runWith(kept.filter((k) => k !== c), c);
    if (diffs.length === 0) kept = kept.filter((k) => k !== c);
    else evidence.set(c, evidenceOf(diffs));
  }
  const caps: KeptCapability[] = kept.map((c) => ({ ...keep(c, known), evidence: evidence.get(c) ?? ['kept: the search had no runs left to try it out'] }));
  const settings = { ...settingsFor('drop-caps', requested, undefined, caps), verified: true };
  // The proof is a passing run with exactly these (each run has a restart); one more when no run of the search had exactly them.
  if (seen.get(setKey(kept))?.length !== 0) {
    const proof = await trial(o, { ...r, hardening: settings }, log, 'drop-caps');
    if (proof.length > 0) return { tried: { ...r, hardening: settings }, rejected: rejection('drop-caps', `cap-drop ALL with ${kept.join(', ') || 'nothing'} added back`, proof, undefined) };
  }
  return { result: { ...r, hardening: settings } };
}

function keep(name: string, known: ReadonlyMap<string, { name: string; reason: string; alternative?: string }>): KeptCapability {
  const h = known.get(name) ?? reasonFor(name);
  return { name, reason: h.reason, evidence: [], ...(h.alternative ? { alternative: h.alternative } : {}) };
}

/** One run of the config under a level (with a restart), recorded as a `harden` round; a launch the platform refuses is a difference. */
/** What the trials recorded: their rounds, and the warnings accepted on the way. */
interface TrialLog {
  readonly rounds: VerifyRound[];
  readonly notes: string[];
}

async function trial(o: VerifyOptions, r: Result, log: TrialLog, level: HardenLevel, withoutCap?: string): Promise<Difference[]> {
  const { rounds, notes } = log;
  let diffs: Difference[];
  try {
    diffs = (await observePlan(o, r.plan.mounts, r, true, `h${rounds.length}`, true)).diffs;
  } catch (e) {
    // The kubelet-like run refuses a Pod it would not create (runAsNonRoot with a root image).
    if (!isRoProfileError(e) || e.code !== 'CONTAINER_FAILED') throw e;
    diffs = [{ kind: 'ready', message: e.message }];
  }
  const h = r.hardening!;
  const benign = warningsOnly(diffs);
  if (benign) {
    // Only new warnings (nginx: "the user directive makes sense only if the master process runs with super-user privileges"): it runs the same.
    notes.push(...benign.map((l) => `under ${level}${withoutCap ? ` without ${withoutCap}` : ''} it also logged: ${l}`));
    diffs = [];
  }
  rounds.push({
    kind: 'harden',
    mounts: r.plan.mounts.map((m) => m.path),
    result: diffs.length === 0 ? 'pass' : 'fail',
    differences: diffs,
    harden: { level, capAdd: h.capAdd.map((c) => c.name), ...(h.user ? { user: userString(h.user) } : {}), ...(withoutCap ? { withoutCap } : {}) },
  });
  return diffs;
}

/** The lines of differences that are only new log lines, none of them an error or a denial; undefined otherwise. */
function warningsOnly(diffs: readonly Difference[]): string[] | undefined {
  // A restart's own new log lines count as log lines too.
  if (diffs.length === 0 || diffs.some((d) => d.kind !== 'log' && !(d.kind === 'restart' && /new error lines? in the logs$/.test(d.message)))) return undefined;
  const lines = diffs.flatMap((d) => d.lines ?? []);
  if (lines.length === 0 || lines.some((l) => SERIOUS.test(l))) return undefined;
  return lines.every((l) => WARNING.test(l)) ? lines : undefined;
}
const WARNING = /\bwarn(ing)?\b|\[warn\]|\bW\b|\bnotice\b/i;
const SERIOUS = /\b(error|err|fatal|emerg|alert|crit(ical)?|panic|fail(ed|ure)?|denied|not permitted|EACCES|EPERM|EROFS|read-only)\b/i;

/** The cause first (not ready, a failed step), then what the logs said. */
function evidenceOf(diffs: readonly Difference[]): string[] {
  const rank = (d: Difference) => ['ready', 'state', 'restart', 'probe', 'exec', 'log'].indexOf(d.kind);
  return [...diffs].sort((a, b) => rank(a) - rank(b)).flatMap((d) => [d.message, ...(d.lines ?? []).slice(0, 3)]).slice(0, 8);
}

function rejection(level: HardenLevel, setting: string, diffs: readonly Difference[], fix: string | undefined): RejectedLevel {
  return { level, setting, message: evidenceOf(diffs)[0] ?? 'it did not run as the writable run did', evidence: evidenceOf(diffs), ...(fix ? { fix } : {}) };
}

/** What would let a root image run as non-root: its low ports and its user switch, from the writable run. */
function nonRootFix(facts: PrivilegeFacts): string {
  const hints = capabilityHints(facts);
  const parts = hints.filter((h) => h.name === 'NET_BIND_SERVICE' || h.name === 'SETUID').map((h) => h.alternative).filter((a): a is string => a !== undefined);
  return parts.length > 0 ? parts.join('; ') : 'give the directories it writes to that UID in the image (RUN chown), and run it with USER';
}

/** The harden rounds appended to the last verification record; a missed explicit level makes it a failure, as exit 7 says. */
function withHardenRounds(r: Result, rounds: readonly VerifyRound[], missed: RejectedLevel | undefined): Result {
  const last = r.verification.at(-1);
  if (!last || (rounds.length === 0 && !missed)) return r;
  const record = { ...last, rounds: [...last.rounds, ...rounds], ...(missed ? { result: 'fail' as const } : {}) };
  const findings: Finding[] = missed
    ? [
        ...r.findings,
        {
          kind: 'unverified',
          severity: 'error',
          path: '/',
          message: `--harden ${missed.level}: ${missed.setting} broke it; this config was not verified`,
          evidence: [missed.message, ...missed.evidence].slice(0, 20),
        },
      ]
    : [...r.findings];
  return { ...r, findings, verification: [...r.verification.slice(0, -1), record] };
}
