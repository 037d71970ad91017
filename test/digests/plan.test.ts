// planDigests against a real database: when it plans (Monday from 08:00 in each office's own time zone), for whom,
// with which figures, within which scope, exactly once per ISO week, and every message valid for LINE's push API.
import { sql } from 'drizzle-orm';
import type { messagingApi } from '@line/bot-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flexProblems } from '../../flex-templates/limits.js';
import { queryRows } from '../../src/db/client.js';
import { planDigests } from '../../src/digests/plan.js';
import { parseBody, renderBody } from '../../src/outbox/bundle.js';
import { planReminders } from '../../src/reminders/plan.js';
import { messagesOf } from '../support/outbox.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { validateMessagingRequest } from '../support/fake-line.js';
import { count } from '../support/sql.js';
import { type Fixture, MONDAY_0800, seedFixture, TITLES } from './fixture.js';

let t: TestDatabase;
let f: Fixture;
beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedFixture(t.db);
});
afterAll(() => t.close());

const MIN = 60_000;
const HOUR = 60 * MIN;

interface DigestRow extends Record<string, unknown> {
  person_id: string;
  office_id: string;
  key: string;
  kind: string;
  /** The digest body's hash: people with the same view share one body (and one multicast). */
  message_hash: string;
  due_ms: number;
  body: unknown;
}

interface OutboxRow extends DigestRow {
  messages: messagingApi.FlexMessage[];
}

/** The digests staged for a week, each rendered from its body as the sender renders it. */
async function digests(week = '2026-W48'): Promise<Map<string, OutboxRow>> {
  const rows = await queryRows<DigestRow>(
    t.db,
    sql`SELECT i.person_id, i.office_id, i.key, i.kind, i.data->>'b' AS message_hash, b.body,
               (extract(epoch FROM i.due_at) * 1000)::float8 AS due_ms
          FROM outbox_items i JOIN outbox_bodies b ON b.hash = (i.data->>'b')::uuid
         WHERE i.kind = 'digest' AND i.key = ${`digest:${week}`}`,
  );
  return new Map(
    rows.map((r) => [r.person_id, { ...r, messages: renderBody(parseBody(r.body)) as messagingApi.FlexMessage[] }]),
  );
}

/** Stages every office's digests as the tick's planning does (each office's planning hour stages its own). */
async function stageAll(at: number): Promise<number> {
  let items = 0;
  for (const office of [f.officeA, f.officeB, f.officeC]) items += (await planDigests(t.db, at, office)).items;
  return items;
}

const who = (...keys: string[]) => keys.map((k) => f.person[k]).sort();
const json = (row: OutboxRow | undefined) => JSON.stringify(row?.messages ?? null);

/** The digest bubble whose header names `title` (the summary bubble for the office or school name). */
function bubble(row: OutboxRow | undefined, title: string): unknown {
  const c = row?.messages[0]?.contents;
  const bubbles = c === undefined ? [] : c.type === 'carousel' ? c.contents : [c];
  const found = bubbles.find((b) => JSON.stringify(b.header ?? {}).includes(title));
  if (found === undefined) throw new Error(`no bubble for ${title}`);
  return found;
}

/** [left, right] of every box holding two texts side by side: a label and its figure. */
function pairs(node: unknown, out: [string, string][] = []): [string, string][] {
  if (Array.isArray(node)) for (const n of node) pairs(n, out);
  else if (typeof node === 'object' && node !== null) {
    const o = node as { type?: string; contents?: unknown; text?: string };
    if (o.type === 'box' && Array.isArray(o.contents)) {
      const texts = (o.contents as { type?: string; text?: string }[]).filter((x) => x.type === 'text');
      if (texts.length === 2 && texts.length === o.contents.length)
        out.push([texts[0]?.text ?? '', texts[1]?.text ?? '']);
    }
    for (const v of Object.values(o)) pairs(v, out);
  }
  return out;
}

describe('planDigests: when', () => {
  it('stages nothing on Sunday, in any office', async () => {
    expect(await stageAll(MONDAY_0800 - 22 * HOUR)).toBe(0);
    expect((await digests()).size).toBe(0);
  });

  it("on an office's Monday stages one digest per linked active director, assigned supervisor and principal", async () => {
    expect(await stageAll(MONDAY_0800)).toBe(9);
    const rows = await digests();
    // Not d3 or p3 (not linked), sup3 (no schools), the admin or any teacher.
    expect([...rows.keys()].sort()).toEqual(who('d1', 'd2', 'sup1', 'sup2', 'p1', 'p2', 'p4', 'dB', 'dC'));
    expect(rows.get(f.person.d1 ?? '')).toMatchObject({
      key: 'digest:2026-W48',
      kind: 'digest',
      office_id: f.officeA,
      due_ms: MONDAY_0800,
    });
  });

  it('is idempotent: later calls that Monday and on Tuesday stage nothing more', async () => {
    expect(await stageAll(MONDAY_0800)).toBe(0);
    expect(await stageAll(MONDAY_0800 + 5 * MIN)).toBe(0);
    await t.db.execute(sql`
      UPDATE people SET status = 'active', channel_id = 'default', line_user_id = 'U' || md5(id::text)
       WHERE id = ${f.person.d3}`);
    expect(await stageAll(MONDAY_0800 + 2 * HOUR)).toBe(0);
    expect(await stageAll(MONDAY_0800 + 24 * HOUR)).toBe(0);
    expect(await count(t.db, sql`outbox_items WHERE kind = 'digest'`)).toBe(9);
    await t.db.execute(sql`UPDATE people SET line_user_id = NULL, status = 'invited', channel_id = NULL
                            WHERE id = ${f.person.d3}`);
  });

  it("rides in the person's bundle of that Monday: one push, the digest as one of its messages", async () => {
    await planReminders(t.db, MONDAY_0800, { officeId: f.officeA });
    const [row] = await queryRows<{ id: string }>(
      t.db,
      sql`SELECT id FROM outbox WHERE person_id = ${f.person.d1}::uuid AND local_day = '2026-11-23'`,
    );
    const messages = await messagesOf(t.db, row?.id ?? '');
    expect(messages.map((m) => (m.type === 'flex' ? m.altText.split(':')[0] : m.type))).toContain('สรุปประจำสัปดาห์');
    expect(await count(t.db, sql`outbox WHERE person_id = ${f.person.d1}::uuid`)).toBe(1);
    await t.db.execute(sql`DELETE FROM outbox`);
  });
});

describe('planDigests: what', () => {
  it('every message is a valid push, within Flex limits, one message per row', async () => {
    for (const row of (await digests()).values()) {
      expect(row.messages).toHaveLength(1);
      expect(
        validateMessagingRequest('POST', '/v2/bot/message/push', { to: `U${'0'.repeat(32)}`, messages: row.messages }),
      ).toEqual([]);
      for (const m of row.messages) expect(flexProblems(m)).toEqual([]);
    }
  });

  it('a director sees the office: completion by cluster, overdue schools, SAR standards below target', async () => {
    const rows = await digests();
    const d1 = json(rows.get(f.person.d1 ?? ''));
    expect(d1).toContain('สำนักงานเขตพื้นที่การศึกษาทดสอบ ก');
    expect(d1).toContain('วันจันทร์ที่ 23 พฤศจิกายน พ.ศ. 2569 · ภาคเรียนที่ 2/2569');
    // Survey: office 5/8, C1 3/5, C2 2/3 (the erased teacher and the started-only response do not count).
    expect(d1).toContain('5/8 คน (63%)');
    expect(d1).toContain('"width":"63%"');
    const d1Row = rows.get(f.person.d1 ?? '');
    expect(pairs(bubble(d1Row, TITLES.survey))).toEqual(
      expect.arrayContaining([
        ['เครือข่ายหนึ่ง', '3/5 (60%)'],
        ['เครือข่ายสอง', '2/3 (67%)'],
      ]),
    );
    const summary = pairs(bubble(d1Row, 'สำนักงานเขตพื้นที่การศึกษาทดสอบ ก'));
    // IQA: 2/4 schools, overdue; two schools late.
    expect(d1).toContain('2/4 โรงเรียน (50%)');
    expect(d1).toContain('เลยกำหนดส่ง 21 พ.ย. 2569');
    expect(summary).toContainEqual([TITLES.iqa, '2 โรงเรียน']);
    // SAR: standard 1 (S1) and standard 2 (S2) below target; S4's old SAR and S3's unsubmitted one do not count.
    const sar = '(รายงานผลการประเมินตนเองของสถานศึกษา (SAR) ระดับการศึกษาขั้นพื้นฐาน)';
    expect(summary).toContainEqual([`มาตรฐานที่ 1 คุณภาพของผู้เรียน ${sar}`, '1 โรงเรียน']);
    expect(summary).toContainEqual([`มาตรฐานที่ 2 กระบวนการบริหารและการจัดการ ${sar}`, '1 โรงเรียน']);
    expect(summary).toContainEqual(['ตอบแล้วรวม', '7/12 รายการ (58%)']);
    expect(d1).not.toContain('มาตรฐานที่ 3');
    expect(d1).toContain('ยังไม่มีข้อมูลการนิเทศ');
    // Highlights: the fastest cluster over both campaigns (C2: 3/5 = 60% vs C1: 4/7 = 57%), and this week's count.
    expect(d1).toContain('กลุ่มโรงเรียนที่ตอบได้มากที่สุด: เครือข่ายสอง (60%)');
    expect(d1).toContain('ส่งแบบประเมินแล้วในสัปดาห์นี้ 5 รายการ');
    // Buttons: one per campaign and section, with no step token.
    expect(d1).toContain(`"data":"a=names&k=pending&c=${f.campaign.survey}"`);
    expect(d1).toContain(`"data":"a=names&k=pending&c=${f.campaign.iqa}"`);
    expect(d1).toContain('"data":"a=names&k=overdue"');
    expect(d1).toContain('"data":"a=names&k=sar"');
    // Closed campaigns and other offices' campaigns are not in it.
    expect(d1).not.toContain(TITLES.sar);
    expect(d1).not.toContain(TITLES.surveyB);
  });

  it("an office's directors share one payload (same hash: one multicast); offices are kept apart", async () => {
    const rows = await digests();
    const d1 = rows.get(f.person.d1 ?? '');
    const d2 = rows.get(f.person.d2 ?? '');
    expect(d2?.messages).toEqual(d1?.messages);
    expect(d2?.message_hash).toBe(d1?.message_hash);
    const dB = json(rows.get(f.person.dB ?? ''));
    expect(dB).toContain(TITLES.surveyB);
    expect(dB).toContain('0/1 คน (0%)');
    expect(dB).not.toContain(TITLES.survey);
    expect(rows.get(f.person.sup1 ?? '')?.message_hash).not.toBe(d1?.message_hash);
  });

  it('a supervisor sees only the assigned schools (a cluster, or a school directly)', async () => {
    const rows = await digests();
    const sup1 = json(rows.get(f.person.sup1 ?? ''));
    expect(sup1).toContain('โรงเรียนในความรับผิดชอบ 2 แห่ง');
    expect(sup1).toContain('3/5 คน (60%)');
    expect(sup1).toContain('1/2 โรงเรียน (50%)');
    expect(sup1).toContain('โรงเรียนบ้านหนึ่ง');
    expect(sup1).toContain('โรงเรียนบ้านสอง');
    expect(sup1).not.toContain('โรงเรียนบ้านสาม');
    expect(sup1).not.toContain('โรงเรียนบ้านสี่');
    const sup1Row = rows.get(f.person.sup1 ?? '');
    expect(pairs(bubble(sup1Row, 'โรงเรียนในความรับผิดชอบ'))).toContainEqual([TITLES.iqa, '1 โรงเรียน']);
    expect(pairs(bubble(sup1Row, TITLES.survey))).toEqual(
      expect.arrayContaining([
        ['โรงเรียนบ้านหนึ่ง', '2/3 (67%)'],
        ['โรงเรียนบ้านสอง', '1/2 (50%)'],
      ]),
    );
    expect(sup1).toContain('มาตรฐานที่ 1 คุณภาพของผู้เรียน');

    const sup2 = json(rows.get(f.person.sup2 ?? ''));
    expect(sup2).toContain('โรงเรียนในความรับผิดชอบ 1 แห่ง');
    expect(sup2).toContain('0/1 คน (0%)');
    expect(sup2).toContain('0/1 โรงเรียน (0%)');
    expect(sup2).not.toContain('โรงเรียนบ้านหนึ่ง');
    // S4's only below-target SAR is last year's.
    expect(sup2).not.toContain('มาตรฐานที่ 1');
  });

  it("a principal sees their own teachers' completion and who has not answered", async () => {
    const rows = await digests();
    const p1 = json(rows.get(f.person.p1 ?? ''));
    expect(p1).toContain('โรงเรียนบ้านหนึ่ง');
    expect(p1).toContain('2/3 คน (67%)');
    expect(p1).toContain('ครูคมสัน ทดสอบ');
    expect(p1).not.toContain('ครูฉวีวรรณ');
    expect(p1).not.toContain('ครูลบแล้ว');
    expect(p1).toContain('1/1 โรงเรียน (100%)');
    expect(p1).toContain('ตอบครบแล้ว');
    expect(p1).not.toContain('SAR');
    expect(p1).not.toContain('การนิเทศภาคเรียนนี้');
    expect(p1).not.toContain('โรงเรียนที่เลยกำหนดส่ง');

    const p2 = json(rows.get(f.person.p2 ?? ''));
    expect(p2).toContain('1/2 คน (50%)');
    expect(p2).toContain('ครูฉวีวรรณ ทดสอบ');
    expect(p2).toContain('0/1 โรงเรียน (0%)');
    expect(p2).toContain('เลยกำหนดส่ง');

    const p4 = json(rows.get(f.person.p4 ?? ''));
    expect(p4).toContain('ครูณัฐพล ทดสอบ');
    expect(p4).toContain('0/1 คน (0%)');
  });
});

describe('planDigests: a Monday holiday', () => {
  it("moves the week's digest to the next working day, once", async () => {
    // ISO week 2026-W49: office A keeps Monday 30 November as a holiday; B and C work.
    const monday = MONDAY_0800 + 7 * 24 * HOUR;
    await t.db.execute(sql`
      INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on, roles)
      VALUES (${f.officeA}::uuid, 'holiday', 'วันหยุดชดเชย', '2026-11-30', '2026-11-30', '{}'::text[])`);
    const inA = async (week: string) =>
      [...(await digests(week)).values()].filter((r) => r.office_id === f.officeA).length;
    expect((await planDigests(t.db, monday, f.officeA)).items).toBe(0);
    expect((await planDigests(t.db, monday, f.officeB)).items).toBeGreaterThan(0);
    expect(await inA('2026-W49')).toBe(0);
    // Tuesday: A's digest of the week goes out, as W49's.
    const staged = (await planDigests(t.db, monday + 24 * HOUR, f.officeA)).items;
    expect(staged).toBe(7);
    expect(await inA('2026-W49')).toBe(7);
    // Once: Wednesday stages nothing more for A, nor for B, staged on its Monday.
    expect((await planDigests(t.db, monday + 48 * HOUR, f.officeA)).items).toBe(0);
    expect((await planDigests(t.db, monday + 48 * HOUR, f.officeB)).items).toBe(0);
    expect(await inA('2026-W49')).toBe(7);
  });
});
