import Docker from 'dockerode';
import { resolveDockerEndpoint, type DockerEndpoint } from './docker-endpoint.js';

export type { DockerEndpoint } from './docker-endpoint.js';

let exported = false;

/**
 * The dockerode client for the engine the user's environment names (DOCKER_HOST, a docker
 * context, the default socket). A context's address is also put into this process's own
 * environment, once, because the tools we run (docker-compose 1.x) read DOCKER_HOST but not
 * contexts, and must reach the same engine as we do.
 */
export function defaultDocker(env: NodeJS.ProcessEnv = process.env): { docker: Docker; found: DockerEndpoint } {
  const found = resolveDockerEndpoint(env);
  if (!exported && found.source === 'context') {
    exported = true;
    for (const [k, v] of Object.entries(found.childEnv)) if (env[k] === undefined) env[k] = v;
  }
  return { docker: new Docker(found.options), found };
}
