// The readiness rule as a table: one row per case that matters (no SAR, a standard below ดี, a step not seen, an
// old SAR, ready), and "due this year" by the academic year (May to April).
import { describe, expect, it } from 'vitest';
import { dueThisYear, iqaStepKeys, readinessOf, sarLevels } from './readiness.js';

const NOW = Date.parse('2026-12-05T05:00:00Z');
const DAY = 86_400_000;
const sar = (levels: Record<number, number | null>, daysAgo = 30) => ({ submittedMs: NOW - daysAgo * DAY, levels });

describe('readinessOf', () => {
  it.each([
    ['every step, SAR at 3 or above', sar({ 1: 3, 2: 4, 3: 5 }), iqaStepKeys, 'ready', []],
    ['no SAR', null, iqaStepKeys, 'no_sar', ['4.2.6 ส่งรายงานผลการประเมินตนเอง (SAR)']],
    ['standard 2 at 2', sar({ 1: 3, 2: 2, 3: 5 }), iqaStepKeys, 'not_ready', ['มาตรฐานที่ 2 ระดับ 2 (ต้องไม่ต่ำกว่า 3 ดี)']],
    [
      'step 4.2.4 not seen',
      sar({ 1: 4, 2: 4, 3: 4 }),
      iqaStepKeys.filter((k) => k !== 'assess'),
      'not_ready',
      ['4.2.4 ประเมินผลและตรวจสอบคุณภาพการศึกษาภายใน'],
    ],
    ['an old SAR', sar({ 1: 4 }, 500), iqaStepKeys, 'not_ready', ['4.2.6 รายงาน SAR ล่าสุดเก่ากว่าหนึ่งปีการศึกษา']],
    ['a SAR without levels', sar({}), iqaStepKeys, 'not_ready', ['SAR ยังไม่มีระดับคุณภาพรายมาตรฐาน']],
  ] as const)('%s', (_, s, steps, status, missing) => {
    expect(readinessOf({ sar: s, steps }, NOW)).toEqual({ status, missing });
  });
});

describe('dueThisYear and sarLevels', () => {
  it('reads the academic year (May–April) of the scheduled date', () => {
    expect(dueThisYear('2027-03-01', '2026-12-05')).toBe(true);
    expect(dueThisYear('2026-05-16', '2026-12-05')).toBe(true);
    expect(dueThisYear('2027-05-16', '2026-12-05')).toBe(false);
    expect(dueThisYear(null, '2026-12-05')).toBe(false);
  });
  it('takes sN_level answers only, numbers or a digit string', () => {
    expect(sarLevels({ s1_level: 4, s2_level: '3', s1_target: 5, s3_level: 'x' })).toEqual({ 1: 4, 2: 3, 3: null });
  });
});
