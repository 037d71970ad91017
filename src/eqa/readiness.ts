// External quality assessment by สมศ. (issue 16 item 4): when a school is ready to be proposed, as data and one pure
// rule. Seed 000 (งานส่งเสริมพัฒนาระบบการประกันคุณภาพการศึกษา) gives the office two tasks
// here: §5.2.6 ประสานงานการประกันคุณภาพภายนอก (coordinate the external assessment) and §5.3.1 วิเคราะห์และสรุป
// รายงานผลการประเมินคุณภาพภายนอกของสถานศึกษา (analyse and summarise its results). It does not say what "ready"
// means; this rule reads it from the same seed's definition of a working internal QA system (§4.2.1–4.2.6, the six
// steps of the ministerial regulation on QA, 2561): a school is ready when the office has seen steps 4.2.1–4.2.5,
// its SAR (step 4.2.6, sent yearly) is recent, and its SAR puts every standard at ดี (3) or above. An office may
// want another threshold: it is the one constant below, not a second copy of the rule anywhere.
import { academicYearOf } from '../time/term.js';

/** The IQA steps the office records per school (§4.2.1–4.2.5); §4.2.6 is read from the school's submitted SAR. */
export const IQA_STEPS = [
  { key: 'standards', ref: '4.2.1', th: 'กำหนดมาตรฐานการศึกษาของสถานศึกษา' },
  { key: 'plan', ref: '4.2.2', th: 'จัดทำแผนพัฒนาการจัดการศึกษาที่มุ่งคุณภาพตามมาตรฐาน' },
  { key: 'implement', ref: '4.2.3', th: 'ดำเนินการตามแผนพัฒนาการจัดการศึกษา' },
  { key: 'assess', ref: '4.2.4', th: 'ประเมินผลและตรวจสอบคุณภาพการศึกษาภายใน' },
  { key: 'follow_up', ref: '4.2.5', th: 'ติดตามผลการดำเนินการเพื่อพัฒนาให้มีคุณภาพตามมาตรฐาน' },
] as const;
export type IqaStep = (typeof IQA_STEPS)[number]['key'];
export const iqaStepKeys = IQA_STEPS.map((s) => s.key) as [IqaStep, ...IqaStep[]];

export const READINESS_RULE = {
  /** Every standard of the latest SAR at this level or above (3 = ดี). */
  minLevel: 3,
  /** The SAR (§4.2.6) submitted within this many days: it is sent every year. */
  sarMaxAgeDays: 400,
  /** Steps the office must have seen (all of §4.2.1–4.2.5). */
  steps: iqaStepKeys,
} as const;

export const readinessStatuses = ['ready', 'not_ready', 'no_sar'] as const;
export type ReadinessStatus = (typeof readinessStatuses)[number];

export const readinessTh: Record<ReadinessStatus, string> = {
  ready: 'พร้อมรับการประเมิน',
  not_ready: 'ยังไม่พร้อม',
  no_sar: 'ยังไม่มีรายงาน SAR',
};

export interface ReadinessInput {
  /** The latest submitted SAR: when, and its level per standard number (1 → 4, 2 → 3 …); null: none. */
  sar: { submittedMs: number; levels: Record<number, number | null> } | null;
  steps: readonly string[];
}

export interface Readiness {
  status: ReadinessStatus;
  /** What keeps the school from being ready, in Thai (empty when ready). */
  missing: string[];
}

const DAY_MS = 86_400_000;

/** The one readiness rule (see the header): pure, `now` a parameter. */
export function readinessOf(r: ReadinessInput, now: number): Readiness {
  const missing: string[] = [];
  for (const s of IQA_STEPS) {
    if (!r.steps.includes(s.key)) missing.push(`${s.ref} ${s.th}`);
  }
  if (r.sar === null) return { status: 'no_sar', missing: ['4.2.6 ส่งรายงานผลการประเมินตนเอง (SAR)', ...missing] };
  if (now - r.sar.submittedMs > READINESS_RULE.sarMaxAgeDays * DAY_MS) {
    missing.push('4.2.6 รายงาน SAR ล่าสุดเก่ากว่าหนึ่งปีการศึกษา');
  }
  const levels = Object.entries(r.sar.levels).sort(([a], [b]) => Number(a) - Number(b));
  if (levels.length === 0) missing.push('SAR ยังไม่มีระดับคุณภาพรายมาตรฐาน');
  for (const [n, level] of levels) {
    if (level === null || level < READINESS_RULE.minLevel) {
      missing.push(`มาตรฐานที่ ${n} ระดับ ${level ?? '–'} (ต้องไม่ต่ำกว่า ${READINESS_RULE.minLevel} ดี)`);
    }
  }
  return { status: missing.length === 0 ? 'ready' : 'not_ready', missing };
}

/** Scheduled in the academic year (B.E.) that holds `today` (both YYYY-MM-DD). */
export const dueThisYear = (scheduledOn: string | null, today: string): boolean =>
  scheduledOn !== null && academicYearOf(scheduledOn) === academicYearOf(today);

/** A SAR's answers as levels per standard number: s1_level → 1. */
export function sarLevels(answers: Record<string, unknown> | null): Record<number, number | null> {
  const out: Record<number, number | null> = {};
  for (const [k, v] of Object.entries(answers ?? {})) {
    const m = /^s(\d+)_level$/.exec(k);
    if (m === null) continue;
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d$/.test(v.trim()) ? Number(v) : null;
    out[Number(m[1])] = n;
  }
  return out;
}
