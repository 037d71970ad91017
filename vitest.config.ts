import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'flex-templates/**/*.test.ts'],
    // The fault and fuzz tests run apart: `npm run test:faults` (vitest.faults.config.ts).
    exclude: ['**/node_modules/**', 'test/faults/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only thrash. Each file gets its own database, so files may run in parallel.
    maxWorkers: 2,
  },
});
