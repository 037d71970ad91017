// Reading the work over HTTP (issue 13, item 4): a campaign's completion per school and who answered, one
// response with its questions in Thai, labels rather than codes and Buddhist-Era dates, a school's and a person's
// responses, and the evidence route. Built on the demo office with its story (SARs, self-assessments, visits) and
// two photos added here: one at a school of the supervisor persona (cluster C1), one outside it (C2). A supervisor
// sees nothing of a school outside their assignments; a bad id is a 400 or 404, never a 500; every read is audited.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { DEMO_SCHOOLS } from '../../src/demo/demo-data.js';
import { addPhoto, PNG } from '../support/evidence.js';
import { startHarness, type Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';
import { personCookie } from '../support/web.js';

type Who = 'admin' | 'director' | 'supervisor';
let h: Harness;
let demo: DemoSeed;
const cookies = {} as Record<Who, string>;
const BASE = '/admin/offices/DEMO1';

const ids = { sarCampaign: '', inScope: '', outScope: '', sarIn: '', sarOut: '', photoIn: '', photoOut: '', visit: '' };
const inSchool = DEMO_SCHOOLS[1] as (typeof DEMO_SCHOOLS)[number]; // C1: the supervisor persona's cluster
const outSchool = DEMO_SCHOOLS[7] as (typeof DEMO_SCHOOLS)[number]; // C2

const get = (who: Who, path: string) => h.fetch(path, { headers: { cookie: cookies[who] }, redirect: 'manual' });
const personId = async (externalId: string) =>
  one<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE external_id = ${externalId}`).then((r) => r.id);
const audits = (action: string, actor: string, target: string) =>
  count(h.db.db, sql`audit_log WHERE action = ${action} AND actor = ${actor} AND target_id = ${target}`);

beforeAll(async () => {
  h = await startHarness({ env: { PUBLIC_BASE_URL: 'http://nithet.test' } });
  demo = await seedDemo(h.db.db, h.clock.now, { story: true });
  for (const role of ['admin', 'director', 'supervisor'] as const)
    cookies[role] = await personCookie(h, demo, role, `reading-${role}`);
  const sar = await one<{ id: string }>(
    h.db.db,
    sql`SELECT c.id FROM campaigns c JOIN checklists ck ON ck.id = c.checklist_id
         WHERE c.office_id = ${demo.office.id} AND ck.key = 'sar-basic'`,
  );
  ids.sarCampaign = sar.id;
  const schools = await queryRows<{ id: string; code: string; response: string }>(
    h.db.db,
    sql`SELECT s.id, s.code, r.id AS response FROM schools s
          JOIN responses r ON r.school_id = s.id AND r.campaign_id = ${sar.id} AND r.status = 'submitted'
         WHERE s.code IN (${inSchool.code}, ${outSchool.code})`,
  );
  const byCode = new Map(schools.map((s) => [s.code, s]));
  ids.inScope = byCode.get(inSchool.code)?.id ?? '';
  ids.outScope = byCode.get(outSchool.code)?.id ?? '';
  ids.sarIn = byCode.get(inSchool.code)?.response ?? '';
  ids.sarOut = byCode.get(outSchool.code)?.response ?? '';
  ids.photoIn = await addPhoto(h, demo.office.id, ids.sarIn);
  ids.photoOut = await addPhoto(h, demo.office.id, ids.sarOut);
  const visit = await one<{ response_id: string }>(
    h.db.db,
    sql`SELECT v.response_id FROM visits v WHERE v.school_id = ${ids.inScope} AND v.response_id IS NOT NULL LIMIT 1`,
  );
  ids.visit = visit.response_id;
  // The demo's records leave the school item (its choices are the supervisor's schools) unanswered; the chat
  // stores the school's id.
  await h.db.db.execute(sql`
    INSERT INTO answers (response_id, item_key, repeat_index, value, answered_at)
    VALUES (${ids.visit}, 'school', 0, ${JSON.stringify(ids.inScope)}::jsonb, now())
    ON CONFLICT (response_id, item_key, repeat_index) DO UPDATE SET value = excluded.value`);
}, 180_000);
afterAll(() => h.close());

describe('a campaign’s responses', () => {
  it('shows completion per school for the office, and who answered with dates in BE', async () => {
    const res = await get('director', `${BASE}/responses/campaigns/${ids.sarCampaign}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const s of DEMO_SCHOOLS) expect(html).toContain(s.nameTh);
    // The SAR is one response per school: a school that submitted shows 1 of 1.
    const row = new RegExp(`data-school="${ids.inScope}"[\\s\\S]*?data-figure="submitted">1 / 1<`).exec(html);
    expect(row).not.toBeNull();

    const list = await get('director', `${BASE}/responses/campaigns/${ids.sarCampaign}?view=responses`);
    expect(list.status).toBe(200);
    const listHtml = await list.text();
    expect(listHtml).toContain(`data-response="${ids.sarIn}"`);
    expect(listHtml).toMatch(/25\d\d \d\d:\d\d น\./); // a Buddhist-Era year and a local time
    const director = await personId('demo-director');
    expect(await audits('responses.list', `person:${director}`, ids.sarCampaign)).toBe(1);
  });

  it('cuts a supervisor’s view to their schools: nothing of a school outside them', async () => {
    const html = await (await get('supervisor', `${BASE}/responses/campaigns/${ids.sarCampaign}`)).text();
    expect(html).toContain(inSchool.nameTh);
    expect(html).not.toContain(outSchool.nameTh);
    const list = await (
      await get('supervisor', `${BASE}/responses/campaigns/${ids.sarCampaign}?view=responses`)
    ).text();
    expect(list).toContain(`data-response="${ids.sarIn}"`);
    expect(list).not.toContain(ids.sarOut);
    expect(list).not.toContain(outSchool.nameTh);
    // Filtering on a school outside the scope shows an empty list, not that school's responses.
    const filtered = await get(
      'supervisor',
      `${BASE}/responses/campaigns/${ids.sarCampaign}?view=responses&school=${ids.outScope}`,
    );
    expect(filtered.status).toBe(200);
    expect(await filtered.text()).not.toContain(ids.sarOut);
  });

  it('answers a bad or unknown id with 404 and a bad cursor with 400', async () => {
    expect((await get('admin', `${BASE}/responses/campaigns/nope`)).status).toBe(404);
    expect((await get('admin', `${BASE}/responses/campaigns/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await get('admin', `${BASE}/responses/campaigns/${ids.sarCampaign}?view=responses&after=x`)).status).toBe(
      400,
    );
    expect((await get('admin', `${BASE}/responses/campaigns/${ids.sarCampaign}?after=%27;--`)).status).toBe(400);
  });
});

describe('one response', () => {
  it('shows each question in Thai with its answer, a photo from the evidence route, and is audited', async () => {
    const res = await get('supervisor', `${BASE}/responses/${ids.sarIn}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("img-src 'self'");
    const html = await res.text();
    expect(html).toContain('มาตรฐานที่ 1 คุณภาพของผู้เรียน');
    expect(html).toContain('ค่าเป้าหมายของมาตรฐานที่ 1');
    expect(html).toMatch(/data-item="s1_target"[\s\S]*?<td>4 [ก-๙]/); // the level's name, not just its number
    expect(html).toContain(`<img src="${BASE}/evidence/${ids.photoIn}"`);
    expect(html).toMatch(/ส่งเมื่อ[^<]*<\/dt><dd>\d{1,2} [ก-๙.]+ 25\d\d/);
    const supervisor = await personId('demo-supervisor-1');
    expect(await audits('response.view', `person:${supervisor}`, ids.sarIn)).toBe(1);
  });

  it('shows a visit record’s choices as labels: the school by name, the mode in words', async () => {
    const html = await (await get('admin', `${BASE}/responses/${ids.visit}`)).text();
    expect(html).toMatch(new RegExp(`data-item="school"[\\s\\S]*?<td>${inSchool.nameTh}</td>`));
    expect(html).toMatch(/data-item="visit_mode"[\s\S]*?<td>[ก-๙][^<]*<\/td>/);
    expect(html).not.toMatch(/data-item="visit_mode"[\s\S]*?<td>(onsite|online)<\/td>/);
  });

  it('is a 404 for a supervisor outside the school, as for an unknown or malformed id', async () => {
    for (const path of [`/responses/${ids.sarOut}`, `/responses/${crypto.randomUUID()}`, '/responses/123']) {
      const res = await get('supervisor', `${BASE}${path}`);
      expect(res.status).toBe(404);
      const html = await res.text();
      expect(html).not.toContain(outSchool.nameTh);
      expect(html).not.toContain('มาตรฐานที่ 1');
    }
    const supervisor = await personId('demo-supervisor-1');
    expect(await audits('response.view', `person:${supervisor}`, ids.sarOut)).toBe(0);
  });
});

describe('a school’s and a person’s responses', () => {
  it('lists a school’s responses, and a principal’s, for those whose scope holds the school', async () => {
    const school = await get('supervisor', `${BASE}/responses/schools/${ids.inScope}`);
    expect(school.status).toBe(200);
    expect(await school.text()).toContain(`data-response="${ids.sarIn}"`);
    const principal = await personId('demo-principal-2');
    const person = await get('director', `${BASE}/responses/people/${principal}`);
    expect(person.status).toBe(200);
    expect(await person.text()).toContain(`data-response="${ids.sarIn}"`);
  });

  it('is a 404 for a supervisor outside the school or the person’s school', async () => {
    expect((await get('supervisor', `${BASE}/responses/schools/${ids.outScope}`)).status).toBe(404);
    const principal = await personId('demo-principal-8');
    const res = await get('supervisor', `${BASE}/responses/people/${principal}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(outSchool.nameTh);
    expect((await get('supervisor', `${BASE}/responses/people/x`)).status).toBe(404);
    expect((await get('supervisor', `${BASE}/responses/schools/${ids.inScope}?after=1`)).status).toBe(400);
  });
});

describe('the evidence route', () => {
  it('sends the photo with its type, privately, unsniffed, and audits each view', async () => {
    const supervisor = await personId('demo-supervisor-1');
    for (let i = 1; i <= 2; i++) {
      const res = await get('supervisor', `${BASE}/evidence/${ids.photoIn}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/png');
      expect(res.headers.get('cache-control')).toContain('private');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG);
      expect(await audits('evidence.view', `person:${supervisor}`, ids.photoIn)).toBe(i);
    }
  });

  it('checks the scope on each request: outside it, unknown, malformed or signed out gives nothing', async () => {
    const out = await get('supervisor', `${BASE}/evidence/${ids.photoOut}`);
    expect(out.status).toBe(404);
    expect(out.headers.get('content-type')).toContain('text/html');
    expect((await get('supervisor', `${BASE}/evidence/${crypto.randomUUID()}`)).status).toBe(404);
    expect((await get('supervisor', `${BASE}/evidence/..%2F..%2Fetc`)).status).toBe(404);
    const anonymous = await h.fetch(`${BASE}/evidence/${ids.photoIn}`, { redirect: 'manual' });
    expect(anonymous.status).not.toBe(200);
    expect((await get('director', `${BASE}/evidence/${ids.photoOut}`)).status).toBe(200);
    const supervisor = await personId('demo-supervisor-1');
    expect(await audits('evidence.view', `person:${supervisor}`, ids.photoOut)).toBe(0);
  });

  it('response exports link each photo to this route, which opens for a reader in scope', async () => {
    const csv = await (
      await get('director', `/admin/api/v1/offices/DEMO1/exports/responses?campaign=${ids.sarCampaign}&format=csv`)
    ).text();
    const link = `http://nithet.test${BASE}/evidence/${ids.photoIn}`;
    expect(csv).toContain(link);
    const res = await get('director', new URL(link).pathname);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
  });

  it("an admin's export links open for the admin and are a 404 for a supervisor of another school", async () => {
    const csv = await (
      await get('admin', `/admin/api/v1/offices/DEMO1/exports/responses?campaign=${ids.sarCampaign}&format=csv`)
    ).text();
    const links = [...csv.matchAll(/http:\/\/nithet\.test(\/admin\/offices\/DEMO1\/evidence\/[0-9a-f-]{36})/g)].map(
      (m) => m[1] ?? '',
    );
    const outLink = `${BASE}/evidence/${ids.photoOut}`;
    expect(links).toEqual(expect.arrayContaining([`${BASE}/evidence/${ids.photoIn}`, outLink]));
    for (const path of links) expect((await get('admin', path)).status, path).toBe(200);
    const denied = await get('supervisor', outLink);
    expect(denied.status).toBe(404);
    expect(new Uint8Array(await denied.arrayBuffer())).not.toEqual(PNG);
  });

  it('sends a document as a download under the name it was sent with', async () => {
    const id = crypto.randomUUID();
    const key = `evidence/${demo.office.id}/${ids.sarIn}/${id}`;
    const pdf = new TextEncoder().encode('%PDF-1.4 test');
    await h.deps.blobs.put(key, pdf, 'application/pdf');
    await h.db.db.execute(sql`
      INSERT INTO evidence_files (id, office_id, response_id, item_key, channel_id, line_message_id, status,
                                  content_type, size_bytes, storage_key, file_name)
      VALUES (${id}, ${demo.office.id}, ${ids.sarIn}, 's3_evidence', 'default', ${`m-${id}`}, 'stored',
              'application/pdf', ${pdf.length}, ${key}, 'แผนพัฒนา.pdf')`);
    const res = await get('supervisor', `${BASE}/evidence/${id}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="evidence-${id}.pdf"; filename*=UTF-8''${encodeURIComponent('แผนพัฒนา.pdf')}`,
    );
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(pdf);
    expect((await get('supervisor', `${BASE}/evidence/${ids.photoOut}`)).status).toBe(404);
  });

  it('refuses a file over the size limit', async () => {
    const id = crypto.randomUUID();
    await h.db.db.execute(sql`
      INSERT INTO evidence_files (id, office_id, response_id, item_key, channel_id, line_message_id, status,
                                  content_type, size_bytes, storage_key)
      VALUES (${id}, ${demo.office.id}, ${ids.sarIn}, 's2_evidence', 'default', ${`m-${id}`}, 'stored',
              'image/jpeg', ${11 * 1024 * 1024}, ${`evidence/${demo.office.id}/${ids.sarIn}/${id}`})`);
    expect((await get('admin', `${BASE}/evidence/${id}`)).status).toBe(413);
  });
});

describe('one school’s page', () => {
  it('shows its SAR against its targets, its visits with findings and actions, its completion and photos', async () => {
    const res = await get('supervisor', `${BASE}/schools/${ids.inScope}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<h1>${inSchool.nameTh}</h1>`);
    // The SAR: each standard's level beside the target the school set (4), judged met or below.
    const s1 =
      /data-outcome="s1_level"[\s\S]*?data-figure="level">([\d.]+)<\/td><td class="n">4<\/td><td data-figure="met">([^<]+)</.exec(
        html,
      );
    expect(s1).not.toBeNull();
    expect(s1?.[2]).toBe(Number(s1?.[1]) >= 4 ? 'ถึงเป้าหมาย / met' : 'ต่ำกว่าเป้าหมาย / below');
    // A recorded visit: its findings (the record's strengths) and its agreed actions with their status.
    const visit = await one<{ id: string; strengths: string }>(
      h.db.db,
      sql`SELECT v.id, a.value #>> '{}' AS strengths FROM visits v
            JOIN answers a ON a.response_id = v.response_id AND a.item_key = 'strengths'
           WHERE v.response_id = ${ids.visit}`,
    );
    expect(html).toContain(`data-visit="${visit.id}"`);
    expect(html).toContain(visit.strengths);
    const open = await count(h.db.db, sql`visit_actions WHERE school_id = ${ids.inScope} AND status = 'open'`);
    expect(html.match(/data-action-status="open"/g)?.length ?? 0).toBe(open);
    // Completion over time: the SAR campaign, one response of one expected.
    expect(html).toMatch(new RegExp(`data-campaign="${ids.sarCampaign}"[\\s\\S]*?data-figure="submitted">1 / 1<`));
    expect(html).toContain(`<img src="${BASE}/evidence/${ids.photoIn}"`);
    expect(html).toContain(`${BASE}/reports/school?school=${ids.inScope}&amp;format=xlsx`);
    const supervisor = await personId('demo-supervisor-1');
    expect(await audits('school.view', `person:${supervisor}`, ids.inScope)).toBe(1);
  });

  it('is a 404 for a supervisor outside the school, and for a bad id', async () => {
    const res = await get('supervisor', `${BASE}/schools/${ids.outScope}`);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain(outSchool.nameTh);
    expect((await get('director', `${BASE}/schools/${ids.outScope}`)).status).toBe(200);
    expect((await get('director', `${BASE}/schools/not-an-id`)).status).toBe(404);
    const supervisor = await personId('demo-supervisor-1');
    expect(await audits('school.view', `person:${supervisor}`, ids.outScope)).toBe(0);
  });
});
