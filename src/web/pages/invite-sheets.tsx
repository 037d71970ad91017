/** @jsxImportSource hono/jsx */
// Printable invite sheets per school, for admins: the list of schools with how many of their people have not
// linked LINE; a confirmation (new codes replace the old unused ones); then one A4 sheet of cards, each with the
// person's name, their new invite code (shown only here, never stored in plain) and a QR code that adds the
// office's LINE Official Account (https://line.me/R/ti/p/<basic id>, from the office settings). The QR is drawn
// by uqr (MIT, no dependencies, pure code, so it runs on Workers) as inline SVG: no image request, nothing sent
// elsewhere, allowed by the pages' CSP.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { renderSVG } from 'uqr';
import { actorOf } from '../../admin/auth.js';
import { audit } from '../../audit/audit.queries.js';
import { officeOf } from '../../admin/office.js';
import type { Role } from '../../db/schema.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { roleLabel } from '../../i18n/th.js';
import { isUuid } from '../../ids/uuid.js';
import { issueInvites, type IssuedInvite } from '../../onboarding/invites.js';
import { thaiShortDate } from '../../time/thai.js';
import { officeBasicId, sheetSchool, sheetSchools, unlinkedPeople } from '../sheets.queries.js';
import { num } from '../web.th.js';
import { guard, officePath, page, Pager, queryString } from './render.js';
import { msg } from '../../i18n/msg.js';

export const SHEET_SCHOOLS_PAGE = 100;
/** People on one school's sheet; a school is far smaller, and a second print covers any rest. */
export const SHEET_MAX_PEOPLE = 500;
const INVITE_DAYS = 30;

/** The link a QR code opens: LINE's "add friend" for the office's account. */
export const addFriendUrl = (basicId: string) => `https://line.me/R/ti/p/${basicId}`;

export interface CardPerson {
  id: string;
  display_name: string;
  role: Role;
  school_name: string | null;
}

/**
 * The A4 sheet of invite cards: one per person who got a code, each with their name, the code and the QR that
 * adds the office's LINE account. Shared by the school's sheet and the people page's bulk invites.
 */
export function InviteCards(props: { people: CardPerson[]; invites: IssuedInvite[]; basicId: string | null }): Child {
  const { basicId } = props;
  const codeOf = new Map(props.invites.map((i) => [i.personId, i]));
  // Everyone adds the same account: one QR, drawn once.
  const qr = basicId === null ? null : renderSVG(addFriendUrl(basicId), { border: 2, ecc: 'M' });
  const cards: Child[] = props.people.flatMap((p) => {
    const inv = codeOf.get(p.id);
    if (inv === undefined) return [];
    return [
      <article class="card" data-person={p.id}>
        <h2>{p.display_name}</h2>
        <p class="muted">
          {roleLabel[p.role]}
          {p.school_name === null ? null : ` · ${p.school_name}`}
        </p>
        <div class="card-body">
          {qr === null ? null : (
            <div class="qrcode" role="img" aria-label={addFriendUrl(basicId ?? '')}>
              {raw(qr)}
            </div>
          )}
          <div>
            <p>{qr === null ? msg.web.sheets.step1NoQr : msg.web.sheets.step1}</p>
            {basicId === null ? null : <p class="basic-id">{basicId}</p>}
            <p>{msg.web.sheets.step2}</p>
            <p class="code" data-figure="invite-code">
              {inv.code}
            </p>
            <p class="muted">
              {msg.web.sheets.expires} {thaiShortDate(Date.parse(inv.expiresAt))}
            </p>
          </div>
        </div>
      </article>,
    ];
  });
  return (
    <section class="sheet" aria-label={msg.web.sheets.sheetTitle}>
      {cards}
    </section>
  );
}

function schoolOf(id: string | undefined): string {
  if (id === undefined || !isUuid(id)) throw new AppError('not_found', 'Unknown school');
  return id;
}

export function inviteSheetPages(app: Hono<AppEnv>): void {
  guard(app, '/invite-sheets', 'office.write');

  app.get('/offices/:office/invite-sheets', async (c) => {
    const o = await officeOf(c);
    const { db } = c.var.deps;
    const afterId = c.req.query('after');
    const afterName = c.req.query('name');
    const after =
      afterId !== undefined && isUuid(afterId) && afterName !== undefined
        ? { id: afterId, name: afterName.slice(0, 300) }
        : undefined;
    const [rows, basicId] = await Promise.all([
      sheetSchools(db, o.id, after, SHEET_SCHOOLS_PAGE),
      officeBasicId(db, o.id),
    ]);
    const shown = rows.slice(0, SHEET_SCHOOLS_PAGE);
    const last = shown.at(-1);
    return page(
      c,
      { title: msg.web.sheets.sheets, office: o, active: 'invite-sheets' },
      <>
        <p class="muted">{msg.web.sheets.sheetsIntro}</p>
        {basicId === null ? (
          <p class="error" role="status">
            {msg.web.sheets.noBasicId} <a href={officePath(o, '/settings')}>→</a>
          </p>
        ) : null}
        <table>
          <caption>{msg.web.sheets.sheets}</caption>
          <thead>
            <tr>
              <th scope="col">{msg.web.sheets.school}</th>
              <th scope="col">{msg.web.sheets.people}</th>
              <th scope="col">{msg.web.sheets.unlinked}</th>
              <th scope="col">
                <span class="muted">{msg.web.sheets.prepare}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((s) => (
              <tr data-school={s.id}>
                <th scope="row">
                  {s.name_th} <span class="muted">({s.code})</span>
                </th>
                <td class="n">{num(s.people)}</td>
                <td class="n" data-figure="unlinked">
                  {num(s.unlinked)}
                </td>
                <td>
                  {s.unlinked === 0 ? (
                    '–'
                  ) : (
                    <a
                      href={officePath(o, `/invite-sheets/${s.id}`)}
                      aria-label={`${msg.web.sheets.prepare}: ${s.name_th}`}
                    >
                      {msg.web.sheets.prepare}
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Pager
          first={after === undefined ? undefined : officePath(o, '/invite-sheets')}
          next={
            rows.length > SHEET_SCHOOLS_PAGE && last !== undefined
              ? officePath(o, `/invite-sheets${queryString({ after: last.id, name: last.name_th })}`)
              : undefined
          }
        />
      </>,
    );
  });

  // The confirmation: nothing is issued by a GET.
  app.get('/offices/:office/invite-sheets/:school', async (c) => {
    const o = await officeOf(c);
    const school = await sheetSchool(c.var.deps.db, o.id, schoolOf(c.req.param('school')));
    if (school === undefined) throw new AppError('not_found', 'Unknown school');
    return page(
      c,
      { title: msg.web.sheets.confirmTitle(school.name_th), office: o, active: 'invite-sheets' },
      school.unlinked === 0 ? (
        <p>{msg.web.sheets.nobody}</p>
      ) : (
        <form method="post" action={officePath(o, `/invite-sheets/${school.id}`)}>
          <p>{msg.web.sheets.confirmBody(Math.min(school.unlinked, SHEET_MAX_PEOPLE))}</p>
          <button type="submit">{msg.web.sheets.issue}</button>{' '}
          <a href={officePath(o, '/invite-sheets')}>{msg.web.sheets.cancel}</a>
        </form>
      ),
    );
  });

  app.post('/offices/:office/invite-sheets/:school', async (c) => {
    const o = await officeOf(c);
    const schoolId = schoolOf(c.req.param('school'));
    const { db, now } = c.var.deps;
    const at = now();
    const [school, basicId] = await Promise.all([sheetSchool(db, o.id, schoolId), officeBasicId(db, o.id)]);
    if (school === undefined) throw new AppError('not_found', 'Unknown school');
    // The codes and their audit row commit together; the plain codes live only in this response (no-store).
    const { people, issued } = await db.transaction(async (tx) => {
      const people = await unlinkedPeople(tx, o.id, school.id, SHEET_MAX_PEOPLE);
      const issued = await issueInvites(
        tx,
        o.id,
        people.map((p) => p.id),
        at,
        INVITE_DAYS,
      );
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'invites.issue',
        targetType: 'school',
        targetId: school.id,
        detail: { sheet: true, people: issued.length },
      });
      return { people, issued };
    });
    return page(
      c,
      { title: `${msg.web.sheets.sheetTitle} · ${school.name_th}`, office: o, active: 'invite-sheets' },
      <>
        <p class="noprint">
          {school.unlinked > SHEET_MAX_PEOPLE ? msg.web.sheets.tooMany(SHEET_MAX_PEOPLE) : null}{' '}
          <a href={officePath(o, '/invite-sheets')}>{msg.web.sheets.cancel}</a>
        </p>
        <InviteCards
          people={people.map((p) => ({ ...p, school_name: school.name_th }))}
          invites={issued}
          basicId={basicId}
        />
      </>,
    );
  });
}
