// XLSForm through the admin API: a workbook as the body of POST …/checklists gets the JSON upload's answers (201,
// 200 unchanged, 409 on a changed version, 400 naming sheet/row/column in Thai and English, 413), any version
// downloads as a workbook that uploads back unchanged, and a campaign waits for a version the chat can run.
import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syncBuiltins } from '../../src/checklists/builtin-files.js';
import { readXlsForm } from '../../src/checklists/xlsform/read.js';
import { writeXlsForm } from '../../src/checklists/xlsform/write.js';
import { validateFormDefinition } from '../../src/checklists/definition.js';
import type { FieldIssue } from '../../src/errors.js';
import { MAX_IMPORT_BYTES } from '../../src/imports/sheet.js';
import { ADMIN, startHarness, type Harness } from '../support/harness.js';
import { count } from '../support/sql.js';
import { adminApi, type Api } from './api.js';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let h: Harness;
let api: Api;

beforeAll(async () => {
  h = await startHarness();
  api = adminApi(h);
  await syncBuiltins(h.db.db);
  expect((await api('POST', '/offices', { code: 'XF1', nameTh: 'สพป.ทดสอบแบบฟอร์ม' })).status).toBe(201);
  expect((await api('POST', '/offices', { code: 'XF2', nameTh: 'สพป.อีกเขต' })).status).toBe(201);
});
afterAll(() => h.close());

interface Answer {
  status: number;
  json: {
    id?: string;
    key?: string;
    version?: number;
    status?: string;
    warnings?: FieldIssue[];
    error?: { code: string; issues?: FieldIssue[] };
  };
}

async function upload(office: string, body: Uint8Array, contentType = XLSX): Promise<Answer> {
  const res = await h.fetch(`/admin/api/v1/offices/${office}/checklists`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': contentType },
    body,
  });
  return { status: res.status, json: await res.json() };
}

async function download(path: string): Promise<{ status: number; type: string | null; bytes: Uint8Array }> {
  const res = await h.fetch(`/admin/api/v1${path}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  return { status: res.status, type: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
}

const fixture = (path: string) => new Uint8Array(readFileSync(new URL(`../fixtures/xlsform/${path}`, import.meta.url)));

describe('uploading a workbook', () => {
  it('publishes (201), again unchanged (200), changed under the same version 409, audited once', async () => {
    const first = await upload('XF1', fixture('thai/needs-survey-other.xlsx'));
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ key: 'needs-other', version: 1, status: 'created', warnings: [] });
    const again = await upload('XF1', fixture('thai/needs-survey-other.xlsx'));
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ id: first.json.id, status: 'unchanged' });

    const r = await readXlsForm(fixture('thai/needs-survey-other.xlsx'));
    if (!r.ok) throw new Error('refused');
    const changed = await writeXlsForm({ ...r.definition, title: { th: 'ชื่อใหม่' } });
    const clash = await upload('XF1', changed);
    expect(clash.status).toBe(409);
    expect(clash.json.error?.issues).toEqual([
      { field: 'version', message: 'publish changes under a new version number' },
    ]);
    expect(await count(h.db.db, sql`audit_log WHERE action = 'checklist.publish'`)).toBe(1);
  });

  it('knows a workbook by its zip signature whatever the content type says', async () => {
    const res = await upload('XF1', fixture('pyxform/text_and_integer.xlsx'), 'application/octet-stream');
    // No form_id and no file name over the API: the settings sheet must name the form.
    expect(res.status).toBe(400);
    expect(res.json.error?.issues).toEqual([
      {
        sheet: 'settings',
        row: 2,
        field: '(row)',
        message: 'ต้องระบุ form_id ในแผ่นงาน settings / form_id is required in the settings sheet',
      },
    ]);
  });

  it('names every problem by sheet, row and column in Thai and English, and stores nothing', async () => {
    const before = await count(h.db.db, sql`checklists`);
    const res = await upload('XF1', fixture('pyxform/case_insensitivity.xlsx'));
    expect(res.status).toBe(400);
    expect(res.json.error?.code).toBe('invalid_request');
    expect(res.json.error?.issues).toEqual([
      {
        sheet: 'SURVEY',
        row: 3,
        column: 'TYPE',
        cell: 'A3',
        field: 'TYPE',
        message:
          'ชนิดคำถาม "select_one_external" ใช้ในแชต LINE ไม่ได้ / type "select_one_external" cannot be asked in a LINE chat',
      },
      {
        sheet: 'SURVEY',
        row: 4,
        column: 'TYPE',
        cell: 'A4',
        field: 'TYPE',
        message: 'ชนิดคำถาม "osm" ใช้ในแชต LINE ไม่ได้ / type "osm" cannot be asked in a LINE chat',
      },
    ]);
    expect(await count(h.db.db, sql`checklists`)).toBe(before);
  });

  it('refuses an old .xls, a broken zip and a file over the limit', async () => {
    const xls = await upload(
      'XF1',
      new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      'application/vnd.ms-excel',
    );
    expect(xls.status).toBe(400);
    expect(xls.json.error?.issues?.[0]?.message).toContain('save it as .xlsx');
    const broken = await upload('XF1', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9]));
    expect(broken.status).toBe(400);
    expect(broken.json.error?.issues?.[0]?.message).toContain('the workbook cannot be read');
    const big = await upload('XF1', new Uint8Array(MAX_IMPORT_BYTES + 1));
    expect(big.status).toBe(413);
  });

  it('answers 401 without a token', async () => {
    const res = await h.fetch('/admin/api/v1/offices/XF1/checklists', {
      method: 'POST',
      headers: { 'content-type': XLSX },
      body: fixture('thai/visit-actions.xlsx'),
    });
    expect(res.status).toBe(401);
  });
});

describe('forms the visit flow opens directly', () => {
  it("publishes an office's own supervision-visit with a file item, since the chat runs documents too", async () => {
    const file = await download('/offices/XF1/checklists/supervision-visit/versions/2?format=xlsx');
    const r = await readXlsForm(file.bytes);
    if (!r.ok) throw new Error('refused');
    const withDocument = {
      ...r.definition,
      version: 2,
      items: [
        ...r.definition.items,
        { type: 'document' as const, key: 'sar_file', label: { th: 'ไฟล์ SAR' }, required: false, maxFiles: 3 },
      ],
    };
    const res = await upload('XF1', await writeXlsForm(withDocument));
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ key: 'supervision-visit', version: 2 });
  });
});

describe('downloading a version', () => {
  it('gives a built-in as a workbook that reads back to its definition, and as JSON', async () => {
    const json = await api('GET', '/offices/XF1/checklists/sar-basic/versions/2');
    expect(json.status).toBe(200);
    expect(json.json).toMatchObject({ key: 'sar-basic', version: 2, builtIn: true });
    const file = await download('/offices/XF1/checklists/sar-basic/versions/2?format=xlsx');
    expect(file.status).toBe(200);
    expect(file.type).toBe(XLSX);
    const back = await readXlsForm(file.bytes);
    expect(back.ok ? back.definition : back.issues).toEqual(json.json.definition);
  });

  it("uploads the download back unchanged (200), and keeps an office's own versions to itself", async () => {
    const file = await download('/offices/XF1/checklists/needs-other/versions/1?format=xlsx');
    expect(file.status).toBe(200);
    const again = await upload('XF1', file.bytes);
    expect(again.status).toBe(200);
    expect(again.json.status).toBe('unchanged');
    expect((await download('/offices/XF2/checklists/needs-other/versions/1?format=xlsx')).status).toBe(404);
    expect((await api('GET', '/offices/XF1/checklists/needs-other/versions/9')).status).toBe(404);
    expect((await api('GET', '/offices/XF1/checklists/needs-other/versions/1?format=pdf')).status).toBe(400);
  });
});

describe('campaigns for uploaded forms', () => {
  it('creates a campaign for a form with a file item (documents are answered in chat)', async () => {
    const r = await readXlsForm(fixture('thai/needs-survey-other.xlsx'));
    if (!r.ok) throw new Error('refused');
    const withFile = await writeXlsForm({
      ...r.definition,
      key: 'needs-file',
      items: [
        ...r.definition.items,
        { key: 'plan_file', type: 'document', label: { th: 'แนบแผนพัฒนาตนเอง' }, maxFiles: 1, required: false },
      ],
    });
    const published = await upload('XF1', withFile);
    expect(published.status).toBe(201);
    const res = await api('POST', '/offices/XF1/campaigns', {
      titleTh: 'สำรวจความต้องการ 2/2569',
      checklistKey: 'needs-file',
      roles: ['teacher'],
      dueAt: '2026-12-15',
    });
    expect(res.status).toBe(201);
    expect(await count(h.db.db, sql`campaigns WHERE title_th = 'สำรวจความต้องการ 2/2569'`)).toBe(1);
  });

  it('creates one for an XLSForm the chat runs today', async () => {
    const r = await readXlsForm(fixture('pyxform/yes_or_no_question.xlsx'), { fallbackKey: 'good-day' });
    if (!r.ok) throw new Error('refused');
    const valid = validateFormDefinition(r.definition);
    expect(valid.ok).toBe(true);
    const published = await upload('XF1', await writeXlsForm(r.definition));
    expect(published.status).toBe(201);
    const res = await api('POST', '/offices/XF1/campaigns', {
      titleTh: 'วันนี้เป็นอย่างไร',
      checklistKey: 'good-day',
      roles: ['teacher'],
      dueAt: '2026-12-15',
    });
    expect(res.status).toBe(201);
  });
});
