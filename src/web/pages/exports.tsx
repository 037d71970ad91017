/** @jsxImportSource hono/jsx */
// Links to the API's exports (CSV and XLSX), which the session cookie may download (GET only). Admins and
// directors: reports and exports are theirs.
import type { Hono } from 'hono';
import { officeOf } from '../../admin/office.js';
import type { AppEnv } from '../../deps.js';
import { campaignCompletion } from '../web.queries.js';
import { t } from '../web.th.js';
import { apiPath, guard, page, queryString, scopeOfPage } from './render.js';

export function exportPages(app: Hono<AppEnv>): void {
  guard(app, '/exports', 'exports');

  app.get('/offices/:office/exports', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const rows = await campaignCompletion(db, o.id, now(), false, scopeOfPage(c));
    const links = (path: string, campaign?: string) => (
      <>
        {(['csv', 'xlsx'] as const).map((format, i) => (
          <>
            {i === 0 ? null : ' · '}
            <a href={apiPath(o, `${path}${queryString({ campaign, format })}`)} download>
              {format.toUpperCase()}
            </a>
          </>
        ))}
      </>
    );
    return page(
      c,
      { title: t.exports, office: o, active: 'exports' },
      <>
        <p class="muted">{t.exportsNote}</p>
        <h2>{t.visitLog}</h2>
        <p data-export="visits">{links('/exports/visits')}</p>
        <h2>{t.campaigns}</h2>
        {rows.length === 0 ? (
          <p>{t.noCampaigns}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t.campaign}</th>
                <th scope="col">{t.responses}</th>
                <th scope="col">{t.completionExport}</th>
                <th scope="col">{t.sar}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr id={`c-${r.id}`} data-campaign={r.id}>
                  <th scope="row">{r.title_th}</th>
                  <td>{links('/exports/responses', r.id)}</td>
                  <td>{links('/exports/completion', r.id)}</td>
                  {/* The SAR synthesis reads the standards of a SAR checklist; other checklists have none. */}
                  <td>{r.checklist_key.startsWith('sar') ? links('/exports/sar', r.id) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>,
    );
  });
}
