/**
 * What `ro-profile diff` reports: one change per difference between two results that matters to
 * the config's security, each with a stable kind (its SARIF rule id is `ro-profile/<kind>`).
 * A kind either widens what the container may do (the gate fails) or not (reported as info).
 */

export const DIFF_KINDS = [
  'new-writable-path',
  'widened-mount',
  'changed-owner',
  'exec-allowed',
  'weaker-hardening',
  'capability-added',
  'user-root',
  'verification-lost',
  'narrowed-mount',
  'dropped-mount',
  'exec-removed',
  'stronger-hardening',
  'capability-removed',
  'image-changed',
] as const;
export type DiffKind = (typeof DIFF_KINDS)[number];

/** Whether each kind fails the gate, and what it means, in the words the table, README and SARIF rules use. */
export const DIFF_RULES: Readonly<Record<DiffKind, { readonly widening: boolean; readonly short: string; readonly full: string }>> = {
  'new-writable-path': { widening: true, short: 'A path became writable', full: 'A mount of the new result covers a directory that no mount of the old result covered, at it or above it: the app may now write there.' },
  'widened-mount': { widening: true, short: 'A mount was widened', full: 'A mount moved up to a parent directory, a tmpfs became a volume (its data now persists), a tmpfs grew, or its mode grants more than before.' },
  'changed-owner': { widening: true, short: 'A mount changed owner', full: 'A mount is owned by another UID or GID than before: another user of the container may write there.' },
  'exec-allowed': { widening: true, short: 'A mount allows exec', full: 'A mount that was noexec now lets the app run programs written there.' },
  'weaker-hardening': { widening: true, short: 'A weaker --harden level', full: 'The config runs under a weaker --harden level than before (openshift > restricted > drop-caps > off), or none was recorded where one was.' },
  'capability-added': { widening: true, short: 'A capability was added', full: 'The config keeps a Linux capability the old one dropped.' },
  'user-root': { widening: true, short: 'The config runs as root', full: 'The config now runs as root (UID 0) where the old one did not.' },
  'verification-lost': { widening: true, short: 'A verification no longer passes', full: 'A verification (per format and runtime) or the --harden level passed in the old result, and failed or was not run in the new one.' },
  'narrowed-mount': { widening: false, short: 'A mount was narrowed', full: 'A mount moved down to a subdirectory, a volume became a tmpfs, a tmpfs shrank, or its mode grants less.' },
  'dropped-mount': { widening: false, short: 'A mount was dropped', full: 'A directory the old result kept writable is read-only now.' },
  'exec-removed': { widening: false, short: 'A mount is noexec now', full: 'A mount that allowed exec is noexec now.' },
  'stronger-hardening': { widening: false, short: 'A stronger --harden level', full: 'The config runs under a stronger --harden level than before.' },
  'capability-removed': { widening: false, short: 'A capability was dropped', full: 'The config no longer keeps a capability the old one kept.' },
  'image-changed': { widening: false, short: 'The image changed', full: 'The image id or its registry digests differ: a new build or version was profiled.' },
};

export interface DiffChange {
  readonly kind: DiffKind;
  /** The mount path the change is about (exact, any characters), absent for the image and process settings. */
  readonly path?: string;
  readonly message: string;
  /** The values compared, as text ("tmpfs", "0755", "1000:1000"), where there are two. */
  readonly old?: string;
  readonly new?: string;
}

export interface ResultDiff {
  /** The two results as the user named them, and their images. */
  readonly old: { readonly file: string; readonly image: string; readonly imageId: string };
  readonly new: { readonly file: string; readonly image: string; readonly imageId: string };
  /** Sorted: widening kinds first (DIFF_KINDS order), then path. */
  readonly changes: readonly DiffChange[];
}

export function isWidening(c: DiffChange): boolean {
  return DIFF_RULES[c.kind].widening;
}

export function widenings(d: ResultDiff): DiffChange[] {
  return d.changes.filter(isWidening);
}
