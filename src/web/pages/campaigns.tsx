/** @jsxImportSource hono/jsx */
// Every campaign of the office with its audience, dates, status and completion. A supervisor sees the completion
// of their own schools only (the same statement, with their scope).
import type { Hono } from 'hono';
import { officeOf } from '../../admin/office.js';
import { can } from '../../admin/scope.js';
import { roles } from '../../db/schema.js';
import type { AppEnv } from '../../deps.js';
import { roleLabel } from '../../i18n/th.js';
import { thaiShortDate } from '../../time/thai.js';
import { campaignCompletion, type CampaignCompletionRow } from '../web.queries.js';
import { num, pct, t } from '../web.th.js';
import { guard, officePath, oneOf, page, scopeOfPage } from './render.js';
import { msg } from '../../i18n/msg.js';

export function campaignPages(app: Hono<AppEnv>): void {
  guard(app, '/campaigns', 'schools.read');

  app.get('/offices/:office/campaigns', async (c) => {
    const o = await officeOf(c);
    const scope = scopeOfPage(c);
    const { db, now } = c.var.deps;
    const at = now();
    const rows = await campaignCompletion(db, o.id, at, false, scope);
    const exports = can(scope, 'exports');
    const write = can(scope, 'office.write');
    const status = (r: CampaignCompletionRow) =>
      r.closed_ms !== null && r.closed_ms <= at
        ? t.closed
        : r.opens_ms > at
          ? t.notYetOpen
          : r.due_ms < at
            ? t.pastDue
            : t.open;
    return page(
      c,
      { title: t.campaigns, office: o, active: 'campaigns' },
      <>
        {c.req.query('closed') === '1' ? (
          <p class="notice" role="status">
            ปิดการติดตามแล้ว / Closed
          </p>
        ) : null}
        {write ? (
          <p class="actions">
            <a href={officePath(o, '/campaigns/new')}>+ สร้างการติดตามใหม่ / New campaign</a>
          </p>
        ) : null}
        {rows.length === 0 ? (
          <p>{t.noCampaigns}</p>
        ) : (
          <table>
            <caption>{t.campaigns}</caption>
            <thead>
              <tr>
                <th scope="col">{t.campaign}</th>
                <th scope="col">{t.checklist}</th>
                <th scope="col">{t.audience}</th>
                <th scope="col">{t.dates}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.completion}</th>
                <th scope="col">{msg.web.reading.responses}</th>
                {exports ? <th scope="col">{t.exports}</th> : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-campaign={r.id}>
                  <th scope="row">
                    {write ? <a href={officePath(o, `/campaigns/${r.id}`)}>{r.title_th}</a> : r.title_th}
                  </th>
                  <td>
                    {r.checklist_title}
                    <div class="muted">
                      {r.checklist_key} v{r.checklist_version}
                    </div>
                  </td>
                  <td>
                    {r.roles
                      .map((x) => oneOf(roles, x))
                      .map((x) => (x === undefined ? '' : roleLabel[x]))
                      .join(', ')}
                    <div class="muted">
                      {r.school_count === 0 && r.cluster_count === 0
                        ? 'ทุกโรงเรียน / all schools'
                        : `${r.school_count} โรงเรียน, ${r.cluster_count} กลุ่มโรงเรียน / schools, clusters`}
                    </div>
                  </td>
                  <td>
                    {thaiShortDate(r.opens_ms)} – {thaiShortDate(r.due_ms)}
                  </td>
                  <td>{status(r)}</td>
                  <td class="n" data-figure="completion">
                    {num(r.submitted)} / {num(r.expected)} ({pct(r.submitted, r.expected)})
                  </td>
                  <td>
                    <a href={officePath(o, `/responses/campaigns/${r.id}`)}>{msg.web.reading.responses}</a>
                  </td>
                  {exports ? (
                    <td>
                      <a href={officePath(o, `/exports#c-${r.id}`)}>{t.exportLinks}</a>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>,
    );
  });
}
