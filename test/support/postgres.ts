// The PostgreSQL server of DATABASE_URL, for the few tests that need what PGlite's single session cannot give:
// several sessions at once (a migration lock raced by separate pools, a second transaction waiting on a lock) or a
// backend killed from outside. A file importing this module needs that server: the PGlite pass leaves it out by
// config (vitest.pglite.config.ts and test/projects.ts's postgresOnly), so it never shows as skipped.
export function postgresUrl(): string {
  const url = process.env.DATABASE_URL;
  if (url === undefined || url === '') throw new Error('this test needs DATABASE_URL (a PostgreSQL server)');
  return url;
}
