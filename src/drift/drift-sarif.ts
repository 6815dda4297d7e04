import type { SarifResultBuilder } from 'node-sarif-builder';
import type { Log, Notification } from 'sarif';
import { pathUri, renderSarif, sarifLog, sarifResult, sarifRun, type RuleText } from '../emit/sarif-log.js';
import type { DriftRule } from './classify-drift.js';
import { driftLines } from './drift-report.js';
import type { ContainerDrift, DriftReport } from './drift-model.js';

/**
 * Pure: the drift report as SARIF 2.1.0, one run, one result per drift change. A path is a
 * location relative to CONTAINER_ROOT (the container's "/"), and each result names its
 * container as a logical location, so one log can carry several containers.
 */

export const CONTAINER_ROOT = 'CONTAINER_ROOT';

const RULE_TEXT: Record<DriftRule, RuleText> = {
  'drift/modified-binary': {
    short: 'A program or library changed in the container',
    full: 'A file was added or changed in a program or library directory (bin, sbin, libexec, the lib directories of /, /usr, /usr/local, /opt/*), is a shared object, or is executable: code that is not the image\'s.',
    level: 'error',
  },
  'drift/new-system-file': {
    short: 'A file was added or changed under a system tree',
    full: 'A file was added or changed under /usr, /etc, /bin, /sbin, /lib*, /boot or a package database, where the image\'s own content lives and no profiled write went.',
    level: 'error',
  },
  'drift/deleted-file': {
    short: 'A file the image ships was deleted',
    full: 'A path the image ships is gone from the container, and the profile never saw the app delete it.',
    level: 'warning',
  },
  'drift/unexpected-write': {
    short: 'A write the profile did not see',
    full: 'A path was added or changed outside every mount of the result and outside what the profile saw the app write.',
    level: 'warning',
  },
};

export { pathUri };

const KIND_WORD = { added: 'Added', modified: 'Changed', deleted: 'Deleted' } as const;

function resultsOf(c: ContainerDrift): SarifResultBuilder[] {
  const k = c.container;
  return driftLines(c).map((d) => {
    const rule = d.rule ?? 'drift/unexpected-write';
    return sarifResult({
      ruleId: rule,
      level: RULE_TEXT[rule].level,
      message: `${KIND_WORD[d.kind]} ${d.path} in container ${k.name}: ${RULE_TEXT[rule].short.toLowerCase()}.`,
      uri: pathUri(d.path),
      root: CONTAINER_ROOT,
      logical: { name: k.name, fullyQualifiedName: k.id },
      fingerprint: ['roProfileDrift/v1', `${k.name}|${rule}|${d.path}`],
      properties: { container: k.name, containerId: k.id, image: k.image, imageId: k.imageId, kind: d.kind, path: d.path },
    });
  });
}

export function driftSarif(r: DriftReport, toolVersion: string): Log {
  const run = sarifRun(toolVersion, (Object.keys(RULE_TEXT) as DriftRule[]).map((id) => [id, RULE_TEXT[id]] as const), ['security', 'drift']);
  for (const c of r.containers) for (const res of resultsOf(c)) run.addResult(res);
  // Warnings (another image than the one profiled) and notes travel with the run, not as findings.
  const notifications: Notification[] = [
    ...r.containers.flatMap((c) => c.warnings.map((w) => ({ level: 'warning' as const, message: { text: `${c.container.name}: ${w.message}` } }))),
    ...r.notes.map((n) => ({ level: 'note' as const, message: { text: n } })),
  ];
  run.run.invocations = [{ executionSuccessful: true, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }];
  return sarifLog(run, { id: CONTAINER_ROOT, description: "The root (/) of the container each result's logical location names." });
}

export function renderDriftSarif(r: DriftReport, toolVersion: string): string {
  return renderSarif(driftSarif(r, toolVersion));
}
