/** @jsxImportSource hono/jsx */
// The office's people with filters and a keyset pager, and a new invite for one person (the code shown once).
// Office-wide: admins and directors read; only admins issue invites.
import type { Hono } from 'hono';
import { actorOf } from '../../admin/auth.js';
import { audit } from '../../audit/audit.queries.js';
import { officeOf } from '../../admin/office.js';
import { can } from '../../admin/scope.js';
import { personStatuses, roles, type PersonStatus, type Role } from '../../db/schema.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { roleLabel } from '../../i18n/th.js';
import { uuidOrUndefined } from '../../ids/uuid.js';
import { issueInvites } from '../../onboarding/invites.js';
import { thaiShortDate } from '../../time/thai.js';
import { invitablePerson, peoplePage, schoolOptions } from '../web.queries.js';
import { statusLabel, t } from '../web.th.js';
import { guard, need, officePath, oneOf, Options, page, Pager, queryString, scopeOfPage, type Ctx } from './render.js';

export const PEOPLE_PAGE_SIZE = 50;
/** Days a web-issued invite stays valid, as the API's default. */
const INVITE_DAYS = 30;

interface PeopleQuery {
  role: Role | undefined;
  schoolId: string | undefined;
  status: PersonStatus | undefined;
  search: string | undefined;
  after: string | undefined;
}

function peopleQuery(c: Ctx): PeopleQuery {
  const search = c.req.query('q')?.trim().slice(0, 100);
  return {
    role: oneOf(roles, c.req.query('role')),
    schoolId: uuidOrUndefined(c.req.query('school')),
    status: oneOf(personStatuses, c.req.query('status')),
    search: search === '' ? undefined : search,
    after: uuidOrUndefined(c.req.query('after')),
  };
}

export function peoplePages(app: Hono<AppEnv>): void {
  guard(app, '/people', 'office.read');

  app.get('/offices/:office/people', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const q = peopleQuery(c);
    const [rows, schools] = await Promise.all([
      peoplePage(db, o.id, q, now(), PEOPLE_PAGE_SIZE),
      schoolOptions(db, o.id),
    ]);
    const shown = rows.slice(0, PEOPLE_PAGE_SIZE);
    const more = rows.length > PEOPLE_PAGE_SIZE;
    // Reading names is reading personal data (PDPA): audited with the filters, never the search text itself.
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'people.read',
      targetType: 'people',
      detail: {
        role: q.role ?? null,
        school: q.schoolId ?? null,
        status: q.status ?? null,
        search: q.search !== undefined,
        page: q.after === undefined ? 'first' : 'next',
        rows: shown.length,
      },
    });
    const filters = { role: q.role, school: q.schoolId, status: q.status, q: q.search };
    const tz = 'Asia/Bangkok';
    const canInvite = can(scopeOfPage(c), 'office.write');
    return page(
      c,
      { title: t.people, office: o, active: 'people' },
      <>
        <form class="filters" method="get" action={officePath(o, '/people')}>
          <label>
            {t.role}
            <select name="role">
              <Options values={roles} label={(r) => roleLabel[r]} {...(q.role ? { selected: q.role } : {})} />
            </select>
          </label>
          <label>
            {t.school}
            <select name="school">
              <option value="">{t.all}</option>
              {schools.map((s) => (
                <option value={s.id} selected={q.schoolId === s.id}>
                  {s.name_th}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.status}
            <select name="status">
              <Options
                values={personStatuses}
                label={(s) => statusLabel[s]}
                {...(q.status ? { selected: q.status } : {})}
              />
            </select>
          </label>
          <label>
            {t.search}
            <input type="search" name="q" value={q.search ?? ''} maxlength={100} />
          </label>
          <button type="submit">{t.filter}</button>
        </form>
        {shown.length === 0 ? (
          <p>{t.noPeople}</p>
        ) : (
          <table>
            <caption>{t.people}</caption>
            <thead>
              <tr>
                <th scope="col">{t.name}</th>
                <th scope="col">{t.role}</th>
                <th scope="col">{t.school}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.line}</th>
                <th scope="col">{t.invite}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr data-person={p.id}>
                  <th scope="row">
                    {p.display_name}
                    {p.external_id === null ? null : <div class="muted">{p.external_id}</div>}
                  </th>
                  <td>{roleLabel[p.role]}</td>
                  <td>{p.school_name ?? '–'}</td>
                  <td>{statusLabel[p.status]}</td>
                  <td data-figure="linked">
                    {p.linked ? (
                      <>
                        {t.linked}
                        {p.linked_ms === null ? null : <div class="muted">{thaiShortDate(p.linked_ms, tz)}</div>}
                      </>
                    ) : (
                      t.notLinked
                    )}
                  </td>
                  <td>
                    {p.invite_expires_ms === null ? null : (
                      <div class="muted">
                        {t.inviteUntil} {thaiShortDate(p.invite_expires_ms, tz)}
                      </div>
                    )}
                    {p.status === 'erased' || !canInvite ? null : (
                      <form method="post" action={officePath(o, `/people/${p.id}/invite`)}>
                        <button type="submit" aria-label={`${t.issueInvite}: ${p.display_name}`}>
                          {t.issueInvite}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager
          first={q.after === undefined ? undefined : officePath(o, `/people${queryString(filters)}`)}
          next={
            more
              ? officePath(o, `/people${queryString({ ...filters, after: shown[shown.length - 1]?.id })}`)
              : undefined
          }
        />
      </>,
    );
  });

  app.post('/offices/:office/people/:person/invite', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const id = uuidOrUndefined(c.req.param('person'));
    const { db, now } = c.var.deps;
    const person = id === undefined ? undefined : await invitablePerson(db, o.id, id);
    if (person === undefined) throw new AppError('not_found', 'Unknown person');
    // The invite and its audit row commit together.
    const [invite] = await db.transaction(async (tx) => {
      const issued = await issueInvites(tx, o.id, [person.id], now(), INVITE_DAYS);
      if (issued.length === 0) throw new AppError('conflict', 'No invite was issued');
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'invites.issue',
        targetType: 'person',
        targetId: person.id,
      });
      return issued;
    });
    if (invite === undefined) throw new AppError('conflict', 'No invite was issued');
    // The plain code exists only in this response (page() marks it no-store): it is never shown again.
    return page(
      c,
      { title: t.inviteIssued, office: o, active: 'people' },
      <>
        <p>
          {person.display_name}:{' '}
          <output class="code" data-figure="invite-code">
            {invite.code}
          </output>
        </p>
        <p>
          {t.expires}: {thaiShortDate(Date.parse(invite.expiresAt))}
        </p>
        <p>{t.inviteOnce}</p>
        <p>
          <a href={officePath(o, '/people')}>{t.backToPeople}</a>
        </p>
      </>,
    );
  });
}
