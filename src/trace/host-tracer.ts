import { readdir, readFile, readlink } from 'node:fs/promises';
import type { execa as Execa } from 'execa';
import { loadExeca } from '../runtime/lazy-execa.js';
import { RoProfileError } from '../errors.js';
import type { CleanupScope } from '../pipeline/cleanup-scope.js';
import type { Engine, EngineInfo } from '../runtime/engine.js';
import type { StraceResult } from '../strace/strace-parser.js';
import { MAIN_GATE_NAME, releaseGate, startTimeOf } from './gate.js';
import { STRACE_ARGS, StraceOutput } from './strace-command.js';
import { ATTACH_TIMEOUT_MS, DRAIN_TIMEOUT_MS, TraceCollector, traceError, within, type TraceCapture } from './tracer.js';

/** Why host attach cannot work here, or undefined when it can. */
export async function hostAttachBlocker(engineInfo: EngineInfo): Promise<string | undefined> {
  if (!engineInfo.local) return `the Docker engine at ${engineInfo.endpoint} is not on this machine's own kernel (a VM, Docker Desktop or a remote engine): its processes are not visible here`;
  if (process.getuid?.() !== 0) return 'it needs root on the engine host (ptrace of processes owned by other users)';
  const execa = await loadExeca();
  const found = await execa('strace', ['-V'], { reject: false });
  if (found.exitCode !== 0) return 'strace is not installed on this host';
  return undefined;
}

/**
 * strace run on the engine's own Linux host as root, attached by host pid. Needs no image,
 * but only works where the tool shares the engine's kernel. Line pids are host pids while
 * clone() returns the container's; the parser pairs a new pid with its pending clone.
 */
export class HostTracer implements TraceCapture {
  readonly method = 'host' as const;
  private stopMain: (() => void) | undefined;
  private mainDone: Promise<void> | undefined;
  private readonly steps: Promise<void>[] = [];
  private readonly collector: TraceCollector;

  constructor(
    private readonly o: {
      readonly engine: Engine;
      readonly scope: CleanupScope;
      readonly targetId: string;
      readonly workingDir: string;
    },
  ) {
    this.collector = new TraceCollector(o.workingDir);
  }

  async attachMain(): Promise<void> {
    const state = await this.o.engine.inspectContainer(this.o.targetId);
    if (!state.running || state.hostPid <= 0) throw traceError('The container stopped before the tracer could attach', [state.error]);
    const parser = this.collector.parser('strace of the container');
    const { attached, done, stop } = this.spawn(await loadExeca(), state.hostPid, (line) => parser.push(line));
    this.stopMain = stop;
    this.mainDone = done.then(() => this.collector.add(parser.end()));
    await within(attached, ATTACH_TIMEOUT_MS, () => traceError(`strace did not attach to pid ${state.hostPid} within ${ATTACH_TIMEOUT_MS / 1000} s`, []));
    await releaseGate(this.o.engine, this.o.targetId, MAIN_GATE_NAME, await hostStartTime(state.hostPid));
  }

  async traceStep(token: string): Promise<void> {
    const pid = await findHostPid(token);
    const parser = this.collector.parser(`strace of exec step ${token}`);
    const { attached, done } = this.spawn(await loadExeca(), pid, (line) => parser.push(line));
    const finished = done.then(() => this.collector.add(parser.end()));
    this.steps.push(finished);
    await attached;
    await releaseGate(this.o.engine, this.o.targetId, token, await hostStartTime(pid));
    await finished;
  }

  async finish(): Promise<StraceResult> {
    if (this.mainDone) {
      await within(this.mainDone, DRAIN_TIMEOUT_MS, () => new Error('drain')).catch(async () => {
        this.stopMain?.();
        await this.mainDone;
      });
    }
    await Promise.all(this.steps);
    return this.collector.result();
  }

  private spawn(execa: typeof Execa, pid: number, onLine: (line: string) => void): { attached: Promise<void>; done: Promise<void>; stop: () => void } {
    const child = execa('strace', [...STRACE_ARGS, '-p', String(pid)], { stdin: 'ignore', stdout: 'ignore', stderr: 'pipe', reject: false, buffer: false });
    this.o.scope.add(`strace (pid ${child.pid ?? '?'})`, async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await child;
    });
    const output = new StraceOutput(onLine);
    child.stderr?.on('data', (b: Buffer) => output.push(b));
    const done = child.then(() => output.end());
    const attached = Promise.race([
      output.attached,
      done.then(() => {
        throw traceError(`strace could not attach to pid ${pid}`, output.notices);
      }),
    ]);
    attached.catch(() => undefined);
    return { attached, done, stop: () => child.kill('SIGTERM') };
  }
}

/** The start time of a host process, as its gate reads its own (field 22 of /proc/PID/stat). */
async function hostStartTime(pid: number): Promise<string> {
  return startTimeOf(await readFile(`/proc/${pid}/stat`, 'latin1'));
}

/** The host pid of the process whose argv carries `token`, in another pid namespace than ours. */
async function findHostPid(token: string): Promise<number> {
  const own = await readlink('/proc/self/ns/pid');
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const name of await readdir('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      try {
        if ((await readlink(`/proc/${name}/ns/pid`)) === own) continue;
        const argv = (await readFile(`/proc/${name}/cmdline`, 'latin1')).split('\0');
        if (argv.includes(token)) return Number(name);
      } catch {
        // Gone, or not ours to read.
      }
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new RoProfileError('CONTAINER_FAILED', `The --exec step (${token}) never appeared among the host's processes`, { hint: 'Retry with --tracer-method sidecar.' });
}
