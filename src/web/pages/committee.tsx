/** @jsxImportSource hono/jsx */
// The ก.ต.ป.น. committee's pages (issue 16, seed 004): the summary reported to the committee, members, meetings
// with agenda, documents and attendance answered in chat, minutes, resolutions (each a follow-up with its owner and
// due date), and the monitoring plan. Admins change them through the same actions as the API
// (src/committee/committee.actions.ts); directors and committee members read them (`committee.read`). Forms name
// their fields, show each error beside its field, and ask before cancelling a meeting or removing a member.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf } from '../../admin/auth.js';
import { isoDate } from '../../admin/validate.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { can } from '../../admin/scope.js';
import { audit } from '../../audit/audit.queries.js';
import {
  actionCtx,
  addMembers,
  addPlanItems,
  addResolutions,
  createMeeting,
  doneBody,
  dropMember,
  finishTask,
  meetingBody,
  meetingPatch,
  membersBody,
  planBody,
  resolutionsBody,
  updateMeeting,
} from '../../committee/committee.actions.js';
import {
  committeeSummary,
  listMeetings,
  listMembers,
  listPlan,
  meetingAttendance,
  memberCandidates,
  type MeetingView,
} from '../../committee/committee.queries.js';
import { committeeRoles, monitoringAreas } from '../../db/schema.js';
import type { AppEnv } from '../../deps.js';
import { AppError, type FieldIssue } from '../../errors.js';
import { isUuid } from '../../ids/uuid.js';
import { listTasks, type TaskView } from '../../tasks/tasks.queries.js';
import { officeYearNow } from '../../reports/facts.queries.js';
import { localDate, thaiCalendarDate, thaiLongDate, thaiTime } from '../../time/thai.js';
import { parseLocalDateTime } from '../../time/zone.js';
import { officeTimeZone } from '../../time/zone.queries.js';
import { areaTh, committeeRoleTh, meetingStatusTh } from '../committee.th.js';
import { formBody } from '../session.js';
import { PersonPicker } from './fields.js';
import { pickStaff, searched } from './office-parts.js';
import { guard, officePath, page, scopeOfPage, type Ctx } from './render.js';
import { msg } from '../../i18n/msg.js';

type Errors = Record<string, string>;
type Values = Record<string, string>;

/** A labelled field with its error beside it (tied by aria-describedby). */
function Field(props: {
  name: string;
  label: string;
  values: Values;
  errors: Errors;
  type?: 'text' | 'date' | 'time' | 'number' | 'textarea';
  hint?: string;
  id?: string;
}): Child {
  const id = props.id ?? props.name;
  const error = props.errors[props.name];
  const described = [props.hint === undefined ? null : `${id}-hint`, error === undefined ? null : `${id}-error`]
    .filter((x) => x !== null)
    .join(' ');
  const common = {
    id,
    name: props.name,
    'aria-describedby': described === '' ? undefined : described,
    'aria-invalid': error === undefined ? undefined : 'true',
  };
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.type === 'textarea' ? (
        <textarea {...common} rows={4}>
          {props.values[props.name] ?? ''}
        </textarea>
      ) : (
        <input {...common} type={props.type ?? 'text'} value={props.values[props.name] ?? ''} />
      )}
      {props.hint === undefined ? null : (
        <span id={`${id}-hint`} class="muted">
          {props.hint}
        </span>
      )}
      {error === undefined ? null : (
        <p id={`${id}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

function Select(props: {
  name: string;
  label: string;
  options: { value: string; label: string }[];
  values: Values;
  errors: Errors;
  hint?: string;
}): Child {
  const error = props.errors[props.name];
  return (
    <div class="field">
      <label for={props.name}>{props.label}</label>
      <select
        id={props.name}
        name={props.name}
        aria-invalid={error === undefined ? undefined : 'true'}
        aria-describedby={error === undefined ? undefined : `${props.name}-error`}
      >
        {props.options.map((o) => (
          <option value={o.value} selected={props.values[props.name] === o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {props.hint === undefined ? null : <span class="muted">{props.hint}</span>}
      {error === undefined ? null : (
        <p id={`${props.name}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** Field issues of a refused action, by form field (the API's names mapped to the form's). */
function errorsOf(e: unknown, rename: Record<string, string> = {}): Errors | undefined {
  if (!(e instanceof AppError) || e.code !== 'invalid_request') return undefined;
  const out: Errors = {};
  for (const i of e.issues ?? ([] as FieldIssue[])) {
    const name = rename[i.field] ?? i.field;
    out[name] ??= i.message;
  }
  return out;
}

const when = (m: MeetingView, tz: string) =>
  `${thaiLongDate(Date.parse(m.startsAt), tz)} ${thaiTime(Date.parse(m.startsAt), tz)} น.`;

function Summary(props: { s: Awaited<ReturnType<typeof committeeSummary>> }): Child {
  const s = props.s;
  if (s === undefined) return null;
  const rows: [string, number, string][] = [
    [msg.web.committee.members, s.members, 'members'],
    [msg.web.committee.meetingsHeld, s.meetingsHeld, 'held'],
    [msg.web.committee.meetingsPlanned, s.meetingsPlanned, 'planned'],
    [msg.web.committee.resolutionsOpen, s.resolutionsOpen, 'open'],
    [msg.web.committee.resolutionsDone, s.resolutionsDone, 'done'],
    [msg.web.committee.resolutionsOverdue, s.resolutionsOverdue, 'overdue'],
  ];
  return (
    <dl class="figures">
      {rows.map(([label, n, key]) => (
        <>
          <dt>{label}</dt>
          <dd data-figure={key}>{n}</dd>
        </>
      ))}
    </dl>
  );
}

function TaskTable(props: { o: OfficeRow; tasks: TaskView[]; today: string; write: boolean; back: string }): Child {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{msg.web.committee.resolution}</th>
          <th scope="col">{msg.web.committee.owner}</th>
          <th scope="col">{msg.web.committee.due}</th>
          <th scope="col">{msg.web.committee.status}</th>
        </tr>
      </thead>
      <tbody>
        {props.tasks.map((t) => (
          <tr data-task={t.id}>
            <td>{t.titleTh}</td>
            <td>{t.ownerName ?? '—'}</td>
            <td>
              {thaiCalendarDate(t.dueOn)}
              {t.status === 'open' && t.dueOn < props.today ? (
                <strong class="danger"> {msg.web.committee.overdue}</strong>
              ) : null}
            </td>
            <td>
              {t.status === 'done' ? (
                <>
                  {msg.web.committee.done}
                  {t.noteTh === null ? null : <span class="muted"> — {t.noteTh}</span>}
                </>
              ) : props.write ? (
                <form method="post" action={officePath(props.o, `/committee/tasks/${t.id}/done`)} class="actions">
                  <input type="hidden" name="back" value={props.back} />
                  <label for={`note-${t.id}`}>{msg.web.committee.doneNote}</label>
                  <input id={`note-${t.id}`} name="noteTh" type="text" maxlength={2000} />
                  <button type="submit">{msg.web.committee.markDone}</button>
                </form>
              ) : (
                msg.web.committee.open
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** "title | https://…" a line → documents; undefined when a line is not one. */
function parseDocs(text: string): { titleTh: string; url: string }[] | undefined {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const docs = lines.map((l) => {
    const at = l.lastIndexOf('|');
    return at < 0 ? undefined : { titleTh: l.slice(0, at).trim(), url: l.slice(at + 1).trim() };
  });
  return docs.every((d) => d !== undefined) ? docs : undefined;
}

const lines = (text: string) =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');

interface OverviewForms {
  member?: { values: Values; errors: Errors };
  meeting?: { values: Values; errors: Errors };
  plan?: { values: Values; errors: Errors };
}

async function overview(c: Ctx, o: OfficeRow, forms: OverviewForms = {}) {
  const scope = scopeOfPage(c);
  const write = can(scope, 'office.write');
  const { db, now } = c.var.deps;
  const { timeZone: tz, today, year } = await officeYearNow(db, o.id, now());
  // The member form's values: a refused POST's, or the picker's search (a GET of the form itself).
  const memberForm = forms.member ?? { values: searched(c, ['personId', 'committeeRole']) ?? {}, errors: {} };
  const [summary, members, meetings, plan, tasks, pick] = await Promise.all([
    committeeSummary(db, o.id, today),
    listMembers(db, o.id),
    listMeetings(db, o.id),
    listPlan(db, o.id, undefined),
    listTasks(db, o.id, { source: 'resolution', openOnly: true }),
    write
      ? pickStaff(c, o, memberForm.values.who ?? '', 'committee', memberCandidates)
      : Promise.resolve({ found: null, more: false }),
  ]);
  await audit(db, {
    actor: actorOf(c),
    officeId: o.id,
    action: 'committee.page.read',
    detail: { members: members.length },
  });
  const member = memberForm;
  const meeting = forms.meeting ?? { values: { time: '09:00' }, errors: {} };
  const planForm = forms.plan ?? { values: { academicYear: String(year) }, errors: {} };
  const failed = forms.member ?? forms.meeting ?? forms.plan;
  return page(
    c,
    {
      title: msg.web.committee.title,
      office: o,
      active: 'committee',
      ...(failed === undefined ? {} : { status: 400 }),
    },
    <>
      {scope.role === 'committee' ? (
        <p class="notice">{msg.web.committee.memberView}</p>
      ) : (
        <p class="muted">{msg.web.committee.intro}</p>
      )}
      {c.req.query('saved') === '1' ? (
        <p role="status" class="notice">
          {msg.web.committee.saved}
        </p>
      ) : null}
      {failed === undefined ? null : (
        <p class="error" role="alert">
          {msg.web.committee.fixErrors}
        </p>
      )}
      <h2>{msg.web.committee.summary}</h2>
      <Summary s={summary} />

      <h2 id="members">{msg.web.committee.members}</h2>
      {members.length === 0 ? (
        <p>{msg.web.committee.noMembers}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{msg.web.committee.name}</th>
              <th scope="col">{msg.web.committee.committeeRole}</th>
              <th scope="col">{msg.web.committee.school}</th>
              <th scope="col">{msg.web.committee.linked}</th>
              {write ? <th scope="col">{msg.web.committee.remove}</th> : null}
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr data-member={m.personId}>
                <td>{m.displayName}</td>
                <td>{committeeRoleTh[m.committeeRole as (typeof committeeRoles)[number]] ?? m.committeeRole}</td>
                <td>{m.schoolNameTh ?? '—'}</td>
                <td>{m.linked ? msg.web.committee.yes : msg.web.committee.no}</td>
                {write ? (
                  <td>
                    <a href={officePath(o, `/committee/members/${m.personId}/remove`)}>{msg.web.committee.remove}</a>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {write ? (
        <form method="post" action={officePath(o, '/committee/members')} class="stack" id="add-member" novalidate>
          <h3>{msg.web.committee.addMember}</h3>
          <PersonPicker
            name="personId"
            label={msg.web.committee.person}
            hint={msg.web.committee.personHint}
            action={officePath(o, '/committee#add-member')}
            pick={pick}
            form={member}
          />
          <Select
            name="committeeRole"
            label={msg.web.committee.committeeRole}
            options={committeeRoles.map((r) => ({ value: r, label: committeeRoleTh[r] }))}
            {...member}
          />
          <button type="submit">{msg.web.committee.add}</button>
        </form>
      ) : null}

      <h2 id="meetings">{msg.web.committee.meetings}</h2>
      {meetings.length === 0 ? (
        <p>{msg.web.committee.noMeetings}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{msg.web.committee.meetingTitle}</th>
              <th scope="col">{msg.web.committee.when}</th>
              <th scope="col">{msg.web.committee.place}</th>
              <th scope="col">{msg.web.committee.status}</th>
              <th scope="col">{msg.web.committee.attendance}</th>
            </tr>
          </thead>
          <tbody>
            {meetings.map((m) => (
              <tr data-meeting={m.id}>
                <td>
                  <a href={officePath(o, `/committee/meetings/${m.id}`)}>{m.titleTh}</a>
                </td>
                <td>{when(m, tz)}</td>
                <td>{m.placeTh}</td>
                <td>{meetingStatusTh[m.status]}</td>
                <td class="n">
                  {m.attendance.attend} / {m.attendance.absent} / {m.attendance.unanswered}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {write ? (
        <form method="post" action={officePath(o, '/committee/meetings')} class="stack" novalidate>
          <h3>{msg.web.committee.newMeeting}</h3>
          <p class="muted">{msg.web.committee.newMeetingHint}</p>
          <Field name="titleTh" label={msg.web.committee.meetingTitle} {...meeting} />
          <span class="date">
            <Field name="date" label={msg.web.committee.date} type="date" {...meeting} />
            <Field name="time" label={msg.web.committee.time} type="time" {...meeting} />
          </span>
          <Field name="placeTh" label={msg.web.committee.place} {...meeting} />
          <Field name="agenda" label={msg.web.committee.agenda} type="textarea" {...meeting} />
          <Field name="documents" label={msg.web.committee.documents} type="textarea" {...meeting} />
          <button type="submit">{msg.web.committee.newMeeting}</button>
        </form>
      ) : null}

      <h2 id="follow-ups">{msg.web.committee.followUps}</h2>
      {tasks.length === 0 ? (
        <p>{msg.web.committee.noFollowUps}</p>
      ) : (
        <TaskTable o={o} tasks={tasks} today={today} write={write} back="" />
      )}

      <h2 id="plan">{msg.web.committee.plan}</h2>
      {plan.length === 0 ? (
        <p>{msg.web.committee.noPlan}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{msg.web.committee.year}</th>
              <th scope="col">{msg.web.committee.area}</th>
              <th scope="col">{msg.web.committee.what}</th>
              <th scope="col">{msg.web.committee.tools}</th>
              <th scope="col">{msg.web.committee.when}</th>
            </tr>
          </thead>
          <tbody>
            {plan.map((p) => (
              <tr>
                <td>{p.academicYear}</td>
                <td>{areaTh[p.area as (typeof monitoringAreas)[number]] ?? p.area}</td>
                <td>{p.titleTh}</td>
                <td>{p.tools.join(', ') || '—'}</td>
                <td>
                  {thaiCalendarDate(p.startsOn)} – {thaiCalendarDate(p.endsOn)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {write ? (
        <form method="post" action={officePath(o, '/committee/plan')} class="stack" novalidate>
          <h3>{msg.web.committee.addPlan}</h3>
          <Field name="academicYear" label={msg.web.committee.year} type="number" {...planForm} />
          <Select
            name="area"
            label={msg.web.committee.area}
            options={monitoringAreas.map((a) => ({ value: a, label: areaTh[a] }))}
            {...planForm}
          />
          <Field name="titleTh" label={msg.web.committee.what} id="plan-title" {...planForm} />
          <Field name="tools" label={msg.web.committee.tools} {...planForm} />
          <span class="date">
            <Field name="startsOn" label={msg.web.committee.startsOn} type="date" {...planForm} />
            <Field name="endsOn" label={msg.web.committee.endsOn} type="date" {...planForm} />
          </span>
          <button type="submit">{msg.web.committee.addPlan}</button>
        </form>
      ) : null}
    </>,
  );
}

async function meetingOf(c: Ctx, o: OfficeRow): Promise<MeetingView> {
  const id = c.req.param('id') ?? '';
  if (!isUuid(id)) throw new AppError('not_found', 'No such meeting');
  const [m] = await listMeetings(c.var.deps.db, o.id, id);
  if (m === undefined) throw new AppError('not_found', 'No such meeting');
  return m;
}

async function meetingPage(c: Ctx, o: OfficeRow, m: MeetingView, form?: { values: Values; errors: Errors }) {
  const write = can(scopeOfPage(c), 'office.write');
  const { db, now } = c.var.deps;
  const tz = await officeTimeZone(db, o.id);
  const res = form ?? {
    values: { minutesTh: m.minutesTh ?? '', ...searched(c, ['titleTh', 'ownerId', 'dueOn']) },
    errors: {},
  };
  const [attendance, resolutions, pick] = await Promise.all([
    meetingAttendance(db, o.id, m.id),
    listTasks(db, o.id, { sourceId: m.id }),
    write
      ? pickStaff(c, o, res.values.who ?? '', 'committee', memberCandidates)
      : Promise.resolve({ found: null, more: false }),
  ]);
  await audit(db, {
    actor: actorOf(c),
    officeId: o.id,
    action: 'committee.meeting.read',
    targetType: 'committee_meeting',
    targetId: m.id,
  });
  const back = `/committee/meetings/${m.id}`;
  const answer = (a: string | null) =>
    a === 'yes' ? msg.web.committee.attend : a === 'no' ? msg.web.committee.absent : msg.web.committee.noAnswer;
  return page(
    c,
    { title: m.titleTh, office: o, active: 'committee', ...(form === undefined ? {} : { status: 400 }) },
    <>
      <p>
        <a href={officePath(o, '/committee')}>← {msg.web.committee.title}</a>
      </p>
      {c.req.query('saved') === '1' ? (
        <p role="status" class="notice">
          {msg.web.committee.saved}
        </p>
      ) : null}
      {form === undefined ? null : (
        <p class="error" role="alert">
          {msg.web.committee.fixErrors}
        </p>
      )}
      <dl class="figures">
        <dt>{msg.web.committee.when}</dt>
        <dd>{when(m, tz)}</dd>
        <dt>{msg.web.committee.place}</dt>
        <dd>{m.placeTh}</dd>
        <dt>{msg.web.committee.status}</dt>
        <dd data-figure="status">{meetingStatusTh[m.status]}</dd>
      </dl>
      <h2>{msg.web.committee.agenda}</h2>
      {m.agenda.length === 0 ? (
        <p>—</p>
      ) : (
        <ol>
          {m.agenda.map((a) => (
            <li>{a.titleTh}</li>
          ))}
        </ol>
      )}
      {m.documents.length === 0 ? null : (
        <>
          <h2>{msg.web.committee.documents}</h2>
          <ul>
            {m.documents.map((d) => (
              <li>
                <a href={d.url} rel="noopener noreferrer">
                  {d.titleTh}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>{msg.web.committee.attendance}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{msg.web.committee.name}</th>
            <th scope="col">{msg.web.committee.committeeRole}</th>
            <th scope="col">{msg.web.committee.answer}</th>
            <th scope="col">{msg.web.committee.delegate}</th>
          </tr>
        </thead>
        <tbody>
          {attendance.map((a) => (
            <tr>
              <td>{a.displayName}</td>
              <td>{committeeRoleTh[a.committeeRole as (typeof committeeRoles)[number]] ?? a.committeeRole}</td>
              <td>{answer(a.attend)}</td>
              <td>{a.delegate ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{msg.web.committee.minutes}</h2>
      {write && m.status !== 'cancelled' ? (
        <form method="post" action={officePath(o, back)} class="stack" novalidate>
          <Field name="minutesTh" label={msg.web.committee.minutes} type="textarea" {...res} />
          <label class="check">
            <input type="checkbox" name="held" value="1" checked={m.status === 'held'} /> {msg.web.committee.held}
          </label>
          <button type="submit">{msg.web.committee.saveMinutes}</button>
        </form>
      ) : (
        <p style="white-space:pre-wrap">{m.minutesTh ?? msg.web.committee.noMinutes}</p>
      )}
      <h2>{msg.web.committee.resolutions}</h2>
      {resolutions.length === 0 ? (
        <p>{msg.web.committee.noResolutions}</p>
      ) : (
        <TaskTable o={o} tasks={resolutions} today={localDate(now(), tz)} write={write} back={back} />
      )}
      {write && m.status !== 'cancelled' ? (
        <>
          <form
            method="post"
            action={officePath(o, `${back}/resolutions`)}
            class="stack"
            id="add-resolution"
            novalidate
          >
            <h3>{msg.web.committee.addResolution}</h3>
            <Field name="titleTh" label={msg.web.committee.resolution} id="resolution-title" {...res} />
            <PersonPicker
              name="ownerId"
              label={msg.web.committee.owner}
              action={officePath(o, `${back}#add-resolution`)}
              pick={pick}
              form={res}
            />
            <Field name="dueOn" label={msg.web.committee.due} type="date" {...res} />
            <button type="submit">{msg.web.committee.add}</button>
          </form>
          {m.status === 'planned' ? (
            <p>
              <a class="danger" href={officePath(o, `${back}/cancel`)}>
                {msg.web.committee.cancel}
              </a>
            </p>
          ) : null}
        </>
      ) : null}
    </>,
  );
}

/** Where a form posted from the overview or a meeting goes back to (only those two). */
const backTo = (o: OfficeRow, back: string | null) =>
  officePath(
    o,
    `${back !== null && /^\/committee\/meetings\/[0-9a-f-]{36}$/.test(back) ? back : '/committee'}?saved=1`,
  );

export function committeePages(app: Hono<AppEnv>): void {
  guard(app, '/committee', 'committee.read');

  app.get('/offices/:office/committee', async (c) => overview(c, await officeOf(c)));

  app.post('/offices/:office/committee/members', async (c) => {
    const o = await officeOf(c);
    const f = await formBody(c);
    const values = { personId: f.get('personId') ?? '', committeeRole: f.get('committeeRole') ?? 'member' };
    const parsed = membersBody.safeParse({ members: [values] });
    const shown = { ...values, who: f.get('who') ?? '' }; // the picker's search, shown again if refused
    const x = actionCtx(c, o.id);
    try {
      if (!parsed.success)
        throw new AppError('invalid_request', 'bad', [{ field: 'personId', message: msg.web.committee.errPerson }]);
      await addMembers(x, parsed.data);
    } catch (e) {
      const errors = errorsOf(e);
      if (errors === undefined) throw e;
      return overview(c, o, { member: { values: shown, errors: { personId: msg.web.committee.errPerson } } });
    }
    return c.redirect(backTo(o, null), 303);
  });

  // Removing a member: a page that asks, then a POST with confirm=yes.
  app.get('/offices/:office/committee/members/:id/remove', async (c) => {
    const o = await officeOf(c);
    const id = c.req.param('id');
    const m = (await listMembers(c.var.deps.db, o.id)).find((x) => x.personId === id);
    if (m === undefined) throw new AppError('not_found', 'No such committee member');
    return page(
      c,
      { title: msg.web.committee.removeTitle(m.displayName), office: o, active: 'committee' },
      <form method="post" action={officePath(o, `/committee/members/${m.personId}/remove`)} class="stack">
        <p>{msg.web.committee.removeBody}</p>
        <input type="hidden" name="confirm" value="yes" />
        <div class="actions">
          <button type="submit" class="danger">
            {msg.web.committee.confirmRemove}
          </button>
          <a href={officePath(o, '/committee')}>{msg.web.committee.back}</a>
        </div>
      </form>,
    );
  });

  app.post('/offices/:office/committee/members/:id/remove', async (c) => {
    const o = await officeOf(c);
    const id = c.req.param('id');
    if (!isUuid(id)) throw new AppError('not_found', 'No such committee member');
    const f = await formBody(c);
    if (f.get('confirm') !== 'yes') return c.redirect(officePath(o, `/committee/members/${id}/remove`), 303);
    await dropMember(actionCtx(c, o.id), id);
    return c.redirect(backTo(o, null), 303);
  });

  app.post('/offices/:office/committee/meetings', async (c) => {
    const o = await officeOf(c);
    const f = await formBody(c);
    const { db } = c.var.deps;
    const values: Values = Object.fromEntries(
      ['titleTh', 'date', 'time', 'placeTh', 'agenda', 'documents'].map((k) => [k, f.get(k) ?? '']),
    );
    const errors: Errors = {};
    const tz = await officeTimeZone(db, o.id);
    if (!isoDate.safeParse(values.date).success) errors.date = msg.web.committee.errDate;
    if (!/^\d{2}:\d{2}$/.test(values.time ?? '')) errors.time = msg.web.committee.errTime;
    const at =
      errors.date === undefined && errors.time === undefined
        ? parseLocalDateTime(`${values.date}T${values.time}`, tz)
        : NaN;
    const documents = parseDocs(values.documents ?? '');
    if (documents === undefined) errors.documents = msg.web.committee.errDocs;
    const parsed = meetingBody.safeParse({
      titleTh: values.titleTh,
      startsAt: Number.isNaN(at) ? '' : new Date(at).toISOString(),
      placeTh: values.placeTh,
      agenda: lines(values.agenda ?? '').map((titleTh) => ({ titleTh })),
      documents: documents ?? [],
    });
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const k = String(i.path[0]);
        if (k === 'titleTh' || k === 'placeTh') errors[k] ??= msg.web.committee.errRequired;
        else if (k === 'documents') errors.documents ??= msg.web.committee.errDocs;
        else if (k === 'agenda') errors.agenda ??= msg.web.committee.errRequired;
        else if (k === 'startsAt') errors.date ??= msg.web.committee.errDate;
      }
    }
    if (Object.keys(errors).length > 0 || !parsed.success) return overview(c, o, { meeting: { values, errors } });
    try {
      const out = await createMeeting(actionCtx(c, o.id), parsed.data);
      return c.redirect(officePath(o, `/committee/meetings/${out.id}?saved=1`), 303);
    } catch (e) {
      const refused = errorsOf(e, { startsAt: 'date' });
      if (refused === undefined) throw e;
      return overview(c, o, { meeting: { values, errors: refused } });
    }
  });

  app.get('/offices/:office/committee/meetings/:id', async (c) => {
    const o = await officeOf(c);
    return meetingPage(c, o, await meetingOf(c, o));
  });

  // Minutes, and whether it was held.
  app.post('/offices/:office/committee/meetings/:id', async (c) => {
    const o = await officeOf(c);
    const m = await meetingOf(c, o);
    const f = await formBody(c);
    const parsed = meetingPatch.safeParse({
      minutesTh: f.get('minutesTh') ?? '',
      ...(f.get('held') === '1' ? { status: 'held' } : {}),
    });
    if (!parsed.success) {
      return meetingPage(c, o, m, {
        values: { minutesTh: f.get('minutesTh') ?? '' },
        errors: { minutesTh: msg.web.committee.errRequired },
      });
    }
    await updateMeeting(actionCtx(c, o.id), m.id, parsed.data);
    return c.redirect(backTo(o, `/committee/meetings/${m.id}`), 303);
  });

  app.get('/offices/:office/committee/meetings/:id/cancel', async (c) => {
    const o = await officeOf(c);
    const m = await meetingOf(c, o);
    return page(
      c,
      { title: msg.web.committee.cancelTitle(m.titleTh), office: o, active: 'committee' },
      <form method="post" action={officePath(o, `/committee/meetings/${m.id}/cancel`)} class="stack">
        <p>{msg.web.committee.cancelBody}</p>
        <input type="hidden" name="confirm" value="yes" />
        <div class="actions">
          <button type="submit" class="danger">
            {msg.web.committee.confirmCancel}
          </button>
          <a href={officePath(o, `/committee/meetings/${m.id}`)}>{msg.web.committee.back}</a>
        </div>
      </form>,
    );
  });

  app.post('/offices/:office/committee/meetings/:id/cancel', async (c) => {
    const o = await officeOf(c);
    const m = await meetingOf(c, o);
    const f = await formBody(c);
    if (f.get('confirm') !== 'yes') return c.redirect(officePath(o, `/committee/meetings/${m.id}/cancel`), 303);
    await updateMeeting(actionCtx(c, o.id), m.id, {
      status: 'cancelled',
    });
    return c.redirect(backTo(o, `/committee/meetings/${m.id}`), 303);
  });

  app.post('/offices/:office/committee/meetings/:id/resolutions', async (c) => {
    const o = await officeOf(c);
    const m = await meetingOf(c, o);
    const f = await formBody(c);
    const values: Values = {
      titleTh: f.get('titleTh') ?? '',
      ownerId: f.get('ownerId') ?? '',
      dueOn: f.get('dueOn') ?? '',
      minutesTh: m.minutesTh ?? '',
      who: f.get('who') ?? '',
    };
    const parsed = resolutionsBody.safeParse({
      resolutions: [{ titleTh: values.titleTh, ownerId: values.ownerId, dueOn: values.dueOn }],
    });
    const errors: Errors = {};
    if (!parsed.success) {
      for (const i of parsed.error.issues) {
        const k = String(i.path[2]);
        errors[k] ??=
          k === 'ownerId'
            ? msg.web.committee.errPerson
            : k === 'dueOn'
              ? msg.web.committee.errDate
              : msg.web.committee.errRequired;
      }
      return meetingPage(c, o, m, { values, errors });
    }
    try {
      await addResolutions(actionCtx(c, o.id), m.id, parsed.data);
    } catch (e) {
      const refused = errorsOf(e);
      if (refused === undefined) throw e;
      return meetingPage(c, o, m, { values, errors: refused });
    }
    return c.redirect(backTo(o, `/committee/meetings/${m.id}`), 303);
  });

  app.post('/offices/:office/committee/plan', async (c) => {
    const o = await officeOf(c);
    const f = await formBody(c);
    const values: Values = Object.fromEntries(
      ['academicYear', 'area', 'titleTh', 'tools', 'startsOn', 'endsOn'].map((k) => [k, f.get(k) ?? '']),
    );
    const year = /^\d{4}$/.test(values.academicYear?.trim() ?? '') ? Number(values.academicYear) : NaN;
    const parsed = planBody.safeParse({
      items: [
        {
          academicYear: year,
          area: values.area,
          titleTh: values.titleTh,
          tools: (values.tools ?? '')
            .split(',')
            .map((t) => t.trim())
            .filter((t) => t !== ''),
          startsOn: values.startsOn,
          endsOn: values.endsOn,
        },
      ],
    });
    const text: Record<string, string> = {
      academicYear: msg.web.committee.errYear,
      tools: msg.web.committee.errTools,
      startsOn: msg.web.committee.errDate,
      endsOn: msg.web.committee.errDate,
    };
    if (!parsed.success) {
      const errors: Errors = {};
      for (const i of parsed.error.issues) {
        const k = String(i.path[2]);
        errors[k] ??= text[k] ?? msg.web.committee.errRequired;
      }
      return overview(c, o, { plan: { values, errors } });
    }
    try {
      await addPlanItems(actionCtx(c, o.id), parsed.data);
    } catch (e) {
      const refused = errorsOf(e);
      if (refused === undefined) throw e;
      return overview(c, o, { plan: { values, errors: { endsOn: msg.web.committee.errEnds } } });
    }
    return c.redirect(`${backTo(o, null)}#plan`, 303);
  });

  app.post('/offices/:office/committee/tasks/:id/done', async (c) => {
    const o = await officeOf(c);
    const id = c.req.param('id');
    if (!isUuid(id)) throw new AppError('not_found', 'No such task');
    const f = await formBody(c);
    const note = (f.get('noteTh') ?? '').trim();
    const parsed = doneBody.safeParse(note === '' ? {} : { noteTh: note });
    await finishTask(actionCtx(c, o.id), id, parsed.success ? parsed.data : {});
    return c.redirect(backTo(o, f.get('back')), 303);
  });
}
