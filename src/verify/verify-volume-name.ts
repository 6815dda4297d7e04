import { createHash } from 'node:crypto';

/**
 * A volume name of verification's own for a mount: never the user's, distinct per run (by the
 * run's session and pid labels). Apart from launcher.ts, which uses the traced runs that use it.
 */
export function verifyVolumeName(ctx: { readonly labels: Readonly<Record<string, string>> }, tag: string, path: string): string {
  const h = createHash('sha256').update(`${ctx.labels['io.ro-profile.session'] ?? ''}\0${ctx.labels['io.ro-profile.pid'] ?? ''}\0${path}`).digest('hex').slice(0, 10);
  return `ro-profile-verify-${tag}-${h}`;
}
