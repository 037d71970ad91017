// The term and year reports over HTTP (issue 15 item 5): the office's supervision report, a cluster's and a
// school's, as printable Thai HTML, XLSX and (Chromium) PDF, built from real rows: coverage, achieved / not achieved
// per indicator, self-rating beside supervisor rating, common phrases grouped by standard with the schools sharing
// them, best practices; bad parameters named; supervisors refused by the API; every read audited.
import { sql } from 'drizzle-orm';
import readXlsxFile from 'read-excel-file/universal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { chromiumPdf } from '../../src/runtime/chromium-pdf.js';
import { ADMIN, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { personCookie } from '../support/web.js';

let h: Harness;
let demo: DemoSeed;
const school: Record<string, string> = {};
let cluster1 = '';
const API = '/admin/api/v1/offices/DEMO1/reports';
const api = (path: string, headers: Record<string, string> = { authorization: `Bearer ${ADMIN}` }) =>
  h.fetch(`${API}${path}`, { headers });

/** A visit recorded with the built-in visit form, and the school's own ratings before it. */
async function recorded(o: {
  code: string;
  at: string;
  ratings: Record<string, number>;
  self?: Record<string, number>;
  texts: Record<string, string>;
  decision: 'achieved' | 'not_yet';
}) {
  const [visit, record, self] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  await h.db.db.execute(sql`
    INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, status, decision, recorded_at)
    SELECT ${visit}::uuid, s.office_id, s.id, p.id, ${o.at}::timestamptz, 'นิเทศ', 'done', ${o.decision},
           ${o.at}::timestamptz + interval '3 hours'
      FROM schools s, people p WHERE s.code = ${o.code} AND p.external_id = 'demo-supervisor-1'`);
  const answers: [string, string, unknown][] = [
    ...Object.entries(o.ratings).map(([k, v]): [string, string, unknown] => [record, k, v]),
    ...Object.entries(o.texts).map(([k, v]): [string, string, unknown] => [record, k, v]),
    ...Object.entries(o.self ?? {}).map(([k, v]): [string, string, unknown] => [self, k, v]),
  ];
  await h.db.db.execute(sql`
    INSERT INTO responses (id, office_id, campaign_id, checklist_id, subject_key, school_id, status, started_at,
                           submitted_at, updated_at)
    SELECT x.id, s.office_id, cp.id, ck.id, coalesce(x.subject, s.id), s.id, 'submitted', ${o.at}::timestamptz - interval '2 days',
           ${o.at}::timestamptz - interval '1 day', ${o.at}::timestamptz
      FROM schools s,
           (VALUES (${record}::uuid, 'supervision-visit', ${visit}::uuid), (${self}::uuid, 'pre-visit-self-assessment', NULL::uuid))
             AS x(id, key, subject)
      JOIN checklists ck ON ck.key = x.key AND ck.office_id IS NULL
      JOIN campaigns cp ON cp.title_th = 'ทดสอบรายงาน ' || x.key
     WHERE s.code = ${o.code} AND ck.version = (SELECT max(version) FROM checklists WHERE key = x.key)
       AND (x.key = 'supervision-visit' OR ${o.self !== undefined})`);
  for (const [id, key, value] of answers) {
    await h.db.db.execute(sql`INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
      VALUES (${id}::uuid, ${key}, 0, ${JSON.stringify(value)}::jsonb, ${o.at})`);
  }
  await h.db.db.execute(sql`UPDATE visits SET response_id = ${record}::uuid WHERE id = ${visit}::uuid`);
  await h.db.db.execute(sql`
    INSERT INTO visit_actions (id, office_id, school_id, visit_id, position, what_th, due_on, status)
    SELECT gen_random_uuid(), office_id, school_id, id, 1, 'จัดทำแผนการวัดผล', '2026-12-01', 'open'
      FROM visits WHERE id = ${visit}::uuid`);
}

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now); // Friday 20 November 2026
  const rows = await queryRows<{ id: string; code: string; cluster_id: string }>(
    h.db.db,
    sql`SELECT id, code, cluster_id FROM schools WHERE office_id = ${demo.office.id} ORDER BY code`,
  );
  rows.forEach((r, i) => (school[`s${i + 1}`] = r.id));
  cluster1 = rows[0]?.cluster_id ?? '';
  await h.db.db.execute(sql`
    INSERT INTO calendar_events (office_id, kind, title_th, starts_on, ends_on, academic_year, term)
    VALUES (${demo.office.id}, 'term', 'ภาคเรียนที่ 1/2569', '2026-05-16', '2026-10-10', 2569, 1),
           (${demo.office.id}, 'term', 'ภาคเรียนที่ 2/2569', '2026-11-01', '2027-03-31', 2569, 2)`);
  await h.db.db.execute(sql`
    INSERT INTO campaigns (office_id, checklist_id, title_th, roles, opens_at, due_at)
    SELECT ${demo.office.id}, ck.id, 'ทดสอบรายงาน ' || ck.key, ARRAY['principal'], '2026-05-01', '2027-03-31'
      FROM checklists ck WHERE ck.office_id IS NULL AND ck.key IN ('supervision-visit', 'pre-visit-self-assessment')
       AND ck.version = (SELECT max(version) FROM checklists c2 WHERE c2.key = ck.key)`);
  const codes = rows.map((r) => r.code);
  await recorded({
    code: codes[0] ?? '',
    at: '2026-11-05T02:00:00Z',
    ratings: { curriculum: 4, learning: 2, assessment: 2 },
    self: { curriculum: 5, learning: 3 },
    texts: {
      strengths: 'ครูใช้สื่อหลากหลาย ห้องเรียนสะอาด',
      improve: 'การวัดผลตามสภาพจริง',
      suggestions: 'จัด PLC ทุกสัปดาห์',
      best_practice: 'ธนาคารขยะรีไซเคิลโดยนักเรียน',
    },
    decision: 'not_yet',
  });
  await recorded({
    code: codes[1] ?? '',
    at: '2026-11-10T02:00:00Z',
    ratings: { curriculum: 3, learning: 4, assessment: 2 },
    texts: { strengths: 'ครูใช้สื่อหลากหลาย', improve: 'ควรพัฒนาการวัดผลตามสภาพจริง และบันทึกหลังสอน' },
    decision: 'achieved',
  });
  // Term 1: in the year's report, not in term 2's.
  await recorded({
    code: codes[6] ?? '',
    at: '2026-07-01T02:00:00Z',
    ratings: { curriculum: 5 },
    texts: { improve: 'การวัดผลตามสภาพจริง' },
    decision: 'achieved',
  });
});
afterAll(() => h.close());

describe('the office supervision report', () => {
  it('term 2 as a printable Thai page: coverage, indicators, shared phrases with their schools, best practice', async () => {
    const res = await api('/office?year=2569&term=2');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<html lang="th">');
    expect(html).toContain('ภาคเรียนที่ 2 ปีการศึกษา 2569');
    expect(html).toContain('ช่วงวันที่ 2026-11-01 ถึง 2027-03-31');
    expect(html).toMatch(/@page\{size:A4/);
    expect(html).toContain("font-family:'Sarabun'");
    // The four faces embedded, each a WOFF2 file ("wOF2" is "d09GMg" in base64): the page fetches nothing.
    expect(html.match(/url\(data:font\/woff2;base64,d09GMg/g)).toHaveLength(4);
    expect(html).toMatch(/<svg [^>]*role="img"/);
    // 12 demo schools, two visited this term.
    expect(html).toContain('โรงเรียนทั้งหมด<b>12</b>');
    expect(html).toContain('ได้รับการนิเทศ<b>2</b>');
    expect(html).toContain('ผ่านเกณฑ์ / ยังไม่ผ่าน<b>1 / 1</b>');
    // Indicator 1: 4 and 3 against a target of 3, both achieved; indicator 3: 2 and 2, neither.
    expect(html).toMatch(
      /ตัวชี้วัดที่ 1 การบริหารหลักสูตรสถานศึกษา[^<]*<\/th><td class="n">2<\/td><td class="n">0<\/td><td class="n">1<\/td><td class="n">0<\/td><td class="n">-1<\/td>/,
    );
    expect(html).toMatch(/ตัวชี้วัดที่ 3 การวัดและประเมินผล[^<]*<\/th><td class="n">0<\/td><td class="n">2<\/td>/);
    // The phrase both schools need, counted once per school, with the schools named.
    const names = await queryRows<{ name_th: string }>(
      h.db.db,
      sql`SELECT name_th FROM schools WHERE id IN (${school.s1}, ${school.s2}) ORDER BY code`,
    );
    const both = names.map((n) => n.name_th).join(', ');
    // (Intl.Segmenter reads "ควรพัฒนาการวัดผล…" as ควร·พัฒนาการ·วัดผล, so the phrase both share is วัดผลตามสภาพจริง.)
    expect(html).toContain(`<tr><td>วัดผลตามสภาพจริง</td><td class="n">2</td><td>${both}</td></tr>`);
    expect(html).toContain(`<tr><td>ครูใช้สื่อหลากหลาย</td><td class="n">2</td><td>${both}</td></tr>`);
    expect(html).toContain('ธนาคารขยะรีไซเคิลโดยนักเรียน');
    const audit = await one<{ actor: string; target_type: string; detail: { format: string; term: number } }>(
      h.db.db,
      sql`SELECT actor, target_type, detail FROM audit_log WHERE action = 'report.read' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit).toMatchObject({ target_type: 'office', detail: { format: 'html', term: 2, year: 2569 } });
  });

  it('the year holds both terms; XLSX has the summary, indicators, themes and best practices', async () => {
    const year = await (await api('/office?year=2569')).text();
    expect(year).toContain('ปีการศึกษา 2569');
    expect(year).toContain('ได้รับการนิเทศ<b>3</b>');
    const res = await api('/office?year=2569&term=2&format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="report-office-DEMO1-2569-t2.xlsx"');
    const sheets = await readXlsxFile(await res.arrayBuffer());
    expect(sheets.map((s) => s.sheet)).toEqual([
      'สรุป summary',
      'ตัวชี้วัด indicators',
      'ประเด็น themes',
      'แนวปฏิบัติที่ดี best practices',
      'ยกย่องเชิดชูเกียรติ honours',
    ]);
    expect(sheets[0]?.data).toContainEqual(['ได้รับการนิเทศ / visited', 2]);
    expect(sheets[1]?.data[1]?.slice(2)).toEqual([2, 0, 1, 0, -1]);
    expect(sheets[2]?.data).toContainEqual([
      'จุดที่ควรพัฒนา',
      'ภาพรวมการนิเทศ',
      'วัดผลตามสภาพจริง',
      2,
      expect.stringContaining(','),
    ]);
  });
});

describe('cluster and school reports', () => {
  it('a cluster report covers its schools only', async () => {
    const html = await (await api(`/cluster?year=2569&term=2&cluster=${cluster1}`)).text();
    expect(html).toContain('โรงเรียนทั้งหมด<b>6</b>');
    expect(html).toContain('รายงานผลการนิเทศ ระดับเครือข่ายสถานศึกษา');
  });

  it('a school report puts its own ratings beside the supervisor’s, with the gap, and lists its actions', async () => {
    const res = await api(`/school?year=2569&term=2&school=${school.s1}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toMatch(
      /ตัวชี้วัดที่ 1 การบริหารหลักสูตรสถานศึกษา[^<]*<\/th><td class="n">5<\/td><td class="n">4<\/td><td class="n">-1<\/td><td>ผ่านเป้าหมาย<\/td>/,
    );
    expect(html).toMatch(
      /ตัวชี้วัดที่ 2[^<]*<\/th><td class="n">3<\/td><td class="n">2<\/td><td class="n">-1<\/td><td>ต่ำกว่าเป้าหมาย<\/td>/,
    );
    expect(html).toContain('<td>จัดทำแผนการวัดผล</td>');
    expect(html).toContain('ยังไม่ได้ส่ง SAR');
  });

  it('a school report lists its SAR feedback: standard or overall, who, when (B.E.), and the answer', async () => {
    await h.db.db.execute(sql`
      INSERT INTO sar_feedback (id, office_id, school_id, supervisor_id, standard, body_th, acknowledged_at, reply_th,
                                replied_at, created_at)
      SELECT gen_random_uuid(), s.office_id, s.id, p.id, x.standard, x.body, x.ack::timestamptz, x.reply,
             x.ack::timestamptz, '2026-11-20T03:00:00Z'
        FROM schools s, people p,
             (VALUES ('s1', 'ควรเพิ่มการวัดผลตามสภาพจริง', '2026-11-21T03:00:00Z', 'จะปรับแผนภาคหน้า'),
                     (NULL, 'ภาพรวมเป็นระบบดี', NULL, NULL)) x(standard, body, ack, reply)
       WHERE s.id = ${school.s1}::uuid AND p.external_id = 'demo-supervisor-1'`);
    const html = await (await api(`/school?year=2569&term=2&school=${school.s1}`)).text();
    const part = /<section data-part="sar-feedback">.*?<\/section>/s.exec(html)?.[0] ?? '';
    expect(part).toMatch(
      /<th scope="row">มาตรฐานที่ 1<\/th><td>ควรเพิ่มการวัดผลตามสภาพจริง<\/td><td>[^<]+<\/td><td>วันศุกร์ที่ 20 พฤศจิกายน พ.ศ. 2569<\/td><td>ตอบกลับ: จะปรับแผนภาคหน้า<\/td>/,
    );
    expect(part).toMatch(/<th scope="row">ภาพรวม<\/th><td>ภาพรวมเป็นระบบดี<\/td>.*<td>ยังไม่ตอบรับ<\/td>/);
    // Another school's report does not show it.
    const xlsx = await readXlsxFile(
      await (await api(`/school?year=2569&term=2&school=${school.s1}&format=xlsx`)).arrayBuffer(),
    );
    expect(xlsx.find((s) => s.sheet === 'ข้อเสนอแนะ SAR feedback')?.data).toContainEqual([
      'มาตรฐานที่ 1',
      'ควรเพิ่มการวัดผลตามสภาพจริง',
      expect.any(String),
      'วันศุกร์ที่ 20 พฤศจิกายน พ.ศ. 2569',
      'ตอบกลับ: จะปรับแผนภาคหน้า',
    ]);
    const other = await (await api(`/school?year=2569&term=2&school=${school.s2}`)).text();
    expect(other).not.toContain('ควรเพิ่มการวัดผลตามสภาพจริง');
  });
});

describe('bad requests and permissions', () => {
  it('names the bad field in Thai first: year, term, a missing school, format; an unknown school is a 404', async () => {
    const issues = async (path: string) => {
      const res = await api(path);
      expect(res.status, path).toBe(400);
      return (await res.json<{ error: { issues: { field: string; message: string }[] } }>()).error.issues;
    };
    expect(await issues('/office?year=69')).toEqual([
      { field: 'year', message: 'ปีการศึกษา "69" ต้องเป็นปี พ.ศ. 4 หลัก เช่น 2569 / year must be a B.E. year such as 2569' },
    ]);
    expect((await issues('/office?term=3'))[0]?.field).toBe('term');
    expect((await issues('/school?year=2569'))[0]).toEqual({
      field: 'school',
      message: 'ระบุโรงเรียน (school) / school is required',
    });
    expect((await issues('/office?format=docx'))[0]?.field).toBe('format');
    expect((await api(`/school?school=${crypto.randomUUID()}`)).status).toBe(404);
    expect((await api('/region')).status).toBe(404);
  });

  it('401 without a token; a supervisor’s session is refused by the API (403); a director’s reads it', async () => {
    expect((await h.fetch(`${API}/office`)).status).toBe(401);
    const before = await count(h.db.db, sql`audit_log WHERE action = 'report.read'`);
    const supervisor = await personCookie(h, demo, 'supervisor');
    expect((await api('/office', { cookie: supervisor })).status).toBe(403);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'report.read'`)).toBe(before);
    const director = await personCookie(h, demo, 'director');
    expect((await api('/office', { cookie: director })).status).toBe(200);
    const row = await one<{ actor: string }>(
      h.db.db,
      sql`SELECT actor FROM audit_log WHERE action = 'report.read' ORDER BY id DESC LIMIT 1`,
    );
    expect(row.actor).not.toBe('admin-token');
  });
});

describe('PDF', () => {
  it('prints the report with Chromium; without Chromium it says so (503, Thai first)', async () => {
    h.deps.printPdf = chromiumPdf('/nonexistent/chromium');
    const missing = await api('/office?year=2569&term=2&format=pdf');
    expect(missing.status).toBe(503);
    const body = await missing.json<{ error: { issues: { field: string; message: string }[] } }>();
    expect(body.error.issues[0]?.message).toMatch(/^ไม่สามารถสร้าง PDF บนเครื่องนี้ได้.*Chromium not found/);
    h.deps.printPdf = chromiumPdf();
    const res = await api('/office?year=2569&term=2&format=pdf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    // A4 pages, and the Sarabun font embedded.
    expect(bytes.toString('latin1')).toMatch(/\/MediaBox \[0 0 59[45]\.\d+ 84[12]\.\d+\]/);
    expect(bytes.toString('latin1')).toMatch(/Sarabun/);
  }, 60_000);
});

describe('the report pages', () => {
  const PAGES = '/admin/offices/DEMO1/reports';
  it('a supervisor sees only their schools, reads a report of their schools and gets 404 for another’s', async () => {
    const supervisor = await personCookie(h, demo, 'supervisor');
    const form = await h.fetch(PAGES, { headers: { cookie: supervisor } });
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('รายงานโรงเรียนในความรับผิดชอบ');
    const mine = await queryRows<{ id: string }>(
      h.db.db,
      sql`SELECT DISTINCT s.id FROM schools s JOIN supervisor_assignments sa ON (sa.school_id = s.id OR sa.cluster_id = s.cluster_id)
           JOIN people p ON p.id = sa.supervisor_id WHERE p.external_id = 'demo-supervisor-1'`,
    );
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.length).toBeLessThan(12);
    expect(html.match(/<option value="[0-9a-f-]{36}">\d{10} /g)).toHaveLength(mine.length);
    const office = await h.fetch(`${PAGES}/office?year=2569&term=2`, { headers: { cookie: supervisor } });
    expect(office.status).toBe(200);
    expect(await office.text()).toContain(`โรงเรียนทั้งหมด<b>${mine.length}</b>`);
    const other = await queryRows<{ id: string }>(
      h.db.db,
      sql`SELECT id FROM schools WHERE office_id = ${demo.office.id} AND NOT (id = ANY(${`{${mine.map((m) => m.id).join(',')}}`}::uuid[])) LIMIT 1`,
    );
    const refused = await h.fetch(`${PAGES}/school?school=${other[0]?.id ?? ''}`, { headers: { cookie: supervisor } });
    expect(refused.status).toBe(404);
    const bad = await h.fetch(`${PAGES}/office?year=69`, { headers: { cookie: supervisor } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<b>year</b>: ปีการศึกษา &quot;69&quot; ต้องเป็นปี พ.ศ. 4 หลัก');
    expect(await count(h.db.db, sql`audit_log WHERE action = 'report.read' AND actor LIKE 'person:%'`)).toBeGreaterThan(
      0,
    );
  });

  it('a director reads the whole office; without a session the page sends you to sign in', async () => {
    const director = await personCookie(h, demo, 'director');
    const res = await h.fetch(`${PAGES}/office?year=2569&term=2&format=xlsx`, { headers: { cookie: director } });
    expect(res.status).toBe(200);
    const sheets = await readXlsxFile(await res.arrayBuffer());
    expect(sheets[0]?.data).toContainEqual(['โรงเรียนทั้งหมด / schools', 12]);
    expect((await h.fetch(PAGES, { redirect: 'manual' })).status).not.toBe(200);
  });
});

describe('a report cut by school attributes (issue 16 item 1)', () => {
  const TAG = 'โรงเรียนคุณภาพประจำตำบล';
  beforeAll(async () => {
    // Term 2 visits: s1 (not yet) and s2 (achieved). s1 and s3 teach early childhood; s2 and s4 carry the tag.
    const set = (id: string | undefined, levels: string[], tags: string[]) =>
      h.db.db.execute(sql`UPDATE schools SET levels = ${`{${levels.join(',')}}`}::text[],
                                            tags = ${`{${tags.join(',')}}`}::text[] WHERE id = ${id ?? ''}::uuid`);
    await set(school.s1, ['early_childhood', 'primary'], []);
    await set(school.s2, ['primary'], [TAG]);
    await set(school.s3, ['early_childhood'], []);
    await set(school.s4, ['primary'], [TAG]);
  });

  it('counts only the matching schools, says so on the page, and audits the cut', async () => {
    const early = await api('/office?year=2569&term=2&level=early_childhood');
    expect(early.status).toBe(200);
    const html = await early.text();
    expect(html).toContain('โรงเรียนทั้งหมด<b>2</b>');
    expect(html).toContain('ได้รับการนิเทศ<b>1</b>');
    expect(html).toContain('ผ่านเกณฑ์ / ยังไม่ผ่าน<b>0 / 1</b>');
    expect(html).toContain('<p data-part="cut">เฉพาะโรงเรียน: ระดับ ปฐมวัย</p>');
    const audit = await one<{ detail: { cut?: { levels: string[] }; schools: number } }>(
      h.db.db,
      sql`SELECT detail FROM audit_log WHERE action = 'report.read' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.detail).toMatchObject({ schools: 2, cut: { levels: ['early_childhood'] } });

    const tagged = await (await api(`/office?year=2569&term=2&tag=${encodeURIComponent(TAG)}`)).text();
    expect(tagged).toContain('โรงเรียนทั้งหมด<b>2</b>');
    expect(tagged).toContain('ผ่านเกณฑ์ / ยังไม่ผ่าน<b>1 / 0</b>');
    // Two values of one parameter are either; two parameters are both (the campaigns' rule).
    const either = await (await api('/office?year=2569&term=2&level=early_childhood&level=special')).text();
    expect(either).toContain('โรงเรียนทั้งหมด<b>2</b>');
    const both = await (
      await api(`/office?year=2569&term=2&level=early_childhood&tag=${encodeURIComponent(TAG)}`)
    ).text();
    expect(both).toContain('โรงเรียนทั้งหมด<b>0</b>');
    // A cluster report cut the same way; the XLSX says what it was cut to.
    const cluster = await (await api(`/cluster?year=2569&term=2&cluster=${cluster1}&level=ปฐมวัย`)).text();
    expect(cluster).toContain('โรงเรียนทั้งหมด<b>2</b>');
    const x = await api('/office?year=2569&term=2&level=early_childhood&format=xlsx');
    const sheets = await readXlsxFile(await x.arrayBuffer());
    expect(sheets[0]?.data).toContainEqual(['โรงเรียนทั้งหมด / schools', 2]);
    expect(sheets[0]?.data).toContainEqual(['เฉพาะโรงเรียน / schools cut to', 'ระดับ ปฐมวัย']);
  });

  it('names an unknown level or size as a 400; the reports page offers the cut', async () => {
    const res = await api('/office?level=kindergarten&size=tiny');
    expect(res.status).toBe(400);
    const issues = (await res.json<{ error: { issues: { field: string }[] } }>()).error.issues;
    expect(issues.map((i) => i.field)).toEqual(['level', 'size']);
    const director = await personCookie(h, demo, 'director');
    const form = await (await h.fetch('/admin/offices/DEMO1/reports', { headers: { cookie: director } })).text();
    expect(form.match(/<fieldset data-cut/g)).toHaveLength(2);
    expect(form).toContain(`<option value="${TAG}">${TAG}</option>`);
    const page = await h.fetch(`/admin/offices/DEMO1/reports/office?year=2569&term=2&tag=${encodeURIComponent(TAG)}`, {
      headers: { cookie: director },
    });
    expect(await page.text()).toContain('โรงเรียนทั้งหมด<b>2</b>');
  });
});
