// The office-level SAR synthesis end to end: schools' SARs in the database, then the admin export (CSV tables,
// XLSX sheets, headers, audit, office scoping) and a director's card and below-target list through the signed
// webhook, validated by the fake LINE server; a teacher is refused. Names and codes are the demo's invented ones.
import { sql } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import type { DemoSeed } from '../../src/demo/seed.js';
import { ev, userId } from '../support/events.js';
import { ADMIN, persona, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { DAY, iso, school, seedSar, TITLE } from './fixture.js';

let h: Harness;
let demo: DemoSeed;
let campaignId = '';
let oldCampaignId = '';
let foreignCampaignId = '';
const DIRECTOR = userId('sar-director');
const TEACHER = userId('sar-teacher');

// PGlite, migrations and the demo seed take well over a minute on two busy cores.
beforeAll(async () => {
  h = await startHarness();
  ({ demo, campaignId, oldCampaignId, foreignCampaignId } = await seedSar(h.db.db, h.clock.now));

  // The director and a teacher link LINE the way people do: follow, then the invite code.
  for (const [role, user] of [
    ['director', DIRECTOR],
    ['teacher', TEACHER],
  ] as const) {
    await h.post(ev.follow({ user }));
    await h.post(ev.text(persona(demo, role).inviteCode, { user }));
    await h.post(ev.text('ใช่', { user })); // whose account it is: confirmed
  }
  h.line.reset();
}, 180_000);
afterAll(() => h.close());
afterEach(() => {
  expect(h.line.invalid()).toEqual([]); // every request sent to LINE matched its OpenAPI spec
  h.line.reset();
});

const get = (path: string, token = ADMIN) =>
  h.fetch(`/admin/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } });
const exportPath = (q: string) => `/offices/${demo.office.code}/exports/sar?${q}`;

/** A CSV response as rows of cells; its bytes must start with the BOM Excel needs to read Thai. */
async function parseCsv(res: Response): Promise<string[][]> {
  // Response.text() would drop the BOM: decode the bytes as Excel sees them.
  const text = new TextDecoder('utf-8', { ignoreBOM: true, fatal: true }).decode(await res.arrayBuffer());
  expect(text.startsWith('\uFEFF')).toBe(true);
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const s = text.slice(1);
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && s[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += ch;
  }
  return rows;
}

describe('GET /offices/:office/exports/sar', () => {
  it('CSV summary: levels per standard best first, no answer, below target, then the totals', async () => {
    const res = await get(exportPath(`campaign=${campaignId}&format=csv`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="sar-${campaignId}-summary.csv"; filename*=UTF-8''${encodeURIComponent(
        `สรุป SAR ${TITLE}-summary.csv`,
      ).replace(/[()]/g, (c) => (c === '(' ? '%28' : '%29'))}`,
    );
    const rows = await parseCsv(res);
    expect(rows[0]).toEqual([
      'มาตรฐาน (Standard)',
      'ยอดเยี่ยม (5)',
      'ดีเลิศ (4)',
      'ดี (3)',
      'ปานกลาง (2)',
      'กำลังพัฒนา (1)',
      'ไม่มีคำตอบ (No answer)',
      'ต่ำกว่าค่าเป้าหมาย (Below target)',
    ]);
    // 12 principals' schools expected; 3 submitted (school 3's SAR is in progress).
    expect(rows.slice(1)).toEqual([
      ['มาตรฐานที่ 1 คุณภาพของผู้เรียน', '1', '0', '1', '1', '0', '9', '1'],
      ['มาตรฐานที่ 2 กระบวนการบริหารและการจัดการ', '1', '1', '1', '0', '0', '9', '1'],
      ['มาตรฐานที่ 3 กระบวนการจัดการเรียนการสอนที่เน้นผู้เรียนเป็นสำคัญ', '1', '2', '0', '0', '0', '9', '1'],
      ['โรงเรียนที่ต้องส่ง (Schools expected)', '12', '', '', '', '', '', ''],
      ['ส่งแล้ว (Submitted)', '3', '', '', '', '', '', ''],
    ]);
    const logged = await one<{ action: string; target_id: string; detail: unknown }>(
      h.db.db,
      sql`SELECT action, target_id, detail FROM audit_log WHERE action = 'export.sar' ORDER BY id DESC LIMIT 1`,
    );
    expect(logged).toEqual({
      action: 'export.sar',
      target_id: campaignId,
      detail: { format: 'csv', table: 'summary', schools: 12 },
    });
  });

  it('CSV tables by name: below target with code, name, level and target; texts by standard', async () => {
    const below = await parseCsv(await get(exportPath(`campaign=${campaignId}&format=csv&table=below`)));
    expect(below.slice(1)).toEqual([
      ['มาตรฐานที่ 1 คุณภาพของผู้เรียน', school(0).code, school(0).nameTh, expect.any(String), '2', 'ปานกลาง', '4'],
      ['มาตรฐานที่ 2 กระบวนการบริหารและการจัดการ', school(1).code, school(1).nameTh, expect.any(String), '3', 'ดี', '4'],
      [
        'มาตรฐานที่ 3 กระบวนการจัดการเรียนการสอนที่เน้นผู้เรียนเป็นสำคัญ',
        school(6).code,
        school(6).nameTh,
        expect.any(String),
        '4',
        'ดีเลิศ',
        '5',
      ],
    ]);
    const texts = await parseCsv(await get(exportPath(`campaign=${campaignId}&format=csv&table=texts`)));
    expect(texts.slice(1)).toEqual([
      ['มาตรฐานที่ 1 คุณภาพของผู้เรียน', 'จุดเด่น (Strengths)', school(0).code, school(0).nameTh, 'นักเรียนอ่านออกเขียนได้ทุกคน'],
      [
        'มาตรฐานที่ 1 คุณภาพของผู้เรียน',
        'จุดเด่น (Strengths)',
        school(1).code,
        school(1).nameTh,
        'ครูจัดกิจกรรมหลากหลาย, มีส่วนร่วม',
      ],
      ['มาตรฐานที่ 1 คุณภาพของผู้เรียน', 'จุดที่ควรพัฒนา (To improve)', school(0).code, school(0).nameTh, 'ทักษะการคิดวิเคราะห์'],
      // A formula-looking answer is neutralised (CSV injection).
      ['มาตรฐานที่ 2 กระบวนการบริหารและการจัดการ', 'จุดเด่น (Strengths)', school(0).code, school(0).nameTh, "'=SUM(A1)"],
    ]);
    expect(texts.flat()).not.toContain('ยังไม่ส่ง');
  });

  it('XLSX: one workbook with the four sheets', async () => {
    const res = await get(exportPath(`campaign=${campaignId}&format=xlsx`));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="sar-${campaignId}\\.xlsx"; filename\\*=UTF-8''%E0%B8%AA`),
    );
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const workbook = strFromU8(files['xl/workbook.xml'] ?? new Uint8Array());
    expect([...workbook.matchAll(/<sheet [^>]*name="([^"]+)"/g)].map((m) => m[1])).toEqual([
      'สรุประดับคุณภาพ',
      'ต่ำกว่าค่าเป้าหมาย',
      'จุดเด่น-จุดที่ควรพัฒนา',
      'ข้อเสนอแนะต่อ SAR',
    ]);
    const all = Object.entries(files)
      .filter(([name]) => name.endsWith('.xml'))
      .map(([, data]) => strFromU8(data))
      .join('\n');
    expect(all).toContain(school(6).nameTh);
    expect(all).toContain('นักเรียนอ่านออกเขียนได้ทุกคน');
  });

  it('another office’s campaign, an unknown id and a non-SAR campaign are 404; bad format is 400; no token is 401', async () => {
    const other = await get(exportPath(`campaign=${foreignCampaignId}&format=csv`));
    expect(other.status).toBe(404);
    expect(await other.text()).not.toContain('สำนักงานอื่น');
    expect((await get(exportPath(`campaign=not-a-uuid&format=csv`))).status).toBe(404);
    const survey = await one<{ id: string }>(
      h.db.db,
      sql`SELECT c.id FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
           WHERE c.office_id = ${demo.office.id} AND ck.key = 'needs-survey'`,
    );
    expect((await get(exportPath(`campaign=${survey.id}&format=csv`))).status).toBe(404);
    expect((await get(exportPath(`campaign=${campaignId}&format=pdf`))).status).toBe(400);
    expect((await get(exportPath(`campaign=${campaignId}`), 'wrong-token-0123456789')).status).toBe(401);
  });
});

type Flex = { type: string; altText?: string; contents?: unknown };
const messagesOf = (body: unknown): Flex[] =>
  typeof body === 'object' && body !== null && 'messages' in body && Array.isArray(body.messages)
    ? (body.messages as Flex[])
    : [];

describe('the directors’ SAR card in chat', () => {
  it('"สรุป SAR" gets the latest SAR campaign as a card by reply, saying which; audited; state untouched', async () => {
    const before = await one<{ state: unknown }>(
      h.db.db,
      sql`SELECT state FROM conversations WHERE line_user_id = ${DIRECTOR}`,
    );
    const [reply] = await h.post(ev.text('สรุป SAR ครับ', { user: DIRECTOR }));
    const [card] = messagesOf(reply);
    expect(card?.type).toBe('flex');
    expect(card?.altText).toBe(`สรุป SAR: ${TITLE} · ส่งแล้ว 3/12 โรงเรียน`);
    const json = JSON.stringify(card?.contents);
    expect(json).toContain('ปิดรับแล้ว · กำหนดส่ง 10 พ.ย. 2569');
    expect(json).toContain('มีแบบก่อนหน้าอีก 1 แบบ');
    expect(json).toContain('มาตรฐานที่ 3 กระบวนการจัดการเรียนการสอนที่เน้นผู้เรียนเป็นสำคัญ');
    expect(json).toContain('ต่ำกว่าค่าเป้าหมาย 1 โรงเรียน');
    expect(json).toContain(`a=sar&k=below&c=${campaignId}&n=s1`);
    expect(h.line.pushes()).toEqual([]); // a reply, never a push
    expect(await count(h.db.db, sql`audit_log WHERE action = 'sar.view' AND actor <> 'admin-token'`)).toBe(1);
    const after = await one<{ state: unknown }>(
      h.db.db,
      sql`SELECT state FROM conversations WHERE line_user_id = ${DIRECTOR}`,
    );
    expect(after.state).toEqual(before.state);
  });

  it('the rich menu postback `a=sar` and "SAR summary" give the same card', async () => {
    const replies = await h.post(ev.postback('a=sar', { user: DIRECTOR }), ev.text('SAR summary', { user: DIRECTOR }));
    expect(replies.map((r) => messagesOf(r)[0]?.altText)).toEqual([
      `สรุป SAR: ${TITLE} · ส่งแล้ว 3/12 โรงเรียน`,
      `สรุป SAR: ${TITLE} · ส่งแล้ว 3/12 โรงเรียน`,
    ]);
  });

  it('"ดูรายชื่อ" lists the schools below target for that standard', async () => {
    const [reply] = await h.post(ev.postback(`a=sar&k=below&c=${campaignId}&n=s1`, { user: DIRECTOR }));
    const [text] = replyTexts(reply);
    expect(text).toContain('ต่ำกว่าค่าเป้าหมาย: มาตรฐานที่ 1 คุณภาพของผู้เรียน');
    expect(text).toContain(`• ${school(0).nameTh} (${school(0).code}) ระดับ 2 ปานกลาง · เป้าหมาย 4`);
    expect(text).not.toContain(school(1).nameTh);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'sar.below' AND target_id = ${campaignId}`)).toBe(1);
  });

  it('a forged button naming another office’s campaign finds nothing', async () => {
    const [reply] = await h.post(ev.postback(`a=sar&k=below&c=${foreignCampaignId}&n=s1`, { user: DIRECTOR }));
    expect(replyTexts(reply)).toEqual([expect.stringContaining('ไม่พบแบบ SAR นี้')]);
  });

  it('a teacher asking is refused politely, in Thai first', async () => {
    const replies = await h.post(
      ev.text('สรุป SAR', { user: TEACHER }),
      ev.postback(`a=sar&k=below&c=${campaignId}&n=s1`, { user: TEACHER }),
    );
    for (const r of replies) {
      const [text] = replyTexts(r);
      expect(text).toMatch(/^ขออภัย สรุป SAR ระดับเขตพื้นที่ดูได้เฉพาะผู้บริหาร/);
      expect(text).not.toContain(school(0).nameTh);
    }
  });

  it('help names the command, so people on LINE for PC can type it', async () => {
    const [reply] = await h.post(ev.text('ช่วยเหลือ', { user: DIRECTOR }));
    expect(replyTexts(reply).join('\n')).toContain('• สรุป SAR — ');
  });

  it('a director of an office with no SAR campaign is told so', async () => {
    await h.db.db.execute(sql`UPDATE campaigns SET opens_at = ${iso(h.clock.now + DAY)}
                               WHERE id IN (${campaignId}, ${oldCampaignId})`);
    try {
      const [reply] = await h.post(ev.text('สรุป SAR', { user: DIRECTOR }));
      expect(replyTexts(reply)).toEqual([expect.stringContaining('ยังไม่มีแบบ SAR')]);
    } finally {
      await h.db.db.execute(
        sql`UPDATE campaigns SET opens_at = ${iso(h.clock.now - 40 * DAY)} WHERE id = ${campaignId}`,
      );
      await h.db.db.execute(
        sql`UPDATE campaigns SET opens_at = ${iso(h.clock.now - 400 * DAY)} WHERE id = ${oldCampaignId}`,
      );
    }
  });
});

describe('a SAR answered through chat reaches the synthesis', () => {
  const PRINCIPAL = userId('sar-principal');
  const TITLE_CHAT = 'SAR ปฐมวัย ปีการศึกษา 2569 (ตอบทางแชต)';

  interface Position {
    flow: string;
    at?: { kind: 'item' | 'more' | 'review'; key: string };
  }
  const position = async () =>
    (
      await one<{ state: { flow: Position } }>(
        h.db.db,
        sql`SELECT state FROM conversations WHERE line_user_id = ${PRINCIPAL}`,
      )
    ).state.flow;

  it('the principal answers every item by typing (targets 5, items 3), submits, and the director sees it', async () => {
    const ck = await one<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM checklists WHERE office_id IS NULL AND key = 'sar-early-childhood' ORDER BY version DESC LIMIT 1`,
    );
    const [c] = await queryRows<{ id: string }>(
      h.db.db,
      sql`INSERT INTO campaigns (office_id, checklist_id, title_th, roles, opens_at, due_at)
          VALUES (${demo.office.id}, ${ck.id}, ${TITLE_CHAT}, ARRAY['principal'], ${iso(h.clock.now - DAY)},
                  ${iso(h.clock.now + 30 * DAY)})
          RETURNING id`,
    );
    const chatCampaign = c?.id ?? '';
    await h.post(ev.follow({ user: PRINCIPAL }));
    await h.post(ev.text(persona(demo, 'principal').inviteCode, { user: PRINCIPAL }));
    await h.post(ev.text('ใช่', { user: PRINCIPAL })); // whose account it is: confirmed
    await h.post(ev.postback(`a=open&c=${chatCampaign}`, { user: PRINCIPAL }));
    for (let turn = 0; turn < 200; turn++) {
      const flow = await position();
      if (flow.flow !== 'checklist' || flow.at === undefined) break;
      const { kind, key } = flow.at;
      const answer =
        kind === 'review'
          ? 'ส่ง'
          : kind === 'more'
            ? 'ไม่ใช่'
            : key.endsWith('_evidence') || key === 'best_practice'
              ? 'ข้าม'
              : key.endsWith('_target')
                ? '๕'
                : /_(strengths|improve)$|development_plan/.test(key)
                  ? `ข้อความทางแชต ${key}`
                  : '3 ดี';
      await h.post(ev.text(answer, { user: PRINCIPAL }));
    }
    const submitted = await one<{ status: string }>(
      h.db.db,
      sql`SELECT status FROM responses WHERE campaign_id = ${chatCampaign}::uuid`,
    );
    expect(submitted.status).toBe('submitted');

    // The newest SAR campaign is now the director's card: 1 of 12 schools, below target on every standard.
    const [reply] = await h.post(ev.text('สรุป SAR', { user: DIRECTOR }));
    const [card] = messagesOf(reply);
    expect(card?.altText).toBe(`สรุป SAR: ${TITLE_CHAT} · ส่งแล้ว 1/12 โรงเรียน`);
    const json = JSON.stringify(card?.contents);
    expect(json).toContain('เปิดรับอยู่');
    expect(json).toContain('มีแบบก่อนหน้าอีก 2 แบบ');
    expect(json.match(/ต่ำกว่าค่าเป้าหมาย 1 โรงเรียน/g)).toHaveLength(3);

    const texts = await parseCsv(await get(exportPath(`campaign=${chatCampaign}&format=csv&table=texts`)));
    expect(texts.slice(1).map((r) => [r[0]?.slice(0, 12), r[1], r[2], r[4]])).toEqual([
      ['มาตรฐานที่ 1', 'จุดเด่น (Strengths)', school(0).code, 'ข้อความทางแชต s1_strengths'],
      ['มาตรฐานที่ 1', 'จุดที่ควรพัฒนา (To improve)', school(0).code, 'ข้อความทางแชต s1_improve'],
      ['มาตรฐานที่ 2', 'จุดเด่น (Strengths)', school(0).code, 'ข้อความทางแชต s2_strengths'],
      ['มาตรฐานที่ 2', 'จุดที่ควรพัฒนา (To improve)', school(0).code, 'ข้อความทางแชต s2_improve'],
      ['มาตรฐานที่ 3', 'จุดเด่น (Strengths)', school(0).code, 'ข้อความทางแชต s3_strengths'],
      ['มาตรฐานที่ 3', 'จุดที่ควรพัฒนา (To improve)', school(0).code, 'ข้อความทางแชต s3_improve'],
    ]);
    const below = await parseCsv(await get(exportPath(`campaign=${chatCampaign}&format=csv&table=below`)));
    expect(below.slice(1).map((r) => r.slice(4))).toEqual([
      ['3', 'ดี', '5'],
      ['3', 'ดี', '5'],
      ['3', 'ดี', '5'],
    ]);
  });
});

// The expected count (12) asserted above rests on the demo office's twelve principals' schools.
it('the demo office has 12 principals’ schools (the expected count above)', async () => {
  const rows = await queryRows<{ n: number }>(
    h.db.db,
    sql`SELECT count(DISTINCT school_id)::int AS n FROM people WHERE office_id = ${demo.office.id} AND role = 'principal'`,
  );
  expect(rows[0]?.n).toBe(12);
});
