/**
 * The process settings a config runs under, beyond its read-only root: capabilities, user,
 * no-new-privileges and seccomp. Named levels, strongest first; `auto` picks the strongest that
 * verifies.
 */
export const HARDEN_LEVELS = ['openshift', 'restricted', 'drop-caps', 'off'] as const;
export type HardenLevel = (typeof HARDEN_LEVELS)[number];
export type HardenRequest = 'auto' | HardenLevel;

/** What each level holds the app to, in the words the report and --help use. */
export const LEVEL_MEANING: Readonly<Record<HardenLevel, string>> = {
  openshift: 'restricted, run as an arbitrary UID with GID 0, as OpenShift\'s restricted SCC assigns one',
  restricted: 'every capability dropped, a numeric non-root UID, no-new-privileges, seccomp RuntimeDefault, as Pod Security "restricted" asks',
  'drop-caps': 'every capability dropped but those the run showed it needs, the image\'s own user, no-new-privileges, seccomp RuntimeDefault',
  off: 'the engine\'s default capabilities and the image\'s own user, with no-new-privileges and seccomp RuntimeDefault',
};

/** Docker's default capability set (moby oci/caps/defaults.go): what `off` keeps and `drop-caps` starts its search from. */
export const DOCKER_DEFAULT_CAPS = [
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'NET_RAW',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
] as const;

/** The UID an `openshift` run gets: inside the range OpenShift assigns projects (1000000000+), never one the image names. */
export const ARBITRARY_UID = 1000680000;
/** The UID a root image is tried as when none of its processes showed a non-root user (distroless' "nonroot"). */
export const FALLBACK_NONROOT_UID = 65532;

/** A capability the config adds back, and why. */
export interface KeptCapability {
  /** Without the CAP_ prefix, as docker --cap-add and Kubernetes' capabilities.add take it. */
  readonly name: string;
  /** What the app does that needs it. */
  readonly reason: string;
  /** What broke in the run without it (the proof it is needed). */
  readonly evidence: readonly string[];
  /** How to do without it, where there is a way. */
  readonly alternative?: string;
}

/** A level that was tried and did not run as the writable run did. */
export interface RejectedLevel {
  readonly level: HardenLevel;
  /** The setting of that level that broke it ("run as UID 33", "cap-drop ALL"). */
  readonly setting: string;
  readonly message: string;
  /** The differences of that run: messages and the log lines that show them. */
  readonly evidence: readonly string[];
  /** What would let the image run under it. */
  readonly fix?: string;
}

/** The settings a result's config carries. */
export interface Hardening {
  readonly requested: HardenRequest;
  readonly level: HardenLevel;
  /** ['ALL'] for every level but off. */
  readonly capDrop: readonly string[];
  readonly capAdd: readonly KeptCapability[];
  /** The numeric user the config runs as (restricted, openshift); absent: the image's (or --user's). */
  readonly user?: { readonly uid: number; readonly gid: number };
  /** openshift: the UID is the platform's to choose; `user` is the one verification ran as. */
  readonly arbitraryUid?: boolean;
  readonly noNewPrivileges: true;
  readonly seccomp: 'RuntimeDefault';
  /** Did a run under exactly these settings compare equal with the writable run? */
  readonly verified: boolean;
  /** Stronger levels tried that broke, with what broke them. */
  readonly rejected: readonly RejectedLevel[];
  /** What the run under this level logged that the writable run did not, taken as warnings only (it ran the same). */
  readonly notes?: readonly string[];
  /** What the writable run's processes were (uid:gid and command), the evidence for users and capabilities. */
  readonly processes?: readonly string[];
}

/** A process of the container as the engine lists it. */
export interface ProcessInfo {
  readonly pid: number;
  readonly uid: number;
  readonly gid: number;
  readonly command: string;
}
