import { messageOf } from '../errors.js';
import type { Reporter } from './reporter.js';

/**
 * Owns what a run created and removes it on every exit path: `dispose` runs the
 * disposers last-in first-out, once, logging (never throwing) their failures so the
 * original error of the run is the one the user sees.
 */
export class CleanupScope implements AsyncDisposable {
  private readonly entries: { label: string; fn: () => Promise<void> }[] = [];
  private disposing: Promise<void> | undefined;
  /** Set by a second Ctrl-C: no further disposer starts, so what is left stays as it was named. */
  private halted = false;
  private current: Promise<void> | undefined;
  /** Being removed right now: still there until its disposer returns. */
  private readonly inFlight = new Set<string>();

  constructor(private readonly reporter: Reporter) {}

  add(label: string, fn: () => Promise<void>): void {
    this.entries.push({ label, fn });
  }

  private readonly paths = new Set<string>();

  /**
   * A local temp dir the run owns (its own disposer removes it): a second Ctrl-C removes it on
   * the spot, as it needs no engine. Returns the release to call once it is gone.
   */
  trackPath(path: string): () => void {
    this.paths.add(path);
    return () => void this.paths.delete(path);
  }

  /** Local temp dirs still there. */
  localPaths(): string[] {
    return [...this.paths];
  }

  /** What is still owned, for the "left behind" message of a second Ctrl-C. */
  pending(): string[] {
    return [...this.inFlight, ...this.entries.map((e) => e.label)];
  }

  dispose(): Promise<void> {
    this.disposing ??= this.run();
    return this.disposing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }

  /**
   * Stops the cleanup where it is (a second Ctrl-C): no further disposer starts, and this resolves
   * once the one running has returned or `waitMs` has passed, so a list of what is left, made
   * after it, names what really stays.
   */
  async halt(waitMs: number): Promise<void> {
    this.halted = true;
    if (!this.current) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.current, new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
  }

  private async run(): Promise<void> {
    while (this.entries.length > 0 && !this.halted) {
      const e = this.entries.pop()!;
      this.inFlight.add(e.label);
      this.current = this.runOne(e);
      await this.current;
      this.current = undefined;
    }
  }

  private async runOne(e: { label: string; fn: () => Promise<void> }): Promise<void> {
    try {
      await e.fn();
    } catch (err) {
      this.reporter.warn(`could not remove ${e.label}: ${messageOf(err)}`);
    } finally {
      this.inFlight.delete(e.label);
    }
  }
}
