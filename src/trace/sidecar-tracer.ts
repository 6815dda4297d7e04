import type { CleanupScope } from '../pipeline/cleanup-scope.js';
import type { Engine } from '../runtime/engine.js';
import type { StraceResult } from '../strace/strace-parser.js';
import { STRACE_ARGS, StraceOutput, attachedNotice } from './strace-command.js';
import { ATTACH_TIMEOUT_MS, DRAIN_TIMEOUT_MS, TraceCollector, traceError, within, type TraceCapture } from './tracer.js';

/*
 * Finds the process whose argv holds the token as a whole argument, in another mount namespace
 * than the tracer's own (its own argv holds the token too), then becomes strace on it.
 */
const FIND_AND_TRACE = `tok=$1; shift
me=$(readlink /proc/self/ns/mnt)
i=0
while [ "$i" -lt 500 ]; do
  for d in /proc/[0-9]*; do
    [ "$(readlink "$d/ns/mnt" 2>/dev/null)" = "$me" ] && continue
    if tr '\\000' '\\n' <"$d/cmdline" 2>/dev/null | grep -qxF -- "$tok"; then exec strace "$@" -p "\${d#/proc/}"; fi
  done
  i=$((i+1)); sleep 0.02
done
echo "ro-profile tracer: no process carrying $tok appeared within 10 s" >&2; exit 1`;

/**
 * strace in a sidecar container that joins the target's pid namespace (`--pid container:ID`,
 * CAP_SYS_PTRACE on the sidecar only): no root on the host, and it works wherever the engine
 * runs (Docker Desktop's VM, a remote engine, CI). The app keeps its own user and capabilities.
 * Pids in the trace are the container's own, so clone() results and line pids agree.
 */
export class SidecarTracer implements TraceCapture {
  readonly method = 'sidecar' as const;
  private sidecar: string | undefined;
  private mainEnded: Promise<void> | undefined;
  private readonly steps: Promise<void>[] = [];
  private readonly collector: TraceCollector;

  constructor(
    private readonly o: {
      readonly engine: Engine;
      readonly scope: CleanupScope;
      readonly targetId: string;
      readonly tracerImageId: string;
      readonly labels: Readonly<Record<string, string>>;
      readonly workingDir: string;
    },
  ) {
    this.collector = new TraceCollector(o.workingDir);
  }

  async attachMain(): Promise<void> {
    const { engine, scope } = this.o;
    const id = await engine.createContainer({
      image: this.o.tracerImageId,
      labels: this.o.labels,
      env: [],
      user: '0:0',
      entrypoint: ['strace'],
      cmd: [...STRACE_ARGS, '-p', '1'],
      binds: [],
      mounts: [],
      tmpfs: {},
      readOnlyRoot: true,
      publishLoopback: [],
      network: 'none',
      memoryBytes: 512 * 1024 * 1024,
      pidsLimit: 64,
      pidMode: `container:${this.o.targetId}`,
      capAdd: ['SYS_PTRACE'],
    });
    this.sidecar = id;
    scope.add(`tracer container ${id.slice(0, 12)}`, () => engine.removeContainer(id));
    const parser = this.collector.parser('strace of the container');
    const output = new StraceOutput((line) => parser.push(line));
    const { ended } = await engine.attachOutput(id, (stream, chunk) => {
      if (stream === 'stderr') output.push(chunk);
    });
    this.mainEnded = ended.then(() => {
      output.end();
      this.collector.add(parser.end());
    });
    await engine.startContainer(id);
    const exited = this.mainEnded.then(() => {
      throw traceError('The strace sidecar ended before it was attached to the container', output.notices);
    });
    await within(Promise.race([output.attached, exited]), ATTACH_TIMEOUT_MS, () => traceError(`The strace sidecar did not attach within ${ATTACH_TIMEOUT_MS / 1000} s`, output.notices));
  }

  traceStep(token: string): Promise<void> {
    const { engine } = this.o;
    const sidecar = this.sidecar;
    if (sidecar === undefined) throw new Error('attachMain first');
    const step = engine.exec(sidecar, ['sh', '-c', FIND_AND_TRACE, 'ro-profile-find', token, ...STRACE_ARGS], { user: '0:0' }).then((r) => {
      this.collector.addText(`strace of exec step ${token}`, r.stderr);
      if (!r.stderr.split('\n').some(attachedNotice)) throw traceError('The tracer could not attach to an --exec step', r.stderr.split('\n'));
    });
    this.steps.push(step.catch(() => undefined));
    return step;
  }

  async finish(): Promise<StraceResult> {
    const { engine } = this.o;
    if (this.mainEnded && this.sidecar) {
      const sidecar = this.sidecar;
      // strace ends when the last traced process does (or is killed with the pid namespace).
      await within(this.mainEnded, DRAIN_TIMEOUT_MS, () => new Error('drain')).catch(async () => {
        await engine.stopContainer(sidecar, 1);
        await this.mainEnded;
      });
    }
    await Promise.all(this.steps);
    return this.collector.result();
  }
}
