// The external quality assessment's actions, shared by the admin API (src/eqa/eqa.routes.ts) and the web pages
// (src/web/pages/eqa.tsx): the overview of the office's schools with each one's readiness (the one rule in
// readiness.ts) and whether it is due this year; a school's IQA steps, scheduled date and note; and its results
// typed in. Each write and its audit row are one transaction; a refused one writes nothing and names the field.
import * as z from 'zod';
import { isoDate } from '../admin/validate.js';
import { schoolView } from '../admin/org.queries.js';
import { schoolFilter, type Scope } from '../admin/scope.js';
import { audit } from '../audit/audit.queries.js';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import { localDate } from '../time/thai.js';
import { eqaOverview, saveEqaResults, saveEqaSchool } from './eqa.queries.js';
import { MAX_STANDARD } from '../imports/eqa.js';
import { dueThisYear, iqaStepKeys, readinessOf, sarLevels, type Readiness } from './readiness.js';
import { sql } from 'drizzle-orm';

export const eqaSchoolBody = z.strictObject({
  iqaSteps: z.array(z.enum(iqaStepKeys)).max(iqaStepKeys.length),
  scheduledOn: isoDate.nullable(),
  noteTh: z.string().trim().max(1000).nullable(),
});
export type EqaSchoolBody = z.infer<typeof eqaSchoolBody>;

export const eqaResultsBody = z.strictObject({
  assessedOn: isoDate,
  levels: z
    .array(
      z.strictObject({ standard: z.number().int().min(1).max(MAX_STANDARD), level: z.number().int().min(1).max(5) }),
    )
    .min(1)
    .max(MAX_STANDARD),
});
export type EqaResultsBody = z.infer<typeof eqaResultsBody>;

export interface EqaSchool {
  id: string;
  code: string;
  name: string;
  cluster: string | null;
  readiness: Readiness;
  scheduledOn: string | null;
  dueThisYear: boolean;
  /** Ready, not yet scheduled and never assessed: a school to propose to สมศ. */
  toPropose: boolean;
  lastAssessedOn: string | null;
}

/** Every school in the scope with its readiness, schedule and last assessment, by code. */
export async function eqaSchools(
  db: Db,
  officeId: string,
  scope: Scope,
  now: number,
  tz: string,
): Promise<EqaSchool[]> {
  const today = localDate(now, tz);
  const rows = await eqaOverview(db, officeId, schoolFilter(scope, sql`s.id`));
  return rows.map((r) => {
    const readiness = readinessOf(
      {
        sar: r.sar_ms === null ? null : { submittedMs: r.sar_ms, levels: sarLevels(r.sar_answers) },
        steps: r.iqa_steps ?? [],
      },
      now,
    );
    return {
      id: r.id,
      code: r.code,
      name: r.name_th,
      cluster: r.cluster,
      readiness,
      scheduledOn: r.scheduled_on,
      dueThisYear: dueThisYear(r.scheduled_on, today),
      toPropose: readiness.status === 'ready' && r.scheduled_on === null && r.assessed_on === null,
      lastAssessedOn: r.assessed_on,
    };
  });
}

async function schoolOfOffice(db: Db, officeId: string, schoolId: string) {
  const s = await schoolView(db, officeId, schoolId);
  if (s === undefined) throw new AppError('not_found', 'No such school in this office');
  return s;
}

/** Sets a school's IQA steps, scheduled date and note. */
export async function updateEqaSchool(
  db: Db,
  officeId: string,
  schoolId: string,
  body: EqaSchoolBody,
  ctx: { actor: string },
): Promise<void> {
  const s = await schoolOfOffice(db, officeId, schoolId);
  await db.transaction(async (tx) => {
    await saveEqaSchool(tx, officeId, schoolId, {
      iqaSteps: [...new Set(body.iqaSteps)],
      scheduledOn: body.scheduledOn,
      noteTh: body.noteTh === '' ? null : body.noteTh,
    });
    await audit(tx, {
      actor: ctx.actor,
      officeId,
      action: 'eqa.update',
      targetType: 'school',
      targetId: schoolId,
      detail: { code: s.code, steps: body.iqaSteps.length, scheduledOn: body.scheduledOn },
    });
  });
}

/** Records สมศ.'s levels per standard for one assessment of a school (a standard given again replaces its level). */
export async function recordEqaResults(
  db: Db,
  officeId: string,
  schoolId: string,
  body: EqaResultsBody,
  ctx: { actor: string },
): Promise<{ created: number; updated: number }> {
  const standards = body.levels.map((l) => l.standard);
  const twice = standards.findIndex((n, i) => standards.indexOf(n) !== i);
  if (twice >= 0) {
    throw new AppError('invalid_request', 'A standard is given twice', [
      { field: `levels.${twice}.standard`, message: `standard ${standards[twice]} is given twice` },
    ]);
  }
  const s = await schoolOfOffice(db, officeId, schoolId);
  return db.transaction(async (tx) => {
    const n = await saveEqaResults(
      tx,
      officeId,
      body.levels.map((l) => ({ schoolId, assessedOn: body.assessedOn, standard: l.standard, level: l.level })),
      ctx.actor,
    );
    await audit(tx, {
      actor: ctx.actor,
      officeId,
      action: 'eqa.results',
      targetType: 'school',
      targetId: schoolId,
      detail: { code: s.code, assessedOn: body.assessedOn, standards: standards.length },
    });
    return n;
  });
}
