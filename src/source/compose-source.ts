import { RoProfileError } from '../errors.js';
import type { PassThroughFlags } from '../model/run-spec.js';

/**
 * One service of a compose file, as `docker-compose config` normalized it (variables
 * interpolated, env_file merged into environment, relative paths made absolute), mapped to our
 * pass-through run options. Pure: the caller reads the file through compose and names the
 * project whose volumes and network the run uses.
 */

/** The parts of a normalized compose file we read; everything else is left to compose. */
export interface ComposeDoc {
  readonly services?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly volumes?: Readonly<Record<string, Readonly<Record<string, unknown>> | null>>;
  readonly networks?: Readonly<Record<string, Readonly<Record<string, unknown>> | null>>;
  readonly secrets?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  readonly configs?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface ComposeBuild {
  readonly context: string;
  readonly dockerfile?: string;
}

export interface ComposeServiceSource {
  readonly service: string;
  /** The image as the file names it; absent when the service is only built. */
  readonly image?: string;
  readonly build?: ComposeBuild;
  /**
   * The run options of the profiling run: `env` entries are NAME=VALUE (the values are secrets
   * from here on), named volumes are the project's (`volumeName`), tmpfs entries are --mount.
   */
  readonly flags: Omit<PassThroughFlags, 'image'>;
  /** The mounts as the user's own run names them (the file's volume names); no values of variables. */
  readonly userFlags: Pick<PassThroughFlags, 'volume' | 'mount'>;
  /** Every service it depends on, transitively, dependencies first. */
  readonly dependencies: readonly string[];
  /** Names of the secrets and configs it mounts (never their contents). */
  readonly secretNames: readonly string[];
  readonly configNames: readonly string[];
  /** Keys the mapping could not carry into the run, said as a warning. */
  readonly ignored: readonly string[];
}

export interface ComposeSourceOptions {
  /** --service; required when the file has more than one. */
  readonly service?: string | undefined;
  /** A named volume of the file as the engine knows it in the run's project. */
  readonly volumeName: (key: string, declared: Readonly<Record<string, unknown>> | undefined) => string;
  /** The network the profiled container joins (the project's, where its dependencies are). */
  readonly network?: string;
}

/** Keys mapped to the run, or that do not change what the app writes (the base file keeps them). */
const CARRIED = new Set(['image', 'build', 'environment', 'env_file', 'entrypoint', 'command', 'user', 'volumes', 'tmpfs', 'ports', 'expose', 'depends_on', 'secrets', 'configs', 'networks', 'container_name', 'labels', 'restart', 'read_only', 'security_opt', 'cap_drop', 'cap_add', 'mem_limit', 'pids_limit', 'cpus', 'deploy', 'logging', 'stop_signal', 'stop_grace_period']);

export function composeServiceSource(doc: ComposeDoc, o: ComposeSourceOptions): ComposeServiceSource {
  const services = doc.services ?? {};
  const names = Object.keys(services).sort();
  const service = pickService(names, o.service);
  const svc = services[service]!;
  const image = typeof svc['image'] === 'string' ? svc['image'] : undefined;
  const build = buildOf(service, svc['build']);
  if (image === undefined && build === undefined) {
    throw new RoProfileError('USAGE', `the compose service "${service}" has neither "image" nor "build"`, { hint: 'Give the service an image or a build context.' });
  }
  const env = environmentOf(service, svc['environment']);
  const [entrypoint, command] = processOf(service, svc['entrypoint'], svc['command']);
  const volumes = listOf(service, 'volumes', svc['volumes']);
  const mounts: string[] = [];
  const userMounts: string[] = [];
  const runVolumes: string[] = [];
  const userVolumes: string[] = [];
  for (const v of volumes) {
    if (typeof v === 'string') {
      const [src, ...rest] = v.split(':');
      if (rest.length > 0 && src && isVolumeName(src)) {
        runVolumes.push([o.volumeName(src, declared(doc.volumes, src)), ...rest].join(':'));
        userVolumes.push(v);
      } else {
        runVolumes.push(v);
        userVolumes.push(v);
      }
      continue;
    }
    const m = longVolume(service, v);
    const isNamed = m.type === 'volume' && m.source !== undefined;
    mounts.push(mountFlag({ ...m, ...(isNamed ? { source: o.volumeName(m.source!, declared(doc.volumes, m.source!)) } : {}) }));
    userMounts.push(mountFlag(m));
  }
  for (const t of listOf(service, 'tmpfs', typeof svc['tmpfs'] === 'string' ? [svc['tmpfs']] : svc['tmpfs'])) {
    // Options after the path (size=…) are the base file's; the profiling run needs only the place.
    const target = String(t).split(':')[0]!;
    mounts.push(`type=tmpfs,target=${target}`);
    userMounts.push(`type=tmpfs,target=${target}`);
  }
  // File-backed secrets and configs: read-only binds where compose puts them (their contents are never read here).
  for (const [key, dir] of [['secrets', '/run/secrets/'], ['configs', '/']] as const) {
    for (const ref of refsOf(service, key, svc[key])) {
      const file = (key === 'secrets' ? doc.secrets : doc.configs)?.[ref.source]?.['file'];
      if (typeof file !== 'string') continue;
      const target = ref.target?.startsWith('/') ? ref.target : `${dir}${ref.target ?? ref.source}`;
      const flag = mountFlag({ type: 'bind', source: file, target, readOnly: true });
      mounts.push(flag);
      userMounts.push(flag);
    }
  }
  // The exercise probes the container side of each (and the image's EXPOSE), as for -p.
  const publish = portsOf(service, svc['ports']);
  const user = svc['user'] === undefined ? undefined : String(svc['user']);
  const common = {
    env,
    // compose merged each env_file into `environment` already: repeating the file would double them.
    envFile: [] as string[],
    ...(user !== undefined ? { user } : {}),
    ...(entrypoint !== undefined ? { entrypoint } : {}),
    publish,
    command,
  };
  const ignored = Object.keys(svc).filter((k) => !CARRIED.has(k)).sort();
  return {
    service,
    ...(image !== undefined ? { image } : {}),
    ...(build !== undefined ? { build } : {}),
    flags: { ...common, volume: runVolumes, mount: mounts, ...(o.network !== undefined ? { network: o.network } : {}) },
    userFlags: { volume: userVolumes, mount: userMounts },
    dependencies: dependencyOrder(services, service),
    secretNames: namesOf(service, 'secrets', svc['secrets']),
    configNames: namesOf(service, 'configs', svc['configs']),
    ignored,
  };
}

function pickService(names: readonly string[], wanted: string | undefined): string {
  if (names.length === 0) throw new RoProfileError('USAGE', 'the compose file defines no services', { hint: 'Check the file; `docker-compose -f FILE config` shows what compose reads.' });
  if (wanted === undefined) {
    if (names.length === 1) return names[0]!;
    throw new RoProfileError('USAGE', `the compose file defines ${names.length} services (${names.join(', ')}); say which one to profile`, { hint: `Add --service NAME, e.g. --service ${names[0]!}.` });
  }
  if (!names.includes(wanted)) {
    throw new RoProfileError('USAGE', `the compose file has no service "${wanted}"; it defines: ${names.join(', ')}`, { hint: 'Give one of these to --service.' });
  }
  return wanted;
}

function buildOf(service: string, b: unknown): ComposeBuild | undefined {
  if (b === undefined) return undefined;
  if (typeof b === 'string') return { context: b };
  if (b && typeof b === 'object' && typeof (b as Record<string, unknown>)['context'] === 'string') {
    const r = b as Record<string, unknown>;
    return { context: r['context'] as string, ...(typeof r['dockerfile'] === 'string' ? { dockerfile: r['dockerfile'] } : {}) };
  }
  throw new RoProfileError('USAGE', `the compose service "${service}" has a "build" without a context`, { hint: 'Give build a context directory.' });
}

/** `environment` as a map or a NAME=VALUE list; a name without a value (unset when compose read it) is left out, as compose does. */
function environmentOf(service: string, e: unknown): string[] {
  if (e === undefined || e === null) return [];
  const pairs: [string, string | undefined][] = Array.isArray(e)
    ? e.map((x) => {
        const s = String(x);
        const i = s.indexOf('=');
        return i < 0 ? [s, undefined] : [s.slice(0, i), s.slice(i + 1)];
      })
    : typeof e === 'object'
      ? Object.entries(e as Record<string, unknown>).map(([k, v]) => [k, v === null || v === undefined ? undefined : String(v)])
      : invalid(service, 'environment');
  return pairs.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${v!}`);
}

/**
 * docker's --entrypoint is one program: a compose entrypoint list's first item is it, the rest go
 * before the command (as compose hands the engine the list and the command after it).
 */
function processOf(service: string, entrypoint: unknown, command: unknown): [string | undefined, string[]] {
  const ep = entrypoint === undefined || entrypoint === null ? undefined : words(service, 'entrypoint', entrypoint);
  const cmd = command === undefined || command === null ? [] : words(service, 'command', command);
  if (ep === undefined) return [undefined, cmd];
  if (ep.length === 0) return ['', cmd];
  return [ep[0], [...ep.slice(1), ...cmd]];
}

function words(service: string, key: string, v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (typeof v === 'string') return shellSplit(v);
  return invalid(service, key);
}

/** Splits a command string the way compose 1.29 does (Python's shlex, POSIX mode). */
export function shellSplit(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else cur += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < s.length && '\\"$`'.includes(s[i + 1]!)) cur += s[++i];
      else cur += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      has = true;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has || cur !== '') out.push(cur);
      cur = '';
      has = false;
    } else cur += c;
  }
  if (quote !== undefined) throw new RoProfileError('USAGE', `the command "${s}" has an unclosed quote`, { hint: 'Close the quote, or write the command as a list.' });
  if (has || cur !== '') out.push(cur);
  return out;
}

function listOf(service: string, key: string, v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v;
  return invalid(service, key);
}

function declared(volumes: ComposeDoc['volumes'], key: string): Readonly<Record<string, unknown>> | undefined {
  return volumes?.[key] ?? undefined;
}

function isVolumeName(src: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(src);
}

interface LongMount {
  readonly type: string;
  readonly source?: string;
  readonly target: string;
  readonly readOnly: boolean;
}

function longVolume(service: string, v: unknown): LongMount {
  if (!v || typeof v !== 'object') return invalid(service, 'volumes');
  const r = v as Record<string, unknown>;
  if (typeof r['target'] !== 'string') return invalid(service, 'volumes');
  return {
    type: typeof r['type'] === 'string' ? r['type'] : 'volume',
    ...(typeof r['source'] === 'string' ? { source: r['source'] } : {}),
    target: r['target'],
    readOnly: r['read_only'] === true,
  };
}

function mountFlag(m: LongMount): string {
  return [`type=${m.type}`, ...(m.source !== undefined ? [`source=${m.source}`] : []), `target=${m.target}`, ...(m.readOnly ? ['readonly'] : [])].join(',');
}

/** `ports` in the short or the long syntax, as -p values. */
function portsOf(service: string, v: unknown): string[] {
  const publish: string[] = [];
  for (const p of listOf(service, 'ports', v)) {
    if (p && typeof p === 'object') {
      const r = p as Record<string, unknown>;
      const target = Number(r['target']);
      if (!Number.isInteger(target)) return invalid(service, 'ports');
      const proto = typeof r['protocol'] === 'string' && r['protocol'] !== 'tcp' ? `/${r['protocol']}` : '';
      const host = r['published'] !== undefined ? `${typeof r['host_ip'] === 'string' ? `${r['host_ip']}:` : ''}${String(r['published'])}:` : '';
      publish.push(`${host}${target}${proto}`);
    } else publish.push(String(p));
  }
  return publish;
}

/**
 * The services `service` depends on, transitively, each after its own dependencies; a cycle
 * is a usage error naming it (compose would refuse to start it).
 */
export function dependencyOrder(services: Readonly<Record<string, Readonly<Record<string, unknown>>>>, service: string): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const visit = (name: string, path: readonly string[]) => {
    if (done.has(name)) return;
    if (path.includes(name)) {
      throw new RoProfileError('USAGE', `the compose services depend on each other in a cycle: ${[...path.slice(path.indexOf(name)), name].join(' -> ')}`, { hint: 'Remove one of these depends_on entries.' });
    }
    const svc = services[name];
    if (!svc) throw new RoProfileError('USAGE', `the compose service "${path.at(-1) ?? service}" depends on "${name}", which the file does not define`, { hint: 'Define that service, or drop it from depends_on.' });
    for (const dep of dependsOn(svc['depends_on']).sort()) visit(dep, [...path, name]);
    done.add(name);
    if (name !== service) order.push(name);
  };
  visit(service, []);
  return order;
}

function dependsOn(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String);
  if (v && typeof v === 'object') return Object.keys(v);
  return [];
}

function refsOf(service: string, key: string, v: unknown): { source: string; target?: string }[] {
  return listOf(service, key, v).map((x) => {
    if (typeof x === 'string') return { source: x };
    const r = x && typeof x === 'object' ? (x as Record<string, unknown>) : undefined;
    if (!r || typeof r['source'] !== 'string') return invalid(service, key);
    return { source: r['source'], ...(typeof r['target'] === 'string' ? { target: r['target'] } : {}) };
  });
}

function namesOf(service: string, key: string, v: unknown): string[] {
  return refsOf(service, key, v).map((r) => r.source);
}

function invalid(service: string, key: string): never {
  throw new RoProfileError('USAGE', `the compose service "${service}" has a "${key}" that is not in a form compose writes`, { hint: 'Check it with `docker-compose -f FILE config`.' });
}
