// The ranking's order by each criterion, ties broken by the next chosen criterion, no data last, shared ranks, and
// the reason each school gives for its place, on invented figures.
import { describe, expect, it } from 'vitest';
import { figuresOf, rankSchools, type SchoolFigures } from './rank.js';
import type { FormDefinition } from '../checklists/definition.js';

const school = (code: string, f: Partial<SchoolFigures>): SchoolFigures => ({
  schoolId: `id-${code}`,
  code,
  name: `โรงเรียนบ้าน${code}`,
  sar: null,
  improvement: null,
  improvementFrom: null,
  actionsDone: 0,
  actionsTotal: 0,
  ...f,
});

// A: best SAR, little change, few actions; B: most improved; C: most follow-ups closed; D: nothing at all.
const A = school('A', { sar: 4.5, improvement: 0.1, improvementFrom: 'sar', actionsDone: 1, actionsTotal: 3 });
const B = school('B', { sar: 3.2, improvement: 1.2, improvementFrom: 'sar', actionsDone: 2, actionsTotal: 2 });
const C = school('C', { sar: 3.8, improvement: -0.5, improvementFrom: 'self', actionsDone: 5, actionsTotal: 6 });
const D = school('D', {});
const all = [D, C, B, A];
const order = (by: Parameters<typeof rankSchools>[1]) => rankSchools(all, by).map((s) => s.code);

describe('rankSchools', () => {
  it('orders by the SAR level, the improvement, or the follow-ups closed, with no data last', () => {
    expect(order(['sar'])).toEqual(['A', 'C', 'B', 'D']);
    expect(order(['improvement'])).toEqual(['B', 'A', 'C', 'D']);
    expect(order(['actions'])).toEqual(['C', 'B', 'A', 'D']);
  });

  it('breaks a tie on the first criterion with the next, and says so', () => {
    const E = school('E', { sar: 4.5, improvement: 0.6, improvementFrom: 'sar' });
    const ranked = rankSchools([A, E, B], ['sar', 'improvement']);
    expect(ranked.map((s) => [s.code, s.rank])).toEqual([
      ['E', 1],
      ['A', 2],
      ['B', 3],
    ]);
    expect(ranked[0]?.why).toBe('สูงสุดด้านระดับคุณภาพตาม SAR (4.50)');
    expect(ranked[1]?.why).toBe(
      'เท่ากันด้านระดับคุณภาพตาม SAR; ตามหลัง โรงเรียนบ้านE ด้านพัฒนาการจากปีที่แล้ว (+0.10 จาก SAR ต่อ +0.60 จาก SAR)',
    );
    expect(ranked[2]?.why).toBe('ตามหลัง โรงเรียนบ้านA ด้านระดับคุณภาพตาม SAR (3.20 ต่อ 4.50)');
  });

  it('schools equal on every chosen criterion share a rank, in code order', () => {
    const B2 = school('B2', { ...B, schoolId: 'id-B2', code: 'B2', name: 'โรงเรียนบ้านB2' });
    const ranked = rankSchools([B2, B, C], ['actions']);
    expect(ranked.map((s) => [s.code, s.rank])).toEqual([
      ['C', 1],
      ['B', 2],
      ['B2', 2],
    ]);
    expect(ranked[2]?.why).toBe('เท่ากับ โรงเรียนบ้านB ทุกเกณฑ์ (เรียงตามรหัสโรงเรียน)');
  });
});

describe('figuresOf', () => {
  const def = {
    items: [
      { key: 's1_level', type: 'rating', achieve: 'standard', target: 3, label: { th: 'มาตรฐานที่ 1' } },
      { key: 's2_level', type: 'rating', achieve: 'standard', target: 3, label: { th: 'มาตรฐานที่ 2' } },
      { key: 's1_1_level', type: 'rating', achieve: 'indicator', target: 3, label: { th: '1.1' } },
    ],
  } as unknown as FormDefinition;
  const defs = new Map([['sar', def]]);
  const r = (school_id: string, answers: Record<string, number>) => ({ school_id, checklist_id: 'sar', answers });

  it('the SAR level is the mean of its standards; improvement is against last year, else the self-assessment', () => {
    const f = figuresOf(
      [
        { id: 'x', code: '1', name: 'หนึ่ง' },
        { id: 'y', code: '2', name: 'สอง' },
      ],
      {
        sar: [r('x', { s1_level: 4, s2_level: 5, s1_1_level: 1 }), r('y', { s1_level: 3 })],
        sarLastYear: [r('x', { s1_level: 3, s2_level: 4 })],
        self: [r('y', { s1_1_level: 4 })],
        selfLastYear: [r('y', { s1_1_level: 2 })],
        actions: [
          { school_id: 'x', status: 'done' },
          { school_id: 'x', status: 'open' },
        ],
      },
      defs,
    );
    expect(f.map((s) => [s.sar, s.improvement, s.improvementFrom, s.actionsDone, s.actionsTotal])).toEqual([
      [4.5, 1, 'sar', 1, 2],
      [3, 2, 'self', 0, 0],
    ]);
  });
});
