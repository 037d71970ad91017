// The annual supervision plan (แผนนิเทศ) through the admin API: the body's schema and the import, which resolves
// supervisors (by id or external id) and schools (by code), names the row and field of every problem (nothing is
// written then), and upserts the rest by their natural key (supervisor, school, start).
import * as z from 'zod';
import { audit } from '../audit/audit.queries.js';
import type { Db } from '../db/client.js';
import { AppError, type FieldIssue } from '../errors.js';
import {
  importPlannedVisits,
  type PlanImportCounts,
  type PlannedVisitInput,
  resolvePlanRows,
} from './visits.queries.js';
import { officeTimeZone } from '../time/zone.queries.js';
import { PURPOSE_MAX } from './prompts.js';
import { parsePlanTime } from './when.js';

export const planBody = z.object({
  visits: z
    .array(
      z
        .object({
          supervisorId: z.uuid().optional(),
          supervisorExternalId: z.string().trim().min(1).max(100).optional(),
          schoolCode: z.string().trim().min(1).max(20),
          startsAt: z.string().trim().min(1).max(40),
          purpose: z.string().trim().max(PURPOSE_MAX).optional(),
        })
        .refine((r) => (r.supervisorId === undefined) !== (r.supervisorExternalId === undefined), {
          message: 'give supervisorId or supervisorExternalId (one of them)',
          path: ['supervisorId'],
        }),
    )
    .min(1)
    .max(5000),
});
export type PlanBody = z.infer<typeof planBody>;

/** Why a plan row was refused: lets an importer word the message for its own readers (the CSV/XLSX import). */
type PlanIssueReason = 'supervisor' | 'school' | 'not_assigned' | 'time' | 'duplicate';
export interface PlanIssue extends FieldIssue {
  row: number;
  reason: PlanIssueReason;
  /** For 'duplicate': the index of the first row with the same supervisor, school and start. */
  duplicateOf?: number;
}

/** Resolves and checks every row (one query); nothing is written. Rows are returned ready for the upsert. */
export async function checkPlan(
  db: Db,
  officeId: string,
  visits: PlanBody['visits'],
): Promise<{ issues: PlanIssue[]; rows: PlannedVisitInput[] }> {
  const tz = await officeTimeZone(db, officeId);
  const resolved = await resolvePlanRows(db, officeId, visits);
  const issues: PlanIssue[] = [];
  const seen = new Map<string, number>();
  const rows = visits.map((v, row) => {
    const r = resolved[row];
    const supervisorField = v.supervisorId === undefined ? 'supervisorExternalId' : 'supervisorId';
    if (r?.supervisor_id == null) {
      issues.push({
        row,
        field: supervisorField,
        reason: 'supervisor',
        message: 'no supervisor with that id in this office',
      });
    }
    if (r?.school_id == null) {
      issues.push({
        row,
        field: 'schoolCode',
        reason: 'school',
        message: `no school with code ${v.schoolCode} in this office`,
      });
    }
    if (r?.supervisor_id != null && r.school_id != null && !r.assigned) {
      issues.push({
        row,
        field: 'schoolCode',
        reason: 'not_assigned',
        message: 'this school is not assigned to that supervisor',
      });
    }
    const startsAt = parsePlanTime(v.startsAt, tz);
    if (startsAt === null) {
      issues.push({
        row,
        field: 'startsAt',
        reason: 'time',
        message: "unreadable time: use ISO with an offset or 'YYYY-MM-DD HH:mm' (office time)",
      });
    } else if (r?.supervisor_id != null && r.school_id != null) {
      const key = `${r.supervisor_id}|${r.school_id}|${startsAt}`;
      const first = seen.get(key);
      if (first !== undefined) {
        issues.push({
          row,
          field: 'startsAt',
          reason: 'duplicate',
          duplicateOf: first,
          message: `duplicate of visits row ${first}`,
        });
      } else seen.set(key, row);
    }
    return {
      supervisorId: r?.supervisor_id ?? '',
      schoolId: r?.school_id ?? '',
      startsAt: new Date(startsAt ?? 0).toISOString(),
      purposeTh: v.purpose ?? null,
    };
  });
  return { issues, rows };
}

export async function importPlan(db: Db, officeId: string, body: PlanBody, now: number): Promise<PlanImportCounts> {
  const { issues, rows } = await checkPlan(db, officeId, body.visits);
  if (issues.length > 0) {
    throw new AppError(
      'invalid_request',
      'The plan has invalid rows',
      issues.map(({ row, field, message }) => ({ row, field, message })),
    );
  }
  // Every row was checked above; a row rejected here (its assignment removed in between) is reported by index.
  return importPlannedVisits(db, officeId, rows, new Date(now).toISOString());
}

/** The plan import with its audit row in one transaction: the admin API's and the plan page's one write. */
export async function importPlanAction(
  db: Db,
  officeId: string,
  body: PlanBody,
  now: number,
  actor: string,
): Promise<PlanImportCounts> {
  return db.transaction(async (tx) => {
    const counts = await importPlan(tx, officeId, body, now);
    await audit(tx, {
      actor,
      officeId,
      action: 'visits.plan_import',
      detail: { rows: body.visits.length, ...counts },
    });
    return counts;
  });
}
