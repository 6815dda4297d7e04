import type { Mount } from '../model/mount-plan.js';
import type { Result } from '../model/result.js';
import { buildCreateSpec, launchLimitsFor, processSettingsOf } from '../pipeline/launch-spec.js';
import type { RunContext } from './observe.js';
import { hardeningOf } from './hardening.js';
import { gateVolumeName, installVerifyGate, withGate } from './traced-runs.js';
import { verifyVolumeName } from './verify-volume-name.js';

/** An app container created (not started) under a config, with whatever it needs around it. */
export interface Launched {
  readonly id: string;
  /** The app's command is behind the tracer's gate (verification traced with --tracer strace). */
  readonly gated?: boolean;
  /** Removes everything the launch created: containers, volumes, networks, files. */
  dispose(): Promise<void>;
}

/**
 * How a config is brought up for verification: one per emitted format. Each creates the app's
 * container on the Docker engine (so readiness, probes, exec steps and logs are observed the
 * same way for all), through the tool that reads that format.
 */
export interface Launcher {
  readonly format: 'run' | 'compose' | 'k8s';
  /** What runs it, for the record ("docker", "docker-compose", …). */
  readonly runtime: string;
  version(): Promise<string>;
  /** Creates the app container of `result` with only `mounts` of its plan; `tag` keeps runs apart. */
  launch(ctx: RunContext, result: Result, mounts: readonly Mount[], tag: string): Promise<Launched>;
}

/** The printed `docker run` line's hardening, applied through the engine API. */
export const runLauncher: Launcher = {
  format: 'run',
  runtime: 'docker',
  async version() {
    return '';
  },
  async launch(ctx, result, mounts, tag) {
    const { engine } = ctx;
    const names = new Map<string, string>();
    const dispose = async () => {
      for (const n of names.values()) await engine.removeVolume(n).catch(() => undefined);
    };
    ctx.scope.add(`verification volumes (${tag})`, dispose);
    for (const m of mounts) {
      if (m.kind === 'tmpfs') continue;
      const name = verifyVolumeName(ctx, tag, m.path);
      await engine.createVolume(name, ctx.labels);
      names.set(m.path, name);
    }
    const gate = ctx.tracing ? gateVolumeName(ctx, tag) : undefined;
    if (gate !== undefined) {
      await engine.createVolume(gate, ctx.labels);
      names.set('', gate);
    }
    const hardening = hardeningOf(mounts, (m) => names.get(m.path) ?? '', processSettingsOf(result.hardening));
    const spec = buildCreateSpec({ image: ctx.image, run: result.run, secrets: ctx.secrets, labels: ctx.labels, limits: launchLimitsFor(ctx.limits, result.limits, mounts), hardening, cwd: ctx.cwd });
    const id = await engine.createContainer(gate !== undefined ? withGate(spec, ctx.image, result.run, gate) : spec);
    if (gate !== undefined && ctx.tracing) {
      await installVerifyGate(engine, id, ctx.tracing).catch(async (e: unknown) => {
        await engine.removeContainer(id).catch(() => undefined);
        throw e;
      });
    }
    return {
      id,
      gated: gate !== undefined,
      async dispose() {
        await engine.removeContainer(id);
        await dispose();
      },
    };
  },
};
