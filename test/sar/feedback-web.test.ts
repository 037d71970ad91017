// SAR feedback on the web (issue 15 item 3): the school page shows the latest SAR's strengths and points to
// improve and the feedback given with the principal's acknowledgement or reply; a supervisor of the school (or an
// admin) writes feedback in a form. It is the chat flow's action: stored and audited alike, queued for the
// principal's next daily bundle with รับทราบ / ตอบกลับ, which go through chat as they do for chat feedback.
// A supervisor of another school gets a 404 and a director a 403, and nothing is written.
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { tick } from '../../src/scheduler/tick.js';
import { ev, userId } from '../support/events.js';
import { parseCsv } from '../../src/imports/csv.js';
import { ADMIN, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { getPage, OFFICE, personCookie, postFields } from '../support/web.js';
import { school, seedSar, type SarFixture } from './fixture.js';

let h: Harness;
let f: SarFixture;
const PRI = userId('sarfb-web-pri');
const cookie = { admin: '', director: '', supervisor: '' };
const ids = { mine: '', other: '', supervisor: '' };
const TEXT = 'ควรเพิ่มกิจกรรมอ่านคิดวิเคราะห์ทุกสัปดาห์ (จากเว็บ)';

const footprint = async () => ({
  feedback: await count(h.db.db, sql`sar_feedback`),
  audit: await count(h.db.db, sql`audit_log WHERE action = 'sar.feedback'`),
  outbox: await count(h.db.db, sql`outbox_items WHERE kind = 'sarfb'`),
});
const feedbackPath = (id: string) => `${OFFICE}/schools/${id}/sar-feedback`;

beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_BASE_URL: 'http://nithet.test' } });
  f = await seedSar(h.db.db, h.clock.now);
  for (const role of ['admin', 'director', 'supervisor'] as const) cookie[role] = await personCookie(h, f.demo, role);
  const [p] = await queryRows<{ id: string }>(
    h.db.db,
    sql`SELECT id FROM people WHERE office_id = ${f.demo.office.id} AND external_id = 'demo-principal-1'`,
  );
  const [invite] = await issueInvites(h.db.db, f.demo.office.id, [p?.id ?? ''], h.clock.now);
  await h.post(ev.text(invite?.code ?? '', { user: PRI }));
  await h.post(ev.text('ใช่', { user: PRI })); // whose account it is: confirmed
  const sup = await one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE external_id = 'demo-supervisor-1'`);
  ids.supervisor = sup.id;
  ids.mine = (await one<{ id: string }>(h.db.db, sql`SELECT id FROM schools WHERE code = ${school(0).code}`)).id;
  ids.other = (
    await one<{ id: string }>(
      h.db.db,
      sql`SELECT s.id FROM schools s WHERE s.office_id = ${f.demo.office.id} AND NOT EXISTS (
            SELECT 1 FROM supervisor_assignments sa
             WHERE sa.supervisor_id = ${sup.id} AND (sa.school_id = s.id OR sa.cluster_id = s.cluster_id)) LIMIT 1`,
    )
  ).id;
}, 120_000);
afterAll(() => h.close());
afterEach(() => {
  expect(h.line.invalid()).toEqual([]);
});

describe('SAR feedback on the web', () => {
  let feedbackId = '';

  it('the school page shows the SAR’s texts and, to its supervisor, the feedback form', async () => {
    const html = await (await getPage(h, `${OFFICE}/schools/${ids.mine}`, cookie.supervisor)).text();
    expect(html).toContain('ข้อเสนอแนะต่อ SAR');
    expect(html).toContain('นักเรียนอ่านออกเขียนได้ทุกคน');
    expect(html).toContain('ทักษะการคิดวิเคราะห์');
    expect(html).toContain(`action="${feedbackPath(ids.mine)}"`);
    expect(html).toContain('ยังไม่มีข้อเสนอแนะ');
    // The director reads only: no form.
    const director = await (await getPage(h, `${OFFICE}/schools/${ids.mine}`, cookie.director)).text();
    expect(director).toContain('นักเรียนอ่านออกเขียนได้ทุกคน');
    expect(director).not.toContain(`action="${feedbackPath(ids.mine)}"`);
  });

  it('an empty text is a 400 naming the field; nothing is written', async () => {
    const before = await footprint();
    const res = await postFields(h, feedbackPath(ids.mine), cookie.supervisor, { standard: 's1', text: '  ' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('กรุณาพิมพ์ข้อเสนอแนะ');
    expect(await footprint()).toEqual(before);
  });

  it('a supervisor of another school gets a 404 and a director a 403; nothing is written', async () => {
    const before = await footprint();
    const fields = { standard: 'all', text: TEXT };
    expect((await postFields(h, feedbackPath(ids.other), cookie.supervisor, fields)).status).toBe(404);
    expect((await postFields(h, feedbackPath(ids.mine), cookie.director, fields)).status).toBe(403);
    expect(await footprint()).toEqual(before);
  });

  it('the supervisor sends feedback on a standard: stored, audited and queued like the chat’s, not pushed at once', async () => {
    const pushes = h.line.pushes().length;
    const page = await (await getPage(h, `${OFFICE}/schools/${ids.mine}`, cookie.supervisor)).text();
    const responseId = /name="responseId" value="([0-9a-f-]{36})"/.exec(page)?.[1] ?? '';
    const res = await postFields(h, feedbackPath(ids.mine), cookie.supervisor, {
      standard: 's1',
      text: TEXT,
      responseId,
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${OFFICE}/schools/${ids.mine}?sent=1#sar-feedback`);
    const row = await one<{ id: string; standard: string; supervisor_id: string; response_id: string }>(
      h.db.db,
      sql`SELECT id, standard, supervisor_id, response_id FROM sar_feedback WHERE body_th = ${TEXT}`,
    );
    expect(row).toMatchObject({ standard: 's1', supervisor_id: ids.supervisor, response_id: responseId });
    feedbackId = row.id;
    expect(
      await count(
        h.db.db,
        sql`audit_log WHERE action = 'sar.feedback' AND actor = ${`person:${ids.supervisor}`} AND target_id = ${ids.mine}`,
      ),
    ).toBe(1);
    expect(await count(h.db.db, sql`outbox_items WHERE key = ${`sarfb:${row.id}`} AND bundled_on IS NULL`)).toBe(1);
    expect(h.line.pushes()).toHaveLength(pushes);
  });

  it('an admin may write feedback overall too', async () => {
    const res = await postFields(h, feedbackPath(ids.other), cookie.admin, { standard: 'all', text: 'ภาพรวมดี' });
    expect(res.status).toBe(303);
    expect(await count(h.db.db, sql`sar_feedback WHERE school_id = ${ids.other} AND standard IS NULL`)).toBe(1);
  });

  it('the principal gets it in the next bundle, acknowledges and replies in chat; the page shows both', async () => {
    await tick(h.deps, h.clock.now + 3 * 86_400_000);
    const bundle = h.line
      .pushes()
      .map((p) => JSON.stringify(p.body))
      .filter((p) => p.includes(PRI) && p.includes(TEXT));
    expect(bundle).toHaveLength(1);
    expect(bundle[0]).toContain('มาตรฐานที่ 1');
    expect(bundle[0]).toContain('นางอัญชลี นิเทศงาม');
    const tap = async (data: string) => replyTexts((await h.post(ev.postback(data, { user: PRI })))[0]).join();
    expect(bundle[0]).toContain(`a=sarack&f=${feedbackId}`);
    expect(await tap(`a=sarack&f=${feedbackId}`)).toMatch(/บันทึกการรับทราบ/);
    expect(await tap(`a=sarrep&f=${feedbackId}`)).toMatch(/พิมพ์คำตอบ/);
    await h.post(ev.text('จะเริ่มชุมนุมการคิดภาคเรียนหน้า', { user: PRI }));
    // Three days on, the morning's sessions have lapsed: the admin signs in again from chat.
    const admin = await personCookie(h, f.demo, 'admin');
    const html = await (await getPage(h, `${OFFICE}/schools/${ids.mine}`, admin)).text();
    const row = new RegExp(`<tr data-feedback="${feedbackId}">[\\s\\S]*?</tr>`).exec(html)?.[0] ?? '';
    expect(row).toContain(TEXT);
    expect(row).toContain('นางอัญชลี นิเทศงาม');
    expect(row).toContain('รับทราบแล้ว');
    expect(row).toContain('จะเริ่มชุมนุมการคิดภาคเรียนหน้า');
  });

  it('the office-wide SAR export lists the feedback per school and standard with author, BE date and answer', async () => {
    const res = await h.fetch(
      `/admin/api/v1${OFFICE.replace('/admin', '')}/exports/sar?campaign=${f.campaignId}&format=csv&table=feedback`,
      { headers: { authorization: `Bearer ${ADMIN}` } },
    );
    expect(res.status).toBe(200);
    const csv = parseCsv(await res.text());
    if (!csv.ok) throw new Error(csv.message);
    const [head, ...rows] = csv.records.map((r) => r.cells);
    expect(head).toContain('คำตอบของผู้อำนวยการ (Reply)');
    const mine = rows.find((r) => r.includes(TEXT));
    expect(mine?.slice(0, 3)).toEqual([school(0).code, school(0).nameTh, expect.stringMatching(/^มาตรฐานที่ 1/)]);
    expect(mine?.[4]).toBe('นางอัญชลี นิเทศงาม');
    expect(mine?.[5]).toMatch(/^\d{1,2} [ก-๛.]+ 25\d\d$/);
    expect(mine?.[6]).toMatch(/ 25\d\d$/);
    expect(mine?.[7]).toBe('จะเริ่มชุมนุมการคิดภาคเรียนหน้า');
    // Feedback without a SAR of this campaign (the admin's, on a school that sent none) is not listed.
    expect(rows.some((r) => r.includes('ภาพรวมดี'))).toBe(false);
  });
});
