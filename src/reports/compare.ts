// Self-rating beside supervisor rating: for each recorded visit, each indicator of its visit form, the school's own
// level for the same indicator key, the supervisor's, the gap (supervisor − self) and whether each is achieved by
// the indicator's rule (a level at or above the target; src/checklists/definition.ts).
import { achieved, type FormDefinition, type Outcome, outcomesOf, targetOf } from '../checklists/definition.js';
import type { VisitFactRow } from './facts.queries.js';

export interface RatingPair {
  visitId: string;
  schoolId: string;
  key: string;
  label: string;
  achieve: Outcome['achieve'];
  /** The label of the standard this indicator is under, if any. */
  under: string | null;
  supervisor: number | null;
  self: number | null;
  /** supervisor − self; null unless both rated. */
  gap: number | null;
  target: number | null;
  achieved: boolean | null;
  selfAchieved: boolean | null;
}

const level = (v: unknown) => (typeof v === 'number' && v >= 1 && v <= 5 ? v : null);

/** One row per visit per outcome of its form (in the form's order), for visits recorded with a form that has rules. */
export function ratingPairs(facts: VisitFactRow[], defs: Map<string, FormDefinition>): RatingPair[] {
  const outcomes = new Map<string, Outcome[]>();
  const out: RatingPair[] = [];
  for (const f of facts) {
    if (f.checklist_id === null || f.answers === null) continue;
    const def = defs.get(f.checklist_id);
    if (def === undefined) continue;
    let list = outcomes.get(f.checklist_id);
    if (list === undefined) {
      list = outcomesOf(def);
      outcomes.set(f.checklist_id, list);
    }
    const labels = new Map(list.map((o) => [o.key, o.label.th]));
    const self = f.self_answers ?? {};
    for (const o of list) {
      const sup = level(f.answers[o.key]);
      const own = level(self[o.key]);
      const target = targetOf(o, f.answers);
      out.push({
        visitId: f.visit_id,
        schoolId: f.school_id,
        key: o.key,
        label: o.label.th,
        achieve: o.achieve,
        under: o.under === null ? null : (labels.get(o.under) ?? null),
        supervisor: sup,
        self: own,
        gap: sup === null || own === null ? null : sup - own,
        target,
        achieved: achieved(sup, target),
        selfAchieved: achieved(own, targetOf(o, self)),
      });
    }
  }
  return out;
}
