import { describe, expect, it } from 'vitest';
import { CleanupScope } from '../../../src/pipeline/cleanup-scope.js';
import { silentReporter } from '../../../src/pipeline/reporter.js';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('CleanupScope', () => {
  it('removes last-in first-out, once, and a failing disposer does not stop the rest', async () => {
    const warned: string[] = [];
    const scope = new CleanupScope({ ...silentReporter, warn: (m: string) => warned.push(m) });
    const order: string[] = [];
    scope.add('a', async () => void order.push('a'));
    scope.add('b', async () => {
      throw new Error('busy');
    });
    scope.add('c', async () => void order.push('c'));
    await Promise.all([scope.dispose(), scope.dispose()]);
    expect(order).toEqual(['c', 'a']);
    expect(warned).toEqual(['could not remove b: busy']);
    expect(scope.pending()).toEqual([]);
  });

  it('halt lets the removal in flight end, starts no other, and what is pending is then exactly what stays', async () => {
    const scope = new CleanupScope(silentReporter);
    let release!: () => void;
    const removed: string[] = [];
    scope.add('container 1', async () => void removed.push('container 1'));
    scope.add('volume v', () => new Promise<void>((r) => (release = () => (removed.push('volume v'), r()))));
    const disposing = scope.dispose();
    await tick();
    expect(scope.pending()).toEqual(['volume v', 'container 1']);
    const halted = scope.halt(5000);
    release();
    await halted;
    await disposing;
    expect(removed).toEqual(['volume v']);
    expect(scope.pending()).toEqual(['container 1']);
  });

  it('halt gives up waiting after its bound, naming the removal still in flight', async () => {
    const scope = new CleanupScope(silentReporter);
    scope.add('container stuck', () => new Promise<void>(() => undefined));
    void scope.dispose();
    await tick();
    const started = Date.now();
    await scope.halt(50);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(scope.pending()).toEqual(['container stuck']);
  });
});
