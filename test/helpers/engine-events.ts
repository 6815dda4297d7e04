import type Docker from 'dockerode';
import { LABEL_SESSION } from '../../src/runtime/labels.js';
import { docker } from './cli.js';

/**
 * Every container of the session, inspected the moment the engine reports `event` for it (a
 * verification container lives for seconds): what the engine really gave it, read through the
 * engine's own event stream.
 */
export async function watchContainers<T>(session: string, event: 'create' | 'start', map: (c: Docker.ContainerInspectInfo) => T): Promise<{ stop(): Promise<T[]> }> {
  const stream = (await docker.getEvents({ filters: { type: ['container'], event: [event], label: [`${LABEL_SESSION}=${session}`] } })) as NodeJS.ReadableStream & { destroy(): void };
  const pending: Promise<T | undefined>[] = [];
  let buf = '';
  stream.on('data', (chunk: Buffer) => {
    buf += chunk.toString('utf8');
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const id = (JSON.parse(buf.slice(0, nl)) as { id: string }).id;
      buf = buf.slice(nl + 1);
      pending.push(docker.getContainer(id).inspect().then(map).catch(() => undefined));
    }
  });
  return {
    async stop() {
      stream.destroy();
      return (await Promise.all(pending)).filter((c): c is Awaited<T> => c !== undefined) as T[];
    },
  };
}
