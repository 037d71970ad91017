// The admin API's downloads: a campaign's responses (CSV main table or a repeat group; XLSX with every sheet),
// the visit log and a campaign's completion. Checked by reading the files back (XLSX with read-excel-file), with
// columns that never shift across checklist versions, formulas neutralised, Thai intact, and every export audited.
import { sql } from 'drizzle-orm';
import readXlsxFile from 'read-excel-file/universal';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ADMIN_COOKIE } from '../../src/admin/auth.js';
import { readBuiltins } from '../../src/checklists/builtin-files.js';
import { publishChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { validateDefinition, type Definition } from '../../src/checklists/definition.js';
import { queryRows } from '../../src/db/client.js';
import { parseCsv } from '../../src/imports/csv.js';
import { ADMIN, signInCookie, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';

let h: Harness;
const ids: Record<string, string> = {};

const definition = (version: number, extra: unknown[] = []): Definition => {
  const r = validateDefinition({
    schema: 'nithet.checklist/1',
    key: 'exptest',
    version,
    title: { th: 'แบบทดสอบส่งออก' },
    scope: 'school',
    items: [
      { type: 'yes_no', key: 'done', label: { th: 'ทำแล้ว?' } },
      { type: 'text', key: 'remark', label: { th: 'หมายเหตุ' }, required: false },
      ...extra,
      {
        type: 'repeat',
        key: 'acts',
        label: { th: 'กิจกรรม' },
        items: [{ type: 'text', key: 'what', label: { th: 'อะไร' } }],
      },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.definition;
};

const api = (path: string, init: RequestInit = {}) =>
  h.fetch(`/admin/api/v1${path}`, {
    ...init,
    headers: { authorization: `Bearer ${ADMIN}`, ...(init.headers ?? {}) },
  });

async function office(code: string): Promise<string> {
  const res = await api('/offices', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, nameTh: `สพป.ทดสอบ ${code}` }),
  });
  expect(res.status).toBe(201);
  return (await one<{ id: string }>(h.db.db, sql`SELECT id FROM offices WHERE code = ${code}`)).id;
}

async function importCsv(officeCode: string, kind: string, csv: string) {
  const res = await api(`/offices/${officeCode}/imports/${kind}`, {
    method: 'POST',
    headers: { 'content-type': 'text/csv' },
    body: csv,
  });
  expect(res.status).toBe(200);
}

async function respond(o: {
  checklistId: string;
  school: string;
  status: 'submitted' | 'in_progress';
  answers: [string, number, unknown][];
}) {
  const id = crypto.randomUUID();
  await h.db.db.execute(sql`
    INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, status, started_at,
                           submitted_at, updated_at)
    SELECT ${id}::uuid, s.office_id, ${ids.campaign}::uuid, ${o.checklistId}::uuid, s.id, s.id, ${o.status},
           '2026-11-10T02:00:00Z', ${o.status === 'submitted' ? '2026-11-12T03:00:00Z' : null}::timestamptz,
           '2026-11-12T03:00:00Z'
      FROM schools s WHERE s.code = ${o.school}`);
  for (const [key, index, value] of o.answers) {
    await h.db.db.execute(sql`
      INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
      VALUES (${id}::uuid, ${key}, ${index}, ${JSON.stringify(value)}::jsonb, '2026-11-12T03:00:00Z')`);
  }
  return id;
}

beforeAll(async () => {
  h = await startHarness();
  ids.office = await office('EXP1');
  ids.other = await office('EXP2');
  await importCsv(
    'EXP1',
    'schools',
    [
      'รหัสโรงเรียน,ชื่อโรงเรียน,รหัสเครือข่าย,ชื่อเครือข่าย',
      '1010101010,โรงเรียนบ้านหนึ่งทดสอบ,N1,เครือข่ายทดสอบหนึ่ง',
      '1010101011,โรงเรียนบ้านสองทดสอบ,N1,เครือข่ายทดสอบหนึ่ง',
      '1010101012,โรงเรียนบ้านสามทดสอบ,N2,เครือข่ายทดสอบสอง',
    ].join('\n'),
  );
  await importCsv(
    'EXP1',
    'people',
    [
      'ชื่อ-สกุล,บทบาท,รหัสโรงเรียน,รหัสบุคลากร',
      'ผอ.สมมติ หนึ่ง,ผอ.,1010101010,P1',
      'ผอ.สมมติ สอง,ผอ.,1010101011,P2',
      'ผอ.สมมติ สาม,ผอ.,1010101012,P3',
      'ศน.สมมติ สี่,ศึกษานิเทศก์,,S4',
    ].join('\n'),
  );
  const v1 = await publishChecklist(h.db.db, ids.office, definition(1));
  const v2 = await publishChecklist(
    h.db.db,
    ids.office,
    definition(2, [
      { type: 'number', key: 'count', label: { th: 'จำนวน' } },
      {
        type: 'select_many',
        key: 'areas',
        label: { th: 'ด้าน' },
        choices: [
          { value: 'a', label: { th: 'วิชาการ' } },
          { value: 'b', label: { th: 'บุคคล' } },
        ],
      },
    ]),
  );
  ids.v1 = v1.id;
  ids.v2 = v2.id;
  const campaign = {
    checklistId: v1.id,
    titleTh: 'ติดตามทดสอบ',
    roles: ['principal' as const],
    schoolIds: [],
    clusterIds: [],
    opensAt: '2026-11-01T00:00:00Z',
    dueAt: '2026-11-30T16:59:59Z',
  };
  ids.campaign = (await upsertCampaign(h.db.db, { ...campaign, officeId: ids.office })).id;
  const otherChecklist = await publishChecklist(h.db.db, ids.other, definition(1));
  ids.otherCampaign = (
    await upsertCampaign(h.db.db, { ...campaign, officeId: ids.other, checklistId: otherChecklist.id })
  ).id;
});
afterAll(() => h.close());

const csvOf = async (res: Response) => {
  // Read the bytes: Response.text() would drop the BOM this checks for (Excel needs it to read UTF-8).
  const bytes = new Uint8Array(await res.arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  const parsed = parseCsv(text);
  if (!parsed.ok) throw new Error('unreadable CSV');
  return parsed.records.map((r) => r.cells);
};
const xlsxOf = async (res: Response) => readXlsxFile(await res.arrayBuffer());

describe('export guards', () => {
  it('401 without a token; 404 for another office’s campaign, a nonsense id or an unknown export; 400 for a bad format', async () => {
    const path = `/admin/api/v1/offices/EXP1/exports/responses?campaign=${ids.campaign}`;
    expect((await h.fetch(path)).status).toBe(401);
    expect((await h.fetch(path, { headers: { authorization: 'Bearer wrong-token-000000' } })).status).toBe(401);
    expect((await api(`/offices/EXP1/exports/responses?campaign=${ids.otherCampaign}`)).status).toBe(404);
    expect((await api(`/offices/EXP1/exports/completion?campaign=${ids.otherCampaign}`)).status).toBe(404);
    expect((await api(`/offices/EXP1/exports/responses?campaign=not-a-uuid`)).status).toBe(404);
    expect((await api(`/offices/EXP1/exports/teachers`)).status).toBe(404);
    expect((await api(`/offices/EXP1/exports/responses?campaign=${ids.campaign}&format=pdf`)).status).toBe(400);
    expect((await api(`/offices/EXP1/exports/responses?campaign=${ids.campaign}&table=nope`)).status).toBe(404);
    expect(await count(h.db.db, sql`audit_log WHERE action LIKE 'export.%'`)).toBe(0);
  });
});

describe('downloads from the web pages', () => {
  it('the admin session cookie opens a download (GET), and a wrong cookie does not', async () => {
    const path = `/admin/api/v1/offices/EXP1/exports/completion?campaign=${ids.campaign}&format=csv`;
    const good = await h.fetch(path, { headers: { cookie: await signInCookie(h) } });
    expect(good.status).toBe(200);
    expect(good.headers.get('content-disposition')).toMatch(/^attachment; filename="completion-exptest-v1-school-/);
    expect(good.headers.get('cache-control')).toBe('no-store');
    const bad = await h.fetch(path, { headers: { cookie: `${ADMIN_COOKIE}=${'x'.repeat(43)}` } });
    expect(bad.status).toBe(401);
    const audit = await one<{ detail: unknown }>(
      h.db.db,
      sql`SELECT detail FROM audit_log WHERE action = 'export.completion' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.detail).toEqual({ format: 'csv', rows: 3, via: 'api', campaign: ids.campaign, by: 'school' });
  });
});

describe('responses export', () => {
  const FIXED_LABELS = [
    'รหัสคำตอบ',
    'สถานะ',
    'ส่งเมื่อ (เวลาสำนักงาน)',
    'ส่งเมื่อ (ISO 8601)',
    'รหัสโรงเรียน',
    'โรงเรียน',
    'เครือข่าย',
    'ผู้ตอบ',
    'ฉบับของแบบ',
  ];
  const FIXED_KEYS = [
    'response_id',
    'status',
    'submitted_at',
    'submitted_at_iso',
    'school_code',
    'school_name',
    'cluster',
    'respondent',
    'version',
  ];

  it('question text above the key@version row; keys stay put when a second version arrives; Thai status, office time, one column per choice', async () => {
    const before = await csvOf(await api(`/offices/EXP1/exports/responses?campaign=${ids.campaign}`));
    expect(before).toEqual([
      [...FIXED_LABELS, 'ทำแล้ว?', 'หมายเหตุ'],
      [...FIXED_KEYS, 'done@v1', 'remark@v1'],
    ]);
    ids.r1 = await respond({
      checklistId: ids.v1 ?? '',
      school: '1010101010',
      status: 'submitted',
      answers: [
        ['done', 0, 'yes'],
        ['remark', 0, '=cmd|"/c calc"!A1'],
        ['what', 1, 'อบรมครูภาษาไทย'],
        ['what', 2, '+SUM(1,2)'],
      ],
    });
    // A response pinned to v2 (the campaign moved on before this school started).
    ids.r2 = await respond({
      checklistId: ids.v2 ?? '',
      school: '1010101011',
      status: 'in_progress',
      answers: [
        ['done', 0, 'no'],
        ['count', 0, 7],
        ['areas', 0, ['b']],
        ['what', 1, 'ประชุมเครือข่าย'],
      ],
    });
    const res = await api(`/offices/EXP1/exports/responses?campaign=${ids.campaign}&format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(
      /^attachment; filename="responses-exptest-v1-\d{4}-\d{2}-\d{2}\.csv"; filename\*=UTF-8''/,
    );
    expect(decodeURIComponent(disposition.split("UTF-8''")[1] ?? '')).toMatch(
      /^คำตอบ-ติดตามทดสอบ-\d{4}-\d{2}-\d{2}\.csv$/,
    );
    const table = await csvOf(res);
    // Two versions: the question text names its version; the key row only grows at the end.
    expect(table[0]).toEqual([
      ...FIXED_LABELS,
      'ทำแล้ว? (ฉบับ 1)',
      'หมายเหตุ (ฉบับ 1)',
      'ทำแล้ว? (ฉบับ 2)',
      'หมายเหตุ (ฉบับ 2)',
      'จำนวน (ฉบับ 2)',
      'ด้าน: วิชาการ (ฉบับ 2)',
      'ด้าน: บุคคล (ฉบับ 2)',
    ]);
    expect(table[1]).toEqual([...(before[1] ?? []), 'done@v2', 'remark@v2', 'count@v2', 'areas/a@v2', 'areas/b@v2']);
    expect(table.slice(2)).toEqual([
      [
        ids.r1,
        'ส่งแล้ว / submitted',
        '12 พ.ย. 2569 10:00',
        '2026-11-12T10:00:00+07:00',
        '1010101010',
        'โรงเรียนบ้านหนึ่งทดสอบ',
        'เครือข่ายทดสอบหนึ่ง',
        '',
        '1',
        'ใช่',
        `'=cmd|"/c calc"!A1`,
        '',
        '',
        '',
        '',
        '',
      ],
      [
        ids.r2,
        'กำลังทำ / in_progress',
        '',
        '',
        '1010101011',
        'โรงเรียนบ้านสองทดสอบ',
        'เครือข่ายทดสอบหนึ่ง',
        '',
        '2',
        '',
        '',
        'ไม่ใช่',
        '',
        '7',
        '0',
        '1',
      ],
    ]);

    const acts = await csvOf(await api(`/offices/EXP1/exports/responses?campaign=${ids.campaign}&table=acts`));
    expect(acts).toEqual([
      ['รหัสคำตอบ', 'รหัสโรงเรียน', 'ครั้งที่', 'กิจกรรม: อะไร (ฉบับ 1)', 'กิจกรรม: อะไร (ฉบับ 2)'],
      ['response_id', 'school_code', 'instance', 'acts.what@v1', 'acts.what@v2'],
      [ids.r1, '1010101010', '1', 'อบรมครูภาษาไทย', ''],
      [ids.r1, '1010101010', '2', "'+SUM(1,2)", ''],
      [ids.r2, '1010101011', '1', '', 'ประชุมเครือข่าย'],
    ]);
    const audits = await queryRows<{ actor: string; target_id: string; detail: Record<string, unknown> }>(
      h.db.db,
      sql`SELECT actor, target_id, detail FROM audit_log WHERE action = 'export.responses' AND office_id = ${ids.office}
           ORDER BY id`,
    );
    expect(audits).toHaveLength(3);
    expect(audits[2]).toEqual({
      actor: 'deployment-token',
      target_id: ids.campaign,
      detail: { format: 'csv', rows: 2, via: 'api', campaign: ids.campaign, table: 'acts' },
    });
  });

  it('XLSX holds the responses sheet and one sheet per repeat group, both header rows, cells typed, formulas as text', async () => {
    const res = await api(`/offices/EXP1/exports/responses?campaign=${ids.campaign}&format=xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toMatch(/filename="responses-exptest-v1-[\d-]+\.xlsx"/);
    const sheets = await xlsxOf(res);
    expect(sheets.map((s) => s.sheet)).toEqual(['คำตอบ responses', 'acts']);
    const [main, acts] = sheets;
    expect(main?.data[0]?.slice(0, 3)).toEqual(['รหัสคำตอบ', 'สถานะ', 'ส่งเมื่อ (เวลาสำนักงาน)']);
    expect(main?.data[1]?.slice(8)).toEqual([
      'version',
      'done@v1',
      'remark@v1',
      'done@v2',
      'remark@v2',
      'count@v2',
      'areas/a@v2',
      'areas/b@v2',
    ]);
    expect(main?.data[2]?.slice(4, 11)).toEqual([
      '1010101010',
      'โรงเรียนบ้านหนึ่งทดสอบ',
      'เครือข่ายทดสอบหนึ่ง',
      null,
      1,
      'ใช่',
      `'=cmd|"/c calc"!A1`,
    ]);
    expect(main?.data[3]?.slice(8)).toEqual([2, null, null, 'ไม่ใช่', null, 7, 0, 1]);
    expect(acts?.data).toEqual([
      ['รหัสคำตอบ', 'รหัสโรงเรียน', 'ครั้งที่', 'กิจกรรม: อะไร (ฉบับ 1)', 'กิจกรรม: อะไร (ฉบับ 2)'],
      ['response_id', 'school_code', 'instance', 'acts.what@v1', 'acts.what@v2'],
      [ids.r1, '1010101010', 1, 'อบรมครูภาษาไทย', null],
      [ids.r1, '1010101010', 2, "'+SUM(1,2)", null],
      [ids.r2, '1010101011', 1, null, 'ประชุมเครือข่าย'],
    ]);
  });
});

describe('completion export', () => {
  it('by school and by cluster: expected, submitted, in progress, not started and percent', async () => {
    const res = await api(`/offices/EXP1/exports/completion?campaign=${ids.campaign}&format=xlsx`);
    expect(res.status).toBe(200);
    const sheets = await xlsxOf(res);
    expect(sheets.map((s) => s.sheet)).toEqual(['รายโรงเรียน by school', 'รายเครือข่าย by cluster']);
    expect(sheets[0]?.data.slice(1)).toEqual([
      ['1010101010', 'โรงเรียนบ้านหนึ่งทดสอบ', 'N1', 'เครือข่ายทดสอบหนึ่ง', 1, 1, 0, 0, 100],
      ['1010101011', 'โรงเรียนบ้านสองทดสอบ', 'N1', 'เครือข่ายทดสอบหนึ่ง', 1, 0, 1, 0, 0],
      ['1010101012', 'โรงเรียนบ้านสามทดสอบ', 'N2', 'เครือข่ายทดสอบสอง', 1, 0, 0, 1, 0],
    ]);
    expect(sheets[1]?.data.slice(1)).toEqual([
      ['N1', 'เครือข่ายทดสอบหนึ่ง', 2, 2, 1, 1, 0, 50],
      ['N2', 'เครือข่ายทดสอบสอง', 1, 1, 0, 0, 1, 0],
    ]);
    const clusters = await csvOf(await api(`/offices/EXP1/exports/completion?campaign=${ids.campaign}&by=cluster`));
    expect(clusters[0]?.[0]).toBe('รหัสเครือข่าย / cluster_code');
    expect(clusters.slice(1)).toEqual([
      ['N1', 'เครือข่ายทดสอบหนึ่ง', '2', '2', '1', '1', '0', '50'],
      ['N2', 'เครือข่ายทดสอบสอง', '1', '1', '0', '0', '1', '0'],
    ]);
    expect((await api(`/offices/EXP1/exports/completion?campaign=${ids.campaign}&by=region`)).status).toBe(400);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'export.completion'`)).toBe(3);
  });
});

describe('visit log export', () => {
  it('the visits in a Thai date range: B.E. date, time, ISO, school, supervisor, status, recorded, actions', async () => {
    const visit = async (code: string, startsAt: string, status: string, recorded: boolean, purpose: string) => {
      const id = crypto.randomUUID();
      await h.db.db.execute(sql`
        INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, status, recorded_at)
        SELECT ${id}::uuid, s.office_id, s.id, p.id, ${startsAt}::timestamptz, ${purpose}, ${status},
               ${recorded ? startsAt : null}::timestamptz
          FROM schools s, people p WHERE s.code = ${code} AND p.external_id = 'S4'`);
      return id;
    };
    const done = await visit('1010101010', '2026-12-01T02:30:00Z', 'done', true, '=ติดตามการอ่าน');
    await visit('1010101012', '2026-12-20T07:00:00Z', 'planned', false, 'นิเทศภายใน');
    await visit('1010101011', '2027-01-05T02:00:00Z', 'planned', false, 'นอกช่วง');
    for (const [position, status] of [
      [1, 'open'],
      [2, 'done'],
      [3, 'open'],
    ] as const) {
      await h.db.db.execute(sql`
        INSERT INTO visit_actions (id, office_id, school_id, visit_id, position, what_th, status)
        SELECT gen_random_uuid(), office_id, school_id, id, ${position}, 'ข้อตกลงทดสอบ', ${status}
          FROM visits WHERE id = ${done}::uuid`);
    }
    const res = await api(`/offices/EXP1/exports/visits?from=1/12/2569&to=31 ธ.ค. 2569&format=xlsx`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/filename="visits-EXP1-2026-12-01-2026-12-31-[\d-]+\.xlsx"/);
    const [sheet] = await xlsxOf(res);
    expect(sheet?.data).toEqual([
      [
        'วันที่ (พ.ศ.) / date',
        'เวลา / time',
        'starts_at (ISO 8601)',
        'รหัสโรงเรียน / school_code',
        'โรงเรียน / school',
        'ศึกษานิเทศก์ / supervisor',
        'สถานะ / status',
        'วัตถุประสงค์ / purpose',
        'บันทึกผลแล้ว / recorded',
        'ข้อตกลงที่ยังค้าง / actions_open',
        'ข้อตกลงที่ทำแล้ว / actions_done',
      ],
      [
        '1 ธ.ค. 2569',
        '09:30',
        '2026-12-01T09:30:00+07:00',
        '1010101010',
        'โรงเรียนบ้านหนึ่งทดสอบ',
        'ศน.สมมติ สี่',
        'นิเทศแล้ว / done',
        "'=ติดตามการอ่าน",
        'ใช่ / yes',
        2,
        1,
      ],
      [
        '20 ธ.ค. 2569',
        '14:00',
        '2026-12-20T14:00:00+07:00',
        '1010101012',
        'โรงเรียนบ้านสามทดสอบ',
        'ศน.สมมติ สี่',
        'นัดไว้ / planned',
        'นิเทศภายใน',
        'ไม่ / no',
        0,
        0,
      ],
    ]);
    const csv = await csvOf(await api(`/offices/EXP1/exports/visits?from=2026-12-01&to=2027-01-31`));
    expect(csv.slice(1).map((r) => r[3])).toEqual(['1010101010', '1010101012', '1010101011']);
    const bad = await api(`/offices/EXP1/exports/visits?from=31/02/2569`);
    expect(bad.status).toBe(400);
    const reversed = await api(`/offices/EXP1/exports/visits?from=2026-12-31&to=2026-12-01`);
    expect(reversed.status).toBe(400);
    const audit = await one<{ detail: unknown }>(
      h.db.db,
      sql`SELECT detail FROM audit_log WHERE action = 'export.visits' ORDER BY id LIMIT 1`,
    );
    expect(audit.detail).toEqual({ format: 'xlsx', rows: 2, via: 'api', from: '2026-12-01', to: '2026-12-31' });
  });
});

describe('self-rating beside supervisor rating', () => {
  it('the visits workbook has the school’s own rating, the supervisor’s, the gap and the decision per indicator', async () => {
    const defs = new Map((await readBuiltins()).flatMap((f) => (f.ok ? [[f.definition.key, f.definition]] : [])));
    const form = await publishChecklist(h.db.db, null, defs.get('supervision-visit') as Definition);
    const selfForm = await publishChecklist(h.db.db, null, defs.get('pre-visit-self-assessment') as Definition);
    const visitId = crypto.randomUUID();
    const [recordId, selfId, campaignId] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
    await h.db.db.execute(sql`
      INSERT INTO campaigns (id, office_id, checklist_id, title_th, roles, opens_at, due_at)
      VALUES (${campaignId}::uuid, ${ids.office}::uuid, ${selfForm.id}::uuid, 'ประเมินตนเองก่อนนิเทศ ทดสอบ',
              ARRAY['principal'], '2027-02-01T00:00:00Z', '2027-02-10T00:00:00Z')`);
    await h.db.db.execute(sql`
      INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, status, recorded_at,
                          self_assessment_campaign_id)
      SELECT ${visitId}::uuid, s.office_id, s.id, p.id, '2027-02-10T02:00:00Z', 'นิเทศ', 'done',
             '2027-02-10T06:00:00Z', ${campaignId}::uuid
        FROM schools s, people p WHERE s.code = '1010101011' AND p.external_id = 'S4'`);
    await h.db.db.execute(sql`
      INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, status, started_at,
                             submitted_at, updated_at)
      SELECT x.id, s.office_id, x.campaign, x.checklist, coalesce(x.subject, s.id), s.id, 'submitted', '2027-02-05T02:00:00Z',
             '2027-02-05T03:00:00Z', '2027-02-05T03:00:00Z'
        FROM schools s,
             (VALUES (${selfId}::uuid, ${campaignId}::uuid, ${selfForm.id}::uuid, NULL::uuid),
                     (${recordId}::uuid, ${campaignId}::uuid, ${form.id}::uuid, ${visitId}::uuid))
               AS x(id, campaign, checklist, subject)
       WHERE s.code = '1010101011'`);
    await h.db.db.execute(sql`UPDATE visits SET response_id = ${recordId}::uuid WHERE id = ${visitId}::uuid`);
    await h.db.db.execute(sql`
      INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
      VALUES (${recordId}::uuid, 'curriculum', 0, '4', now()), (${recordId}::uuid, 'learning', 0, '2', now()),
             (${selfId}::uuid, 'curriculum', 0, '5', now()), (${selfId}::uuid, 'learning', 0, '2', now())`);
    const res = await api(`/offices/EXP1/exports/visits?from=1/2/2570&to=28/2/2570&format=xlsx`);
    expect(res.status).toBe(200);
    const sheets = await xlsxOf(res);
    expect(sheets.map((x) => x.sheet)).toEqual(['บันทึกการนิเทศ visits', 'เทียบผลประเมิน ratings']);
    const rows = sheets[1]?.data ?? [];
    expect(rows[0]).toEqual([
      'วันที่นิเทศ (พ.ศ.) / date',
      'รหัสโรงเรียน / school_code',
      'โรงเรียน / school',
      'ศึกษานิเทศก์ / supervisor',
      'ตัวชี้วัด / indicator',
      'ผลประเมินตนเอง / self_rating',
      'ผลการนิเทศ / supervisor_rating',
      'ผลต่าง (นิเทศ − ตนเอง) / gap',
      'ค่าเป้าหมาย / target',
      'ผลการตัดสิน / achieved',
    ]);
    // Eight indicators; the two rated by both show the gap and the rule's decision.
    expect(rows).toHaveLength(9);
    expect(rows[1]?.slice(0, 4)).toEqual(['10 ก.พ. 2570', '1010101011', 'โรงเรียนบ้านสองทดสอบ', 'ศน.สมมติ สี่']);
    expect(rows.slice(1, 3).map((r) => r.slice(5))).toEqual([
      [5, 4, -1, 3, 'ผ่านเป้าหมาย / achieved'],
      [2, 2, 0, 3, 'ต่ำกว่าเป้าหมาย / not achieved'],
    ]);
    expect(rows[3]?.slice(5)).toEqual([null, null, null, 3, null]);
  });
});

describe('set-based exports', () => {
  it('run the same number of statements for 3 schools as for 303', async () => {
    const statements = async () => {
      const spy = vi.spyOn(h.db.db, 'execute');
      try {
        for (const path of [
          `responses?campaign=${ids.campaign}&format=xlsx`,
          `completion?campaign=${ids.campaign}&format=xlsx`,
          'visits?from=2026-10-01&to=2027-09-30&format=xlsx',
        ]) {
          expect((await api(`/offices/EXP1/exports/${path}`)).status).toBe(200);
        }
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const small = await statements();
    // The spy sees the statements (a campaign head, the rows, the audit row per export...), so equal means equal.
    expect(small).toBeGreaterThanOrEqual(9);
    const codes = Array.from({ length: 300 }, (_, i) => String(1020000000 + i));
    await importCsv(
      'EXP1',
      'schools',
      ['code,name,cluster_code', ...codes.map((c) => `${c},โรงเรียนทดสอบ ${c},N3`)].join('\n'),
    );
    await importCsv(
      'EXP1',
      'people',
      ['name,role,school_code,external_id', ...codes.map((c) => `ผอ.ทดสอบ ${c},ผอ.,${c},P${c}`)].join('\n'),
    );
    const [completion] = await xlsxOf(
      await api(`/offices/EXP1/exports/completion?campaign=${ids.campaign}&format=xlsx`),
    );
    expect(completion?.data).toHaveLength(1 + 303);
    expect(await statements()).toBe(small);
  });
});
