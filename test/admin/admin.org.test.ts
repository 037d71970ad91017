// Offices (read, edit, the privacy notice chat shows), clusters and schools through the admin API: happy paths,
// errors naming row and field, 401 without a token, and no reads or writes across offices.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { defaultPrivacyNotice } from '../../src/i18n/th.js';
import { body, ev, userId } from '../support/events.js';
import { replyTexts, startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { adminApi, type Api } from './api.js';

let h: Harness;
let api: Api;
let demo: DemoSeed;
const SECRET2 = 'fedcba9876543210fedcba9876543210';

beforeAll(async () => {
  h = await startHarness();
  api = adminApi(h);
  demo = await seedDemo(h.db.db, h.clock.now);
  expect((await api('POST', '/offices', { code: 'OTHER', nameTh: 'สพม.อื่น ทดสอบ' })).status).toBe(201);
  expect(
    (
      await api('POST', '/offices/OTHER/schools', {
        schools: [{ code: '5550000001', nameTh: 'โรงเรียนต่างเขต', clusterCode: 'X1' }],
      })
    ).status,
  ).toBe(200);
});
afterAll(() => h.close());

describe('offices', () => {
  it('401 without a token, on reads and writes alike', async () => {
    expect((await api('GET', '/offices/DEMO1', undefined, null)).status).toBe(401);
    expect((await api('PATCH', '/offices/DEMO1', { nameTh: 'x' }, null)).status).toBe(401);
    expect((await api('GET', '/offices/DEMO1/clusters', undefined, 'not-the-token-0123')).status).toBe(401);
  });

  it('reads one office by code or id, with its settings; an unknown one is 404', async () => {
    const byCode = await api('GET', '/offices/DEMO1');
    expect(byCode.status).toBe(200);
    expect(byCode.json).toMatchObject({
      id: demo.office.id,
      code: 'DEMO1',
      nameTh: demo.office.nameTh,
      timeZone: 'Asia/Bangkok',
      quietStart: 20,
      quietEnd: 7,
      privacyNoticeTh: null,
    });
    expect((await api('GET', `/offices/${demo.office.id}`)).json.code).toBe('DEMO1');
    expect((await api('GET', '/offices/NOPE')).status).toBe(404);
  });

  it('PATCH changes only the fields given, names bad fields, and is audited', async () => {
    const bad = await api('PATCH', '/offices/DEMO1', { quietStart: 24, nameTh: '', colour: 'red' });
    expect(bad.status).toBe(400);
    expect(bad.json.error?.issues?.map((i) => i.field).sort()).toEqual(['colour', 'nameTh', 'quietStart']);

    const ok = await api('PATCH', '/offices/DEMO1', { quietStart: 21, nameEn: null });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ quietStart: 21, quietEnd: 7, nameEn: null, nameTh: demo.office.nameTh });
    const row = await one<{ quiet_start: number; name_en: string | null }>(
      h.db.db,
      sql`SELECT quiet_start, name_en FROM offices WHERE code = 'DEMO1'`,
    );
    expect(row).toEqual({ quiet_start: 21, name_en: null });
    expect(await count(h.db.db, sql`audit_log WHERE action = 'office.update' AND office_id = ${demo.office.id}`)).toBe(
      1,
    );
    // The other office is untouched.
    expect((await api('GET', '/offices/OTHER')).json.quietStart).toBe(20);
  });

  it("chat shows the office's own privacy notice once set, at once, and the built-in one after null", async () => {
    const reg = await api('PUT', '/offices/DEMO1/channel', {
      id: 'demo1',
      name: 'สพป.ตัวอย่าง OA',
      channelSecret: SECRET2,
      channelAccessToken: 'demo-one-access-token-xyz',
    });
    expect(reg.status).toBe(200);
    const follow = async (n: string) => {
      const before = h.line.replies().length;
      const res = await h.webhook(body(ev.follow({ user: userId(n) })), { path: '/webhook/demo1', secret: SECRET2 });
      expect(res.status).toBe(200);
      await h.settle();
      return h.line
        .replies()
        .slice(before)
        .flatMap((r) => replyTexts(r.body));
    };
    expect((await follow('notice-1')).join('\n')).toContain(defaultPrivacyNotice);

    const notice = 'ประกาศความเป็นส่วนตัวของสำนักงานตัวอย่าง: เก็บข้อมูลเท่าที่จำเป็นต่อการนิเทศเท่านั้น';
    const set = await api('PATCH', '/offices/DEMO1', { privacyNoticeTh: notice });
    expect(set.json.privacyNoticeTh).toBe(notice);
    // The channel was cached by the first webhook; the change shows without waiting for the cache to expire.
    const shown = (await follow('notice-2')).join('\n');
    expect(shown).toContain(notice);
    expect(shown).not.toContain(defaultPrivacyNotice);

    expect((await api('PATCH', '/offices/DEMO1', { privacyNoticeTh: 'สั้น' })).json.error?.issues?.[0]?.field).toBe(
      'privacyNoticeTh',
    );
    await api('PATCH', '/offices/DEMO1', { privacyNoticeTh: null });
    expect((await follow('notice-3')).join('\n')).toContain(defaultPrivacyNotice);
  });
});

describe('clusters', () => {
  it('lists the office clusters with their school counts', async () => {
    const res = await api('GET', '/offices/DEMO1/clusters');
    expect(res.json.items).toEqual([
      { id: expect.any(String), code: 'C1', nameTh: expect.stringContaining('ดอกคูน'), schools: 6 },
      { id: expect.any(String), code: 'C2', nameTh: expect.stringContaining('ราชพฤกษ์'), schools: 6 },
    ]);
    expect(res.json.nextCursor).toBeNull();
  });

  it('upserts by code, names bad and duplicate rows, writes nothing then', async () => {
    const bad = await api('POST', '/offices/DEMO1/clusters', {
      clusters: [{ code: 'C3', nameTh: 'เครือข่ายใหม่' }, { code: 'C4' }, { code: 'C3', nameTh: 'ซ้ำ' }],
    });
    expect(bad.json.error?.issues).toEqual([{ row: 1, field: 'nameTh', message: expect.any(String) }]);
    const dup = await api('POST', '/offices/DEMO1/clusters', {
      clusters: [
        { code: 'C3', nameTh: 'เครือข่ายใหม่' },
        { code: 'C3', nameTh: 'ซ้ำ' },
      ],
    });
    expect(dup.json.error?.issues).toEqual([{ row: 1, field: 'code', message: 'duplicate of clusters row 0' }]);
    expect(await count(h.db.db, sql`clusters WHERE code = 'C3'`)).toBe(0);

    const ok = await api('POST', '/offices/DEMO1/clusters', {
      clusters: [
        { code: 'C1', nameTh: 'เครือข่ายดอกคูน (ชื่อใหม่)' },
        { code: 'C3', nameTh: 'เครือข่ายใหม่' },
      ],
    });
    expect(ok.json).toEqual({ created: 1, updated: 1 });
    // A school row naming only the cluster code keeps the cluster's name.
    await api('POST', '/offices/DEMO1/schools', {
      schools: [{ code: '9999000001', nameTh: 'โรงเรียนบ้านหนองน้ำใส', clusterCode: 'C1' }],
    });
    const names = (await api('GET', '/offices/DEMO1/clusters')).json.items as { code: string; nameTh: string }[];
    expect(names.map((c) => `${c.code}:${c.nameTh}`)).toEqual([
      'C1:เครือข่ายดอกคูน (ชื่อใหม่)',
      expect.stringMatching(/^C2:/),
      'C3:เครือข่ายใหม่',
    ]);
    // Same code in another office is another cluster.
    expect((await api('GET', '/offices/OTHER/clusters')).json.items).toEqual([
      expect.objectContaining({ code: 'X1', schools: 1 }),
    ]);
  });
});

describe('schools', () => {
  it('filters by cluster code and by a name or code search, within the office', async () => {
    const c2 = await api('GET', '/offices/DEMO1/schools?cluster=C2');
    expect((c2.json.items as { clusterCode: string }[]).map((s) => s.clusterCode)).toEqual(Array(6).fill('C2'));
    const byName = await api('GET', `/offices/DEMO1/schools?q=${encodeURIComponent('โคกสว่าง')}`);
    expect(byName.json.items).toEqual([
      {
        id: expect.any(String),
        code: '9999000002',
        nameTh: 'โรงเรียนบ้านโคกสว่าง',
        clusterCode: 'C1',
        clusterNameTh: expect.any(String),
        // Attributes (issue 16) the demo leaves unset.
        levels: [],
        size: null,
        subdistrict: null,
        district: null,
        province: null,
        tags: [],
      },
    ]);
    expect(
      ((await api('GET', '/offices/DEMO1/schools?q=999900001')).json.items as { code: string }[]).map((s) => s.code),
    ).toEqual(['9999000010', '9999000011', '9999000012']);
    // A wildcard in the search is literal, and another office's school is not found by its code.
    expect((await api('GET', '/offices/DEMO1/schools?q=%25')).json.items).toEqual([]);
    expect((await api('GET', '/offices/DEMO1/schools?q=5550000001')).json.items).toEqual([]);
    expect((await api('GET', '/offices/OTHER/schools?cluster=C1')).json.items).toEqual([]);
  });
});
