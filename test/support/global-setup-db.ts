// Once per `vitest run` of the projects that open databases: the migrated template, built before the files start
// so that they do not race to build it (test/support/db.ts). Postgres when DATABASE_URL is set; the PGlite snapshot
// always, as some files use PGlite whatever DATABASE_URL says.
import { pgliteSnapshot, postgresTemplate } from './db.js';

export default async function setup(): Promise<void> {
  const base = process.env.DATABASE_URL;
  await Promise.all([pgliteSnapshot(), base === undefined || base === '' ? undefined : postgresTemplate(base)]);
}
