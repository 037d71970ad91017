// A director's digest cut (people.digest_cut) as everything the director is sent applies it: the weekly digest, its
// "ดูรายชื่อ", the SAR card that rides with it and the typed "สรุป SAR". One rule picks the schools, the campaigns'
// schoolInCut (read once per distinct cut, never per director), and one Thai label names it in each heading.
import type { SchoolCut } from '../checklists/audience.queries.js';
import { isEmptyCut } from '../checklists/audience.queries.js';
import type { Db } from '../db/client.js';
import { cutLabel } from '../org/cut.js';
import { directorCut, schoolsInCut } from './digests.queries.js';

/** A cut as the builders use it: its label and the ids of the office's schools in it. */
export interface CutView {
  label: string;
  schools: ReadonlySet<string>;
}

const keyOf = (cut: SchoolCut) => JSON.stringify(cut);

/**
 * The distinct non-empty cuts among `cuts` (a director's digest_cut, null for none), one query each; `of` finds a
 * director's view, null for the whole office.
 */
export async function cutViews(
  db: Db,
  officeId: string,
  cuts: readonly (SchoolCut | null)[],
): Promise<{ of: (cut: SchoolCut | null) => CutView | null }> {
  const views = new Map<string, CutView>();
  // One after another: this runs inside the office's planning transaction, on one connection.
  for (const cut of cuts) {
    if (cut === null || isEmptyCut(cut) || views.has(keyOf(cut))) continue;
    views.set(keyOf(cut), { label: cutLabel(cut), schools: new Set(await schoolsInCut(db, officeId, cut)) });
  }
  return { of: (cut) => (cut === null ? null : (views.get(keyOf(cut)) ?? null)) };
}

/** The asker's own cut when they ask in chat: null for anyone but a director with a non-empty cut. */
export async function directorCutView(db: Db, person: { id: string; officeId: string }): Promise<CutView | null> {
  const cut = await directorCut(db, person.id);
  if (cut === null) return null;
  return (await cutViews(db, person.officeId, [cut])).of(cut);
}
