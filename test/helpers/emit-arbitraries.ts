import fc from 'fast-check';
import type { Mount } from '../../src/model/mount-plan.js';
import type { Result } from '../../src/model/result.js';
import type { EnvRef, RunSpec } from '../../src/model/run-spec.js';
import { writeGoCsvRecord } from './go-csv.js';
import { sampleResult } from './sample-result.js';
import { sampleMount } from './samples.js';

const MiB = 1024 * 1024;

/** Characters that a shell, YAML, compose, Docker's -v/--tmpfs/--mount syntax or a terminal treat specially. */
export const SPECIAL_CHARS = [
  ' ', ':', ',', '=', '#', '$', "'", '"', '\\', '\n', '\t', '\r', '`', '*', '?', '~', '{', '}', '[', ']', '!', ';', '&', '|',
  '<', '>', '(', ')', '%', '@', '-', '.', '+', '^', 'a', 'Z', '0', '9', 'é', 'ß', '日本', '😀', '\u00a0', '\u0085',
  '\u2028', '\u2029', '\ufeff', '\u200b', '\u007f', '\u0001', '\u001b',
];

/** Whole words that YAML 1.1 readers or compose's interpolation would take for something else. */
export const TRAP_WORDS = [
  'on', 'off', 'yes', 'no', 'y', 'n', 'Y', 'N', 'true', 'False', 'ON', 'null', 'Null', '~', '0755', '0o755', '0x1F', '1e3',
  '22:22', '1_000', '.inf', '-.inf', '.NaN', '2001-01-01', '2001-12-14t21:59:43.10-05:00', '=', '<<', '- x', '#c', 'a: b',
  ' lead', 'trail ', '\ttab', '$HOME', '${X}', '$$', '$', '${X:-y}', '%', '@', '!tag', '&anchor', '*alias', '|', '>', '?',
  '---', '...', "'", '"', '',
];

const charString = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...SPECIAL_CHARS), minLength: min, maxLength: max });

/** Any string an argv or a YAML value can hold: full Unicode (well-formed), no NUL, biased towards the specials. */
export const wordArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
    { weight: 3, arbitrary: charString(0, 8) },
    { weight: 2, arbitrary: fc.constantFrom(...TRAP_WORDS) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 10 }) },
  )
  .map((s) => s.replace(/\0/g, ''));

/**
 * One component of a path Linux allows: any Unicode but NUL and "/", never "." or ".." (the
 * plan holds real, normalised paths). Non-UTF-8 byte names are outside what a JS string holds.
 */
export const segmentArb: fc.Arbitrary<string> = fc
  .oneof(
    { weight: 2, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) },
    { weight: 3, arbitrary: charString(1, 6) },
    // The characters that decide the syntax: -v/--tmpfs split at ":", --mount at "," and quotes, Go at CR LF.
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(':', ',', '"', '=', '\r', '\n', '$', ' ', 'a'), minLength: 1, maxLength: 5 }) },
    { weight: 1, arbitrary: fc.constantFrom(...TRAP_WORDS.filter((w) => w.length > 0)) },
    { weight: 1, arbitrary: fc.constantFrom('var', 'lib', 'run', 'tmp', 'app', 'data') },
  )
  .map((s) => s.replace(/[\0/]/g, '_'))
  .filter((s) => s !== '.' && s !== '..');

/** An absolute, normalised path inside the container (never "/" itself). */
export const pathArb: fc.Arbitrary<string> = fc.array(segmentArb, { minLength: 1, maxLength: 4 }).map((segs) => `/${segs.join('/')}`);

/** A name Docker accepts for a named volume ([a-zA-Z0-9][a-zA-Z0-9_.-]+), YAML traps included. */
export const volumeNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[a-zA-Z0-9][a-zA-Z0-9_.-]{1,24}$/),
  fc.constantFrom('on', 'off', 'yes', 'no', 'ON', 'Yes', 'null', 'true', 'False', '0755', '0o755', '0x1F', '1e3', '1_000', '2001-01-01', '12.5', 'NaN'),
);

/** A -e name, as buildRunSpec and the result schema allow; repeats allowed (the schema allows them). */
export const envNameArb: fc.Arbitrary<string> = fc.oneof(
  fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,12}$/),
  fc.constantFrom('on', 'yes', 'y', 'NO', 'True', 'null', 'TZ', 'A.B-C', '_'),
);

/** One image reference and the compose service name expected from it when --service is not given. */
export const IMAGES: readonly (readonly [image: string, service: string])[] = [
  ['example/app:1', 'app'],
  ['nginx', 'nginx'],
  ['ro-profile-fixture/nginx:latest', 'nginx'],
  ['registry.example.com:5000/team/api-server:2.1', 'api-server'],
  ['localhost:5000/redis', 'redis'],
  ['ghcr.io/org/sub/tool@sha256:2222222222222222222222222222222222222222222222222222222222222222', 'tool'],
  ['quay.io/x/y:1.0@sha256:3333333333333333333333333333333333333333333333333333333333333333', 'y'],
];

const SERVICE_NAMES = ['web', 'on', 'yes', 'null', '1e3', '0755', '.hidden', '-dash', 'a.b_c-d', 'Y'];

type Use = { readonly kind: 'plan'; readonly mount: Mount } | { readonly kind: 'volume'; readonly value: string } | { readonly kind: 'mount'; readonly value: string };

function planMountArb(path: string): fc.Arbitrary<Use> {
  const id = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4_294_967_294 }) });
  return fc
    .record({
      kind: fc.constantFrom('tmpfs', 'tmpfs', 'volume', 'seeded') as fc.Arbitrary<Mount['kind']>,
      volumeName: volumeNameArb,
      uid: id,
      gid: id,
      mode: fc.constantFrom(0o755, 0o1777, 0o700, 0o750, 0o2775, 0o777, 0o4755, 0),
      exec: fc.boolean(),
      sizeBytes: fc.oneof(fc.constantFrom(64 * MiB, MiB, 1024 * MiB), fc.integer({ min: 1, max: 2 ** 40 })),
    })
    .map(({ kind, volumeName, ...rest }) => ({ kind: 'plan' as const, mount: sampleMount({ path, kind, ...(kind === 'tmpfs' ? {} : { volumeName }), ...rest }) }));
}

/** A -v value the user gave: a named volume or an absolute host path, on a target without ":". */
function userVolumeArb(target: string): fc.Arbitrary<Use> {
  const source = fc.oneof(volumeNameArb, pathArb.filter((p) => !p.includes(':')));
  return fc.tuple(source, fc.constantFrom('', ':ro', ':rw')).map(([s, mode]) => ({ kind: 'volume' as const, value: `${s}:${target}${mode}` }));
}

const BOOL_SPELLINGS = ['readonly', 'ro', 'readonly=true', 'readonly=1', 'readonly=True', 'ro=TRUE', 'readonly=t', 'ro=T', 'readonly=false', 'ro=0', 'readonly=F', 'readonly=FALSE'];

/** A --mount value the user gave, written as Go's csv.Writer would quote it. */
function userMountArb(target: string): fc.Arbitrary<Use> {
  const common = {
    targetKey: fc.constantFrom('target', 'dst', 'destination'),
    readonly: fc.option(fc.constantFrom(...BOOL_SPELLINGS), { nil: undefined }),
  };
  const volume = fc.record({ ...common, explicitType: fc.boolean(), source: fc.option(volumeNameArb, { nil: undefined }), nocopy: fc.option(fc.constantFrom('volume-nocopy', 'volume-nocopy=true', 'volume-nocopy=false', 'volume-nocopy=1'), { nil: undefined }) }).map((r) => [
    ...(r.explicitType ? ['type=volume'] : []),
    ...(r.source !== undefined ? [`source=${r.source}`] : []),
    `${r.targetKey}=${target}`,
    ...(r.readonly !== undefined ? [r.readonly] : []),
    ...(r.nocopy !== undefined ? [r.nocopy] : []),
  ]);
  const bind = fc.record({ ...common, srcKey: fc.constantFrom('source', 'src'), source: pathArb }).map((r) => [
    'type=bind',
    `${r.srcKey}=${r.source}`,
    `${r.targetKey}=${target}`,
    ...(r.readonly !== undefined ? [r.readonly] : []),
  ]);
  const tmpfs = fc.record({ ...common, size: fc.option(fc.constantFrom('65536', '64m', '1g', '512k', '16M'), { nil: undefined }), mode: fc.option(fc.constantFrom('1770', '0700', '755'), { nil: undefined }) }).map((r) => [
    'type=tmpfs',
    `${r.targetKey}=${target}`,
    ...(r.size !== undefined ? [`tmpfs-size=${r.size}`] : []),
    ...(r.mode !== undefined ? [`tmpfs-mode=${r.mode}`] : []),
  ]);
  return fc.oneof(volume, bind, tmpfs).map((fields) => ({ kind: 'mount' as const, value: writeGoCsvRecord(fields) }));
}

function useArb(target: string): fc.Arbitrary<Use> {
  const user = target.includes(':') ? userMountArb(target) : fc.oneof(userVolumeArb(target), userMountArb(target));
  return fc.oneof({ weight: 3, arbitrary: planMountArb(target) }, { weight: 1, arbitrary: user });
}

/** A result to emit, with the --service given (if any) and the service name compose must use. */
export interface EmitCase {
  readonly result: Result;
  readonly service: string | undefined;
  readonly expectedService: string;
}

const runArb = fc.record({
  image: fc.constantFrom(...IMAGES),
  env: fc.array(envNameArb, { maxLength: 4 }),
  envFiles: fc.array(wordArb, { maxLength: 2 }),
  user: fc.option(wordArb, { nil: undefined }),
  entrypoint: fc.option(fc.oneof(fc.constant(''), wordArb), { nil: undefined }),
  command: fc.array(wordArb, { maxLength: 4 }),
  publish: fc.uniqueArray(fc.constantFrom('8080:80', '127.0.0.1:8443:443/tcp', '53:53/udp', '9000', '[::1]:8081:81', '2222:22'), { maxLength: 3 }),
  network: fc.option(fc.oneof(fc.constantFrom('bridge', 'host', 'none', 'on', 'container:db'), wordArb), { nil: undefined }),
  service: fc.option(fc.constantFrom(...SERVICE_NAMES), { nil: undefined }),
});

/**
 * A complete result (test/helpers/sample-result.ts) whose mount plan and pass-through options sit
 * on generated paths and hold generated words. All container targets are distinct, as Docker
 * needs (a duplicate mount point is refused).
 */
export const emitCaseArb: fc.Arbitrary<EmitCase> = fc
  .uniqueArray(pathArb, { minLength: 1, maxLength: 6 })
  .chain((targets) => fc.tuple(fc.tuple(...targets.map(useArb)), runArb))
  .map(([uses, r]) => {
    const base = sampleResult();
    const mounts = uses.flatMap((u) => (u.kind === 'plan' ? [u.mount] : []));
    const env: EnvRef[] = r.env.map((name) => ({ name }));
    const run: RunSpec = {
      ...base.run,
      image: r.image[0],
      env,
      envFiles: r.envFiles,
      command: r.command,
      volumes: uses.flatMap((u) => (u.kind === 'volume' ? [u.value] : [])),
      mounts: uses.flatMap((u) => (u.kind === 'mount' ? [u.value] : [])),
      publish: r.publish,
    };
    // exactOptionalPropertyTypes: an absent option is no key at all.
    const { user: _u, entrypoint: _e, network: _n, ...rest } = run;
    const result: Result = {
      ...base,
      image: { ...base.image, ref: r.image[0] },
      run: {
        ...rest,
        ...(r.user !== undefined ? { user: r.user } : {}),
        ...(r.entrypoint !== undefined ? { entrypoint: r.entrypoint } : {}),
        ...(r.network !== undefined ? { network: r.network } : {}),
      },
      plan: { mounts },
    };
    return { result, service: r.service, expectedService: r.service ?? r.image[1] };
  });
