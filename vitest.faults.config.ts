import { defineConfig } from 'vitest/config';

// `npm run test:faults`: the fault and fuzz tests, kept out of `npm test` because they stop and crash their own
// PostgreSQL, wait out outages and push many thousands of requests. One file at a time: they measure timings.
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    globalSetup: ['test/support/global-setup.ts', 'test/support/global-setup-db.ts'],
    // The fuzz tests measure heap growth after a full GC.
    execArgv: ['--expose-gc'],
  },
});
