import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { Log, Notification, Result as SarifResult } from 'sarif';
import type { DriftRule } from './classify-drift.js';
import { driftLines } from './drift-report.js';
import type { ContainerDrift, DriftReport } from './drift-model.js';

/**
 * Pure: the drift report as SARIF 2.1.0, one run, one result per drift change. A path is a
 * location relative to CONTAINER_ROOT (the container's "/"), and each result names its
 * container as a logical location, so one log can carry several containers.
 */

export const CONTAINER_ROOT = 'CONTAINER_ROOT';

const RULE_TEXT: Record<DriftRule, { readonly short: string; readonly full: string; readonly level: SarifResult.level }> = {
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

/** A container path as a URI reference relative to CONTAINER_ROOT: no leading slash, each segment percent-encoded (spaces, Unicode). */
export function pathUri(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/');
}

const KIND_WORD = { added: 'Added', modified: 'Changed', deleted: 'Deleted' } as const;

function resultsOf(c: ContainerDrift): SarifResultBuilder[] {
  const k = c.container;
  return driftLines(c).map((d) => {
    const rule = d.rule ?? 'drift/unexpected-write';
    const b = new SarifResultBuilder().initSimple({ level: RULE_TEXT[rule].level, ruleId: rule, messageText: `${KIND_WORD[d.kind]} ${d.path} in container ${k.name}: ${RULE_TEXT[rule].short.toLowerCase()}.` });
    b.setLocationArtifactUri({ uri: pathUri(d.path), uriBaseId: CONTAINER_ROOT });
    const location = b.result.locations?.[0];
    if (location) location.logicalLocations = [{ name: k.name, fullyQualifiedName: k.id, kind: 'resource' }];
    b.result.partialFingerprints = { 'roProfileDrift/v1': `${k.name}|${rule}|${d.path}` };
    b.result.properties = { container: k.name, containerId: k.id, image: k.image, imageId: k.imageId, kind: d.kind, path: d.path };
    return b;
  });
}

export function driftSarif(r: DriftReport, toolVersion: string): Log {
  const run = new SarifRunBuilder().initSimple({ toolDriverName: 'ro-profile', toolDriverVersion: toolVersion });
  for (const id of Object.keys(RULE_TEXT) as DriftRule[]) {
    const rule = new SarifRuleBuilder().initSimple({ ruleId: id, shortDescriptionText: RULE_TEXT[id].short, fullDescriptionText: RULE_TEXT[id].full });
    rule.rule.defaultConfiguration = { level: RULE_TEXT[id].level };
    rule.rule.properties = { tags: ['security', 'drift'] };
    run.addRule(rule);
  }
  for (const c of r.containers) for (const res of resultsOf(c)) run.addResult(res);
  run.run.originalUriBaseIds = { [CONTAINER_ROOT]: { uri: 'file:///', description: { text: "The root (/) of the container each result's logical location names." } } };
  // Warnings (another image than the one profiled) and notes travel with the run, not as findings.
  const notifications: Notification[] = [
    ...r.containers.flatMap((c) => c.warnings.map((w) => ({ level: 'warning' as const, message: { text: `${c.container.name}: ${w.message}` } }))),
    ...r.notes.map((n) => ({ level: 'note' as const, message: { text: n } })),
  ];
  run.run.invocations = [{ executionSuccessful: true, ...(notifications.length > 0 ? { toolExecutionNotifications: notifications } : {}) }];
  const log = new SarifBuilder();
  log.addRun(run);
  const out = log.buildSarifOutput();
  // The builder lists each artifact by uri alone; it is relative to the container root too.
  for (const a of out.runs[0]?.artifacts ?? []) if (a.location) a.location.uriBaseId = CONTAINER_ROOT;
  return out;
}

/** Serialised here, not by the builder: its check rejects any text holding "SARIF_BUILDER_INVALID", a path included. */
export function renderDriftSarif(r: DriftReport, toolVersion: string): string {
  return `${JSON.stringify(driftSarif(r, toolVersion), null, 2)}\n`;
}
