// A small world for the digest tests, with figures worked out by hand (see the comments): office A (Bangkok) has
// 2 clusters, 4 schools, 8 teachers, principals, directors and supervisors, an open teacher survey, an overdue
// school-scope IQA campaign and two closed SAR campaigns; office B (Bangkok) and office C (Tokyo) have one school,
// one linked director and one campaign each. Names and codes are invented.
import { sql } from 'drizzle-orm';
import { type PersonInput, upsertOffice, upsertPeople, upsertSchools } from '../../src/admin/admin.queries.js';
import { syncBuiltins } from '../../src/checklists/builtin-files.js';
import { assignSupervisor, findChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { type Db, queryRows } from '../../src/db/client.js';
import type { Role } from '../../src/db/schema.js';

/** Monday 23 November 2026, 08:00 in Bangkok (ISO week 2026-W48). */
export const MONDAY_0800 = Date.parse('2026-11-23T01:00:00Z');
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();

export const TITLES = {
  survey: 'สำรวจความต้องการการนิเทศของครู ภาคเรียนที่ 2/2569',
  iqa: 'รายงานการประกันคุณภาพภายใน 6 ขั้นตอน ปีการศึกษา 2569',
  sar: 'SAR ปีการศึกษา 2568',
  sarOld: 'SAR ปีการศึกษา 2567',
  surveyB: 'สำรวจความต้องการ สำนักงาน B',
  surveyC: 'สำรวจความต้องการ สำนักงาน C',
} as const;

export interface Fixture {
  officeA: string;
  officeB: string;
  officeC: string;
  school: Record<'S1' | 'S2' | 'S3' | 'S4' | 'SB1' | 'SC1', string>;
  person: Record<string, string>;
  campaign: Record<keyof typeof TITLES, string>;
}

interface P {
  key: string;
  name: string;
  role: Role;
  school: keyof Fixture['school'] | null;
  linked?: boolean;
  erased?: boolean;
}

const PEOPLE_A: P[] = [
  { key: 't1a', name: 'ครูกานดา ทดสอบ', role: 'teacher', school: 'S1', linked: true },
  { key: 't1b', name: 'ครูขวัญใจ ทดสอบ', role: 'teacher', school: 'S1', linked: true },
  { key: 't1c', name: 'ครูคมสัน ทดสอบ', role: 'teacher', school: 'S1' },
  { key: 't1x', name: 'ครูลบแล้ว ทดสอบ', role: 'teacher', school: 'S1', erased: true },
  { key: 't2a', name: 'ครูจันทร์เพ็ญ ทดสอบ', role: 'teacher', school: 'S2', linked: true },
  { key: 't2b', name: 'ครูฉวีวรรณ ทดสอบ', role: 'teacher', school: 'S2', linked: true },
  { key: 't3a', name: 'ครูชนินทร์ ทดสอบ', role: 'teacher', school: 'S3', linked: true },
  { key: 't3b', name: 'ครูฐิติมา ทดสอบ', role: 'teacher', school: 'S3', linked: true },
  { key: 't4a', name: 'ครูณัฐพล ทดสอบ', role: 'teacher', school: 'S4', linked: true },
  { key: 'p1', name: 'ผอ.ดารุณี ทดสอบ', role: 'principal', school: 'S1', linked: true },
  { key: 'p2', name: 'ผอ.ธีรวัฒน์ ทดสอบ', role: 'principal', school: 'S2', linked: true },
  { key: 'p3', name: 'ผอ.นภาพร ทดสอบ', role: 'principal', school: 'S3' },
  { key: 'p4', name: 'ผอ.บุญชัย ทดสอบ', role: 'principal', school: 'S4', linked: true },
  { key: 'd1', name: 'ผอ.สพท. ปกรณ์ ทดสอบ', role: 'director', school: null, linked: true },
  { key: 'd2', name: 'รอง ผอ.สพท. พิมพ์ใจ ทดสอบ', role: 'director', school: null, linked: true },
  { key: 'd3', name: 'ผอ.กลุ่มนิเทศ มานพ ทดสอบ', role: 'director', school: null },
  { key: 'sup1', name: 'ศน.ยุพา ทดสอบ', role: 'supervisor', school: null, linked: true },
  { key: 'sup2', name: 'ศน.รัฐพล ทดสอบ', role: 'supervisor', school: null, linked: true },
  { key: 'sup3', name: 'ศน.ลัดดา ทดสอบ', role: 'supervisor', school: null, linked: true },
  { key: 'admin', name: 'ธุรการ วันดี ทดสอบ', role: 'admin', school: null, linked: true },
];

export async function seedFixture(db: Db): Promise<Fixture> {
  await syncBuiltins(db);
  const a = await upsertOffice(db, { code: 'DGA', nameTh: 'สำนักงานเขตพื้นที่การศึกษาทดสอบ ก', nameEn: null });
  const b = await upsertOffice(db, { code: 'DGB', nameTh: 'สำนักงานเขตพื้นที่การศึกษาทดสอบ ข', nameEn: null });
  const c = await upsertOffice(db, { code: 'DGC', nameTh: 'สำนักงานทดสอบ เขตเวลาโตเกียว', nameEn: null });
  await db.execute(sql`UPDATE offices SET time_zone = 'Asia/Tokyo' WHERE id = ${c.id}`);

  await upsertSchools(db, a.id, [
    { code: '9000000001', nameTh: 'โรงเรียนบ้านหนึ่ง', clusterCode: 'C1', clusterNameTh: 'เครือข่ายหนึ่ง' },
    { code: '9000000002', nameTh: 'โรงเรียนบ้านสอง', clusterCode: 'C1', clusterNameTh: 'เครือข่ายหนึ่ง' },
    { code: '9000000003', nameTh: 'โรงเรียนบ้านสาม', clusterCode: 'C2', clusterNameTh: 'เครือข่ายสอง' },
    { code: '9000000004', nameTh: 'โรงเรียนบ้านสี่', clusterCode: 'C2', clusterNameTh: 'เครือข่ายสอง' },
  ]);
  await upsertSchools(db, b.id, [
    { code: '9000000101', nameTh: 'โรงเรียนสำนักงานบี', clusterCode: 'CB', clusterNameTh: 'เครือข่ายบี' },
  ]);
  await upsertSchools(db, c.id, [
    { code: '9000000201', nameTh: 'โรงเรียนสำนักงานซี', clusterCode: 'CC', clusterNameTh: 'เครือข่ายซี' },
  ]);
  const schoolRows = await queryRows<{ id: string; code: string }>(
    db,
    sql`SELECT id, code FROM schools WHERE office_id IN (${a.id}, ${b.id}, ${c.id})`,
  );
  const sid = (code: string) => schoolRows.find((s) => s.code === code)?.id ?? '';
  const school: Fixture['school'] = {
    S1: sid('9000000001'),
    S2: sid('9000000002'),
    S3: sid('9000000003'),
    S4: sid('9000000004'),
    SB1: sid('9000000101'),
    SC1: sid('9000000201'),
  };

  const person: Record<string, string> = {};
  const addPeople = async (officeId: string, list: P[]) => {
    const input: PersonInput[] = list.map((p) => ({
      id: crypto.randomUUID(),
      displayName: p.name,
      role: p.role,
      schoolId: p.school === null ? null : school[p.school],
      externalId: null,
    }));
    const ids = await upsertPeople(db, officeId, input);
    list.forEach((p, i) => (person[p.key] = ids[i] ?? ''));
  };
  await addPeople(a.id, PEOPLE_A);
  await addPeople(b.id, [
    { key: 'dB', name: 'ผอ.สพท. บี ทดสอบ', role: 'director', school: null, linked: true },
    { key: 'tB', name: 'ครูบี ทดสอบ', role: 'teacher', school: 'SB1' },
  ]);
  await addPeople(c.id, [
    { key: 'dC', name: 'ผอ.สพท. ซี ทดสอบ', role: 'director', school: null, linked: true },
    { key: 'tC', name: 'ครูซี ทดสอบ', role: 'teacher', school: 'SC1' },
  ]);
  const linked = [...PEOPLE_A.filter((p) => p.linked === true).map((p) => p.key), 'dB', 'dC'].map((k) => person[k]);
  await db.execute(sql`
    UPDATE people SET status = 'active', channel_id = 'default', line_user_id = 'U' || md5(id::text), linked_at = now()
     WHERE id = ANY(${sql.param(linked)}::uuid[])`);
  await db.execute(sql`UPDATE people SET status = 'erased' WHERE id = ${person.t1x}`);

  await db.execute(sql`
    INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on, academic_year, term) VALUES
      (${a.id}, 'term', 'ภาคเรียนที่ 1/2569', '2026-05-16', '2026-10-11', 2569, 1),
      (${a.id}, 'term', 'ภาคเรียนที่ 2/2569', '2026-11-01', '2027-03-31', 2569, 2)`);

  const clusters = await queryRows<{ id: string; code: string }>(
    db,
    sql`SELECT id, code FROM clusters WHERE office_id = ${a.id}`,
  );
  // sup1: the whole of cluster C1 (S1, S2); sup2: school S4 directly; sup3: nothing assigned.
  await assignSupervisor(db, a.id, {
    supervisorId: person.sup1 ?? '',
    schoolId: null,
    clusterId: clusters.find((c) => c.code === 'C1')?.id ?? null,
    kind: 'main',
  });
  await assignSupervisor(db, a.id, {
    supervisorId: person.sup2 ?? '',
    schoolId: school.S4,
    clusterId: null,
    kind: 'joint',
  });

  const ck = async (key: string) => (await findChecklist(db, a.id, key))?.id ?? '';
  const survey = await ck('needs-survey');
  const iqa = await ck('iqa-6-steps');
  const sarBasic = await ck('sar-basic');
  const campaign = async (officeId: string, titleTh: string, checklistId: string, roles: Role[], dueAt: number) =>
    (
      await upsertCampaign(db, {
        officeId,
        checklistId,
        titleTh,
        roles,
        schoolIds: [],
        clusterIds: [],
        opensAt: iso(MONDAY_0800 - 14 * DAY),
        dueAt: iso(dueAt),
      })
    ).id;
  const ids: Fixture['campaign'] = {
    survey: await campaign(a.id, TITLES.survey, survey, ['teacher'], MONDAY_0800 + 7 * DAY),
    iqa: await campaign(a.id, TITLES.iqa, iqa, ['principal'], MONDAY_0800 - 2 * DAY),
    sar: await campaign(a.id, TITLES.sar, sarBasic, ['principal'], MONDAY_0800 - 60 * DAY),
    sarOld: await campaign(a.id, TITLES.sarOld, sarBasic, ['principal'], MONDAY_0800 - 400 * DAY),
    surveyB: await campaign(b.id, TITLES.surveyB, survey, ['teacher'], MONDAY_0800 + 7 * DAY),
    surveyC: await campaign(c.id, TITLES.surveyC, survey, ['teacher'], MONDAY_0800 + 7 * DAY),
  };
  await db.execute(
    sql`UPDATE campaigns SET closed_at = ${iso(MONDAY_0800 - 30 * DAY)} WHERE id IN (${ids.sar}, ${ids.sarOld})`,
  );

  const respond = async (
    campaignKey: keyof Fixture['campaign'],
    checklistId: string,
    subject: string,
    schoolId: string,
    status: 'submitted' | 'in_progress',
    at: number,
    answers: Record<string, number> = {},
  ) => {
    const id = crypto.randomUUID();
    await db.execute(sql`
      INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, status, started_at,
                             submitted_at, updated_at)
      SELECT ${id}::uuid, office_id, id, ${checklistId}::uuid, ${subject}::uuid, ${schoolId}::uuid, ${status},
             ${iso(at - DAY)}, ${status === 'submitted' ? iso(at) : null}, ${iso(at)}
        FROM campaigns WHERE id = ${ids[campaignKey]}`);
    const keys = Object.keys(answers);
    if (keys.length > 0)
      await db.execute(sql`
        INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
        SELECT ${id}::uuid, k, 0, to_jsonb(v), ${iso(at)}
          FROM unnest(${sql.param(keys)}::text[], ${sql.param(keys.map((k) => answers[k] ?? 0))}::int[]) AS t(k, v)`);
  };
  const p = (k: string) => person[k] ?? '';
  // Teacher survey: S1 2/3 (t1c missing; the erased t1x, who never submitted, does not count — had they submitted,
  // they would: see test/pdpa), S2 1/2, S3 2/2, S4 0/1 (t4a only started).
  // C1 = 3/5, C2 = 2/3, office = 5/8. Three of the five were submitted this week.
  await respond('survey', survey, p('t1a'), school.S1, 'submitted', MONDAY_0800 - 2 * DAY);
  await respond('survey', survey, p('t1b'), school.S1, 'submitted', MONDAY_0800 - 9 * DAY);
  await respond('survey', survey, p('t1x'), school.S1, 'in_progress', MONDAY_0800 - 9 * DAY);
  await respond('survey', survey, p('t2a'), school.S2, 'submitted', MONDAY_0800 - 3 * DAY);
  await respond('survey', survey, p('t3a'), school.S3, 'submitted', MONDAY_0800 - 1 * DAY);
  await respond('survey', survey, p('t3b'), school.S3, 'submitted', MONDAY_0800 - 10 * DAY);
  await respond('survey', survey, p('t4a'), school.S4, 'in_progress', MONDAY_0800 - 1 * DAY);
  // IQA (school scope, due two days ago): S1 and S3 submitted; S2 and S4 are overdue.
  await respond('iqa', iqa, school.S1, school.S1, 'submitted', MONDAY_0800 - 4 * DAY);
  await respond('iqa', iqa, school.S3, school.S3, 'submitted', MONDAY_0800 - 3 * DAY);
  // SARs: latest per school counts. S1 below on standard 1, S2 on standard 2; S4 was below on 1 last year but
  // not in its latest SAR; S3's in-progress SAR does not count.
  const below = (s1: number, s2: number, s3: number) => ({
    s1_below_target: s1,
    s2_below_target: s2,
    s3_below_target: s3,
  });
  await respond('sar', sarBasic, school.S1, school.S1, 'submitted', MONDAY_0800 - 70 * DAY, below(1, 0, 0));
  await respond('sar', sarBasic, school.S2, school.S2, 'submitted', MONDAY_0800 - 70 * DAY, below(0, 1, 0));
  await respond('sarOld', sarBasic, school.S4, school.S4, 'submitted', MONDAY_0800 - 400 * DAY, below(1, 0, 0));
  await respond('sar', sarBasic, school.S4, school.S4, 'submitted', MONDAY_0800 - 70 * DAY, below(0, 0, 0));
  await respond('sar', sarBasic, school.S3, school.S3, 'in_progress', MONDAY_0800 - 70 * DAY, below(0, 0, 1));

  return { officeA: a.id, officeB: b.id, officeC: c.id, school, person, campaign: ids };
}
