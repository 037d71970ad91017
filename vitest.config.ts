import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { projects } from './test/projects.js';

// `npm test` runs the three projects; `npm run test:unit|test:db|test:e2e` one of them. Files are put in a project
// by what they import (test/projects.ts), so a new test needs no naming rule. The fault and fuzz tests run apart:
// `npm run test:faults` (vitest.faults.config.ts).
const byProject = projects(fileURLToPath(new URL('.', import.meta.url)));

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: more workers only thrash. Each file gets its own database, so files may run in parallel.
    maxWorkers: 2,
    globalSetup: ['test/support/global-setup.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: byProject.unit } },
      { extends: true, test: { name: 'db', include: byProject.db } },
      { extends: true, test: { name: 'e2e', include: byProject.e2e } },
    ],
  },
});
