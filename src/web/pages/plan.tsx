/** @jsxImportSource hono/jsx */
// The annual visit plan: an academic year's supervision visits (B.E., 16 May to 15 May), from the plan and from
// chat, paged by start time, in the office's time zone. Admins and directors read it (it names supervisors and
// schools: audited as the API's list); admins add a planned visit through the plan import's own action
// (importPlanAction: the supervisor must cover the school), and upload a whole year from the imports page. Moving
// or cancelling a visit stays with its supervisor in chat, which tells the school.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf } from '../../admin/auth.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { decodeCursor, encodeCursor } from '../../admin/page.js';
import { can } from '../../admin/scope.js';
import { listVisitsPage } from '../../admin/visits.queries.js';
import { audit } from '../../audit/audit.queries.js';
import type { AppEnv } from '../../deps.js';
import { AppError, type FieldIssue } from '../../errors.js';
import { officeYearNow } from '../../reports/facts.queries.js';
import { academicYearDates } from '../../time/term.js';
import { importPlanAction, planBody } from '../../visits/plan-import.js';
import { visitStatusTh } from '../assignments.th.js';
import { formBody } from '../session.js';
import { schoolOptions, supervisorOptions, type SchoolOption, type SupervisorOption } from '../web.queries.js';
import { thaiDateTime } from '../web.th.js';
import { errorsByField, Field, SchoolField, SupervisorField } from './fields.js';
import { guard, need, officePath, page, Pager, queryString, scopeOfPage, type Ctx } from './render.js';
import { msg } from '../../i18n/msg.js';

export const PLAN_PAGE_SIZE = 100;

type PField = 'supervisorId' | 'schoolCode' | 'date' | 'time' | 'purpose';
type PValues = Record<PField, string>;

function PlanForm(props: {
  action: string;
  v: PValues;
  e: Partial<Record<PField, string>>;
  supervisors: SupervisorOption[];
  schools: SchoolOption[];
}): Child {
  const { v, e } = props;
  return (
    <form method="post" action={props.action} class="stack" novalidate>
      <h2>{msg.web.assignments.addVisit}</h2>
      <SupervisorField options={props.supervisors} value={v.supervisorId} error={e.supervisorId} />
      <SchoolField options={props.schools} value={v.schoolCode} error={e.schoolCode} required={true} />
      <Field
        name="date"
        label={msg.web.assignments.date}
        error={e.date}
        control={(a) => <input {...a} type="date" value={v.date} required />}
      />
      <Field
        name="time"
        label={msg.web.assignments.time}
        error={e.time}
        control={(a) => <input {...a} type="time" value={v.time} required />}
      />
      <Field
        name="purpose"
        label={msg.web.assignments.purpose}
        error={e.purpose}
        control={(a) => <input {...a} type="text" value={v.purpose} maxlength={300} />}
      />
      <div>
        <button type="submit">{msg.web.assignments.addVisit}</button>
      </div>
    </form>
  );
}

function fieldErrors(issues: readonly FieldIssue[]): Partial<Record<PField, string>> {
  return errorsByField<PField>(issues, (f) => {
    if (f === 'startsAt') return undefined;
    return f in msg.web.assignments.planErr
      ? msg.web.assignments.planErr[f as keyof typeof msg.web.assignments.planErr]
      : undefined;
  });
}

export function planPages(app: Hono<AppEnv>): void {
  guard(app, '/plan', 'office.read');

  const planPage = async (c: Ctx, o: OfficeRow, form: { v?: PValues; e: Partial<Record<PField, string>> }) => {
    const { db, now } = c.var.deps;
    const { timeZone: tz, year: thisYear } = await officeYearNow(db, o.id, now());
    const asked = Number(c.req.query('year') ?? thisYear);
    const year = Number.isInteger(asked) && asked >= 2500 && asked <= 2700 ? asked : thisYear;
    const cursor = c.req.query('cursor');
    const after = decodeCursor(cursor, ['timestamp', 'uuid']);
    const [rows, supervisors, schools] = await Promise.all([
      listVisitsPage(db, o.id, academicYearDates(year), after, PLAN_PAGE_SIZE),
      supervisorOptions(db, o.id),
      schoolOptions(db, o.id),
    ]);
    const shown = rows.slice(0, PLAN_PAGE_SIZE);
    const last = shown.at(-1);
    await audit(db, { actor: actorOf(c), officeId: o.id, action: 'visits.list', detail: { count: shown.length } });
    const write = can(scopeOfPage(c), 'office.write');
    const failed = Object.keys(form.e).length > 0;
    const v = form.v ?? { supervisorId: '', schoolCode: '', date: '', time: '09:00', purpose: '' };
    return page(
      c,
      { title: msg.web.assignments.planOf(year), office: o, active: 'plan', status: failed ? 400 : 200 },
      <>
        <p class="muted">{msg.web.assignments.planIntro}</p>
        {c.req.query('saved') === '1' ? (
          <p class="notice" role="status">
            {msg.web.assignments.visitAdded}
          </p>
        ) : null}
        <nav class="actions" aria-label="ปีการศึกษา / Academic year">
          <a href={officePath(o, `/plan?year=${year - 1}`)}>← {year - 1}</a>
          <strong>{year}</strong>
          <a href={officePath(o, `/plan?year=${year + 1}`)}>{year + 1} →</a>
          {write ? <a href={officePath(o, '/imports?kind=plan')}>{msg.web.assignments.planBulk}</a> : null}
        </nav>
        {shown.length === 0 ? (
          <p>{msg.web.assignments.noVisits}</p>
        ) : (
          <table>
            <caption>{msg.web.assignments.planOf(year)}</caption>
            <thead>
              <tr>
                <th scope="col">{msg.web.assignments.when}</th>
                <th scope="col">{msg.web.assignments.school}</th>
                <th scope="col">{msg.web.assignments.supervisor}</th>
                <th scope="col">{msg.web.assignments.purpose}</th>
                <th scope="col">{msg.web.assignments.status}</th>
                <th scope="col">{msg.web.assignments.source}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr data-visit={r.id}>
                  <td>{thaiDateTime(Date.parse(r.startsAt), tz)}</td>
                  <th scope="row">{r.schoolNameTh}</th>
                  <td>{r.supervisorName}</td>
                  <td>{r.purposeTh}</td>
                  <td>{visitStatusTh[r.status]}</td>
                  <td>{r.source === 'plan' ? msg.web.assignments.fromPlan : msg.web.assignments.fromChat}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager
          first={after === null ? undefined : officePath(o, `/plan?year=${year}`)}
          next={
            rows.length > PLAN_PAGE_SIZE && last !== undefined
              ? officePath(
                  o,
                  `/plan${queryString({ year: String(year), cursor: encodeCursor([last.startsAt, last.id]) })}`,
                )
              : undefined
          }
        />
        {write ? (
          <PlanForm
            action={officePath(o, `/plan?year=${year}`)}
            v={v}
            e={form.e}
            supervisors={supervisors}
            schools={schools}
          />
        ) : null}
      </>,
    );
  };

  app.get('/offices/:office/plan', async (c) => planPage(c, await officeOf(c), { e: {} }));

  app.post('/offices/:office/plan', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const f = await formBody(c);
    const v: PValues = {
      supervisorId: f.get('supervisorId') ?? '',
      schoolCode: (f.get('schoolCode') ?? '').trim(),
      date: (f.get('date') ?? '').trim(),
      time: (f.get('time') ?? '').trim(),
      purpose: f.get('purpose') ?? '',
    };
    const parsed = planBody.safeParse({
      visits: [
        {
          ...(v.supervisorId === '' ? {} : { supervisorId: v.supervisorId }),
          schoolCode: v.schoolCode,
          startsAt: `${v.date} ${v.time}`,
          ...(v.purpose.trim() === '' ? {} : { purpose: v.purpose }),
        },
      ],
    });
    let issues: FieldIssue[];
    if (!parsed.success) {
      issues = parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
    } else {
      try {
        await importPlanAction(c.var.deps.db, o.id, parsed.data, c.var.deps.now(), actorOf(c));
        return c.redirect(officePath(o, `/plan${queryString({ year: c.req.query('year'), saved: '1' })}`), 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.issues.length === 0) throw err;
        issues = err.issues;
      }
    }
    const e = fieldErrors(issues);
    // A time the plan cannot read is the date's or the time's: named beside whichever is empty, else the date.
    if (issues.some((i) => i.field.endsWith('startsAt'))) {
      if (v.time === '') e.time = msg.web.assignments.planErr.startsAt;
      else e.date = msg.web.assignments.planErr.startsAt;
    }
    return planPage(c, o, { v, e });
  });
}
