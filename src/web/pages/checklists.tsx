/** @jsxImportSource hono/jsx */
// The office's checklists: every version (its own beside the built-ins), a preview of the questions as a teacher
// meets them in chat, the definition to download (JSON or XLSForm .xlsx, through the API's GET), and an upload of
// a new version (JSON or XLSForm) through the same publishChecklistFile() as the API, each problem named by its
// path or sheet!cell beside the file field.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf } from '../../admin/auth.js';
import { listChecklistsPage, type ChecklistView } from '../../admin/campaigns.queries.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { can } from '../../admin/scope.js';
import { findChecklistVersion } from '../../checklists/checklists.queries.js';
import { validateFormDefinition, type FormItem, type Label } from '../../checklists/definition.js';
import { publishChecklistFile, XLSX_CONTENT_TYPE } from '../../checklists/upload.js';
import type { AppEnv } from '../../deps.js';
import { AppError, type FieldIssue } from '../../errors.js';
import { multipartBody } from '../session.js';
import { ratingLevels } from '../../i18n/answers.th.js';
import { MAX_IMPORT_BYTES } from '../../imports/sheet.js';
import { thaiShortDate } from '../../time/thai.js';
import { apiPath, guard, need, officePath, page, Pager, queryString, scopeOfPage, type Ctx } from './render.js';

export const CHECKLISTS_PAGE_SIZE = 100;

const ck = {
  title: 'แบบประเมินและแบบสำรวจ / Checklists',
  key: 'รหัสแบบ / Key',
  name: 'ชื่อแบบ / Title',
  version: 'ฉบับ / Version',
  scope: 'ผู้ตอบ / Answered per',
  perPerson: 'รายบุคคล / per person',
  perSchool: 'รายโรงเรียน / per school',
  source: 'ที่มา / Source',
  builtIn: 'แบบมาตรฐาน / built-in',
  own: 'ของสำนักงาน / the office’s own',
  published: 'เผยแพร่ / Published',
  preview: 'ดูตัวอย่าง / Preview',
  download: 'ดาวน์โหลด / Download',
  upload: 'อัปโหลดฉบับใหม่ / Upload a new version',
  file: 'ไฟล์แบบ (JSON หรือ XLSForm .xlsx ไม่เกิน 5 MB) / Checklist file',
  fileHint:
    'ฉบับที่เผยแพร่แล้วแก้ไขไม่ได้: เปลี่ยนเนื้อหาต้องเพิ่มเลขฉบับ (version) / A published version never changes: raise the version to change it.',
  send: 'ตรวจและเผยแพร่ / Check and publish',
  chooseFile: 'กรุณาเลือกไฟล์ / Choose a file',
  problems: (n: number) => `พบปัญหา ${n} จุด ยังไม่ได้เผยแพร่ / ${n} problems; nothing was published`,
  created: (key: string, v: number) => `เผยแพร่ ${key} ฉบับ ${v} แล้ว / Published`,
  unchanged: (key: string, v: number) => `${key} ฉบับ ${v} มีอยู่แล้วและเหมือนเดิม / Already published, unchanged`,
  warnings: 'ส่วนที่ไม่ได้นำมาใช้ / Parts left out',
  previewTitle: (t: string, v: number) => `ตัวอย่าง: ${t} ฉบับ ${v} / Preview`,
  previewIntro: 'คำถามตามลำดับที่ครูเห็นในแชต LINE (ปุ่มคือคำตอบที่แตะได้) / The questions as they appear in chat.',
  required: 'ต้องตอบ / required',
  optional: 'ข้ามได้ / optional',
  askedWhen: 'ถามเมื่อ / asked when',
  repeat: (label: string) => `ถามซ้ำเป็นชุด: ${label} / repeated group`,
  typeHint: {
    number: 'พิมพ์ตัวเลข / type a number',
    text: 'พิมพ์ข้อความ / type text',
    date: 'เลือกวันที่ หรือพิมพ์ เช่น 31/12/2569 / pick or type a date',
    photo: 'ส่งรูปภาพ / send photos',
    document: 'ส่งไฟล์เอกสาร / send documents',
    calculate: 'คำนวณให้อัตโนมัติ (ไม่ถาม) / computed, not asked',
  } as Record<string, string>,
  none: 'ยังไม่มีแบบ / No checklists',
  back: 'กลับไปรายการแบบ / Back to checklists',
};

const th = (l: Label | undefined) => l?.th ?? '';

/** The questions as the chat asks them: the label, its hint, and the buttons a teacher may tap. */
function Question(props: { item: FormItem; n: string }): Child {
  const it = props.item;
  const relevant = 'relevant' in it ? it.relevant : undefined;
  const hint = 'hint' in it ? it.hint : undefined;
  if (it.type === 'section' || it.type === 'repeat') {
    return (
      <li class="group">
        <strong>{it.type === 'repeat' ? ck.repeat(th(it.label)) : th(it.label)}</strong>
        {it.relevant === undefined ? null : (
          <div class="muted">
            {ck.askedWhen}: <code>{it.relevant}</code>
          </div>
        )}
        <ol>
          {it.items.map((child, i) => (
            <Question item={child} n={`${props.n}.${i + 1}`} />
          ))}
        </ol>
      </li>
    );
  }
  const buttons: string[] =
    it.type === 'yes_no'
      ? ['ใช่', 'ไม่ใช่']
      : it.type === 'rating'
        ? ([5, 4, 3, 2, 1] as const).map((n) => `${n} ${ratingLevels[n].th}`)
        : it.type === 'select_one' || it.type === 'select_many'
          ? (it.choices ?? []).map((c) => c.label.th)
          : it.type === 'acknowledge'
            ? ['รับทราบ']
            : [];
  return (
    <li data-item={it.key}>
      <div class="bubble">
        {th(it.label)}
        {hint === undefined ? null : <div class="muted">{th(hint)}</div>}
        {it.type === 'select_many' ? <div class="muted">เลือกได้หลายข้อ / choose any</div> : null}
      </div>
      {buttons.length > 0 ? (
        <div class="quick" aria-label="ปุ่มคำตอบ / answer buttons">
          {buttons.map((b) => (
            <span class="qr">{b}</span>
          ))}
        </div>
      ) : ck.typeHint[it.type] !== undefined ? (
        <div class="muted">{ck.typeHint[it.type]}</div>
      ) : null}
      <div class="muted">
        {it.type === 'note' || it.type === 'calculate' ? '' : it.required === false ? ck.optional : ck.required}
        {relevant === undefined ? null : (
          <>
            {' · '}
            {ck.askedWhen}: <code>{relevant}</code>
          </>
        )}
      </div>
    </li>
  );
}

function ChecklistTable(props: { o: OfficeRow; rows: ChecklistView[] }): Child {
  const { o } = props;
  return (
    <table>
      <caption>{ck.title}</caption>
      <thead>
        <tr>
          <th scope="col">{ck.name}</th>
          <th scope="col">{ck.version}</th>
          <th scope="col">{ck.scope}</th>
          <th scope="col">{ck.source}</th>
          <th scope="col">{ck.published}</th>
          <th scope="col">{ck.download}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => {
          const path = `/checklists/${encodeURIComponent(r.key)}/versions/${r.version}`;
          return (
            <tr data-checklist={`${r.key}@${r.version}`}>
              <th scope="row">
                <a href={officePath(o, `/checklists/${encodeURIComponent(r.key)}/${r.version}`)}>{r.titleTh}</a>
                <div class="muted">{r.key}</div>
              </th>
              <td class="n">{r.version}</td>
              <td>{r.scope === 'school' ? ck.perSchool : ck.perPerson}</td>
              <td>{r.builtIn ? ck.builtIn : ck.own}</td>
              <td>{thaiShortDate(Date.parse(r.publishedAt))}</td>
              <td>
                <a href={apiPath(o, path)} download={`${r.key}-v${r.version}.json`}>
                  JSON
                </a>
                {' · '}
                <a href={apiPath(o, `${path}?format=xlsx`)} download>
                  XLSForm
                </a>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function UploadForm(props: { o: OfficeRow; errors?: FieldIssue[] | undefined; summary?: string | undefined }): Child {
  const errors = props.errors ?? [];
  const invalid = errors.length > 0;
  return (
    <form
      method="post"
      action={officePath(props.o, '/checklists')}
      enctype="multipart/form-data"
      class="stack"
      aria-labelledby="upload-title"
    >
      <h2 id="upload-title">{ck.upload}</h2>
      <div class={invalid ? 'field invalid' : 'field'}>
        <label for="file">{ck.file}</label>
        <div class="muted" id="file-hint">
          {ck.fileHint}
        </div>
        <input
          id="file"
          name="file"
          type="file"
          accept=".json,.xlsx,application/json,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          required
          aria-invalid={invalid ? 'true' : undefined}
          aria-describedby={invalid ? 'file-hint file-err' : 'file-hint'}
        />
        {invalid ? (
          <div id="file-err" class="field-error" role="alert">
            <p class="field-error">{props.summary}</p>
            <ul>
              {errors.map((e) => (
                <li>
                  {e.field === undefined ? null : <code>{e.field}</code>} {e.message}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
      <button type="submit">{ck.send}</button>
    </form>
  );
}

async function listPage(
  c: Ctx,
  status: 200 | 400,
  extra?: { errors?: FieldIssue[]; summary?: string; notice?: Child },
) {
  const o = await officeOf(c);
  const after = c.req.query('after');
  const cursor = after === undefined ? null : after.split('@');
  const valid = cursor !== null && cursor.length === 3 && /^\d+$/.test(cursor[1] ?? '') ? cursor : null;
  const rows = await listChecklistsPage(c.var.deps.db, o.id, {}, valid, CHECKLISTS_PAGE_SIZE);
  const shown = rows.slice(0, CHECKLISTS_PAGE_SIZE);
  const last = shown.at(-1);
  const write = can(scopeOfPage(c), 'office.write');
  return page(
    c,
    { title: ck.title, office: o, active: 'checklists', status },
    <>
      {extra?.notice ?? null}
      {shown.length === 0 ? <p>{ck.none}</p> : <ChecklistTable o={o} rows={shown} />}
      <Pager
        first={valid === null ? undefined : officePath(o, '/checklists')}
        next={
          rows.length > CHECKLISTS_PAGE_SIZE && last !== undefined
            ? officePath(o, `/checklists${queryString({ after: `${last.key}@${last.version}@${last.id}` })}`)
            : undefined
        }
      />
      {write ? <UploadForm o={o} errors={extra?.errors} summary={extra?.summary} /> : null}
    </>,
  );
}

/** The uploaded file's bytes and name, from a multipart form read within the import's size limit. */
async function uploadedFile(c: Ctx): Promise<{ bytes: Uint8Array; name: string; type: string } | undefined> {
  const form = await multipartBody(c, MAX_IMPORT_BYTES + 64 * 1024);
  if (form === undefined) return undefined;
  const entry: unknown = form.get('file');
  if (!(entry instanceof Blob) || entry.size === 0) return undefined;
  const name = (entry as Blob & { name?: unknown }).name;
  return {
    bytes: new Uint8Array(await entry.arrayBuffer()),
    name: typeof name === 'string' ? name : '',
    type: entry.type,
  };
}

export function checklistPages(app: Hono<AppEnv>): void {
  guard(app, '/checklists', 'office.read');

  app.get('/offices/:office/checklists', (c) => listPage(c, 200));

  app.post('/offices/:office/checklists', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const file = await uploadedFile(c);
    if (file === undefined)
      return listPage(c, 400, { errors: [{ field: 'file', message: ck.chooseFile }], summary: ck.chooseFile });
    const xlsx = /\.xlsx$/i.test(file.name);
    try {
      const out = await publishChecklistFile(
        c.var.deps.db,
        o.id,
        { bytes: file.bytes, contentType: xlsx ? XLSX_CONTENT_TYPE : 'application/json', fileName: file.name },
        actorOf(c),
      );
      const notes = [...(out.warnings.length > 0 ? [[ck.warnings, out.warnings] as const] : [])];
      return await listPage(c, 200, {
        notice: (
          <div class="notice" role="status">
            <p>{out.status === 'created' ? ck.created(out.key, out.version) : ck.unchanged(out.key, out.version)}</p>
            {notes.map(([title, list]) => (
              <>
                <p>{title}</p>
                <ul>
                  {list.map((w) => (
                    <li>
                      <code>{w.field}</code> {w.message}
                    </li>
                  ))}
                </ul>
              </>
            ))}
          </div>
        ),
      });
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'invalid_request' && err.code !== 'conflict')) throw err;
      const issues = err.issues ?? [{ field: 'file', message: err.message }];
      return listPage(c, 400, { errors: issues, summary: ck.problems(issues.length) });
    }
  });

  app.get('/offices/:office/checklists/:key/:version', async (c) => {
    const o = await officeOf(c);
    const key = c.req.param('key');
    const version = Number(c.req.param('version'));
    if (!/^[a-z][a-z0-9-]{1,63}$/.test(key) || !Number.isInteger(version) || version < 1 || version > 2147483647)
      throw new AppError('not_found', 'No such checklist version');
    const row = await findChecklistVersion(c.var.deps.db, o.id, key, version);
    if (row === undefined) throw new AppError('not_found', 'No such checklist version');
    const parsed = validateFormDefinition(row.definition);
    if (!parsed.ok) throw new AppError('not_found', 'Unreadable checklist version');
    const def = parsed.definition;
    return page(
      c,
      { title: ck.previewTitle(th(def.title), def.version), office: o, active: 'checklists' },
      <>
        <p>{ck.previewIntro}</p>
        {def.description === undefined ? null : <p class="bubble">{th(def.description)}</p>}
        <ol class="chat">
          {def.items.map((item, i) => (
            <Question item={item} n={String(i + 1)} />
          ))}
        </ol>
        <p>
          <a href={apiPath(o, `/checklists/${encodeURIComponent(key)}/versions/${version}`)} download>
            JSON
          </a>
          {' · '}
          <a href={apiPath(o, `/checklists/${encodeURIComponent(key)}/versions/${version}?format=xlsx`)} download>
            XLSForm
          </a>
          {' · '}
          <a href={officePath(o, '/checklists')}>{ck.back}</a>
        </p>
      </>,
    );
  });
}
