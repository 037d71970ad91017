// The pure SAR synthesis against the real built-in checklists: standards found in both SAR types, levels counted,
// missing answers counted once, "below target" strictly below (a tie meets the target), texts collated per school.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Definition, validateDefinition } from '../checklists/definition.js';
import { belowSheet, feedbackSheet, sarSheets, summarySheet, textsSheet } from './sheets.js';
import { levelOf, type SarSchoolRow, sarStandards, synthesize } from './synthesis.js';

function builtin(key: string): Definition {
  const raw: unknown = JSON.parse(readFileSync(new URL(`../../checklists/${key}.json`, import.meta.url), 'utf8'));
  const parsed = validateDefinition(raw);
  if (!parsed.ok) throw new Error(`${key} does not validate`);
  return parsed.definition;
}
const basic = sarStandards(builtin('sar-basic'));
const early = sarStandards(builtin('sar-early-childhood'));

let seq = 0;
function school(code: string, answers: Record<string, unknown>, over: Partial<SarSchoolRow> = {}): SarSchoolRow {
  seq += 1;
  return {
    schoolId: `id-${seq}`,
    code,
    name: `โรงเรียนทดสอบ ${code}`,
    cluster: 'เครือข่ายทดสอบ',
    inAudience: true,
    status: 'submitted',
    answers,
    ...over,
  };
}

describe('sarStandards', () => {
  it('finds the three standards of each built-in SAR, with their Thai headings', () => {
    expect(basic).toEqual([
      { key: 's1', label: 'มาตรฐานที่ 1 คุณภาพของผู้เรียน' },
      { key: 's2', label: 'มาตรฐานที่ 2 กระบวนการบริหารและการจัดการ' },
      { key: 's3', label: 'มาตรฐานที่ 3 กระบวนการจัดการเรียนการสอนที่เน้นผู้เรียนเป็นสำคัญ' },
    ]);
    expect(early.map((s) => s.label)).toEqual([
      'มาตรฐานที่ 1 คุณภาพของเด็ก',
      'มาตรฐานที่ 2 กระบวนการบริหารและการจัดการ',
      'มาตรฐานที่ 3 การจัดประสบการณ์ที่เน้นเด็กเป็นสำคัญ',
    ]);
  });

  it('ignores a checklist without standards (not a SAR)', () => {
    expect(sarStandards(builtin('needs-survey'))).toEqual([]);
  });
});

describe('levelOf', () => {
  it.each([
    [4, 4],
    ['3', 3],
    [0, null],
    [6, null],
    [3.5, null],
    ['ดี', null],
    [null, null],
    [undefined, null],
  ])('%s → %s', (v, want) => expect(levelOf(v)).toBe(want));
});

describe('synthesize', () => {
  const rows = [
    // Below on s1 by 2, meets s2 exactly (a tie is not below), above on s3.
    school('1002', {
      s1_level: 2,
      s1_target: 4,
      s2_level: 3,
      s2_target: 3,
      s3_level: 5,
      s3_target: 4,
      s1_strengths: 'ผู้เรียนอ่านออกเขียนได้',
      s1_improve: '  ทักษะการคิดคำนวณ  ',
    }),
    // Below on s1 by 1; s2 left without a level (the calculation had nothing to average).
    school('1001', { s1_level: 3, s1_target: 4, s3_level: 4, s3_target: 4, s2_strengths: '   ' }),
    // Below on s1 by 1 too: ties on the gap are ordered by school code.
    school('1000', { s1_level: 4, s1_target: 5, s2_level: 4, s2_target: 3, s3_level: 4, s3_target: 4 }),
    // Not submitted: no level anywhere, its half-done answers are never read.
    school('1003', { s1_level: 1, s1_target: 5 }, { status: 'in_progress' }),
    school('1004', {}, { status: null }),
    // Submitted but no longer in the audience: counts as submitted, not as expected.
    school('1005', { s1_level: 5, s1_target: 5, s2_level: 5, s3_level: 5 }, { inAudience: false }),
  ];
  const s = synthesize(basic, rows);

  it('totals: expected is the audience, submitted counts every submitted SAR', () => {
    expect(s.expected).toBe(5);
    expect(s.submitted).toBe(4);
  });

  it('counts schools per level and those with no level, every school exactly once per standard', () => {
    const [s1, s2, s3] = s.standards;
    expect(s1?.levels).toEqual({ 5: 1, 4: 1, 3: 1, 2: 1, 1: 0 });
    expect(s1?.noAnswer).toBe(2);
    expect(s2?.levels).toEqual({ 5: 1, 4: 1, 3: 1, 2: 0, 1: 0 });
    expect(s2?.noAnswer).toBe(3);
    expect(s3?.levels).toEqual({ 5: 2, 4: 2, 3: 0, 2: 0, 1: 0 });
    for (const st of s.standards) {
      const counted = Object.values(st.levels).reduce((a, b) => a + b, 0) + st.noAnswer;
      expect(counted).toBe(rows.length);
    }
  });

  it('lists schools strictly below target, widest gap first, ties by code', () => {
    const [s1, s2, s3] = s.standards;
    expect(s1?.belowTarget.map((b) => [b.code, b.level, b.target])).toEqual([
      ['1002', 2, 4],
      ['1000', 4, 5],
      ['1001', 3, 4],
    ]);
    expect(s2?.belowTarget).toEqual([]);
    expect(s3?.belowTarget).toEqual([]);
  });

  it('collates strengths and points to improve per standard with the school, trimmed, blanks left out', () => {
    const [s1, s2] = s.standards;
    expect(s1?.strengths).toEqual([
      { code: '1002', name: 'โรงเรียนทดสอบ 1002', cluster: 'เครือข่ายทดสอบ', text: 'ผู้เรียนอ่านออกเขียนได้' },
    ]);
    expect(s1?.improvements.map((t) => t.text)).toEqual(['ทักษะการคิดคำนวณ']);
    expect(s2?.strengths).toEqual([]);
  });

  it('works for early childhood with its own labels', () => {
    const e = synthesize(early, [school('2001', { s1_level: 3, s1_target: 4, s2_level: 4, s3_level: 4 })]);
    expect(e.standards.map((st) => [st.label.slice(0, 13), st.belowTarget.length])).toEqual([
      ['มาตรฐานที่ 1 ', 1],
      ['มาตรฐานที่ 2 ', 0],
      ['มาตรฐานที่ 3 ', 0],
    ]);
  });

  it('no schools at all: zeros, empty lists', () => {
    const e = synthesize(basic, []);
    expect(e).toMatchObject({ expected: 0, submitted: 0 });
    expect(e.standards.every((st) => st.noAnswer === 0 && st.belowTarget.length === 0)).toBe(true);
  });
});

describe('sheets', () => {
  const s = synthesize(basic, [
    school('1001', { s1_level: 3, s1_target: 4, s1_strengths: 'ครูใช้สื่อหลากหลาย', s2_improve: 'การนิเทศภายใน' }),
    school('1002', {}, { status: null }),
  ]);

  it('summary: a row per standard with the level columns best first, then the totals', () => {
    const sh = summarySheet(s);
    expect(sh.header).toEqual([
      'มาตรฐาน (Standard)',
      'ยอดเยี่ยม (5)',
      'ดีเลิศ (4)',
      'ดี (3)',
      'ปานกลาง (2)',
      'กำลังพัฒนา (1)',
      'ไม่มีคำตอบ (No answer)',
      'ต่ำกว่าค่าเป้าหมาย (Below target)',
    ]);
    expect(sh.rows[0]).toEqual(['มาตรฐานที่ 1 คุณภาพของผู้เรียน', 0, 0, 1, 0, 0, 1, 1]);
    expect(sh.rows.slice(-2).map((r) => r.slice(0, 2))).toEqual([
      ['โรงเรียนที่ต้องส่ง (Schools expected)', 2],
      ['ส่งแล้ว (Submitted)', 1],
    ]);
  });

  it('below-target and texts sheets name the school and the standard', () => {
    expect(belowSheet(s).rows).toEqual([
      ['มาตรฐานที่ 1 คุณภาพของผู้เรียน', '1001', 'โรงเรียนทดสอบ 1001', 'เครือข่ายทดสอบ', 3, 'ดี', 4],
    ]);
    expect(textsSheet(s).rows).toEqual([
      ['มาตรฐานที่ 1 คุณภาพของผู้เรียน', 'จุดเด่น (Strengths)', '1001', 'โรงเรียนทดสอบ 1001', 'ครูใช้สื่อหลากหลาย'],
      ['มาตรฐานที่ 2 กระบวนการบริหารและการจัดการ', 'จุดที่ควรพัฒนา (To improve)', '1001', 'โรงเรียนทดสอบ 1001', 'การนิเทศภายใน'],
    ]);
    const x = { synthesis: s, feedback: [], timeZone: 'Asia/Bangkok' };
    expect(sarSheets(x).map((t) => t.name)).toEqual([
      'สรุประดับคุณภาพ',
      'ต่ำกว่าค่าเป้าหมาย',
      'จุดเด่น-จุดที่ควรพัฒนา',
      'ข้อเสนอแนะต่อ SAR',
    ]);
    expect(sarSheets(x, 'below').map((t) => t.name)).toEqual(['ต่ำกว่าค่าเป้าหมาย']);
  });

  it('the feedback sheet names the school, the standard (or overall), the author, the BE date and the answer', () => {
    const at = Date.UTC(2026, 11, 4, 20, 0); // 5 Dec 2026 03:00 in Bangkok
    const base = { school_id: 'x', code: '1001', school: 'โรงเรียนทดสอบ 1001', supervisor: 'นางนิเทศ ทดสอบ' };
    const rows = feedbackSheet(
      s,
      [
        { ...base, id: 'a', standard: 's1', body: 'ฝึกคิดวิเคราะห์', created_ms: at, acknowledged_ms: null, reply: null },
        { ...base, id: 'b', standard: null, body: 'ภาพรวมดี', created_ms: at, acknowledged_ms: at, reply: 'จะพัฒนาต่อ' },
      ],
      'Asia/Bangkok',
    ).rows;
    expect(rows).toEqual([
      [
        '1001',
        'โรงเรียนทดสอบ 1001',
        'มาตรฐานที่ 1 คุณภาพของผู้เรียน',
        'ฝึกคิดวิเคราะห์',
        'นางนิเทศ ทดสอบ',
        '5 ธ.ค. 2569',
        'ยังไม่รับทราบ (not yet)',
        null,
      ],
      [
        '1001',
        'โรงเรียนทดสอบ 1001',
        'ภาพรวม (Overall)',
        'ภาพรวมดี',
        'นางนิเทศ ทดสอบ',
        '5 ธ.ค. 2569',
        '5 ธ.ค. 2569',
        'จะพัฒนาต่อ',
      ],
    ]);
  });
});
