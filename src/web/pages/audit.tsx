/** @jsxImportSource hono/jsx */
// The office's audit log, newest first, filtered by action. Office-wide: admins and directors.
import type { Hono } from 'hono';
import { officeOf } from '../../admin/office.js';
import type { AppEnv } from '../../deps.js';
import { auditActions, auditPage } from '../web.queries.js';
import { t, thaiDateTime } from '../web.th.js';
import { guard, officePath, Options, page, Pager, queryString } from './render.js';

export const AUDIT_PAGE_SIZE = 50;

export function auditPages(app: Hono<AppEnv>): void {
  guard(app, '/audit', 'office.read');

  app.get('/offices/:office/audit', async (c) => {
    const o = await officeOf(c);
    const db = c.var.deps.db;
    const actionParam = c.req.query('action')?.trim();
    const beforeParam = Number(c.req.query('before'));
    const before = Number.isSafeInteger(beforeParam) && beforeParam > 0 ? beforeParam : undefined;
    const actions = await auditActions(db, o.id);
    const action = actions.find((a) => a === actionParam);
    const rows = await auditPage(db, o.id, { action, before }, AUDIT_PAGE_SIZE);
    const shown = rows.slice(0, AUDIT_PAGE_SIZE);
    const last = shown[shown.length - 1];
    const tz = o.time_zone;
    return page(
      c,
      { title: t.audit, office: o, active: 'audit' },
      <>
        <form class="filters" method="get" action={officePath(o, '/audit')}>
          <label>
            {t.action}
            <select name="action">
              <Options values={actions} label={(a) => a} {...(action ? { selected: action } : {})} />
            </select>
          </label>
          <button type="submit">{t.filter}</button>
        </form>
        {shown.length === 0 ? (
          <p>{t.noAudit}</p>
        ) : (
          <table>
            <caption>{t.audit}</caption>
            <thead>
              <tr>
                <th scope="col">{t.time}</th>
                <th scope="col">{t.action}</th>
                <th scope="col">{t.actor}</th>
                <th scope="col">{t.target}</th>
                <th scope="col">{t.detail}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr data-audit={String(r.id)}>
                  <td>{thaiDateTime(r.at_ms, tz)}</td>
                  <td data-figure="action">{r.action}</td>
                  <td>{r.actor_name ?? r.actor}</td>
                  <td>{r.target_type === null ? '–' : `${r.target_type} ${r.target_id ?? ''}`.trim()}</td>
                  <td>
                    <code>{r.detail === null ? '' : JSON.stringify(r.detail)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager
          first={before === undefined ? undefined : officePath(o, `/audit${queryString({ action })}`)}
          next={
            rows.length > AUDIT_PAGE_SIZE && last !== undefined
              ? officePath(o, `/audit${queryString({ action, before: String(last.id) })}`)
              : undefined
          }
        />
      </>,
    );
  });
}
