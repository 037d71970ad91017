/** @jsxImportSource hono/jsx */
// PDPA requests made in the chat (copies and erasures) with their deadlines. Office-wide: admins and directors.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf } from '../../admin/auth.js';
import { audit } from '../../audit/audit.queries.js';
import { officeOf } from '../../admin/office.js';
import type { AppEnv } from '../../deps.js';
import { pdpaPage, type PdpaRequestRow } from '../web.queries.js';
import { num, t, thaiDateTime } from '../web.th.js';
import { guard, officePath, page, Pager, queryString } from './render.js';

export const PDPA_PAGE_SIZE = 50;

/** Against the kind's limit: day 90 of an erasure is the last day in time, so one answered (or open) 91 days is late. */
function pdpaStatus(r: PdpaRequestRow): string {
  if (r.days > r.limit_days) return r.completed_ms === null ? `${t.late} · ${t.openFor(r.days)}` : t.late;
  return r.completed_ms === null ? t.openFor(r.days) : t.onTime;
}

export function PdpaFigures(props: { open: number; overdue: number; late?: number }): Child {
  return (
    <dl class="figures">
      <dt>{t.pdpaOpen}</dt>
      <dd data-figure="pdpa-open">{num(props.open)}</dd>
      <dt>{t.pdpaOverdue}</dt>
      <dd data-figure="pdpa-overdue" class={props.overdue > 0 ? 'error' : undefined}>
        {num(props.overdue)}
      </dd>
      {props.late === undefined ? null : (
        <>
          <dt>{t.pdpaLate}</dt>
          <dd data-figure="pdpa-late">{num(props.late)}</dd>
        </>
      )}
    </dl>
  );
}

export function pdpaPages(app: Hono<AppEnv>): void {
  guard(app, '/pdpa', 'office.read');

  app.get('/offices/:office/pdpa', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const at = now();
    const beforeParam = Number(c.req.query('before'));
    const before = Number.isSafeInteger(beforeParam) && beforeParam > 0 ? beforeParam : undefined;
    const { tally, rows } = await pdpaPage(db, o.id, { before }, at, PDPA_PAGE_SIZE);
    const shown = rows.slice(0, PDPA_PAGE_SIZE);
    const last = shown[shown.length - 1];
    // Who asked for what is personal data too: the read is audited like the people page.
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'pdpa.read',
      targetType: 'pdpa_requests',
      detail: { page: before === undefined ? 'first' : 'next', rows: shown.length },
    });
    const tz = o.time_zone;
    return page(
      c,
      { title: t.pdpa, office: o, active: 'pdpa' },
      <>
        <p class="muted">{t.pdpaNote}</p>
        <PdpaFigures open={tally.open} overdue={tally.overdue} late={tally.late} />
        {shown.length === 0 ? (
          <p>{t.noPdpa}</p>
        ) : (
          <table>
            <caption>{t.pdpa}</caption>
            <thead>
              <tr>
                <th scope="col">{t.pdpaKind}</th>
                <th scope="col">{t.requested}</th>
                <th scope="col">{t.completed}</th>
                <th scope="col">{t.daysTaken}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.personId}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr data-pdpa={String(r.id)}>
                  <th scope="row">{r.action === 'pdpa.erase' ? t.pdpaErase : t.pdpaCopy}</th>
                  <td>{thaiDateTime(r.requested_ms, tz)}</td>
                  <td>{r.completed_ms === null ? '–' : thaiDateTime(r.completed_ms, tz)}</td>
                  <td class="n" data-figure="days">
                    {r.completed_ms === null ? '–' : num(r.days)}
                  </td>
                  <td data-figure="pdpa-status">{pdpaStatus(r)}</td>
                  <td>
                    <code>{r.target_id ?? '–'}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager
          first={before === undefined ? undefined : officePath(o, '/pdpa')}
          next={
            rows.length > PDPA_PAGE_SIZE && last !== undefined
              ? officePath(o, `/pdpa${queryString({ before: String(last.id) })}`)
              : undefined
          }
        />
      </>,
    );
  });
}
