/** @jsxImportSource hono/jsx */
// The office's dashboard. Office-wide scopes (admin, director) see every open campaign's completion, visit
// coverage, the outbox and PDPA requests; a supervisor sees the completion of their own schools and the list of
// those schools, and nothing office-wide.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { officeOf } from '../../admin/office.js';
import { can } from '../../admin/scope.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { thaiShortDate } from '../../time/thai.js';
import { campaignCompletion, officeHealth, scopedSchools, type CampaignCompletionRow } from '../web.queries.js';
import { num, pct, t, thaiAge, thaiDateTime } from '../web.th.js';
import { PdpaFigures } from './pdpa.js';
import { Bar, officePath, page, scopeOfPage } from './render.js';

/** A supervisor's list of schools on the dashboard; more than this many is not a supervisor's load. */
export const MY_SCHOOLS_LIMIT = 200;

const overdueOf = (c: CampaignCompletionRow, now: number) =>
  c.due_ms < now ? Math.max(0, c.expected - c.submitted) : 0;

export function CompletionTable(props: { rows: CampaignCompletionRow[]; now: number; tz: string }): Child {
  if (props.rows.length === 0) return <p>{t.noOpenCampaigns}</p>;
  return (
    <table>
      <caption>{t.completion}</caption>
      <thead>
        <tr>
          <th scope="col">{t.campaign}</th>
          <th scope="col">{t.due}</th>
          <th scope="col">{t.submitted}</th>
          <th scope="col">{t.expected}</th>
          <th scope="col">{t.percent}</th>
          <th scope="col">{t.overdue}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((c) => (
          <tr data-campaign={c.id}>
            <th scope="row">{c.title_th}</th>
            <td>{thaiShortDate(c.due_ms, props.tz)}</td>
            <td class="n" data-figure="submitted">
              {num(c.submitted)}
            </td>
            <td class="n" data-figure="expected">
              {num(c.expected)}
            </td>
            <td class="n" data-figure="percent">
              {pct(c.submitted, c.expected)}
              <Bar part={c.submitted} whole={c.expected} />
            </td>
            <td class="n" data-figure="overdue">
              {num(overdueOf(c, props.now))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function dashboardPage(app: Hono<AppEnv>): void {
  app.get('/offices/:office', async (c) => {
    const o = await officeOf(c);
    const scope = scopeOfPage(c);
    const { db, now } = c.var.deps;
    const at = now();
    if (!can(scope, 'office.read')) {
      const [open, schools] = await Promise.all([
        campaignCompletion(db, o.id, at, true, scope),
        scopedSchools(db, o.id, scope, MY_SCHOOLS_LIMIT),
      ]);
      return page(
        c,
        { title: t.dashboard, office: o, active: 'dashboard' },
        <>
          <CompletionTable rows={open} now={at} tz={o.time_zone} />
          <h2>{t.mySchools}</h2>
          {schools.length === 0 ? (
            <p>{t.noSchoolsAssigned}</p>
          ) : (
            <ul data-list="my-schools">
              {schools.map((s) => (
                <li data-school={s.id}>
                  <a href={officePath(o, `/schools/${s.id}`)}>{s.name_th}</a> <span class="muted">({s.code})</span>
                  {s.kind === 'main' ? <span class="muted"> · {t.mainSupervisor}</span> : null}
                </li>
              ))}
            </ul>
          )}
        </>,
      );
    }
    const [open, health] = await Promise.all([
      campaignCompletion(db, o.id, at, true, scope),
      officeHealth(db, o.id, at),
    ]);
    if (health === undefined) throw new AppError('not_found', 'Unknown office');
    const tz = health.time_zone;
    return page(
      c,
      { title: t.dashboard, office: o, active: 'dashboard' },
      <>
        {health.year_terms > 0 ? null : (
          <p class="error" role="alert" data-figure="no-year-term">
            {t.noYearTerm(health.academic_year)} <a href={officePath(o, '/calendar')}>{t.toCalendar}</a>
          </p>
        )}
        <CompletionTable rows={open} now={at} tz={tz} />
        <h2>{t.visits}</h2>
        <dl class="figures">
          <dt>{t.visitedThisTerm}</dt>
          <dd data-figure="visited">
            {health.schools_visited === null ? (
              t.noTerm
            ) : (
              <>
                {num(health.schools_visited)} / {num(health.schools_with_main)} (
                {pct(health.schools_visited, health.schools_with_main)}) · ภาคเรียนที่ {health.term}/{health.term_year}
              </>
            )}
          </dd>
          <dt>{t.schoolsWithMain}</dt>
          <dd data-figure="with-main">{num(health.schools_with_main)}</dd>
          <dt>{t.plannedNext14}</dt>
          <dd data-figure="planned-14">{num(health.planned_next_14)}</dd>
        </dl>
        <h2>{t.outbox}</h2>
        <dl class="figures">
          <dt>{t.pending}</dt>
          <dd data-figure="pending">{num(health.outbox_pending)}</dd>
          <dt>{t.dead}</dt>
          <dd data-figure="dead">{num(health.outbox_dead)}</dd>
          <dt>{t.oldestPending}</dt>
          <dd data-figure="oldest-pending">
            {health.oldest_pending_ms === null ? '–' : thaiAge(at - health.oldest_pending_ms)}
          </dd>
          <dt>{t.sentToday}</dt>
          <dd data-figure="sent-today">{num(health.sent_today)}</dd>
          <dt>{t.pushes}</dt>
          <dd data-figure="pushes">
            {num(health.pushes)} / {health.push_quota === null ? t.quotaUnknown : num(health.push_quota)}
            {health.push_quota === null ? null : <Bar part={health.pushes} whole={health.push_quota} />}
          </dd>
          {health.paused_until_ms === null ? null : (
            <>
              <dt>{t.pausedUntil}</dt>
              <dd>{thaiDateTime(health.paused_until_ms, tz)}</dd>
            </>
          )}
        </dl>
        <h2>
          <a href={officePath(o, '/pdpa')}>{t.pdpa}</a>
        </h2>
        <PdpaFigures open={health.pdpa_open} overdue={health.pdpa_overdue} />
      </>,
    );
  });
}
