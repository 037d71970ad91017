// Ranking and honouring schools (issue 15 item 6) over HTTP on invented rows: the office's schools ranked by the
// SAR level, the improvement since last year and the visit follow-ups closed, in the order the office chooses; a
// 400 naming the field for bad input; the admin ticks schools on the page, previews and publishes; each principal
// gets the honour list inside their one daily push (not at the weekend), publishing the same list again tells nobody
// twice, and the publish is stored and audited. Directors read the ranking, but only an admin publishes.
import { sql } from 'drizzle-orm';
import readXlsxFile from 'read-excel-file/universal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { tick } from '../../src/scheduler/tick.js';
import { body, ev, userId } from '../support/events.js';
import { ADMIN } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { getPage, OFFICE, postFields, webOffice, type WebOffice } from '../support/web.js';

let w: WebOffice;
const API = '/admin/api/v1/offices/DEMO1/honours';
const code: string[] = [];
const id: Record<string, string> = {};
const api = (path: string, init: RequestInit = {}) =>
  w.h.fetch(`${API}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json', ...init.headers },
  });

/** A submitted SAR (sar-basic) of a school in the campaign of that academic year, with its standards' levels. */
async function sar(school: string, year: 2568 | 2569, levels: [number, number, number]) {
  const r = crypto.randomUUID();
  const at = year === 2569 ? '2026-06-15T03:00:00Z' : '2025-06-15T03:00:00Z';
  await w.h.db.db.execute(sql`
    INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, status, started_at,
                           submitted_at, updated_at)
    SELECT ${r}::uuid, s.office_id, cp.id, cp.checklist_id, s.id, s.id, 'submitted', ${at}::timestamptz,
           ${at}::timestamptz, ${at}::timestamptz
      FROM schools s JOIN campaigns cp ON cp.title_th = ${`SAR ทดสอบ ${year}`} WHERE s.code = ${school}`);
  for (const [i, v] of levels.entries())
    await w.h.db.db.execute(sql`INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
      VALUES (${r}::uuid, ${`s${i + 1}_level`}, 0, ${JSON.stringify(v)}::jsonb, ${at}::timestamptz)`);
}

/** A visit done in term 2 of 2569 with follow-ups, `done` of them closed. */
async function followUps(school: string, done: number, open: number) {
  const v = crypto.randomUUID();
  await w.h.db.db.execute(sql`
    INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, status, recorded_at)
    SELECT ${v}::uuid, s.office_id, s.id, p.id, '2026-11-05T02:00:00Z', 'นิเทศ', 'done', '2026-11-05T05:00:00Z'
      FROM schools s, people p WHERE s.code = ${school} AND p.external_id = 'demo-supervisor-1'`);
  await w.h.db.db.execute(sql`
    INSERT INTO visit_actions (id, office_id, school_id, visit_id, position, what_th, status)
    SELECT gen_random_uuid(), office_id, school_id, id, n, 'ข้อตกลงที่ ' || n,
           CASE WHEN n <= ${done} THEN 'done' ELSE 'open' END
      FROM visits, generate_series(1, ${done + open}) n WHERE id = ${v}::uuid`);
}

/** Links a demo person on LINE (as they would, with an invite code); answers their LINE user id. */
async function link(externalId: string): Promise<string> {
  const p = await one<{ id: string }>(
    w.h.db.db,
    sql`SELECT id FROM people WHERE office_id = ${w.demo.office.id} AND external_id = ${externalId}`,
  );
  const [invite] = await issueInvites(w.h.db.db, w.demo.office.id, [p.id], w.h.clock.now);
  const user = userId(`honours-${externalId}`);
  await w.h.webhook(body(ev.text(invite?.code ?? '', { user })));
  await w.h.settle();
  await w.h.webhook(body(ev.text('ใช่', { user }))); // whose account it is: confirmed
  await w.h.settle();
  return user;
}

const ranked = async (query: string) => {
  const res = await api(query);
  expect(res.status).toBe(200);
  const j = await res.json<{ schools: { code: string; rank: number; why: string }[] }>();
  return j.schools;
};

beforeAll(async () => {
  w = await webOffice(); // Friday 20 November 2026, term 2 of 2569
  const rows = await queryRows<{ id: string; code: string }>(
    w.h.db.db,
    sql`SELECT id, code FROM schools WHERE office_id = ${w.demo.office.id} ORDER BY code`,
  );
  for (const r of rows) {
    code.push(r.code);
    id[r.code] = r.id;
  }
  await w.h.db.db.execute(sql`
    INSERT INTO campaigns (office_id, checklist_id, title_th, roles, opens_at, due_at)
    SELECT ${w.demo.office.id}, ck.id, 'SAR ทดสอบ ' || y, ARRAY['principal'], (y - 543 || '-05-01')::date,
           (y - 542 || '-03-31')::date
      FROM checklists ck, (VALUES (2568), (2569)) AS v(y)
     WHERE ck.office_id IS NULL AND ck.key = 'sar-basic'
       AND ck.version = (SELECT max(version) FROM checklists c2 WHERE c2.key = ck.key)`);
  const [s1, s2, s3, s4] = [code[0] ?? '', code[1] ?? '', code[2] ?? '', code[3] ?? ''];
  // s1: the best SAR, unchanged since last year, 1 of 2 follow-ups closed.
  await sar(s1, 2569, [5, 5, 4]);
  await sar(s1, 2568, [5, 5, 4]);
  await followUps(s1, 1, 1);
  // s2: a middling SAR, two levels up on last year, none of its follow-up closed.
  await sar(s2, 2569, [4, 4, 4]);
  await sar(s2, 2568, [2, 2, 2]);
  await followUps(s2, 0, 1);
  // s3: the lowest SAR, none last year, every follow-up (3) closed.
  await sar(s3, 2569, [3, 3, 3]);
  await followUps(s3, 3, 0);
  // s4: no SAR at all, the most follow-ups closed (5).
  await followUps(s4, 5, 0);
}, 180_000);
afterAll(() => w.h.close());

describe('the ranking', () => {
  it('by the SAR level, the improvement, or the follow-ups closed; schools without the figure last', async () => {
    const [s1, s2, s3, s4] = code;
    const top4 = async (q: string) => (await ranked(q)).slice(0, 4).map((s) => s.code);
    expect(await top4('?year=2569&term=2&by=sar')).toEqual([s1, s2, s3, s4]);
    expect(await top4('?year=2569&term=2&by=improvement')).toEqual([s2, s1, s3, s4]);
    expect(await top4('?year=2569&term=2&by=actions')).toEqual([s4, s3, s1, s2]);
    // s3 and s4 have no SAR last year: no improvement figure, so after s1 and s2; the next criterion orders them.
    const r = await ranked('?year=2569&term=2&by=improvement,actions');
    expect(r.slice(0, 4).map((s) => s.code)).toEqual([s2, s1, s4, s3]);
    expect(r.slice(0, 4).map((s) => s.rank)).toEqual([1, 2, 3, 4]);
    expect(r[0]?.why).toBe('สูงสุดด้านพัฒนาการจากปีที่แล้ว (+2.00 จาก SAR)');
    expect(r[3]?.why).toMatch(
      /^เท่ากันด้านพัฒนาการจากปีที่แล้ว; ตามหลัง โรงเรียน\S+ ด้านข้อตกลงจากการนิเทศที่ดำเนินการแล้ว \(3\/3 ข้อ ต่อ 5\/5 ข้อ\)$/,
    );
    // Term 1 has no follow-ups: nobody has the figure, every school shares rank 1, in code order.
    const t1 = await ranked('?year=2569&term=1&by=actions');
    expect(t1.map((s) => s.code)).toEqual(code);
    expect(new Set(t1.map((s) => s.rank))).toEqual(new Set([1]));
  });

  it('a bad criterion, year or term is a 400 naming the field', async () => {
    for (const [q, field] of [
      ['?by=sar,speed', 'by'],
      ['?by=sar,sar', 'by'],
      ['?year=69', 'year'],
      ['?term=3', 'term'],
    ] as const) {
      const res = await api(q);
      expect(res.status, q).toBe(400);
      expect(await res.text(), q).toContain(`"field":"${field}"`);
    }
    const bad = await api('', {
      method: 'POST',
      body: JSON.stringify({ year: 2569, schoolIds: [crypto.randomUUID()], title: '', audience: 'principals' }),
    });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain('"field":"title"');
    const unknown = await api('', {
      method: 'POST',
      body: JSON.stringify({ year: 2569, schoolIds: [crypto.randomUUID()], title: 'ยกย่อง', audience: 'principals' }),
    });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('"field":"schoolIds.0"');
    expect(await count(w.h.db.db, sql`honour_lists`)).toBe(0);
  });
});

describe('publishing an honour list', () => {
  const TITLE = 'ประกาศยกย่องโรงเรียนคุณภาพ ภาคเรียนที่ 2/2569';
  const users: Record<string, string> = {};
  const pushesTo = (user: string) =>
    w.h.line
      .pushes()
      .filter((p) => (p.body as { to?: string }).to === user)
      .map((p) => JSON.stringify(p.body));
  const fields = () =>
    [
      ['year', '2569'],
      ['term', '2'],
      ['by', 'sar'],
      ['by', 'actions'],
      ['school', id[code[0] ?? ''] ?? ''],
      ['school', id[code[2] ?? ''] ?? ''],
      ['title', TITLE],
      ['message', 'ขอแสดงความยินดีกับโรงเรียนที่มีผลการพัฒนาโดดเด่น'],
      ['audience', 'principals'],
    ] as [string, string][];
  let names: string[] = [];

  beforeAll(async () => {
    for (const x of ['demo-principal-1', 'demo-principal-2', 'demo-teacher-1-1']) users[x] = await link(x);
    names = (
      await queryRows<{ name_th: string }>(
        w.h.db.db,
        sql`SELECT name_th FROM schools WHERE code IN (${code[0]}, ${code[2]}) ORDER BY code`,
      )
    ).map((r) => r.name_th);
  });

  it('a director reads the ranking but is offered no form and may not publish', async () => {
    const html = await (await getPage(w.h, `${OFFICE}/honours?year=2569&term=2&by=sar`, w.director)).text();
    expect(html).toContain(`data-school="${code[0]}" data-rank="1"`);
    expect(html).not.toContain('name="school"');
    expect((await postFields(w.h, `${OFFICE}/honours`, w.director, fields())).status).toBe(403);
    expect((await postFields(w.h, `${OFFICE}/honours/preview`, w.director, fields())).status).toBe(403);
  });

  it('the admin ticks schools, previews, publishes; a second publish tells nobody again', async () => {
    const form = await (await getPage(w.h, `${OFFICE}/honours?year=2569&term=2&by=sar&by=actions`, w.admin)).text();
    expect(form).toContain(`name="school" value="${id[code[0] ?? '']}"`);
    const preview = await postFields(w.h, `${OFFICE}/honours/preview`, w.admin, fields());
    expect(preview.status).toBe(200);
    const p = await preview.text();
    expect(p).toContain(TITLE);
    expect(p).toContain(`1. ${names[0]}`);
    expect(p).toContain(`3. ${names[1]}`);
    expect(p).toContain('action="/admin/offices/DEMO1/honours"');
    expect(await count(w.h.db.db, sql`outbox_items WHERE kind = 'notice'`)).toBe(0); // a preview sends nothing

    const res = await postFields(w.h, `${OFFICE}/honours`, w.admin, fields());
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${OFFICE}/honours?year=2569&term=2&published=2`); // 2 linked principals
    const again = await postFields(w.h, `${OFFICE}/honours`, w.admin, fields());
    expect(again.headers.get('location')).toBe(`${OFFICE}/honours?year=2569&term=2&published=again`);
    expect(await count(w.h.db.db, sql`outbox_items WHERE kind = 'notice'`)).toBe(2);
    expect(await count(w.h.db.db, sql`honour_lists`)).toBe(1);
    const admin = await one<{ id: string }>(w.h.db.db, sql`SELECT id FROM people WHERE external_id = 'demo-admin'`);
    const audited = await queryRows<{ actor: string; detail: { recipients: number; schools: string[] } }>(
      w.h.db.db,
      sql`SELECT actor, detail FROM audit_log WHERE action = 'honours.publish'`,
    );
    expect(audited).toEqual([
      {
        actor: `person:${admin.id}`,
        detail: expect.objectContaining({ recipients: 2, schools: [id[code[0] ?? ''], id[code[2] ?? '']] }),
      },
    ]);
    const page = await (await getPage(w.h, `${OFFICE}/honours?year=2569&term=2`, w.admin)).text();
    expect(page).toContain('data-honour-list=');
    expect(page).toContain(TITLE);
    // Reading the ranking is audited as the person who read it.
    expect(
      await count(w.h.db.db, sql`audit_log WHERE action = 'honours.read' AND actor = ${`person:${admin.id}`}`),
    ).toBeGreaterThanOrEqual(2);
  });

  it('each principal gets it inside their one daily push, not at the weekend; teachers not at all', async () => {
    await tick(w.h.deps, Date.parse('2026-11-21T01:01:00Z')); // Saturday 08:01 Bangkok
    await tick(w.h.deps, Date.parse('2026-11-22T01:01:00Z')); // Sunday
    for (const u of Object.values(users)) expect(pushesTo(u).filter((p) => p.includes(TITLE))).toEqual([]);
    await tick(w.h.deps, Date.parse('2026-11-23T01:01:00Z')); // Monday
    await tick(w.h.deps, Date.parse('2026-11-23T05:01:00Z'));
    for (const x of ['demo-principal-1', 'demo-principal-2']) {
      const pushes = pushesTo(users[x] ?? '');
      expect(pushes, x).toHaveLength(1);
      expect(pushes[0]).toContain(TITLE);
      for (const n of names) expect(pushes[0]).toContain(n);
    }
    expect(pushesTo(users['demo-teacher-1-1'] ?? '').filter((p) => p.includes(TITLE))).toEqual([]);
  });

  it("is part of the office report of that term and of the year, printable and XLSX; not of term 1's", async () => {
    const report = (q: string) =>
      w.h.fetch(`/admin/api/v1/offices/DEMO1/reports/office?${q}`, { headers: { authorization: `Bearer ${ADMIN}` } });
    for (const q of ['year=2569&term=2', 'year=2569']) {
      const html = await (await report(q)).text();
      const part = /<section data-part="honours">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
      expect(part, q).toContain(TITLE);
      expect(part.indexOf(names[0] ?? '-')).toBeLessThan(part.indexOf(names[1] ?? '-'));
      expect(part).toContain('สูงสุดด้านระดับคุณภาพตาม SAR (4.67)');
    }
    const term1 = await (await report('year=2569&term=1')).text();
    expect(term1).toContain('<section data-part="honours"><h2>6. สถานศึกษาที่ได้รับการยกย่องเชิดชูเกียรติ</h2><p>ไม่มี</p>');
    const sheets = await readXlsxFile(await (await report('year=2569&term=2&format=xlsx')).arrayBuffer());
    const honours = sheets.find((s) => s.sheet === 'ยกย่องเชิดชูเกียรติ honours');
    expect(honours?.data.slice(1).map((r) => [r[0], r[2], r[3], r[4]])).toEqual([
      [TITLE, 1, code[0], names[0]],
      [TITLE, 3, code[2], names[1]],
    ]);
  });
});
