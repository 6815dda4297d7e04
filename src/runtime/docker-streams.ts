import { PassThrough, Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { RoProfileError } from '../errors.js';
import type { ExecOutcome, PullProgress, WaitOptions } from './engine.js';
import { BULK_WAIT_MS, DEFAULT_WAIT_MS, deadline } from './deadline.js';
import { pullError } from './docker-api.js';
import { call, type DockerContext } from './docker-call.js';

// The DockerEngine calls that stream: pull and build progress, attached output, exec and archive reads.

export async function pullImage(ctx: DockerContext, ref: string, onProgress: (p: PullProgress) => void, signal: AbortSignal): Promise<void> {
  await call(ctx, 'pull', async () => {
    let stream: NodeJS.ReadableStream;
    try {
      stream = (await ctx.docker.pull(ref, { abortSignal: signal })) as NodeJS.ReadableStream;
    } catch (e) {
      throw pullError(ref, e);
    }
    await new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        (stream as Readable).destroy();
        reject(new RoProfileError('INTERRUPTED', `Pull of "${ref}" interrupted`));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      ctx.docker.modem.followProgress(
        stream,
        (err: unknown, out: { error?: string }[]) => {
          signal.removeEventListener('abort', onAbort);
          const failed = out?.find((o) => o.error);
          if (err) reject(pullError(ref, err));
          else if (failed?.error) reject(pullError(ref, new Error(failed.error)));
          else resolve();
        },
        (ev: { status?: string; id?: string; progressDetail?: { current?: number; total?: number } }) => {
          onProgress({
            status: ev.status ?? '',
            ...(ev.id ? { id: ev.id } : {}),
            ...(ev.progressDetail?.current !== undefined ? { current: ev.progressDetail.current } : {}),
            ...(ev.progressDetail?.total !== undefined ? { total: ev.progressDetail.total } : {}),
          });
        },
      );
    });
  });
}

export async function buildImage(ctx: DockerContext, context: Buffer, tag: string, labels: Readonly<Record<string, string>>, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
  await call(ctx, 'build', async () => {
    const stream = await ctx.docker.buildImage(Readable.from([context]), { t: tag, labels: { ...labels }, rm: true, forcerm: true, abortSignal: signal });
    await new Promise<void>((resolve, reject) => {
      ctx.docker.modem.followProgress(
        stream,
        (err: unknown, out: { error?: string }[]) => {
          const failed = out?.find((o) => o.error);
          if (err) reject(err instanceof Error ? err : new Error(String(err)));
          else if (failed?.error) reject(new RoProfileError('CONTAINER_FAILED', `Building ${tag} failed: ${failed.error.trim()}`));
          else resolve();
        },
        (ev: { stream?: string }) => {
          for (const line of (ev.stream ?? '').split('\n')) if (line.trim()) onLine(line);
        },
      );
    });
  });
}

export async function attachOutput(ctx: DockerContext, id: string, onChunk: (stream: 'stdout' | 'stderr', chunk: Buffer) => void): Promise<{ ended: Promise<void> }> {
  return call(ctx, 'attach', async () => {
    const stream = (await ctx.docker.getContainer(id).attach({ stream: true, stdout: true, stderr: true })) as NodeJS.ReadableStream;
    const out = new PassThrough();
    const err = new PassThrough();
    out.on('data', (b: Buffer) => onChunk('stdout', b));
    err.on('data', (b: Buffer) => onChunk('stderr', b));
    ctx.docker.modem.demuxStream(stream, out, err);
    const ended = finished(stream as Readable)
      .catch(() => undefined)
      .then(async () => {
        out.end();
        err.end();
        await Promise.all([finished(out), finished(err)]);
      });
    return { ended };
  });
}

export async function exec(ctx: DockerContext, id: string, cmd: readonly string[], options: { readonly user?: string } & WaitOptions): Promise<ExecOutcome> {
  const d = deadline(`exec of ${JSON.stringify(cmd.join(' ').slice(0, 80))}`, ctx.runSignal, options.timeoutMs);
  try {
    return await call(ctx, 'exec', () => execUntil(ctx, id, cmd, options.user, d.signal));
  } catch (e) {
    if (!d.signal.aborted) throw e;
    const why = d.why(e);
    // A step that runs past its bound is the container's doing, not the engine's.
    throw why.code === 'INTERRUPTED' ? why : new RoProfileError('CONTAINER_FAILED', `the command did not end within ${Math.round((options.timeoutMs ?? DEFAULT_WAIT_MS) / 1000)} s: ${cmd.join(' ').slice(0, 200)}`, { details: { timedOut: 'true' }, cause: e });
  } finally {
    d.done();
  }
}

async function execUntil(ctx: DockerContext, id: string, cmd: readonly string[], user: string | undefined, abortSignal: AbortSignal): Promise<ExecOutcome> {
  const ex = await ctx.docker.getContainer(id).exec({
    Cmd: [...cmd],
    AttachStdout: true,
    AttachStderr: true,
    ...(user ? { User: user } : {}),
    abortSignal,
  });
  const stream = await ex.start({ hijack: true, stdin: false, abortSignal });
  // The hijacked stream outlives the request: end it ourselves on abort.
  const onAbort = () => (stream as unknown as Readable).destroy(new Error('aborted'));
  abortSignal.addEventListener('abort', onAbort, { once: true });
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (b: Buffer) => chunks.out.push(b));
  err.on('data', (b: Buffer) => chunks.err.push(b));
  ctx.docker.modem.demuxStream(stream, out, err);
  await finished(stream).catch(() => undefined);
  abortSignal.removeEventListener('abort', onAbort);
  if (abortSignal.aborted) throw new Error('aborted');
  out.end();
  err.end();
  // Wait for both sides to flush before reading (the truncation race testcontainers fixed).
  await Promise.all([finished(out), finished(err)]);
  const st = await ex.inspect({ abortSignal });
  return {
    exitCode: st.ExitCode ?? -1,
    stdout: Buffer.concat(chunks.out).toString('utf8'),
    stderr: Buffer.concat(chunks.err).toString('utf8'),
  };
}

export async function getArchive(ctx: DockerContext, id: string, path: string, o?: WaitOptions): Promise<Readable> {
  // The bound covers the whole read, not only the answer: the stream is destroyed past it.
  const d = deadline('archive', ctx.runSignal, o?.timeoutMs ?? BULK_WAIT_MS);
  const stream = await call(ctx, 'archive', async () => (await ctx.docker.getContainer(id).getArchive({ path, abortSignal: d.signal })) as unknown as Readable).catch((e: unknown) => {
    d.done();
    throw d.signal.aborted ? d.why(e) : e;
  });
  const onAbort = () => stream.destroy(d.why());
  d.signal.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => {
    d.signal.removeEventListener('abort', onAbort);
    d.done();
  });
  return stream;
}
