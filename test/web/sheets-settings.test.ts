// The invite sheets and the office settings page over HTTP (issue 13.3). Settings: the API's schema checks the
// form, each error is shown next to its field (aria-describedby), nothing is saved on an error, a good form is
// saved and audited as the person. Invite sheets: the confirmation issues nothing; the POST gives every unlinked
// person of the school a new code (old unused ones stop working), one card each with the QR of the office's LINE
// account. Office tokens: listed without the token, made (shown once) and revoked after a confirmation, never by a
// session that an office token started. Directors and supervisors are refused and write nothing.
import { sql } from 'drizzle-orm';
import { renderSVG } from 'uqr';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSeed } from '../../src/demo/seed.js';
import { signInCookie, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { OFFICE as BASE, postFields, webOffice } from '../support/web.js';

let h: Harness;
let demo: DemoSeed;
let admin: string;
let director: string;
let supervisor: string;
let school = { id: '', name_th: '' };

const officeRow = () =>
  one<{ name_th: string; quiet_start: number; line_basic_id: string | null }>(
    h.db.db,
    sql`SELECT name_th, quiet_start::int AS quiet_start, line_basic_id FROM offices WHERE code = 'DEMO1'`,
  );

beforeAll(async () => {
  ({ h, demo, admin, director, supervisor } = await webOffice());
  school = await one<{ id: string; name_th: string }>(
    h.db.db,
    sql`SELECT s.id, s.name_th FROM schools s
         WHERE EXISTS (SELECT 1 FROM people p WHERE p.school_id = s.id AND p.line_user_id IS NULL)
         ORDER BY s.name_th LIMIT 1`,
  );
}, 180_000);
afterAll(() => h.close());

const good = {
  nameTh: 'สำนักงานเขตทดสอบการตั้งค่า',
  nameEn: 'Settings Test Office',
  quietStart: '21',
  quietEnd: '6',
  lineBasicId: '@123abcde',
  privacyNoticeTh: '',
};

describe('office settings page', () => {
  it('shows the current settings in a labelled form', async () => {
    const res = await h.fetch(`${BASE}/settings`, { headers: { cookie: admin } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`value="${demo.office.nameTh}"`);
    expect(html).toContain('<label for="lineBasicId">');
    expect(html).toContain('aria-describedby="lineBasicId-hint"');
  });

  it('bad fields: 400, each error next to its field, nothing saved', async () => {
    const before = await officeRow();
    const res = await postFields(h, `${BASE}/settings`, admin, {
      ...good,
      nameTh: '',
      quietStart: '25',
      lineBasicId: 'no-at-sign',
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="nameTh" name="nameTh" aria-describedby="nameTh-error" aria-invalid="true"/);
    expect(html).toMatch(/aria-describedby="quietStart-error" aria-invalid="true"/);
    expect(html).toMatch(/aria-describedby="lineBasicId-hint lineBasicId-error" aria-invalid="true"/);
    expect(html).toContain('<span id="lineBasicId-error" class="error field-error">ต้องขึ้นต้นด้วย @');
    expect(html).not.toContain('id="quietEnd-error"');
    // What was typed stays in the form.
    expect(html).toContain('value="no-at-sign"');
    expect(await officeRow()).toEqual(before);
  });

  it('a good form is saved with the API’s action, audited as the person, and shown again', async () => {
    const res = await postFields(h, `${BASE}/settings`, admin, good);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${BASE}/settings?saved=1`);
    expect(await officeRow()).toEqual({ name_th: good.nameTh, quiet_start: 21, line_basic_id: '@123abcde' });
    expect(await count(h.db.db, sql`audit_log WHERE action = 'office.update' AND actor LIKE 'person:%'`)).toBe(1);
    const again = await (await h.fetch(`${BASE}/settings?saved=1`, { headers: { cookie: admin } })).text();
    expect(again).toContain('บันทึกแล้ว');
    expect(again).toContain('value="@123abcde"');
  });

  it('directors and supervisors: 403, nothing saved', async () => {
    const before = await officeRow();
    for (const cookie of [director, supervisor]) {
      expect((await h.fetch(`${BASE}/settings`, { headers: { cookie } })).status).toBe(403);
      expect((await postFields(h, `${BASE}/settings`, cookie, { ...good, nameTh: 'แอบแก้' })).status).toBe(403);
    }
    expect(await officeRow()).toEqual(before);
  });
});

describe('invite sheets', () => {
  const unlinked = () =>
    count(h.db.db, sql`people WHERE school_id = ${school.id}::uuid AND line_user_id IS NULL AND status <> 'erased'`);
  const liveInvites = () =>
    count(
      h.db.db,
      sql`invites i JOIN people p ON p.id = i.person_id
           WHERE p.school_id = ${school.id}::uuid AND i.used_at IS NULL AND i.revoked_at IS NULL`,
    );

  it('lists schools with their unlinked people', async () => {
    const res = await h.fetch(`${BASE}/invite-sheets`, { headers: { cookie: admin } });
    expect(res.status).toBe(200);
    const html = await res.text();
    const row = new RegExp(`data-school="${school.id}"[\\s\\S]*?data-figure="unlinked">(\\d+)<`).exec(html);
    expect(Number(row?.[1])).toBe(await unlinked());
  });

  it('the confirmation page issues nothing', async () => {
    const before = await count(h.db.db, sql`invites`);
    const res = await h.fetch(`${BASE}/invite-sheets/${school.id}`, { headers: { cookie: admin } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`จะออกรหัสเชิญใหม่ ${await unlinked()} คน`);
    expect(await count(h.db.db, sql`invites`)).toBe(before);
  });

  it('printing gives every unlinked person one new code and a card with the office’s QR; old codes stop', async () => {
    const n = await unlinked();
    const oldLive = await one<{ ids: string[] }>(
      h.db.db,
      sql`SELECT coalesce(array_agg(i.id::text), '{}') AS ids FROM invites i JOIN people p ON p.id = i.person_id
           WHERE p.school_id = ${school.id}::uuid AND i.used_at IS NULL AND i.revoked_at IS NULL`,
    );
    const res = await postFields(h, `${BASE}/invite-sheets/${school.id}`, admin, {});
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const codes = [...html.matchAll(/data-figure="invite-code">([A-Z2-9]{4}-[A-Z2-9]{4})</g)].map((m) => m[1]);
    expect(codes).toHaveLength(n);
    expect(new Set(codes).size).toBe(n);
    expect(html.match(/<article class="card"/g)).toHaveLength(n);
    // The QR adds the office's account (its id set above); the same code drawn for the same link.
    expect(html).toContain(renderSVG('https://line.me/R/ti/p/@123abcde', { border: 2, ecc: 'M' }));
    expect(html).toContain('@media print{@page{size:A4');
    expect(await liveInvites()).toBe(n);
    if (oldLive.ids.length > 0) {
      expect(await count(h.db.db, sql`invites WHERE id = ANY(${oldLive.ids}::uuid[]) AND revoked_at IS NULL`)).toBe(0);
    }
    expect(
      await count(
        h.db.db,
        sql`audit_log WHERE action = 'invites.issue' AND target_type = 'school' AND target_id = ${school.id}`,
      ),
    ).toBe(1);
  });

  it('an unknown school is a 404; directors and supervisors get 403 and nothing is issued', async () => {
    expect((await postFields(h, `${BASE}/invite-sheets/00000000-0000-4000-8000-000000000000`, admin, {})).status).toBe(
      404,
    );
    expect((await h.fetch(`${BASE}/invite-sheets/not-a-uuid`, { headers: { cookie: admin } })).status).toBe(404);
    const before = await count(h.db.db, sql`invites`);
    for (const cookie of [director, supervisor]) {
      expect((await h.fetch(`${BASE}/invite-sheets`, { headers: { cookie } })).status).toBe(403);
      expect((await postFields(h, `${BASE}/invite-sheets/${school.id}`, cookie, {})).status).toBe(403);
    }
    expect(await count(h.db.db, sql`invites`)).toBe(before);
  });
});

describe('office tokens on the settings page', () => {
  let token = '';
  let tokenId = '';
  const tokens = () => count(h.db.db, sql`admin_tokens WHERE office_id = ${demo.office.id}::uuid`);

  it('a label is required: 400, the error beside the field, no token made', async () => {
    const before = await tokens();
    const res = await postFields(h, `${BASE}/settings/tokens`, admin, { label: '  ' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toMatch(/id="label" name="label" aria-describedby="label-hint label-error" aria-invalid="true"/);
    expect(html).toContain('<p id="label-error" class="field-error">กรุณาตั้งชื่อเรียก');
    expect(await tokens()).toBe(before);
  });

  it('makes a token with the API’s action, shows it once, keeps only its hash, and it signs in', async () => {
    const res = await postFields(h, `${BASE}/settings/tokens`, admin, { label: 'ธุรการ เครื่องสำนักงาน' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    token = /data-figure="office-token">(nta_[A-Za-z0-9_-]{43})</.exec(await res.text())?.[1] ?? '';
    expect(token).not.toBe('');
    const row = await one<{ id: string; token_hash: string }>(
      h.db.db,
      sql`SELECT id, token_hash FROM admin_tokens WHERE label = 'ธุรการ เครื่องสำนักงาน'`,
    );
    tokenId = row.id;
    expect(row.token_hash).not.toContain(token);
    expect(
      await count(
        h.db.db,
        sql`audit_log WHERE action = 'admin_token.create' AND target_id = ${tokenId} AND actor LIKE 'person:%'`,
      ),
    ).toBe(1);
    const list = await (await h.fetch(`${BASE}/settings`, { headers: { cookie: admin } })).text();
    expect(list).toContain(`data-token="${tokenId}"`);
    expect(list).not.toContain(token);
    // Signed in with it, the session reads the settings but may not make or revoke tokens.
    const byToken = await signInCookie(h, token);
    const seen = await (await h.fetch(`${BASE}/settings`, { headers: { cookie: byToken } })).text();
    expect(seen).toContain(`data-token="${tokenId}"`);
    expect(seen).not.toContain(`action="${BASE}/settings/tokens"`);
    expect(seen).not.toContain('/revoke"');
    const before = await tokens();
    expect((await postFields(h, `${BASE}/settings/tokens`, byToken, { label: 'จากโทเคน' })).status).toBe(403);
    expect((await postFields(h, `${BASE}/settings/tokens/${tokenId}/revoke`, byToken, {})).status).toBe(403);
    expect(await tokens()).toBe(before);
  });

  it('revokes only after the confirmation; the token then signs in no more', async () => {
    const confirm = await h.fetch(`${BASE}/settings/tokens/${tokenId}/revoke`, { headers: { cookie: admin } });
    expect(confirm.status).toBe(200);
    expect(await confirm.text()).toContain(`action="${BASE}/settings/tokens/${tokenId}/revoke"`);
    expect(await count(h.db.db, sql`admin_tokens WHERE id = ${tokenId}::uuid AND revoked_at IS NULL`)).toBe(1);
    for (const cookie of [director, supervisor]) {
      expect((await h.fetch(`${BASE}/settings/tokens/${tokenId}/revoke`, { headers: { cookie } })).status).toBe(403);
      expect((await postFields(h, `${BASE}/settings/tokens/${tokenId}/revoke`, cookie, {})).status).toBe(403);
      expect((await postFields(h, `${BASE}/settings/tokens`, cookie, { label: 'แอบสร้าง' })).status).toBe(403);
    }
    expect(await count(h.db.db, sql`admin_tokens WHERE id = ${tokenId}::uuid AND revoked_at IS NULL`)).toBe(1);
    const res = await postFields(h, `${BASE}/settings/tokens/${tokenId}/revoke`, admin, {});
    expect(res.status).toBe(303);
    expect(await count(h.db.db, sql`admin_tokens WHERE id = ${tokenId}::uuid AND revoked_at IS NOT NULL`)).toBe(1);
    expect(
      await count(
        h.db.db,
        sql`audit_log WHERE action = 'admin_token.revoke' AND target_id = ${tokenId} AND actor LIKE 'person:%'`,
      ),
    ).toBe(1);
    await expect(signInCookie(h, token)).rejects.toThrow(/sign-in answered/);
    // A revoked token has no revoke link and cannot be revoked again from the page.
    expect((await h.fetch(`${BASE}/settings/tokens/${tokenId}/revoke`, { headers: { cookie: admin } })).status).toBe(
      404,
    );
  });
});
