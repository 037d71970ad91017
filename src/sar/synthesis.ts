// The office-level synthesis of the schools' SARs (seed 000 §5.2.4–5.2.5): per standard, how many schools reached
// each level, who is below the target it set itself, and every school's strengths and points to improve.
// Pure: rows from sar.queries.ts in, plain data out; the export sheets and the directors' card are both built
// from this one shape, so the spreadsheet and the chat never disagree.
import type { Definition } from '../checklists/definition.js';
import type { RatingLevel } from '../i18n/answers.th.js';
import { SAR_STANDARD, sarKey } from './keys.js';

/** Best first, as the standards list them (5 ยอดเยี่ยม … 1 กำลังพัฒนา). */
export const LEVELS_DESC: readonly RatingLevel[] = [5, 4, 3, 2, 1];

export interface SarStandard {
  /** "s1", "s2", … */
  key: string;
  /** "มาตรฐานที่ 1 คุณภาพของผู้เรียน" (the standard's heading note in the checklist). */
  label: string;
}

/** One school of the campaign (in its audience, or with a response) and what its SAR says. */
export interface SarSchoolRow {
  schoolId: string;
  code: string;
  name: string;
  cluster: string | null;
  /** In the campaign's audience now (a school that submitted and later left it still counts as submitted). */
  inAudience: boolean;
  status: 'submitted' | 'in_progress' | null;
  /** The SAR's answers by item key (levels, targets, texts); empty when nothing was submitted. */
  answers: Record<string, unknown>;
}

export interface SchoolRef {
  code: string;
  name: string;
  cluster: string | null;
}

export interface BelowTargetSchool extends SchoolRef {
  level: RatingLevel;
  target: RatingLevel;
}

export interface SchoolText extends SchoolRef {
  text: string;
}

export interface StandardSynthesis extends SarStandard {
  /** Schools per level, keyed by level. */
  levels: Record<RatingLevel, number>;
  /** Schools of the campaign without a submitted level for this standard (not submitted, or left blank). */
  noAnswer: number;
  /** Level below the school's own target; the widest gap first, then by school code. */
  belowTarget: BelowTargetSchool[];
  strengths: SchoolText[];
  improvements: SchoolText[];
}

export interface SarSynthesis {
  /** Schools in the campaign's audience. */
  expected: number;
  /** Schools with a submitted SAR (in the audience or not). */
  submitted: number;
  standards: StandardSynthesis[];
}

/**
 * The standards of a SAR checklist: a heading note `sN` with a calculated `sN_level` beside it. Both built-in
 * SARs have three (basic and early childhood name them differently); an office's own version may have more.
 */
export function sarStandards(def: Definition): SarStandard[] {
  const keys = new Set(def.items.map((i) => i.key));
  const out: SarStandard[] = [];
  for (const it of def.items) {
    if (it.type !== 'note' || !SAR_STANDARD.test(it.key) || !keys.has(sarKey.level(it.key))) continue;
    out.push({ key: it.key, label: it.label.th });
  }
  return out;
}

/** A stored level or target: an integer 1–5 (calculations store numbers; older rows may hold "4"). */
export function levelOf(v: unknown): RatingLevel | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d\s*$/.test(v) ? Number(v) : NaN;
  return n === 1 || n === 2 || n === 3 || n === 4 || n === 5 ? n : null;
}

const textOf = (v: unknown): string | null => {
  const s = Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : typeof v === 'string' ? v : '';
  const t = s.trim();
  return t === '' ? null : t;
};

const byCode = (a: SchoolRef, b: SchoolRef) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);

export function synthesize(standards: SarStandard[], rows: SarSchoolRow[]): SarSynthesis {
  const schools = [...rows].sort(byCode);
  const submitted = schools.filter((r) => r.status === 'submitted');
  return {
    expected: schools.filter((r) => r.inAudience).length,
    submitted: submitted.length,
    standards: standards.map((std) => {
      const levels: Record<RatingLevel, number> = { 5: 0, 4: 0, 3: 0, 2: 0, 1: 0 };
      const belowTarget: BelowTargetSchool[] = [];
      const strengths: SchoolText[] = [];
      const improvements: SchoolText[] = [];
      let answered = 0;
      for (const r of submitted) {
        const ref: SchoolRef = { code: r.code, name: r.name, cluster: r.cluster };
        const level = levelOf(r.answers[sarKey.level(std.key)]);
        const target = levelOf(r.answers[sarKey.target(std.key)]);
        if (level !== null) {
          levels[level] += 1;
          answered += 1;
          // Reaching the target exactly is meeting it: only a strictly lower level is listed.
          if (target !== null && level < target) belowTarget.push({ ...ref, level, target });
        }
        const s = textOf(r.answers[`${std.key}_strengths`]);
        if (s !== null) strengths.push({ ...ref, text: s });
        const i = textOf(r.answers[`${std.key}_improve`]);
        if (i !== null) improvements.push({ ...ref, text: i });
      }
      belowTarget.sort((a, b) => b.target - b.level - (a.target - a.level) || byCode(a, b));
      return { ...std, levels, noAnswer: schools.length - answered, belowTarget, strengths, improvements };
    }),
  };
}
