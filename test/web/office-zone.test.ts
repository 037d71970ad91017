// Every page shows times in the office's own zone (offices.time_zone), not Bangkok's: an office whose zone is a
// day ahead (Pacific/Kiritimati, UTC+14) sees its audit rows at its own clock time.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { thaiDateTime } from '../../src/web/web.th.js';
import { one } from '../support/sql.js';
import { OFFICE, getPage, webOffice, type WebOffice } from '../support/web.js';

let w: WebOffice;
beforeAll(async () => {
  w = await webOffice();
  await w.h.db.db.execute(sql`UPDATE offices SET time_zone = 'Pacific/Kiritimati' WHERE code = 'DEMO1'`);
}, 120_000);
afterAll(() => w.h.close());

describe("pages in the office's time zone", () => {
  it('the audit log shows each row at the office clock', async () => {
    // The newest row before the page is read (reading it may audit itself).
    const newest = await one<{ at_ms: string }>(
      w.h.db.db,
      sql`SELECT (extract(epoch FROM a.at) * 1000)::bigint::text AS at_ms
            FROM audit_log a JOIN offices o ON o.id = a.office_id
           WHERE o.code = 'DEMO1' ORDER BY a.id DESC LIMIT 1`,
    );
    const res = await getPage(w.h, `${OFFICE}/audit`, w.admin);
    expect(res.status).toBe(200);
    const html = await res.text();
    const at = Number(newest.at_ms);
    expect(at).toBeGreaterThan(0);
    const office = thaiDateTime(at, 'Pacific/Kiritimati');
    const bangkok = thaiDateTime(at, 'Asia/Bangkok');
    expect(office).not.toBe(bangkok);
    expect(html).toContain(office);
    expect(html).not.toContain(bangkok);
  });

  it('the people and PDPA pages render for such an office', async () => {
    for (const path of ['/people', '/pdpa', '']) {
      expect((await getPage(w.h, `${OFFICE}${path}`, w.admin)).status).toBe(200);
    }
  });

  it("an export's file name carries the office's date, not Bangkok's", async () => {
    // 12:00 UTC: still the 20th in Bangkok (19:00), already the 21st on the office's clock (02:00).
    w.h.clock.now = Date.parse('2026-11-20T12:00:00Z');
    const res = await getPage(w.h, '/admin/api/v1/offices/DEMO1/exports/visits?format=csv', w.admin);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/filename="visits-[\w-]*-2026-11-21\.csv"/);
  });
});
