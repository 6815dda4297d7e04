import { createRequire } from 'node:module';
import type { SarifResultBuilder, SarifRunBuilder } from 'node-sarif-builder';
import type { Log, Result as SarifResult } from 'sarif';

/**
 * Pure: what every SARIF 2.1.0 log of ro-profile shares (drift, results, diff): one run of the
 * ro-profile driver, rules by stable id, paths as locations relative to a named root.
 */

export type SarifLevel = SarifResult.level;

// Required on first use (it is CommonJS): only the SARIF formats need it, and loading it costs every start-up ~30 ms.
let loaded: typeof import('node-sarif-builder') | undefined;
const sarif = (): typeof import('node-sarif-builder') => (loaded ??= createRequire(import.meta.url)('node-sarif-builder') as typeof import('node-sarif-builder'));

export interface RuleText {
  readonly short: string;
  readonly full: string;
  readonly level: SarifLevel;
}

/** A container path as a URI reference relative to its root: no leading slash, each segment percent-encoded (spaces, Unicode, `%`, `#`, `?`). */
export function pathUri(path: string): string {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(encodeURIComponent)
    .join('/');
}

/** A run with every rule listed, in the order given, so a rule's index is the same in every log of that kind. */
export function sarifRun(toolVersion: string, rules: readonly (readonly [id: string, text: RuleText])[], tags: readonly string[]): SarifRunBuilder {
  const run = new (sarif().SarifRunBuilder)().initSimple({ toolDriverName: 'ro-profile', toolDriverVersion: toolVersion });
  for (const [id, text] of rules) {
    const rule = new (sarif().SarifRuleBuilder)().initSimple({ ruleId: id, shortDescriptionText: text.short, fullDescriptionText: text.full });
    rule.rule.defaultConfiguration = { level: text.level };
    rule.rule.properties = { tags: [...tags] };
    run.addRule(rule);
  }
  return run;
}

export interface ResultSpec {
  readonly ruleId: string;
  readonly level: SarifLevel;
  readonly message: string;
  /** A path under `root`, or a URI reference of its own (the image) when root is absent. */
  readonly uri: string;
  readonly root?: string;
  /** What the location belongs to: the container or image, by name and id. */
  readonly logical: { readonly name: string; readonly fullyQualifiedName: string };
  readonly fingerprint: readonly [key: string, value: string];
  readonly properties: Record<string, unknown>;
}

export function sarifResult(s: ResultSpec): SarifResultBuilder {
  const b = new (sarif().SarifResultBuilder)().initSimple({ level: s.level, ruleId: s.ruleId, messageText: s.message });
  b.setLocationArtifactUri({ uri: s.uri, ...(s.root !== undefined ? { uriBaseId: s.root } : {}) });
  const location = b.result.locations?.[0];
  if (location) location.logicalLocations = [{ name: s.logical.name, fullyQualifiedName: s.logical.fullyQualifiedName, kind: 'resource' }];
  b.result.partialFingerprints = { [s.fingerprint[0]]: s.fingerprint[1] };
  b.result.properties = { ...s.properties };
  return b;
}

/** The log of one run; artifacts under `root` say so (the builder lists each by uri alone). */
export function sarifLog(run: SarifRunBuilder, root: { readonly id: string; readonly description: string }): Log {
  run.run.originalUriBaseIds = { [root.id]: { uri: 'file:///', description: { text: root.description } } };
  const log = new (sarif().SarifBuilder)();
  log.addRun(run);
  const out = log.buildSarifOutput();
  const rooted = new Set((out.runs[0]?.results ?? []).flatMap((r) => r.locations ?? []).map((l) => l.physicalLocation?.artifactLocation).filter((a) => a?.uriBaseId === root.id).map((a) => a?.uri));
  for (const a of out.runs[0]?.artifacts ?? []) if (a.location && rooted.has(a.location.uri)) a.location.uriBaseId = root.id;
  return out;
}

/** Serialised here, not by the builder: its check rejects any text holding "SARIF_BUILDER_INVALID", a path included. */
export function renderSarif(log: Log): string {
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** The root paths of a result's image are relative to (its "/"). */
export const IMAGE_ROOT = 'IMAGE_ROOT';
export const IMAGE_ROOT_DESCRIPTION = "The root (/) of the image each result's logical location names.";

/** Where a result about an image lies: its path under IMAGE_ROOT, or, for the image as a whole, its reference. */
export function imageLocation(image: { readonly ref: string; readonly id: string }, path: string | undefined): Pick<ResultSpec, 'uri' | 'root' | 'logical'> {
  const logical = { name: image.ref, fullyQualifiedName: image.id };
  return path !== undefined ? { uri: pathUri(path), root: IMAGE_ROOT, logical } : { uri: pathUri(image.ref), logical };
}
