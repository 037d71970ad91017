// Daily reminder planning against a real database: which people get a push on which local day, what the push
// bundles, and that planning is idempotent. Every test builds its own office, so none shares ids with another.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertOffice, upsertPeople, upsertSchools, schoolIdsByCode } from '../../src/admin/admin.queries.js';
import { assignSupervisor, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { queryRows } from '../../src/db/client.js';
import type { Role } from '../../src/db/schema.js';
import { outboxRowId, publishNotice } from '../../src/outbox/enqueue.queries.js';
import { planReminders, type PlanReport } from '../../src/reminders/plan.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { validateMessagingRequest } from '../support/fake-line.js';
import { messagesOf } from '../support/outbox.js';
import { count } from '../support/sql.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.close());

/** 08:00 in Bangkok on a local day (01:00Z). */
const eight = (day: string) => Date.parse(`${day}T01:00:00Z`);
/** A campaign due at the end of a Bangkok day. */
const endOf = (day: string) => `${day}T23:59:00+07:00`;

interface PersonSpec {
  key: string;
  role: Role;
  school?: 'A' | 'B' | 'C';
  name?: string;
  status?: 'invited' | 'active' | 'blocked' | 'erased';
  linked?: boolean;
  muted?: boolean;
  hour?: number;
}

interface World {
  officeId: string;
  school: Record<'A' | 'B' | 'C', string>;
  cluster: string;
  id: Record<string, string>;
  personChecklist: string;
  schoolChecklist: string;
}

let seq = 0;

/**
 * An office with schools A and B in cluster N1 and C in N2, and the given people. People are active and linked
 * unless said otherwise.
 */
async function world(people: PersonSpec[]): Promise<World> {
  seq += 1;
  const code = `REM${seq}-${Math.random().toString(36).slice(2, 8)}`;
  const office = await upsertOffice(t.db, { code, nameTh: `สำนักงานทดสอบ ${code}`, nameEn: null });
  await upsertSchools(t.db, office.id, [
    { code: `${code}-A`, nameTh: 'โรงเรียนบ้านเอ', clusterCode: 'N1', clusterNameTh: 'เครือข่ายหนึ่ง' },
    { code: `${code}-B`, nameTh: 'โรงเรียนบ้านบี', clusterCode: 'N1', clusterNameTh: 'เครือข่ายหนึ่ง' },
    { code: `${code}-C`, nameTh: 'โรงเรียนบ้านซี', clusterCode: 'N2', clusterNameTh: 'เครือข่ายสอง' },
  ]);
  const codes = await schoolIdsByCode(t.db, office.id, [`${code}-A`, `${code}-B`, `${code}-C`]);
  const school = { A: codes.get(`${code}-A`) ?? '', B: codes.get(`${code}-B`) ?? '', C: codes.get(`${code}-C`) ?? '' };
  const ids = await upsertPeople(
    t.db,
    office.id,
    people.map((p) => ({
      id: crypto.randomUUID(),
      displayName: p.name ?? `ครู${p.key}`,
      role: p.role,
      schoolId: p.school === undefined ? null : school[p.school],
      externalId: `${code}-${p.key}`,
    })),
  );
  const id: Record<string, string> = {};
  people.forEach((p, i) => (id[p.key] = ids[i] ?? ''));
  for (const [i, p] of people.entries()) {
    const linked = p.linked ?? true;
    await t.db.execute(sql`
      UPDATE people SET status = ${p.status ?? 'active'}, muted = ${p.muted ?? false}, reminder_hour = ${p.hour ?? 8},
             channel_id = ${linked ? 'default' : null}, line_user_id = ${linked ? `U${(ids[i] ?? '').replaceAll('-', '')}` : null}
       WHERE id = ${ids[i] ?? ''}::uuid`);
  }
  const [cluster] = await queryRows<{ id: string }>(
    t.db,
    sql`SELECT id FROM clusters WHERE office_id = ${office.id} AND code = 'N1'`,
  );
  const checklist = async (scope: 'person' | 'school') => {
    const [row] = await queryRows<{ id: string }>(
      t.db,
      sql`INSERT INTO checklists (office_id, key, version, title_th, scope, definition)
          VALUES (${office.id}, ${`rem-${scope}`}, 1, ${`ทดสอบ ${scope}`}, ${scope}, '{}'::jsonb) RETURNING id`,
    );
    return row?.id ?? '';
  };
  return {
    officeId: office.id,
    school,
    cluster: cluster?.id ?? '',
    id,
    personChecklist: await checklist('person'),
    schoolChecklist: await checklist('school'),
  };
}

async function campaign(
  w: World,
  title: string,
  due: string,
  opts: { roles?: Role[]; scope?: 'person' | 'school'; schools?: string[]; clusters?: string[] } = {},
): Promise<string> {
  const c = await upsertCampaign(t.db, {
    officeId: w.officeId,
    checklistId: opts.scope === 'school' ? w.schoolChecklist : w.personChecklist,
    titleTh: title,
    roles: opts.roles ?? ['teacher'],
    schoolIds: opts.schools ?? [],
    clusterIds: opts.clusters ?? [],
    opensAt: '2026-11-01T00:00:00+07:00',
    dueAt: due,
  });
  return c.id;
}

async function respond(w: World, campaignId: string, subject: string, status: 'in_progress' | 'submitted') {
  const checklistId = (
    await queryRows<{ checklist_id: string }>(t.db, sql`SELECT checklist_id FROM campaigns WHERE id = ${campaignId}`)
  )[0]?.checklist_id;
  await t.db.execute(sql`
    INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, status, started_at, updated_at)
    VALUES (${crypto.randomUUID()}, ${w.officeId}, ${campaignId}, ${checklistId ?? ''}, ${subject}, ${status},
            '2026-11-02T00:00:00Z', '2026-11-02T00:00:00Z')`);
}

async function event(w: World, kind: string, title: string, from: string, to: string, roles: Role[] = []) {
  await t.db.execute(sql`
    INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on, roles)
    VALUES (${w.officeId}, ${kind}, ${title}, ${from}, ${to}, ${sql.param(roles)}::text[])`);
}

interface RowBase extends Record<string, unknown> {
  id: string;
  person_id: string;
  kind: string;
  local_day: string;
  not_before: string;
  /** The body's hash: people with the same bundle share one. */
  hash: string;
  channel_id: string;
}

interface OutboxRow extends RowBase {
  messages: { type: string; altText: string; contents: unknown }[];
}

/** The office's outbox rows, each with the messages the sender renders from its body. */
async function rows(w: World, key?: string): Promise<OutboxRow[]> {
  const found = await queryRows<RowBase>(
    t.db,
    sql`SELECT id, person_id, kind, to_char(local_day, 'YYYY-MM-DD') AS local_day,
               to_char(not_before AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS not_before,
               body::text AS hash, channel_id
          FROM outbox WHERE office_id = ${w.officeId}
           ${key === undefined ? sql`` : sql`AND person_id = ${w.id[key] ?? ''}::uuid`}
         ORDER BY created_at, local_day`,
  );
  return Promise.all(
    found.map(async (r): Promise<OutboxRow> => ({
      ...r,
      messages: (await messagesOf(t.db, r.id)) as OutboxRow['messages'],
    })),
  );
}

const plan = async (
  w: World,
  at: number,
  opts: { offsets?: number[]; escalateAfterDays?: number } = {},
): Promise<Pick<PlanReport, 'people' | 'rows' | 'escalations'>> => {
  // Monday's digests ride in the same bundles; they have their own tests (test/digests/plan.test.ts).
  const r = await planReminders(t.db, at, { officeId: w.officeId, digests: false, ...opts });
  return { people: r.people, rows: r.rows, escalations: r.escalations };
};

/** The card's texts, button labels and postback data in reading order (jsonb keeps array order, not key order). */
function card(row: OutboxRow | undefined) {
  const texts: string[] = [];
  const labels: string[] = [];
  const data: string[] = [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!isObject(node)) return;
    if (node.type === 'text' && typeof node.text === 'string') texts.push(node.text);
    if (isObject(node.action) && typeof node.action.label === 'string') labels.push(node.action.label);
    if (isObject(node.action) && typeof node.action.data === 'string') data.push(node.action.data);
    for (const key of ['header', 'body', 'footer', 'contents']) walk(node[key]);
  };
  walk(row?.messages[0]?.contents);
  return { json: JSON.stringify(row?.messages ?? []), texts, labels, data, altText: row?.messages[0]?.altText ?? '' };
}

describe('reminders: which local days', () => {
  it('reminds 7, 3 and 1 days before the due day, on it, and every weekday once overdue', async () => {
    const w = await world([{ key: 'T1', role: 'teacher', school: 'A' }]);
    const c = await campaign(w, 'แบบสำรวจความต้องการพัฒนา', endOf('2026-12-03'));
    const planned: string[] = [];
    for (const day of [
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-07',
    ]) {
      const r = await plan(w, eight(day));
      if (r.rows > 0) planned.push(day);
    }
    // 7 days before (Thu), 3 (Mon), 1 (Wed), 0 (Thu), then overdue on weekdays; Nov 28-29 and Dec 5 are weekends.
    expect(planned).toEqual(['2026-11-26', '2026-11-30', '2026-12-02', '2026-12-03', '2026-12-04', '2026-12-07']);
    const all = await rows(w, 'T1');
    expect(all.map((r) => r.local_day)).toEqual(planned);
    const whens = all.map((r) => card(r).texts.find((x) => x.includes('กำหนด')));
    expect(whens).toEqual([
      'อีก 7 วันครบกำหนด · กำหนดส่ง วันพฤหัสบดีที่ 3 ธันวาคม พ.ศ. 2569',
      'อีก 3 วันครบกำหนด · กำหนดส่ง วันพฤหัสบดีที่ 3 ธันวาคม พ.ศ. 2569',
      'ครบกำหนดพรุ่งนี้ · กำหนดส่ง วันพฤหัสบดีที่ 3 ธันวาคม พ.ศ. 2569',
      'ครบกำหนดวันนี้ · กำหนดส่ง วันพฤหัสบดีที่ 3 ธันวาคม พ.ศ. 2569',
      '⚠ เลยกำหนด 1 วัน · กำหนดส่ง วันพฤหัสบดีที่ 3 ธันวาคม พ.ศ. 2569',
      '⚠ เลยกำหนด 4 วัน · กำหนดส่ง วันพฤหัสบดีที่ 3 ธันวาคม พ.ศ. 2569',
    ]);
    expect(card(all[0]).data).toContain(`a=open&c=${c}`);
  });

  it('takes other offsets, and nothing before a campaign opens or after it closes', async () => {
    const w = await world([{ key: 'T1', role: 'teacher', school: 'A' }]);
    const c = await campaign(w, 'แบบประเมินตนเอง', endOf('2026-12-03'));
    expect((await plan(w, eight('2026-12-01'), { offsets: [2] })).rows).toBe(1);
    expect((await plan(w, eight('2026-12-02'), { offsets: [2] })).rows).toBe(0);
    await t.db.execute(sql`UPDATE campaigns SET opens_at = '2026-12-03T00:00:00+07:00' WHERE id = ${c}`);
    expect((await plan(w, eight('2026-12-02'))).rows).toBe(0);
    await t.db.execute(sql`UPDATE campaigns SET opens_at = '2026-11-01T00:00:00+07:00',
                                                closed_at = '2026-12-03T12:00:00+07:00' WHERE id = ${c}`);
    expect((await plan(w, eight('2026-12-03'))).rows).toBe(1); // closed later that day: still open at 08:00
    expect((await plan(w, eight('2026-12-04'))).rows).toBe(0);
  });
});

describe('reminders: Bangkok time, quiet hours, holidays, weekends', () => {
  it('uses the Bangkok hour and day, not UTC', async () => {
    const w = await world([
      { key: 'T8', role: 'teacher', school: 'A' },
      { key: 'T6', role: 'teacher', school: 'A', hour: 6 },
    ]);
    // Due 01:00 on 3 Dec in Bangkok, which is still 2 Dec in UTC.
    await campaign(w, 'รายงานผลการนิเทศ', '2026-12-03T01:00:00+07:00');
    // 23:30 on 1 Dec in Bangkok is 16:30Z; 00:30 on 2 Dec is 17:30Z: quiet either way.
    expect((await plan(w, Date.parse('2026-12-01T16:30:00Z'))).rows).toBe(0);
    expect((await plan(w, Date.parse('2026-12-01T17:30:00Z'))).rows).toBe(0);
    // 07:30 Bangkok: before 08:00, but the 06:00 person's hour is inside quiet hours, so it moved to 07:00.
    const early = await plan(w, Date.parse('2026-12-02T00:30:00Z'));
    expect(early).toEqual({ people: 1, rows: 1, escalations: 0 });
    expect((await rows(w)).map((r) => r.person_id)).toEqual([w.id.T6]);
    expect((await plan(w, Date.parse('2026-12-02T01:00:00Z'))).rows).toBe(1);
    const [row] = await rows(w, 'T8');
    expect(row?.local_day).toBe('2026-12-02');
    // The due day is 3 Dec in Bangkok: "tomorrow", though in UTC it is the same day.
    expect(card(row).texts).toContain('ครบกำหนดพรุ่งนี้ · กำหนดส่ง วันพฤหัสบดีที่ 3 ธันวาคม พ.ศ. 2569');
    expect(card(row).texts).toContain('วันพุธที่ 2 ธันวาคม พ.ศ. 2569');
  });

  it('never plans in quiet hours, and moves a reminder hour inside them to their end', async () => {
    const w = await world([
      { key: 'T8', role: 'teacher', school: 'A' },
      { key: 'T22', role: 'teacher', school: 'A', hour: 22 },
    ]);
    await campaign(w, 'แบบสำรวจ', endOf('2026-12-03'));
    // 20:30 Bangkok on the due day: nobody was planned yet, and still nothing goes out.
    expect((await plan(w, Date.parse('2026-12-03T13:30:00Z'))).rows).toBe(0);
    // 07:05 on the next day: the 22:00 person (moved to 07:00) only.
    expect((await plan(w, Date.parse('2026-12-04T00:05:00Z'))).rows).toBe(1);
    expect((await rows(w)).map((r) => r.person_id)).toEqual([w.id.T22]);

    // An office with a lunchtime quiet window (12-14) and a person whose hour (13) falls in it.
    const lunch = await world([{ key: 'T13', role: 'teacher', school: 'A', hour: 13 }]);
    await t.db.execute(sql`UPDATE offices SET quiet_start = 12, quiet_end = 14 WHERE id = ${lunch.officeId}`);
    await campaign(lunch, 'แบบสำรวจ', endOf('2026-12-03'));
    expect((await plan(lunch, Date.parse('2026-12-03T06:30:00Z'))).rows).toBe(0); // 13:30
    expect((await plan(lunch, Date.parse('2026-12-03T07:00:00Z'))).rows).toBe(1); // 14:00
  });

  it('skips holidays and weekends', async () => {
    const w = await world([{ key: 'T1', role: 'teacher', school: 'A' }]);
    await campaign(w, 'แบบสำรวจ', endOf('2026-11-20'));
    await event(w, 'holiday', 'วันหยุดชดเชย', '2026-11-23', '2026-11-24');
    expect((await plan(w, eight('2026-11-21'))).rows).toBe(0); // Saturday
    expect((await plan(w, eight('2026-11-22'))).rows).toBe(0); // Sunday
    expect((await plan(w, eight('2026-11-23'))).rows).toBe(0); // holiday
    expect((await plan(w, eight('2026-11-24'))).rows).toBe(0); // holiday, its last day
    expect((await plan(w, eight('2026-11-25'))).rows).toBe(1);
    expect((await rows(w)).map((r) => r.local_day)).toEqual(['2026-11-25']);
  });
});

describe('reminders: who', () => {
  it('never plans for muted, blocked, invited, unlinked or erased people', async () => {
    const w = await world([
      { key: 'OK', role: 'teacher', school: 'A' },
      { key: 'MUTED', role: 'teacher', school: 'A', muted: true },
      { key: 'BLOCKED', role: 'teacher', school: 'A', status: 'blocked' },
      { key: 'INVITED', role: 'teacher', school: 'A', status: 'invited', linked: false },
      { key: 'UNLINKED', role: 'teacher', school: 'A', linked: false },
      { key: 'ERASED', role: 'teacher', school: 'A', status: 'erased' },
    ]);
    await campaign(w, 'แบบสำรวจ', endOf('2026-12-03'));
    expect(await plan(w, eight('2026-12-04'))).toEqual({ people: 1, rows: 1, escalations: 0 });
    expect((await rows(w)).map((r) => r.person_id)).toEqual([w.id.OK]);
  });

  it('leaves out people who submitted, keeps those part way, and follows roles, schools and clusters', async () => {
    const w = await world([
      { key: 'DONE', role: 'teacher', school: 'A' },
      { key: 'HALF', role: 'teacher', school: 'A' },
      { key: 'NONE', role: 'teacher', school: 'B' },
      { key: 'OTHER', role: 'teacher', school: 'C' },
      { key: 'SUP', role: 'supervisor' },
    ]);
    const c = await campaign(w, 'แบบสำรวจเครือข่ายหนึ่ง', endOf('2026-12-03'), { clusters: [w.cluster] });
    await respond(w, c, w.id.DONE ?? '', 'submitted');
    await respond(w, c, w.id.HALF ?? '', 'in_progress');
    const onlyB = await campaign(w, 'แบบสำรวจโรงเรียนบี', endOf('2026-12-03'), { schools: [w.school.B] });
    await plan(w, eight('2026-12-03'));
    const got = await rows(w);
    expect(got.map((r) => r.person_id).sort()).toEqual([w.id.HALF, w.id.NONE].sort());
    const half = card(got.find((r) => r.person_id === w.id.HALF));
    expect(half.labels).toContain('ทำต่อ');
    expect(half.data).not.toContain(`a=open&c=${onlyB}`);
    const none = card(got.find((r) => r.person_id === w.id.NONE));
    expect(none.data).toEqual(expect.arrayContaining([`a=open&c=${c}`, `a=open&c=${onlyB}`]));
    expect(none.labels).toEqual(expect.arrayContaining(['เริ่มทำ']));
  });

  it('reminds the principal only of a school-scope campaign, until the school has submitted', async () => {
    const w = await world([
      { key: 'TA', role: 'teacher', school: 'A' },
      { key: 'PA', role: 'principal', school: 'A' },
      { key: 'PB', role: 'principal', school: 'B' },
      { key: 'TB', role: 'teacher', school: 'B' },
    ]);
    const sar = await campaign(w, 'รายงานการประเมินตนเอง (SAR)', endOf('2026-12-03'), {
      scope: 'school',
      roles: ['principal', 'teacher'],
    });
    // School B's report was submitted (by anyone at the school): its principal is done.
    await respond(w, sar, w.school.B, 'submitted');
    expect(await plan(w, eight('2026-12-03'))).toEqual({ people: 1, rows: 1, escalations: 0 });
    const [row] = await rows(w);
    expect(row?.person_id).toBe(w.id.PA);
    expect(card(row).data).toContain(`a=open&c=${sar}`);
  });
});

describe('reminders: one push per person per day', () => {
  it('bundles two campaigns and a meeting into one row with three items, a valid Flex card', async () => {
    const w = await world([
      { key: 'T1', role: 'teacher', school: 'A' },
      { key: 'PA', role: 'principal', school: 'A' },
    ]);
    const late = await campaign(w, 'แบบสำรวจความต้องการ', endOf('2026-12-01'));
    const soon = await campaign(w, 'แบบประเมินตนเองของครู', endOf('2026-12-10'));
    await event(w, 'meeting', 'ประชุมครูประจำเดือน', '2026-12-04', '2026-12-04', ['teacher']);
    await event(w, 'meeting', 'ประชุม ก.ต.ป.น.', '2026-12-04', '2026-12-04', ['principal']);
    await event(w, 'meeting', 'ประชุมสัปดาห์หน้า', '2026-12-08', '2026-12-08', ['teacher']);
    const at = eight('2026-12-03');
    const report = await plan(w, at);
    expect(report).toEqual({ people: 2, rows: 2, escalations: 0 });
    const [row] = await rows(w, 'T1');
    expect(row).toMatchObject({
      kind: 'bundle',
      local_day: '2026-12-03',
      not_before: '2026-12-03T01:00:00Z',
      channel_id: 'default',
    });
    expect(row?.hash).toMatch(/^[0-9a-f-]{36}$/);
    expect(row?.messages).toHaveLength(1);
    const push = { to: `U${'0'.repeat(32)}`, messages: row?.messages };
    expect(validateMessagingRequest('POST', '/v2/bot/message/push', push)).toEqual([]);
    const c = card(row);
    expect(c.altText.startsWith('วันนี้มี 3 เรื่อง')).toBe(true);
    expect(c.texts[0]).toBe('วันนี้มี 3 เรื่อง');
    // Late first, then due soon, then tomorrow's meeting; buttons only on campaigns, and no step token.
    expect(
      c.texts.filter((x) => ['แบบสำรวจความต้องการ', 'แบบประเมินตนเองของครู', 'ประชุมครูประจำเดือน'].includes(x)),
    ).toEqual(['แบบสำรวจความต้องการ', 'แบบประเมินตนเองของครู', 'ประชุมครูประจำเดือน']);
    expect(c.texts).toContain('ประชุมพรุ่งนี้ · วันศุกร์ที่ 4 ธันวาคม พ.ศ. 2569');
    expect(c.data).toEqual([`a=open&c=${late}`, `a=open&c=${soon}`, 'a=settings']);
    expect(c.json).not.toContain('ประชุม ก.ต.ป.น.');
    expect(c.json).not.toContain('ประชุมสัปดาห์หน้า');
    // The principal's only item is their meeting.
    const principal = card((await rows(w, 'PA'))[0]);
    expect(principal.texts[0]).toBe('วันนี้มี 1 เรื่อง');
    expect(principal.json).toContain('ประชุม ก.ต.ป.น.');
  });

  it('is idempotent: three runs at the same instant, and later ticks that day, plan nothing more', async () => {
    const w = await world([
      { key: 'T1', role: 'teacher', school: 'A' },
      { key: 'T2', role: 'teacher', school: 'B', hour: 10 },
    ]);
    await campaign(w, 'แบบสำรวจ', endOf('2026-12-03'));
    const at = eight('2026-12-03');
    expect(await plan(w, at)).toEqual({ people: 1, rows: 1, escalations: 0 });
    expect(await plan(w, at)).toEqual({ people: 0, rows: 0, escalations: 0 });
    expect(await plan(w, at)).toEqual({ people: 0, rows: 0, escalations: 0 });
    expect(await plan(w, at + 2 * 3_600_000)).toEqual({ people: 1, rows: 1, escalations: 0 }); // T2 at 10:00
    expect(await plan(w, at + 5 * 3_600_000)).toEqual({ people: 0, rows: 0, escalations: 0 });
    expect(await count(t.db, sql`outbox WHERE office_id = ${w.officeId}`)).toBe(2);
    // Concurrent ticks: the dedupe key lets one row through per person.
    const both = await Promise.all([plan(w, eight('2026-12-04')), plan(w, eight('2026-12-04'))]);
    expect(both[0].rows + both[1].rows).toBe(1);
    expect(await count(t.db, sql`outbox WHERE office_id = ${w.officeId} AND local_day = '2026-12-04'`)).toBe(1);
  });

  it("keys the row by the person's day: a replan after its marker is lost writes nothing more", async () => {
    const w = await world([{ key: 'T1', role: 'teacher', school: 'A' }]);
    await campaign(w, 'แบบสำรวจ', endOf('2026-12-03'));
    const at = eight('2026-12-03');
    expect(await plan(w, at)).toEqual({ people: 1, rows: 1, escalations: 0 });
    // The row's id (its retry key) is derived from (person, local day): the primary key is the one-push rule.
    const [row] = await queryRows<{ id: string; derived: string; other: string }>(
      t.db,
      sql`SELECT id::text, ${outboxRowId(sql`person_id`, sql`local_day`)}::text AS derived,
                 ${outboxRowId(sql`person_id`, sql`local_day + 1`)}::text AS other
            FROM outbox WHERE office_id = ${w.officeId}`,
    );
    expect(row?.id).toBe(row?.derived);
    expect(row?.other).not.toBe(row?.id); // another day, another key
    await t.db.execute(sql`DELETE FROM plan_marks WHERE office_id = ${w.officeId}`);
    expect(await plan(w, at)).toEqual({ people: 1, rows: 0, escalations: 0 });
    expect(await count(t.db, sql`outbox WHERE office_id = ${w.officeId}`)).toBe(1);
    // The planner finds the day's rows by office, status and not_before (and then inserts without ON CONFLICT): a
    // row sent, its not_before moved later by a lease, is still found.
    await t.db.execute(
      sql`UPDATE outbox SET status = 'sent', attempts = 1, not_before = not_before + interval '3 hours'
           WHERE office_id = ${w.officeId}`,
    );
    await t.db.execute(sql`DELETE FROM plan_marks WHERE office_id = ${w.officeId}`);
    expect(await plan(w, at + 3_600_000)).toEqual({ people: 1, rows: 0, escalations: 0 });
    expect(await count(t.db, sql`outbox WHERE office_id = ${w.officeId}`)).toBe(1);
    // A row planned under an earlier id scheme (md5, until fb8b030) is the person's row of the day all the same.
    await t.db.execute(
      sql`UPDATE outbox SET id = md5(office_id::text || ':' || person_id::text || ':' || local_day::text)::uuid
           WHERE office_id = ${w.officeId}`,
    );
    await t.db.execute(sql`DELETE FROM plan_marks WHERE office_id = ${w.officeId}`);
    expect(await plan(w, at + 7_200_000)).toEqual({ people: 1, rows: 0, escalations: 0 });
    expect(await count(t.db, sql`outbox WHERE office_id = ${w.officeId}`)).toBe(1);
  });

  it('plans every office when none is named, each on its own calendar', async () => {
    const a = await world([{ key: 'T1', role: 'teacher', school: 'A' }]);
    const b = await world([{ key: 'T1', role: 'teacher', school: 'A' }]);
    await campaign(a, 'แบบสำรวจ', endOf('2027-06-07'));
    await campaign(b, 'แบบสำรวจ', endOf('2027-06-07'));
    await event(b, 'holiday', 'วันหยุดพิเศษ', '2027-06-07', '2027-06-07');
    const report = await planReminders(t.db, eight('2027-06-07'));
    expect(report.rows).toBeGreaterThanOrEqual(1);
    expect(await count(t.db, sql`outbox WHERE office_id = ${a.officeId}`)).toBe(1);
    expect(await count(t.db, sql`outbox WHERE office_id = ${b.officeId}`)).toBe(0);
  });

  it('plans offices concurrently as the units run them: every office once, one row per person', async () => {
    const offices = [];
    for (let i = 0; i < 3; i++) {
      const w = await world([
        { key: 'T1', role: 'teacher', school: 'A' },
        { key: 'T2', role: 'teacher', school: 'A' },
      ]);
      await campaign(w, 'แบบสำรวจ', endOf('2027-06-14'));
      offices.push(w);
    }
    const at = eight('2027-06-14');
    // Two all-offices runs at once, each two transactions at a time: the markers let each office's hour through once.
    const runs = await Promise.all([
      planReminders(t.db, at, { concurrency: 2 }),
      planReminders(t.db, at, { concurrency: 2 }),
    ]);
    expect(runs[0].offices + runs[1].offices).toBeGreaterThanOrEqual(3);
    for (const w of offices) {
      expect(await count(t.db, sql`outbox WHERE office_id = ${w.officeId} AND local_day = '2027-06-14'`)).toBe(2);
      expect(
        await count(t.db, sql`plan_marks WHERE office_id = ${w.officeId} AND day = '2027-06-14' AND slot LIKE 'h%'`),
      ).toBe(1);
    }
  });
});

describe('bundle items: published notices', () => {
  it('publishes a notice to an audience once, and each person gets it in their next bundle', async () => {
    const w = await world([
      { key: 'PA', role: 'principal', school: 'A' },
      { key: 'PC', role: 'principal', school: 'C' },
      { key: 'TA', role: 'teacher', school: 'A' },
      { key: 'PB', role: 'principal', school: 'B', linked: false, status: 'invited' },
    ]);
    const notice = { key: 'results-2569-2', title: 'ผลการนิเทศ ภาคเรียนที่ 2/2569', text: 'ดูรายงานได้ที่เว็บสำนักงาน' };
    const at = eight('2026-12-03');
    const audience = { roles: ['principal'], clusterIds: [w.cluster] };
    expect(await publishNotice(t.db, w.officeId, audience, notice, at - 3_600_000)).toBe(1); // PA: N1, linked
    expect(await publishNotice(t.db, w.officeId, audience, notice, at - 3_600_000)).toBe(0);
    expect(await plan(w, at)).toMatchObject({ people: 1, rows: 1 });
    const c = card((await rows(w, 'PA'))[0]);
    expect(c.texts).toContain('ผลการนิเทศ ภาคเรียนที่ 2/2569');
    expect(c.texts).toContain('ดูรายงานได้ที่เว็บสำนักงาน');
    expect(await rows(w, 'PC')).toEqual([]);
    expect(await rows(w, 'TA')).toEqual([]);
    // The sender sent it (a day's bundle still unsent the next day gives its items back: test/outbox/hardening).
    await t.db.execute(sql`UPDATE outbox SET status = 'sent', attempts = 1 WHERE office_id = ${w.officeId}::uuid`);
    expect(await plan(w, eight('2026-12-04'))).toMatchObject({ rows: 0 }); // bundled once
  });
});

describe('reminders: escalation', () => {
  it('tells the principal after N overdue days who has not answered, and main supervisors after 2N', async () => {
    const w = await world([
      { key: 'TA1', role: 'teacher', school: 'A', name: 'ครูกมล' },
      { key: 'TA2', role: 'teacher', school: 'A', name: 'ครูขวัญ' },
      { key: 'TA3', role: 'teacher', school: 'A', name: 'ครูจันทร์', status: 'invited', linked: false },
      { key: 'PA', role: 'principal', school: 'A', name: 'ผอ.เอ' },
      { key: 'TB1', role: 'teacher', school: 'B', name: 'ครูบุญ' },
      { key: 'PB', role: 'principal', school: 'B', name: 'ผอ.บี' },
      { key: 'TC1', role: 'teacher', school: 'C', name: 'ครูชัย' },
      { key: 'SUP', role: 'supervisor', name: 'ศน.หลัก' },
      { key: 'JOINT', role: 'supervisor', name: 'ศน.ร่วม' },
      { key: 'SUPC', role: 'supervisor', name: 'ศน.ซี' },
    ]);
    await assignSupervisor(t.db, w.officeId, {
      supervisorId: w.id.SUP ?? '',
      schoolId: null,
      clusterId: w.cluster,
      kind: 'main',
    });
    await assignSupervisor(t.db, w.officeId, {
      supervisorId: w.id.JOINT ?? '',
      schoolId: null,
      clusterId: w.cluster,
      kind: 'joint',
    });
    // A school can reach a supervisor twice (directly and through its cluster); it is still one school.
    await assignSupervisor(t.db, w.officeId, {
      supervisorId: w.id.SUP ?? '',
      schoolId: w.school.A,
      clusterId: null,
      kind: 'main',
    });
    await assignSupervisor(t.db, w.officeId, {
      supervisorId: w.id.SUPC ?? '',
      schoolId: w.school.C,
      clusterId: null,
      kind: 'main',
    });
    const survey = await campaign(w, 'แบบสำรวจความต้องการ', endOf('2026-12-03'));
    const sar = await campaign(w, 'SAR', endOf('2026-12-03'), { scope: 'school', roles: ['principal'] });
    await respond(w, survey, w.id.TA2 ?? '', 'submitted');
    await respond(w, survey, w.id.TB1 ?? '', 'submitted');
    await respond(w, sar, w.school.B, 'submitted');
    const opts = { escalateAfterDays: 3 };

    // 1 day late: teachers are reminded, the principal only of the school's own report.
    expect((await plan(w, eight('2026-12-04'), opts)).escalations).toBe(0);
    expect(card((await rows(w, 'PA'))[0]).json).not.toContain('ครูที่ยังไม่ส่ง');
    expect((await rows(w, 'TA1')).map((r) => r.local_day)).toEqual(['2026-12-04']);

    // 4 days late (≥ N): principal A hears of two teachers (one never linked); B's teacher answered.
    expect((await plan(w, eight('2026-12-07'), opts)).escalations).toBe(1);
    const pa = card((await rows(w, 'PA')).at(-1));
    expect(pa.texts).toContain('ครูที่ยังไม่ส่ง: แบบสำรวจความต้องการ');
    expect(pa.texts).toContain('2 คน: ครูกมล, ครูจันทร์');
    expect(pa.texts).toContain('SAR'); // the school's own report, overdue, with its button
    expect(pa.data).toEqual([`a=open&c=${sar}`, 'a=settings']);
    expect(await rows(w, 'PB')).toEqual([]);
    expect(await rows(w, 'SUP')).toEqual([]);

    // 6 days late (≥ 2N): the main supervisor of cluster N1 hears of its schools; the joint one does not.
    const d6 = await plan(w, eight('2026-12-09'), opts);
    // Principal A's list, two campaigns for SUP, and the survey for SUPC: school C has no principal, so under the one
    // audience rule (audience()) it is no subject of the school-scope SAR, and nobody is missing it there.
    expect(d6.escalations).toBe(4);
    const sup = card((await rows(w, 'SUP'))[0]);
    expect(sup.texts).toContain('โรงเรียนที่ยังไม่ส่ง: แบบสำรวจความต้องการ');
    expect(sup.texts).toContain('1 โรงเรียน (2 คน): โรงเรียนบ้านเอ (2)');
    expect(sup.texts).toContain('โรงเรียนที่ยังไม่ส่ง: SAR');
    expect(sup.texts).toContain('1 โรงเรียน: โรงเรียนบ้านเอ');
    expect(sup.json).not.toContain('โรงเรียนบ้านซี'); // not in the supervisor's cluster
    expect(sup.data).toEqual(['a=settings']);
    expect(await rows(w, 'JOINT')).toEqual([]);
    const supC = card((await rows(w, 'SUPC'))[0]);
    expect(supC.texts).toContain('1 โรงเรียน (1 คน): โรงเรียนบ้านซี (1)');
    expect(supC.texts).not.toContain('โรงเรียนที่ยังไม่ส่ง: SAR');
  });

  it('tells principals and supervisors only when they may be reached: their hour, not muted, once a day', async () => {
    const w = await world([
      { key: 'TA', role: 'teacher', school: 'A', name: 'ครูเอ' },
      { key: 'TB', role: 'teacher', school: 'B', name: 'ครูบี' },
      { key: 'PA', role: 'principal', school: 'A', hour: 10 },
      { key: 'PB', role: 'principal', school: 'B', muted: true },
      { key: 'SUP', role: 'supervisor', hour: 9 },
    ]);
    await assignSupervisor(t.db, w.officeId, {
      supervisorId: w.id.SUP ?? '',
      schoolId: null,
      clusterId: w.cluster,
      kind: 'main',
    });
    await campaign(w, 'แบบสำรวจ', endOf('2026-12-03'));
    const at = eight('2026-12-10'); // 7 days late: past N and 2N
    expect(await plan(w, at, { escalateAfterDays: 3 })).toEqual({ people: 2, rows: 2, escalations: 0 });
    expect(await plan(w, at + 3_600_000, { escalateAfterDays: 3 })).toEqual({ people: 1, rows: 1, escalations: 1 });
    expect(card((await rows(w, 'SUP'))[0]).texts).toContain('2 โรงเรียน (2 คน): โรงเรียนบ้านบี (1), โรงเรียนบ้านเอ (1)');
    expect(await plan(w, at + 2 * 3_600_000, { escalateAfterDays: 3 })).toEqual({ people: 1, rows: 1, escalations: 1 });
    expect(card((await rows(w, 'PA'))[0]).texts).toContain('1 คน: ครูเอ');
    expect(await plan(w, at + 3 * 3_600_000, { escalateAfterDays: 3 })).toEqual({ people: 0, rows: 0, escalations: 0 });
    expect(await rows(w, 'PB')).toEqual([]);
  });

  it("keeps the principal's list short: the count and the first 10 names", async () => {
    const teachers = Array.from({ length: 12 }, (_, i) => ({
      key: `T${i}`,
      role: 'teacher' as const,
      school: 'A' as const,
      name: `ครูคนที่ ${String(i + 1).padStart(2, '0')}`,
    }));
    const w = await world([...teachers, { key: 'PA', role: 'principal', school: 'A' }]);
    await campaign(w, 'แบบสำรวจ', endOf('2026-12-03'));
    expect((await plan(w, eight('2026-12-07'), { escalateAfterDays: 1 })).escalations).toBe(1);
    const pa = card((await rows(w, 'PA'))[0]);
    const names = teachers.slice(0, 10).map((x) => x.name);
    expect(pa.texts).toContain(`12 คน: ${names.join(', ')} และอีก 2 คน`);
  });
});

describe('reminders: announcements', () => {
  it('announces a campaign that opens later in the day at the first planning hour after it opens, once', async () => {
    const w = await world([
      { key: 't1', role: 'teacher', school: 'A' },
      { key: 't2', role: 'teacher', school: 'B' },
    ]);
    const c = await upsertCampaign(t.db, {
      officeId: w.officeId,
      checklistId: w.personChecklist,
      titleTh: 'ประกาศแบบสำรวจ เปิดสาย',
      roles: ['teacher'],
      schoolIds: [],
      clusterIds: [],
      opensAt: '2026-12-03T09:30:00+07:00',
      dueAt: endOf('2026-12-10'),
      announce: true,
    });
    const plan = (at: number) => planReminders(t.db, at, { officeId: w.officeId, digests: false });
    // 08:00: the hour is planned, and there is nothing to announce yet (that unit skips the announcements).
    const early = await plan(eight('2026-12-03'));
    expect(early.offices).toBe(1);
    expect(early.announced).toBe(0);
    // 10:00, the first hour after it opened: every teacher still to answer hears of it; 11:00: nobody again.
    expect((await plan(eight('2026-12-03') + 2 * 3_600_000)).announced).toBe(2);
    expect((await plan(eight('2026-12-03') + 3 * 3_600_000)).announced).toBe(0);
    expect(await count(t.db, sql`campaigns WHERE id = ${c.id}::uuid AND announced_at IS NOT NULL`)).toBe(1);
  });
});
