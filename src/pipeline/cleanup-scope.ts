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

  private async run(): Promise<void> {
    while (this.entries.length > 0) {
      const e = this.entries.pop()!;
      this.inFlight.add(e.label);
      try {
        await e.fn();
      } catch (err) {
        this.reporter.warn(`could not remove ${e.label}: ${messageOf(err)}`);
      } finally {
        this.inFlight.delete(e.label);
      }
    }
  }
}
