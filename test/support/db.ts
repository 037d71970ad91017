// A database of its own for each test file: a fresh database on the real Postgres when DATABASE_URL is set,
// an in-memory PGlite otherwise. Migrations run exactly as in production, but once per schema rather than once
// per file: the migrated database is kept as a template (Postgres: `CREATE DATABASE … TEMPLATE`; PGlite: a dump of
// its data folder under node_modules/.cache), named by a hash of the migrations and the derived SQL, so a changed
// migration builds a new one. test/support/global-setup.ts builds it before the files start.
import { createHash, randomBytes } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/pglite';
import pg from 'pg';
import { pendingAudienceFunction } from '../../src/checklists/pending.queries.js';
import { migrationsFolder, openNodeDatabase, type NodeDatabase } from '../../src/db/node.js';
import * as schema from '../../src/db/schema.js';

export interface TestDatabase extends NodeDatabase {
  /** Connection string of this file's database (undefined on PGlite). */
  url: string | undefined;
}

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

function* filesUnder(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* filesUnder(path);
    else yield path;
  }
}

let schemaKeyMemo: string | undefined;
/** What the template depends on: every file of drizzle/ (SQL, journal, snapshots) and the derived SQL. */
export function schemaKey(): string {
  if (schemaKeyMemo !== undefined) return schemaKeyMemo;
  const h = createHash('sha256');
  for (const f of filesUnder(migrationsFolder))
    h.update(relative(migrationsFolder, f)).update('\0').update(readFileSync(f));
  h.update(pendingAudienceFunction());
  schemaKeyMemo = h.digest('hex').slice(0, 16);
  return schemaKeyMemo;
}

const adminQuery = async (base: string, text: string, values: unknown[] = []) => {
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  try {
    return await c.query<Record<string, unknown>>(text, values);
  } finally {
    await c.end();
  }
};

/**
 * The migrated template database on the server at `base`, built if missing. It appears under its final name only
 * when complete (built under a temporary name, then renamed), and an advisory lock keeps two builders apart.
 * Templates of other schema keys are left alone: other checkouts on the same server may be using them.
 */
export async function postgresTemplate(base: string): Promise<string> {
  const name = `nithet_template_${schemaKey()}`;
  const exists = async () =>
    (await adminQuery(base, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  if (await exists()) return name;
  const lock = new pg.Client({ connectionString: base });
  await lock.connect();
  try {
    await lock.query("SELECT pg_advisory_lock(hashtext('nithet_template'))");
    if (await exists()) return name;
    const building = `${name}_${randomBytes(3).toString('hex')}`;
    await lock.query(`CREATE DATABASE ${building}`);
    const db = await openNodeDatabase({ databaseUrl: withDatabase(base, building), dataDir: '', poolSize: 1 });
    await db.close();
    await lock.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    return name;
  } finally {
    await lock.query("SELECT pg_advisory_unlock(hashtext('nithet_template'))").catch(() => {});
    await lock.end();
  }
}

const SNAPSHOT_DIR = fileURLToPath(new URL('../../node_modules/.cache/nithet-db', import.meta.url));

/**
 * A migrated PGlite's data folder as a tarball (PGlite's dumpDataDir), built if missing; loading it skips both
 * PGlite's initdb and the migrations. Written aside and renamed, so a racing reader never sees half a file.
 */
export async function pgliteSnapshot(): Promise<string> {
  const path = join(SNAPSHOT_DIR, `pglite-${schemaKey()}.tar`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const db = await openNodeDatabase({ databaseUrl: undefined, dataDir: 'memory://' });
  const client = (db.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } }).$client;
  const dump = Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer());
  await db.close();
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  for (const old of readdirSync(SNAPSHOT_DIR))
    if (old.startsWith('pglite-') && old.endsWith('.tar')) rmQuiet(join(SNAPSHOT_DIR, old));
  const tmp = `${path}.${process.pid}.${randomBytes(3).toString('hex')}`;
  writeFileSync(tmp, dump);
  renameSync(tmp, path);
  return path;
}

function rmQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // another process removed it first
  }
}

async function openPgliteFromSnapshot(): Promise<NodeDatabase> {
  const { PGlite } = await import('@electric-sql/pglite');
  const loadDataDir = new Blob([readFileSync(await pgliteSnapshot())]);
  const client = await PGlite.create('memory://', { loadDataDir });
  const db = drizzle(client, { schema }) as unknown as NodeDatabase['db'];
  return { db, kind: 'pglite', warm: () => Promise.resolve(), close: () => client.close() };
}

/**
 * Fills an empty PGlite DATA_DIR (its `pglite/` folder, as openNodeDatabase and the CLI use it) from the snapshot,
 * so whoever opens it next finds the migrations applied. A folder that already holds a database is left alone.
 */
export async function seedPgliteDir(dataDir: string): Promise<void> {
  const dir = join(dataDir, 'pglite');
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  const { PGlite } = await import('@electric-sql/pglite');
  mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir, { loadDataDir: new Blob([readFileSync(await pgliteSnapshot())]) });
  await client.close();
}

export async function createTestDatabase(
  opts: { poolSize?: number; pglite?: boolean; pgliteDir?: string } = {},
): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (opts.pglite === true || base === undefined || base === '') {
    if (opts.pgliteDir === undefined || opts.pgliteDir === 'memory://')
      return { ...(await openPgliteFromSnapshot()), url: undefined };
    await seedPgliteDir(opts.pgliteDir);
    const db = await openNodeDatabase({ databaseUrl: undefined, dataDir: opts.pgliteDir });
    return { ...db, url: undefined };
  }
  const name = `nithet_t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  try {
    await adminQuery(base, `CREATE DATABASE ${name} TEMPLATE ${await postgresTemplate(base)}`);
  } catch (err) {
    // 3D000: the template was dropped meanwhile (by hand, or an older version of this file); build it again.
    if ((err as { code?: string }).code !== '3D000') throw err;
    await adminQuery(base, `CREATE DATABASE ${name} TEMPLATE ${await postgresTemplate(base)}`);
  }
  const url = withDatabase(base, name);
  const db = await openNodeDatabase({ databaseUrl: url, dataDir: '', poolSize: opts.poolSize ?? 10, migrate: false });
  return {
    ...db,
    url,
    async close() {
      await db.close();
      await adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}
