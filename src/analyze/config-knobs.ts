import type { Mount } from '../model/mount-plan.js';

/**
 * Settings the image's programs already have that would make a writable mount unnecessary, or
 * move its writes into another one: a temp-dir variable, a server's temp-path directives, a
 * cache the runtime can be told not to write. The config does not use them (it was verified
 * without them); the report offers each as the alternative, with the writes that show it
 * applies. Each rule names only what the program documents, and fires only on the paths the
 * program itself is known to write, so an unrelated image never gets advice. Pure.
 */
export interface ConfigKnob {
  /** Stable id of the rule, for scripts and SARIF. */
  readonly id: string;
  /** The mount whose writes the knob decides. */
  readonly mount: string;
  /** The setting, as the user types it (`PYTHONDONTWRITEBYTECODE=1`, `client_body_temp_path`). */
  readonly knob: string;
  /** What to change and what it does. */
  readonly advice: string;
  /** True when every write the mount serves is one the knob decides: following it, the mount can go. */
  readonly dropsMount: boolean;
  /** The written paths the rule matched (at most MAX_EVIDENCE), and the image's own settings it read. */
  readonly evidence: readonly string[];
}

export interface KnobInput {
  readonly mounts: readonly Mount[];
  /** The image's environment (NAME=VALUE), public: it ships in the image. */
  readonly imageEnv: readonly string[];
}

const MAX_EVIDENCE = 5;

interface Rule {
  readonly id: string;
  readonly knob: (matched: readonly string[], env: ReadonlyMap<string, string>) => string;
  /** Whether a written path is one this knob decides. */
  readonly matches: (path: string, env: ReadonlyMap<string, string>) => boolean;
  readonly advice: (mount: Mount, matched: readonly string[], env: ReadonlyMap<string, string>) => string;
  /** Image settings that make the rule moot (the knob is already set). */
  readonly alreadySet?: (env: ReadonlyMap<string, string>) => boolean;
  /** Image settings the rule read, quoted as evidence. */
  readonly envEvidence?: (env: ReadonlyMap<string, string>) => readonly string[];
}

/** nginx's temp directories by the name its packages give them, and the directive that places each. */
const NGINX_TEMP: Readonly<Record<string, string>> = {
  body: 'client_body_temp_path',
  client_body_temp: 'client_body_temp_path',
  client_temp: 'client_body_temp_path',
  proxy: 'proxy_temp_path',
  proxy_temp: 'proxy_temp_path',
  fastcgi: 'fastcgi_temp_path',
  fastcgi_temp: 'fastcgi_temp_path',
  uwsgi: 'uwsgi_temp_path',
  uwsgi_temp: 'uwsgi_temp_path',
  scgi: 'scgi_temp_path',
  scgi_temp: 'scgi_temp_path',
};

/** The nginx temp directory a path is in (or is), when its parent is an nginx directory. */
function nginxTempDir(path: string): string | undefined {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const name = parts[i] ?? '';
    if (NGINX_TEMP[name] !== undefined && /nginx/.test(parts[i - 1] ?? '')) return name;
  }
  return undefined;
}

const TEMP_VARS = ['TMPDIR', 'TMP', 'TEMP', 'TEMPDIR'] as const;
const XDG: ReadonlyArray<readonly [string, string]> = [
  ['.cache', 'XDG_CACHE_HOME'],
  ['.config', 'XDG_CONFIG_HOME'],
  ['.local/share', 'XDG_DATA_HOME'],
  ['.local/state', 'XDG_STATE_HOME'],
];

const within = (path: string, dir: string) => path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`);

const RULES: readonly Rule[] = [
  {
    id: 'python-bytecode',
    knob: () => 'PYTHONDONTWRITEBYTECODE=1',
    matches: (p) => /(^|\/)__pycache__(\/|$)/.test(p) || /\.py[co]$/.test(p),
    alreadySet: (env) => (env.get('PYTHONDONTWRITEBYTECODE') ?? '') !== '',
    advice: (m) => {
      // The modules are in the directory holding __pycache__; compileall takes that directory.
      const dir = /\/__pycache__$/.test(m.path) ? m.path.slice(0, -'/__pycache__'.length) || '/' : m.path;
      return `Python writes bytecode caches (\`__pycache__/*.pyc\`) beside the modules it imports. With \`PYTHONDONTWRITEBYTECODE=1\` in the environment (\`-e PYTHONDONTWRITEBYTECODE=1\`, compose \`environment:\`, a Pod \`env:\` entry) it writes none; or compile them into the image at build time (\`RUN python -m compileall ${dir}\`) so there is nothing left to write.`;
    },
  },
  {
    id: 'java-perfdata',
    knob: () => 'JAVA_TOOL_OPTIONS=-XX:-UsePerfData',
    matches: (p) => /^\/tmp\/hsperfdata_[^/]+(\/|$)/.test(p),
    alreadySet: (env) => /-XX:-UsePerfData/.test(`${env.get('JAVA_TOOL_OPTIONS') ?? ''} ${env.get('JAVA_OPTS') ?? ''} ${env.get('JDK_JAVA_OPTIONS') ?? ''}`),
    advice: () =>
      'The JVM writes its performance counters to `/tmp/hsperfdata_<user>/<pid>` (read by jps and jstat). `-XX:-UsePerfData` (in `JAVA_TOOL_OPTIONS`, or the JVM options the image passes) turns that file off; jps and jstat then do not see the process.',
  },
  {
    id: 'nginx-temp-paths',
    knob: (matched) => [...new Set(matched.map((p) => NGINX_TEMP[nginxTempDir(p) ?? ''] ?? ''))].filter((d) => d !== '').sort().map((d) => `\`${d}\``).join(', '),
    matches: (p) => nginxTempDir(p) !== undefined,
    advice: (m) =>
      `nginx places its request and response buffers with the \`*_temp_path\` directives (http context of nginx.conf). Pointing them below a directory that is writable anyway (for example \`client_body_temp_path /tmp/client_body;\` with a tmpfs on /tmp) moves these writes there, and ${m.path} need not be writable.`,
  },
  {
    id: 'postgres-socket-dir',
    knob: () => 'unix_socket_directories',
    matches: (p) => /\/\.s\.PGSQL\.\d+(\.lock)?$/.test(p),
    advice: () =>
      "PostgreSQL creates its Unix socket and lock in `unix_socket_directories` (postgresql.conf, or `-c unix_socket_directories=DIR` on the command line). Set it to a directory that is writable anyway, or to `''` when clients only connect over TCP: then it creates no socket file at all.",
  },
  {
    id: 'mysql-tmpdir',
    knob: () => 'tmpdir',
    // InnoDB's and the server's own temp files: ib + 6 random characters, #sql…, ML… in the temp dir.
    matches: (p) => /^\/(tmp|var\/tmp)\/(ib[0-9A-Za-z]{6}|#sql[^/]*|ML[0-9A-Za-z]{6})$/.test(p),
    advice: () =>
      'The MySQL/MariaDB server puts its temporary files in `tmpdir` (my.cnf `[mysqld] tmpdir=DIR`, or `--tmpdir=DIR`). Pointing it at a directory that is writable anyway moves these files there.',
  },
  {
    id: 'image-temp-variable',
    knob: (_m, env) => TEMP_VARS.filter((v) => tempTarget(env, v) !== undefined).map((v) => `${v}=${env.get(v) ?? ''}`).join(', '),
    matches: (p, env) => TEMP_VARS.some((v) => {
      const dir = tempTarget(env, v);
      return dir !== undefined && within(p, dir);
    }),
    envEvidence: (env) => TEMP_VARS.filter((v) => tempTarget(env, v) !== undefined).map((v) => `image sets ${v}=${env.get(v) ?? ''}`),
    advice: (m, _matched, env) => {
      const vars = TEMP_VARS.filter((v) => tempTarget(env, v) !== undefined);
      return `The image points ${vars.map((v) => `\`${v}\``).join(', ')} at ${m.path === '/' ? 'it' : 'this directory'}, and programs put their temp files wherever that says. Setting ${vars.length > 1 ? 'them' : 'it'} to a directory that is writable anyway (\`-e ${vars[0] ?? 'TMPDIR'}=/tmp\` with a tmpfs on /tmp) moves these writes there.`;
    },
  },
  {
    id: 'xdg-base-dirs',
    knob: (matched, env) => [...new Set(matched.map((p) => xdgVar(p, env)).filter((v): v is string => v !== undefined))].sort().join(', '),
    matches: (p, env) => xdgVar(p, env) !== undefined,
    advice: (_m, matched, env) => {
      const vars = [...new Set(matched.map((p) => xdgVar(p, env)).filter((v): v is string => v !== undefined))].sort();
      return `These are the XDG base directories under the home directory. Programs that follow the XDG spec put them where ${vars.map((v) => `\`${v}\``).join(', ')} say${vars.length === 1 ? 's' : ''}: pointing ${vars.length === 1 ? 'it' : 'them'} at a directory that is writable anyway moves these writes there.`;
    },
  },
];

/** TMPDIR and friends as the image sets them, when they name a directory other than the usual temp dirs. */
function tempTarget(env: ReadonlyMap<string, string>, name: string): string | undefined {
  const v = env.get(name);
  if (v === undefined || !v.startsWith('/')) return undefined;
  const dir = v.length > 1 ? v.replace(/\/+$/, '') : v;
  return dir === '/tmp' || dir === '/var/tmp' ? undefined : dir;
}

/** The XDG variable that decides where a path under HOME goes, unless the image already sets it. */
function xdgVar(path: string, env: ReadonlyMap<string, string>): string | undefined {
  const home = env.get('HOME');
  if (home === undefined || !home.startsWith('/') || home === '/') return undefined;
  for (const [dir, name] of XDG) {
    if (within(path, `${home.replace(/\/+$/, '')}/${dir}`) && env.get(name) === undefined) return name;
  }
  return undefined;
}

function envMap(env: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of env) {
    const eq = line.indexOf('=');
    if (eq > 0) out.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return out;
}

/** The knobs that apply to the plan's mounts, in mount order then rule order. */
export function configKnobs(input: KnobInput): ConfigKnob[] {
  const env = envMap(input.imageEnv);
  const out: ConfigKnob[] = [];
  for (const m of input.mounts) {
    const written = m.covers.filter((p) => p !== m.path);
    for (const rule of RULES) {
      if (rule.alreadySet?.(env)) continue;
      const matched = written.filter((p) => rule.matches(p, env));
      if (matched.length === 0) continue;
      out.push({
        id: rule.id,
        mount: m.path,
        knob: rule.knob(matched, env),
        advice: rule.advice(m, matched, env),
        // Only what was seen counts: covers lists the first 100, so a mount serving more is not claimed.
        dropsMount: matched.length === written.length && m.coversCount <= m.covers.length,
        evidence: [...(rule.envEvidence?.(env) ?? []), ...matched.slice(0, MAX_EVIDENCE).map((p) => `written: ${p}`), ...(matched.length > MAX_EVIDENCE ? [`… and ${matched.length - MAX_EVIDENCE} more`] : [])],
      });
    }
  }
  return out;
}
