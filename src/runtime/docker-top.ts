import type { ProcessInfo } from '../model/hardening.js';

/** `ps` columns the engine runs on its host for `top`: -e for every process, the engine keeps the container's. */
export const TOP_PS_ARGS = '-eo pid,uid,gid,args';

/** The engine's top answer ({Titles, Processes}) as our processes; rows it cannot read are left out. */
export function mapTop(raw: unknown): ProcessInfo[] {
  const r = raw as { Titles?: unknown; Processes?: unknown } | null;
  if (!r || !Array.isArray(r.Titles) || !Array.isArray(r.Processes)) return [];
  const titles = (r.Titles as unknown[]).map((t) => String(t).toUpperCase());
  const col = (name: string) => titles.indexOf(name);
  const [pid, uid, gid] = [col('PID'), col('UID'), col('GID')];
  const cmd = titles.findIndex((t) => t === 'COMMAND' || t === 'ARGS' || t === 'CMD');
  if (pid < 0 || uid < 0 || gid < 0) return [];
  const out: ProcessInfo[] = [];
  for (const row of r.Processes as unknown[]) {
    if (!Array.isArray(row)) continue;
    const n = (i: number) => (/^\d+$/.test(String(row[i])) ? Number(String(row[i])) : NaN);
    // ps prints a name where the host knows the id only with other columns; ours are numeric.
    if (![n(pid), n(uid), n(gid)].every(Number.isInteger)) continue;
    out.push({ pid: n(pid), uid: n(uid), gid: n(gid), command: cmd >= 0 ? String(row[cmd]) : '' });
  }
  return out.sort((a, b) => a.pid - b.pid);
}
