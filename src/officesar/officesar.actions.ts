// The office SAR's changes (seed 003), shared by the admin API (officesar.routes.ts) and the web pages
// (src/web/pages/office-groups.tsx, office-standard.tsx, office-sar.tsx): one schema each, the checks that need the
// database, one transaction with its audit row. A refused change throws AppError with its field issues, which the
// API answers as 400 and a page shows beside the fields.
import * as z from 'zod';
import { audit } from '../audit/audit.queries.js';
import { isoDate } from '../admin/validate.js';
import type { ActionCtx } from '../committee/committee.actions.js';
import { AppError, type FieldIssue } from '../errors.js';
import { completeTask, createTasks, listTasks, type TaskInput } from '../tasks/tasks.queries.js';
import { officeTimeZone } from '../time/zone.queries.js';
import {
  createGroup,
  groupMembers,
  insertSar,
  latestStandard,
  listGroups,
  recordIndicator,
  recordResults,
  saveStandard,
  sarWithBaseline,
  setGroupMember,
  upsertGroups,
} from './officesar.queries.js';
import { builtinStandard, sarSteps, STEP6_DEFAULT_DAYS, type Indicator, type OfficeStandard } from './standard.js';

export const groupCode = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a short code: a-z, 0-9, _ or -');
const nameTh = z.string().trim().min(1).max(200);

export const groupsBody = z.strictObject({
  groups: z
    .array(z.strictObject({ code: groupCode, nameTh, memberIds: z.array(z.uuid()).max(200) }))
    .min(1)
    .max(50),
});
export const groupBody = z.strictObject({ code: groupCode, nameTh });

export const indicatorSchema = z.strictObject({
  code: z.string().trim().min(1).max(20),
  standard: z.number().int().min(0).max(20),
  titleTh: z.string().trim().min(1).max(500).nullable(),
  leadGroup: groupCode.nullable(),
  coGroups: z.array(groupCode).max(20),
  targetTh: z.string().trim().max(500).nullable(),
  targetLevel: z.number().int().min(1).max(5).nullable(),
  outputsTh: z.string().trim().max(2000).nullable(),
  unspecified: z.array(z.string().max(500)).max(10),
});
export const standardBody = z.strictObject({
  standards: z
    .array(z.strictObject({ no: z.number().int().min(1).max(20), titleTh: z.string().trim().min(1).max(500) }))
    .min(1)
    .max(20),
  indicators: z.array(indicatorSchema).min(1).max(100),
});

export const sarBody = z.strictObject({ year: z.number().int().min(2500).max(2700), startsOn: isoDate });
export const resultSchema = z.strictObject({
  level: z.number().int().min(1).max(5),
  resultTh: z.string().trim().max(5000),
});
export const resultsBody = z.strictObject({
  results: z
    .array(resultSchema.extend({ code: z.string().trim().min(1).max(20) }))
    .min(1)
    .max(100),
});

const invalid = (issues: FieldIssue[]) => new AppError('invalid_request', 'The request has invalid fields', issues);

const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export interface Milestone {
  no: number;
  titleTh: string;
  startsOn: string;
  dueOn: string;
}

/** The seed's steps as dated milestones from the start: each step ends its duration after the previous one. */
export function stepCalendar(startsOn: string): Milestone[] {
  let at = startsOn;
  return sarSteps.map((s) => {
    const days = s.days ?? (s.no === 6 ? STEP6_DEFAULT_DAYS : 30);
    const step = { no: s.no, titleTh: s.titleTh, startsOn: at, dueOn: addDays(at, days - 1) };
    at = addDays(at, days);
    return step;
  });
}

/** The follow-up titles of a year's SAR: one per step (the main host's), one per indicator (its lead group's). */
export const stepTaskTitle = (year: number, s: { no: number; titleTh: string }) =>
  `SAR สำนักงานเขต ปี ${year} ขั้นที่ ${s.no}: ${s.titleTh}`;
export const indicatorTaskTitle = (year: number, i: Pick<Indicator, 'code' | 'titleTh'>) =>
  `SAR สำนักงานเขต ปี ${year}: รายงานผลตัวบ่งชี้ ${i.code}${i.titleTh === null ? '' : ` ${i.titleTh}`}`;

export async function saveGroups(x: ActionCtx, body: z.infer<typeof groupsBody>): Promise<number> {
  return x.db.transaction(async (tx) => {
    const n = await upsertGroups(tx, x.officeId, body.groups);
    await audit(tx, { actor: x.actor, officeId: x.officeId, action: 'office_groups.upsert', detail: { count: n } });
    return n;
  });
}

export async function addGroup(x: ActionCtx, body: z.infer<typeof groupBody>): Promise<void> {
  await x.db.transaction(async (tx) => {
    if (!(await createGroup(tx, x.officeId, body))) {
      throw invalid([{ field: 'code', message: `มีกลุ่มรหัส ${body.code} แล้ว / a group with this code exists` }]);
    }
    await audit(tx, {
      actor: x.actor,
      officeId: x.officeId,
      action: 'office_groups.create',
      detail: { code: body.code },
    });
  });
}

/** Puts a person in a group or takes them out (audited when something changed). */
export async function setMember(x: ActionCtx, code: string, personId: string, member: boolean): Promise<void> {
  await x.db.transaction(async (tx) => {
    const done = await setGroupMember(tx, x.officeId, code, personId, member);
    if (done === undefined) {
      throw member
        ? invalid([{ field: 'personId', message: 'ไม่พบบุคลากรนี้ของสำนักงาน / no such staff member' }])
        : new AppError('not_found', 'No such group');
    }
    if (done === 'changed') {
      await audit(tx, {
        actor: x.actor,
        officeId: x.officeId,
        action: member ? 'office_groups.member.add' : 'office_groups.member.remove',
        targetType: 'person',
        targetId: personId,
        detail: { group: code },
      });
    }
  });
}

/** The office's latest version, or the built-in one from seed 003 (version 0). */
export async function currentStandard(
  x: Pick<ActionCtx, 'db' | 'officeId'>,
): Promise<{ version: number; builtIn: boolean; definition: OfficeStandard }> {
  const latest = await latestStandard(x.db, x.officeId);
  return latest === undefined
    ? { version: 0, builtIn: true, definition: builtinStandard }
    : { version: latest.version, builtIn: false, definition: latest.definition };
}

/** Saves a new version of the whole definition after checking codes, standards and groups against the office. */
export async function saveOfficeStandard(
  x: ActionCtx,
  body: z.infer<typeof standardBody>,
  /** Check only this row's groups and standard (the web changes one indicator; the others are as saved). */
  onlyRow?: number,
): Promise<{ id: string; version: number }> {
  const groups = new Set((await listGroups(x.db, x.officeId)).map((g) => g.code));
  const numbers = new Set(body.standards.map((s) => s.no));
  const seen = new Set<string>();
  const checked = onlyRow === undefined ? body.indicators : body.indicators.filter((_, n) => n === onlyRow);
  const issues: FieldIssue[] = checked.flatMap((i, n) => {
    const row = onlyRow ?? n;
    return [
      ...(seen.has(i.code)
        ? [{ row, field: 'code', message: `ตัวบ่งชี้ ${i.code} ซ้ำ / duplicate indicator` }]
        : (seen.add(i.code), [])),
      ...(i.standard !== 0 && !numbers.has(i.standard)
        ? [{ row, field: 'standard', message: `ไม่มีมาตรฐานที่ ${i.standard} / no such standard` }]
        : []),
      ...(i.leadGroup === null || groups.has(i.leadGroup)
        ? []
        : [{ row, field: 'leadGroup', message: `ไม่มีกลุ่ม ${i.leadGroup} ในสำนักงาน / no such group` }]),
      ...i.coGroups.flatMap((g) =>
        groups.has(g) ? [] : [{ row, field: 'coGroups', message: `ไม่มีกลุ่ม ${g} ในสำนักงาน / no such group` }],
      ),
    ];
  });
  if (issues.length > 0) throw invalid(issues);
  return x.db.transaction(async (tx) => {
    const saved = await saveStandard(tx, x.officeId, body);
    await audit(tx, {
      actor: x.actor,
      officeId: x.officeId,
      action: 'office_standard.save',
      detail: { version: saved.version },
    });
    return saved;
  });
}

/**
 * One indicator changed on the web: a new version of the whole definition. What the seed left unsaid stays marked
 * until the office has named the indicator, put it under a standard and set its target level.
 */
export async function saveIndicator(
  x: ActionCtx,
  code: string,
  fields: Omit<Indicator, 'code' | 'unspecified'>,
): Promise<{ id: string; version: number }> {
  const { definition } = await currentStandard(x);
  const at = definition.indicators.findIndex((i) => i.code === code);
  const old = definition.indicators[at];
  if (old === undefined) throw new AppError('not_found', 'No such indicator');
  const filled = fields.titleTh !== null && fields.standard !== 0 && fields.targetLevel !== null;
  const next: Indicator = { code, ...fields, unspecified: filled ? [] : old.unspecified };
  const parsed = standardBody.safeParse({
    standards: definition.standards,
    indicators: definition.indicators.map((i, n) => (n === at ? next : i)),
  });
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((i) => ({ field: String(i.path.at(-1) ?? 'code'), message: i.message })));
  }
  try {
    return await saveOfficeStandard(x, parsed.data, at);
  } catch (e) {
    // The issues name the row of the whole definition; the page has one indicator, so only the field matters.
    if (e instanceof AppError && e.code === 'invalid_request') {
      throw invalid(e.issues.filter((i) => i.row === at).map(({ field, message }) => ({ field, message })));
    }
    throw e;
  }
}

/**
 * A year's SAR: the step calendar as dated follow-ups of the main host (กลุ่มอำนวยการ), and each indicator's report
 * a follow-up of its lead group's people, due when the SAR is written (the end of step 7).
 */
export async function createOfficeSar(
  x: ActionCtx,
  body: z.infer<typeof sarBody>,
): Promise<{ id: string; calendar: Milestone[]; tasks: number }> {
  const latest = await latestStandard(x.db, x.officeId);
  const standard = latest ?? { id: '', version: 0, definition: builtinStandard };
  const members = await groupMembers(x.db, x.officeId);
  const host = members.get('admin')?.[0] ?? null;
  const calendar = stepCalendar(body.startsOn);
  const writeBy = calendar.find((s) => s.no === 7)?.dueOn ?? body.startsOn;
  const tz = await officeTimeZone(x.db, x.officeId);
  const id = crypto.randomUUID();
  const tasks = await x.db.transaction(async (tx) => {
    const std = standard.id === '' ? await saveStandard(tx, x.officeId, builtinStandard) : standard;
    if (!(await insertSar(tx, x.officeId, { id, year: body.year, standardId: std.id, startsOn: body.startsOn }))) {
      throw new AppError('conflict', 'The office already has a SAR for this year', [
        { field: 'year', message: `มี SAR ของปี ${body.year} แล้ว / a SAR for this year exists` },
      ]);
    }
    const tasks: TaskInput[] = [
      ...calendar.map((s) => ({
        source: 'office_sar' as const,
        sourceId: id,
        titleTh: stepTaskTitle(body.year, s),
        ownerId: host,
        dueOn: s.dueOn,
      })),
      ...standard.definition.indicators.flatMap((i) =>
        (members.get(i.leadGroup ?? '') ?? []).map((ownerId) => ({
          source: 'office_sar' as const,
          sourceId: id,
          titleTh: indicatorTaskTitle(body.year, i),
          ownerId,
          dueOn: writeBy,
        })),
      ),
    ];
    const ids = await createTasks(tx, x.officeId, tasks, x.now(), tz);
    await audit(tx, {
      actor: x.actor,
      officeId: x.officeId,
      action: 'office_sar.create',
      targetType: 'office_sar',
      targetId: id,
      detail: { tasks: ids.length },
    });
    return ids.length;
  });
  return { id, calendar, tasks };
}

/** Closes the follow-ups of indicators that now have a level (their reminders not yet bundled are withdrawn). */
async function closeIndicatorTasks(x: ActionCtx, sarId: string, year: number, indicators: Indicator[]) {
  const titles = new Set(indicators.map((i) => indicatorTaskTitle(year, i)));
  const open = (await listTasks(x.db, x.officeId, { sourceId: sarId, openOnly: true })).filter((t) =>
    titles.has(t.titleTh),
  );
  for (const t of open) await completeTask(x.db, x.officeId, t.id, { noteTh: null, now: x.now() });
}

/**
 * Results of indicators: from the API (an admin, any indicators at once), or one from the web. `memberId` is a
 * supervisor entering it: the statement writes only when they are in the indicator's lead group (a 403 otherwise);
 * null for an admin. The indicators' follow-ups are closed with it.
 */
export async function recordOfficeResults(
  x: ActionCtx,
  sarId: string,
  body: z.infer<typeof resultsBody>,
  memberId: string | null = null,
): Promise<void> {
  const sar = await sarWithBaseline(x.db, x.officeId, sarId);
  if (sar === undefined) throw new AppError('not_found', 'No such office SAR');
  const codes = new Set(sar.definition.indicators.map((i) => i.code));
  const issues: FieldIssue[] = body.results.flatMap((r, row) =>
    codes.has(r.code) ? [] : [{ row, field: 'code', message: `ไม่มีตัวบ่งชี้ ${r.code} / no such indicator` }],
  );
  if (issues.length > 0) throw invalid(issues);
  const given = new Set(body.results.map((r) => r.code));
  const result = (r: { level: number; resultTh: string }) => ({ level: r.level, resultTh: r.resultTh });
  await x.db.transaction(async (tx) => {
    if (memberId === null) {
      await recordResults(tx, x.officeId, sarId, Object.fromEntries(body.results.map((r) => [r.code, result(r)])));
    } else {
      for (const r of body.results) {
        if (!(await recordIndicator(tx, x.officeId, sarId, r.code, result(r), memberId))) {
          throw new AppError('forbidden', 'Only the lead group enters this indicator');
        }
      }
    }
    await closeIndicatorTasks(
      { ...x, db: tx },
      sarId,
      sar.year,
      sar.definition.indicators.filter((i) => given.has(i.code)),
    );
    await audit(tx, {
      actor: x.actor,
      officeId: x.officeId,
      action: 'office_sar.results',
      targetType: 'office_sar',
      targetId: sarId,
      detail: { count: body.results.length, codes: [...given] },
    });
  });
}
