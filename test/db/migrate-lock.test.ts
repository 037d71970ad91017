// Two processes migrating one database at once (a server and a CLI run, two replicas starting together) take
// turns under an advisory lock: both open, the migrations are applied once, and the derived SQL is in place.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrationsFolder, openNodeDatabase } from '../../src/db/node.js';
import { withDatabase } from '../support/db.js';
import { postgresUrl } from '../support/postgres.js';

const base = postgresUrl();

describe('migrating from several processes at once', () => {
  it('every opener succeeds and each migration is recorded once', async () => {
    const name = `nithet_t_mig_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    const url = withDatabase(base, name);
    try {
      // Separate pools, as separate processes have: four openers race on a fresh database.
      const opened = await Promise.allSettled(
        Array.from({ length: 4 }, () => openNodeDatabase({ databaseUrl: url, dataDir: '', poolSize: 3 })),
      );
      const failures = opened.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
      for (const r of opened) if (r.status === 'fulfilled') await r.value.close();
      expect(failures).toEqual([]);

      const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
        entries: unknown[];
      };
      const check = new pg.Client({ connectionString: url });
      await check.connect();
      try {
        const applied = await check.query<{ n: number }>('SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations');
        expect(applied.rows[0]?.n).toBe(journal.entries.length);
        const fn = await check.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_proc WHERE proname = 'nithet_pending_audience'`,
        );
        expect(fn.rows[0]?.n).toBe(1);
      } finally {
        await check.end();
      }
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }, 120_000);
});
