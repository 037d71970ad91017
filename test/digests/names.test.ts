// namesFor, the reply to a digest's "ดูรายชื่อ" button: the right names, only within the asker's scope, a polite
// refusal for anyone else or for a forged postback naming another office's campaign, and long lists split into
// at most five LINE texts with "และอีก N".
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertPeople, upsertSchools } from '../../src/admin/admin.queries.js';
import { findChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { queryRows } from '../../src/db/client.js';
import type { Role } from '../../src/db/schema.js';
import { namesFor, pack } from '../../src/digests/names.js';
import { progressBySchool } from '../../src/digests/digests.queries.js';
import type { Message } from '../../src/line/messages.js';
import { createTestDatabase, type TestDatabase } from '../support/db.js';
import { validateMessagingRequest } from '../support/fake-line.js';
import { type Fixture, MONDAY_0800, seedFixture, TITLES } from './fixture.js';
import { msg } from '../../src/i18n/msg.js';

let t: TestDatabase;
let f: Fixture;
beforeAll(async () => {
  t = await createTestDatabase();
  f = await seedFixture(t.db);
});
afterAll(() => t.close());

const SCHOOL_OF: Record<string, keyof Fixture['school'] | null> = {
  d1: null,
  sup1: null,
  sup2: null,
  sup3: null,
  p1: 'S1',
  p2: 'S2',
  p4: 'S4',
  t1a: 'S1',
  admin: null,
  dB: null,
};
const ROLE_OF = (k: string): Role =>
  k.startsWith('d')
    ? 'director'
    : k.startsWith('sup')
      ? 'supervisor'
      : k.startsWith('p')
        ? 'principal'
        : k === 'admin'
          ? 'admin'
          : 'teacher';

function asker(key: string) {
  const school = SCHOOL_OF[key] ?? null;
  return {
    id: f.person[key] ?? '',
    role: ROLE_OF(key),
    officeId: key === 'dB' ? f.officeB : f.officeA,
    schoolId: school === null ? null : f.school[school],
  };
}

async function ask(key: string, kind: string, campaignId?: string): Promise<string> {
  const messages = await namesFor(t.db, asker(key), { kind, campaignId }, MONDAY_0800);
  expectValid(messages);
  return messages.map((m) => (m.type === 'text' ? m.text : '')).join('\n---\n');
}

function expectValid(messages: Message[]) {
  expect(messages.length).toBeGreaterThan(0);
  expect(messages.length).toBeLessThanOrEqual(5);
  expect(validateMessagingRequest('POST', '/v2/bot/message/reply', { replyToken: 't', messages })).toEqual([]);
  for (const m of messages) if (m.type === 'text') expect(m.text.length).toBeLessThanOrEqual(5000);
}

describe('namesFor: who has not submitted', () => {
  it('a director gets the whole office, grouped by school, unlinked people marked', async () => {
    const text = await ask('d1', 'pending', f.campaign.survey);
    expect(text).toContain(`ยังไม่ได้ส่ง: ${TITLES.survey}`);
    expect(text).toContain('กำหนดส่ง 30 พ.ย. 2569 · รวม 3 คน');
    expect(text).toContain('▪ โรงเรียนบ้านหนึ่ง (เครือข่ายหนึ่ง)\n• ครูคมสัน ทดสอบ (ยังไม่เชื่อม LINE)');
    expect(text).toContain('▪ โรงเรียนบ้านสอง (เครือข่ายหนึ่ง)\n• ครูฉวีวรรณ ทดสอบ');
    expect(text).toContain('▪ โรงเรียนบ้านสี่ (เครือข่ายสอง)\n• ครูณัฐพล ทดสอบ');
    expect(text).not.toContain('ครูกานดา'); // submitted
    expect(text).not.toContain('ครูลบแล้ว'); // erased
  });

  it('lists schools for a school-scope campaign', async () => {
    const text = await ask('d1', 'pending', f.campaign.iqa);
    expect(text).toContain('รวม 2 โรงเรียน');
    expect(text).toContain('▪ เครือข่ายหนึ่ง\n• โรงเรียนบ้านสอง');
    expect(text).toContain('▪ เครือข่ายสอง\n• โรงเรียนบ้านสี่');
    expect(text).not.toContain('โรงเรียนบ้านหนึ่ง');
  });

  it('a supervisor gets only the assigned schools, a principal only their own', async () => {
    const sup1 = await ask('sup1', 'pending', f.campaign.survey);
    expect(sup1).toContain('รวม 2 คน');
    expect(sup1).toContain('ครูคมสัน');
    expect(sup1).toContain('ครูฉวีวรรณ');
    expect(sup1).not.toContain('ครูณัฐพล');

    const sup2 = await ask('sup2', 'pending', f.campaign.survey);
    expect(sup2).toContain('รวม 1 คน');
    expect(sup2).toContain('ครูณัฐพล');

    const p1 = await ask('p1', 'pending', f.campaign.survey);
    expect(p1).toContain('รวม 1 คน');
    expect(p1).toContain('ครูคมสัน');
    expect(p1).not.toContain('ครูฉวีวรรณ');

    expect(await ask('p1', 'pending', f.campaign.iqa)).toBe(msg.digest.pendingNone(TITLES.iqa));
    expect(await ask('sup3', 'pending', f.campaign.survey)).toBe(msg.digest.pendingNone(TITLES.survey));
  });
});

describe('namesFor: overdue schools and SAR standards below target', () => {
  it('overdue schools follow the same scopes', async () => {
    const d1 = await ask('d1', 'overdue');
    expect(d1).toContain('รวม 2 รายการ');
    expect(d1).toContain(`▪ ${TITLES.iqa}\n• โรงเรียนบ้านสอง (เครือข่ายหนึ่ง)\n• โรงเรียนบ้านสี่ (เครือข่ายสอง)`);
    expect(await ask('d1', 'overdue', f.campaign.iqa)).toBe(d1);
    const sup1 = await ask('sup1', 'overdue');
    expect(sup1).toContain('โรงเรียนบ้านสอง');
    expect(sup1).not.toContain('โรงเรียนบ้านสี่');
    // A principal names a campaign (a digest's button): their school, if it is overdue.
    expect(await ask('p2', 'overdue', f.campaign.iqa)).toContain('โรงเรียนบ้านสอง');
    expect(await ask('p1', 'overdue', f.campaign.iqa)).toBe(msg.digest.overdueNone);
    // Without one (ค้างส่ง typed, the menu's tile): who at their school has not answered what is open.
    const p2 = await ask('p2', 'overdue');
    expect(p2).toContain(msg.digest.schoolPendingHeader(2));
    expect(p2).toContain(`▪ ${TITLES.iqa}\n• โรงเรียนบ้านสอง`);
    expect(p2).toMatch(/▪ สำรวจความต้องการการนิเทศของครู ภาคเรียนที่ 2\/2569\n• ครูฉวีวรรณ ทดสอบ/);
    const p1 = await ask('p1', 'overdue');
    expect(p1).toContain(msg.digest.schoolPendingHeader(1));
    expect(p1).toContain('• ครูคมสัน ทดสอบ (ยังไม่เชื่อม LINE)');
    expect(p1).not.toContain('ครูฉวีวรรณ');
    // A person-scope campaign is never "overdue schools".
    expect(await ask('d1', 'overdue', f.campaign.survey)).toBe(msg.digest.overdueNone);
  });

  it('SAR standards below target: the latest submitted SAR per school, by standard', async () => {
    const d1 = await ask('d1', 'sar');
    expect(d1).toContain('รวม 2 รายการ');
    expect(d1).toMatch(/▪ มาตรฐานที่ 1 คุณภาพของผู้เรียน \(รายงาน[^)]*\(SAR\)[^)]*\)\n• โรงเรียนบ้านหนึ่ง/);
    expect(d1).toMatch(/▪ มาตรฐานที่ 2 กระบวนการบริหารและการจัดการ \(.*\)\n• โรงเรียนบ้านสอง/);
    expect(d1).not.toContain('โรงเรียนบ้านสี่');
    expect(d1).not.toContain('โรงเรียนบ้านสาม');
    expect(await ask('sup2', 'sar')).toBe(msg.digest.sarNone);
    expect(await ask('sup1', 'sar')).toContain('รวม 2 รายการ');
    expect(await ask('p2', 'sar')).toContain('โรงเรียนบ้านสอง');
  });
});

describe('namesFor: refusals', () => {
  it('refuses teachers and admins, and principals without a school', async () => {
    expect(await ask('t1a', 'pending', f.campaign.survey)).toBe(msg.digest.namesNotAllowed);
    expect(await ask('admin', 'overdue')).toBe(msg.digest.namesNotAllowed);
    const noSchool = await namesFor(t.db, { ...asker('p1'), schoolId: null }, { kind: 'pending' }, MONDAY_0800);
    expect(noSchool).toEqual([{ type: 'text', text: msg.digest.namesNoSchool }]);
  });

  it("refuses a forged postback naming another office's campaign, a closed one, or a malformed id", async () => {
    expect(await ask('d1', 'pending', f.campaign.surveyB)).toBe(msg.digest.namesNotFound);
    expect(await ask('dB', 'pending', f.campaign.survey)).toBe(msg.digest.namesNotFound);
    expect(await ask('d1', 'overdue', f.campaign.surveyB)).toBe(msg.digest.namesNotFound);
    expect(await ask('d1', 'pending', f.campaign.sar)).toBe(msg.digest.namesNotFound);
    expect(await ask('d1', 'pending', "x' OR 1=1 --")).toBe(msg.digest.namesNotFound);
    expect(await ask('d1', 'pending')).toBe(msg.digest.namesUnknown);
    expect(await ask('d1', 'everything')).toBe(msg.digest.namesUnknown);
    // Office B's director sees their own campaign.
    expect(await ask('dB', 'pending', f.campaign.surveyB)).toContain('ครูบี ทดสอบ');
  });
});

describe('namesFor: long lists', () => {
  it('splits into at most five texts of at most 5,000 characters, then says how many more', async () => {
    await upsertSchools(t.db, f.officeA, [
      { code: '9000000005', nameTh: 'โรงเรียนใหญ่มาก', clusterCode: 'C2', clusterNameTh: 'เครือข่ายสอง' },
    ]);
    const [big] = await queryRows<{ id: string }>(t.db, sql`SELECT id FROM schools WHERE code = '9000000005'`);
    const n = 1300;
    await upsertPeople(
      t.db,
      f.officeA,
      Array.from({ length: n }, (_, i) => ({
        id: crypto.randomUUID(),
        displayName: `ครูทดสอบชื่อยาวมากเป็นพิเศษ นามสกุลยาวมากเป็นพิเศษ ${String(i).padStart(4, '0')}`,
        role: 'teacher' as const,
        schoolId: big?.id ?? null,
        externalId: null,
      })),
    );
    const checklist = await findChecklist(t.db, f.officeA, 'needs-survey');
    const { id } = await upsertCampaign(t.db, {
      officeId: f.officeA,
      checklistId: checklist?.id ?? '',
      titleTh: 'แบบสำรวจโรงเรียนใหญ่',
      roles: ['teacher'],
      schoolIds: [big?.id ?? ''],
      clusterIds: [],
      opensAt: new Date(MONDAY_0800 - 86_400_000).toISOString(),
      dueAt: new Date(MONDAY_0800 + 86_400_000).toISOString(),
    });
    const messages = await namesFor(t.db, asker('d1'), { kind: 'pending', campaignId: id }, MONDAY_0800);
    expectValid(messages);
    expect(messages).toHaveLength(5);
    const texts = messages.map((m) => (m.type === 'text' ? m.text : ''));
    const shown = texts.join('\n').match(/^• /gm)?.length ?? 0;
    expect(shown).toBeGreaterThan(250);
    expect(texts.at(-1)).toMatch(new RegExp(`และอีก ${(n - shown).toLocaleString('en-US')} คน$`));
    expect(texts[0]).toContain(`รวม ${n.toLocaleString('en-US')} คน`);
  });
});

describe('pack', () => {
  const line = (text: string, item = true) => ({ text, item });

  it('keeps a short list in one text and counts names not fetched', () => {
    expect(pack('หัว', [line('▪ ก', false), line('• ข')], 1, 'คน')).toEqual([{ type: 'text', text: 'หัว\n▪ ก\n• ข' }]);
    expect(pack('หัว', [line('• ข')], 3, 'คน')).toEqual([{ type: 'text', text: 'หัว\n• ข\nและอีก 2 คน' }]);
  });

  it('starts a new text rather than cutting a line, never more than five', () => {
    const body = Array.from({ length: 1000 }, (_, i) => line(`• ${'ก'.repeat(100)} ${i}`));
    const out = pack('หัว', body, 1000, 'คน');
    expect(out).toHaveLength(5);
    for (const m of out) expect(m.type === 'text' && m.text.length <= 5000).toBe(true);
    const last = out.at(-1);
    expect(last?.type === 'text' ? last.text : '').toMatch(/และอีก \d+ คน$/);
  });
});

describe('counts: a school imported after a campaign was due', () => {
  it('is neither listed as overdue nor counted in the figures, unless it answered anyway', async () => {
    await upsertSchools(t.db, f.officeA, [
      { code: '9000000006', nameTh: 'โรงเรียนมาใหม่', clusterCode: 'C2', clusterNameTh: 'เครือข่ายสอง' },
    ]);
    const [late] = await queryRows<{ id: string }>(t.db, sql`SELECT id FROM schools WHERE code = '9000000006'`);
    const schoolId = late?.id ?? '';
    await upsertPeople(t.db, f.officeA, [
      { id: crypto.randomUUID(), displayName: 'ผอ.มาใหม่ ทดสอบ', role: 'principal', schoolId, externalId: null },
    ]);
    const iqaRows = async () =>
      (await progressBySchool(t.db, [f.officeA], new Date(MONDAY_0800).toISOString())).filter(
        (r) => r.campaign_id === f.campaign.iqa && r.school_id === schoolId,
      );

    const overdue = await ask('d1', 'overdue');
    expect(overdue).toContain('รวม 2 รายการ');
    expect(overdue).not.toContain('โรงเรียนมาใหม่');
    expect(await iqaRows()).toEqual([]);

    // It answered all the same: now it counts, as answered.
    await t.db.execute(sql`
      INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, status, started_at,
                             submitted_at, updated_at)
      SELECT gen_random_uuid(), office_id, id, checklist_id, ${schoolId}::uuid, ${schoolId}::uuid, 'submitted',
             now(), now(), now()
        FROM campaigns WHERE id = ${f.campaign.iqa}::uuid`);
    expect((await iqaRows()).map((r) => [r.answered, r.expected])).toEqual([[1, 1]]);
  });
});
