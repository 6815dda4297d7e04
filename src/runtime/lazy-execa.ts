import type { execa as Execa } from 'execa';

let loaded: Promise<typeof Execa> | undefined;

/**
 * execa, imported on first use: it is about 100 ES modules, and a run that never spawns a
 * program (no docker-compose, no host strace) should not load them at start-up.
 */
export function loadExeca(): Promise<typeof Execa> {
  return (loaded ??= import('execa').then((m) => m.execa));
}
