import { planMounts } from '../analyze/plan-mounts.js';
import { isNoisePath } from '../harvest/changes.js';
import { harvest } from '../harvest/harvest.js';
import { takeSnapshot, type Snapshot } from '../harvest/snapshot.js';
import { readCompatLinks, readTools, absoluteTarget } from '../harvest/image-links.js';
import type { Result } from '../model/result.js';
import { SCHEMA_VERSION } from '../model/result.js';
import type { RunSpec } from '../model/run-spec.js';
import type { FsFacts } from '../model/fs-facts.js';
import type { FsChange, WriteEvent } from '../model/write-event.js';
import type { Engine, PathStat } from '../runtime/engine.js';
import { createLabels, type SessionIdentity } from '../runtime/labels.js';
import { CleanupScope } from './cleanup-scope.js';
import type { Reporter } from './reporter.js';
import { openImageView } from './image-view.js';
import { startRun } from './run-start.js';

export interface AnalyzeTraceOptions {
  readonly engine: Engine;
  readonly reporter: Reporter;
  readonly signal: AbortSignal;
  readonly identity: SessionIdentity;
  readonly imageRef: string;
  readonly events: readonly WriteEvent[];
  readonly persist: readonly string[];
  readonly ephemeral: readonly string[];
  readonly volumePrefix?: string;
  readonly toolVersion: string;
  readonly onScope?: (scope: CleanupScope) => void;
}

const EMPTY: Snapshot = { changes: [], listings: new Map() };

/**
 * Write events from a trace, analysed against the image as shipped: the image is inspected and
 * read through a container that is created but never started (so nothing of the app runs), its
 * symlinks resolve the paths the app named, and its directories say what a mount would hide.
 */
export async function analyzeTrace(o: AnalyzeTraceOptions): Promise<Result> {
  const { engine, reporter } = o;
  const started = await startRun(o, o.imageRef);
  await using scope = started.scope;
  const { image } = started;
  const id = await openImageView(engine, image.id, createLabels(o.identity, 'image-view'), scope);

  const { events, changes, fs } = await traceFacts(engine, id, o.events, () => false);
  const overrides = { persist: [...o.persist], ephemeral: [...o.ephemeral], ...(o.volumePrefix !== undefined ? { volumePrefix: o.volumePrefix } : {}) };
  const analysis = planMounts({ image, events, fs, userMounts: [], ...overrides });
  reporter.stage('analyze', `${events.length} write events from the trace, ${analysis.plan.mounts.length} mounts, ${analysis.findings.length} findings`);
  const run: RunSpec = {
    image: o.imageRef,
    env: [],
    envFiles: [],
    command: [],
    volumes: [],
    mounts: [],
    publish: [],
    exercise: { execs: [], durationMs: 0, timeoutMs: 0, settleMs: 0, probePorts: [] },
  };
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'ro-profile', version: o.toolVersion },
    image,
    run,
    exercise: { readiness: 'trace', readyAfterMs: 0, probes: [], execs: [] },
    changes,
    volumes: [],
    fs,
    events,
    analysis: overrides,
    plan: analysis.plan,
    findings: analysis.findings,
    verification: [],
  };
}

/**
 * Traced events in the analysis's terms, read against an image view (a never-started container
 * of the image): paths with the image's symlinks resolved, opens classified as add or modify,
 * noise and `ignore`d paths dropped, and the facts of the directories they touch.
 */
export async function traceFacts(
  engine: Engine,
  viewId: string,
  raw: readonly WriteEvent[],
  ignore: (path: string) => boolean,
): Promise<{ events: WriteEvent[]; changes: FsChange[]; fs: FsFacts }> {
  const stat = cachedStat(engine, viewId);
  const events: WriteEvent[] = [];
  for (const e of raw) {
    const n = await normalize(e, stat);
    // /proc, /sys, /dev (Docker's own /dev/shm tmpfs included) and Docker's /etc files are never the app's to mount.
    if (n.realPath.startsWith('/') && !isNoisePath(n.realPath) && !ignore(n.realPath) && !ignore(n.path)) events.push(n);
  }
  const changes = changesOf(events);
  const snapshot = await takeSnapshot(engine, viewId, changes, () => false);
  const symlinks = await readCompatLinks(engine, viewId);
  const tools = await readTools(engine, viewId);
  const h = harvest({ running: EMPTY, stopped: snapshot, ignore: () => false, symlinks, tools });
  return { events, changes, fs: h.fs };
}

type Stat = (path: string) => Promise<PathStat | undefined>;

function cachedStat(engine: Engine, id: string): Stat {
  const cache = new Map<string, Promise<PathStat | undefined>>();
  return (path) => {
    let hit = cache.get(path);
    if (!hit) {
      hit = engine.statPath(id, path);
      cache.set(path, hit);
    }
    return hit;
  };
}

/** The path with every symlink of the image resolved (at most 40 hops, as the kernel allows). */
export async function resolveInImage(path: string, stat: Stat): Promise<string> {
  let parts = path.split('/').filter((p) => p !== '' && p !== '.');
  let done = '';
  for (let hops = 0, i = 0; i < parts.length; ) {
    const part = parts[i]!;
    if (part === '..') {
      done = done.slice(0, Math.max(done.lastIndexOf('/'), 0));
      i++;
      continue;
    }
    const next = `${done}/${part}`;
    const st = await stat(next);
    if (st?.type === 'symlink' && st.linkTarget !== undefined && hops < 40) {
      hops++;
      const target = absoluteTarget(next, st.linkTarget);
      parts = [...target.split('/').filter((p) => p !== ''), ...parts.slice(i + 1)];
      done = '';
      i = 0;
      continue;
    }
    done = next;
    i++;
  }
  return done || '/';
}

/**
 * A traced write in the diff's terms: the real path in the image, and for an open with write
 * intent whether it created the file (absent from the image) or changed a shipped one.
 */
async function normalize(e: WriteEvent, stat: Stat): Promise<WriteEvent> {
  const realPath = await resolveInImage(e.realPath, stat);
  const inImage = await stat(realPath);
  let op = e.op;
  if (op === 'open-write') op = inImage ? 'modify' : 'add';
  const type = e.type ?? (inImage?.type === 'dir' ? 'dir' : inImage ? 'file' : undefined);
  return { ...e, realPath, op, ...(type ? { type } : {}) };
}

/** The events as a diff would show them, to read the directories they touch from the image. */
function changesOf(events: readonly WriteEvent[]): FsChange[] {
  const byPath = new Map<string, FsChange>();
  for (const e of events) {
    if (e.op === 'exec') continue;
    const kind = e.op === 'add' ? 'added' : e.op === 'delete' ? 'deleted' : 'modified';
    if (!byPath.has(e.realPath) || kind === 'added') byPath.set(e.realPath, { kind, path: e.realPath });
  }
  return [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
