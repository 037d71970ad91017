/** @jsxImportSource hono/jsx */
// The office SAR on the web (issue 16 item 2, seed 003): the years' SARs and a new one; a year's progress — the
// manual's step calendar as dated milestones with their owner and status, each indicator's level from last year
// beside this year's, and the printable/XLSX report; one indicator's level and result entered by its lead group.
// The groups and the standard are office-groups.tsx and office-standard.tsx, under the same guard. Changes go
// through src/officesar/officesar.actions.ts, as the API's do. Who: admins change everything; directors read; a
// supervisor who is in one of the office's groups reads these pages and enters the indicators their group leads
// (the statement that writes checks the lead group); other supervisors get a 403.
import type { Hono, MiddlewareHandler } from 'hono';
import { isoDate } from '../../admin/validate.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { can } from '../../admin/scope.js';
import { actionCtx, finishTask } from '../../committee/committee.actions.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { isUuid } from '../../ids/uuid.js';
import {
  createOfficeSar,
  indicatorTaskTitle,
  recordOfficeResults,
  resultSchema,
  sarBody,
  stepCalendar,
  stepTaskTitle,
} from '../../officesar/officesar.actions.js';
import { mayOpenOfficeSar } from '../../officesar/access.js';
import { listGroups, listSars, sarWithBaseline, type SarRow } from '../../officesar/officesar.queries.js';
import type { Indicator } from '../../officesar/standard.js';
import { officeYearNow } from '../../reports/facts.queries.js';
import { listTasks } from '../../tasks/tasks.queries.js';
import { localDate, thaiCalendarDate } from '../../time/thai.js';
import { formBody } from '../session.js';
import { LevelField, TextArea, TextField } from './fields.js';
import { officeGroupPages } from './office-groups.js';
import { officeStandardPages } from './office-standard.js';
import { SarNav, Status, type Errors, type Values } from './office-parts.js';
import { apiPath, officePath, page, scopeOfPage, type Ctx } from './render.js';
import { msg } from '../../i18n/msg.js';

/**
 * office.read, or a supervisor in one of the office's groups (src/officesar/access.ts, as the menu decides); everything
 * else a 403 before anything is read. Another office's path is a 404 first, as before.
 */
const access: MiddlewareHandler<AppEnv> = async (c, next) => {
  const scope = scopeOfPage(c);
  if (!can(scope, 'office.read')) await officeOf(c);
  if (!mayOpenOfficeSar(scope, c.var.officeGroup === true)) {
    throw new AppError('forbidden', 'The office SAR is the office’s and its groups’');
  }
  await next();
};

async function overview(c: Ctx, o: OfficeRow, form?: { values: Values; errors: Errors }) {
  const write = can(scopeOfPage(c), 'office.write');
  const { db, now } = c.var.deps;
  const [sars, { year, today }] = await Promise.all([listSars(db, o.id), officeYearNow(db, o.id, now())]);
  const values = form?.values ?? { year: String(year), startsOn: today };
  const errors = form?.errors ?? {};
  return page(
    c,
    { title: msg.web.officeSar.title, office: o, active: 'office-sar', ...(form === undefined ? {} : { status: 400 }) },
    <>
      <p class="muted">{msg.web.officeSar.intro}</p>
      <SarNav o={o} />
      <Status saved={c.req.query('saved') === '1'} failed={form !== undefined} />
      <h2>{msg.web.officeSar.years}</h2>
      {sars.length === 0 ? (
        <p>{msg.web.officeSar.noYears}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{msg.web.officeSar.year}</th>
              <th scope="col">{msg.web.officeSar.startsOn}</th>
              <th scope="col">{msg.web.officeSar.version}</th>
              <th scope="col">{msg.web.officeSar.entered}</th>
            </tr>
          </thead>
          <tbody>
            {sars.map((s) => (
              <tr data-sar={s.year}>
                <td>
                  <a href={officePath(o, `/office-sar/sars/${s.id}`)}>{s.year}</a>
                </td>
                <td>{thaiCalendarDate(s.startsOn)}</td>
                <td class="n">{s.version}</td>
                <td class="n">{s.entered}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {write ? (
        <form method="post" action={officePath(o, '/office-sar')} class="stack" novalidate>
          <h3>{msg.web.officeSar.newYear}</h3>
          <p class="muted">{msg.web.officeSar.newYearHint}</p>
          <TextField name="year" label={msg.web.officeSar.year} type="number" values={values} errors={errors} />
          <TextField name="startsOn" label={msg.web.officeSar.startsOn} type="date" values={values} errors={errors} />
          <button type="submit">{msg.web.officeSar.start}</button>
        </form>
      ) : null}
    </>,
  );
}

async function sarOf(c: Ctx, o: OfficeRow): Promise<SarRow> {
  const id = c.req.param('id') ?? '';
  const sar = isUuid(id) ? await sarWithBaseline(c.var.deps.db, o.id, id) : undefined;
  if (sar === undefined) throw new AppError('not_found', 'No such office SAR');
  return sar;
}

/** The groups' codes the session's person is in (none for an office token). */
async function myGroups(c: Ctx, o: OfficeRow) {
  const groups = await listGroups(c.var.deps.db, o.id);
  const me = scopeOfPage(c).personId;
  return {
    groups,
    mine: new Set(groups.filter((g) => g.members.some((m) => m.id === me)).map((g) => g.code)),
  };
}

/** Whether this session may enter the indicator: an admin any, a supervisor those their group leads. */
const mayEnter = (c: Ctx, mine: Set<string>, i: Indicator) =>
  can(scopeOfPage(c), 'office.write') ||
  (can(scopeOfPage(c), 'own.write') && i.leadGroup !== null && mine.has(i.leadGroup));

async function yearPage(c: Ctx, o: OfficeRow, sar: SarRow) {
  const scope = scopeOfPage(c);
  const write = can(scope, 'office.write');
  const { db, now } = c.var.deps;
  const [tasks, { groups, mine }] = await Promise.all([listTasks(db, o.id, { sourceId: sar.id }), myGroups(c, o)]);
  const today = localDate(now(), o.time_zone);
  const byTitle = new Map(tasks.map((t) => [t.titleTh, t]));
  const groupName = new Map(groups.map((g) => [g.code, g.nameTh]));
  const calendar = stepCalendar(sar.startsOn);
  const level = (r: { level: number } | undefined) => (r === undefined ? '—' : String(r.level));
  return page(
    c,
    { title: msg.web.officeSar.sarTitle(sar.year), office: o, active: 'office-sar' },
    <>
      <SarNav o={o} />
      <Status saved={c.req.query('saved') === '1'} failed={false} />
      <dl class="figures">
        <dt>{msg.web.officeSar.startsOn}</dt>
        <dd>{thaiCalendarDate(sar.startsOn)}</dd>
        <dt>{msg.web.officeSar.entered}</dt>
        <dd data-figure="entered">
          {Object.keys(sar.results).length} / {sar.definition.indicators.length}
        </dd>
      </dl>
      {can(scope, 'exports') ? (
        <p class="actions">
          <a href={apiPath(o, `/office-sars/${sar.id}/report`)}>{msg.web.officeSar.report}</a>
          <a href={apiPath(o, `/office-sars/${sar.id}/report?format=xlsx`)}>{msg.web.officeSar.reportXlsx}</a>
        </p>
      ) : null}
      <h2 id="milestones">{msg.web.officeSar.milestones}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{msg.web.officeSar.step}</th>
            <th scope="col">{msg.web.officeSar.what}</th>
            <th scope="col">{msg.web.officeSar.dates}</th>
            <th scope="col">{msg.web.officeSar.owner}</th>
            <th scope="col">{msg.web.officeSar.status}</th>
          </tr>
        </thead>
        <tbody>
          {calendar.map((s) => {
            const t = byTitle.get(stepTaskTitle(sar.year, s));
            return (
              <tr data-step={s.no}>
                <td class="n">{s.no}</td>
                <td>{s.titleTh}</td>
                <td>
                  {thaiCalendarDate(s.startsOn)} – {thaiCalendarDate(s.dueOn)}
                </td>
                <td>{t?.ownerName ?? '—'}</td>
                <td>
                  {t?.status === 'done' ? (
                    msg.web.officeSar.done
                  ) : (
                    <>
                      {msg.web.officeSar.pending}
                      {s.dueOn < today ? <strong class="danger"> {msg.web.officeSar.overdue}</strong> : null}
                      {write && t !== undefined ? (
                        <form method="post" action={officePath(o, `/office-sar/tasks/${t.id}/done`)}>
                          <input type="hidden" name="sar" value={sar.id} />
                          <button type="submit">{msg.web.officeSar.markDone}</button>
                        </form>
                      ) : null}
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {calendar.some((s) => byTitle.get(stepTaskTitle(sar.year, s))?.ownerName != null) ? null : (
        <p class="muted">{msg.web.officeSar.noHost}</p>
      )}
      <h2 id="indicators">{msg.web.officeSar.indicators}</h2>
      {write ? null : <p class="muted">{msg.web.officeSar.yourGroups}</p>}
      <table>
        <thead>
          <tr>
            <th scope="col">{msg.web.officeSar.indicator}</th>
            <th scope="col">{msg.web.officeSar.standardNo}</th>
            <th scope="col">{msg.web.officeSar.lead}</th>
            <th scope="col">{msg.web.officeSar.targetLevel}</th>
            <th scope="col">{msg.web.officeSar.outputs}</th>
            <th scope="col">{msg.web.officeSar.lastYear}</th>
            <th scope="col">{msg.web.officeSar.thisYear}</th>
            <th scope="col">{msg.web.officeSar.result}</th>
            <th scope="col">{msg.web.officeSar.owner}</th>
          </tr>
        </thead>
        <tbody>
          {sar.definition.indicators.map((i) => {
            const owners = tasks.filter((t) => t.titleTh === indicatorTaskTitle(sar.year, i));
            return (
              <tr data-indicator={i.code}>
                <td>
                  {i.code} {i.titleTh ?? msg.web.officeSar.notSaid}
                </td>
                <td>{i.standard === 0 ? msg.web.officeSar.notSaid : i.standard}</td>
                <td>{i.leadGroup === null ? '—' : (groupName.get(i.leadGroup) ?? i.leadGroup)}</td>
                <td class="n">{i.targetLevel ?? '—'}</td>
                <td>{i.outputsTh ?? '—'}</td>
                <td class="n" data-cell="last">
                  {level(sar.previous?.[i.code])}
                </td>
                <td class="n" data-cell="this">
                  {level(sar.results[i.code])}
                </td>
                <td>
                  {sar.results[i.code]?.resultTh ?? ''}
                  {mayEnter(c, mine, i) ? (
                    <>
                      {' '}
                      <a href={officePath(o, `/office-sar/sars/${sar.id}/indicators/${encodeURIComponent(i.code)}`)}>
                        {msg.web.officeSar.enter}
                      </a>
                    </>
                  ) : null}
                </td>
                <td>{owners.map((t) => t.ownerName ?? '—').join(', ') || '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </>,
  );
}

function indicatorOf(c: Ctx, sar: SarRow): Indicator {
  const i = sar.definition.indicators.find((x) => x.code === c.req.param('code'));
  if (i === undefined) throw new AppError('not_found', 'No such indicator');
  return i;
}

async function entryPage(c: Ctx, o: OfficeRow, sar: SarRow, i: Indicator, form?: { values: Values; errors: Errors }) {
  const { mine } = await myGroups(c, o);
  if (!mayEnter(c, mine, i)) throw new AppError('forbidden', 'Only the lead group enters this indicator');
  const now = sar.results[i.code];
  const values = form?.values ?? { level: now === undefined ? '' : String(now.level), resultTh: now?.resultTh ?? '' };
  const errors = form?.errors ?? {};
  const last = sar.previous?.[i.code];
  return page(
    c,
    {
      title: msg.web.officeSar.enterTitle(i.code, sar.year),
      office: o,
      active: 'office-sar',
      ...(form ? { status: 400 } : {}),
    },
    <>
      <p>
        <a href={officePath(o, `/office-sar/sars/${sar.id}`)}>← {msg.web.officeSar.sarTitle(sar.year)}</a>
      </p>
      <Status saved={false} failed={form !== undefined} />
      <dl class="figures">
        <dt>{msg.web.officeSar.indicatorTitle}</dt>
        <dd>{i.titleTh ?? msg.web.officeSar.notSaid}</dd>
        <dt>{msg.web.officeSar.target}</dt>
        <dd>
          {i.targetTh ?? msg.web.officeSar.notSaid} ({msg.web.officeSar.targetLevel}: {i.targetLevel ?? '—'})
        </dd>
        <dt>{msg.web.officeSar.outputs}</dt>
        <dd>{i.outputsTh ?? msg.web.officeSar.notSaid}</dd>
        <dt>{msg.web.officeSar.lastYear}</dt>
        <dd data-figure="last">{last === undefined ? '—' : `${last.level} — ${last.resultTh}`}</dd>
      </dl>
      <form
        method="post"
        action={officePath(o, `/office-sar/sars/${sar.id}/indicators/${encodeURIComponent(i.code)}`)}
        class="stack"
        novalidate
      >
        <LevelField
          name="level"
          label={msg.web.officeSar.level}
          choose={msg.web.officeSar.chooseOne}
          required
          values={values}
          errors={errors}
        />
        <TextArea
          name="resultTh"
          label={msg.web.officeSar.result}
          max={5000}
          rows={5}
          values={values}
          errors={errors}
        />
        <button type="submit">{msg.web.officeSar.save}</button>
      </form>
    </>,
  );
}

export function officeSarPages(app: Hono<AppEnv>): void {
  app.use('/offices/:office/office-sar', access);
  app.use('/offices/:office/office-sar/*', access);
  officeGroupPages(app);
  officeStandardPages(app);

  app.get('/offices/:office/office-sar', async (c) => overview(c, await officeOf(c)));

  app.post('/offices/:office/office-sar', async (c) => {
    const o = await officeOf(c);
    const f = await formBody(c);
    const values = { year: f.get('year') ?? '', startsOn: f.get('startsOn') ?? '' };
    const errors: Errors = {};
    const year = /^\d{4}$/.test(values.year.trim()) ? Number(values.year) : NaN;
    if (!isoDate.safeParse(values.startsOn).success) errors.startsOn = msg.web.officeSar.errDate;
    const parsed = sarBody.safeParse({ year, startsOn: values.startsOn });
    if (!parsed.success && errors.startsOn === undefined) errors.year = msg.web.officeSar.errYear;
    if (!parsed.success || Object.keys(errors).length > 0) return overview(c, o, { values, errors });
    try {
      const out = await createOfficeSar(actionCtx(c, o.id), parsed.data);
      return c.redirect(officePath(o, `/office-sar/sars/${out.id}?saved=1`), 303);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'conflict') throw e;
      return overview(c, o, { values, errors: { year: e.issues[0]?.message ?? msg.web.officeSar.errYear } });
    }
  });

  app.get('/offices/:office/office-sar/sars/:id', async (c) => {
    const o = await officeOf(c);
    return yearPage(c, o, await sarOf(c, o));
  });

  app.get('/offices/:office/office-sar/sars/:id/indicators/:code', async (c) => {
    const o = await officeOf(c);
    const sar = await sarOf(c, o);
    return entryPage(c, o, sar, indicatorOf(c, sar));
  });

  // A level and result: an admin for any indicator, a supervisor (OWN_WRITE_PATHS) for their lead group's.
  app.post('/offices/:office/office-sar/sars/:id/indicators/:code', async (c) => {
    const o = await officeOf(c);
    const sar = await sarOf(c, o);
    const i = indicatorOf(c, sar);
    const f = await formBody(c);
    const values = { level: f.get('level') ?? '', resultTh: f.get('resultTh') ?? '' };
    const parsed = resultSchema.safeParse({
      level: /^[1-5]$/.test(values.level) ? Number(values.level) : NaN,
      resultTh: values.resultTh,
    });
    if (!parsed.success) {
      const errors: Errors = {};
      for (const issue of parsed.error.issues) {
        const k = String(issue.path[0]);
        errors[k] ??= k === 'level' ? msg.web.officeSar.errLevel : msg.web.officeSar.errTooLong;
      }
      return entryPage(c, o, sar, i, { values, errors });
    }
    const scope = scopeOfPage(c);
    const member = can(scope, 'office.write') ? null : scope.personId;
    if (member === null && !can(scope, 'office.write')) throw new AppError('forbidden', 'No person to check');
    await recordOfficeResults(actionCtx(c, o.id), sar.id, { results: [{ code: i.code, ...parsed.data }] }, member);
    return c.redirect(officePath(o, `/office-sar/sars/${sar.id}?saved=1#indicators`), 303);
  });

  // A milestone done (admins).
  app.post('/offices/:office/office-sar/tasks/:id/done', async (c) => {
    const o = await officeOf(c);
    const id = c.req.param('id');
    if (!isUuid(id)) throw new AppError('not_found', 'No such task');
    const f = await formBody(c);
    await finishTask(actionCtx(c, o.id), id, {});
    const sar = f.get('sar') ?? '';
    return c.redirect(officePath(o, isUuid(sar) ? `/office-sar/sars/${sar}?saved=1#milestones` : '/office-sar'), 303);
  });
}
