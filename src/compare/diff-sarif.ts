import type { SarifResultBuilder } from 'node-sarif-builder';
import type { Log } from 'sarif';
import { IMAGE_ROOT, IMAGE_ROOT_DESCRIPTION, imageLocation, renderSarif, sarifLog, sarifResult, sarifRun, type RuleText } from '../emit/sarif-log.js';
import { DIFF_KINDS, DIFF_RULES, type DiffKind, type ResultDiff } from './diff-model.js';

/** Pure: a diff as SARIF results, rule `ro-profile/<kind>`: error when it widens the config, note when not. */

export const diffRuleId = (k: DiffKind) => `ro-profile/${k}`;

export const DIFF_SARIF_RULES: readonly (readonly [string, RuleText])[] = DIFF_KINDS.map((k) => [diffRuleId(k), { short: DIFF_RULES[k].short, full: DIFF_RULES[k].full, level: DIFF_RULES[k].widening ? 'error' : 'note' }] as const);

export function diffSarifResults(d: ResultDiff): SarifResultBuilder[] {
  const image = { ref: d.new.image, id: d.new.imageId };
  return d.changes.map((c) =>
    sarifResult({
      ruleId: diffRuleId(c.kind),
      level: DIFF_RULES[c.kind].widening ? 'error' : 'note',
      message: `${c.path !== undefined ? `${c.path}: ` : ''}${c.message} (since ${d.old.file}).`,
      ...imageLocation(image, c.path),
      fingerprint: ['roProfileDiff/v1', `${d.new.image}|${c.kind}|${c.path ?? ''}|${c.new ?? ''}`],
      properties: { kind: c.kind, widening: DIFF_RULES[c.kind].widening, ...(c.path !== undefined ? { path: c.path } : {}), ...(c.old !== undefined ? { old: c.old } : {}), ...(c.new !== undefined ? { new: c.new } : {}), baseline: d.old.file },
    }),
  );
}

export function diffSarif(d: ResultDiff, toolVersion: string): Log {
  const run = sarifRun(toolVersion, DIFF_SARIF_RULES, ['security', 'read-only']);
  for (const r of diffSarifResults(d)) run.addResult(r);
  run.run.invocations = [{ executionSuccessful: true }];
  return sarifLog(run, { id: IMAGE_ROOT, description: IMAGE_ROOT_DESCRIPTION });
}

export function renderDiffSarif(d: ResultDiff, toolVersion: string): string {
  return renderSarif(diffSarif(d, toolVersion));
}
