/** @jsxImportSource hono/jsx */
// Reading the answers (issue 13, item 4): a campaign's completion per school and who answered, one school's or one
// person's responses, and one response with every question in Thai, select labels rather than codes, dates in
// Buddhist-Era years (the office's time zone) and its photos. Everyone with `schools.read` opens them: admins and
// directors office-wide, a supervisor only for their assigned schools — the scope is a condition of each statement
// (src/web/reading.queries.ts), and an id outside it is the same 404 as an unknown one. Lists are keyset-paged.
// Each view of someone else's answers is written to the audit log.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf } from '../../admin/auth.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import type { Scope } from '../../admin/scope.js';
import { audit } from '../../audit/audit.queries.js';
import { type AnswerMap, answerKey, displayAnswer } from '../../checklists/answers.js';
import type { LeafItem } from '../../checklists/definition.js';
import { evidenceWebPath } from '../../checklists/evidence.js';
import { rememberDefinition } from '../../checklists/definitions-cache.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { isUuid } from '../../ids/uuid.js';
import { thaiShortDate } from '../../time/thai.js';
import {
  campaignHead,
  campaignSchools,
  personHead,
  responseDetail,
  responsePage,
  schoolHead,
  type ResponseListRow,
  type ResponseRow,
} from '../reading.queries.js';
import { responseStatusLabel } from '../reading.th.js';
import { num, pct, t, thaiDateTime } from '../web.th.js';
import { Bar, guard, officePath, page, Pager, queryString, scopeOfPage, type Ctx } from './render.js';
import { msg } from '../../i18n/msg.js';

export const RESPONSES_PAGE_SIZE = 50;

/** A path parameter that must be a row id: anything else is the same 404 as an unknown id. */
export function idParam(c: Ctx, name: string): string {
  const v = c.req.param(name) ?? '';
  if (!isUuid(v)) throw new AppError('not_found', `Not an id: ${name}`);
  return v;
}

/** A query parameter that, when given, must be a row id (a pager's cursor, a filter): otherwise a 400. */
export function idQuery(c: Ctx, name: string): string | undefined {
  const v = c.req.query(name);
  if (v === undefined || v === '') return undefined;
  if (!isUuid(v)) throw new AppError('bad_request', `Not an id: ${name}`);
  return v;
}

export const evidencePath = (o: OfficeRow, id: string) => evidenceWebPath(o.code, id);
export const responsePath = (o: OfficeRow, id: string) => officePath(o, `/responses/${id}`);
export const schoolPath = (o: OfficeRow, id: string) => officePath(o, `/schools/${id}`);

/** The audit row of a read of someone else's answers: who, which page, which row. */
export async function auditRead(c: Ctx, o: OfficeRow, action: string, targetType: string, targetId: string) {
  await audit(c.var.deps.db, { actor: actorOf(c), officeId: o.id, action, targetType, targetId });
}

/** A list of responses with its pager: who answered what, when, and its status. */
function ResponseList(props: {
  o: OfficeRow;
  rows: ResponseListRow[];
  tz: string;
  show: { campaign?: boolean; school?: boolean; respondent?: boolean };
  firstHref: string | undefined;
  nextHref: (after: string) => string;
}): Child {
  const { o, tz, show } = props;
  const shown = props.rows.slice(0, RESPONSES_PAGE_SIZE);
  const last = shown[shown.length - 1];
  return (
    <>
      {shown.length === 0 ? (
        <p>{msg.web.reading.noResponses}</p>
      ) : (
        <table data-list="responses">
          <thead>
            <tr>
              <th scope="col">{msg.web.reading.response}</th>
              {show.campaign === true ? <th scope="col">{t.campaign}</th> : null}
              {show.school === true ? <th scope="col">{msg.web.reading.school}</th> : null}
              {show.respondent === true ? <th scope="col">{msg.web.reading.respondent}</th> : null}
              <th scope="col">{t.status}</th>
              <th scope="col">{msg.web.reading.updated}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr data-response={r.id}>
                <td>
                  <a href={responsePath(o, r.id)}>{r.checklist_title}</a>
                </td>
                {show.campaign === true ? (
                  <td>
                    {r.campaign_system ? (
                      r.campaign_title
                    ) : (
                      <a href={officePath(o, `/responses/campaigns/${r.campaign_id}`)}>{r.campaign_title}</a>
                    )}
                  </td>
                ) : null}
                {show.school === true ? (
                  <td>{r.school_id === null ? '–' : <a href={schoolPath(o, r.school_id)}>{r.school_name}</a>}</td>
                ) : null}
                {show.respondent === true ? (
                  <td>
                    {r.respondent_id === null ? (
                      '–'
                    ) : (
                      <a href={officePath(o, `/responses/people/${r.respondent_id}`)}>{r.respondent}</a>
                    )}
                  </td>
                ) : null}
                <td>{responseStatusLabel(r.status)}</td>
                <td>{thaiDateTime(r.submitted_ms ?? r.updated_ms, tz)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        first={props.firstHref}
        next={props.rows.length > RESPONSES_PAGE_SIZE && last !== undefined ? props.nextHref(last.id) : undefined}
      />
    </>
  );
}

/** Every answer of a response in the order the checklist asks, repeats as numbered instances, photos as links. */
export function AnswerTable(props: { o: OfficeRow; r: ResponseRow }): Child {
  const { o, r } = props;
  const def = rememberDefinition(r.checklist_id, r.definition);
  if (def === undefined) return <p class="error">{t.error}</p>;
  const answers: AnswerMap = {};
  const schoolNames = new Map<string, string>();
  for (const a of r.answers ?? []) {
    answers[answerKey(a.k, a.r)] = a.v;
    if (a.school !== null && typeof a.v === 'string') schoolNames.set(a.v, a.school);
  }
  const evidence = new Map((r.evidence ?? []).map((e) => [e.id, e]));
  const cell = (item: LeafItem, repeat: number): Child => {
    const v = answers[answerKey(item.key, repeat)];
    if (item.type === 'photo' && Array.isArray(v)) {
      return (
        <span class="photos">
          {v.map((id, i) => {
            const e = evidence.get(String(id));
            if (e?.status === 'stored')
              return (
                <a href={evidencePath(o, e.id)} data-evidence={e.id}>
                  <img
                    src={evidencePath(o, e.id)}
                    alt={`${item.label.th} ${msg.web.reading.photo(i + 1)}`}
                    width={120}
                    loading="lazy"
                  />
                </a>
              );
            return (
              <span class="muted">
                {e?.status === 'failed' ? msg.web.reading.photoFailed : msg.web.reading.photoPending}
              </span>
            );
          })}
        </span>
      );
    }
    if (item.type === 'document' && Array.isArray(v)) {
      return (
        <ul>
          {v.map((id, i) => {
            const e = evidence.get(String(id));
            if (e?.status === 'stored')
              return (
                <li>
                  <a href={evidencePath(o, e.id)} data-evidence={e.id}>
                    {e.name ?? msg.web.reading.document(i + 1)}
                  </a>
                </li>
              );
            return (
              <li class="muted">
                {e?.status === 'failed' ? msg.web.reading.documentFailed : msg.web.reading.documentPending}
              </li>
            );
          })}
        </ul>
      );
    }
    if (v === null) return msg.web.reading.skipped;
    return displayAnswer(item, v, schoolNames);
  };
  const rows: Child[] = [];
  for (const it of def.items) {
    if (it.type === 'note') {
      rows.push(
        <tr class="section">
          <th colspan={2} scope="colgroup">
            {it.label.th}
          </th>
        </tr>,
      );
    } else if (it.type === 'repeat') {
      const count = Math.max(
        0,
        ...(r.answers ?? []).filter((a) => it.items.some((i) => i.key === a.k)).map((a) => a.r),
      );
      for (let n = 1; n <= count; n++) {
        rows.push(
          <tr class="section">
            <th colspan={2} scope="colgroup">
              {it.label.th} · {msg.web.reading.instance(n)}
            </th>
          </tr>,
        );
        for (const child of it.items)
          if (child.type !== 'note')
            rows.push(
              <tr data-item={`${child.key}#${n}`}>
                <th scope="row">{child.label.th}</th>
                <td>{cell(child, n)}</td>
              </tr>,
            );
      }
    } else {
      rows.push(
        <tr data-item={it.key}>
          <th scope="row">{it.label.th}</th>
          <td>{cell(it, 0)}</td>
        </tr>,
      );
    }
  }
  return (
    <table data-list="answers">
      <thead>
        <tr>
          <th scope="col">{msg.web.reading.question}</th>
          <th scope="col">{msg.web.reading.answer}</th>
        </tr>
      </thead>
      <tbody>{rows}</tbody>
    </table>
  );
}

/** The completion columns' headers: submitted of expected, started, and the percent. */
export const CompletionHeads = (): Child => (
  <>
    <th scope="col">
      {msg.web.reading.submitted} / {t.expected}
    </th>
    <th scope="col">{msg.web.reading.inProgress}</th>
    <th scope="col">{t.percent}</th>
  </>
);

/** One row's completion figures, under CompletionHeads. */
export const CompletionCells = (props: {
  row: { expected: number; submitted: number; in_progress: number };
}): Child => {
  const r = props.row;
  return (
    <>
      <td class="n" data-figure="submitted">
        {num(r.submitted)} / {num(r.expected)}
      </td>
      <td class="n">{num(r.in_progress)}</td>
      <td class="n">
        {pct(r.submitted, r.expected)} <Bar part={r.submitted} whole={r.expected} />
      </td>
    </>
  );
};

/** Shown to scopes that cannot see the page's subject: the 404 every unknown id gets. */
const notFound = (what: string) => new AppError('not_found', `Unknown ${what}`);

export function responsePages(app: Hono<AppEnv>): void {
  guard(app, '/responses', 'schools.read');

  // A campaign: completion per school (by school code) or who answered (latest first), both paged.
  app.get('/offices/:office/responses/campaigns/:id', async (c) => {
    const o = await officeOf(c);
    const id = idParam(c, 'id');
    const scope: Scope = scopeOfPage(c);
    const db = c.var.deps.db;
    const view = c.req.query('view') === 'responses' ? 'responses' : 'schools';
    const school = idQuery(c, 'school');
    const head = await campaignHead(db, o.id, id);
    if (head === undefined) throw notFound('campaign');
    const base = officePath(o, `/responses/campaigns/${id}`);
    let body: Child;
    if (view === 'schools') {
      const afterCode = c.req.query('after');
      if (afterCode !== undefined && !/^[\w.-]{1,40}$/.test(afterCode)) throw new AppError('bad_request', 'after');
      const rows = await campaignSchools(db, o.id, id, scope, afterCode, RESPONSES_PAGE_SIZE);
      const shown = rows.slice(0, RESPONSES_PAGE_SIZE);
      const last = shown[shown.length - 1];
      body = (
        <>
          {shown.length === 0 ? (
            <p>{msg.web.reading.noSchools}</p>
          ) : (
            <table data-list="schools">
              <thead>
                <tr>
                  <th scope="col">{msg.web.reading.school}</th>
                  <th scope="col">{msg.web.reading.cluster}</th>
                  <CompletionHeads />
                </tr>
              </thead>
              <tbody>
                {shown.map((s) => (
                  <tr data-school={s.id}>
                    <th scope="row">
                      <a href={`${base}${queryString({ view: 'responses', school: s.id })}`}>{s.name_th}</a>
                      <div class="muted">
                        {s.code} · <a href={schoolPath(o, s.id)}>{msg.web.reading.schoolPage}</a>
                      </div>
                    </th>
                    <td>{s.cluster_name ?? '–'}</td>
                    <CompletionCells row={s} />
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <Pager
            first={afterCode === undefined ? undefined : base}
            next={
              rows.length > RESPONSES_PAGE_SIZE && last !== undefined
                ? `${base}${queryString({ after: last.code })}`
                : undefined
            }
          />
        </>
      );
    } else {
      const after = idQuery(c, 'after');
      const rows = await responsePage(
        db,
        o.id,
        scope,
        { campaignId: id, schoolId: school },
        after,
        RESPONSES_PAGE_SIZE,
      );
      await auditRead(c, o, 'responses.list', 'campaign', id);
      body = (
        <ResponseList
          o={o}
          rows={rows}
          tz={head.time_zone}
          show={{ school: true, respondent: true }}
          firstHref={after === undefined ? undefined : `${base}${queryString({ view, school })}`}
          nextHref={(a) => `${base}${queryString({ view, school, after: a })}`}
        />
      );
    }
    return page(
      c,
      { title: msg.web.reading.responsesOf(head.title_th), office: o, active: 'campaigns' },
      <>
        <p class="muted">
          {head.checklist_title} v{head.checklist_version} · {thaiShortDate(head.opens_ms, head.time_zone)} –{' '}
          {thaiShortDate(head.due_ms, head.time_zone)}
        </p>
        <nav class="actions" aria-label={msg.web.reading.responses}>
          <a href={base} aria-current={view === 'schools' ? 'page' : undefined}>
            {msg.web.reading.bySchool}
          </a>
          <a
            href={`${base}${queryString({ view: 'responses' })}`}
            aria-current={view === 'responses' && school === undefined ? 'page' : undefined}
          >
            {msg.web.reading.byResponse}
          </a>
        </nav>
        {body}
      </>,
    );
  });

  // One school's responses to every campaign, latest first.
  app.get('/offices/:office/responses/schools/:id', async (c) => {
    const o = await officeOf(c);
    const id = idParam(c, 'id');
    const scope = scopeOfPage(c);
    const db = c.var.deps.db;
    const after = idQuery(c, 'after');
    const head = await schoolHead(db, o.id, scope, id);
    if (head === undefined) throw notFound('school');
    const rows = await responsePage(db, o.id, scope, { schoolId: id }, after, RESPONSES_PAGE_SIZE);
    await auditRead(c, o, 'responses.list', 'school', id);
    const base = officePath(o, `/responses/schools/${id}`);
    return page(
      c,
      { title: msg.web.reading.responsesOf(head.name_th), office: o, active: 'campaigns' },
      <>
        <p>
          <a href={schoolPath(o, id)}>{msg.web.reading.schoolPage}</a>
        </p>
        <ResponseList
          o={o}
          rows={rows}
          tz={head.time_zone}
          show={{ campaign: true, respondent: true }}
          firstHref={after === undefined ? undefined : base}
          nextHref={(a) => `${base}${queryString({ after: a })}`}
        />
      </>,
    );
  });

  // One person's responses (started by them, or about them), latest first.
  app.get('/offices/:office/responses/people/:id', async (c) => {
    const o = await officeOf(c);
    const id = idParam(c, 'id');
    const scope = scopeOfPage(c);
    const db = c.var.deps.db;
    const after = idQuery(c, 'after');
    const head = await personHead(db, o.id, scope, id);
    if (head === undefined) throw notFound('person');
    const rows = await responsePage(db, o.id, scope, { personId: id }, after, RESPONSES_PAGE_SIZE);
    await auditRead(c, o, 'responses.list', 'person', id);
    const base = officePath(o, `/responses/people/${id}`);
    return page(
      c,
      { title: msg.web.reading.responsesOf(head.display_name), office: o, active: 'campaigns' },
      <>
        {head.school_id === null ? null : (
          <p>
            <a href={schoolPath(o, head.school_id)}>{head.school_name}</a>
          </p>
        )}
        <ResponseList
          o={o}
          rows={rows}
          tz={head.time_zone}
          show={{ campaign: true, school: true }}
          firstHref={after === undefined ? undefined : base}
          nextHref={(a) => `${base}${queryString({ after: a })}`}
        />
      </>,
    );
  });

  // One response: every answer with its question.
  app.get('/offices/:office/responses/:id', async (c) => {
    const o = await officeOf(c);
    const id = idParam(c, 'id');
    const scope = scopeOfPage(c);
    const db = c.var.deps.db;
    const r = await responseDetail(db, o.id, scope, id);
    if (r === undefined) throw notFound('response');
    await auditRead(c, o, 'response.view', 'response', id);
    const tz = r.time_zone;
    return page(
      c,
      { title: r.checklist_title, office: o, active: 'campaigns', images: true },
      <>
        <dl class="figures">
          <dt>{t.campaign}</dt>
          <dd>
            {r.system ? (
              r.campaign_title
            ) : (
              <a href={officePath(o, `/responses/campaigns/${r.campaign_id}`)}>{r.campaign_title}</a>
            )}
          </dd>
          <dt>{msg.web.reading.school}</dt>
          <dd>{r.school_id === null ? '–' : <a href={schoolPath(o, r.school_id)}>{r.school_name}</a>}</dd>
          <dt>{msg.web.reading.respondent}</dt>
          <dd>
            {r.respondent_id === null ? (
              '–'
            ) : (
              <a href={officePath(o, `/responses/people/${r.respondent_id}`)}>{r.respondent}</a>
            )}
          </dd>
          <dt>{t.status}</dt>
          <dd data-figure="status">{responseStatusLabel(r.status)}</dd>
          <dt>{msg.web.reading.startedAt}</dt>
          <dd>{thaiDateTime(r.started_ms, tz)}</dd>
          <dt>{msg.web.reading.submittedAt}</dt>
          <dd>{r.submitted_ms === null ? msg.web.reading.notSubmitted : thaiDateTime(r.submitted_ms, tz)}</dd>
        </dl>
        <AnswerTable o={o} r={r} />
      </>,
    );
  });
}
