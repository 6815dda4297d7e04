import type { ImageFacts } from '../model/image-facts.js';
import type { FsFacts } from '../model/fs-facts.js';
import type { WriteEvent } from '../model/write-event.js';

/** What planMounts decides from; apart from plan-mounts.ts so that mount-for.ts can extend it without importing its caller. */
export interface AnalyzeInput {
  readonly image: ImageFacts;
  readonly events: readonly WriteEvent[];
  readonly fs: FsFacts;
  /** Targets of the user's -v/--mount: writes below them are already covered. */
  readonly userMounts: readonly string[];
  /** --persist: these directories become named volumes, written or not. */
  readonly persist?: readonly string[];
  /** --ephemeral: mounts at or below these are tmpfs, whatever their content looks like. */
  readonly ephemeral?: readonly string[];
  /** What the restart check showed: mount paths whose files the app carries from one start to the next, with the evidence. */
  readonly state?: Readonly<Record<string, readonly string[]>>;
  /** --volume-prefix: the first part of every named volume's name (a project name). */
  readonly volumePrefix?: string;
  /** The smallest tmpfs size (default MIN_SIZE_BYTES); --limits strict sizes them closer to what was written. */
  readonly minTmpfsBytes?: number;
}
