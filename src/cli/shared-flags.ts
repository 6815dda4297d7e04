import { RoProfileError } from '../errors.js';
import type { EmitOptions } from '../emit/emit.js';
import { K8S_KINDS } from '../emit/k8s-kinds.js';

/** The flags that shape the emitted config, shared by the profile, emit and analyze-strace commands. */
export const EMIT_FLAGS = {
  'compose-override': { type: 'boolean', default: false, describe: 'With --format compose: only the hardening of the service, to merge with -f base.yml -f override.yml', group: 'Output:' },
  service: { type: 'string', describe: 'Name of the compose service / Kubernetes workload (default: the image repository name)', group: 'Output:' },
  'k8s-kind': { choices: K8S_KINDS, default: 'pod' as const, describe: 'With --format k8s: a Pod or a Deployment', group: 'Output:' },
  'k8s-patch': { type: 'boolean', default: false, describe: 'With --format k8s: only a strategic-merge patch of securityContext, volumeMounts and volumes for an existing Deployment', group: 'Output:' },
  'k8s-memory': { type: 'boolean', default: false, describe: 'With --format k8s: memory-backed emptyDirs (they count against the memory limit)', group: 'Output:' },
} as const;

export function emitOptionsOf(argv: {
  readonly composeOverride: boolean;
  readonly service?: string | undefined;
  readonly k8sKind: (typeof K8S_KINDS)[number];
  readonly k8sPatch: boolean;
  readonly k8sMemory: boolean;
}): EmitOptions {
  return {
    compose: { override: argv.composeOverride, service: argv.service },
    k8s: { kind: argv.k8sKind, patch: argv.k8sPatch, memory: argv.k8sMemory, name: argv.service },
  };
}

/** --baseline OLD.json of profile and verify (see baseline.ts). */
export const BASELINE_FLAG = {
  baseline: { type: 'string', describe: 'A result (--format json) to compare with: the differences go to stderr, and a widened config exits 10 (a failed verification still exits 7)', group: 'Output:' },
} as const;

/** The analysis overrides, shared by the profile and analyze-strace commands. */
export const ANALYSIS_FLAGS = {
  persist: { type: 'string', array: true, default: [] as string[], describe: 'Make this directory a named volume (data that must persist)', group: 'Analysis:' },
  ephemeral: { type: 'string', array: true, default: [] as string[], describe: 'Keep mounts at or below this directory on tmpfs, even if they look like data', group: 'Analysis:' },
  'volume-prefix': { type: 'string', describe: 'Start every named volume\'s name with this (a project name), so two services of one image keep their data apart', group: 'Analysis:' },
} as const;

/** --volume-prefix as a volume name (Docker) and a claim name (Kubernetes) can start: [a-z0-9-], no dash at the ends. */
export function volumePrefixOf(prefix: string | undefined): { volumePrefix?: string } {
  if (prefix === undefined) return {};
  if (!/^[a-z0-9]([a-z0-9-]{0,28}[a-z0-9])?$/.test(prefix)) {
    throw new RoProfileError('USAGE', `--volume-prefix "${prefix}" is not a valid start of a volume name`, {
      hint: 'Use 1 to 30 lower-case letters, digits and dashes, starting and ending with a letter or digit (e.g. --volume-prefix shop).',
    });
  }
  return { volumePrefix: prefix };
}

export function absolutePaths(flag: string, paths: readonly string[]): string[] {
  for (const p of paths) {
    if (!p.startsWith('/')) {
      throw new RoProfileError('USAGE', `"--${flag} ${p}" is not an absolute path`, { hint: `Give the directory as the container sees it, e.g. --${flag} /var/lib/app.` });
    }
  }
  return paths.map((p) => (p.length > 1 ? p.replace(/\/+$/, '') : p));
}
