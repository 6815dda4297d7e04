import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { RoProfileError } from '../errors.js';
import type { Mount } from '../model/mount-plan.js';
import type { Result } from '../model/result.js';
import type { LaunchSecrets, RunSpec } from '../model/run-spec.js';
import { WRITABLE, buildCreateSpec } from '../pipeline/launch-spec.js';
import { composeCommand, runCompose, uniqueProjectName, withoutComposeEnv, type ComposeRun } from '../runtime/compose-cli.js';
import { verifyComposeFile } from './compose-file.js';
import { composeForPodman } from './compose-podman.js';
import type { Launcher } from './launcher.js';
import { verifyVolumeName } from './verify-volume-name.js';
import type { RunContext } from './observe.js';
import { once } from './once.js';
import { gateVolumeName, installVerifyGate, withGate } from './traced-runs.js';

/**
 * The printed compose file, through docker-compose: `up --no-start` creates the app's container
 * (the caller starts, observes and restarts it through the engine, as for every format), on
 * volumes of verification's own, in a project of its own that `dispose` takes down.
 */
export const composeLauncher: Launcher = {
  format: 'compose',
  runtime: 'docker-compose',
  async version() {
    if (!composeCommand()) throw composeMissing();
    const r = await runCompose(['version', '--short'], { env: withoutComposeEnv(process.env), timeoutMs: 30_000 });
    if (r.code !== 0) throw composeMissing();
    return r.stdout.trim();
  },
  async launch(ctx, result, mounts, tag) {
    const { engine } = ctx;
    const gate = ctx.tracing ? gateVolumeName(ctx, tag) : undefined;
    const volumes = [...mounts.filter((m) => m.kind !== 'tmpfs').map((m) => verifyVolumeName(ctx, tag, m.path)), ...(gate !== undefined ? [gate] : [])];
    const project = await openProject(ctx, result, mounts, tag, gate);
    const release = project.release;
    let id: string | undefined;
    const dispose = once(async () => {
      const errors: unknown[] = [];
      const attempt = (fn: () => Promise<void>) => fn().catch((e: unknown) => void errors.push(e));
      // A forced removal takes the container's anonymous volumes too, which `down` would leave.
      if (id !== undefined) await attempt(() => engine.removeContainer(id!));
      else await attempt(async () => failed('rm', await project.run(['rm', '--stop', '--force', '-v', ...project.services])));
      // A project of the user's file holds the dependencies too: the run's scope takes it down after the last round.
      if (!ctx.composeBase) await attempt(() => project.down());
      for (const v of volumes) await attempt(() => engine.removeVolume(v));
      await rm(project.dir, { recursive: true, force: true });
      release();
      if (errors.length > 0) throw errors[0];
    });
    ctx.scope.add(`compose project ${project.name}`, dispose);
    try {
      for (const v of volumes) await engine.createVolume(v, ctx.labels);
      // --no-deps: a base file's dependencies run already (started once for the whole run).
      failed('up --no-start', await project.run(['up', '--no-start', ...(ctx.composeBase ? ['--no-deps', ...project.services] : [])], ctx.signal));
      id = await project.container();
      // Both read DOCKER_HOST; should they ever reach different engines, say so here.
      await engine.inspectContainer(id);
      if (gate !== undefined && ctx.tracing) await installVerifyGate(engine, id, ctx.tracing);
      return { id, gated: gate !== undefined, dispose };
    } catch (e) {
      await dispose().catch(() => undefined);
      throw e;
    }
  },
};

function composeMissing(): RoProfileError {
  return new RoProfileError('USAGE', '--verify-with compose needs docker-compose, which is not installed here', {
    hint: 'Install docker-compose (Debian: apt-get install docker-compose), or verify with --verify-with run.',
  });
}

interface Project {
  readonly name: string;
  readonly dir: string;
  /** Drops the dir from the scope's tracked paths once it is removed. */
  readonly release: () => void;
  /** The services `up` and `rm` name: all of the file's (ours), or the one profiled (a base file's). */
  readonly services: readonly string[];
  run(args: readonly string[], signal?: AbortSignal): Promise<ComposeRun>;
  /** The id of the service's one container. */
  container(): Promise<string>;
  /** Removes the project's containers and network; never the volumes (ours are external, the user's are theirs). */
  down(): Promise<void>;
}

/** The verification compose file in a temp dir of its own, and how to run compose on it. */
async function openProject(ctx: RunContext, result: Result, mounts: readonly Mount[], tag: string, gateVolume: string | undefined): Promise<Project> {
  // What the docker-run launcher would give the engine: the image by id, probe ports, limits.
  const base = buildCreateSpec({ image: ctx.image, run: result.run, secrets: ctx.secrets, labels: ctx.labels, limits: ctx.limits, hardening: WRITABLE, cwd: ctx.cwd });
  const gated = gateVolume !== undefined ? withGate(base, ctx.image, result.run, gateVolume) : undefined;
  const { text: asEmitted, service } = verifyComposeFile(result, {
    mounts,
    volumeFor: (m) => verifyVolumeName(ctx, tag, m.path),
    image: base.image,
    loopbackPorts: base.publishLoopback,
    labels: ctx.labels,
    ...(base.hostname !== undefined ? { hostname: base.hostname } : {}),
    memoryBytes: base.memoryBytes,
    pidsLimit: base.pidsLimit,
    // From --out DIR, as the user will run it: its relative paths named from there.
    ...(ctx.composeDir !== undefined ? { from: relative(ctx.composeDir, ctx.cwd).split(sep).join('/') || '.' } : {}),
    ...(ctx.composeBase ? { baseService: ctx.composeBase.service } : {}),
    ...(gateVolume !== undefined && gated ? { gate: { volume: gateVolume, entrypoint: gated.entrypoint ?? [], cmd: gated.cmd ?? [] } } : {}),
  });
  const baseFile = ctx.composeBase;
  const text = ctx.engineInfo.runtime === 'podman' ? composeForPodman(asEmitted, service, { baseFile: baseFile !== undefined }) : asEmitted;
  const env = composeEnv(process.env, result.run, ctx.secrets);
  const name = baseFile ? baseFile.project : uniqueProjectName(`ro-profile-verify-${tag}`);
  const dir = await mkdtemp(join(tmpdir(), 'ro-profile-compose-'));
  // Tracked at once: a second Ctrl-C while the files are written still finds the dir to remove.
  const release = ctx.scope.trackPath(dir);
  const file = join(dir, 'compose.yaml');
  // An empty --env-file: a .env where we run must not add variables.
  const envFile = join(dir, 'empty.env');
  try {
    await writeFile(file, text, { mode: 0o600 });
    await writeFile(envFile, '', { mode: 0o600 });
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    release();
    throw e;
  }
  // --project-directory: the user's relative -v sources and env_file paths are relative to where they run us.
  // A base file's are relative to its own directory, and its .env is read as when the user runs it.
  const files = baseFile ? [...baseFile.files, file].flatMap((f) => ['-f', f]) : ['-f', file, '--project-directory', ctx.composeDir ?? ctx.cwd, '--env-file', envFile];
  const run = (args: readonly string[], signal?: AbortSignal) => runCompose(['-p', name, ...files, ...args], { env, ...(signal ? { signal } : {}) });
  return {
    name,
    dir,
    release,
    services: baseFile ? [service] : [],
    run,
    async container() {
      const ps = await run(['ps', '-q', service], ctx.signal);
      failed('ps', ps);
      const ids = ps.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
      if (ids.length !== 1) throw new RoProfileError('INTERNAL', `docker-compose created ${ids.length} containers for the service "${service}", expected one`);
      return ids[0]!;
    },
    // Without -v: the user's named volumes in the file are theirs. -t 1: the caller stopped the app already.
    down: async () => failed('down', await run(['down', '--remove-orphans', '-t', '1'])),
  };
}

/** Variables docker-compose reads itself: an app variable of that name would configure compose too. */
const COMPOSE_OWN = /^(COMPOSE_|DOCKER_)/;

/**
 * docker-compose's environment: the file names variables only, and compose takes their values
 * from here, so the run's values go in (the ones the writable run had, and no others of the
 * same names from our own environment).
 */
export function composeEnv(processEnv: NodeJS.ProcessEnv, run: RunSpec, secrets: LaunchSecrets): Record<string, string> {
  const clash = [...secrets.keys()].filter((n) => COMPOSE_OWN.test(n));
  if (clash.length > 0) {
    throw new RoProfileError('USAGE', `--verify-with compose cannot pass ${clash.join(', ')} to the app: docker-compose reads ${clash.length > 1 ? 'these' : 'this'} itself`, {
      hint: 'Verify with --verify-with run, which gives the app its variables through the engine.',
    });
  }
  const env = withoutComposeEnv(processEnv);
  for (const e of run.env) delete env[e.name];
  for (const [name, value] of secrets) env[name] = value;
  return env;
}

function failed(what: string, r: ComposeRun): void {
  if (r.code === 0) return;
  const out = `${r.stderr}${r.stdout}`.trim().split('\n').slice(-15).join('\n');
  throw new RoProfileError('CONTAINER_FAILED', `docker-compose ${what} failed (exit ${String(r.code)}): ${out}`, {
    hint: 'Verification ran the printed compose file with volumes of its own, ports on 127.0.0.1 and limits; try `docker-compose config` on the printed one.',
  });
}
