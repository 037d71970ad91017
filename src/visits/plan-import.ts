// The annual supervision plan (แผนนิเทศ) through the admin API: the body's schema and the import, which resolves
// supervisors (by id or external id) and schools (by code), names the row and field of every problem (nothing is
// written then), and upserts the rest by their natural key (supervisor, school, start).
import { z } from 'zod';
import type { Db } from '../db/client.js';
import { AppError, type FieldIssue } from '../errors.js';
import { importPlannedVisits, officeTimeZone, type PlanImportCounts, resolvePlanRows } from './visits.queries.js';
import { PURPOSE_MAX } from './chat.js';
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

export async function importPlan(db: Db, officeId: string, body: PlanBody, now: number): Promise<PlanImportCounts> {
  const tz = await officeTimeZone(db, officeId);
  const resolved = await resolvePlanRows(db, officeId, body.visits);
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  const rows = body.visits.map((v, row) => {
    const r = resolved[row];
    const supervisorField = v.supervisorId === undefined ? 'supervisorExternalId' : 'supervisorId';
    if (r?.supervisor_id == null) {
      issues.push({ row, field: supervisorField, message: 'no supervisor with that id in this office' });
    }
    if (r?.school_id == null) {
      issues.push({ row, field: 'schoolCode', message: `no school with code ${v.schoolCode} in this office` });
    }
    if (r?.supervisor_id != null && r.school_id != null && !r.assigned) {
      issues.push({ row, field: 'schoolCode', message: 'this school is not assigned to that supervisor' });
    }
    const startsAt = parsePlanTime(v.startsAt, tz);
    if (startsAt === null) {
      issues.push({
        row,
        field: 'startsAt',
        message: "unreadable time: use ISO with an offset or 'YYYY-MM-DD HH:mm' (office time)",
      });
    } else if (r?.supervisor_id != null && r.school_id != null) {
      const key = `${r.supervisor_id}|${r.school_id}|${startsAt}`;
      const first = seen.get(key);
      if (first !== undefined) issues.push({ row, field: 'startsAt', message: `duplicate of visits row ${first}` });
      else seen.set(key, row);
    }
    return {
      supervisorId: r?.supervisor_id ?? '',
      schoolId: r?.school_id ?? '',
      startsAt: new Date(startsAt ?? 0).toISOString(),
      purposeTh: v.purpose ?? null,
    };
  });
  if (issues.length > 0) throw new AppError('invalid_request', 'The plan has invalid rows', issues);
  // Every row was checked above; a row rejected here (its assignment removed in between) is reported by index.
  return importPlannedVisits(db, officeId, rows, new Date(now).toISOString());
}
