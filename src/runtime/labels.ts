import { hostname } from 'node:os';

/** Labels stamped on everything ro-profile creates, so it can always be found and removed. */
export const LABEL_MANAGED = 'io.ro-profile.managed';
export const LABEL_SESSION = 'io.ro-profile.session';
export const LABEL_PID = 'io.ro-profile.pid';
export const LABEL_HOST = 'io.ro-profile.host';
export const LABEL_ROLE = 'io.ro-profile.role';

export interface SessionIdentity {
  readonly sessionId: string;
  readonly pid: number;
  readonly host: string;
}

export function currentIdentity(env: NodeJS.ProcessEnv = process.env): SessionIdentity {
  const fromEnv = env['RO_PROFILE_SESSION'];
  const sessionId = fromEnv && fromEnv.length > 0 ? fromEnv : `${process.pid}-${Date.now().toString(36)}`;
  return { sessionId, pid: process.pid, host: hostname() };
}

export function createLabels(id: SessionIdentity, role: string): Record<string, string> {
  return {
    [LABEL_MANAGED]: 'true',
    [LABEL_SESSION]: id.sessionId,
    [LABEL_PID]: String(id.pid),
    [LABEL_HOST]: id.host,
    [LABEL_ROLE]: role,
  };
}
