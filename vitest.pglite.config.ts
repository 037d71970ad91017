import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { importing, POSTGRES_ONLY, projects } from './test/projects.js';

// `npm run test:pglite` (part of `npm run check`, without DATABASE_URL): the PGlite parity pass, on the database of
// a one-machine install (`npm start` without DATABASE_URL). PGlite is PostgreSQL itself compiled to WASM, so a
// query means the same on both; what differs lies around the SQL, and this pass runs the db-project files that
// cross it — the rule, by folder and by what a file imports:
//   - the database layer (src/db/, test/db/): PGlite's driver and its type parsers, no named statements, its
//     migrator and the data folder's lock;
//   - the CLI (test/cli/, and every file driving it through test/support/cli.ts): what an operator runs there;
//   - the writes one session serialises: a turn through the webhook, the tick and its units, the outbox sender,
//     bulk imports (test/webhook/, test/tick/, test/scheduler/, src/scheduler/, test/outbox/, test/imports/);
//   - the typed reads, where each driver's parsers turn dates, numbers and JSON into values: reports, exports.
// The rest of the db project (pages, authorization matrices, the other flows) is the same SQL through the same
// code; `npm test` runs all of it on PostgreSQL. Files needing a PostgreSQL server (test/support/postgres.ts) are
// left out here, never skipped. Files that open PGlite themselves already ran on it in `npm test`.
const PARITY = [
  'src/db/',
  'test/db/',
  'test/cli/',
  'test/webhook/',
  'test/tick/',
  'test/scheduler/',
  'src/scheduler/',
  'test/outbox/',
  'test/imports/',
  'test/reports/',
  'test/exports/',
];

const root = fileURLToPath(new URL('.', import.meta.url));
const { db } = projects(root);
const cli = importing(root, db, [/support\/cli(\.js)?$/]);
const serverOnly = importing(root, db, POSTGRES_ONLY);
export const parityFiles = db.filter(
  (f) => (PARITY.some((p) => f.startsWith(p)) || cli.includes(f)) && !serverOnly.includes(f),
);

export default defineConfig({
  test: {
    include: parityFiles,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    maxWorkers: 2,
    isolate: false, // as the db project (vitest.config.ts)
    globalSetup: ['test/support/global-setup.ts', 'test/support/global-setup-db.ts'],
  },
});
