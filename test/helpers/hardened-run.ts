import { execFileSync } from 'node:child_process';
import { docker } from './cli.js';
import { LABEL_SESSION } from '../../src/runtime/labels.js';

export interface StartedHardened {
  readonly id: string;
  readonly ip: string;
  logs(): Promise<string>;
  exec(cmd: string[]): Promise<{ exitCode: number; output: string }>;
  remove(): Promise<void>;
}

/** The printed output's command lines: the comments it may open with (# logs: …, # UNVERIFIED: …) are a shell's to skip. */
export function commandLines(text: string): string[] {
  return text.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

/**
 * Runs a printed `docker run ...` line through /bin/sh, as a user pasting it would, with only
 * `-d` and our session label added after `docker run` so the test can find and remove it.
 */
export async function runPrintedLine(line: string, session: string): Promise<StartedHardened> {
  const trimmed = commandLines(line)[0] ?? '';
  if (commandLines(line).length !== 1) throw new Error(`not one docker run line: ${line}`);
  if (!trimmed.startsWith('docker run ')) throw new Error(`not a docker run line: ${trimmed}`);
  const detached = trimmed.replace(/^docker run /, `docker run -d --label ${LABEL_SESSION}=${session} `);
  const id = execFileSync('/bin/sh', ['-c', detached], { encoding: 'utf8' }).trim();
  return attachContainer(id);
}

/** A handle on a container started some other way (docker-compose, for one). */
export async function attachContainer(id: string): Promise<StartedHardened> {
  const c = docker.getContainer(id);
  const info = await c.inspect();
  const ip = Object.values(info.NetworkSettings.Networks)[0]?.IPAddress ?? '';
  return {
    id,
    ip,
    async logs() {
      const buf = (await c.logs({ stdout: true, stderr: true })) as unknown as Buffer;
      return buf.toString('utf8');
    },
    async exec(cmd) {
      const ex = await c.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
      const stream = await ex.start({ hijack: true, stdin: false });
      const chunks: Buffer[] = [];
      stream.on('data', (b: Buffer) => chunks.push(b));
      await new Promise((r) => stream.on('end', r));
      const st = await ex.inspect();
      return { exitCode: st.ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
    },
    async remove() {
      await c.remove({ force: true, v: true }).catch(() => undefined);
    },
  };
}

/** Polls until fn resolves truthy or the deadline passes. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`gave up after ${ms} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function httpStatus(host: string, port: number): Promise<number> {
  const res = await fetch(`http://${host}:${port}/`, { signal: AbortSignal.timeout(3000) });
  await res.arrayBuffer();
  return res.status;
}

/** Named volumes a printed config creates (volume and seeded mounts): tests remove them before and after. */
export function volumeNamesOf(result: { plan: { mounts: readonly { volumeName?: string }[] } }): string[] {
  return result.plan.mounts.map((m) => m.volumeName).filter((n): n is string => n !== undefined);
}

export async function removeVolumes(names: readonly string[]): Promise<void> {
  for (const n of names) await docker.getVolume(n).remove({ force: true }).catch(() => undefined);
}
