// A bundle body becomes a push: one card of rows (the submission notices folded into one), the digest after it, and
// never more than LINE's five messages; every push valid Flex within LINE's limits.
import { describe, expect, it } from 'vitest';
import { flexProblems } from '../../flex-templates/limits.js';
import type { Message } from '../line/messages.js';
import { type BundleBody, MAX_MESSAGES, type OutboxBody, renderBody } from './bundle.js';

const day = '2026-11-24';
const tz = 'Asia/Bangkok';
const texts = (m: Message | undefined): string[] => {
  const out: string[] = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (typeof n !== 'object' || n === null) return;
    const o = n as Record<string, unknown>;
    if (o.type === 'text' && typeof o.text === 'string') out.push(o.text);
    for (const k of ['header', 'body', 'footer', 'contents']) walk(o[k]);
  };
  walk(m !== undefined && m.type === 'flex' ? m.contents : undefined);
  return out;
};

describe('renderBody', () => {
  it("gives an agency stage's reminder a button asking for a sign-in link to its project; a plain notice none", () => {
    const ag = '7d0b7a52-4c1e-4f0e-9a57-2b7f1f0c8a11';
    const body: BundleBody = {
      day,
      tz,
      items: [
        { k: 'notice', t: 'งานร่วมกับหน่วยงานอื่น: ครบกำหนดวันนี้', text: 'ศึกษา: ค่ายวิทยาศาสตร์', ag },
        { k: 'notice', t: 'ประกาศ', text: 'ข่าวสาร' },
      ],
    };
    const messages = renderBody(body);
    const json = JSON.stringify(messages);
    expect(json.match(/"data":"a=web&to=agency&id=[^"]*"/g)).toEqual([`"data":"a=web&to=agency&id=${ag}"`]);
    expect(json).toContain('เปิดในเว็บ');
    for (const m of messages) if (m.type === 'flex') expect(flexProblems(m)).toEqual([]);
  });

  it('folds a supervisor’s submission notices into one row naming each, counting repeats', () => {
    const body: BundleBody = {
      day,
      tz,
      items: [
        { k: 'submitted', text: 'ครูเอ (โรงเรียนบ้านเอ) ส่ง "แบบสำรวจ" แล้ว' },
        { k: 'submitted', text: 'ครูบี (โรงเรียนบ้านเอ) ส่ง "แบบสำรวจ" แล้ว' },
        { k: 'submitted', text: 'ครูบี (โรงเรียนบ้านเอ) ส่ง "แบบสำรวจ" แล้ว' },
      ],
    };
    const messages = renderBody(body);
    expect(messages).toHaveLength(1);
    const t = texts(messages[0]);
    expect(t).toContain('ส่งแบบแล้ว 3 รายการ');
    expect(t.join('\n')).toContain('• ครูบี (โรงเรียนบ้านเอ) ส่ง "แบบสำรวจ" แล้ว (2 ครั้ง)');
    expect(t[0]).toBe('วันนี้มี 1 เรื่อง');
  });

  it('puts the day’s card first and the digest after it, one push of two messages', () => {
    const digest: OutboxBody = {
      digest: {
        title: 'สรุปประจำสัปดาห์',
        scope: 'โรงเรียนบ้านเอ',
        date: 'วันจันทร์ที่ 23 พฤศจิกายน พ.ศ. 2569',
        term: null,
        highlights: [],
        overdue: null,
        belowTarget: null,
        visits: null,
        campaigns: [],
      },
      sar: [],
    };
    const body: BundleBody = {
      day,
      tz,
      items: [
        {
          k: 'announce',
          c: '00000000-0000-4000-8000-000000000001',
          t: 'แบบสำรวจ',
          due: Date.parse('2026-12-01T16:59:00Z'),
        },
        { k: 'digest', b: 'd1' },
      ],
    };
    const messages = renderBody(body, new Map([['d1', digest]]));
    expect(messages.map((m) => (m.type === 'flex' ? m.altText.split(':')[0] : m.type))).toEqual([
      'วันนี้มี 1 เรื่อง',
      'สรุปประจำสัปดาห์',
    ]);
    expect(JSON.stringify(messages[0])).toContain('a=open&c=00000000-0000-4000-8000-000000000001');
    for (const m of messages) if (m.type === 'flex') expect(flexProblems(m)).toEqual([]);
  });

  it('says today or tomorrow for a visit, relative to the bundle’s day', () => {
    const at = Date.parse('2026-11-25T02:30:00Z'); // Wednesday 09:30 in Bangkok
    const visit = (what: 'eve' | 'morning') => ({ k: 'visit' as const, v: 'v1', what, s: 'โรงเรียนบ้านเอ', at });
    expect(texts(renderBody({ day, tz, items: [visit('eve')] })[0])).toContain('พรุ่งนี้ 09:30 น.');
    expect(texts(renderBody({ day: '2026-11-25', tz, items: [visit('morning')] })[0])).toContain('วันนี้ 09:30 น.');
  });

  it('never exceeds five messages: frozen messages past the room become card rows', () => {
    const frozen = Array.from({ length: 7 }, (_, i) => ({
      k: 'message' as const,
      m: { type: 'text' as const, text: `สรุปผลการนิเทศ ${i}\nรายละเอียด` },
    }));
    const messages = renderBody({ day, tz, items: frozen });
    expect(messages).toHaveLength(MAX_MESSAGES);
    expect(messages[0]?.type).toBe('flex');
    expect(texts(messages[0])).toContain('วันนี้มี 3 เรื่อง');
  });
});
