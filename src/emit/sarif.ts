import type { SarifResultBuilder } from 'node-sarif-builder';
import type { Log } from 'sarif';
import { DIFF_SARIF_RULES, diffSarifResults } from '../compare/diff-sarif.js';
import type { ResultDiff } from '../compare/diff-model.js';
import { FINDING_KINDS, type FindingKind } from '../model/mount-plan.js';
import type { Result } from '../model/result.js';
import { IMAGE_ROOT, IMAGE_ROOT_DESCRIPTION, imageLocation, renderSarif, sarifLog, sarifResult, sarifRun, type RuleText } from './sarif-log.js';

/**
 * Pure: a result as SARIF 2.1.0 for code-scanning tools. Stable rule ids: `ro-profile/writable-mount`
 * (a note per mount the config keeps writable), `ro-profile/verification-failed` (an error per
 * verification that failed), `ro-profile/<finding kind>` (at the finding's severity), and with a
 * baseline the diff's `ro-profile/<diff kind>`. The tool version is the result's, so the same
 * result gives the same bytes.
 */

const FINDING_SHORT: Readonly<Record<FindingKind, string>> = {
  'system-write': 'A write into a system tree no mount may cover',
  'modified-shipped-file': 'The app changes a file the image ships',
  'persistent-data': 'Data that must persist: kept on a volume',
  'seeded-content': 'A mount seeded with the image\'s content',
  'shadowed-content': 'A mount hides entries the image ships',
  'hidden-symlink-target': 'A symlink leads into a mount',
  'symlink-alias': 'A write through a symlink',
  'declared-volume': 'A volume the image declares',
  'volume-owner': 'A volume\'s owner differs from the app\'s user',
  'log-file': 'A log file better sent to stdout',
  'user-mount': 'Writes under the user\'s own mount',
  'optional-write': 'A write left out: the app runs without it',
  'restart-state': 'State kept across a restart',
  unverified: 'Not verified',
};

const WRITABLE: RuleText = { short: 'A directory the config keeps writable', full: 'The config mounts this directory writable (tmpfs or volume) on the read-only root: the app may write there.', level: 'note' };
const FAILED: RuleText = { short: 'The config did not verify', full: 'A run under the hardened config did not behave as the writable run did: the config printed is marked UNVERIFIED.', level: 'error' };

export const RESULT_SARIF_RULES: readonly (readonly [string, RuleText])[] = [
  ['ro-profile/writable-mount', WRITABLE],
  ['ro-profile/verification-failed', FAILED],
  ...FINDING_KINDS.map((k) => [`ro-profile/${k}`, { short: FINDING_SHORT[k], full: `A finding of kind ${k}: ${FINDING_SHORT[k].toLowerCase()}; the message and evidence say where and why.`, level: k === 'system-write' || k === 'unverified' ? 'error' : 'warning' }] as const),
  ...DIFF_SARIF_RULES,
];

const level = (s: 'info' | 'warning' | 'error') => (s === 'info' ? 'note' : s);

function resultsOf(r: Result): SarifResultBuilder[] {
  const image = r.image;
  const fp = (rule: string, key: string) => ['roProfile/v1', `${image.ref}|${rule}|${key}`] as const;
  const mounts = r.plan.mounts.map((m) =>
    sarifResult({
      ruleId: 'ro-profile/writable-mount',
      level: 'note',
      message: `${m.path} is writable: ${m.kind}${m.kind === 'tmpfs' ? ` of ${m.sizeBytes} bytes` : ''}, owner ${m.uid}:${m.gid}, mode ${(m.mode & 0o7777).toString(8).padStart(4, '0')}, ${m.exec ? 'exec' : 'noexec'}.`,
      ...imageLocation(image, m.path),
      fingerprint: fp('writable-mount', m.path),
      properties: { path: m.path, kind: m.kind, uid: m.uid, gid: m.gid, mode: m.mode, exec: m.exec, sizeBytes: m.sizeBytes, reasons: [...m.reasons] },
    }),
  );
  const findings = r.findings.map((f) =>
    sarifResult({
      ruleId: `ro-profile/${f.kind}`,
      level: level(f.severity),
      message: f.message,
      ...imageLocation(image, f.path === '' ? undefined : f.path),
      fingerprint: fp(f.kind, f.path),
      properties: { path: f.path, severity: f.severity, evidence: [...f.evidence] },
    }),
  );
  const failed = r.verification
    .filter((v) => v.result === 'fail')
    .map((v) => {
      const why = v.rounds.at(-1)?.differences.map((d) => d.message).join('; ') || 'it did not run as the writable run did';
      return sarifResult({
        ruleId: 'ro-profile/verification-failed',
        level: 'error',
        message: `Verification with ${v.format} on ${v.runtime} ${v.version} failed: ${why}.`,
        ...imageLocation(image, undefined),
        fingerprint: fp('verification-failed', `${v.format}|${v.runtime}`),
        properties: { format: v.format, runtime: v.runtime, version: v.version, paths: [...new Set(v.rounds.at(-1)?.differences.flatMap((d) => d.paths ?? []) ?? [])] },
      });
    });
  return [...mounts, ...findings, ...failed];
}

export function resultSarif(r: Result, baseline?: ResultDiff): Log {
  const run = sarifRun(r.tool.version, RESULT_SARIF_RULES, ['security', 'read-only']);
  for (const x of resultsOf(r)) run.addResult(x);
  if (baseline) for (const x of diffSarifResults(baseline)) run.addResult(x);
  run.run.invocations = [{ executionSuccessful: true }];
  return sarifLog(run, { id: IMAGE_ROOT, description: IMAGE_ROOT_DESCRIPTION });
}

export function emitSarif(r: Result, baseline?: ResultDiff): string {
  return renderSarif(resultSarif(r, baseline));
}
