import { describe, expect, it } from 'vitest';
import { validateDefinition, type Definition } from './definition.js';
import { repeatTable, responseSheets, responsesTable, toCsv } from './export.js';
import type { ExportRow } from './export.queries.js';

const v = (version: number, extra: unknown[] = []): Definition => {
  const r = validateDefinition({
    schema: 'nithet.checklist/1',
    key: 'exp',
    version,
    title: { th: 'ทดสอบส่งออก' },
    scope: 'school',
    items: [
      { type: 'note', key: 'intro', label: { th: 'หัวข้อ' } },
      { type: 'yes_no', key: 'done', label: { th: 'ทำแล้ว?' } },
      { type: 'rating', key: 'level', label: { th: 'ระดับ' } },
      {
        type: 'select_many',
        key: 'areas',
        label: { th: 'ด้าน' },
        choices: [
          { value: 'a', label: { th: 'วิชาการ' } },
          { value: 'b', label: { th: 'บุคคล' } },
        ],
      },
      { type: 'photo', key: 'pic', label: { th: 'รูป' }, required: false },
      ...extra,
      {
        type: 'repeat',
        key: 'acts',
        label: { th: 'กิจกรรม' },
        items: [
          { type: 'text', key: 'what', label: { th: 'อะไร' } },
          { type: 'date', key: 'when', label: { th: 'เมื่อไร' } },
        ],
      },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.definition;
};

const row = (id: string, answers: ExportRow['answers']): ExportRow => ({
  response_id: id,
  status: 'submitted',
  submitted_at: '2026-11-20T03:00:00.000Z',
  school_code: '9999000001',
  school_name: 'โรงเรียนบ้านหนองน้ำใส',
  cluster_name: 'เครือข่าย, "ดอกคูน"',
  respondent: 'ผอ.ทดสอบ',
  answers,
});

describe('exports', () => {
  const rows = [
    row('r1', [
      { k: 'done', r: 0, v: 'yes' },
      { k: 'level', r: 0, v: 4 },
      { k: 'areas', r: 0, v: ['a', 'b'] },
      { k: 'pic', r: 0, v: ['e1', 'e2'] },
      { k: 'what', r: 1, v: '=HYPERLINK("x")' },
      { k: 'when', r: 1, v: '2026-11-20' },
      { k: 'what', r: 2, v: 'อบรมครู' },
    ]),
    row('r2', [{ k: 'done', r: 0, v: 'no' }]),
  ];

  it('columns come from the version, not from the answers: an empty response has the same columns', () => {
    const table = responsesTable(v(1), rows);
    expect(table[0]).toEqual([
      'response_id',
      'status',
      'submitted_at',
      'school_code',
      'school_name',
      'cluster',
      'respondent',
      'done@v1',
      'level@v1',
      'areas@v1',
      'pic@v1',
    ]);
    expect(table[1]?.slice(7)).toEqual(['ใช่', 4, 'วิชาการ, บุคคล', 2]);
    expect(table[2]?.slice(7)).toEqual(['ไม่ใช่', null, null, null]);
    expect(table.every((r) => r.length === table[0]?.length)).toBe(true);
  });

  it('a new version adds its columns without moving the old ones', () => {
    const v2 = v(2, [{ type: 'number', key: 'count', label: { th: 'จำนวน' } }]);
    const h1 = responsesTable(v(1), []).at(0)?.map(String) ?? [];
    const h2 = responsesTable(v2, []).at(0)?.map(String) ?? [];
    expect(h2.slice(0, h1.length).map((h) => h.replace('@v2', '@v1'))).toEqual(h1);
    expect(h2.at(-1)).toBe('count@v2');
  });

  it('repeat groups export one row per instance', () => {
    const def = v(1);
    const rep = def.items.find((i) => i.type === 'repeat');
    if (rep?.type !== 'repeat') throw new Error('no repeat');
    expect(repeatTable(def, rep, rows)).toEqual([
      ['response_id', 'school_code', 'instance', 'acts.what@v1', 'acts.when@v1'],
      ['r1', '9999000001', 1, '=HYPERLINK("x")', '2026-11-20'],
      ['r1', '9999000001', 2, 'อบรมครู', null],
    ]);
  });

  it('readable sheets: question text over key@vN, one 1/0 column per choice, Thai B.E. dates, Thai status', () => {
    const at = { readable: (ms: number) => `t${ms}`, iso: (ms: number) => `i${ms}` };
    const [main, acts] = responseSheets([{ checklistId: 'c1', definition: v(1) }], rows, at);
    expect(main?.name).toBe('คำตอบ responses');
    expect(main?.header.slice(9)).toEqual(['ทำแล้ว?', 'ระดับ', 'ด้าน: วิชาการ', 'ด้าน: บุคคล', 'รูป']);
    expect(main?.keys?.slice(9)).toEqual(['done@v1', 'level@v1', 'areas/a@v1', 'areas/b@v1', 'pic@v1']);
    const at0 = Date.parse('2026-11-20T03:00:00.000Z');
    expect(main?.rows[0]?.slice(1, 4)).toEqual(['ส่งแล้ว / submitted', `t${at0}`, `i${at0}`]);
    expect(main?.rows[0]?.slice(9)).toEqual(['ใช่', 4, 1, 1, 2]);
    // Unanswered: empty, not "not chosen".
    expect(main?.rows[1]?.slice(9)).toEqual(['ไม่ใช่', null, null, null, null]);
    expect(acts?.header).toEqual(['รหัสคำตอบ', 'รหัสโรงเรียน', 'ครั้งที่', 'กิจกรรม: อะไร', 'กิจกรรม: เมื่อไร']);
    expect(acts?.rows[0]).toEqual(['r1', '9999000001', 1, '=HYPERLINK("x")', '20 พ.ย. 2569']);
  });

  it('with a photo link maker, a photo cell holds one link per photo instead of the count; the key stays', () => {
    const at = { readable: (ms: number) => `t${ms}`, iso: (ms: number) => `i${ms}` };
    const [main] = responseSheets([{ checklistId: 'c1', definition: v(1) }], rows, at, (id) => `https://w/e/${id}`);
    expect(main?.keys?.at(-1)).toBe('pic@v1');
    expect(main?.rows[0]?.at(-1)).toBe('https://w/e/e1\nhttps://w/e/e2');
    expect(main?.rows[1]?.at(-1)).toBeNull();
  });

  it('links each document of a document item the same way', () => {
    const at = { readable: (ms: number) => `t${ms}`, iso: (ms: number) => `i${ms}` };
    const doc = { type: 'document', key: 'plan', label: { th: 'แผน' }, required: false, maxFiles: 2 };
    const docs = [row('r1', [{ k: 'plan', r: 0, v: ['d1', 'd2'] }])];
    const [main] = responseSheets(
      [{ checklistId: 'c1', definition: v(1, [doc]) }],
      docs,
      at,
      (id) => `https://w/e/${id}`,
    );
    expect(main?.keys?.at(-1)).toBe('plan@v1');
    expect(main?.rows[0]?.at(-1)).toBe('https://w/e/d1\nhttps://w/e/d2');
  });

  it('CSV has a BOM, CRLF, quotes where needed, and neutralises formulas', () => {
    const csv = toCsv([
      ['a', 'เครือข่าย, "ดอกคูน"', null, 3],
      ['=HYPERLINK("x")', '-1', 'บรรทัด\nสอง', '@me'],
    ]);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.slice(1)).toBe('a,"เครือข่าย, ""ดอกคูน""",,3\r\n"\'=HYPERLINK(""x"")",\'-1,"บรรทัด\nสอง",\'@me\r\n');
  });
});
