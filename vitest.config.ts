import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { importing, POSTGRES_ONLY, projects } from './test/projects.js';

// `npm test` runs the three projects; `npm run test:unit|test:db|test:e2e` one of them. Files are put in a project
// by what they import (test/projects.ts), so a new test needs no naming rule. The fault and fuzz tests run apart:
// `npm run test:faults` (vitest.faults.config.ts); the PGlite parity pass too (vitest.pglite.config.ts).
const root = fileURLToPath(new URL('.', import.meta.url));
const byProject = projects(root);
// Without a PostgreSQL server the few files that need one (test/support/postgres.ts) are left out, not skipped.
const postgres = (process.env.DATABASE_URL ?? '') !== '';
const serverOnly = postgres ? [] : importing(root, [...byProject.db, ...byProject.e2e], POSTGRES_ONLY);
const without = (files: string[]) => files.filter((f) => !serverOnly.includes(f));
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
      // The unit and db files share one module graph per worker (no per-file isolation): importing the app afresh
      // for every file was 40% of the db project's time. Every db file opens a database of its own, so no rows are
      // shared; a test that mocks modules, spies or changes globals must undo it in its own file.
      { extends: true, test: { name: 'unit', include: byProject.unit, globalSetup: [spec], isolate: false } },
      {
        extends: true,
        test: { name: 'db', include: without(byProject.db), globalSetup: [spec, databases], isolate: false },
      },
      // Isolated: these start processes, browsers and servers, and one (pgbouncer) changes the statement naming of
      // the whole process.
      { extends: true, test: { name: 'e2e', include: without(byProject.e2e), globalSetup: [spec, databases] } },
    ],
  },
});
