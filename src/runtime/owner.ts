import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { ManagedObject } from './engine.js';
import { LABEL_HOST, LABEL_PID } from './labels.js';

/** The owner is alive when its pid runs an ro-profile process on this host; elsewhere we cannot tell, so it counts as alive. */
export function ownerAlive(o: ManagedObject, host = hostname()): boolean {
  const pid = Number(o.labels[LABEL_PID]);
  if (o.labels[LABEL_HOST] !== host) return true;
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // A reused pid belongs to some other program: then the owner is gone.
    return /ro-profile|cli\/main\.js/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return true;
  }
}
