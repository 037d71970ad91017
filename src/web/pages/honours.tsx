/** @jsxImportSource hono/jsx */
// Ranking and honouring schools on the web (issue 15 item 6): the office's schools ranked for a term or a year by
// an ordered choice of criteria, each with its figures and the reason it stands where it does; the admin ticks the
// schools to honour, writes a title and message, previews the notice and publishes it (through the outbox, inside
// each person's next daily push). Office-wide: admins and directors read (a director cannot publish); a supervisor
// sees no other schools' standing, so not this page. The actions are the API's (src/honours/honours.actions.ts).
import type { Hono } from 'hono';
import { actorOf } from '../../admin/auth.js';
import { type OfficeRow, officeOf } from '../../admin/office.js';
import { can } from '../../admin/scope.js';
import { parseBody } from '../../admin/validate.js';
import type { AppEnv } from '../../deps.js';
import { AppError, type FieldIssue } from '../../errors.js';
import {
  audienceKinds,
  honourNotice,
  publishBody,
  publishHonours,
  readRanking,
} from '../../honours/honours.actions.js';
import { audiences } from '../../honours/honours.th.js';
import { criteria, figureText } from '../../honours/rank.js';
import { thaiLongDate } from '../../time/thai.js';
import { officeTimeZone } from '../../time/zone.queries.js';
import { formBody } from '../session.js';
import { type Ctx, guard, need, officePath, page, queryString, scopeOfPage } from './render.js';
import { msg } from '../../i18n/msg.js';

const TITLE = msg.honours.title;

/** A form's fields as the API's body: numbers where the API takes numbers, the rest as typed (zod names them). */
function bodyOf(f: URLSearchParams): unknown {
  const year = f.get('year') ?? '';
  const term = f.get('term') ?? '';
  const by = f.getAll('by').filter((b) => b !== '');
  return {
    year: /^\d{1,6}$/.test(year) ? Number(year) : year,
    term: term === '' ? null : /^\d$/.test(term) ? Number(term) : term,
    ...(by.length === 0 ? {} : { by }),
    schoolIds: f.getAll('school'),
    title: f.get('title') ?? '',
    message: f.get('message') ?? '',
    audience: f.get('audience') ?? '',
  };
}

function issuesPage(c: Ctx, o: OfficeRow, err: unknown) {
  // Bad input is answered on the page, each issue next to its field's name.
  if (!(err instanceof AppError) || err.status !== 400 || err.issues.length === 0) throw err;
  return page(
    c,
    { title: TITLE, office: o, active: 'reports', status: 400 },
    <ul role="alert" data-issues>
      {err.issues.map((i: FieldIssue) => (
        <li>
          <b>{i.row === undefined ? i.field : `${i.field} (${i.row})`}</b>: {i.message}
        </li>
      ))}
    </ul>,
  );
}

export function honourPages(app: Hono<AppEnv>): void {
  guard(app, '/honours', 'office.read');

  app.get('/offices/:office/honours', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const q = (n: string) => c.req.query(n);
    const by = c.req.queries('by')?.filter((b) => b !== '');
    let ranking;
    try {
      const params = { year: q('year'), term: q('term'), by: by?.join(',') };
      ranking = await readRanking(db, o.id, params, { now: now(), actor: actorOf(c) });
    } catch (err) {
      return issuesPage(c, o, err);
    }
    const published = ranking.published;
    const tz = await officeTimeZone(db, o.id);
    const writer = can(scopeOfPage(c), 'office.write');
    const chosen = ranking.criteria;
    const notice = q('published');
    const table = (
      <table data-list="ranking">
        <thead>
          <tr>
            {writer ? <th>{msg.web.honours.cols.pick}</th> : null}
            <th>{msg.web.honours.cols.rank}</th>
            <th>{msg.web.honours.cols.school}</th>
            {chosen.map((cr) => (
              <th>{msg.honours.criterion(cr)}</th>
            ))}
            <th>{msg.web.honours.cols.why}</th>
          </tr>
        </thead>
        <tbody>
          {ranking.schools.map((s) => (
            <tr data-school={s.code} data-rank={String(s.rank)}>
              {writer ? (
                <td>
                  <input type="checkbox" name="school" value={s.schoolId} aria-label={s.name} />
                </td>
              ) : null}
              <td>{s.rank}</td>
              <td>
                {s.code} {s.name}
              </td>
              {chosen.map((cr) => (
                <td data-figure={cr}>{figureText(s, cr)}</td>
              ))}
              <td data-why>{s.why}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
    return page(
      c,
      { title: TITLE, office: o, active: 'reports' },
      <>
        {notice === undefined ? null : (
          <p class="notice" role="status">
            {notice === 'again' ? msg.honours.republished : msg.honours.published(Number(notice) || 0)}
          </p>
        )}
        <p class="muted">{msg.web.honours.intro}</p>
        <form method="get" action={officePath(o, '/honours')} data-form="criteria">
          <label>
            {msg.web.honours.year}{' '}
            <input name="year" value={String(ranking.period.year)} size={4} inputmode="numeric" />
          </label>{' '}
          <label>
            {msg.web.honours.term}{' '}
            <select name="term">
              <option value="">{msg.web.honours.wholeYear}</option>
              {[1, 2].map((n) => (
                <option value={String(n)} selected={ranking.period.term === n}>
                  {msg.web.honours.termN(n)}
                </option>
              ))}
            </select>
          </label>
          {[0, 1, 2].map((i) => (
            <>
              {' '}
              <label>
                {msg.web.honours.by(i + 1)}{' '}
                <select name="by">
                  {i === 0 ? null : <option value="">{msg.web.honours.none}</option>}
                  {criteria.map((cr) => (
                    <option value={cr} selected={chosen[i] === cr}>
                      {msg.honours.criterion(cr)}
                    </option>
                  ))}
                </select>
              </label>
            </>
          ))}{' '}
          <button type="submit">{msg.web.honours.rank}</button>
        </form>
        <ul class="muted">
          {criteria.map((cr) => (
            <li>
              {msg.honours.criterion(cr)}: {msg.honours.criterionHelp[cr]}
            </li>
          ))}
        </ul>
        <h2>{msg.web.honours.heading(ranking.period.label)}</h2>
        {ranking.schools.length === 0 ? (
          <p>{msg.web.honours.noSchools}</p>
        ) : writer ? (
          <form method="post" action={officePath(o, '/honours/preview')} data-form="honour">
            <input type="hidden" name="year" value={String(ranking.period.year)} />
            <input type="hidden" name="term" value={ranking.period.term === null ? '' : String(ranking.period.term)} />
            {chosen.map((cr) => (
              <input type="hidden" name="by" value={cr} />
            ))}
            {table}
            <h2>{msg.web.honours.publishHeading}</h2>
            <p>
              <label>
                {msg.web.honours.titleField} <input name="title" size={60} maxlength={120} required />
              </label>
            </p>
            <p>
              <label>
                {msg.web.honours.messageField}
                <br />
                <textarea name="message" rows={4} cols={60} maxlength={500} />
              </label>
            </p>
            <p>
              <label>
                {msg.web.honours.audienceField}{' '}
                <select name="audience">
                  {audienceKinds.map((a) => (
                    <option value={a}>{audiences[a]}</option>
                  ))}
                </select>
              </label>
            </p>
            <button type="submit">{msg.web.honours.preview}</button>
          </form>
        ) : (
          <>
            {table}
            <p class="muted">{msg.web.honours.readOnly}</p>
          </>
        )}
        {published.length === 0 ? null : (
          <>
            <h2>{msg.web.honours.publishedHeading}</h2>
            {published.map((l) => (
              <section data-honour-list={l.id}>
                <h3>{l.title_th}</h3>
                <p class="muted">
                  {msg.web.honours.publishedRow(
                    thaiLongDate(l.published_ms, tz),
                    l.recipients,
                    audiences[l.audience as keyof typeof audiences] ?? l.audience,
                  )}
                </p>
                <ol>
                  {l.schools.map((s) => (
                    <li>
                      {s.name} — {s.why}
                    </li>
                  ))}
                </ol>
              </section>
            ))}
          </>
        )}
      </>,
    );
  });

  app.post('/offices/:office/honours/preview', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const f = await formBody(c);
    let n;
    try {
      n = await honourNotice(db, o.id, parseBody(publishBody, bodyOf(f)), now());
    } catch (err) {
      return issuesPage(c, o, err);
    }
    const back = officePath(
      o,
      `/honours${queryString({ year: String(n.year), term: n.term === null ? undefined : String(n.term) })}`,
    );
    return page(
      c,
      { title: msg.web.honours.previewTitle, office: o, active: 'reports' },
      <>
        <p class="muted">
          {msg.web.honours.audienceField}: {n.audienceLabel}
        </p>
        <article class="card" data-preview>
          <h2>{n.title}</h2>
          <p style="white-space:pre-wrap">{n.text}</p>
        </article>
        <ol>
          {n.schools.map((s) => (
            <li>
              {s.name} — {s.figures.join(' · ')}
            </li>
          ))}
        </ol>
        <p class="muted">{msg.web.honours.previewNote}</p>
        <form method="post" action={officePath(o, '/honours')} data-form="publish">
          {[...f.entries()].map(([k, v]) => (
            <input type="hidden" name={k} value={v} />
          ))}
          <button type="submit">{msg.web.honours.publish}</button> <a href={back}>{msg.web.honours.back}</a>
        </form>
      </>,
    );
  });

  app.post('/offices/:office/honours', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const f = await formBody(c);
    let r;
    try {
      r = await publishHonours(db, o.id, parseBody(publishBody, bodyOf(f)), actorOf(c), now());
    } catch (err) {
      return issuesPage(c, o, err);
    }
    const term = r.list.term === 0 ? undefined : String(r.list.term);
    const done = r.republished ? 'again' : String(r.recipients);
    return c.redirect(
      officePath(o, `/honours${queryString({ year: String(r.list.academic_year), term, published: done })}`),
      303,
    );
  });
}
