import { parse } from 'yaml';
import { toYaml } from '../emit/yaml.js';
import { PODMAN_READ_ONLY_TMPFS, podmanTmpfs } from '../runtime/podman.js';

/**
 * The verification's compose file as Podman must get it for the run to mean what it would on
 * Docker (see runtime/podman.ts): docker-compose hands `tmpfs:` straight to the API, where
 * Podman refuses uid=/gid= (they become `U`) and adds writable tmpfs of its own on /run, /tmp
 * and /var/tmp under `read_only` (masked read-only where the service mounts nothing there).
 * With the user's own compose file underneath (`baseFile`), its mounts are not known here, so
 * no masks are added: a mask over one of its volumes would stop the service.
 */
export function composeForPodman(text: string, service: string, o: { readonly baseFile: boolean }): string {
  const doc = parse(text) as { services?: Record<string, Record<string, unknown>> };
  const svc = doc.services?.[service];
  if (!svc) return text;
  const entries = Array.isArray(svc['tmpfs']) ? (svc['tmpfs'] as unknown[]).map(String) : [];
  const tmpfs = entries.map((e) => {
    const at = e.indexOf(':');
    if (at < 0) return e;
    const path = e.slice(0, at);
    return `${path}:${podmanTmpfs({ [path]: e.slice(at + 1) })[path]}`;
  });
  if (!o.baseFile && svc['read_only'] === true) {
    const targets = [...entries.map((e) => e.split(':')[0] ?? ''), ...volumeTargets(svc['volumes'])];
    const under = (d: string, dir: string) => d === dir || d.startsWith(`${dir}/`);
    for (const dir of PODMAN_READ_ONLY_TMPFS) if (!targets.some((t) => under(t, dir) || under(dir, t))) tmpfs.push(`${dir}:ro`);
  }
  if (tmpfs.length > 0) svc['tmpfs'] = tmpfs;
  return toYaml(doc);
}

function volumeTargets(v: unknown): string[] {
  if (!Array.isArray(v)) return [];
  return v.map((x) => (typeof x === 'string' ? (x.split(':')[1] ?? x) : String((x as { target?: unknown }).target ?? '')));
}
