/** @jsxImportSource hono/jsx */
// Supervisor assignments: which schools or whole clusters each supervisor covers (main or joint, optionally one
// learning area). Admins and directors read the list (it names supervisors: audited as the API's list is); admins
// add one and remove one after a confirmation page, through the API's own actions
// (src/admin/assignments.actions.ts); many at once come from the imports page, linked here.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { assignmentsBody, removeAssignment, upsertAssignmentsAction } from '../../admin/assignments.actions.js';
import { listAssignmentsPage, type AssignmentView } from '../../admin/assignments.queries.js';
import { actorOf } from '../../admin/auth.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { listClustersPage, type ClusterView } from '../../admin/org.queries.js';
import { decodeCursor, encodeCursor } from '../../admin/page.js';
import { can } from '../../admin/scope.js';
import { audit } from '../../audit/audit.queries.js';
import type { AppEnv } from '../../deps.js';
import { AppError, type FieldIssue } from '../../errors.js';
import { isUuid, uuidOrUndefined } from '../../ids/uuid.js';
import { learningAreas, learningAreaTh, type LearningArea } from '../../org/attributes.js';
import { formBody } from '../session.js';
import { schoolOptions, supervisorOptions, type SchoolOption, type SupervisorOption } from '../web.queries.js';
import { errorsByField, SchoolField, SelectField, SupervisorField } from './fields.js';
import { guard, need, officePath, page, Pager, queryString, scopeOfPage, type Ctx } from './render.js';
import { msg } from '../../i18n/msg.js';

export const ASSIGNMENTS_PAGE_SIZE = 100;

type AField = 'supervisorId' | 'schoolCode' | 'clusterCode' | 'kind' | 'learningArea';
interface AValues {
  supervisorId: string;
  schoolCode: string;
  clusterCode: string;
  kind: string;
  learningArea: string;
}
const emptyValues: AValues = { supervisorId: '', schoolCode: '', clusterCode: '', kind: 'main', learningArea: '' };

interface Choices {
  supervisors: SupervisorOption[];
  schools: SchoolOption[];
  clusters: ClusterView[];
}

async function choicesOf(c: Ctx, o: OfficeRow): Promise<Choices> {
  const db = c.var.deps.db;
  const [supervisors, schools, clusters] = await Promise.all([
    supervisorOptions(db, o.id),
    schoolOptions(db, o.id),
    listClustersPage(db, o.id, null, 500),
  ]);
  return { supervisors, schools, clusters };
}

const areaLabel = (a: string | null) =>
  a === null ? '–' : (learningAreas as readonly string[]).includes(a) ? learningAreaTh[a as LearningArea] : a;

function AssignmentForm(props: { o: OfficeRow; v: AValues; e: Partial<Record<AField, string>>; ch: Choices }): Child {
  const { v, e, ch } = props;
  return (
    <form method="post" action={officePath(props.o, '/assignments')} class="stack" novalidate>
      <h2>{msg.web.assignments.add}</h2>
      <SupervisorField options={ch.supervisors} value={v.supervisorId} error={e.supervisorId} />
      <SchoolField options={ch.schools} value={v.schoolCode} error={e.schoolCode} required={false} />
      <SelectField
        name="clusterCode"
        label={`${msg.web.assignments.cluster} — หรือ / or`}
        error={e.clusterCode}
        options={ch.clusters.map((cl) => [cl.code, `${cl.nameTh} (${cl.code})`] as const)}
        value={v.clusterCode}
        blank={msg.web.assignments.chooseOne}
      />
      <SelectField
        name="kind"
        label={msg.web.assignments.kind}
        error={e.kind}
        options={[
          ['main', msg.web.assignments.main],
          ['joint', msg.web.assignments.joint],
        ]}
        value={v.kind}
      />
      <SelectField
        name="learningArea"
        label={msg.web.assignments.learningArea}
        error={e.learningArea}
        options={learningAreas.map((la) => [la, learningAreaTh[la]] as const)}
        value={v.learningArea}
        blank={msg.web.assignments.anyArea}
      />
      <div>
        <button type="submit">{msg.web.assignments.add}</button>
      </div>
    </form>
  );
}

function fieldErrors(issues: readonly FieldIssue[]): Partial<Record<AField, string>> {
  return errorsByField<AField>(issues, (f) =>
    f in msg.web.assignments.err ? msg.web.assignments.err[f as keyof typeof msg.web.assignments.err] : undefined,
  );
}

const targetOf = (a: AssignmentView) =>
  a.schoolNameTh !== null
    ? `${a.schoolNameTh} (${a.schoolCode ?? ''})`
    : `${msg.web.assignments.cluster}: ${a.clusterNameTh ?? ''}`;

export function assignmentPages(app: Hono<AppEnv>): void {
  guard(app, '/assignments', 'office.read');

  const listPage = async (c: Ctx, o: OfficeRow, form: { v: AValues; e: Partial<Record<AField, string>> }) => {
    const db = c.var.deps.db;
    const supervisor = uuidOrUndefined(c.req.query('supervisor'));
    const cursor = c.req.query('cursor');
    const after = decodeCursor(cursor, ['timestamp', 'uuid']);
    const [rows, ch] = await Promise.all([
      listAssignmentsPage(db, o.id, { supervisorId: supervisor }, after, ASSIGNMENTS_PAGE_SIZE),
      choicesOf(c, o),
    ]);
    const shown = rows.slice(0, ASSIGNMENTS_PAGE_SIZE);
    const last = shown.at(-1);
    // The rows name supervisors: a read of personal data, as the API's list.
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'assignments.list',
      detail: { count: shown.length },
    });
    const write = can(scopeOfPage(c), 'office.write');
    const failed = Object.keys(form.e).length > 0;
    return page(
      c,
      { title: msg.web.assignments.assignments, office: o, active: 'assignments', status: failed ? 400 : 200 },
      <>
        <p class="muted">{msg.web.assignments.intro}</p>
        {c.req.query('saved') === undefined ? null : (
          <p class="notice" role="status">
            {c.req.query('saved') === 'removed'
              ? msg.web.assignments.removed
              : msg.web.assignments.added(Number(c.req.query('created') ?? 0), Number(c.req.query('updated') ?? 0))}
          </p>
        )}
        {write ? (
          <p class="actions">
            <a href={officePath(o, '/imports?kind=assignments')}>{msg.web.assignments.bulk}</a>
          </p>
        ) : null}
        <form class="filters" method="get" action={officePath(o, '/assignments')}>
          <label>
            {msg.web.assignments.supervisor}
            <select name="supervisor">
              <option value="">{msg.web.assignments.filterAll}</option>
              {ch.supervisors.map((s) => (
                <option value={s.id} selected={supervisor === s.id}>
                  {s.display_name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit">{msg.web.assignments.filter}</button>
        </form>
        {shown.length === 0 ? (
          <p>{msg.web.assignments.none}</p>
        ) : (
          <table>
            <caption>{msg.web.assignments.assignments}</caption>
            <thead>
              <tr>
                <th scope="col">{msg.web.assignments.supervisor}</th>
                <th scope="col">{msg.web.assignments.target}</th>
                <th scope="col">{msg.web.assignments.kind}</th>
                <th scope="col">{msg.web.assignments.learningArea}</th>
                {write ? (
                  <th scope="col">
                    <span class="muted">{msg.web.assignments.remove}</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {shown.map((a) => (
                <tr data-assignment={a.id}>
                  <th scope="row">{a.supervisorName}</th>
                  <td>{targetOf(a)}</td>
                  <td>{a.kind === 'main' ? msg.web.assignments.main : msg.web.assignments.joint}</td>
                  <td>{areaLabel(a.learningArea)}</td>
                  {write ? (
                    <td>
                      <a
                        href={officePath(o, `/assignments/${a.id}/remove`)}
                        aria-label={`${msg.web.assignments.remove}: ${a.supervisorName} · ${targetOf(a)}`}
                      >
                        {msg.web.assignments.remove}
                      </a>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <Pager
          first={after === null ? undefined : officePath(o, `/assignments${queryString({ supervisor })}`)}
          next={
            rows.length > ASSIGNMENTS_PAGE_SIZE && last !== undefined
              ? officePath(
                  o,
                  `/assignments${queryString({ supervisor, cursor: encodeCursor([last.createdAt, last.id]) })}`,
                )
              : undefined
          }
        />
        {write ? <AssignmentForm o={o} v={form.v} e={form.e} ch={ch} /> : null}
      </>,
    );
  };

  app.get('/offices/:office/assignments', async (c) => {
    const o = await officeOf(c);
    return listPage(c, o, { v: emptyValues, e: {} });
  });

  app.post('/offices/:office/assignments', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const f = await formBody(c);
    const v: AValues = {
      supervisorId: f.get('supervisorId') ?? '',
      schoolCode: f.get('schoolCode') ?? '',
      clusterCode: f.get('clusterCode') ?? '',
      kind: f.get('kind') ?? '',
      learningArea: f.get('learningArea') ?? '',
    };
    const opt = (s: string) => (s.trim() === '' ? undefined : s);
    const parsed = assignmentsBody.safeParse({
      assignments: [
        {
          supervisorId: opt(v.supervisorId),
          schoolCode: opt(v.schoolCode),
          clusterCode: opt(v.clusterCode),
          kind: v.kind,
          learningArea: opt(v.learningArea) ?? null,
        },
      ],
    });
    const area = opt(v.learningArea);
    const badArea = area !== undefined && !(learningAreas as readonly string[]).includes(area);
    let issues: FieldIssue[];
    if (!parsed.success) {
      issues = parsed.error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
    } else if (badArea) {
      issues = [{ field: 'learningArea', message: 'not a learning area' }];
    } else {
      try {
        const counts = await upsertAssignmentsAction(c.var.deps.db, o.id, parsed.data.assignments, actorOf(c));
        return c.redirect(
          officePath(
            o,
            `/assignments${queryString({ saved: '1', created: String(counts.created), updated: String(counts.updated) })}`,
          ),
          303,
        );
      } catch (err) {
        if (!(err instanceof AppError) || err.issues.length === 0) throw err;
        issues = err.issues;
      }
    }
    // The schema names a missing supervisor as supervisorId (no id nor external id given).
    return listPage(c, o, { v, e: fieldErrors(issues) });
  });

  const assignmentOf = async (c: Ctx, o: OfficeRow): Promise<AssignmentView> => {
    const id = c.req.param('assignment') ?? '';
    if (!isUuid(id)) throw new AppError('not_found', 'No such assignment');
    const [row] = await listAssignmentsPage(c.var.deps.db, o.id, { id }, null, 1);
    if (row === undefined) throw new AppError('not_found', 'No such assignment');
    return row;
  };

  // The confirmation: nothing is removed by a GET.
  app.get('/offices/:office/assignments/:assignment/remove', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const a = await assignmentOf(c, o);
    return page(
      c,
      { title: msg.web.assignments.removeTitle, office: o, active: 'assignments' },
      <form method="post" action={officePath(o, `/assignments/${a.id}/remove`)}>
        <p>{msg.web.assignments.removeBody(a.supervisorName, targetOf(a))}</p>
        <div class="actions">
          <button type="submit" class="danger">
            {msg.web.assignments.removeConfirm}
          </button>
          <a href={officePath(o, '/assignments')}>{msg.web.assignments.cancel}</a>
        </div>
      </form>,
    );
  });

  app.post('/offices/:office/assignments/:assignment/remove', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const id = c.req.param('assignment');
    if (!isUuid(id)) throw new AppError('not_found', 'No such assignment');
    await removeAssignment(c.var.deps.db, o.id, id, actorOf(c));
    return c.redirect(officePath(o, '/assignments?saved=removed'), 303);
  });
}
