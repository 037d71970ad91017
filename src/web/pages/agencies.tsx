/** @jsxImportSource hono/jsx */
// Work with other agencies (issue 16 item 5, seed 000 part 3): the office's projects a page at a time with their
// current stage, owner and due day, and a new one; one project's four stages (study → propose for approval →
// coordinate → follow up and report) with dates, owner, status, note and documents; advancing a stage; a document
// kept with the current stage — a PDF, Word or Excel file in the blob store the evidence uses (checked by its first
// bytes, 10 MB at most, served as a download by the route below, every view audited), or a link. Admins change;
// directors read; a supervisor opens only a project they own a stage of, to read (their reminder's button lands there). Changes go through src/agencies/agencies.actions.ts as the API's do.
import type { Hono, MiddlewareHandler } from 'hono';
import { actorOf } from '../../admin/auth.js';
import { isoDate } from '../../admin/validate.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { can } from '../../admin/scope.js';
import {
  addStageDocument,
  advanceBody,
  advanceProject,
  createProject,
  nextStage,
  projectBody,
  projectOf,
  stageForm,
  stageTh,
} from '../../agencies/agencies.actions.js';
import { listProjects, ownsAgencyStage, type ProjectRow, type StageDocument } from '../../agencies/agencies.queries.js';
import { audit } from '../../audit/audit.queries.js';
import { DOCUMENT_MAX_BYTES, sniffDocument } from '../../checklists/items/document.js';
import { actionCtx } from '../../committee/committee.actions.js';
import { agencyStages } from '../../db/schema.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { contentDisposition } from '../../exports/build.js';
import { isUuid } from '../../ids/uuid.js';
import { listTasks } from '../../tasks/tasks.queries.js';
import { localDate, thaiCalendarDate, thaiLongDate } from '../../time/thai.js';
import { formBody, multipartBody } from '../session.js';
import { Field, PersonPicker, SelectField, TextArea, TextField } from './fields.js';
import { pickStaff, searched, Status, type Errors, type Values } from './office-parts.js';
import { officePath, page, Pager, scopeOfPage, type Ctx } from './render.js';
import { msg } from '../../i18n/msg.js';

export const AGENCIES_PAGE_SIZE = 50;

const stageLabel = (p: ProjectRow) => (p.stage === 'closed' ? msg.web.agencies.closed : stageTh[p.stage]);

const LIST_FIELDS = ['titleTh', 'agencyTh', 'scope', 'ownerId', 'startsOn', 'dueOn'] as const;
const ADVANCE_FIELDS = ['noteTh', 'nextOwnerId', 'nextStarts', 'nextDue'] as const;
const notSearched = Promise.resolve({ found: null, more: false });

/** A refused action's field issues by the form's field names ('next.ownerId' → 'nextOwnerId'). */
function refused(e: unknown, rename: Record<string, string> = {}): Errors | undefined {
  if (!(e instanceof AppError) || (e.code !== 'invalid_request' && e.code !== 'conflict')) return undefined;
  const out: Errors = {};
  for (const i of e.issues) out[rename[i.field] ?? i.field] ??= i.message;
  return out;
}

async function listPage(c: Ctx, o: OfficeRow, form?: { values: Values; errors: Errors }) {
  const write = can(scopeOfPage(c), 'office.write');
  const { db, now } = c.var.deps;
  const after = c.req.query('after');
  const today = localDate(now(), o.time_zone);
  const values = form?.values ?? searched(c, LIST_FIELDS) ?? { scope: 'outside', startsOn: today };
  const errors = form?.errors ?? {};
  const [rows, pick] = await Promise.all([
    listProjects(db, o.id, {
      ...(after !== undefined && isUuid(after) ? { afterId: after } : {}),
      limit: AGENCIES_PAGE_SIZE + 1,
    }),
    write ? pickStaff(c, o, values.who ?? '', 'agencies') : notSearched,
  ]);
  const shown = rows.slice(0, AGENCIES_PAGE_SIZE);
  return page(
    c,
    { title: msg.web.agencies.title, office: o, active: 'agencies', ...(form === undefined ? {} : { status: 400 }) },
    <>
      <p class="muted">{msg.web.agencies.intro}</p>
      <Status saved={c.req.query('saved') === '1'} failed={form !== undefined} />
      {shown.length === 0 ? (
        <p>{msg.web.agencies.none}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{msg.web.agencies.project}</th>
              <th scope="col">{msg.web.agencies.agency}</th>
              <th scope="col">{msg.web.agencies.stage}</th>
              <th scope="col">{msg.web.agencies.owner}</th>
              <th scope="col">{msg.web.agencies.due}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr data-project={p.id}>
                <td>
                  <a href={officePath(o, `/agencies/${p.id}`)}>{p.titleTh}</a>
                </td>
                <td>
                  {p.agencyTh}{' '}
                  <span class="muted">
                    ({p.scope === 'inside' ? msg.web.agencies.inside : msg.web.agencies.outside})
                  </span>
                </td>
                <td data-cell="stage">{stageLabel(p)}</td>
                <td>{p.ownerName ?? '—'}</td>
                <td>
                  {p.dueOn === null ? '—' : thaiCalendarDate(p.dueOn)}
                  {p.dueOn !== null && p.dueOn < today ? (
                    <strong class="danger"> {msg.web.agencies.overdue}</strong>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager
        first={after === undefined ? undefined : officePath(o, '/agencies')}
        next={
          rows.length > AGENCIES_PAGE_SIZE
            ? officePath(o, `/agencies?after=${shown[shown.length - 1]?.id ?? ''}`)
            : undefined
        }
      />
      {write ? (
        <form method="post" action={officePath(o, '/agencies')} class="stack" novalidate>
          <h2>{msg.web.agencies.add}</h2>
          <p class="muted">{msg.web.agencies.addHint}</p>
          <TextField name="titleTh" label={msg.web.agencies.project} max={300} values={values} errors={errors} />
          <TextField name="agencyTh" label={msg.web.agencies.agency} max={200} values={values} errors={errors} />
          <SelectField
            name="scope"
            label={msg.web.agencies.scope}
            error={errors.scope}
            options={[
              ['outside', msg.web.agencies.outside],
              ['inside', msg.web.agencies.inside],
            ]}
            value={values.scope === 'inside' ? 'inside' : 'outside'}
          />
          <PersonPicker
            name="ownerId"
            label={msg.web.agencies.firstOwner}
            action={officePath(o, '/agencies#ownerId-picker')}
            pick={pick}
            form={{ values, errors }}
          />
          <span class="date">
            <TextField name="startsOn" label={msg.web.agencies.startsOn} type="date" values={values} errors={errors} />
            <TextField name="dueOn" label={msg.web.agencies.due} type="date" values={values} errors={errors} />
          </span>
          <button type="submit">{msg.web.agencies.add}</button>
        </form>
      ) : null}
    </>,
  );
}

async function projectPage(c: Ctx, o: OfficeRow, p: ProjectRow, form?: { values: Values; errors: Errors }) {
  const write = can(scopeOfPage(c), 'office.write');
  const { db, now } = c.var.deps;
  const today = localDate(now(), o.time_zone);
  const values = form?.values ?? searched(c, ADVANCE_FIELDS) ?? { nextStarts: today };
  const [tasks, pick] = await Promise.all([
    listTasks(db, o.id, { sourceId: p.id }),
    write && p.stage !== 'closed' ? pickStaff(c, o, values.who ?? '', 'agencies') : notSearched,
  ]);
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const errors = form?.errors ?? {};
  const following = p.stage === 'closed' ? null : nextStage(p.stage);
  const base = `/agencies/${p.id}`;
  return page(
    c,
    { title: p.titleTh, office: o, active: 'agencies', ...(form === undefined ? {} : { status: 400 }) },
    <>
      <p>
        <a href={officePath(o, '/agencies')}>← {msg.web.agencies.title}</a>
      </p>
      <Status saved={c.req.query('saved') === '1'} failed={form !== undefined} />
      <dl class="figures">
        <dt>{msg.web.agencies.agency}</dt>
        <dd>
          {p.agencyTh} ({p.scope === 'inside' ? msg.web.agencies.inside : msg.web.agencies.outside})
        </dd>
        <dt>{msg.web.agencies.stage}</dt>
        <dd data-figure="stage">{stageLabel(p)}</dd>
      </dl>
      <h2>{msg.web.agencies.stages}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{msg.web.agencies.stage}</th>
            <th scope="col">{msg.web.agencies.dates}</th>
            <th scope="col">{msg.web.agencies.owner}</th>
            <th scope="col">{msg.web.agencies.status}</th>
            <th scope="col">{msg.web.agencies.documents}</th>
          </tr>
        </thead>
        <tbody>
          {agencyStages.map((s) => {
            const ref = p.stages.find((x) => x.stage === s);
            const t = ref === undefined ? undefined : byId.get(ref.taskId);
            const docs = (t?.documents ?? []) as StageDocument[];
            return (
              <tr data-stage={s}>
                <td>
                  {stageTh[s]}
                  {stageForm[s] === null ? null : (
                    <span class="muted">
                      {' '}
                      ({msg.web.agencies.form}: {stageForm[s]})
                    </span>
                  )}
                </td>
                <td>
                  {ref === undefined || t === undefined
                    ? '—'
                    : `${thaiCalendarDate(ref.startsOn)} – ${thaiCalendarDate(t.dueOn)}`}
                </td>
                <td>{t?.ownerName ?? '—'}</td>
                <td data-cell="status">
                  {t === undefined ? (
                    msg.web.agencies.notYet
                  ) : t.status === 'done' ? (
                    <>
                      {msg.web.agencies.done}
                      {t.doneAt === null ? null : ` ${thaiLongDate(Date.parse(t.doneAt), o.time_zone)}`}
                      {t.noteTh === null ? null : <span class="muted"> — {t.noteTh}</span>}
                    </>
                  ) : (
                    <>
                      {msg.web.agencies.open}
                      {t.dueOn < today ? <strong class="danger"> {msg.web.agencies.overdue}</strong> : null}
                    </>
                  )}
                </td>
                <td>
                  {docs.length === 0 ? (
                    '—'
                  ) : (
                    <ul>
                      {docs.map((d) => (
                        <li>
                          {d.key === undefined ? (
                            <a href={d.url ?? '#'} rel="noopener noreferrer">
                              {d.titleTh}
                            </a>
                          ) : (
                            <a href={officePath(o, `${base}/documents/${d.id}`)}>{d.titleTh}</a>
                          )}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {write && p.stage !== 'closed' ? (
        <>
          <form method="post" action={officePath(o, `${base}/advance`)} class="stack" novalidate>
            <h3>{following === null ? msg.web.agencies.close : msg.web.agencies.advance}</h3>
            <TextArea name="noteTh" label={msg.web.agencies.note} max={2000} rows={3} values={values} errors={errors} />
            {following === null ? null : (
              <>
                <p class="muted">{stageTh[following]}</p>
                <PersonPicker
                  name="nextOwnerId"
                  label={msg.web.agencies.nextOwner}
                  action={officePath(o, `${base}#nextOwnerId-picker`)}
                  pick={pick}
                  form={{ values, errors }}
                />
                <span class="date">
                  <TextField
                    name="nextStarts"
                    label={msg.web.agencies.nextStarts}
                    type="date"
                    values={values}
                    errors={errors}
                  />
                  <TextField
                    name="nextDue"
                    label={msg.web.agencies.nextDue}
                    type="date"
                    values={values}
                    errors={errors}
                  />
                </span>
              </>
            )}
            <button type="submit">{following === null ? msg.web.agencies.close : msg.web.agencies.advance}</button>
          </form>
          <form
            method="post"
            action={officePath(o, `${base}/documents`)}
            enctype="multipart/form-data"
            class="stack"
            novalidate
          >
            <h3>{msg.web.agencies.addDocument}</h3>
            <TextField name="docTitle" label={msg.web.agencies.docTitle} max={200} values={values} errors={errors} />
            <Field
              name="file"
              label={msg.web.agencies.file}
              error={errors.file}
              control={(a) => <input {...a} type="file" accept=".pdf,.doc,.docx,.xls,.xlsx" />}
            />
            <TextField name="url" label={msg.web.agencies.url} type="url" max={2000} values={values} errors={errors} />
            <button type="submit">{msg.web.agencies.upload}</button>
          </form>
        </>
      ) : null}
    </>,
  );
}

async function projectFrom(c: Ctx, o: OfficeRow): Promise<ProjectRow> {
  const id = c.req.param('id') ?? '';
  if (!isUuid(id)) throw new AppError('not_found', 'No such agency project');
  return projectOf({ db: c.var.deps.db, officeId: o.id }, id);
}

/** The multipart form of a document: its title, and a file (bytes, name) or a link. */
async function documentForm(
  c: Ctx,
): Promise<{ title: string; url: string; file?: { bytes: Uint8Array; name: string } }> {
  const form = await multipartBody(c, DOCUMENT_MAX_BYTES + 64 * 1024);
  if (form === undefined)
    throw new AppError('invalid_request', 'Not a form', [{ field: 'file', message: msg.web.agencies.errFile }]);
  const str = (k: string) => {
    const v = form.get(k);
    return typeof v === 'string' ? v.trim() : '';
  };
  const entry: unknown = form.get('file');
  const name = entry instanceof Blob ? (entry as Blob & { name?: unknown }).name : undefined;
  return {
    title: str('docTitle'),
    url: str('url'),
    ...(entry instanceof Blob && entry.size > 0
      ? { file: { bytes: new Uint8Array(await entry.arrayBuffer()), name: typeof name === 'string' ? name : '' } }
      : {}),
  };
}

/**
 * The office's readers open every page. A stage's owner without office.read (a supervisor) opens only the pages of
 * the projects they own a stage of, where their reminder's button lands (src/tasks/tasks.queries.ts), and only to
 * read: every write needs office.write (src/web/session.ts). Anything else is a 403 before anything is read; another
 * office's path a 404 first.
 */
const access: MiddlewareHandler<AppEnv> = async (c, next) => {
  const scope = scopeOfPage(c);
  if (!can(scope, 'office.read')) {
    const o = await officeOf(c);
    const id = c.req.param('id') ?? '';
    const owner =
      c.req.method === 'GET' &&
      scope.personId !== null &&
      isUuid(id) &&
      (await ownsAgencyStage(c.var.deps.db, o.id, id, scope.personId));
    if (!owner) throw new AppError('forbidden', 'Agency projects are the office’s and their stages’ owners’');
  }
  await next();
};

export function agencyPages(app: Hono<AppEnv>): void {
  app.use('/offices/:office/agencies', access);
  app.use('/offices/:office/agencies/:id/*', access); // also the project's own path, once

  app.get('/offices/:office/agencies', async (c) => listPage(c, await officeOf(c)));

  app.post('/offices/:office/agencies', async (c) => {
    const o = await officeOf(c);
    const f = await formBody(c);
    const values: Values = Object.fromEntries([...LIST_FIELDS, 'who'].map((k) => [k, (f.get(k) ?? '').trim()]));
    const fields = Object.fromEntries(LIST_FIELDS.map((k) => [k, values[k]])); // not the picker's search text
    const parsed = projectBody.safeParse({ ...fields, documents: [] });
    if (!parsed.success) {
      const errors: Errors = {};
      for (const i of parsed.error.issues) {
        const k = String(i.path[0]);
        errors[k] ??=
          k === 'ownerId'
            ? msg.web.agencies.errPerson
            : k === 'startsOn' || k === 'dueOn'
              ? msg.web.agencies.errDate
              : msg.web.agencies.errRequired;
      }
      return listPage(c, o, { values, errors });
    }
    try {
      const id = await createProject(actionCtx(c, o.id), parsed.data);
      return c.redirect(officePath(o, `/agencies/${id}?saved=1`), 303);
    } catch (e) {
      const errors = refused(e);
      if (errors === undefined) throw e;
      return listPage(c, o, { values, errors });
    }
  });

  app.get('/offices/:office/agencies/:id', async (c) => {
    const o = await officeOf(c);
    return projectPage(c, o, await projectFrom(c, o));
  });

  app.post('/offices/:office/agencies/:id/advance', async (c) => {
    const o = await officeOf(c);
    const p = await projectFrom(c, o);
    const f = await formBody(c);
    const values: Values = Object.fromEntries([...ADVANCE_FIELDS, 'who'].map((k) => [k, (f.get(k) ?? '').trim()]));
    const last = p.stage !== 'closed' && nextStage(p.stage) === null;
    const errors: Errors = {};
    if (!last) {
      if (!isUuid(values.nextOwnerId ?? '')) errors.nextOwnerId = msg.web.agencies.errPerson;
      if (!isoDate.safeParse(values.nextStarts).success) errors.nextStarts = msg.web.agencies.errDate;
      if (!isoDate.safeParse(values.nextDue).success) errors.nextDue = msg.web.agencies.errDate;
    }
    const parsed = advanceBody.safeParse({
      ...(values.noteTh === '' ? {} : { noteTh: values.noteTh }),
      ...(last ? {} : { next: { ownerId: values.nextOwnerId, startsOn: values.nextStarts, dueOn: values.nextDue } }),
    });
    if (!parsed.success && Object.keys(errors).length === 0) errors.noteTh = msg.web.agencies.errRequired;
    if (!parsed.success || Object.keys(errors).length > 0) return projectPage(c, o, p, { values, errors });
    try {
      await advanceProject(actionCtx(c, o.id), p.id, parsed.data);
    } catch (e) {
      const why = refused(e, {
        'next.ownerId': 'nextOwnerId',
        'next.dueOn': 'nextDue',
        'next.startsOn': 'nextStarts',
        stage: 'noteTh',
      });
      if (why === undefined) throw e;
      return projectPage(c, o, p, { values, errors: why });
    }
    return c.redirect(officePath(o, `/agencies/${p.id}?saved=1`), 303);
  });

  // A document for the current stage: a file into the blob store (as evidence is kept), or a link.
  app.post('/offices/:office/agencies/:id/documents', async (c) => {
    const o = await officeOf(c);
    const p = await projectFrom(c, o);
    const form = await documentForm(c);
    const values: Values = { docTitle: form.title, url: form.url };
    const errors: Errors = {};
    if (form.title === '' || form.title.length > 200) errors.docTitle = msg.web.agencies.errRequired;
    const type = form.file === undefined ? null : sniffDocument(form.file.name, form.file.bytes);
    if (form.file !== undefined && (type === null || form.file.bytes.length > DOCUMENT_MAX_BYTES)) {
      errors.file = msg.web.agencies.errFile;
    }
    let url: string | undefined;
    if (form.file === undefined) {
      try {
        url = /^https?:$/.test(new URL(form.url).protocol) && form.url.length <= 2000 ? form.url : undefined;
      } catch {
        url = undefined;
      }
      if (url === undefined)
        errors[form.url === '' ? 'file' : 'url'] = form.url === '' ? msg.web.agencies.errFile : msg.web.agencies.errUrl;
    }
    if (Object.keys(errors).length > 0) return projectPage(c, o, p, { values, errors });
    try {
      if (form.file !== undefined && type !== null) {
        // An office record (a project's letter or order, uploaded by staff), not a person's data: a PDPA erasure
        // leaves it (src/pdpa/erase.queries.ts deletes only the erased person's own evidence files).
        const key = `agency/${o.id}/${crypto.randomUUID()}`;
        await c.var.deps.blobs.put(key, form.file.bytes, type);
        await addStageDocument(actionCtx(c, o.id), p.id, {
          titleTh: form.title,
          key,
          fileName: form.file.name.slice(0, 200),
          contentType: type,
          sizeBytes: form.file.bytes.length,
        });
      } else {
        await addStageDocument(actionCtx(c, o.id), p.id, { titleTh: form.title, url: url ?? '' });
      }
    } catch (e) {
      const why = refused(e);
      if (why === undefined) throw e;
      return projectPage(c, o, p, { values, errors: why });
    }
    return c.redirect(officePath(o, `/agencies/${p.id}?saved=1`), 303);
  });

  // A stored document, a download under its own name; the project must be this office's, every view audited.
  app.get('/offices/:office/agencies/:id/documents/:doc', async (c) => {
    const o = await officeOf(c);
    const p = await projectFrom(c, o);
    const { db, blobs } = c.var.deps;
    const docId = c.req.param('doc');
    const doc = (await listTasks(db, o.id, { sourceId: p.id }))
      .flatMap((t) => t.documents as StageDocument[])
      .find((d) => d.id === docId && d.key !== undefined);
    const blob = doc?.key === undefined ? null : await blobs.get(doc.key);
    if (doc === undefined || blob === null) throw new AppError('not_found', 'No such document');
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'agency.document.view',
      targetType: 'agency_project',
      targetId: p.id,
      detail: { document: doc.id },
    });
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(doc.fileName ?? '')?.[1]?.toLowerCase();
    return c.body(new Uint8Array(blob.data), 200, {
      'Content-Type': doc.contentType ?? 'application/octet-stream',
      'Content-Length': String(blob.data.length),
      'Content-Disposition': contentDisposition({
        filename: `document-${doc.id}${ext === undefined ? '' : `.${ext}`}`,
        filenameUtf8: doc.fileName ?? `document-${doc.id}`,
      }),
      'Cache-Control': 'private, no-store',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
  });
}
