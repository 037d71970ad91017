// The demo office's first-start story: what an office a few weeks into a term looks like, so the digest, the SAR
// summary, the visit ranking and the reminders show something the first time anyone opens the simulator. Written
// once per office (a restart keeps it, and keeps the simulator's stored clock consistent with it), anchored at the
// time of that first start; every date is relative to it. Personas keep their own work to do: the persona teacher
// has an overdue survey, the persona principal an overdue SAR, and their answers are left to whoever tries them.
//
// - The calendar: both terms of the current academic year and Thailand's public holidays around now.
// - The teachers' survey (due in 14 days): a third of the teachers submitted, a few started.
// - An earlier teachers' survey, due 4 days ago: most submitted, the rest overdue.
// - The principals' pre-visit self-assessment (due in 7 days): four schools submitted.
// - A SAR campaign due yesterday: six schools submitted (some below the targets they set), one started, the rest
//   overdue; so the director's SAR summary has levels, strengths and points to improve.
// - Past visits with agreed actions still open (one overdue), one planned visit, and schools never visited, so the
//   supervisors' ranking has reasons to order by.
import type { Db } from '../db/client.js';
import { upsertCalendar, type CalendarInput } from '../admin/calendar.queries.js';
import { evaluate, parseExpression, truthy, type Value } from '../checklists/expr.js';
import { findChecklistVersion, findChecklist, upsertCampaign } from '../checklists/checklists.queries.js';
import { academicTermOf } from '../time/term.js';
import { BANGKOK, localDate } from '../time/thai.js';
import { addDays, localInstant } from '../time/zone.js';
import { publicHolidays } from '../calendar/holidays.js';
import type { Role } from '../db/schema.js';
import { DEMO_PEOPLE, DEMO_SCHOOLS } from './demo-data.js';
import {
  campaignsByTitle,
  demoStoryExists,
  insertDemoResponses,
  insertDemoVisits,
  peopleByExternalId,
  type DemoResponse,
  type DemoVisit,
  visitRecordCampaign,
} from './demo.queries.js';
import { VISIT_RECORD_CAMPAIGN } from '../checklists/system-campaign.js';
import { schoolIdsByCode } from '../admin/admin.queries.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** The academic year (B.E.) and term of an instant's Bangkok date, by the usual split (src/time/term.ts). */
export function academicTerm(now: number): { year: number; term: 1 | 2 } {
  return academicTermOf(localDate(now));
}

/** The calendar rows: both terms of the academic year, and the holidays from 60 days back to 180 ahead. */
export function demoCalendar(now: number): CalendarInput[] {
  const { year } = academicTerm(now);
  const ce = year - 543;
  const row = (
    kind: CalendarInput['kind'],
    titleTh: string,
    startsOn: string,
    endsOn: string,
    term: number | null,
  ) => ({
    id: null,
    kind,
    titleTh,
    startsOn,
    endsOn,
    academicYear: term === null ? null : year,
    term,
    roles: [] as Role[],
  });
  const from = localDate(now - 60 * DAY);
  const to = localDate(now + 180 * DAY);
  // Thailand's public holidays as the calendar page pre-fills them (src/calendar/holidays.ts).
  const holidays = [ce, ce + 1].flatMap((y) =>
    publicHolidays(y)
      .holidays.filter((h) => h.date >= from && h.date <= to)
      .map((h) => [h.date, h.nameTh] as const),
  );
  return [
    row('term', `ภาคเรียนที่ 1/${year}`, `${ce}-05-16`, `${ce}-10-10`, 1),
    row('term', `ภาคเรียนที่ 2/${year}`, `${ce}-11-01`, `${ce + 1}-03-31`, 2),
    ...holidays.map(([d, title]) => row('holiday', title, d, d, null)),
  ];
}

/** A small deterministic generator, so the story is the same on every first start. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1_664_525) + 1_013_904_223) >>> 0;
    return s / 2 ** 32;
  };
}

const STRENGTHS = [
  'ผู้เรียนอ่านออกเขียนได้ตามเกณฑ์ทุกชั้น',
  'ครูใช้สื่อเทคโนโลยีในการจัดการเรียนรู้อย่างสม่ำเสมอ',
  'ชุมชนและผู้ปกครองมีส่วนร่วมในการพัฒนาโรงเรียน',
  'มีระบบดูแลช่วยเหลือนักเรียนที่เข้มแข็ง',
];
const IMPROVE = [
  'ทักษะการคิดวิเคราะห์ของผู้เรียน',
  'การวัดและประเมินผลตามสภาพจริง',
  'การนำผลการประเมินมาปรับปรุงการจัดการเรียนรู้',
  'การนิเทศภายในอย่างเป็นระบบและต่อเนื่อง',
];
const OTHER_TEXT = [
  'ต้องการคำแนะนำเรื่องการจัดการเรียนรู้เชิงรุก',
  'ขอรับการนิเทศในชั้นเรียนเดือนละครั้ง',
  'อยากมีเวทีแลกเปลี่ยนเรียนรู้ระหว่างโรงเรียนในกลุ่มเครือข่าย',
  'ต้องการสื่อการสอนคณิตศาสตร์สำหรับชั้นประถมศึกษาตอนต้น',
];

type Item = {
  type: string;
  key: string;
  relevant?: string;
  expression?: string;
  choices?: { value: string }[];
};

/**
 * A complete answer set for a flat checklist, as a person would have given it: ratings from `rating(key)`,
 * choices and texts picked by `rnd`, calculations evaluated as the runner does, irrelevant items left out.
 * Notes, photos, repeats and choice lists filled at run time (no `choices`) are left out.
 */
export function demoAnswers(
  definition: unknown,
  rnd: () => number,
  rating: (key: string) => number,
  today: string,
): Record<string, Value> {
  const items = (
    typeof definition === 'object' && definition !== null && Array.isArray((definition as { items?: unknown }).items)
      ? (definition as { items: Item[] }).items
      : []
  ).filter((i) => typeof i.key === 'string');
  const values = new Map<string, Value>();
  const env = { get: (k: string) => values.get(k) ?? null, today };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  for (const item of items) {
    if (item.relevant !== undefined && !truthy(evaluate(parseExpression(item.relevant), env))) continue;
    const choices = (item.choices ?? []).map((c) => c.value);
    switch (item.type) {
      case 'rating':
        values.set(item.key, Math.max(1, Math.min(5, Math.round(rating(item.key)))));
        break;
      case 'select_one':
        if (choices.length > 0) values.set(item.key, pick(choices.slice(0, 3)));
        break;
      case 'select_many':
        if (choices.length > 0)
          values.set(item.key, [
            ...new Set([pick(choices.filter((c) => c !== 'other')), pick(choices.filter((c) => c !== 'other'))]),
          ]);
        break;
      case 'yes_no':
        values.set(item.key, rnd() < 0.8 ? 'yes' : 'no');
        break;
      case 'integer':
      case 'decimal':
        values.set(item.key, 1 + Math.floor(rnd() * 20));
        break;
      case 'date':
        values.set(item.key, today);
        break;
      case 'text':
        values.set(
          item.key,
          item.key.endsWith('strengths')
            ? pick(STRENGTHS)
            : item.key.endsWith('improve')
              ? pick(IMPROVE)
              : pick(OTHER_TEXT),
        );
        break;
      case 'calculate':
        if (item.expression !== undefined) values.set(item.key, evaluate(parseExpression(item.expression), env));
        break;
      default:
        break;
    }
  }
  return Object.fromEntries(values);
}

interface StoryCampaign {
  checklist: string;
  titleTh: string;
  roles: Role[];
  opensInDays: number;
  dueInDays: number;
}

/** The story's own campaigns, beside seed.ts's: work already overdue when the demo starts. */
export function storyCampaigns(now: number): StoryCampaign[] {
  const { year, term } = academicTerm(now);
  return [
    {
      checklist: 'needs-survey',
      titleTh: `สำรวจความต้องการการนิเทศ รอบต้นภาคเรียน ${term}/${year}`,
      roles: ['teacher'],
      opensInDays: -30,
      dueInDays: -4,
    },
    {
      checklist: 'sar-basic',
      titleTh: `รายงานการประเมินตนเองของสถานศึกษา (SAR) ปีการศึกษา ${term === 1 ? year - 1 : year}`,
      roles: ['principal'],
      opensInDays: -45,
      dueInDays: -1,
    },
  ];
}

/** 09:00 Bangkok on the first weekday at least `days` after `now` that is not a holiday. */
function workdayAt9(now: number, days: number, holidays: Set<string>): number {
  const today = localDate(now);
  for (let d = days; ; d++) {
    const date = addDays(today, d);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6 && !holidays.has(date)) return localInstant(date, 9, 0, BANGKOK);
  }
}

export interface StoryResult {
  /** False when the office already had its story (a restart): nothing was written. */
  seeded: boolean;
}

/**
 * Writes the story into the demo office once (after seedDemo). `baseCampaigns` are seed.ts's titles for the
 * teachers' survey and the principals' self-assessment.
 */
export async function seedDemoStory(
  db: Db,
  officeId: string,
  now: number,
  baseCampaigns: { survey: string; selfAssessment: string },
): Promise<StoryResult> {
  if (await demoStoryExists(db, officeId)) return { seeded: false };
  const calendar = demoCalendar(now);
  await upsertCalendar(db, officeId, calendar);
  const holidays = new Set(calendar.filter((c) => c.kind === 'holiday').map((c) => c.startsOn));

  const story = storyCampaigns(now);
  for (const c of story) {
    const checklist = await findChecklist(db, officeId, c.checklist);
    if (checklist === undefined) throw new Error(`no checklist ${c.checklist}`);
    await upsertCampaign(db, {
      officeId,
      checklistId: checklist.id,
      titleTh: c.titleTh,
      roles: c.roles,
      schoolIds: [],
      clusterIds: [],
      opensAt: new Date(now + c.opensInDays * DAY).toISOString(),
      dueAt: new Date(now + c.dueInDays * DAY).toISOString(),
    });
  }
  const [earlySurvey, sar] = story as [StoryCampaign, StoryCampaign];
  const campaigns = await campaignsByTitle(db, officeId, [
    baseCampaigns.survey,
    baseCampaigns.selfAssessment,
    earlySurvey.titleTh,
    sar.titleTh,
  ]);
  const person = await peopleByExternalId(db, officeId);
  const schoolIds = await schoolIdsByCode(
    db,
    officeId,
    DEMO_SCHOOLS.map((s) => s.code),
  );
  const school = (i: number) => schoolIds.get(DEMO_SCHOOLS[i]?.code ?? '') ?? '';
  const rnd = random(2569);
  const responses: DemoResponse[] = [];

  /** A response submitted (or started) some time between the campaign's opening and now. */
  const respond = (
    title: string,
    subject: { personExternalId: string; schoolIndex: number; schoolScope: boolean },
    status: DemoResponse['status'],
    window: [number, number],
    rating: (key: string) => number,
  ) => {
    const c = campaigns.get(title);
    const personId = person.get(subject.personExternalId);
    if (c === undefined || personId === undefined) return;
    const at = Math.round(now + (window[0] + (window[1] - window[0]) * rnd()) * DAY);
    const all = demoAnswers(c.definition, rnd, rating, localDate(at));
    const answers =
      status === 'submitted'
        ? all
        : Object.fromEntries(Object.entries(all).slice(0, Math.ceil(Object.keys(all).length / 3)));
    responses.push({
      id: crypto.randomUUID(),
      campaignId: c.id,
      checklistId: c.checklistId,
      subjectKey: subject.schoolScope ? school(subject.schoolIndex) : personId,
      schoolId: school(subject.schoolIndex),
      personId,
      status,
      startedAt: new Date(at - 2 * HOUR).toISOString(),
      submittedAt: status === 'submitted' ? new Date(at).toISOString() : null,
      answers,
    });
  };
  const around = (base: number) => () => base + (rnd() - 0.5) * 1.6;

  // Teachers (persona teacher-1-1 is left with both surveys to do).
  for (const p of DEMO_PEOPLE) {
    if (p.role !== 'teacher' || p.persona || p.schoolIndex === null) continue;
    const n = Number(/-(\d+)-(\d+)$/.exec(p.externalId)?.[2] ?? 0) + p.schoolIndex * 3;
    const subject = { personExternalId: p.externalId, schoolIndex: p.schoolIndex, schoolScope: false };
    if (n % 5 !== 0) respond(earlySurvey.titleTh, subject, 'submitted', [-28, -5], around(4));
    if (n % 3 === 1) respond(baseCampaigns.survey, subject, 'submitted', [-0.9, -0.1], around(4));
    else if (n % 8 === 0) respond(baseCampaigns.survey, subject, 'in_progress', [-0.9, -0.1], around(4));
  }
  // Principals: school-scope answers; school 0 (the persona principal's) has everything still to do.
  const principal = (i: number) => ({ personExternalId: `demo-principal-${i + 1}`, schoolIndex: i, schoolScope: true });
  for (const i of [3, 4, 8, 10])
    respond(baseCampaigns.selfAssessment, principal(i), 'submitted', [-0.9, -0.1], around(4));
  // SAR levels per school: some below the target of 4 they set themselves.
  const sarLevel: Record<number, number> = { 1: 4.4, 2: 3.2, 3: 4.8, 6: 2.9, 7: 4, 9: 3.6 };
  for (const [i, level] of Object.entries(sarLevel))
    respond(sar.titleTh, principal(Number(i)), 'submitted', [-20, -2], (key) =>
      /_target$/.test(key) ? 4 : level + (rnd() - 0.5) * 1.2,
    );
  respond(sar.titleTh, principal(4), 'in_progress', [-3, -2], around(3));

  // Visits: recorded ones (with the visit form's answers), one planned, and schools never visited.
  const visitForm = await findChecklist(db, officeId, 'supervision-visit');
  const visitDefinition =
    visitForm === undefined
      ? undefined
      : (await findChecklistVersion(db, visitForm.office_id, visitForm.key, visitForm.version))?.definition;
  const recordCampaign =
    visitForm === undefined
      ? ''
      : await visitRecordCampaign(
          db,
          officeId,
          visitForm.id,
          VISIT_RECORD_CAMPAIGN,
          new Date(now - 200 * DAY).toISOString(),
        );
  const visits: DemoVisit[] = [];
  const visit = (
    schoolIndex: number,
    supervisor: string,
    daysAgo: number,
    decision: 'achieved' | 'not_yet',
    actions: { whatTh: string; ownerTh: string; dueInDays: number }[],
  ) => {
    const id = crypto.randomUUID();
    const supervisorId = person.get(supervisor) ?? '';
    const startsAt = workdayAt9(now, -daysAgo, holidays);
    const recordedAt = new Date(startsAt + 5 * HOUR).toISOString();
    let responseId: string | null = null;
    if (visitForm !== undefined && visitDefinition !== undefined) {
      responseId = crypto.randomUUID();
      const answers = demoAnswers(visitDefinition, rnd, around(decision === 'achieved' ? 4 : 3), localDate(startsAt));
      responses.push({
        id: responseId,
        campaignId: recordCampaign,
        checklistId: visitForm.id,
        subjectKey: id,
        schoolId: school(schoolIndex),
        personId: supervisorId,
        status: 'submitted',
        startedAt: new Date(startsAt + HOUR).toISOString(),
        submittedAt: recordedAt,
        answers: { ...answers, decision },
      });
    }
    visits.push({
      id,
      schoolId: school(schoolIndex),
      supervisorId,
      startsAt: new Date(startsAt).toISOString(),
      purposeTh: 'นิเทศ ติดตามการจัดการเรียนรู้เชิงรุก',
      status: 'done',
      decision,
      responseId,
      recordedAt,
      actions: actions.map((a) => ({
        whatTh: a.whatTh,
        ownerTh: a.ownerTh,
        dueOn: localDate(now + a.dueInDays * DAY),
      })),
    });
  };
  visit(1, 'demo-supervisor-1', 40, 'not_yet', [
    { whatTh: 'จัดทำแผนการจัดการเรียนรู้เชิงรุกให้ครบทุกชั้น', ownerTh: 'ฝ่ายวิชาการ', dueInDays: 3 },
    { whatTh: 'ทบทวนเครื่องมือวัดผลกลางภาค', ownerTh: 'ครูประจำชั้น ป.4–ป.6', dueInDays: -2 },
  ]);
  visit(2, 'demo-supervisor-1', 75, 'achieved', []);
  visit(3, 'demo-supervisor-1', 130, 'achieved', []);
  visit(7, 'demo-supervisor-2', 20, 'not_yet', [
    { whatTh: 'จัดกิจกรรมชุมชนการเรียนรู้ทางวิชาชีพ (PLC) เรื่องการอ่าน', ownerTh: 'ผู้อำนวยการโรงเรียน', dueInDays: 6 },
  ]);
  visit(8, 'demo-supervisor-2', 60, 'achieved', []);
  const plannedAt = workdayAt9(now, 5, holidays);
  visits.push({
    id: crypto.randomUUID(),
    schoolId: school(4),
    supervisorId: person.get('demo-supervisor-1') ?? '',
    startsAt: new Date(plannedAt).toISOString(),
    purposeTh: 'นิเทศ ติดตามการประกันคุณภาพภายใน',
    status: 'planned',
    decision: null,
    responseId: null,
    recordedAt: null,
    actions: [],
  });

  // Responses first: a recorded visit points at its record.
  await insertDemoResponses(db, officeId, responses);
  await insertDemoVisits(db, officeId, visits);
  return { seeded: true };
}
