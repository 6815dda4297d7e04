import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { buildRunSpec } from '../../../src/cli/passthrough.js';
import { SEED_IF_EMPTY_SCRIPT, SEED_SCRIPT, dnsLabel, emitK8s, noExpansion, type K8sOptions } from '../../../src/emit/k8s.js';
import type { ImageTools } from '../../../src/model/fs-facts.js';
import type { ImageFacts } from '../../../src/model/image-facts.js';
import type { Mount } from '../../../src/model/mount-plan.js';
import { parseResult } from '../../../src/model/parse-result.js';
import type { Result } from '../../../src/model/result.js';
import type { RunSpec } from '../../../src/model/run-spec.js';
import { envNameArb, wordArb } from '../../helpers/emit-arbitraries.js';
import { isDnsLabel, k8sProblems } from '../../helpers/k8s-api.js';
import { sampleResult } from '../../helpers/sample-result.js';
import { sampleImage, sampleMount, sampleRun } from '../../helpers/samples.js';
import { tmpDir } from '../../helpers/tmp.js';

const MiB = 1024 * 1024;
const NGINX = new URL('../../fixtures/results/nginx.json', import.meta.url);

type Obj = Record<string, any>;

/** A result of `example/app:1` (image user root unless told) with only the given run options and mounts. */
function result(o: { run?: Partial<Omit<RunSpec, 'exercise'>>; image?: Partial<ImageFacts>; mounts?: Mount[]; tools?: ImageTools } = {}): Result {
  const base = sampleResult();
  return { ...base, image: sampleImage(o.image), run: sampleRun(o.run), plan: { mounts: o.mounts ?? [] }, fs: { ...base.fs, ...(o.tools ? { tools: o.tools } : {}) } };
}

function emit(r: Result, o: Partial<K8sOptions> = {}): string {
  return emitK8s(r, { kind: 'pod', patch: false, memory: false, ...o });
}

/** The Pod's spec, read back. */
function podSpec(text: string): Obj {
  return (YAML.parse(text) as Obj)['spec'] as Obj;
}

/**
 * The comment lines (without "# ") right above the first line whose content, indentation aside,
 * starts with `line` (below the first line that starts with `after`, when given): what a reader
 * sees next to that field.
 */
function commentAbove(text: string, line: string, after?: string): string[] {
  const lines = text.split('\n');
  const from = after === undefined ? -1 : lines.findIndex((l) => l.trimStart().startsWith(after));
  const at = lines.findIndex((l, i) => i > from && l.trimStart().startsWith(line));
  if (at < 0 || (after !== undefined && from < 0)) throw new Error(`no line ${JSON.stringify(line)}${after !== undefined ? ` after ${JSON.stringify(after)}` : ''} in\n${text}`);
  const out: string[] = [];
  for (let i = at - 1; i >= 0 && /^\s*#/.test(lines[i]!); i--) out.unshift(lines[i]!.replace(/^\s*# ?/, ''));
  return out;
}

/**
 * The kubelet's expansion of command and args (k8s.io/kubernetes third_party/forked/golang/
 * expansion): `$(NAME)` is the variable's value when the container defines it, `$$` is `$`,
 * any other `$` stays. Ported for the test.
 */
function kubeletExpand(input: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    out += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    const close = rest.indexOf(')');
    if (rest[0] === '$') {
      out += '$';
    } else if (rest[0] === '(' && close > 0) {
      const name = rest.slice(1, close);
      out += Object.hasOwn(env, name) ? env[name] : `$(${name})`;
      cursor += close;
    } else {
      out += `$${rest[0]}`;
    }
    cursor += 1;
    checkpoint = cursor + 1;
  }
  return out + input.slice(checkpoint);
}

describe('emptyDir per scratch mount', () => {
  it.each([
    [64 * MiB, '64Mi'],
    [1, '1Mi'],
    [MiB, '1Mi'],
    [MiB + 1, '2Mi'],
    [1536 * MiB, '1536Mi'],
    [2 ** 40 + 5, `${2 ** 20 + 1}Mi`],
  ])('is on disk with sizeLimit ceil(%d bytes / Mi) = %s, and no medium', (sizeBytes, limit) => {
    const spec = podSpec(emit(result({ mounts: [sampleMount({ path: '/run', sizeBytes })] })));
    expect(spec['volumes']).toEqual([{ name: expect.any(String), emptyDir: { sizeLimit: limit } }]);
    expect(spec['containers'][0]['volumeMounts']).toEqual([{ name: spec['volumes'][0]['name'], mountPath: '/run' }]);
  });

  it('is medium: Memory with --k8s-memory, and says it counts against the memory limit', () => {
    const text = emit(result({ mounts: [sampleMount({ path: '/run' }), sampleMount({ path: '/etc/app', kind: 'seeded', volumeName: 'app-etc-app-123456' })] }), { memory: true });
    const spec = podSpec(text);
    for (const v of spec['volumes'] as Obj[]) expect(v['emptyDir']).toEqual({ medium: 'Memory', sizeLimit: '64Mi' });
    for (const v of spec['volumes'] as Obj[]) expect(commentAbove(text, `- name: "${v['name']}"`, 'volumes:')).toContain("medium: Memory counts against the container's memory limit: a full volume is an OOM kill");
  });

  it('says nothing about memory without --k8s-memory', () => {
    expect(emit(result({ mounts: [sampleMount()] }))).not.toMatch(/memory/i);
  });

  it('says what the mount was under Docker, and that an emptyDir survives a container restart', () => {
    const text = emit(result({ mounts: [sampleMount({ path: '/var/lib/redis', uid: 100, gid: 101, mode: 0o750 })] }));
    expect(commentAbove(text, '- name: "app-var-lib-redis-', 'volumes:')).toEqual([
      '/var/lib/redis: scratch space; under Docker: owner 100:101, mode 0750',
      'an emptyDir survives a container restart inside the pod: stale pid or lock files stay',
    ]);
  });

  it.each([
    [0o1777, true],
    [0o1770, true],
    [0o777, false],
    [0o755, false],
    [0o2775, false],
  ])('with mode %o: a sticky-bit comment %s', (mode, sticky) => {
    const text = emit(result({ mounts: [sampleMount({ path: '/tmp', mode })] }));
    const comment = commentAbove(text, '- name: "app-tmp-', 'volumes:');
    const line = `the image has mode ${mode.toString(8).padStart(4, '0')} here; an emptyDir is 0777 without the sticky bit (some runtimes refuse such a temp directory)`;
    if (sticky) expect(comment).toContain(line);
    else expect(comment.join('\n')).not.toMatch(/sticky/);
  });

  it.each([true, false])('with exec %s: the exec comment only where Docker needed the exec option', (exec) => {
    const text = emit(result({ mounts: [sampleMount({ path: '/srv/bin', exec })] }));
    const comment = commentAbove(text, '- name: "app-srv-bin-', 'volumes:');
    const line = 'the app executes files it writes here: an emptyDir allows exec (Docker needed the exec option)';
    if (exec) expect(comment).toContain(line);
    else expect(comment).not.toContain(line);
  });
});

describe('persistent mounts', () => {
  it('become a PersistentVolumeClaim named as the Docker volume, with a comment saying what to provide', () => {
    const text = emit(result({ mounts: [sampleMount({ path: '/var/lib/redis', kind: 'volume', volumeName: 'redis-var-lib-redis-a1b2c3' })] }));
    const spec = podSpec(text);
    expect(spec['volumes']).toEqual([{ name: 'redis-var-lib-redis-a1b2c3', persistentVolumeClaim: { claimName: 'redis-var-lib-redis-a1b2c3' } }]);
    expect(spec['containers'][0]['volumeMounts']).toEqual([{ name: 'redis-var-lib-redis-a1b2c3', mountPath: '/var/lib/redis' }]);
    expect(commentAbove(text, '- name: "redis-var-lib-redis-a1b2c3"', 'volumes:')).toEqual(['/var/lib/redis keeps data that must persist: provide a PersistentVolumeClaim named "redis-var-lib-redis-a1b2c3"']);
  });

  it('seed a claim where Docker would have filled the volume from the image, and say so', () => {
    const text = emit(result({ mounts: [sampleMount({ path: '/data', kind: 'volume', volumeName: 'app-data-123456', hides: ['seed.db'] })] }));
    expect(commentAbove(text, '- name: "app-data-123456"', 'volumes:')).toEqual([
      '/data keeps data that must persist: provide a PersistentVolumeClaim named "app-data-123456"',
      'Docker fills a new volume with what the image ships there and a claim starts empty: an init container copies it in while the claim is empty (its first start), never over data',
    ]);
    const spec = podSpec(text);
    expect(spec['initContainers']).toEqual([
      expect.objectContaining({ name: 'seed-0', command: ['sh', '-c', SEED_IF_EMPTY_SCRIPT, '/data'], volumeMounts: [{ name: 'app-data-123456', mountPath: '/ro-profile-seed' }] }),
    ]);
    expect(commentAbove(text, '- name: "seed-0"')).toEqual(['copies what the image ships into the claim before the app starts, while the claim is still empty']);
  });

  it('copy into a claim only while it is empty (a fresh filesystem\'s lost+found aside), never over data', () => {
    using tmp = tmpDir();
    const shipped = join(tmp.path, 'shipped');
    mkdirSync(shipped);
    writeFileSync(join(shipped, 'schema.sql'), 'create table t(x);\n');
    const run = (claim: string) => {
      const script = SEED_IF_EMPTY_SCRIPT.replaceAll('/ro-profile-seed', claim);
      const r = spawnSync('sh', ['-c', script, shipped], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      return readdirSync(claim).sort();
    };
    const fresh = join(tmp.path, 'fresh');
    mkdirSync(join(fresh, 'lost+found'), { recursive: true });
    expect(run(fresh)).toEqual(['lost+found', 'schema.sql']);
    // The app's data since: a second start copies nothing over it.
    writeFileSync(join(fresh, 'schema.sql'), 'changed by the app');
    writeFileSync(join(fresh, 'app.db'), 'data');
    expect(run(fresh)).toEqual(['app.db', 'lost+found', 'schema.sql']);
    expect(readFileSync(join(fresh, 'schema.sql'), 'utf8')).toBe('changed by the app');
    const dotted = join(tmp.path, 'dotted');
    mkdirSync(dotted);
    writeFileSync(join(dotted, '.initialized'), '');
    expect(run(dotted)).toEqual(['.initialized']);
  });

  it('cover the declared VOLUME the app wrote into (busybox-volume): an explicit claim on /data', () => {
    const r = parseResult(readFileSync(new URL('../../fixtures/results/busybox-volume.json', import.meta.url), 'utf8'), 'busybox-volume.json');
    const data = r.plan.mounts.find((m) => m.path === '/data')!;
    expect(data.kind).toBe('volume');
    const spec = podSpec(emit(r));
    expect(spec['containers'][0]['volumeMounts']).toContainEqual({ name: data.volumeName, mountPath: '/data' });
    expect(spec['volumes']).toContainEqual({ name: data.volumeName, persistentVolumeClaim: { claimName: data.volumeName } });
  });

  it('share one claim when two paths use one Docker volume, as Docker shares it', () => {
    const text = emit(result({ mounts: [sampleMount({ path: '/a', kind: 'volume', volumeName: 'shared' }), sampleMount({ path: '/b', kind: 'volume', volumeName: 'shared' })] }));
    const spec = podSpec(text);
    expect(spec['volumes']).toEqual([{ name: 'shared', persistentVolumeClaim: { claimName: 'shared' } }]);
    expect(spec['containers'][0]['volumeMounts']).toEqual([
      { name: 'shared', mountPath: '/a' },
      { name: 'shared', mountPath: '/b' },
    ]);
    expect(commentAbove(text, '- name: "shared"', 'volumes:')).toContain('also mounted on /b (the same named volume under Docker)');
  });
});

describe('volume names', () => {
  it('are DNS-1123 labels, distinct even where Docker names differ only in what a label cannot hold', () => {
    const mounts = [
      sampleMount({ path: '/a', kind: 'seeded', volumeName: 'cache_dir' }),
      sampleMount({ path: '/b', kind: 'seeded', volumeName: 'cache-dir' }),
      sampleMount({ path: '/c', kind: 'volume', volumeName: 'cache.dir' }),
      sampleMount({ path: '/d', kind: 'volume', volumeName: 'Cache-Dir' }),
    ];
    const text = emit(result({ mounts }));
    const spec = podSpec(text);
    expect((spec['volumes'] as Obj[]).map((v) => v['name'])).toEqual(['cache-dir', 'cache-dir-2', 'cache-dir-3']);
    // cache.dir and Cache-Dir are one claim name to Kubernetes: one claim, mounted twice.
    expect(spec['containers'][0]['volumeMounts']).toEqual([
      { name: 'cache-dir', mountPath: '/a' },
      { name: 'cache-dir-2', mountPath: '/b' },
      { name: 'cache-dir-3', mountPath: '/c' },
      { name: 'cache-dir-3', mountPath: '/d' },
    ]);
    expect(k8sProblems(YAML.parse(text))).toEqual([]);
  });

  it('stay within 63 characters when a suffix is needed', () => {
    const long = `v${'x'.repeat(62)}`;
    const spec = podSpec(emit(result({ mounts: [sampleMount({ path: '/a', kind: 'seeded', volumeName: long }), sampleMount({ path: '/b', kind: 'seeded', volumeName: long })] })));
    const names = (spec['volumes'] as Obj[]).map((v) => v['name'] as string);
    expect(names).toEqual([long, `${long.slice(0, 61)}-2`]);
    for (const n of names) expect(isDnsLabel(n)).toBe(true);
  });
});

describe('seeding', () => {
  const seeded = sampleMount({ path: '/etc/app', kind: 'seeded', volumeName: 'app-etc-app-582062', uid: 1000, gid: 1000 });

  it('copies what the image ships into the emptyDir with an init container from the same image', () => {
    const text = emit(result({ run: { image: 'registry.example.com/team/app:2.1' }, mounts: [seeded], tools: { sh: true, cp: true } }));
    const spec = podSpec(text);
    expect(spec['initContainers']).toEqual([
      {
        name: 'seed-0',
        image: 'registry.example.com/team/app:2.1',
        command: ['sh', '-c', SEED_SCRIPT, '/etc/app'],
        securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
        volumeMounts: [{ name: 'app-etc-app-582062', mountPath: '/ro-profile-seed' }],
      },
    ]);
    expect(spec['volumes']).toEqual([{ name: 'app-etc-app-582062', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(spec['containers'][0]['volumeMounts']).toEqual([{ name: 'app-etc-app-582062', mountPath: '/etc/app' }]);
    expect(commentAbove(text, '- name: "seed-0"')).toEqual(['copies what the image ships into the emptyDir before the app starts']);
    expect(commentAbove(text, '- name: "app-etc-app-582062"', 'volumes:')[0]).toBe('/etc/app: seeded from the image by an init container; under Docker: owner 1000:1000, mode 0755');
  });

  it('numbers one init container per seeded mount', () => {
    const spec = podSpec(emit(result({ mounts: [seeded, sampleMount({ path: '/run' }), { ...seeded, path: '/srv/www', volumeName: 'app-srv-www-1' }] })));
    expect((spec['initContainers'] as Obj[]).map((c) => [c['name'], c['command'][3], c['volumeMounts'][0]['name']])).toEqual([
      ['seed-0', '/etc/app', 'app-etc-app-582062'],
      ['seed-1', '/srv/www', 'app-srv-www-1'],
    ]);
  });

  it('names the init container apart from an app container called seed-0', () => {
    const spec = podSpec(emit(result({ run: { image: 'seed-0:1' }, mounts: [seeded] })));
    expect(spec['containers'][0]['name']).toBe('seed-0');
    expect(spec['initContainers'][0]['name']).toBe('ro-profile-seed-0');
  });

  it.each([
    [{ sh: false, cp: true }, 'shell'],
    [{ sh: true, cp: false }, 'cp'],
    [{ sh: false, cp: false }, 'shell'],
  ])('refuses with EMIT_FAILED and the alternative when the image has %j', (tools, missing) => {
    expect(() => emit(result({ run: { image: 'example/static:1' }, mounts: [seeded], tools }))).toThrow(
      expect.objectContaining({
        code: 'EMIT_FAILED',
        message: `the emptyDir on /etc/app must be seeded with what the image ships there, and "example/static:1" has no ${missing} to copy it`,
        hint: 'Copy it with an init container from a small tool image that mounts this image as an image volume (Kubernetes 1.31+), or bake a copy into a ConfigMap.',
      }),
    );
  });

  it('needs no tools where nothing is seeded, and takes a result saved before tools were recorded', () => {
    expect(() => emit(result({ mounts: [sampleMount(), sampleMount({ path: '/d', kind: 'volume', volumeName: 'd' })], tools: { sh: false, cp: false } }))).not.toThrow();
    expect(podSpec(emit(result({ mounts: [seeded] })))['initContainers']).toHaveLength(1);
  });

  it('copies every entry, dotfiles, links and modes included, from a path that holds quotes, spaces and $', () => {
    using tmp = tmpDir();
    // The shipped directory, at a path a shell would misread unquoted.
    const shipped = join(tmp.path, `a b"'$(x)$$ $HOME`);
    mkdirSync(join(shipped, 'sub'), { recursive: true });
    writeFileSync(join(shipped, 'app.conf'), 'listen 8080\n', { mode: 0o640 });
    writeFileSync(join(shipped, '.hidden'), 'h');
    writeFileSync(join(shipped, 'sub', 'x'), 'x');
    symlinkSync('app.conf', join(shipped, 'link'));
    const into = join(tmp.path, 'emptydir');
    mkdirSync(into);
    const spec = podSpec(emit(result({ mounts: [{ ...seeded, path: shipped }] })));
    const [cmd, ...args] = (spec['initContainers'][0]['command'] as string[]).map((w) => kubeletExpand(w, {}));
    expect(args[1]).toBe(SEED_SCRIPT);
    // The emptyDir is mounted on /ro-profile-seed in the init container; here it is a directory of ours.
    const r = spawnSync(cmd!, [args[0]!, args[1]!.replace('/ro-profile-seed/', `${into}/`), ...args.slice(2)], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readdirSync(into).sort()).toEqual(['.hidden', 'app.conf', 'link', 'sub']);
    expect(readFileSync(join(into, 'app.conf'), 'utf8')).toBe('listen 8080\n');
    expect(lstatSync(join(into, 'app.conf')).mode & 0o777).toBe(0o640);
    expect(readlinkSync(join(into, 'link'))).toBe('app.conf');
    expect(readFileSync(join(into, 'sub', 'x'), 'utf8')).toBe('x');
  });
});

describe('ownership: fsGroup', () => {
  const owned = (gid: number, uid = gid) => sampleMount({ path: `/srv/g${gid}-${uid}`, uid, gid });

  it.each([
    ['', [owned(1000)], undefined],
    ['root', [owned(1000)], undefined],
    ['0', [owned(1000)], undefined],
    ['0:0', [owned(1000)], undefined],
    ['root:root', [owned(1000)], undefined],
    ['app', [owned(0)], undefined],
    ['app', [owned(1000)], 1000],
    ['1000', [owned(1000)], 1000],
    ['1000:1000', [owned(1000, 0)], 1000],
    ['app', [owned(33), owned(1000), owned(1000, 1001)], 1000],
    ['app', [owned(70), owned(33)], 33],
    ['app', [owned(2 ** 31), owned(5)], 5],
    ['app', [owned(2 ** 32 - 2)], undefined],
  ] as const)('image user %j with mount groups %j: fsGroup %s', (user, mounts, fsGroup) => {
    const spec = podSpec(emit(result({ image: { user }, mounts: [...mounts] })));
    expect(spec['securityContext']).toEqual(fsGroup === undefined ? undefined : { fsGroup });
  });

  it('says why, and when runAsUser would be needed, without setting one', () => {
    const text = emit(result({ image: { user: 'app' }, mounts: [owned(1000)] }));
    expect(commentAbove(text, 'securityContext:')).toEqual([
      'the app runs as app and must write mounts owned by group 1000: fsGroup gives it that group on every volume. If your platform does not run the image as its own user, set runAsUser: 1000 too',
    ]);
    expect(text).not.toMatch(/^\s*runAsUser:/m);
  });

  it('leaves runAsUser out of the comment when the mount belongs to root (a group-writable directory)', () => {
    const text = emit(result({ image: { user: 'app' }, mounts: [owned(1000, 0)] }));
    expect(commentAbove(text, 'securityContext:')).toEqual(['the app runs as app and must write mounts owned by group 1000: fsGroup gives it that group on every volume']);
  });

  it('goes into the Deployment’s pod template and into the patch', () => {
    for (const o of [{ kind: 'deployment' as const }, { patch: true }]) {
      const doc = YAML.parse(emit(result({ image: { user: 'app' }, mounts: [owned(1000)] }), o)) as Obj;
      expect(doc['spec']['template']['spec']['securityContext']).toEqual({ fsGroup: 1000 });
    }
  });
});

describe('environment', () => {
  it('carries names only, once each, and says where values come from', () => {
    const text = emit(result({ run: { env: [{ name: 'DATABASE_PASSWORD' }, { name: 'TZ' }, { name: 'DATABASE_PASSWORD' }] } }));
    expect(podSpec(text)['containers'][0]['env']).toEqual([{ name: 'DATABASE_PASSWORD' }, { name: 'TZ' }]);
    expect(commentAbove(text, 'env:')).toEqual(['names only: give each a value or valueFrom (a Secret for secrets); ro-profile never writes values']);
  });

  it('has no env and no comment about it when no -e was given', () => {
    const text = emit(result());
    expect(podSpec(text)['containers'][0]['env']).toBeUndefined();
    expect(text).not.toMatch(/valueFrom/);
  });

  it('never carries a value given with -e NAME=VALUE, for any name and value', () => {
    const seed = Date.now() ^ Math.floor(Math.random() * 0x7fffffff);
    fc.assert(
      fc.property(fc.array(fc.tuple(envNameArb, wordArb), { minLength: 1, maxLength: 4 }), fc.constantFrom(false, true), (pairs, deployment) => {
        const env = pairs.map(([name, value], i) => `${name}=SECRET-${i}:${value}`);
        const { run, secrets } = buildRunSpec({ image: 'example/app:1', env, envFile: [], volume: [], mount: [], publish: [], command: [] }, sampleRun().exercise, {});
        const text = emit(result({ run: { env: run.env } }), { kind: deployment ? 'deployment' : 'pod' });
        const doc = YAML.parse(text) as Obj;
        const container = (deployment ? doc['spec']['template']['spec'] : doc['spec'])['containers'][0] as Obj;
        for (const e of container['env'] as Obj[]) expect(Object.keys(e)).toEqual(['name']);
        for (const value of secrets.values()) expect(text).not.toContain(value);
      }),
      { seed, numRuns: 100 },
    );
  });

  it('carries --env-file as an envFrom of a Secret the user creates from the file', () => {
    const text = emit(result({ run: { envFiles: ['./app.env', 'prod.env'] } }));
    expect(podSpec(text)['containers'][0]['envFrom']).toEqual([{ secretRef: { name: 'app-env' } }, { secretRef: { name: 'prod-env' } }]);
    expect(commentAbove(text, 'envFrom:')).toEqual([
      'a Secret per --env-file, which you create from the file (its values never leave it):',
      '--env-file ./app.env: kubectl create secret generic app-env --from-env-file=./app.env',
      '--env-file prod.env: kubectl create secret generic prod-env --from-env-file=prod.env',
    ]);
  });

  it('carries the user\'s own -v and --mount as volumes they name: a claim per named volume, a hostPath, emptyDirs', () => {
    const text = emit(result({ run: { volumes: ['data:/srv/data', '/etc/ssl/certs:/certs:ro', '/scratch'], mounts: ['type=volume,src=cache,dst=/cache', 'type=tmpfs,dst=/fast,tmpfs-size=16m'] } }));
    const spec = podSpec(text);
    expect(spec['volumes']).toEqual([
      { name: 'user-data', persistentVolumeClaim: { claimName: 'data' } },
      { name: 'user-etc-ssl-certs', hostPath: { path: '/etc/ssl/certs' } },
      { name: 'user-scratch', emptyDir: {} },
      { name: 'user-cache', persistentVolumeClaim: { claimName: 'cache' } },
      { name: 'user-fast', emptyDir: { medium: 'Memory', sizeLimit: '16Mi' } },
    ]);
    expect(spec['containers'][0]['volumeMounts']).toEqual([
      { name: 'user-data', mountPath: '/srv/data' },
      { name: 'user-etc-ssl-certs', mountPath: '/certs', readOnly: true },
      { name: 'user-scratch', mountPath: '/scratch' },
      { name: 'user-cache', mountPath: '/cache' },
      { name: 'user-fast', mountPath: '/fast' },
    ]);
    expect(commentAbove(text, '- name: "user-data"', 'volumes:')).toEqual(['your -v data:/srv/data: provide a PersistentVolumeClaim named "data" (Docker\'s volume of that name holds the data today)']);
    expect(commentAbove(text, '- name: "user-etc-ssl-certs"', 'volumes:')[0]).toMatch(/hostPath is this node's directory only/);
  });

  it('says what it cannot carry: a relative host path, a Docker network; --network host is hostNetwork', () => {
    const text = emit(result({ run: { volumes: ['./config:/etc/app:ro'], network: 'backend' } }));
    expect(podSpec(text)['volumes']).toBeUndefined();
    expect(commentAbove(text, 'securityContext:')).toEqual([
      'your -v ./config:/etc/app:ro names a host path relative to where docker runs; a kubelet has no such place: mount it from a ConfigMap, Secret or claim',
      '--network backend: a Pod has the cluster network, not Docker\'s; reach the other services by their Service names',
    ]);
    expect(podSpec(emit(result({ run: { network: 'host' } })))['hostNetwork']).toBe(true);
  });

  it('leaves the pass-through comments out of the patch, which does not touch env', () => {
    const text = emit(sampleResult(), { patch: true });
    expect(text).not.toMatch(/env-file|never writes values|your -v|your --mount|envFrom|hostNetwork/);
  });
});

describe('command and args', () => {
  const ROWS: readonly (readonly [name: string, run: Partial<Omit<RunSpec, 'exercise'>>, expected: Obj])[] = [
    ['nothing given: the image’s ENTRYPOINT and CMD', {}, {}],
    ['a command after --: args, the image’s ENTRYPOINT kept', { command: ['nginx', '-g', 'daemon off;'] }, { args: ['nginx', '-g', 'daemon off;'] }],
    ['--entrypoint: command, which drops the image’s CMD as Docker does', { entrypoint: '/bin/sh -c' }, { command: ['/bin/sh -c'] }],
    ['--entrypoint and a command: command and args', { entrypoint: '/entrypoint.sh', command: ['serve', '--port', '8080'] }, { command: ['/entrypoint.sh'], args: ['serve', '--port', '8080'] }],
    ['--entrypoint "": the image’s CMD as the command (an empty command is no command to Kubernetes)', { entrypoint: '' }, { command: ['/app'] }],
    ['--entrypoint "" and a command: that command', { entrypoint: '', command: ['/bin/busybox', 'httpd', '-f'] }, { command: ['/bin/busybox', 'httpd', '-f'] }],
    ['$$ and $( doubled, the kubelet would expand them', { entrypoint: 'sh', command: ['-c', 'echo $$ > /run/pid; echo $(date) $HOME $'] }, { command: ['sh'], args: ['-c', 'echo $$$ > /run/pid; echo $$(date) $HOME $'] }],
  ];

  it.each(ROWS)('%s', (_name, run, expected) => {
    const container = podSpec(emit(result({ run })))['containers'][0] as Obj;
    expect({ command: container['command'], args: container['args'] }).toEqual({ command: undefined, args: undefined, ...expected });
  });

  it('reach the process unchanged through the kubelet’s $(VAR) expansion, for any word', () => {
    const env = { HOME: '/root', X: 'expanded', A: 'a' };
    fc.assert(
      fc.property(fc.oneof(wordArb, fc.stringMatching(/^[$()A-Za-z ]{0,12}$/)), (word) => {
        expect(kubeletExpand(noExpansion(word), env)).toBe(word);
      }),
      { numRuns: 500 },
    );
    // The port itself: what it expands, so the property above means something.
    expect(kubeletExpand('$(X) $$ $(Y) $( $H $', env)).toBe('expanded $ $(Y) $( $H $');
  });

  it('keep the seed script as written and escape the path it is given', () => {
    const spec = podSpec(emit(result({ mounts: [sampleMount({ path: '/srv/$$/$(x)', kind: 'seeded', volumeName: 's' })] })));
    expect(spec['initContainers'][0]['command']).toEqual(['sh', '-c', SEED_SCRIPT, '/srv/$$$/$$(x)']);
  });
});

describe('ports', () => {
  it('come from the image’s TCP EXPOSE and the container side of -p, once each, sorted', () => {
    const r = result({
      image: { exposedPorts: [{ port: 8080, protocol: 'tcp' }, { port: 53, protocol: 'udp' }, { port: 80, protocol: 'tcp' }] },
      run: { publish: ['8443:443', '127.0.0.1:9000:9000/tcp', '5353:53/udp', '8000-8001:8000-8001', '[::1]:8081:80', '9090'] },
    });
    expect(podSpec(emit(r))['containers'][0]['ports']).toEqual([80, 443, 8080, 9000, 9090].map((containerPort) => ({ containerPort })));
  });

  it('are left out when there are none', () => {
    expect(podSpec(emit(result()))['containers'][0]['ports']).toBeUndefined();
  });
});

describe('names', () => {
  it.each([
    ['nginx', 'nginx'],
    ['My_App', 'my-app'],
    ['.hidden-', 'hidden'],
    ['a.b_c-d', 'a-b-c-d'],
    ['---', 'app'],
    ['', 'app'],
    ['café', 'caf'],
    ['日本', 'app'],
    ['0755', '0755'],
    [`a${'-'.repeat(61)}b`, `a${'-'.repeat(61)}b`],
    [`a${'-'.repeat(62)}b`, 'a'],
    ['x'.repeat(70), 'x'.repeat(63)],
  ])('dnsLabel(%j) is %j', (s, label) => {
    expect(dnsLabel(s)).toBe(label);
    expect(isDnsLabel(label)).toBe(true);
  });

  it('is always a DNS-1123 label', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => isDnsLabel(dnsLabel(s))));
  });

  it.each([
    ['registry.example.com:5000/Team/My_App.v2:1', undefined, 'my-app-v2'],
    ['ghcr.io/org/sub/tool@sha256:2222222222222222222222222222222222222222222222222222222222222222', undefined, 'tool'],
    ['localhost:5000/redis', undefined, 'redis'],
    ['example/app:1', '.Web_App', 'web-app'],
    ['example/app:1', 'on', 'on'],
  ])('names the workload, its container and its label from %s (--service %s): %s', (image, service, name) => {
    for (const kind of ['pod', 'deployment'] as const) {
      const doc = YAML.parse(emit(result({ run: { image } }), { kind, name: service })) as Obj;
      expect(doc['metadata']).toEqual({ name, labels: { app: name } });
      const spec = kind === 'pod' ? doc['spec'] : doc['spec']['template']['spec'];
      expect(spec['containers'][0]['name']).toBe(name);
      expect(spec['containers'][0]['image']).toBe(image);
    }
  });
});

describe('the manifest', () => {
  it('is a Pod by default and a one-replica Deployment whose selector is its template’s label with --k8s-kind deployment', () => {
    const pod = YAML.parse(emit(sampleResult())) as Obj;
    expect([pod['apiVersion'], pod['kind']]).toEqual(['v1', 'Pod']);
    const dep = YAML.parse(emit(sampleResult(), { kind: 'deployment' })) as Obj;
    expect([dep['apiVersion'], dep['kind']]).toEqual(['apps/v1', 'Deployment']);
    expect(dep['spec']['replicas']).toBe(1);
    expect(dep['spec']['selector']).toEqual({ matchLabels: { app: 'app' } });
    expect(dep['spec']['template']['metadata']).toEqual({ labels: { app: 'app' } });
    expect(dep['spec']['template']['spec']).toEqual(pod['spec']);
  });

  it('hardens the app container: readOnlyRootFilesystem true, allowPrivilegeEscalation false', () => {
    expect(podSpec(emit(result()))['containers'][0]['securityContext']).toEqual({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
  });

  it('has the same comments in the Deployment as in the Pod, at the same fields', () => {
    const r = parseResult(readFileSync(NGINX, 'utf8'), 'nginx.json');
    const comments = (t: string) => t.split('\n').filter((l) => l.trimStart().startsWith('#')).map((l) => l.trim());
    expect(comments(emit(r, { kind: 'deployment' }))).toEqual(comments(emit(r)));
    expect(comments(emit(r)).length).toBeGreaterThan(0);
  });

  it('is the same bytes every time, and from the result read back from its JSON', () => {
    const r = sampleResult();
    for (const o of [{}, { kind: 'deployment' as const }, { patch: true }, { memory: true }]) {
      const text = emit(r, o);
      expect(emit(sampleResult(), o)).toBe(text);
      expect(emit(JSON.parse(JSON.stringify(r)) as Result, o)).toBe(text);
    }
  });

  it('writes a value used twice twice: no YAML anchors or aliases', () => {
    const text = emit(result({ mounts: [sampleMount({ path: '/etc/app', kind: 'seeded', volumeName: 's' })] }), { kind: 'deployment' });
    expect(text).not.toMatch(/[&*][a-z]\w*\s*$|: [&*]\w/m);
    expect(text.match(/app: "app"/g)).toHaveLength(3);
    expect(text.match(/readOnlyRootFilesystem: true/g)).toHaveLength(2);
  });

  it('keeps a comment a comment whatever the path holds: line breaks and control characters are escaped', () => {
    const path = '/a\rb: x\u0085c\u2028d\u0001e\u001bf\ufeff';
    const text = emit(result({ mounts: [sampleMount({ path })] }));
    expect(commentAbove(text, '- name: "app-a-b-x-c-d-e-f-', 'volumes:')[0]).toBe('/a\\x0db: x\\x85c\\u2028d\\x01e\\x1bf\\ufeff: scratch space; under Docker: owner 0:0, mode 0755');
    expect(podSpec(text)['containers'][0]['volumeMounts'][0]['mountPath']).toBe(path);
    expect(text).not.toMatch(/[\r\u0085\u2028\u2029\u0001\u001b\ufeff]/);
  });
});

describe('emitK8s --user', () => {
  const POD: K8sOptions = { kind: 'pod', patch: false, memory: false };
  const container = (yaml: string) => (YAML.parse(yaml) as { spec: { containers: { securityContext: Record<string, unknown> }[] } }).spec.containers[0]!;

  it.each([
    ['1000', { runAsUser: 1000 }],
    ['1000:2000', { runAsUser: 1000, runAsGroup: 2000 }],
    ['0', { runAsUser: 0 }],
  ])('--user %s becomes numeric runAs ids', (user, ids) => {
    const sc = container(emitK8s(result({ run: { user } }), POD)).securityContext;
    expect(sc).toEqual({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, ...ids });
  });

  it('a user name cannot be a runAsUser: a comment says what to set', () => {
    const yaml = emitK8s(result({ run: { user: 'redis' } }), POD);
    expect(container(yaml).securityContext).toEqual({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(yaml).toContain('# Docker ran it as --user redis; Kubernetes takes numeric ids only');
  });
});
