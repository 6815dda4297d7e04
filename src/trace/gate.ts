import type { Engine } from '../runtime/engine.js';
import { tarOf } from './tar.js';

/**
 * The gate holds a process until a tracer is attached to it, then execs the real command in
 * its place (same pid, user, environment, working directory and capabilities), so the trace
 * starts at the command's first instruction. It runs on the static busybox of the tracer
 * image, copied into the container through the archive API (images without a shell work too).
 */
export const GATE_DIR = '/.ro-profile';
export const GATE_BUSYBOX = `${GATE_DIR}/busybox`;
/** The gate's exit status when no tracer came (distinct from 126/127, which docker uses). */
export const GATE_TIMEOUT_EXIT = 125;
export const GATE_WAIT_SECONDS = 30;
export const MAIN_GATE_NAME = 'ro-profile-gate';

/*
 * `/proc/self/status` read by the shell itself (a redirection, no child): TracerPid turns
 * non-zero once a tracer in the same pid namespace (the sidecar) has seized this process. A
 * tracer outside it (on the host) shows as 0, so it releases the gate with a file named after
 * the gate's $0 and its process start time (field 22 of /proc/PID/stat, the same seen from the
 * host), put in through the archive API: a restarted container's gate waits for a file of its
 * own, and nothing has to be removed (the app's user may not remove a root-owned file). The
 * command is looked up in PATH here, and exec'd by path: busybox's shell would otherwise run
 * its own applet for names like `sh`.
 */
const SCRIPT = `b=${GATE_BUSYBOX}
st() { eval "st=\\\${20}"; }
read -r l </proc/self/stat
st \${l##*) }
n=0
while :; do
  t=0
  while read -r k v; do if [ "$k" = TracerPid: ]; then t=$v; break; fi; done </proc/self/status
  [ "$t" != 0 ] && break
  [ -e "${GATE_DIR}/go.$0.$st" ] && break
  n=$((n+1))
  if [ "$n" -ge ${GATE_WAIT_SECONDS * 50} ]; then echo "ro-profile gate: no tracer attached within ${GATE_WAIT_SECONDS} s" >&2; exit ${GATE_TIMEOUT_EXIT}; fi
  "$b" usleep 20000
done
p=$1
case "$p" in
*/*) ;;
*)
  p=
  IFS=:
  for d in \${PATH:-/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin}; do
    if [ -f "\${d:-.}/$1" ] && [ -x "\${d:-.}/$1" ]; then p=\${d:-.}/$1; break; fi
  done
  unset IFS
  if [ -z "$p" ]; then echo "ro-profile gate: exec: \\"$1\\": executable file not found in \\$PATH" >&2; exit 127; fi
  ;;
esac
shift
exec "$p" "$@"`;

/** Entrypoint and command that run `argv` (the container's real command) behind the gate. */
export function gatedMain(argv: readonly string[]): { entrypoint: string[]; cmd: string[] } {
  return { entrypoint: [GATE_BUSYBOX, 'sh', '-c', SCRIPT, MAIN_GATE_NAME], cmd: [...argv] };
}

/** An exec step behind the gate; `token` (in its argv) lets the tracer find the process. */
export function gatedStep(token: string, argv: readonly string[]): string[] {
  return [GATE_BUSYBOX, 'sh', '-c', SCRIPT, token, ...argv];
}

/**
 * The command a container runs, as Docker decides it: an --entrypoint replaces the image's
 * entrypoint and drops its CMD; a command after `--` replaces CMD.
 */
export function effectiveArgv(image: { entrypoint: readonly string[]; cmd: readonly string[] }, run: { entrypoint?: string; command: readonly string[] }): string[] {
  const entrypoint = run.entrypoint !== undefined ? (run.entrypoint === '' ? [] : [run.entrypoint]) : [...image.entrypoint];
  const cmd = run.command.length > 0 ? [...run.command] : run.entrypoint !== undefined ? [] : [...image.cmd];
  return [...entrypoint, ...cmd];
}

/** Releases the gate named `name` (its $0) whose process started at `startTime` (see releaseName): for a tracer the gate cannot see. */
export async function releaseGate(engine: Engine, id: string, name: string, startTime: string): Promise<void> {
  await engine.putArchive(id, GATE_DIR, await tarOf([{ name: releaseName(name, startTime), type: 'file', mode: 0o644, body: '' }]));
}

export function releaseName(name: string, startTime: string): string {
  return `go.${name}.${startTime}`;
}

/** Field 22 of a /proc/PID/stat line (start time in clock ticks since boot); the command name may hold spaces and parentheses. */
export function startTimeOf(statLine: string): string {
  const fields = statLine.slice(statLine.lastIndexOf(') ') + 2).trim().split(/\s+/);
  const t = fields[19];
  if (t === undefined || !/^\d+$/.test(t)) throw new Error(`not a /proc/PID/stat line: ${statLine.slice(0, 80)}`);
  return t;
}

/** A tar holding `.ro-profile/busybox` (root-owned, 0755), to extract at `/` of the container. */
export function gateArchive(busybox: Buffer): Promise<Buffer> {
  const dir = GATE_DIR.slice(1);
  return tarOf([
    { name: `${dir}/`, type: 'directory', mode: 0o755 },
    { name: `${dir}/busybox`, type: 'file', mode: 0o755, body: busybox },
  ]);
}

/** A tar holding just `busybox` (root-owned, 0755), to extract into the gate's own volume at GATE_DIR. */
export function gateFileArchive(busybox: Buffer): Promise<Buffer> {
  return tarOf([{ name: 'busybox', type: 'file', mode: 0o755, body: busybox }]);
}

// Where a busybox is read from the host, the static check lives beside it (runtime needs it too).
export { isStaticElf } from '../runtime/host-busybox.js';
