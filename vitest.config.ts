import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { projects } from './test/projects.js';

// `npm test` runs the three projects; `npm run test:unit|test:db|test:e2e` one of them. Files are put in a project
// by what they import (test/projects.ts), so a new test needs no naming rule. The fault and fuzz tests run apart:
// `npm run test:faults` (vitest.faults.config.ts).
const byProject = projects(fileURLToPath(new URL('.', import.meta.url)));
// Once per run: the fake LINE's validators (all projects), the migrated template databases (db, e2e).
const spec = 'test/support/global-setup.ts';
const databases = 'test/support/global-setup-db.ts';

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only thrash. Each file gets its own database, so files may run in parallel.
    maxWorkers: 2,
    projects: [
      // Pure tests share one module graph per worker (no per-file isolation): a third of the time. A unit test that
      // mocks modules or changes globals must undo it, or move to a project that isolates.
      { extends: true, test: { name: 'unit', include: byProject.unit, globalSetup: [spec], isolate: false } },
      { extends: true, test: { name: 'db', include: byProject.db, globalSetup: [spec, databases] } },
      { extends: true, test: { name: 'e2e', include: byProject.e2e, globalSetup: [spec, databases] } },
    ],
  },
});
