import { parse } from 'yaml';
import { emitCompose, escapeInterpolation, serviceName } from '../emit/compose.js';
import { toYaml } from '../emit/yaml.js';
import type { Mount } from '../model/mount-plan.js';
import type { Result } from '../model/result.js';
import { GATE_DIR } from '../trace/gate.js';

export interface VerifyComposeOptions {
  /** The mounts of the plan to try. */
  readonly mounts: readonly Mount[];
  /** Verification's own volume for a volume or seeded mount (created beforehand, never the user's). */
  readonly volumeFor: (m: Mount) => string;
  /** The image by id: the very image the writable run ran. */
  readonly image: string;
  /** Container ports to publish on 127.0.0.1 with an engine-chosen host port. */
  readonly loopbackPorts: readonly number[];
  readonly labels: Readonly<Record<string, string>>;
  /** The hostname every run of the session has (so pages that print it compare equal). */
  readonly hostname?: string;
  readonly memoryBytes: number;
  readonly pidsLimit: number;
  /** Where the user ran ro-profile, relative to the compose file's directory (see ComposeOptions.from). */
  readonly from?: string;
  /**
   * The user's compose file is the base (--compose FILE): only the override of this service is
   * written, as printed (hardening only), and merged with the real file by `-f base -f override`.
   */
  readonly baseService?: string;
  /** A traced run: the command behind the tracer's gate, whose busybox is in a volume of its own. */
  readonly gate?: { readonly volume: string; readonly entrypoint: readonly string[]; readonly cmd: readonly string[] };
}

interface ComposeDoc {
  services: Record<string, Record<string, unknown>>;
  volumes?: Record<string, Record<string, unknown>>;
  networks?: Record<string, Record<string, unknown>>;
}

/**
 * The printed compose file, as verification runs it: emitted by the same emitter, with only what
 * keeps verification apart from the user's world changed. Pure.
 *
 * - The plan's volumes are verification's own, declared `external` (created and removed through
 *   the engine with our labels), so compose never creates nor removes them. The user's own named
 *   volumes stay as printed: compose creates a missing one, as `docker run -v` does.
 * - `ports`: the probe ports on 127.0.0.1 only (the probes use the container's IP on a local
 *   engine); the user's -p would listen on every interface, or clash with a port in use.
 * - The image by id, our labels on the container and its network (so `ro-profile gc` and the
 *   tests find them), and the memory and pids limits every run of untrusted code gets.
 */
export function verifyComposeFile(result: Result, o: VerifyComposeOptions): { readonly text: string; readonly service: string } {
  const service = o.baseService ?? serviceName(result.run.image);
  const ours = new Set<string>();
  const mounts = o.mounts.map((m) => {
    if (m.kind === 'tmpfs') return m;
    const volumeName = o.volumeFor(m);
    ours.add(volumeName);
    return { ...m, volumeName };
  });
  const run = { ...result.run, image: o.image, publish: o.loopbackPorts.map((p) => `127.0.0.1::${p}`) };
  const override = o.baseService !== undefined;
  const doc = parse(emitCompose({ ...result, run, plan: { mounts } }, { override, service, ...(o.from !== undefined && !override ? { from: o.from } : {}) })) as ComposeDoc;
  const svc = doc.services[service]!;
  // The very image the writable run ran (an override names none: the base's would be looked up again).
  if (override) svc['image'] = o.image;
  const labels = Object.fromEntries(Object.entries(o.labels).map(([k, v]) => [k, escapeInterpolation(v)]));
  // The printed file's own limits are what is verified; without them, the caps of untrusted code.
  Object.assign(svc, { labels, ...(svc['mem_limit'] === undefined ? { mem_limit: o.memoryBytes, pids_limit: o.pidsLimit } : {}), ...(o.hostname !== undefined && svc['network_mode'] === undefined ? { hostname: o.hostname } : {}) });
  if (o.gate) {
    svc['entrypoint'] = escapeInterpolation([...o.gate.entrypoint]);
    svc['command'] = escapeInterpolation([...o.gate.cmd]);
    svc['volumes'] = [...((svc['volumes'] as unknown[] | undefined) ?? []), { type: 'volume', source: o.gate.volume, target: GATE_DIR, volume: { nocopy: true } }];
    doc.volumes = { ...doc.volumes, [o.gate.volume]: { name: o.gate.volume } };
    ours.add(o.gate.volume);
  }
  for (const [key, v] of Object.entries(doc.volumes ?? {})) if (ours.has(String(v['name'] ?? key))) v['external'] = true;
  // The project's default network exists only when the service has no network_mode.
  if (svc['network_mode'] === undefined) doc.networks = { default: { labels } };
  return { text: toYaml(doc), service };
}
