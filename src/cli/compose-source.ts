import { RoProfileError } from '../errors.js';
import type { Result } from '../model/result.js';
import type { ComposeSource } from '../pipeline/compose-source-run.js';
import type { PassThroughFlags } from './passthrough.js';

/** The run options of `--compose FILE`: the service's, with the command line's added (and its --user/--entrypoint/command winning). */
export function composeRunFlags(c: ComposeSource, image: string, cli: Omit<PassThroughFlags, 'image'>): PassThroughFlags {
  const f = c.source.flags;
  if (cli.network !== undefined) {
    throw new RoProfileError('USAGE', '"--network" cannot be used with "--compose"', { hint: 'The service joins its compose project\'s network; set networks in the file.' });
  }
  return {
    image,
    env: [...f.env, ...cli.env],
    envFile: [...cli.envFile],
    ...((cli.user ?? f.user) !== undefined ? { user: cli.user ?? f.user } : {}),
    ...((cli.entrypoint ?? f.entrypoint) !== undefined ? { entrypoint: cli.entrypoint ?? f.entrypoint } : {}),
    volume: [...f.volume, ...cli.volume],
    mount: [...f.mount, ...cli.mount],
    publish: [...f.publish, ...cli.publish],
    ...(f.network !== undefined ? { network: f.network } : {}),
    command: cli.command.length > 0 ? [...cli.command] : [...f.command],
  };
}

/**
 * The result as the user's outputs need it: the run's project network, project-scoped volume
 * names and built image's temporary tag were the profiling run's; the file's names are theirs.
 */
export function userFacingResult(result: Result, c: ComposeSource, cli: Pick<PassThroughFlags, 'volume' | 'mount'>): Result {
  const { network: _network, ...run } = result.run;
  const prefix = `${c.project}_`;
  return {
    ...result,
    // A built image's temporary tag is gone after the run: name it as compose would.
    image: { ...result.image, ref: c.source.build && !c.source.image ? c.userImage : result.image.ref },
    volumes: result.volumes.map((v) => (v.name.startsWith(prefix) ? { ...v, name: v.name.slice(prefix.length) } : v)),
    run: { ...run, image: c.userImage, volumes: [...c.source.userFlags.volume, ...cli.volume], mounts: [...c.source.userFlags.mount, ...cli.mount] },
  };
}

/** What the run takes from the file, for stderr: secrets and configs by name only, never their contents. */
export function composeSummary(c: ComposeSource): string {
  const s = c.source;
  const parts = [
    `service ${s.service} of ${c.file}`,
    s.build ? `built from ${s.build.context}` : `image ${s.image!}`,
    s.dependencies.length > 0 ? `depends on ${s.dependencies.join(', ')}` : 'no dependencies',
    ...(s.secretNames.length > 0 ? [`secrets ${s.secretNames.join(', ')} (names only)`] : []),
    ...(s.configNames.length > 0 ? [`configs ${s.configNames.join(', ')}`] : []),
  ];
  return parts.join('; ');
}
