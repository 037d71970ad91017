// `npm run cli -- export sar`: the same synthesis as the admin API, written to a file (CSV table or XLSX), audited;
// an unknown campaign is an error that writes nothing.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { openNodeDatabase } from '../../src/db/node.js';
import { cliTarget, type CliTarget } from '../support/cli.js';
import { school, seedSar, type SarFixture } from './fixture.js';

let t: CliTarget;
let f: SarFixture;
beforeAll(async () => {
  t = await cliTarget('nithet-sar-cli-');
  const database = await openNodeDatabase({ databaseUrl: t.env.DATABASE_URL, dataDir: t.dataDir });
  try {
    f = await seedSar(database.db, Date.parse('2026-11-20T02:00:00Z'));
  } finally {
    await database.close();
  }
}, 90_000);
afterAll(() => t.close());

describe('npm run cli -- export sar', () => {
  it('CSV below-target table and the XLSX workbook to --out, each export audited', async () => {
    const csvPath = join(t.dataDir, 'below.csv');
    const csv = await t.cli(
      'export',
      'sar',
      '--campaign',
      f.campaignId,
      '--format',
      'csv',
      '--table',
      'below',
      '--out',
      csvPath,
    );
    expect(csv.stderr).toBe('');
    expect(csv.code).toBe(0);
    expect(csv.stdout).toContain('3/12 schools');
    const text = readFileSync(csvPath, 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text).toContain(`มาตรฐานที่ 1 คุณภาพของผู้เรียน,${school(0).code},${school(0).nameTh},`);
    expect(text.trim().split('\r\n')).toHaveLength(4); // header + one school per standard

    const xlsxPath = join(t.dataDir, 'sar.xlsx');
    const xlsx = await t.cli('export', 'sar', '--campaign', f.campaignId, '--format', 'xlsx', '--out', xlsxPath);
    expect(xlsx.code).toBe(0);
    const files = unzipSync(new Uint8Array(readFileSync(xlsxPath)));
    const workbook = strFromU8(files['xl/workbook.xml'] ?? new Uint8Array());
    expect(workbook.match(/<sheet /g)).toHaveLength(4); // the feedback sheet too

    const database = await openNodeDatabase({ databaseUrl: t.env.DATABASE_URL, dataDir: t.dataDir, migrate: false });
    try {
      const rows = await queryRows<{ detail: { format: string } }>(
        database.db,
        sql`SELECT detail FROM audit_log WHERE action = 'export.sar' AND target_id = ${f.campaignId} ORDER BY id`,
      );
      expect(rows.map((r) => r.detail.format)).toEqual(['csv', 'xlsx']);
    } finally {
      await database.close();
    }
  }, 120_000);

  it('an unknown campaign is an error and writes no file', async () => {
    const out = join(t.dataDir, 'none.csv');
    const r = await t.cli(
      'export',
      'sar',
      '--campaign',
      '00000000-0000-4000-8000-000000000000',
      '--format',
      'csv',
      '--out',
      out,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('no SAR campaign');
    expect(existsSync(out)).toBe(false);
  }, 60_000);
});
