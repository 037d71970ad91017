// Ranking an office's schools for honouring (issue 15 item 6; seed 001 step 5, TUMHOME step 7): each school's
// figures from the year's facts (its latest SAR's standard levels, its change since last year, the visit follow-ups
// it closed), then an ordered choice of criteria: the first decides, the next breaks its ties, and so on. Every
// school carries the reason it stands where it does, read against the school just above it. Pure: the facts come
// from set-based statements (honours.actions.ts).
import { outcomesOf, type FormDefinition } from '../checklists/definition.js';
import { msg } from '../i18n/msg.js';

export const criteria = ['sar', 'improvement', 'actions'] as const satisfies readonly Parameters<
  typeof msg.honours.criterion
>[0][];
export type Criterion = (typeof criteria)[number];

export interface SchoolFigures {
  schoolId: string;
  code: string;
  name: string;
  /** Mean level of the standards in the school's latest SAR of the year (2 decimals); null without one. */
  sar: number | null;
  /** Change of the mean level since last academic year, and what it was measured on. */
  improvement: number | null;
  improvementFrom: 'sar' | 'self' | null;
  actionsDone: number;
  actionsTotal: number;
}

export interface RankedSchool extends SchoolFigures {
  rank: number;
  why: string;
}

interface Answered {
  school_id: string;
  checklist_id: string;
  answers: Record<string, unknown> | null;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Mean of the levels of a response's outcomes (only standards, for a SAR); null when none is answered. */
function meanLevel(r: Answered | undefined, defs: Map<string, FormDefinition>, only?: 'standard'): number | null {
  const def = r === undefined ? undefined : defs.get(r.checklist_id);
  if (r === undefined || def === undefined) return null;
  const levels = outcomesOf(def)
    .filter((o) => only === undefined || o.achieve === only)
    .map((o) => r.answers?.[o.key])
    .filter((v): v is number => typeof v === 'number');
  return levels.length === 0 ? null : round2(levels.reduce((a, b) => a + b, 0) / levels.length);
}

/** Each school's figures from the facts (one row per school and source, from set-based statements). */
export function figuresOf(
  schools: { id: string; code: string; name: string }[],
  facts: {
    sar: Answered[];
    sarLastYear: Answered[];
    self: Answered[];
    selfLastYear: Answered[];
    actions: { school_id: string; status: 'open' | 'done' }[];
  },
  defs: Map<string, FormDefinition>,
): SchoolFigures[] {
  const bySchool = (rows: Answered[]) => new Map(rows.map((r) => [r.school_id, r]));
  const [sar, sarLast, self, selfLast] = [facts.sar, facts.sarLastYear, facts.self, facts.selfLastYear].map(bySchool);
  const done = new Map<string, number>();
  const total = new Map<string, number>();
  for (const a of facts.actions) {
    total.set(a.school_id, (total.get(a.school_id) ?? 0) + 1);
    if (a.status === 'done') done.set(a.school_id, (done.get(a.school_id) ?? 0) + 1);
  }
  return schools.map((s) => {
    const now = meanLevel(sar?.get(s.id), defs, 'standard');
    const before = meanLevel(sarLast?.get(s.id), defs, 'standard');
    const selfNow = meanLevel(self?.get(s.id), defs);
    const selfBefore = meanLevel(selfLast?.get(s.id), defs);
    const [improvement, improvementFrom] =
      now !== null && before !== null
        ? [round2(now - before), 'sar' as const]
        : selfNow !== null && selfBefore !== null
          ? [round2(selfNow - selfBefore), 'self' as const]
          : [null, null];
    return {
      schoolId: s.id,
      code: s.code,
      name: s.name,
      sar: now,
      improvement,
      improvementFrom,
      actionsDone: done.get(s.id) ?? 0,
      actionsTotal: total.get(s.id) ?? 0,
    };
  });
}

/** The value a criterion ranks by (higher is better); null: no data, ranked after every school with data. */
export function valueOf(f: SchoolFigures, c: Criterion): number | null {
  switch (c) {
    case 'sar':
      return f.sar;
    case 'improvement':
      return f.improvement;
    case 'actions':
      return f.actionsTotal === 0 ? null : f.actionsDone;
  }
}

/** A criterion's figure as the page and the notice show it. */
export function figureText(f: SchoolFigures, c: Criterion): string {
  switch (c) {
    case 'sar':
      return f.sar === null ? msg.honours.noData : f.sar.toFixed(2);
    case 'improvement':
      return f.improvement === null
        ? msg.honours.noData
        : `${f.improvement > 0 ? '+' : ''}${f.improvement.toFixed(2)} ${f.improvementFrom === 'sar' ? msg.honours.fromSar : msg.honours.fromSelf}`;
    case 'actions':
      return f.actionsTotal === 0 ? msg.honours.noData : msg.honours.actions(f.actionsDone, f.actionsTotal);
  }
}

/** Descending by value, no data last. */
function compare(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return b - a;
}

/** Ranks by the criteria in order (then by school code); schools equal on every criterion share a rank. */
export function rankSchools(figures: SchoolFigures[], by: readonly Criterion[]): RankedSchool[] {
  const sorted = [...figures].sort((a, b) => {
    for (const c of by) {
      const d = compare(valueOf(a, c), valueOf(b, c));
      if (d !== 0) return d;
    }
    return a.code.localeCompare(b.code);
  });
  const out: RankedSchool[] = [];
  sorted.forEach((f, i) => {
    const above = sorted[i - 1];
    const prev = out[i - 1];
    if (above === undefined || prev === undefined) {
      const first = by[0];
      const v = first === undefined ? null : valueOf(f, first);
      out.push({
        ...f,
        rank: 1,
        why:
          first === undefined || v === null
            ? msg.honours.topNoData
            : msg.honours.top(msg.honours.criterion(first), figureText(f, first)),
      });
      return;
    }
    const equal: string[] = [];
    let why: string | undefined;
    for (const c of by) {
      if (compare(valueOf(f, c), valueOf(above, c)) === 0) {
        equal.push(msg.honours.criterion(c));
        continue;
      }
      why = `${equal.length === 0 ? '' : msg.honours.equal(equal)}${msg.honours.behind(above.name, msg.honours.criterion(c), figureText(f, c), figureText(above, c))}`;
      break;
    }
    out.push({ ...f, rank: why === undefined ? prev.rank : i + 1, why: why ?? msg.honours.tied(above.name) });
  });
  return out;
}
