/** @jsxImportSource hono/jsx */
// Imports from a file (schools, people, assignments, the annual plan), for admins. Two steps: "check" uploads the
// file and runs the import as a dry run, listing every bad row with its row, column and Thai message; a good file
// is kept (content-addressed, under the office) and "confirm" runs the same import for real from the kept bytes,
// re-validating every row (nothing the check said is trusted), then deletes the kept file; a file never confirmed
// is deleted by the office's retention unit a day after its check (src/imports/uploads.ts). Both steps use the
// API's import action.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf } from '../../admin/auth.js';
import { importKindOf, isImportKind, runImport } from '../../admin/imports.actions.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import type { AppEnv } from '../../deps.js';
import { AppError, type FieldIssue } from '../../errors.js';
import { readCapped } from '../../http/body.js';
import { importKinds, type ImportKind, type ImportResult } from '../../imports/imports.js';
import { MAX_IMPORT_BYTES } from '../../imports/sheet.js';
import { dropUpload, keepUpload, uploadKey } from '../../imports/uploads.js';
import { thaiShortDate } from '../../time/thai.js';
import { columnTh } from '../../imports/imports.js';
import { msg } from '../../i18n/msg.js';
import { formBody } from '../session.js';
import { num } from '../web.th.js';
import { guard, officePath, page, type Ctx } from './render.js';

/** Room for the form's other fields and the multipart framing around the file. */
const FORM_OVERHEAD = 64 * 1024;
const SHA_RE = /^[0-9a-f]{64}$/;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A file field of the form (typed here: the project's lib has no DOM File). */
interface UploadedFile {
  name: string;
  type: string;
  size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}
const isFile = (v: unknown): v is UploadedFile =>
  typeof v === 'object' && v !== null && 'arrayBuffer' in v && 'size' in v && 'name' in v;

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

interface FormState {
  kind: ImportKind;
  invites: boolean;
  fileError?: string;
}

function ImportForm(props: { o: OfficeRow; state: FormState }): Child {
  const { o, state } = props;
  const described = state.fileError === undefined ? 'file-hint' : 'file-hint file-error';
  return (
    <form method="post" action={officePath(o, '/imports')} enctype="multipart/form-data" class="stack">
      <fieldset>
        <legend>{msg.web.imports.kind}</legend>
        {importKinds.map((k) => (
          <label class="choice">
            <input type="radio" name="kind" value={k} checked={state.kind === k} required />
            {msg.web.imports.kindLabel[k]}
            <span class="muted">
              {' '}
              ({msg.web.imports.kindColumns[k].map((c) => (c.required ? `${c.th}*` : c.th)).join(', ')})
            </span>
          </label>
        ))}
        <p class="muted">* {msg.web.imports.required}</p>
      </fieldset>
      <p>
        <label for="file">{msg.web.imports.file}</label>
        <br />
        <input
          id="file"
          name="file"
          type="file"
          accept=".xlsx,.csv,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          required
          aria-describedby={described}
          aria-invalid={state.fileError === undefined ? undefined : 'true'}
        />
        <br />
        <span id="file-hint" class="muted">
          {msg.web.imports.fileHint}
        </span>
        {state.fileError === undefined ? null : (
          <span id="file-error" class="error field-error">
            {state.fileError}
          </span>
        )}
      </p>
      <p>
        <label class="choice">
          <input type="checkbox" name="invites" value="1" checked={state.invites} />
          {msg.web.imports.invites}
        </label>
      </p>
      <button type="submit" name="step" value="check">
        {msg.web.imports.check}
      </button>
    </form>
  );
}

function IssueTable(props: { issues: FieldIssue[] }): Child {
  return (
    <table id="import-issues">
      <caption>{msg.web.imports.issuesTitle(props.issues.length)}</caption>
      <thead>
        <tr>
          <th scope="col">{msg.web.imports.row}</th>
          <th scope="col">{msg.web.imports.column}</th>
          <th scope="col">{msg.web.imports.problem}</th>
        </tr>
      </thead>
      <tbody>
        {props.issues.map((i) => (
          <tr data-row={String(i.row ?? '')} data-field={i.field}>
            <td class="n">{i.row === undefined ? '–' : num(i.row)}</td>
            <td>{i.column ?? columnTh[i.field] ?? i.field}</td>
            <td>{i.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Counts(props: { r: ImportResult }): Child {
  const { r } = props;
  return (
    <dl class="figures">
      <dt>{msg.web.imports.rowsRead}</dt>
      <dd data-figure="rows">{num(r.rowsRead)}</dd>
      <dt>{msg.web.imports.willCreate}</dt>
      <dd data-figure="created">{num(r.created)}</dd>
      <dt>{msg.web.imports.willUpdate}</dt>
      <dd data-figure="updated">{num(r.updated)}</dd>
      {r.unchanged === undefined ? null : (
        <>
          <dt>{msg.web.imports.unchanged}</dt>
          <dd data-figure="unchanged">{num(r.unchanged)}</dd>
        </>
      )}
      {r.ignoredColumns.length === 0 ? null : (
        <>
          <dt>{msg.web.imports.ignored}</dt>
          <dd>{r.ignoredColumns.join(', ')}</dd>
        </>
      )}
    </dl>
  );
}

/** The multipart form, read with the import's own size limit (a 413 page past it). */
async function uploadForm(c: Ctx): Promise<FormData> {
  const type = c.req.header('content-type') ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) {
    throw new AppError('invalid_request', 'Expected a file upload');
  }
  const raw = await readCapped(c.req.raw, MAX_IMPORT_BYTES + FORM_OVERHEAD);
  try {
    return await new Response(raw, { headers: { 'content-type': type } }).formData();
  } catch {
    throw new AppError('invalid_request', 'Unreadable form');
  }
}

export function importPages(app: Hono<AppEnv>): void {
  guard(app, '/imports', 'office.write');

  app.get('/offices/:office/imports', async (c) => {
    const o = await officeOf(c);
    const kind = c.req.query('kind');
    return page(
      c,
      { title: msg.web.imports.title, office: o, active: 'imports' },
      <>
        <p class="muted">{msg.web.imports.intro}</p>
        <ImportForm o={o} state={{ kind: kind !== undefined && isImportKind(kind) ? kind : 'people', invites: true }} />
      </>,
    );
  });

  app.post('/offices/:office/imports', async (c) => {
    const o = await officeOf(c);
    const form = await uploadForm(c);
    const kindField = form.get('kind');
    const kind = importKindOf(typeof kindField === 'string' ? kindField : undefined);
    const invites = form.get('invites') === '1';
    const field: unknown = form.get('file');
    const file = isFile(field) ? field : undefined;
    const state: FormState = { kind, invites };
    if (file === undefined || file.size === 0) {
      return page(
        c,
        { title: msg.web.imports.title, office: o, active: 'imports', status: 400 },
        <ImportForm o={o} state={{ ...state, fileError: msg.web.imports.fileRequired }} />,
      );
    }
    if (file.size > MAX_IMPORT_BYTES) {
      return page(
        c,
        { title: msg.web.imports.title, office: o, active: 'imports', status: 413 },
        <ImportForm o={o} state={{ ...state, fileError: msg.web.imports.tooLarge }} />,
      );
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    const contentType = file.type || (file.name.toLowerCase().endsWith('.xlsx') ? XLSX_TYPE : 'text/csv');
    const { db, now, blobs } = c.var.deps;
    const result = await runImport(db, {
      officeId: o.id,
      kind,
      bytes,
      contentType,
      dryRun: true,
      invites,
      now: now(),
      actor: actorOf(c),
    });
    if (result.issues.length > 0) {
      return page(
        c,
        { title: msg.web.imports.title, office: o, active: 'imports', status: 400 },
        <>
          <div class="error" role="alert">
            <strong>{msg.web.imports.issuesTitle(result.issues.length)}</strong>
            <br />
            {msg.web.imports.issuesHelp}
          </div>
          <IssueTable issues={result.issues} />
          <h2>{msg.web.imports.again}</h2>
          <ImportForm o={o} state={state} />
        </>,
      );
    }
    // Kept under its hash: the confirm step names it, and cannot name another office's file.
    const sha = await sha256Hex(bytes);
    await keepUpload({ db, blobs }, o.id, sha, { data: bytes, contentType }, now());
    return page(
      c,
      { title: msg.web.imports.readyTitle, office: o, active: 'imports' },
      <>
        <p>
          {msg.web.imports.kindLabel[kind]} · {file.name}
        </p>
        <Counts r={result} />
        <form method="post" action={officePath(o, '/imports/confirm')} class="stack">
          <input type="hidden" name="kind" value={kind} />
          <input type="hidden" name="upload" value={sha} />
          {invites ? <input type="hidden" name="invites" value="1" /> : null}
          <p class="muted">{msg.web.imports.confirmNote}</p>
          <button type="submit">{msg.web.imports.confirm}</button>{' '}
          <a href={officePath(o, '/imports')}>{msg.web.imports.cancel}</a>
        </form>
      </>,
    );
  });

  app.post('/offices/:office/imports/confirm', async (c) => {
    const o = await officeOf(c);
    const body = await formBody(c);
    const kind = importKindOf(body.get('kind') ?? undefined);
    const sha = body.get('upload') ?? '';
    const { db, now, blobs } = c.var.deps;
    const kept = SHA_RE.test(sha) ? await blobs.get(uploadKey(o.id, sha)) : null;
    if (kept === null) {
      return page(
        c,
        { title: msg.web.imports.title, office: o, active: 'imports', status: 410 },
        <>
          <p class="error" role="alert">
            {msg.web.imports.uploadGone}
          </p>
          <ImportForm o={o} state={{ kind, invites: body.get('invites') === '1' }} />
        </>,
      );
    }
    const result = await runImport(db, {
      officeId: o.id,
      kind,
      bytes: kept.data,
      contentType: kept.contentType,
      dryRun: false,
      invites: body.get('invites') === '1',
      now: now(),
      actor: actorOf(c),
    });
    if (result.issues.length > 0) {
      return page(
        c,
        { title: msg.web.imports.title, office: o, active: 'imports', status: 400 },
        <>
          <div class="error" role="alert">
            <strong>{msg.web.imports.issuesTitle(result.issues.length)}</strong>
          </div>
          <IssueTable issues={result.issues} />
          <ImportForm o={o} state={{ kind, invites: body.get('invites') === '1' }} />
        </>,
      );
    }
    // Imported: the file (which may list staff) is not kept a moment longer.
    await dropUpload({ db, blobs }, o.id, sha);
    return page(
      c,
      { title: msg.web.imports.doneTitle, office: o, active: 'imports' },
      <>
        <p role="status">
          {msg.web.imports.kindLabel[kind]}: {msg.web.imports.written}{' '}
          <span data-figure="written">{num(result.written)}</span>
        </p>
        <Counts r={result} />
        {result.invites.length === 0 ? null : (
          <table>
            <caption>{msg.web.imports.invitesIssued}</caption>
            <thead>
              <tr>
                <th scope="col">{msg.web.imports.row}</th>
                <th scope="col">ชื่อ / Name</th>
                <th scope="col">รหัสเชิญ / Invite code</th>
                <th scope="col">หมดอายุ / Expires</th>
              </tr>
            </thead>
            <tbody>
              {result.invites.map((i) => (
                <tr data-person={i.personId}>
                  <td class="n">{num(i.row)}</td>
                  <th scope="row">{i.name}</th>
                  <td>
                    <code data-figure="invite-code">{i.code}</code>
                  </td>
                  <td>{thaiShortDate(Date.parse(i.expiresAt))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {kind === 'people' ? (
          <p>
            <a href={officePath(o, '/invite-sheets')}>{msg.web.imports.printSheets}</a>
          </p>
        ) : null}
        <p>
          <a href={officePath(o, '/imports')}>{msg.web.imports.again}</a>
        </p>
      </>,
    );
  });
}
