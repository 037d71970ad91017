// School and people attributes as data (issue 16 item 1): imported from CSV and XLSX with Thai headers (each bad
// value named by row and column, nothing written), set and cleared through the admin API, listed with filters, and
// used by campaign audiences: the early-childhood survey reaches the schools with that level, and a supervisor's
// learning-area supervision (the PE teachers of the schools assigned) is an audience.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncBuiltins } from '../../src/checklists/builtin-files.js';
import { queryRows } from '../../src/db/client.js';
import type { FieldIssue } from '../../src/errors.js';
import type { ImportResult } from '../../src/imports/imports.js';
import { ADMIN, startHarness, type Harness } from '../support/harness.js';
import { adminApi, type Api } from '../admin/api.js';
import { xlsx } from '../imports/xlsx-fixture.js';

let h: Harness;
let api: Api;
type Result = ImportResult & { error?: { code: string; issues?: FieldIssue[] } };

const upload = async (path: string, body: string | Uint8Array, type = 'text/csv; charset=utf-8') => {
  const res = await h.fetch(`/admin/api/v1/offices/ATT1/imports/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': type },
    body,
  });
  return { status: res.status, json: await res.json<Result>() };
};

const schoolRow = (code: string) =>
  queryRows<{
    levels: string[];
    size: string | null;
    district: string | null;
    province: string | null;
    tags: string[];
  }>(h.db.db, sql`SELECT levels, size, district, province, tags FROM schools WHERE code = ${code}`).then((r) => r[0]);

beforeAll(async () => {
  h = await startHarness();
  api = adminApi(h);
  await syncBuiltins(h.db.db);
  expect((await api('POST', '/offices', { code: 'ATT1', nameTh: 'สพป.คุณลักษณะ ทดสอบ' })).status).toBe(201);
});
afterAll(() => h.close());

describe('import with Thai headers', () => {
  it('names each unknown level, size and learning area by row and column, and writes nothing', async () => {
    const csv = [
      'รหัสโรงเรียน,ชื่อโรงเรียน,ระดับที่เปิดสอน,ขนาดโรงเรียน',
      '2020202001,โรงเรียนบ้านทุ่งสมมุติ,"ปฐมวัย, ประถมศึกษา",ขนาดเล็ก',
      '2020202002,โรงเรียนบ้านนาสมมุติ,อุดมศึกษา,จิ๋ว',
    ].join('\n');
    const res = await upload('schools', csv);
    expect(res.status).toBe(400);
    expect(res.json.error?.issues).toEqual([
      { row: 3, field: 'levels', message: expect.stringMatching(/^ไม่รู้จักระดับ "อุดมศึกษา" .* \/ unknown level/) },
      { row: 3, field: 'size', message: expect.stringMatching(/^ไม่รู้จักขนาดโรงเรียน "จิ๋ว"/) },
    ]);
    const n = await queryRows<{ n: number }>(h.db.db, sql`SELECT count(*)::int AS n FROM schools`);
    expect(n[0]?.n).toBe(0);
  });

  it('writes levels, size, place and tags from CSV; a file without those columns keeps them', async () => {
    const csv = [
      '\uFEFFรหัสโรงเรียน,ชื่อโรงเรียน,รหัสเครือข่าย,ระดับที่เปิดสอน,ขนาด,ตำบล,อำเภอ,จังหวัด,โครงการ',
      '2020202001,โรงเรียนบ้านทุ่งสมมุติ,K1,"ปฐมวัย, ประถมศึกษา",เล็ก,ทุ่งสมมุติ,เมืองสมมุติ,จังหวัดสมมุติ,โรงเรียนคุณภาพประจำตำบล',
      '2020202002,โรงเรียนบ้านนาสมมุติ,K1,ประถม; ม.ต้น,กลาง,นาสมมุติ,เมืองสมมุติ,จังหวัดสมมุติ,',
      '2020202003,โรงเรียนบ้านเขาสมมุติ,K2,primary,large,เขาสมมุติ,ดอยสมมุติ,จังหวัดสมมุติ,"โรงเรียนคุณภาพประจำตำบล, โรงเรียนสุจริต"',
    ].join('\r\n');
    const res = await upload('schools', csv);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.written).toBe(3);
    expect(await schoolRow('2020202001')).toEqual({
      levels: ['early_childhood', 'primary'],
      size: 'small',
      district: 'เมืองสมมุติ',
      province: 'จังหวัดสมมุติ',
      tags: ['โรงเรียนคุณภาพประจำตำบล'],
    });
    expect((await schoolRow('2020202002'))?.levels).toEqual(['primary', 'lower_secondary']);
    // Names only: the attributes stay as they were.
    const again = await upload('schools', 'รหัสโรงเรียน,ชื่อโรงเรียน,รหัสเครือข่าย\n2020202001,โรงเรียนบ้านทุ่งสมมุติ (ใหม่),K1');
    expect(again.status).toBe(200);
    expect((await schoolRow('2020202001'))?.levels).toEqual(['early_childhood', 'primary']);
  });

  it('reads the same columns from XLSX, and people with learning areas and positions', async () => {
    const book = await xlsx([
      ['รหัสบุคลากร', 'ชื่อ-สกุล', 'บทบาท', 'รหัสโรงเรียน', 'กลุ่มสาระการเรียนรู้', 'ตำแหน่ง'],
      ['T-01', 'ครูสมมุติ พลศึกษา', 'ครู', '2020202001', 'สุขศึกษาและพลศึกษา', 'ครู'],
      ['T-02', 'ครูสมมุติ คณิต', 'ครู', '2020202002', 'คณิตศาสตร์, พลศึกษา', 'ครูผู้ช่วย'],
      ['T-03', 'ครูสมมุติ ภาษา', 'ครู', '2020202003', 'ภาษาไทย', 'ครู'],
      ['T-04', 'ครูสมมุติ ปฐมวัย', 'ครู', '2020202001', '', 'ครู'],
      ['T-05', 'ครูสมมุติ ต่างเครือข่าย', 'ครู', '2020202003', 'สุขศึกษา', 'ครู'],
      ['P-01', 'ผอ.สมมุติ รักษาการ', 'ผอ.', '2020202002', '', 'รักษาการ ผอ.'],
      ['S-01', 'ศน.สมมุติ พลศึกษา', 'ศึกษานิเทศก์', '', 'สุขศึกษาและพลศึกษา', 'ศึกษานิเทศก์'],
    ]);
    const res = await upload(
      'people?invites=0',
      book,
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.written).toBe(7);
    const people = await api('GET', '/offices/ATT1/people?learningArea=health_pe');
    expect((people.json.items as { externalId: string }[]).map((p) => p.externalId).sort()).toEqual([
      'S-01',
      'T-01',
      'T-02',
      'T-05',
    ]);
    const acting = await api('GET', '/offices/ATT1/people?position=acting_director');
    expect(acting.json.items).toEqual([
      expect.objectContaining({ externalId: 'P-01', role: 'principal', position: 'acting_director' }),
    ]);
    const bad = await upload('people', 'รหัสบุคลากร,ชื่อ-สกุล,บทบาท,รหัสโรงเรียน,กลุ่มสาระ\nT-09,ครูผิด,ครู,2020202001,ดาราศาสตร์');
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues).toEqual([
      { row: 2, field: 'learning_areas', message: expect.stringContaining('ไม่รู้จักกลุ่มสาระ "ดาราศาสตร์"') },
    ]);
  });
});

describe('admin API', () => {
  it('sets, lists by and clears attributes; refuses an unknown level naming the field', async () => {
    const bad = await api('POST', '/offices/ATT1/schools', {
      schools: [{ code: '2020202004', nameTh: 'โรงเรียนบ้านห้วยสมมุติ', levels: ['university'] }],
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues?.[0]).toMatchObject({ row: 0, field: 'levels.0' });
    const ok = await api('POST', '/offices/ATT1/schools', {
      schools: [{ code: '2020202004', nameTh: 'โรงเรียนบ้านห้วยสมมุติ', levels: ['special'], tags: ['ศูนย์การศึกษาพิเศษ'] }],
    });
    expect(ok.status).toBe(200);
    const special = await api('GET', '/offices/ATT1/schools?level=special');
    expect((special.json.items as { code: string }[]).map((s) => s.code)).toEqual(['2020202004']);
    const tagged = await api('GET', `/offices/ATT1/schools?tag=${encodeURIComponent('โรงเรียนคุณภาพประจำตำบล')}`);
    expect((tagged.json.items as { code: string }[]).map((s) => s.code)).toEqual(['2020202001', '2020202003']);
    const district = await api('GET', `/offices/ATT1/schools?district=${encodeURIComponent('เมืองสมมุติ')}`);
    expect((district.json.items as { code: string }[]).map((s) => s.code)).toEqual(['2020202001', '2020202002']);
    // A PATCH of a person's position and areas; null clears the position.
    const [p] = (await api('GET', '/offices/ATT1/people?position=acting_director')).json.items as { id: string }[];
    const patched = await api('PATCH', `/offices/ATT1/people/${p?.id}`, { position: 'deputy_director' });
    expect(patched.json).toMatchObject({ position: 'deputy_director' });
    const cleared = await api('PATCH', `/offices/ATT1/people/${p?.id}`, { position: null, learningAreas: ['math'] });
    expect(cleared.json).toMatchObject({ position: null, learningAreas: ['math'] });
  });
});

describe('campaign audiences', () => {
  it('the early-childhood survey goes to the schools with that level', async () => {
    const res = await api('POST', '/offices/ATT1/campaigns', {
      titleTh: 'สำรวจความพร้อมปฐมวัย',
      checklistKey: 'needs-survey',
      roles: ['teacher'],
      filters: { levels: ['early_childhood'] },
      dueAt: '2099-01-31',
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    // Teachers of 2020202001 (the only early-childhood school): T-01 and T-04.
    expect(res.json).toMatchObject({ expected: 2, filters: expect.objectContaining({ levels: ['early_childhood'] }) });
    const pending = await queryRows<{ n: number }>(
      h.db.db,
      sql`SELECT count(*)::int AS n FROM pending_assignments WHERE campaign_id = ${res.json.id as string}`,
    );
    expect(pending[0]?.n).toBe(2);
  });

  it("a supervisor's PE supervision is an audience: the PE teachers of the schools assigned", async () => {
    const [sup] = (await api('GET', '/offices/ATT1/people?role=supervisor')).json.items as { id: string }[];
    const assigned = await api('POST', '/offices/ATT1/assignments', {
      assignments: [{ supervisorExternalId: 'S-01', clusterCode: 'K1', learningArea: 'สุขศึกษาและพลศึกษา' }],
    });
    expect(assigned.status, JSON.stringify(assigned.json)).toBe(200);
    const res = await api('POST', '/offices/ATT1/campaigns', {
      titleTh: 'นิเทศกลุ่มสาระสุขศึกษาและพลศึกษา',
      checklistKey: 'needs-survey',
      roles: ['teacher'],
      supervisorId: sup?.id,
      dueAt: '2099-01-31',
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    // K1 holds 2020202001 and 2020202002: T-01 (PE) and T-02 (math and PE); T-05 teaches PE in K2.
    expect(res.json).toMatchObject({
      expected: 2,
      schoolCodes: ['2020202001', '2020202002'],
      filters: expect.objectContaining({ learningAreas: ['health_pe'] }),
    });
    const refused = await api('POST', '/offices/ATT1/campaigns', {
      titleTh: 'ผู้นิเทศไม่มีอยู่',
      checklistKey: 'needs-survey',
      roles: ['teacher'],
      supervisorId: '00000000-0000-4000-8000-000000000000',
      dueAt: '2099-01-31',
    });
    expect(refused.status).toBe(400);
    expect(refused.json.error?.issues).toEqual([
      { field: 'supervisorId', message: expect.stringContaining('no supervisor') },
    ]);
  });

  it('the audience needs a token', async () => {
    expect((await api('GET', '/offices/ATT1/schools?level=primary', undefined, null)).status).toBe(401);
  });
});
