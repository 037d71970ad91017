/** @jsxImportSource hono/jsx */
// The office's groups (กลุ่มอำนวยการ, กลุ่มนโยบายและแผน …) and their people (issue 16 item 2): a new group, a person
// added to a group, a person taken out after a confirmation page. The list is one row per person in a group (and one
// per empty group), keyset-paged and searchable as the people and schools lists are, so a big office's hundreds of
// staff do not all load at once; the person to add is found by name with the PersonPicker (fields.tsx), not chosen
// from a list of everyone. Under the office SAR's guard (office-sar.tsx);
// the changes are src/officesar/officesar.actions.ts's, audited, as the API's are.
import type { Hono } from 'hono';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { can } from '../../admin/scope.js';
import { actionCtx } from '../../committee/committee.actions.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { isUuid } from '../../ids/uuid.js';
import { addGroup, groupBody, setMember } from '../../officesar/officesar.actions.js';
import { groupMember, groupMembersPage, groupOptions } from '../../officesar/officesar.queries.js';
import { formBody } from '../session.js';
import { Field, PersonPicker, SelectField } from './fields.js';
import { pickStaff, SarNav, searched, Status, type Errors, type Values } from './office-parts.js';
import { officePath, page, Pager, queryString, scopeOfPage, type Ctx } from './render.js';
import { msg } from '../../i18n/msg.js';

interface Forms {
  group?: { values: Values; errors: Errors };
  member?: { values: Values; errors: Errors };
}

/** Rows per page: as the people and schools lists. */
export const GROUPS_PAGE_SIZE = 50;

/** The list's cursor, `code.personId` (or `code.` for an empty group): group codes hold no dot. */
function cursorOf(v: string | undefined): { code: string; personId: string | null } | null {
  const m = /^([a-z][a-z0-9_-]{0,31})\.(.*)$/.exec(v?.trim() ?? '');
  if (m === null) return null;
  const id = m[2] ?? '';
  return { code: m[1] ?? '', personId: isUuid(id) ? id : null };
}

async function groupsPage(c: Ctx, o: OfficeRow, forms: Forms = {}) {
  const write = can(scopeOfPage(c), 'office.write');
  const db = c.var.deps.db;
  const search = c.req.query('q')?.trim().slice(0, 100) ?? '';
  const after = cursorOf(c.req.query('after'));
  // The add form's values: a refused POST's, or the picker's search (a GET of the form itself).
  const member = forms.member ?? { values: searched(c, ['code', 'personId']) ?? {}, errors: {} };
  const [rows, groups, pick] = await Promise.all([
    groupMembersPage(db, o.id, { q: search === '' ? undefined : search }, after, GROUPS_PAGE_SIZE),
    write ? groupOptions(db, o.id) : Promise.resolve([]),
    write ? pickStaff(c, o, member.values.who ?? '', 'office_groups') : Promise.resolve({ found: null, more: false }),
  ]);
  const shown = rows.slice(0, GROUPS_PAGE_SIZE);
  const last = shown[shown.length - 1];
  const qs = (extra: Record<string, string | undefined> = {}) =>
    queryString({ q: search === '' ? undefined : search, ...extra });
  const group = forms.group ?? { values: {}, errors: {} };
  return page(
    c,
    {
      title: msg.web.officeSar.groups,
      office: o,
      active: 'office-sar',
      ...((forms.group ?? forms.member) ? { status: 400 } : {}),
    },
    <>
      <SarNav o={o} />
      <Status saved={c.req.query('saved') === '1'} failed={(forms.group ?? forms.member) !== undefined} />
      <form class="filters" method="get" action={officePath(o, '/office-sar/groups')}>
        <label>
          {msg.web.officeSar.search}
          <input type="search" name="q" value={search} maxlength={100} />
        </label>
        <button type="submit">{msg.web.officeSar.find}</button>
      </form>
      {shown.length === 0 ? (
        <p>{search === '' && after === null ? msg.web.officeSar.noGroups : msg.web.officeSar.noneFound}</p>
      ) : (
        <table data-list="groups">
          <thead>
            <tr>
              <th scope="col">{msg.web.officeSar.code}</th>
              <th scope="col">{msg.web.officeSar.groupName}</th>
              <th scope="col">{msg.web.officeSar.members}</th>
              {write ? <th scope="col">{msg.web.officeSar.remove}</th> : null}
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr data-group={r.code} data-member={r.personId ?? undefined}>
                <td>{r.code}</td>
                <td>{r.nameTh}</td>
                <td>{r.displayName ?? msg.web.officeSar.noMembers}</td>
                {write ? (
                  <td>
                    {r.personId === null ? null : (
                      <a
                        href={officePath(o, `/office-sar/groups/${r.code}/members/${r.personId}/remove`)}
                        aria-label={msg.web.officeSar.removeTitle(r.displayName ?? '', r.nameTh)}
                      >
                        {msg.web.officeSar.remove}
                      </a>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        first={after === null ? undefined : officePath(o, `/office-sar/groups${qs()}`)}
        next={
          rows.length > GROUPS_PAGE_SIZE && last !== undefined
            ? officePath(o, `/office-sar/groups${qs({ after: `${last.code}.${last.personId ?? ''}` })}`)
            : undefined
        }
      />
      {write && groups.length > 0 ? (
        <form
          method="post"
          action={officePath(o, '/office-sar/groups/members')}
          class="stack"
          id="add-member"
          novalidate
        >
          <h3>{msg.web.officeSar.addMember}</h3>
          <SelectField
            name="code"
            label={msg.web.officeSar.group}
            error={member.errors.code}
            options={groups.map((g) => [g.code, g.nameTh] as const)}
            value={member.values.code}
            blank={msg.web.officeSar.chooseOne}
            required
          />
          <PersonPicker
            name="personId"
            label={msg.web.officeSar.person}
            hint={msg.web.officeSar.personHint}
            action={officePath(o, '/office-sar/groups#add-member')}
            pick={pick}
            form={member}
          />
          <button type="submit">{msg.web.officeSar.add}</button>
        </form>
      ) : null}
      {write ? (
        <form method="post" action={officePath(o, '/office-sar/groups')} class="stack" novalidate>
          <h3>{msg.web.officeSar.addGroup}</h3>
          <Field
            name="newCode"
            label={msg.web.officeSar.code}
            hint={msg.web.officeSar.codeHint}
            error={group.errors.code}
            control={(a) => <input {...a} type="text" maxlength={32} value={group.values.code ?? ''} />}
          />
          <Field
            name="nameTh"
            label={msg.web.officeSar.groupName}
            error={group.errors.nameTh}
            control={(a) => <input {...a} type="text" maxlength={200} value={group.values.nameTh ?? ''} />}
          />
          <button type="submit">{msg.web.officeSar.addGroup}</button>
        </form>
      ) : null}
    </>,
  );
}

const saved = (o: OfficeRow) => officePath(o, '/office-sar/groups?saved=1');

export function officeGroupPages(app: Hono<AppEnv>): void {
  app.get('/offices/:office/office-sar/groups', async (c) => groupsPage(c, await officeOf(c)));

  app.post('/offices/:office/office-sar/groups', async (c) => {
    const o = await officeOf(c);
    const f = await formBody(c);
    const values = { code: (f.get('newCode') ?? '').trim(), nameTh: f.get('nameTh') ?? '' };
    const parsed = groupBody.safeParse(values);
    if (!parsed.success) {
      const errors: Errors = {};
      for (const i of parsed.error.issues) {
        const k = String(i.path[0]);
        errors[k] ??= k === 'code' ? msg.web.officeSar.errCode : msg.web.officeSar.errRequired;
      }
      return groupsPage(c, o, { group: { values, errors } });
    }
    try {
      await addGroup(actionCtx(c, o.id), parsed.data);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'invalid_request') throw e;
      return groupsPage(c, o, {
        group: { values, errors: { code: e.issues[0]?.message ?? msg.web.officeSar.errCode } },
      });
    }
    return c.redirect(saved(o), 303);
  });

  app.post('/offices/:office/office-sar/groups/members', async (c) => {
    const o = await officeOf(c);
    const f = await formBody(c);
    const values = { code: f.get('code') ?? '', personId: f.get('personId') ?? '', who: f.get('who') ?? '' };
    const errors: Errors = {};
    if (values.code === '') errors.code = msg.web.officeSar.errGroup;
    if (!isUuid(values.personId)) errors.personId = msg.web.officeSar.errPerson;
    if (Object.keys(errors).length === 0) {
      try {
        await setMember(actionCtx(c, o.id), values.code, values.personId, true);
        return c.redirect(saved(o), 303);
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'invalid_request') throw e;
        errors.personId = msg.web.officeSar.errPerson;
      }
    }
    return groupsPage(c, o, { member: { values, errors } });
  });

  const member = async (c: Ctx) => {
    const o = await officeOf(c);
    const code = c.req.param('code');
    const id = c.req.param('id') ?? '';
    const found = isUuid(id) ? await groupMember(c.var.deps.db, o.id, code ?? '', id) : undefined;
    if (found === undefined) throw new AppError('not_found', 'No such group member');
    return {
      o,
      g: { code: found.code, nameTh: found.nameTh },
      m: { id: found.personId, displayName: found.displayName },
    };
  };

  // Taking a person out: a page that asks, then a POST with confirm=yes.
  app.get('/offices/:office/office-sar/groups/:code/members/:id/remove', async (c) => {
    const { o, g, m } = await member(c);
    return page(
      c,
      { title: msg.web.officeSar.removeTitle(m.displayName, g.nameTh), office: o, active: 'office-sar' },
      <form method="post" action={officePath(o, `/office-sar/groups/${g.code}/members/${m.id}/remove`)} class="stack">
        <p>{msg.web.officeSar.removeBody}</p>
        <input type="hidden" name="confirm" value="yes" />
        <div class="actions">
          <button type="submit" class="danger">
            {msg.web.officeSar.confirmRemove}
          </button>
          <a href={officePath(o, '/office-sar/groups')}>{msg.web.officeSar.back}</a>
        </div>
      </form>,
    );
  });

  app.post('/offices/:office/office-sar/groups/:code/members/:id/remove', async (c) => {
    const { o, g, m } = await member(c);
    const f = await formBody(c);
    if (f.get('confirm') !== 'yes') {
      return c.redirect(officePath(o, `/office-sar/groups/${g.code}/members/${m.id}/remove`), 303);
    }
    await setMember(actionCtx(c, o.id), g.code, m.id, false);
    return c.redirect(saved(o), 303);
  });
}
