import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { RoProfileError } from '../errors.js';
import { escapeInterpolation } from '../emit/compose.js';
import { toYaml } from '../emit/yaml.js';
import type { Engine } from '../runtime/engine.js';
import { runCompose, uniqueProjectName, withoutComposeEnv, type ComposeRun } from '../runtime/compose-cli.js';
import { composeServiceSource, type ComposeDoc, type ComposeServiceSource } from '../source/compose-source.js';
import { throwIfAborted } from './abort.js';
import type { CleanupScope } from './cleanup-scope.js';
import type { Reporter } from './reporter.js';
import type { ComposeBase } from './ports.js';

/**
 * `--compose FILE`: the file read as compose reads it, the service's image built when it has
 * only a build, and the services it depends on started in a project of the run's own (labelled,
 * on a private network) that the scope takes down, volumes and built images with it.
 */

export interface ComposeSource {
  /** The file, absolute. */
  readonly file: string;
  /** The project the run's dependencies, network and volumes belong to. */
  readonly project: string;
  readonly source: ComposeServiceSource;
  readonly doc: ComposeDoc;
  /** The image as the user's outputs name it: the file's `image`, or the one compose would build. */
  readonly userImage: string;
}

/** Reads FILE through `docker-compose config` (interpolated, env_file merged, paths absolute) and maps the service. */
export async function readComposeSource(file: string, service: string | undefined, sessionId: string, signal?: AbortSignal): Promise<ComposeSource> {
  const abs = resolve(file);
  try {
    accessSync(abs, constants.R_OK);
  } catch (e) {
    throw new RoProfileError('USAGE', `"--compose ${file}" cannot be read: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, { hint: 'Check the path; it is read relative to the current directory.' });
  }
  const r = await runCompose(['-f', abs, 'config'], { env: withoutComposeEnv(process.env), timeoutMs: 60_000, ...(signal ? { signal } : {}) });
  if (r.code !== 0) {
    throw new RoProfileError('USAGE', `docker-compose cannot read ${file}: ${lastLines(r)}`, { hint: `Fix the file until \`docker-compose -f ${file} config\` accepts it.` });
  }
  const doc = parse(r.stdout) as ComposeDoc;
  const project = uniqueProjectName(`ro-profile-${sessionId}`);
  const networkKey = (name: string) => {
    const svc = doc.services?.[name];
    const nets = svc?.['networks'];
    const keys = Array.isArray(nets) ? nets.map(String) : nets && typeof nets === 'object' ? Object.keys(nets) : [];
    return keys[0] ?? 'default';
  };
  const probe = composeServiceSource(doc, { ...(service !== undefined ? { service } : {}), volumeName: (key) => `${project}_${key}` });
  const key = networkKey(probe.service);
  const declaredName = doc.networks?.[key]?.['name'];
  // Only a project with dependencies has a network to join; alone, the service runs as `docker run` would.
  const network = probe.dependencies.length === 0 ? undefined : typeof declaredName === 'string' ? declaredName : `${project}_${key}`;
  const source = network === undefined ? probe : composeServiceSource(doc, { service: probe.service, volumeName: (k) => `${project}_${k}`, network });
  // compose 1.29 names a built image after the project (the file's directory) and the service.
  const userImage = source.image ?? `${basename(dirname(abs)).toLowerCase().replace(/[^a-z0-9_-]/g, '')}_${source.service}`;
  return { file: abs, project, source, doc, userImage };
}

export interface StartOptions {
  readonly engine: Engine;
  readonly reporter: Reporter;
  readonly scope: CleanupScope;
  readonly labels: Readonly<Record<string, string>>;
  readonly signal: AbortSignal;
  /** How long the dependencies may take to become healthy. */
  readonly timeoutMs: number;
}

/**
 * Builds the service's image if it has a build, and starts its dependencies; gives the image to
 * profile and the project verification runs the override in. Everything is owned by `scope`:
 * `down -v --remove-orphans --rmi local` (verification's containers and network too) and the temp dir.
 */
export async function startComposeSource(c: ComposeSource, o: StartOptions): Promise<{ readonly image: string; readonly base: ComposeBase }> {
  const deps = c.source.dependencies;
  const built = c.source.build ? `ro-profile-build-${c.project}-${c.source.service}:latest` : undefined;
  const dir = await mkdtemp(join(tmpdir(), 'ro-profile-compose-source-'));
  const release = o.scope.trackPath(dir);
  o.scope.add(`compose source dir ${dir}`, async () => {
    await rm(dir, { recursive: true, force: true });
    release();
  });
  const override = join(dir, 'labels.override.yaml');
  await writeFile(override, labelsOverride(c, o.labels, built), { mode: 0o600 });
  // The file's own directory is the project directory, as when the user runs it.
  // Cancelled by Ctrl-C, except the cleanup's `down`, which must run after it.
  const call = (args: readonly string[], timeoutMs: number, signal?: AbortSignal) =>
    runCompose(['-p', c.project, '-f', c.file, '-f', override, ...args], { env: withoutComposeEnv(process.env), timeoutMs, ...(signal ? { signal } : {}) });
  const run = (args: readonly string[], timeoutMs = 300_000) => call(args, timeoutMs, o.signal);
  // Registered first, run last: verification's rounds may create the project's network even without dependencies.
  // -t 1: nothing of theirs is kept; down takes the containers, network, volumes and the images compose built.
  o.scope.add(`compose project ${c.project}`, async () => failed('down', await call(['down', '-v', '--remove-orphans', '--rmi', 'local', '-t', '1'], 120_000)));
  if (built !== undefined) {
    o.scope.add(`image ${built}`, async () => void (await o.engine.removeImage(built)));
    o.reporter.stage('compose', `building ${c.source.service} (docker-compose build)`);
    failed(`build ${c.source.service}`, await run(['build', c.source.service], 900_000));
    throwIfAborted(o.signal);
  }
  if (deps.length > 0) {
    o.reporter.stage('compose', `starting ${deps.join(', ')} (project ${c.project})`);
    failed(`up ${deps.join(' ')}`, await run(['up', '-d', '--no-color', ...deps]));
    await waitHealthy(c, deps, run, o);
  }
  return { image: built ?? c.source.image!, base: { files: [c.file, override], project: c.project, service: c.source.service } };
}

/** Our labels on each dependency, the networks and the volumes compose creates; the built image's own tag. */
export function labelsOverride(c: Pick<ComposeSource, 'source' | 'doc'>, labels: Readonly<Record<string, string>>, builtImage: string | undefined): string {
  const services: Record<string, Record<string, unknown>> = {};
  for (const d of c.source.dependencies) services[d] = { labels: { ...labels } };
  if (builtImage !== undefined) services[c.source.service] = { image: builtImage, build: { labels: { ...labels } } };
  const ownedBy = (decl: Readonly<Record<string, unknown>> | null | undefined) => !decl || decl['external'] === undefined || decl['external'] === false;
  const networks: Record<string, unknown> = { default: { labels: { ...labels } } };
  for (const [k, v] of Object.entries(c.doc.networks ?? {})) if (ownedBy(v)) networks[k] = { labels: { ...labels } };
  const volumes: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(c.doc.volumes ?? {})) if (ownedBy(v)) volumes[k] = { labels: { ...labels } };
  return toYaml(escapeInterpolation({ version: '3.9', services, networks, ...(Object.keys(volumes).length > 0 ? { volumes } : {}) }));
}

/** Waits until every dependency with a healthcheck is healthy (what `condition: service_healthy` asks). */
async function waitHealthy(c: ComposeSource, deps: readonly string[], run: (args: readonly string[]) => Promise<ComposeRun>, o: StartOptions): Promise<void> {
  const checked = deps.filter((d) => {
    const h = c.doc.services?.[d]?.['healthcheck'] as Record<string, unknown> | undefined;
    return h !== undefined && h['disable'] !== true;
  });
  const deadline = Date.now() + o.timeoutMs;
  for (const d of checked) {
    const ps = await run(['ps', '-q', d]);
    failed(`ps ${d}`, ps);
    const id = ps.stdout.trim().split('\n')[0]?.trim();
    if (!id) throw new RoProfileError('CONTAINER_FAILED', `docker-compose started no container for the dependency "${d}"`);
    for (;;) {
      throwIfAborted(o.signal);
      const state = await o.engine.inspectContainer(id);
      if (state.health?.status === 'healthy') break;
      if (!state.running) throw new RoProfileError('CONTAINER_FAILED', `the dependency "${d}" exited (code ${state.exitCode}) before it was healthy`, { hint: `See its logs: docker-compose -f ${c.file} up ${d}` });
      if (Date.now() > deadline) {
        throw new RoProfileError('NOT_READY', `the dependency "${d}" was not healthy within ${Math.round(o.timeoutMs / 1000)} s (${state.health?.status ?? 'no health status'})`, { hint: 'Raise --timeout, or check its healthcheck.' });
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  if (checked.length > 0) o.reporter.stage('compose', `healthy: ${checked.join(', ')}`);
}

function failed(what: string, r: ComposeRun): void {
  if (r.code === 0) return;
  throw new RoProfileError('CONTAINER_FAILED', `docker-compose ${what} failed (exit ${String(r.code)}): ${lastLines(r)}`, {
    hint: 'Run the same docker-compose command on your file to see why.',
  });
}

function lastLines(r: ComposeRun): string {
  return `${r.stderr}${r.stdout}`.trim().split('\n').slice(-10).join('\n');
}
