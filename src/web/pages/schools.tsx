/** @jsxImportSource hono/jsx */
// The office's schools: a paged list cut by level, size, district, tag or a search (every role reads the schools
// in its scope: a supervisor their assigned ones), each linking to its school page; and for admins the edit form of
// one school's name and attributes (levels, size, subdistrict / district / province, tags), through the same action
// as the admin API (src/admin/schools.actions.ts), with each error beside its field. Directors and supervisors
// read only.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf } from '../../admin/auth.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { listSchoolsPage, schoolFacets, schoolView, type SchoolView } from '../../admin/org.queries.js';
import { can } from '../../admin/scope.js';
import { schoolPatch, updateSchool } from '../../admin/schools.actions.js';
import type { AppEnv } from '../../deps.js';
import { AppError, type FieldIssue } from '../../errors.js';
import { isUuid } from '../../ids/uuid.js';
import {
  schoolLevels,
  schoolLevelTh,
  schoolSizes,
  schoolSizeTh,
  splitList,
  type SchoolLevel,
  type SchoolSize,
} from '../../org/attributes.js';
import { cutQuery, readCut } from '../../org/cut.js';
import type { SchoolCut } from '../../checklists/audience.queries.js';
import { formBody } from '../session.js';
import { Field, orFormErrors, SelectField, zodIssues } from './fields.js';
import { need, officePath, Options, page, Pager, scopeOfPage, type Ctx } from './render.js';
import { msg } from '../../i18n/msg.js';

export const SCHOOLS_PAGE_SIZE = 50;

/** A school's levels, size and place in one short Thai line (the list and the school page). */
export function attributesLine(s: {
  levels: string[];
  size: string | null;
  subdistrict: string | null;
  district: string | null;
  province: string | null;
}): { levels: string; size: string; place: string } {
  const levels = s.levels.map((l) => schoolLevelTh[l as SchoolLevel] ?? l).join(', ');
  const size = s.size === null ? '' : (schoolSizeTh[s.size as SchoolSize] ?? s.size);
  const place = [
    s.subdistrict === null ? null : `ต.${s.subdistrict}`,
    s.district === null ? null : `อ.${s.district}`,
    s.province === null ? null : `จ.${s.province}`,
  ]
    .filter((x) => x !== null)
    .join(' ');
  return { levels, size, place };
}

/** The cut's choices (level, size, district, tag) as labelled selects: the schools list's filters and the reports'. */
export function CutSelects(props: { facets: { districts: string[]; tags: string[] }; cut?: SchoolCut }): Child {
  const { facets, cut } = props;
  const picked = (list: readonly string[] | undefined) => (list?.length === 1 ? { selected: list[0] ?? '' } : {});
  return (
    <>
      <label>
        {msg.web.schools.level}
        <select name="level">
          <Options values={schoolLevels} label={(l) => schoolLevelTh[l]} {...picked(cut?.levels)} />
        </select>
      </label>
      <label>
        {msg.web.schools.size}
        <select name="size">
          <Options values={schoolSizes} label={(l) => schoolSizeTh[l]} {...picked(cut?.sizes)} />
        </select>
      </label>
      <label>
        {msg.web.schools.district}
        <select name="district">
          <Options values={facets.districts} label={(d) => d} {...picked(cut?.districts)} />
        </select>
      </label>
      <label>
        {msg.web.schools.tag}
        <select name="tag">
          <Options values={facets.tags} label={(d) => d} {...picked(cut?.tags)} />
        </select>
      </label>
    </>
  );
}

// ── The edit form ──

type SchoolField = 'nameTh' | 'levels' | 'size' | 'subdistrict' | 'district' | 'province' | 'tags';

interface SchoolValues {
  nameTh: string;
  levels: string[];
  size: string;
  subdistrict: string;
  district: string;
  province: string;
  tags: string;
}

type Errors = Partial<Record<SchoolField, string>>;

const valuesOf = (s: SchoolView): SchoolValues => ({
  nameTh: s.nameTh,
  levels: s.levels,
  size: s.size ?? '',
  subdistrict: s.subdistrict ?? '',
  district: s.district ?? '',
  province: s.province ?? '',
  tags: s.tags.join('\n'),
});

function readForm(f: URLSearchParams): SchoolValues {
  return {
    nameTh: f.get('nameTh') ?? '',
    levels: f.getAll('levels'),
    size: f.get('size') ?? '',
    subdistrict: f.get('subdistrict') ?? '',
    district: f.get('district') ?? '',
    province: f.get('province') ?? '',
    tags: f.get('tags') ?? '',
  };
}

/** An empty text field clears the attribute (as an empty import cell does). */
const orNull = (v: string) => (v.trim() === '' ? null : v);

/** Each issue's first path segment is the field (tags.3 is the tags field). */
function fieldErrors(issues: readonly FieldIssue[]): Errors {
  const out: Errors = {};
  for (const i of issues) {
    const f = i.field.split('.')[0] as SchoolField;
    if (f in msg.web.schools.err && out[f] === undefined) out[f] = msg.web.schools.err[f];
  }
  return out;
}

function SchoolForm(props: { action: string; cancel: string; v: SchoolValues; e: Errors }): Child {
  const { v, e } = props;
  const text = (name: 'subdistrict' | 'district' | 'province', label: string) => (
    <Field
      name={name}
      label={label}
      error={e[name]}
      control={(a) => <input {...a} type="text" value={v[name]} maxlength={100} autocomplete="off" />}
    />
  );
  return (
    <form method="post" action={props.action} class="stack" novalidate>
      {Object.keys(e).length === 0 ? null : (
        <p class="error" role="alert">
          {msg.web.schools.fixErrors}
        </p>
      )}
      <Field
        name="nameTh"
        label={msg.web.schools.nameTh}
        error={e.nameTh}
        control={(a) => <input {...a} type="text" value={v.nameTh} maxlength={200} required autocomplete="off" />}
      />
      <fieldset
        aria-invalid={e.levels === undefined ? undefined : 'true'}
        aria-describedby={e.levels === undefined ? undefined : 'levels-error'}
      >
        <legend>{msg.web.schools.levels}</legend>
        {schoolLevels.map((l) => (
          <label class="check">
            <input type="checkbox" name="levels" value={l} checked={v.levels.includes(l)} /> {schoolLevelTh[l]}
          </label>
        ))}
        {e.levels === undefined ? null : (
          <p id="levels-error" class="field-error">
            {e.levels}
          </p>
        )}
      </fieldset>
      <SelectField
        name="size"
        label={msg.web.schools.size}
        error={e.size}
        options={schoolSizes.map((s) => [s, schoolSizeTh[s]] as const)}
        value={v.size}
        blank={msg.web.schools.noSize}
      />
      {text('subdistrict', msg.web.schools.subdistrict)}
      {text('district', msg.web.schools.district)}
      {text('province', msg.web.schools.province)}
      <Field
        name="tags"
        label={msg.web.schools.tags}
        hint={msg.web.schools.tagsHint}
        error={e.tags}
        control={(a) => (
          <textarea {...a} rows={4}>
            {v.tags}
          </textarea>
        )}
      />
      <div class="actions">
        <button type="submit">{msg.web.schools.save}</button>
        <a href={props.cancel}>{msg.web.schools.cancel}</a>
      </div>
    </form>
  );
}

/** The school named by the path's :id, of this office (an unknown or malformed id is a 404). */
export async function schoolOf(c: Ctx, o: OfficeRow): Promise<SchoolView> {
  const id = c.req.param('id');
  const s = id === undefined || !isUuid(id) ? undefined : await schoolView(c.var.deps.db, o.id, id);
  if (s === undefined) throw new AppError('not_found', 'Unknown school');
  return s;
}

export function schoolListPages(app: Hono<AppEnv>): void {
  // The list shares the school page's guard ('/schools', schools.read, in school.tsx); editing needs office.write.

  app.get('/offices/:office/schools', async (c) => {
    const o = await officeOf(c);
    const scope = scopeOfPage(c);
    const { db } = c.var.deps;
    const { cut, issues } = readCut((n) => c.req.queries(n) ?? []);
    if (issues.length > 0) throw new AppError('invalid_request', 'Bad filter', issues);
    const search = c.req.query('q')?.trim().slice(0, 100) ?? '';
    const after = c.req.query('after')?.trim().slice(0, 20) ?? '';
    const [rows, facets] = await Promise.all([
      listSchoolsPage(
        db,
        o.id,
        { cut, ...(search === '' ? {} : { q: search }) },
        after === '' ? null : after,
        SCHOOLS_PAGE_SIZE,
        scope,
      ),
      schoolFacets(db, o.id),
    ]);
    const shown = rows.slice(0, SCHOOLS_PAGE_SIZE);
    const write = can(scope, 'office.write');
    const filters: [string, string][] = [
      ...cutQuery(cut),
      ...(search === '' ? [] : [['q', search] as [string, string]]),
    ];
    const qs = (extra: [string, string][] = []) => {
      const p = new URLSearchParams([...filters, ...extra]).toString();
      return p === '' ? '' : `?${p}`;
    };
    return page(
      c,
      { title: msg.web.schools.schools, office: o, active: 'schools' },
      <>
        <form class="filters" method="get" action={officePath(o, '/schools')}>
          <CutSelects facets={facets} cut={cut} />
          <label>
            {msg.web.schools.search}
            <input type="search" name="q" value={search} maxlength={100} />
          </label>
          <button type="submit">{msg.web.schools.filter}</button>
        </form>
        {shown.length === 0 ? (
          <p>{msg.web.schools.noSchools}</p>
        ) : (
          <table data-list="schools">
            <thead>
              <tr>
                <th scope="col">{msg.web.schools.code}</th>
                <th scope="col">{msg.web.schools.name}</th>
                <th scope="col">{msg.web.schools.cluster}</th>
                <th scope="col">{msg.web.schools.levels}</th>
                <th scope="col">{msg.web.schools.size}</th>
                <th scope="col">{msg.web.schools.place}</th>
                <th scope="col">{msg.web.schools.tags}</th>
                {write ? <th scope="col">{msg.web.schools.edit}</th> : null}
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => {
                const a = attributesLine(s);
                return (
                  <tr data-school={s.id}>
                    <td>{s.code}</td>
                    <th scope="row">
                      <a href={officePath(o, `/schools/${s.id}`)}>{s.nameTh}</a>
                    </th>
                    <td>{s.clusterNameTh ?? '–'}</td>
                    <td>{a.levels}</td>
                    <td>{a.size}</td>
                    <td>{a.place}</td>
                    <td>{s.tags.join(', ')}</td>
                    {write ? (
                      <td>
                        <a
                          href={officePath(o, `/schools/${s.id}/edit`)}
                          aria-label={msg.web.schools.editLink(s.nameTh)}
                        >
                          {msg.web.schools.edit}
                        </a>
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <Pager
          first={after === '' ? undefined : officePath(o, `/schools${qs()}`)}
          next={
            rows.length > SCHOOLS_PAGE_SIZE
              ? officePath(o, `/schools${qs([['after', shown[shown.length - 1]?.code ?? '']])}`)
              : undefined
          }
        />
      </>,
    );
  });

  const editPage = (c: Ctx, o: OfficeRow, s: SchoolView, v: SchoolValues, e: Errors) =>
    page(
      c,
      {
        title: msg.web.schools.editOf(s.nameTh),
        office: o,
        active: 'schools',
        status: Object.keys(e).length > 0 ? 400 : 200,
      },
      <>
        {c.req.query('saved') === '1' ? (
          <p class="notice" role="status">
            {msg.web.schools.saved} · <a href={officePath(o, `/schools/${s.id}`)}>{msg.web.schools.back}</a>
          </p>
        ) : null}
        <p class="muted">
          {s.code} · {msg.web.schools.cluster}: {s.clusterNameTh ?? '–'}
        </p>
        <SchoolForm
          action={officePath(o, `/schools/${s.id}/edit`)}
          cancel={officePath(o, `/schools/${s.id}`)}
          v={v}
          e={e}
        />
      </>,
    );

  app.get('/offices/:office/schools/:id/edit', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const s = await schoolOf(c, o);
    return editPage(c, o, s, valuesOf(s), {});
  });

  app.post('/offices/:office/schools/:id/edit', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const { db } = c.var.deps;
    const s = await schoolOf(c, o);
    const v = readForm(await formBody(c));
    const parsed = schoolPatch.safeParse({
      nameTh: v.nameTh,
      levels: v.levels,
      size: v.size === '' ? null : v.size,
      subdistrict: orNull(v.subdistrict),
      district: orNull(v.district),
      province: orNull(v.province),
      tags: splitList(v.tags),
    });
    const result = parsed.success
      ? await orFormErrors(() => updateSchool(db, o.id, s.id, parsed.data, { actor: actorOf(c) }))
      : { issues: zodIssues(parsed.error) };
    if ('issues' in result) return editPage(c, o, s, v, fieldErrors(result.issues));
    return c.redirect(officePath(o, `/schools/${s.id}/edit?saved=1`), 303);
  });
}
