/**
 * What the parser knows about each traced process: its working directory, its descriptors and
 * the files it mapped. Threads and `CLONE_FS`/`CLONE_FILES`/`CLONE_VM` children share the very
 * same objects; a plain fork gets copies.
 */

/** A working directory, shared by reference between processes created with CLONE_FS. */
export interface CwdRef {
  value: string | undefined;
}

/** A file mapped into memory, for `mprotect(…, PROT_EXEC)` of a range mapped earlier. */
export interface Mapping {
  readonly start: number;
  readonly end: number;
  readonly path: string;
}

export interface Proc {
  readonly cwd: CwdRef;
  /** Descriptor → absolute path; '' for a descriptor that is not a path (socket, pipe, …). */
  fds: Map<number, string>;
  readonly maps: Mapping[];
}

/** Mappings kept per address space: enough for a process's libraries; the oldest go first. */
const MAX_MAPPINGS = 2048;

/** The key of lines that carry no pid (a single process traced to stderr, or an -ff file without a name). */
export const NO_PID = 0;

export interface CloneShare {
  readonly fs: boolean;
  readonly files: boolean;
  readonly vm: boolean;
}

/** Reads the sharing flags of `clone(…flags=CLONE_VM|CLONE_FS…)`/`clone3({flags=…})`; fork and vfork pass none of FS/FILES. */
export function cloneShare(name: string, argsText: string): CloneShare {
  if (name !== 'clone' && name !== 'clone3' && name !== 'clone2') return { fs: false, files: false, vm: name === 'vfork' };
  const thread = argsText.includes('CLONE_THREAD');
  return {
    fs: thread || /\bCLONE_FS\b/.test(argsText),
    files: thread || argsText.includes('CLONE_FILES'),
    vm: thread || argsText.includes('CLONE_VM'),
  };
}

export class ProcessTable {
  private readonly procs = new Map<number, Proc>();
  /** Parents whose clone/fork has not returned yet, with what the child will share. */
  private readonly pendingClones = new Map<number, CloneShare>();

  /** `initialCwd`: where a process first seen without a parent works (a live trace knows the container's). */
  constructor(private readonly initialCwd?: string) {}

  /** The process `pid`, created on first sight (as the child of a pending clone when there is one). */
  get(pid: number): Proc {
    const known = this.procs.get(pid);
    if (known) return known;
    const proc = this.adopt() ?? { cwd: { value: this.initialCwd }, fds: new Map(), maps: [] };
    this.procs.set(pid, proc);
    return proc;
  }

  has(pid: number): boolean {
    return this.procs.has(pid);
  }

  /**
   * `pid` is the process whose lines had no pid so far (`from`): strace writing to stderr adds
   * `[pid N]` only once there are several processes.
   */
  alias(pid: number, from: number): void {
    const proc = this.procs.get(from);
    if (proc === undefined) return;
    this.procs.set(pid, proc);
    this.procs.delete(from);
    const pending = this.pendingClones.get(from);
    if (pending !== undefined) {
      this.pendingClones.delete(from);
      this.pendingClones.set(pid, pending);
    }
  }

  /** A clone/fork entered in `parent` and not returned yet: a new pid seen meanwhile is its child. */
  cloneStarted(parent: number, share: CloneShare): void {
    this.pendingClones.set(parent, share);
  }

  /** The clone/fork in `parent` returned `child` (or failed, child undefined). */
  cloneReturned(parent: number, share: CloneShare, child: number | undefined): void {
    this.pendingClones.delete(parent);
    if (child === undefined || child <= 0 || this.procs.has(child)) return;
    this.procs.set(child, inherit(this.get(parent), share));
  }

  /** A successful execve: the process gets its own descriptor table and address space (the kernel unshares them). */
  exec(pid: number): void {
    const proc = this.get(pid);
    this.procs.set(pid, { cwd: proc.cwd, fds: new Map(proc.fds), maps: [] });
  }

  exited(pid: number): void {
    this.procs.delete(pid);
    this.pendingClones.delete(pid);
  }

  /** A new pid seen while a clone is pending is taken for the child of the latest one. */
  private adopt(): Proc | undefined {
    let parent: number | undefined;
    let share: CloneShare | undefined;
    for (const [p, s] of this.pendingClones) [parent, share] = [p, s];
    if (parent === undefined || share === undefined) return undefined;
    let parentProc = this.procs.get(parent);
    if (parentProc === undefined) {
      parentProc = { cwd: { value: undefined }, fds: new Map(), maps: [] };
      this.procs.set(parent, parentProc);
    }
    return inherit(parentProc, share);
  }
}

function inherit(parent: Proc, share: CloneShare): Proc {
  return {
    cwd: share.fs ? parent.cwd : { value: parent.cwd.value },
    fds: share.files ? parent.fds : new Map(parent.fds),
    maps: share.vm ? parent.maps : [...parent.maps],
  };
}

/** Records a file mapping, dropping the oldest half when an address space holds too many. */
export function addMapping(proc: Proc, mapping: Mapping): void {
  if (proc.maps.length >= MAX_MAPPINGS) proc.maps.splice(0, MAX_MAPPINGS / 2);
  proc.maps.push(mapping);
}

/** The file mapped at `address`, latest mapping first. */
export function mappingAt(proc: Proc, address: number): Mapping | undefined {
  for (let i = proc.maps.length - 1; i >= 0; i--) {
    const m = proc.maps[i];
    if (m !== undefined && address >= m.start && address < m.end) return m;
  }
  return undefined;
}
