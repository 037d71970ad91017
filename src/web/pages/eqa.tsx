/** @jsxImportSource hono/jsx */
// The external quality assessment (สมศ.) on the web (issue 16 item 4): the office sees every school's readiness
// (the one rule, src/eqa/readiness.ts), which are ready to propose and which are due this academic year; an admin
// records a school's IQA steps, scheduled date and note, and types สมศ.'s levels per standard (or imports them,
// /imports?kind=eqa). Through the API's own actions (src/eqa/eqa.actions.ts), audited, each error beside its field.
// Directors read; supervisors have no office-wide page. The school page shows the results beside its own SAR.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf } from '../../admin/auth.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { can } from '../../admin/scope.js';
import { parseThaiDate } from '../../checklists/parse.js';
import type { AppEnv } from '../../deps.js';
import type { FieldIssue } from '../../errors.js';
import {
  eqaResultsBody,
  eqaSchoolBody,
  eqaSchools,
  recordEqaResults,
  updateEqaSchool,
  type EqaSchool,
} from '../../eqa/eqa.actions.js';
import { eqaOfSchool, type EqaSchoolRow } from '../../eqa/eqa.queries.js';
import { IQA_STEPS, readinessOf, readinessTh, sarLevels, type Readiness } from '../../eqa/readiness.js';
import type { SchoolSarRow } from '../../sar/feedback.queries.js';
import { sarStandards } from '../../sar/synthesis.js';
import { RATING_LEVELS } from '../../checklists/answers.js';
import { localDate, thaiCalendarDate } from '../../time/thai.js';
import { te } from '../eqa.th.js';
import { formBody } from '../session.js';
import { Field, orFormErrors, zodIssues } from './fields.js';
import { schoolOf } from './schools.js';
import { guard, need, officePath, page, Pager, scopeOfPage, type Ctx } from './render.js';

/** Schools listed per page (the figures count every school; the list is paged by code to keep the page light). */
export const EQA_PAGE_SIZE = 100;

/** The standards the result form offers (both SAR forms, early childhood and basic, have three). */
const FORM_STANDARDS = [1, 2, 3] as const;

const shows = ['propose', 'due', 'ready', 'not_ready', 'all'] as const;
type Show = (typeof shows)[number];

const keep: Record<Show, (s: EqaSchool) => boolean> = {
  propose: (s) => s.toPropose,
  due: (s) => s.dueThisYear,
  ready: (s) => s.readiness.status === 'ready',
  not_ready: (s) => s.readiness.status !== 'ready',
  all: () => true,
};

export function ReadinessCell(props: { r: Readiness }): Child {
  return (
    <>
      <b data-readiness={props.r.status}>{readinessTh[props.r.status]}</b>
      {props.r.missing.length === 0 ? null : (
        <ul class="muted">
          {props.r.missing.map((m) => (
            <li>{m}</li>
          ))}
        </ul>
      )}
    </>
  );
}

type Errors = Partial<Record<'iqaSteps' | 'scheduledOn' | 'noteTh' | 'assessedOn' | 'levels', string>>;

function errorsOf(issues: readonly FieldIssue[]): Errors {
  const out: Errors = {};
  for (const i of issues) {
    const f = i.field.split('.')[0] as keyof Errors;
    if (f in te.err && out[f] === undefined) out[f] = te.err[f];
  }
  return out;
}

interface RecordValues {
  steps: string[];
  scheduledOn: string;
  note: string;
}
interface ResultValues {
  assessedOn: string;
  levels: Record<number, string>;
}

function SchoolForms(props: { o: OfficeRow; id: string; rec: RecordValues; res: ResultValues; e: Errors }): Child {
  const { o, id, rec, res, e } = props;
  const base = officePath(o, `/eqa/schools/${id}`);
  return (
    <>
      {Object.keys(e).length === 0 ? null : (
        <p class="error" role="alert">
          {te.fixErrors}
        </p>
      )}
      <form method="post" action={base} class="stack" novalidate>
        <fieldset>
          <legend>{te.steps}</legend>
          {IQA_STEPS.map((s) => (
            <label class="choice">
              <input type="checkbox" name="iqaSteps" value={s.key} checked={rec.steps.includes(s.key)} /> {s.ref} {s.th}
            </label>
          ))}
          <span class="muted">{te.stepsHint}</span>
        </fieldset>
        <Field
          name="scheduledOn"
          label={te.scheduledOn}
          hint={te.dateHint}
          error={e.scheduledOn}
          control={(a) => <input {...a} type="text" value={rec.scheduledOn} maxlength={40} autocomplete="off" />}
        />
        <Field
          name="noteTh"
          label={te.note}
          error={e.noteTh}
          control={(a) => (
            <textarea {...a} rows={2} maxlength={1000}>
              {rec.note}
            </textarea>
          )}
        />
        <div class="actions">
          <button type="submit">{te.save}</button>
        </div>
      </form>
      <h2>{te.results}</h2>
      <form method="post" action={`${base}/results`} class="stack" novalidate>
        <p class="muted">
          {te.resultsHint} · <a href={officePath(o, '/imports?kind=eqa')}>{te.importLink}</a>
        </p>
        <Field
          name="assessedOn"
          label={te.assessedOn}
          error={e.assessedOn}
          control={(a) => <input {...a} type="text" value={res.assessedOn} maxlength={40} autocomplete="off" />}
        />
        <fieldset
          aria-invalid={e.levels === undefined ? undefined : 'true'}
          aria-describedby={e.levels === undefined ? undefined : 'levels-error'}
        >
          <legend>{te.results}</legend>
          {FORM_STANDARDS.map((n) => (
            <label class="check">
              {te.standard(n)}{' '}
              <select name={`level${n}`}>
                <option value="">–</option>
                {RATING_LEVELS.map((l) => (
                  <option value={String(l.value)} selected={res.levels[n] === String(l.value)}>
                    {l.value} {l.th}
                  </option>
                ))}
              </select>
            </label>
          ))}
          {e.levels === undefined ? null : (
            <p id="levels-error" class="field-error">
              {e.levels}
            </p>
          )}
        </fieldset>
        <div class="actions">
          <button type="submit">{te.saveResults}</button>
        </div>
      </form>
    </>
  );
}

/** A typed Thai or ISO date as YYYY-MM-DD; '' stays null; unreadable is undefined. */
function dateOf(text: string, today: string): string | null | undefined {
  if (text.trim() === '') return null;
  const d = parseThaiDate(text.trim(), today);
  return d.ok ? d.value : undefined;
}

const recordValues = (r: EqaSchoolRow): RecordValues => ({
  steps: r.iqa_steps,
  scheduledOn: r.scheduled_on ?? '',
  note: r.note_th ?? '',
});

export function eqaPages(app: Hono<AppEnv>): void {
  guard(app, '/eqa', 'office.read');

  app.get('/offices/:office/eqa', async (c) => {
    const o = await officeOf(c);
    const scope = scopeOfPage(c);
    const { db, now } = c.var.deps;
    const show: Show = shows.find((s) => s === c.req.query('show')) ?? 'all';
    const schools = await eqaSchools(db, o.id, scope, now(), o.time_zone);
    const after = c.req.query('after')?.slice(0, 20) ?? '';
    const matching = schools.filter(keep[show]).filter((s) => s.code > after);
    const shown = matching.slice(0, EQA_PAGE_SIZE);
    const last = shown.at(-1);
    const write = can(scope, 'office.write');
    const count = (f: (s: EqaSchool) => boolean) => schools.filter(f).length;
    const link = (s: Show, label: string, n: number) => (
      <>
        <dt>{label}</dt>
        <dd data-figure={s}>
          <a href={officePath(o, `/eqa?show=${s}`)}>{n}</a>
        </dd>
      </>
    );
    return page(
      c,
      { title: te.title, office: o, active: 'eqa' },
      <>
        <p class="muted">{te.intro}</p>
        <dl class="figures">
          {link('ready', te.ready, count(keep.ready))}
          {link('propose', te.toPropose, count(keep.propose))}
          {link('due', te.dueThisYear, count(keep.due))}
          <dt>{te.assessed}</dt>
          <dd data-figure="assessed">{count((s) => s.lastAssessedOn !== null)}</dd>
        </dl>
        <p class="actions">
          {te.show}:{' '}
          {shows.map((s) =>
            s === show ? (
              <b>{s === 'all' ? te.showAll : s}</b>
            ) : (
              <a href={officePath(o, `/eqa?show=${s}`)}>{s === 'all' ? te.showAll : s}</a>
            ),
          )}
        </p>
        {shown.length === 0 ? (
          <p>{te.none}</p>
        ) : (
          <table data-list="eqa">
            <thead>
              <tr>
                <th scope="col">{te.school}</th>
                <th scope="col">{te.readiness}</th>
                <th scope="col">{te.scheduled}</th>
                <th scope="col">{te.lastAssessed}</th>
                {write ? <th scope="col">{te.edit}</th> : null}
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <tr data-school={s.id}>
                  <th scope="row">
                    <a href={officePath(o, `/schools/${s.id}`)}>{s.name}</a>
                    <div class="muted">
                      {s.code} · {s.cluster ?? '–'}
                    </div>
                  </th>
                  <td>
                    <ReadinessCell r={s.readiness} />
                  </td>
                  <td data-figure="scheduled">
                    {s.scheduledOn === null ? '–' : thaiCalendarDate(s.scheduledOn)}
                    {s.dueThisYear ? <div class="muted">{te.dueThisYear}</div> : null}
                  </td>
                  <td>{s.lastAssessedOn === null ? '–' : thaiCalendarDate(s.lastAssessedOn)}</td>
                  {write ? (
                    <td>
                      <a href={officePath(o, `/eqa/schools/${s.id}`)}>{te.edit}</a>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager
          first={after === '' ? undefined : officePath(o, `/eqa?show=${show}`)}
          next={
            matching.length > EQA_PAGE_SIZE && last !== undefined
              ? officePath(o, `/eqa?show=${show}&after=${encodeURIComponent(last.code)}`)
              : undefined
          }
        />
      </>,
    );
  });

  const schoolPage = async (c: Ctx, o: OfficeRow, rec?: RecordValues, res?: ResultValues, e: Errors = {}) => {
    const s = await schoolOf(c, o);
    const r = await eqaOfSchool(c.var.deps.db, o.id, s.id);
    return page(
      c,
      { title: te.schoolTitle(s.nameTh), office: o, active: 'eqa', status: Object.keys(e).length > 0 ? 400 : 200 },
      <>
        {c.req.query('saved') === '1' ? (
          <p class="notice" role="status">
            {te.saved}
          </p>
        ) : null}
        <p class="actions">
          <a href={officePath(o, `/schools/${s.id}`)}>{s.nameTh}</a>
          <a href={officePath(o, '/eqa')}>{te.back}</a>
        </p>
        <SchoolForms o={o} id={s.id} rec={rec ?? recordValues(r)} res={res ?? { assessedOn: '', levels: {} }} e={e} />
      </>,
    );
  };

  app.get('/offices/:office/eqa/schools/:id', async (c) => {
    need(c, 'office.write');
    return schoolPage(c, await officeOf(c));
  });

  app.post('/offices/:office/eqa/schools/:id', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const s = await schoolOf(c, o);
    const f = await formBody(c);
    const rec: RecordValues = {
      steps: f.getAll('iqaSteps'),
      scheduledOn: f.get('scheduledOn') ?? '',
      note: f.get('noteTh') ?? '',
    };
    const scheduledOn = dateOf(rec.scheduledOn, localDate(c.var.deps.now(), o.time_zone));
    const parsed = eqaSchoolBody.safeParse({
      iqaSteps: rec.steps,
      // An unreadable date fails isoDate, so the refusal names the field like any other.
      scheduledOn: scheduledOn === undefined ? 'unreadable' : scheduledOn,
      noteTh: rec.note.trim() === '' ? null : rec.note,
    });
    const result = parsed.success
      ? await orFormErrors(() => updateEqaSchool(c.var.deps.db, o.id, s.id, parsed.data, { actor: actorOf(c) }))
      : { issues: zodIssues(parsed.error) };
    if ('issues' in result) return schoolPage(c, o, rec, undefined, errorsOf(result.issues));
    return c.redirect(officePath(o, `/eqa/schools/${s.id}?saved=1`), 303);
  });

  app.post('/offices/:office/eqa/schools/:id/results', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const s = await schoolOf(c, o);
    const f = await formBody(c);
    const res: ResultValues = {
      assessedOn: f.get('assessedOn') ?? '',
      levels: Object.fromEntries(FORM_STANDARDS.map((n) => [n, f.get(`level${n}`) ?? ''])),
    };
    const assessedOn = dateOf(res.assessedOn, localDate(c.var.deps.now(), o.time_zone));
    const parsed = eqaResultsBody.safeParse({
      assessedOn: assessedOn ?? '',
      levels: FORM_STANDARDS.flatMap((n) =>
        res.levels[n] === '' ? [] : [{ standard: n, level: Number(res.levels[n]) }],
      ),
    });
    const result = parsed.success
      ? await orFormErrors(() => recordEqaResults(c.var.deps.db, o.id, s.id, parsed.data, { actor: actorOf(c) }))
      : { issues: zodIssues(parsed.error) };
    if ('issues' in result) return schoolPage(c, o, undefined, res, errorsOf(result.issues));
    return c.redirect(officePath(o, `/eqa/schools/${s.id}?saved=1`), 303);
  });
}

/**
 * The school page's part (§5.3.1: the external results analysed beside the school's own): readiness, the scheduled
 * date, and the latest assessment's level per standard beside the school's latest SAR level and the difference.
 */
export function EqaSection(props: {
  o: OfficeRow;
  schoolId: string;
  sar: SchoolSarRow | undefined;
  eqa: EqaSchoolRow;
  now: number;
  write: boolean;
}): Child {
  const { o, sar, eqa } = props;
  const own = sarLevels(sar?.answers ?? null);
  const readiness = readinessOf(
    {
      sar: sar === undefined || sar.submitted_ms === null ? null : { submittedMs: sar.submitted_ms, levels: own },
      steps: eqa.iqa_steps,
    },
    props.now,
  );
  const latest = eqa.results[0]?.assessedOn;
  const ext = new Map(eqa.results.filter((r) => r.assessedOn === latest).map((r) => [r.standard, r.level]));
  const labels = new Map(
    (sar?.definition === null || sar === undefined ? [] : sarStandards(sar.definition)).map((s) => [
      Number(s.key.slice(1)),
      s.label,
    ]),
  );
  const numbers = [...new Set([...Object.keys(own).map(Number), ...ext.keys()])].sort((a, b) => a - b);
  return (
    <section id="eqa" data-eqa>
      <h2>{te.title}</h2>
      <dl class="figures">
        <dt>{te.readiness}</dt>
        <dd>
          <ReadinessCell r={readiness} />
        </dd>
        <dt>{te.scheduled}</dt>
        <dd data-figure="scheduled">{eqa.scheduled_on === null ? '–' : thaiCalendarDate(eqa.scheduled_on)}</dd>
      </dl>
      {props.write ? (
        <p class="actions">
          <a href={officePath(o, `/eqa/schools/${props.schoolId}`)}>{te.edit}</a>
        </p>
      ) : null}
      {latest === undefined ? (
        <p>{te.noResults}</p>
      ) : (
        <table data-list="eqa-comparison">
          <caption>{te.comparison}</caption>
          <thead>
            <tr>
              <th scope="col">{te.standardCol}</th>
              <th scope="col">{te.own}</th>
              <th scope="col">{te.external(thaiCalendarDate(latest))}</th>
              <th scope="col">{te.difference}</th>
            </tr>
          </thead>
          <tbody>
            {numbers.map((n) => {
              const a = own[n] ?? null;
              const b = ext.get(n) ?? null;
              return (
                <tr data-standard={n}>
                  <th scope="row">{labels.get(n) ?? te.standard(n)}</th>
                  <td class="n" data-figure="own">
                    {a ?? '–'}
                  </td>
                  <td class="n" data-figure="external">
                    {b ?? '–'}
                  </td>
                  <td class="n" data-figure="difference">
                    {a === null || b === null ? '–' : b - a > 0 ? `+${b - a}` : String(b - a)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
