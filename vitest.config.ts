import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    restoreMocks: true,
    unstubEnvs: true,
    mockReset: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Pure code with no shared state between files: one module graph per worker, not per
          // file, which is most of the suite's wall time on a small machine.
          isolate: false,
          pool: 'threads',
          // Unit tests first: they fail fast, before the engine-driven suites start.
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/docker-global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // One file at a time: files share the engine, fixture images and the named volumes a plan
          // derives from image and path, so parallel files would remove each other's volumes.
          maxWorkers: 1,
          retry: process.env['CI'] ? 1 : 0,
        },
      },
    ],
  },
});
