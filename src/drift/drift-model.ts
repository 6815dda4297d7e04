import type { Classification } from './classify-drift.js';
import type { ChangeGroup } from './group-changes.js';

/** What one audit found, per container: the data every output format (table, json, sarif) renders. */

export interface AuditedContainer {
  readonly id: string;
  readonly name: string;
  /** The image as the container was created from it. */
  readonly image: string;
  readonly imageId: string;
  readonly running: boolean;
}

/** The result a container was compared with. */
export interface ComparedResult {
  readonly file: string;
  readonly imageRef: string;
  readonly imageId: string;
  /** given: --result; id / reference: how --all matched it to the container. */
  readonly matchedBy: 'given' | 'id' | 'reference';
}

/** With no result, what the image itself declares (the facts a reader needs to judge the changes). */
export interface ImageSummary {
  readonly ref: string;
  readonly id: string;
  readonly user: string;
  readonly volumes: readonly string[];
}

export interface DriftWarning {
  /** image-mismatch: the container runs another image than the one profiled; unchecked: files whose mode was not asked. */
  readonly kind: 'image-mismatch' | 'unchecked';
  readonly message: string;
}

export interface ContainerDrift {
  readonly container: AuditedContainer;
  readonly result?: ComparedResult;
  readonly image?: ImageSummary;
  readonly warnings: readonly DriftWarning[];
  readonly classification: Classification;
  /** With no result: the changes by directory. */
  readonly groups?: readonly ChangeGroup[];
}

export interface DriftReport {
  readonly containers: readonly ContainerDrift[];
  /** What the run could not check, or skipped (an unreadable result file in --results, no match). */
  readonly notes: readonly string[];
}

export function driftCount(c: ContainerDrift): number {
  return c.classification.counts.drift;
}

export function hasDrift(r: DriftReport): boolean {
  return r.containers.some((c) => driftCount(c) > 0);
}
