// Work with other agencies (issue 16 item 5, seed 000 part 3), a light tracker shared by the admin API
// (agencies.routes.ts) and the web page (src/web/pages/agencies.tsx). A project goes through the manual's four steps —
// study the agency's mission and roles, propose the way of working for approval, coordinate and work together,
// follow up and report — and each stage is one follow-up of the office (src/tasks/): an owner of the office, a start
// and a due day, documents, and reminders queued in the owner's daily bundle (when assigned, the day before, on the
// day). Advancing closes the stage's follow-up (its reminders not yet sent are withdrawn) and opens the next one.
import * as z from 'zod';
import { audit } from '../audit/audit.queries.js';
import { isoDate } from '../admin/validate.js';
import type { ActionCtx } from '../committee/committee.actions.js';
import { agencyStages } from '../db/schema.js';
import { AppError, type FieldIssue } from '../errors.js';
import { findStaff } from '../officesar/officesar.queries.js';
import { completeTask, createTasks } from '../tasks/tasks.queries.js';
import { localDate } from '../time/thai.js';
import { officeTimeZone } from '../time/zone.queries.js';
import {
  addTaskDocument,
  findProject,
  insertProject,
  moveProject,
  type AgencyStage,
  type ProjectRow,
  type StageDocument,
} from './agencies.queries.js';

/** The manual's words for each step (seed 000 part 3, 5.1–5.4), and the form it names for it (7.1–7.3). */
export const stageTh: Record<AgencyStage, string> = {
  study: 'ศึกษา วิเคราะห์ภารกิจ บทบาทอำนาจหน้าที่ของหน่วยงาน เพื่อหาแนวทางปฏิบัติงาน',
  propose: 'เสนอแนวทางการปฏิบัติงานให้ผู้มีอำนาจพิจารณาอนุมัติ',
  coordinate: 'ประสาน ส่งเสริม สนับสนุน และปฏิบัติงานร่วมกับหน่วยงาน',
  report: 'ติดตาม ประเมินผล สรุปและรายงานผล เผยแพร่ผลงาน',
};
export const stageForm: Record<AgencyStage, string | null> = {
  study: null,
  propose: 'หนังสือขออนุมัติการสนับสนุนหรือทำงานร่วมกับหน่วยงาน',
  coordinate: 'คำสั่งการสนับสนุนหรือทำงานร่วมกับหน่วยงาน',
  report: 'การสรุปผลการสนับสนุนหรือทำงานร่วมกับหน่วยงาน',
};

const text = (max: number) => z.string().trim().min(1).max(max);
const stageSchema = z.strictObject({ ownerId: z.uuid(), startsOn: isoDate, dueOn: isoDate });
const link = z.strictObject({ titleTh: text(200), url: z.url().max(2000) });

export const projectBody = z.strictObject({
  titleTh: text(300),
  agencyTh: text(200),
  scope: z.enum(['inside', 'outside']),
  /** The first stage (study): who, from when, by when. */
  ownerId: z.uuid(),
  startsOn: isoDate,
  dueOn: isoDate,
  documents: z.array(link).max(20).default([]),
});

/** Advancing: a note on the stage that ends, and the next stage's owner and dates (none after the last). */
export const advanceBody = z.strictObject({
  noteTh: z.string().trim().max(2000).optional(),
  next: stageSchema.optional(),
});

export const documentBody = link;

const invalid = (issues: FieldIssue[]) => new AppError('invalid_request', 'The request has invalid fields', issues);

const taskTitle = (stage: AgencyStage, titleTh: string, agencyTh: string) =>
  `${stageTh[stage]}: ${titleTh} (${agencyTh})`;

/**
 * The checks of one stage's owner and dates: the owner one of the office's staff (whom the page's picker offers; not a
 * school's teacher nor a committee member), due neither before the start nor before today.
 */
async function stageIssues(x: ActionCtx, s: z.infer<typeof stageSchema>, prefix = ''): Promise<FieldIssue[]> {
  const known = new Set((await findStaff(x.db, x.officeId, { ids: [s.ownerId] }, 1)).map((p) => p.id));
  const today = localDate(x.now(), await officeTimeZone(x.db, x.officeId));
  return [
    ...(known.has(s.ownerId)
      ? []
      : [{ field: `${prefix}ownerId`, message: 'ไม่พบบุคลากรนี้ของสำนักงาน / no such staff member of this office' }]),
    ...(s.dueOn < s.startsOn
      ? [{ field: `${prefix}dueOn`, message: 'กำหนดเสร็จก่อนวันเริ่ม / due before it starts' }]
      : s.dueOn < today
        ? [{ field: `${prefix}dueOn`, message: 'กำหนดเสร็จต้องไม่ก่อนวันนี้ / the due date is in the past' }]
        : []),
  ];
}

export async function createProject(x: ActionCtx, body: z.infer<typeof projectBody>): Promise<string> {
  const issues = await stageIssues(x, body);
  if (issues.length > 0) throw invalid(issues);
  const tz = await officeTimeZone(x.db, x.officeId);
  const id = crypto.randomUUID();
  await x.db.transaction(async (tx) => {
    const [taskId] = await createTasks(
      tx,
      x.officeId,
      [
        {
          source: 'agency',
          sourceId: id,
          titleTh: taskTitle('study', body.titleTh, body.agencyTh),
          ownerId: body.ownerId,
          dueOn: body.dueOn,
          documents: body.documents.map((d) => ({ ...d, id: crypto.randomUUID() })),
        },
      ],
      x.now(),
      tz,
    );
    if (taskId === undefined) throw new Error('createTasks returned no id');
    await insertProject(tx, x.officeId, { ...body, id, first: { stage: 'study', taskId, startsOn: body.startsOn } });
    await audit(tx, {
      actor: x.actor,
      officeId: x.officeId,
      action: 'agency.create',
      targetType: 'agency_project',
      targetId: id,
      detail: { scope: body.scope },
    });
  });
  return id;
}

export async function projectOf(x: Pick<ActionCtx, 'db' | 'officeId'>, id: string): Promise<ProjectRow> {
  const p = await findProject(x.db, x.officeId, id);
  if (p === undefined) throw new AppError('not_found', 'No such agency project');
  return p;
}

/** The stage after the current one, or null when the current one is the last. */
export function nextStage(stage: AgencyStage): AgencyStage | null {
  return agencyStages[agencyStages.indexOf(stage) + 1] ?? null;
}

/** Closes the current stage (with its note) and opens the next one, or closes the project after the last. */
export async function advanceProject(x: ActionCtx, id: string, body: z.infer<typeof advanceBody>): Promise<void> {
  const p = await projectOf(x, id);
  const current = p.stages.at(-1);
  if (p.stage === 'closed' || current === undefined) {
    throw new AppError('conflict', 'The project is closed', [{ field: 'stage', message: 'ปิดงานแล้ว / closed' }]);
  }
  const following = nextStage(p.stage);
  if (following !== null && body.next === undefined) {
    throw invalid([{ field: 'next.ownerId', message: 'ระบุผู้รับผิดชอบขั้นต่อไป / name the next stage’s owner' }]);
  }
  const next = following === null ? undefined : body.next;
  const issues = next === undefined ? [] : await stageIssues(x, next, 'next.');
  if (issues.length > 0) throw invalid(issues);
  const tz = await officeTimeZone(x.db, x.officeId);
  await x.db.transaction(async (tx) => {
    let ref: { stage: AgencyStage; taskId: string; startsOn: string } | null = null;
    if (following !== null && next !== undefined) {
      const [taskId] = await createTasks(
        tx,
        x.officeId,
        [
          {
            source: 'agency',
            sourceId: id,
            titleTh: taskTitle(following, p.titleTh, p.agencyTh),
            ownerId: next.ownerId,
            dueOn: next.dueOn,
          },
        ],
        x.now(),
        tz,
      );
      if (taskId === undefined) throw new Error('createTasks returned no id');
      ref = { stage: following, taskId, startsOn: next.startsOn };
    }
    if (!(await moveProject(tx, x.officeId, id, p.stage, ref, x.now()))) {
      throw new AppError('conflict', 'The project moved meanwhile', [
        { field: 'stage', message: 'มีผู้เลื่อนขั้นไปก่อนแล้ว / moved meanwhile' },
      ]);
    }
    await completeTask(tx, x.officeId, current.taskId, { noteTh: body.noteTh ?? null, now: x.now() });
    await audit(tx, {
      actor: x.actor,
      officeId: x.officeId,
      action: 'agency.advance',
      targetType: 'agency_project',
      targetId: id,
      detail: { from: p.stage, to: following ?? 'closed' },
    });
  });
}

/** A document kept with the project's current stage (a link, or a file already put in the blob store). */
export async function addStageDocument(x: ActionCtx, id: string, doc: Omit<StageDocument, 'id'>): Promise<string> {
  const p = await projectOf(x, id);
  const current = p.stages.at(-1);
  if (current === undefined) throw new AppError('not_found', 'No stage');
  const docId = crypto.randomUUID();
  await x.db.transaction(async (tx) => {
    if (!(await addTaskDocument(tx, x.officeId, id, current.taskId, { ...doc, id: docId }))) {
      throw new AppError('not_found', 'No such stage');
    }
    await audit(tx, {
      actor: x.actor,
      officeId: x.officeId,
      action: 'agency.document.add',
      targetType: 'agency_project',
      targetId: id,
      detail: { stage: current.stage, file: doc.key !== undefined },
    });
  });
  return docId;
}
