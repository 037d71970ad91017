/** @jsxImportSource hono/jsx */
// The office's people: a paged list with filters (admins and directors read it; reading names is audited), and for
// admins the forms that change it, through the same actions as the admin API (src/admin/people.actions.ts): add a
// person, edit one (name, role, school, learning areas, position), block or unblock after a confirmation page, and
// issue invites to one person or to many ticked on the list (after a confirmation) — the new codes are shown once,
// as the printable cards of the invite sheets. A whole school's sheet is linked from a list filtered by school.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf } from '../../admin/auth.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import {
  addPeople,
  issueInvitesTo,
  peopleBody,
  personPatch,
  updatePerson,
  type ActionContext,
} from '../../admin/people.actions.js';
import { personView, type PersonView } from '../../admin/people.queries.js';
import { can } from '../../admin/scope.js';
import { audit } from '../../audit/audit.queries.js';
import { personStatuses, roles, type PersonStatus, type Role } from '../../db/schema.js';
import type { AppEnv } from '../../deps.js';
import { AppError, type FieldIssue } from '../../errors.js';
import { roleLabel } from '../../i18n/th.js';
import { isUuid, uuidOrUndefined } from '../../ids/uuid.js';
import { issueInvites } from '../../onboarding/invites.js';
import {
  learningAreas,
  learningAreaTh,
  positions,
  positionTh,
  schoolLevels,
  schoolLevelTh,
  schoolSizes,
  schoolSizeTh,
  splitList,
} from '../../org/attributes.js';
import { cutLabel } from '../../org/cut.js';
import { isEmptyCut } from '../../checklists/audience.queries.js';
import { thaiShortDate } from '../../time/thai.js';
import { formBody } from '../session.js';
import { officeBasicId } from '../sheets.queries.js';
import { invitablePerson, peopleByIds, peoplePage, schoolOptions, type SchoolOption } from '../web.queries.js';
import { statusLabel, t } from '../web.th.js';
import { errorsByField, Field, orFormErrors, SelectField, zodIssues } from './fields.js';
import { InviteCards } from './invite-sheets.js';
import { guard, need, officePath, oneOf, Options, page, Pager, queryString, scopeOfPage, type Ctx } from './render.js';
import { msg } from '../../i18n/msg.js';

export const PEOPLE_PAGE_SIZE = 50;
/** Days a web-issued invite stays valid, as the API's default. */
const INVITE_DAYS = 30;
/** People ticked for one bulk invite: two pages of the list at most. */
const BULK_MAX = 2 * PEOPLE_PAGE_SIZE;

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

const ctxOf = (c: Ctx): ActionContext => ({ now: c.var.deps.now(), actor: actorOf(c) });

// ── The add and edit forms ──

type PersonField =
  'displayName' | 'role' | 'schoolCode' | 'externalId' | 'learningAreas' | 'position' | 'status' | 'digestCut';

interface PersonValues {
  displayName: string;
  role: string;
  schoolCode: string;
  externalId: string;
  learningAreas: string[];
  position: string;
  issueInvite: boolean;
  /** A director's digest cut: levels and sizes (codes), tags as typed (comma-separated). */
  digestLevels: string[];
  digestSizes: string[];
  digestTags: string;
}

type Errors = Partial<Record<PersonField, string>>;

function readPersonForm(f: URLSearchParams): PersonValues {
  return {
    displayName: f.get('displayName') ?? '',
    role: f.get('role') ?? '',
    schoolCode: (f.get('schoolCode') ?? '').trim(),
    externalId: (f.get('externalId') ?? '').trim(),
    learningAreas: f.getAll('learningAreas'),
    position: f.get('position') ?? '',
    issueInvite: f.get('issueInvite') === '1',
    digestLevels: f.getAll('digestLevels'),
    digestSizes: f.getAll('digestSizes'),
    digestTags: f.get('digestTags') ?? '',
  };
}

/** The form's digest cut as the action's body (the same schema as the API's); places set through the API are kept. */
const digestCutOf = (v: PersonValues, p: PersonView) => ({
  ...p.digestCut,
  levels: v.digestLevels,
  sizes: v.digestSizes,
  tags: splitList(v.digestTags),
});

/** The Thai message beside a field, for a refusal of the action (zod's or the action's own checks). */
function fieldErrors(issues: readonly FieldIssue[], values: PersonValues): Errors {
  const named = issues.map((i) => (i.field.startsWith('digestCut') ? { ...i, field: 'digestCut' } : i));
  return errorsByField<PersonField>(named, (field) => {
    if (field === 'schoolCode')
      return values.schoolCode === '' ? msg.web.people.err.schoolCode : msg.web.people.err.unknownSchool;
    return field in msg.web.people.err ? msg.web.people.err[field as keyof typeof msg.web.people.err] : undefined;
  });
}

/** One checkbox per code, labelled in Thai, ticked when chosen. */
function Checks<T extends string>(props: {
  name: string;
  codes: readonly T[];
  labels: Record<T, string>;
  chosen: readonly string[];
}): Child {
  return props.codes.map((code) => (
    <label class="check">
      <input type="checkbox" name={props.name} value={code} checked={props.chosen.includes(code)} />{' '}
      {props.labels[code]}
    </label>
  ));
}

function PersonForm(props: {
  action: string;
  values: PersonValues;
  errors: Errors;
  schools: SchoolOption[];
  /** The add form also takes a staff id and offers an invite; the edit form shows neither. */
  adding: boolean;
  cancel: string;
  /** The digest cut stored now, in Thai (the edit form). */
  cutNow?: string | undefined;
}): Child {
  const { values: v, errors: e } = props;
  const invalid = (f: PersonField) => (e[f] === undefined ? {} : { 'aria-invalid': 'true' as const });
  return (
    <form method="post" action={props.action} class="stack" novalidate>
      {Object.keys(e).length === 0 ? null : (
        <p class="error" role="alert">
          {msg.web.people.fixErrors}
        </p>
      )}
      <Field
        name="displayName"
        label={msg.web.people.displayName}
        error={e.displayName}
        control={(a) => <input {...a} type="text" value={v.displayName} maxlength={200} required autocomplete="off" />}
      />
      <SelectField
        name="role"
        label={msg.web.people.role}
        error={e.role}
        options={roles.map((r) => [r, roleLabel[r]] as const)}
        value={v.role}
        blank="—"
        required
      />
      <SelectField
        name="schoolCode"
        label={msg.web.people.school}
        hint={msg.web.people.schoolHint}
        error={e.schoolCode}
        options={props.schools.map((s) => [s.code, `${s.name_th} (${s.code})`] as const)}
        value={v.schoolCode}
        blank={msg.web.people.noSchool}
      />
      {props.adding ? (
        <Field
          name="externalId"
          label={msg.web.people.externalId}
          hint={msg.web.people.externalIdHint}
          error={e.externalId}
          control={(a) => <input {...a} type="text" value={v.externalId} maxlength={100} autocomplete="off" />}
        />
      ) : null}
      <fieldset
        {...invalid('learningAreas')}
        aria-describedby={e.learningAreas === undefined ? undefined : 'learningAreas-error'}
      >
        <legend>{msg.web.people.learningAreas}</legend>
        <Checks name="learningAreas" codes={learningAreas} labels={learningAreaTh} chosen={v.learningAreas} />
        {e.learningAreas === undefined ? null : (
          <p id="learningAreas-error" class="field-error">
            {e.learningAreas}
          </p>
        )}
      </fieldset>
      <SelectField
        name="position"
        label={msg.web.people.position}
        error={e.position}
        options={positions.map((p) => [p, positionTh[p]] as const)}
        value={v.position}
        blank={msg.web.people.noPosition}
      />
      {props.adding ? null : (
        <fieldset {...invalid('digestCut')} aria-describedby="digestCut-hint">
          <legend>{msg.web.people.digestCut}</legend>
          <p id="digestCut-hint" class="hint">
            {msg.web.people.digestCutHint}
          </p>
          {props.cutNow === undefined ? null : <p>{msg.web.people.digestCutNow(props.cutNow)}</p>}
          <p>{msg.web.people.digestLevels}</p>
          <Checks name="digestLevels" codes={schoolLevels} labels={schoolLevelTh} chosen={v.digestLevels} />
          <p>{msg.web.people.digestSizes}</p>
          <Checks name="digestSizes" codes={schoolSizes} labels={schoolSizeTh} chosen={v.digestSizes} />
          <label>
            {msg.web.people.digestTags}{' '}
            <input type="text" name="digestTags" value={v.digestTags} maxlength={2100} autocomplete="off" />
          </label>
          {e.digestCut === undefined ? null : (
            <p id="digestCut-error" class="field-error">
              {e.digestCut}
            </p>
          )}
        </fieldset>
      )}
      {props.adding ? (
        <label class="check">
          <input type="checkbox" name="issueInvite" value="1" checked={v.issueInvite} /> {msg.web.people.issueInvite}
        </label>
      ) : null}
      <div class="actions">
        <button type="submit">{props.adding ? msg.web.people.add : msg.web.people.save}</button>
        <a href={props.cancel}>{msg.web.people.cancel}</a>
      </div>
    </form>
  );
}

async function personOf(c: Ctx, o: OfficeRow): Promise<PersonView> {
  const id = c.req.param('person');
  const p = id === undefined || !isUuid(id) ? undefined : await personView(c.var.deps.db, o.id, id);
  if (p === undefined || p.status === 'erased') throw new AppError('not_found', 'Unknown person');
  return p;
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
    const tz = o.time_zone;
    const write = can(scopeOfPage(c), 'office.write');
    const school = q.schoolId === undefined ? undefined : schools.find((s) => s.id === q.schoolId);
    return page(
      c,
      { title: t.people, office: o, active: 'people' },
      <>
        {write ? (
          <p class="actions">
            <a href={officePath(o, '/people/new')}>{msg.web.people.add}</a>
            {school === undefined ? null : (
              <a href={officePath(o, `/invite-sheets/${school.id}`)}>{msg.web.people.wholeSchool(school.name_th)}</a>
            )}
          </p>
        ) : null}
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
                {write ? (
                  <th scope="col">
                    <span class="muted">✓</span>
                  </th>
                ) : null}
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
                  {write ? (
                    <td>
                      {p.status === 'erased' ? null : (
                        // Tied to the bulk form below the table by its id: forms cannot nest in a table's rows.
                        <input
                          type="checkbox"
                          name="person"
                          value={p.id}
                          form="bulk-invites"
                          aria-label={msg.web.people.select(p.display_name)}
                        />
                      )}
                    </td>
                  ) : null}
                  <th scope="row">
                    {write && p.status !== 'erased' ? (
                      <a href={officePath(o, `/people/${p.id}`)} aria-label={msg.web.people.editLink(p.display_name)}>
                        {p.display_name}
                      </a>
                    ) : (
                      p.display_name
                    )}
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
                    {p.status === 'erased' || !write ? null : (
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
        {write && shown.length > 0 ? (
          <form id="bulk-invites" method="post" action={officePath(o, '/people/invites')} class="actions">
            <button type="submit">{msg.web.people.bulkInvite}</button>
            <span class="muted">{msg.web.people.bulkHint}</span>
          </form>
        ) : null}
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

  // ── Add ──

  const emptyPerson: PersonValues = {
    displayName: '',
    role: '',
    schoolCode: '',
    externalId: '',
    learningAreas: [],
    position: '',
    digestLevels: [],
    digestSizes: [],
    digestTags: '',
    issueInvite: true,
  };

  app.get('/offices/:office/people/new', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const schools = await schoolOptions(c.var.deps.db, o.id);
    return page(
      c,
      { title: msg.web.people.add, office: o, active: 'people' },
      <PersonForm
        action={officePath(o, '/people/new')}
        values={emptyPerson}
        errors={{}}
        schools={schools}
        adding
        cancel={officePath(o, '/people')}
      />,
    );
  });

  app.post('/offices/:office/people/new', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const { db } = c.var.deps;
    const v = readPersonForm(await formBody(c));
    const parsed = peopleBody.safeParse({
      people: [
        {
          displayName: v.displayName,
          role: v.role,
          ...(v.schoolCode === '' ? {} : { schoolCode: v.schoolCode }),
          ...(v.externalId === '' ? {} : { externalId: v.externalId }),
          learningAreas: v.learningAreas,
          position: v.position === '' ? null : v.position,
        },
      ],
      issueInvites: v.issueInvite,
      inviteDays: INVITE_DAYS,
    });
    const result = parsed.success
      ? await orFormErrors(() => addPeople(db, o.id, parsed.data, ctxOf(c)))
      : { issues: zodIssues(parsed.error) };
    if ('issues' in result) {
      const schools = await schoolOptions(db, o.id);
      return page(
        c,
        { title: msg.web.people.add, office: o, active: 'people', status: 400 },
        <PersonForm
          action={officePath(o, '/people/new')}
          values={v}
          errors={fieldErrors(result.issues, v)}
          schools={schools}
          adding
          cancel={officePath(o, '/people')}
        />,
      );
    }
    const added = result.ok[0];
    if (added === undefined) throw new AppError('internal', 'addPeople returned no row');
    if (added.invite === null) return c.redirect(officePath(o, `/people/${added.id}?saved=1`), 303);
    // The code exists only in this response (no-store): the card is printed now or a new code issued later.
    const [people, basicId] = await Promise.all([peopleByIds(db, o.id, [added.id]), officeBasicId(db, o.id)]);
    return page(
      c,
      { title: msg.web.people.added, office: o, active: 'people' },
      <>
        <p class="noprint" role="status">
          {msg.web.people.printHint} <a href={officePath(o, '/people')}>{msg.web.people.backToPeople}</a>
        </p>
        <InviteCards people={people} invites={[added.invite]} basicId={basicId} />
      </>,
    );
  });

  // ── Invites to many ──

  // Ticked people: the first POST (from the list) asks for confirmation; the second (confirm=1) issues the codes.
  app.post('/offices/:office/people/invites', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const { db } = c.var.deps;
    const f = await formBody(c);
    const ids = [...new Set(f.getAll('person'))];
    if (ids.some((id) => !isUuid(id)) || ids.length > BULK_MAX) {
      throw new AppError('invalid_request', 'Bad selection');
    }
    const people = await peopleByIds(db, o.id, ids);
    if (people.length === 0) {
      return page(
        c,
        { title: msg.web.people.bulkInvite, office: o, active: 'people', status: 400 },
        <p class="error" role="alert">
          {msg.web.people.noneSelected} <a href={officePath(o, '/people')}>{msg.web.people.backToPeople}</a>
        </p>,
      );
    }
    if (f.get('confirm') !== '1') {
      return page(
        c,
        { title: msg.web.people.confirmInvitesTitle(people.length), office: o, active: 'people' },
        <form method="post" action={officePath(o, '/people/invites')} class="stack">
          <p>{msg.web.people.confirmInvitesBody}</p>
          <ul>
            {people.map((p) => (
              <li>
                {p.display_name} <span class="muted">{p.school_name ?? ''}</span>
                <input type="hidden" name="person" value={p.id} />
              </li>
            ))}
          </ul>
          <input type="hidden" name="confirm" value="1" />
          <div class="actions">
            <button type="submit">{msg.web.people.confirmInvites}</button>
            <a href={officePath(o, '/people')}>{msg.web.people.cancel}</a>
          </div>
        </form>,
      );
    }
    const invites = await issueInvitesTo(
      db,
      o.id,
      { personIds: people.map((p) => p.id), inviteDays: INVITE_DAYS },
      ctxOf(c),
    );
    const basicId = await officeBasicId(db, o.id);
    // The plain codes exist only in this response (page() marks it no-store), as the cards of an invite sheet.
    return page(
      c,
      { title: msg.web.people.invitesIssued(invites.length), office: o, active: 'people' },
      <>
        <p class="noprint" role="status">
          {msg.web.people.printHint} <a href={officePath(o, '/people')}>{msg.web.people.backToPeople}</a>
        </p>
        <InviteCards people={people} invites={invites} basicId={basicId} />
      </>,
    );
  });

  // ── Edit, block, unblock (after the fixed paths above: '/people/:person' would take 'new' and 'invites') ──

  const editPage = (c: Ctx, o: OfficeRow, p: PersonView, v: PersonValues, e: Errors, schools: SchoolOption[]) => {
    const status = Object.keys(e).length > 0 ? 400 : 200;
    const blocked = p.status === 'blocked';
    return page(
      c,
      { title: msg.web.people.editOf(p.displayName), office: o, active: 'people', status },
      <>
        {c.req.query('saved') === '1' ? (
          <p class="notice" role="status">
            {msg.web.people.saved}
          </p>
        ) : null}
        <PersonForm
          action={officePath(o, `/people/${p.id}`)}
          values={v}
          errors={e}
          schools={schools}
          adding={false}
          cancel={officePath(o, '/people')}
          cutNow={p.digestCut === null || isEmptyCut(p.digestCut) ? undefined : cutLabel(p.digestCut)}
        />
        <h2>{msg.web.people.status}</h2>
        <p data-figure="status">
          {statusLabel[p.status]} · {p.linked ? t.linked : t.notLinked}
        </p>
        <p>
          <a href={officePath(o, `/people/${p.id}/${blocked ? 'unblock' : 'block'}`)}>
            {blocked ? msg.web.people.unblock : msg.web.people.block}
          </a>
        </p>
      </>,
    );
  };

  const valuesOf = (p: PersonView): PersonValues => ({
    displayName: p.displayName,
    role: p.role,
    schoolCode: p.schoolCode ?? '',
    externalId: p.externalId ?? '',
    learningAreas: p.learningAreas,
    position: p.position ?? '',
    issueInvite: false,
    digestLevels: p.digestCut?.levels.slice() ?? [],
    digestSizes: p.digestCut?.sizes.slice() ?? [],
    digestTags: (p.digestCut?.tags ?? []).join(', '),
  });

  app.get('/offices/:office/people/:person', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const { db } = c.var.deps;
    const p = await personOf(c, o);
    const schools = await schoolOptions(db, o.id);
    await audit(db, { actor: actorOf(c), officeId: o.id, action: 'person.read', targetType: 'person', targetId: p.id });
    return editPage(c, o, p, valuesOf(p), {}, schools);
  });

  app.post('/offices/:office/people/:person', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const { db } = c.var.deps;
    const p = await personOf(c, o);
    const v = readPersonForm(await formBody(c));
    const parsed = personPatch.safeParse({
      displayName: v.displayName,
      role: v.role,
      schoolCode: v.schoolCode === '' ? null : v.schoolCode,
      learningAreas: v.learningAreas,
      position: v.position === '' ? null : v.position,
      digestCut: digestCutOf(v, p),
    });
    const result = parsed.success
      ? await orFormErrors(() => updatePerson(db, o.id, p.id, parsed.data, ctxOf(c)))
      : { issues: zodIssues(parsed.error) };
    if ('issues' in result) {
      return editPage(c, o, p, v, fieldErrors(result.issues, v), await schoolOptions(db, o.id));
    }
    return c.redirect(officePath(o, `/people/${p.id}?saved=1`), 303);
  });

  for (const to of ['block', 'unblock'] as const) {
    const status = to === 'block' ? 'blocked' : 'active';
    // The confirmation: nothing changes on a GET.
    app.get(`/offices/:office/people/:person/${to}`, async (c) => {
      need(c, 'office.write');
      const o = await officeOf(c);
      const p = await personOf(c, o);
      return page(
        c,
        {
          title: to === 'block' ? msg.web.people.blockTitle(p.displayName) : msg.web.people.unblockTitle(p.displayName),
          office: o,
          active: 'people',
        },
        <form method="post" action={officePath(o, `/people/${p.id}/${to}`)}>
          <p>{to === 'block' ? msg.web.people.blockBody : msg.web.people.unblockBody}</p>
          <div class="actions">
            <button type="submit" class={to === 'block' ? 'danger' : undefined}>
              {to === 'block' ? msg.web.people.confirmBlock : msg.web.people.confirmUnblock}
            </button>
            <a href={officePath(o, `/people/${p.id}`)}>{msg.web.people.cancel}</a>
          </div>
        </form>,
      );
    });

    app.post(`/offices/:office/people/:person/${to}`, async (c) => {
      need(c, 'office.write');
      const o = await officeOf(c);
      const { db } = c.var.deps;
      const p = await personOf(c, o);
      const result = await orFormErrors(() => updatePerson(db, o.id, p.id, { status }, ctxOf(c)));
      if ('issues' in result) {
        const v = valuesOf(p);
        return editPage(c, o, p, v, fieldErrors(result.issues, v), await schoolOptions(db, o.id));
      }
      return c.redirect(officePath(o, `/people/${p.id}?saved=1`), 303);
    });
  }

  // ── One invite ──

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
