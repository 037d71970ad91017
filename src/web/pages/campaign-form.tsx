/** @jsxImportSource hono/jsx */
// Creating, editing and closing a campaign (admins): the same validation and writes as the admin API
// (src/admin/campaigns.actions.ts). Dates are typed as Thai offices write them (31/12/2569, 31 ธ.ค. 69, 2026-12-31)
// or picked from a calendar; a bad field is named beside it. The audience's live count comes from a small script
// (/admin/assets/campaign-form.js) calling …/campaigns/audience, which counts with the one audience() predicate;
// without the script the count is shown after each submit. Closing asks for confirmation on its own page.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf } from '../../admin/auth.js';
import {
  audienceQuery,
  campaignBody,
  countAudience,
  createCampaign,
  updateCampaign,
  type AudienceCount,
} from '../../admin/campaigns.actions.js';
import { listCampaignsPage, listChecklistsPage, type CampaignView } from '../../admin/campaigns.queries.js';
import { listClustersPage } from '../../admin/org.queries.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { parseBody } from '../../admin/validate.js';
import { parseThaiDate } from '../../checklists/parse.js';
import type { Db } from '../../db/client.js';
import { roles, type Role } from '../../db/schema.js';
import type { AppEnv } from '../../deps.js';
import { AppError, type FieldIssue } from '../../errors.js';
import { roleLabel } from '../../i18n/th.js';
import { isUuid } from '../../ids/uuid.js';
import { localDate, thaiShortDate } from '../../time/thai.js';
import { officeTimeZone } from '../../time/zone.queries.js';
import { formBody } from '../session.js';
import { num } from '../web.th.js';
import { need, officePath, page, type Ctx } from './render.js';

export const CAMPAIGN_SCRIPT = '/admin/assets/campaign-form.js';

const ct = {
  newCampaign: 'สร้างการติดตามใหม่ / New campaign',
  editCampaign: 'แก้ไขการติดตาม / Edit campaign',
  title: 'ชื่อการติดตาม / Title',
  titleHint: 'เช่น "รายงานผลการประเมินตนเอง (SAR) ปีการศึกษา 2569" ชื่อซ้ำกับที่มีอยู่จะแก้ไขรายการเดิม',
  checklist: 'แบบที่ใช้ (ฉบับ) / Checklist and version',
  roles: 'ผู้ตอบ (บทบาท) / Who answers (roles)',
  clusters: 'กลุ่มโรงเรียน (ไม่เลือก = ทุกกลุ่ม) / Clusters (none = all)',
  schools: 'รหัสโรงเรียน (ไม่กรอก = ทุกโรงเรียน) / School codes (empty = all)',
  schoolsHint: 'รหัส 10 หลัก คั่นด้วยจุลภาคหรือขึ้นบรรทัดใหม่ / 10-digit codes, separated by commas or lines',
  opensAt: 'วันเปิด / Opens',
  opensHint: 'ว่างไว้ = เปิดทันที เช่น 1/12/2569 หรือ 1 ธ.ค. 2569 / empty = now',
  dueAt: 'วันครบกำหนด / Due',
  dueHint: 'เช่น 31/12/2569, 31 ธ.ค. 69 หรือ 2026-12-31 (ครบกำหนดสิ้นวัน) / Thai B.E. or C.E. dates',
  pick: 'เลือกจากปฏิทิน / Pick a date',
  announce: 'ประกาศเมื่อเปิด: ส่งข้อความพร้อมปุ่มเริ่มตอบถึงทุกคนในกลุ่มผู้ตอบ (รวมในข้อความประจำวัน)',
  announceHint: 'Announce when it opens: one message with a start button in each person’s daily bundle.',
  audience: 'จำนวนผู้ตอบ / Audience',
  audienceCount: (a: AudienceCount) =>
    a.scope === 'school'
      ? `${num(a.people)} คน จาก ${num(a.expected)} โรงเรียน (ตอบโรงเรียนละ 1 ชุด) / ${a.people} people, ${a.expected} schools`
      : `${num(a.people)} คน / ${a.people} people`,
  audienceLater: 'กดปุ่มบันทึกเพื่อดูจำนวน (หรือเปิด JavaScript เพื่อนับทันที) / Shown after saving',
  create: 'สร้างการติดตาม / Create',
  save: 'บันทึก / Save',
  close: 'ปิดการติดตาม / Close campaign',
  closeConfirmTitle: 'ยืนยันการปิดการติดตาม / Confirm closing',
  closeConfirm: (title: string) =>
    `ปิด "${title}"? เมื่อปิดแล้วจะไม่มีใครตอบเพิ่มได้ และเปิดใหม่ไม่ได้ / Close it? Nobody can answer after this, and it cannot be reopened.`,
  closeYes: 'ยืนยัน ปิดการติดตาม / Yes, close it',
  cancel: 'ยกเลิก / Cancel',
  saved: 'บันทึกแล้ว / Saved',
  closedDone: 'ปิดการติดตามแล้ว / Closed',
  fixErrors: 'กรุณาแก้ไขช่องที่มีข้อผิดพลาด / Please fix the fields marked below',
  alreadyClosed: 'การติดตามนี้ปิดแล้ว แก้ไขไม่ได้ / This campaign is closed',
  badDate: (v: string) => `อ่านวันที่ "${v}" ไม่ได้ เช่น 31/12/2569 หรือ 31 ธ.ค. 2569 / unreadable date`,
  required: 'กรุณากรอกช่องนี้ / Required',
  chooseRole: 'เลือกอย่างน้อย 1 บทบาท / Choose at least one role',
  chooseChecklist: 'เลือกแบบที่ใช้ / Choose a checklist',
  back: 'กลับไปรายการการติดตาม / Back to campaigns',
  opened: 'เปิด / Opens',
};

/** A form's field name for an issue's field ("schoolCodes.3" → "schoolCodes"). */
const FIELD_OF: Record<string, string> = {
  titleTh: 'titleTh',
  checklistKey: 'checklist',
  checklistVersion: 'checklist',
  roles: 'roles',
  schoolCodes: 'schoolCodes',
  clusterCodes: 'clusterCodes',
  opensAt: 'opensAt',
  dueAt: 'dueAt',
  announce: 'announce',
};
function errorsByField(issues: FieldIssue[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const i of issues) {
    const field = FIELD_OF[(i.field ?? '').split('.')[0] ?? ''] ?? '_form';
    out.set(field, [...(out.get(field) ?? []), i.message]);
  }
  return out;
}

interface FormValues {
  titleTh: string;
  checklist: string;
  roles: string[];
  clusterCodes: string[];
  schoolCodes: string;
  opensAt: string;
  dueAt: string;
  announce: boolean;
}

const empty: FormValues = {
  titleTh: '',
  checklist: '',
  roles: [],
  clusterCodes: [],
  schoolCodes: '',
  opensAt: '',
  dueAt: '',
  announce: false,
};

const splitCodes = (v: string) =>
  v
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter((x) => x !== '');

/** Field with its label, hint and errors tied to the control (aria-describedby). */
function Field(props: { id: string; label: string; hint?: string; errors?: string[] | undefined; children: Child }) {
  const errs = props.errors ?? [];
  return (
    <div class={errs.length > 0 ? 'field invalid' : 'field'}>
      <label for={props.id}>{props.label}</label>
      {props.hint === undefined ? null : (
        <div class="muted" id={`${props.id}-hint`}>
          {props.hint}
        </div>
      )}
      {props.children}
      {errs.map((e, i) => (
        <p class="field-error" id={`${props.id}-err${i === 0 ? '' : i}`}>
          {e}
        </p>
      ))}
    </div>
  );
}

const described = (id: string, hint: boolean, errors: string[] | undefined) =>
  [hint ? `${id}-hint` : '', ...(errors ?? []).map((_, i) => `${id}-err${i === 0 ? '' : i}`)]
    .filter((x) => x !== '')
    .join(' ') || undefined;

function DateInput(props: { id: string; value: string; errors?: string[] | undefined; required?: boolean }) {
  return (
    <span class="date">
      <input
        id={props.id}
        name={props.id}
        value={props.value}
        inputmode="numeric"
        autocomplete="off"
        placeholder="31/12/2569"
        required={props.required}
        aria-invalid={props.errors === undefined ? undefined : 'true'}
        aria-describedby={described(props.id, true, props.errors)}
      />
      <input type="date" class="picker" data-for={props.id} aria-label={ct.pick} hidden />
    </span>
  );
}

async function formOptions(db: Db, officeId: string) {
  const [checklists, clusters] = await Promise.all([
    listChecklistsPage(db, officeId, {}, null, 500),
    listClustersPage(db, officeId, null, 500),
  ]);
  return { checklists, clusters };
}

function CampaignForm(props: {
  o: OfficeRow;
  values: FormValues;
  errors: Map<string, string[]>;
  options: Awaited<ReturnType<typeof formOptions>>;
  count?: AudienceCount | undefined;
}) {
  const { o, values: v, errors: e, options } = props;
  return (
    <form method="post" action={officePath(o, '/campaigns')} class="stack" id="campaign-form" novalidate>
      {e.size > 0 ? (
        <p class="error" role="alert">
          {ct.fixErrors}
        </p>
      ) : null}
      {(e.get('_form') ?? []).map((m) => (
        <p class="error">{m}</p>
      ))}
      <Field id="titleTh" label={ct.title} hint={ct.titleHint} errors={e.get('titleTh')}>
        <input
          id="titleTh"
          name="titleTh"
          value={v.titleTh}
          maxlength={200}
          required
          aria-invalid={e.has('titleTh') ? 'true' : undefined}
          aria-describedby={described('titleTh', true, e.get('titleTh'))}
        />
      </Field>
      <Field id="checklist" label={ct.checklist} errors={e.get('checklist')}>
        <select
          id="checklist"
          name="checklist"
          required
          aria-invalid={e.has('checklist') ? 'true' : undefined}
          aria-describedby={described('checklist', false, e.get('checklist'))}
        >
          <option value="">—</option>
          {options.checklists.map((c) => (
            <option value={`${c.key}@${c.version}`} selected={v.checklist === `${c.key}@${c.version}`}>
              {c.titleTh} (ฉบับ {c.version}
              {c.builtIn ? ', มาตรฐาน' : ''}) · {c.key}
            </option>
          ))}
        </select>
      </Field>
      <fieldset
        id="roles"
        aria-invalid={e.has('roles') ? 'true' : undefined}
        aria-describedby={described('roles', false, e.get('roles'))}
      >
        <legend>{ct.roles}</legend>
        {roles.map((r) => (
          <label class="check">
            <input type="checkbox" name="roles" value={r} checked={v.roles.includes(r)} /> {roleLabel[r]}
          </label>
        ))}
        {(e.get('roles') ?? []).map((m, i) => (
          <p class="field-error" id={`roles-err${i === 0 ? '' : i}`}>
            {m}
          </p>
        ))}
      </fieldset>
      {options.clusters.length === 0 ? null : (
        <fieldset id="clusterCodes" aria-describedby={described('clusterCodes', false, e.get('clusterCodes'))}>
          <legend>{ct.clusters}</legend>
          {options.clusters.map((cl) => (
            <label class="check">
              <input type="checkbox" name="clusterCodes" value={cl.code} checked={v.clusterCodes.includes(cl.code)} />{' '}
              {cl.nameTh} <span class="muted">({num(cl.schools)} โรงเรียน)</span>
            </label>
          ))}
          {(e.get('clusterCodes') ?? []).map((m, i) => (
            <p class="field-error" id={`clusterCodes-err${i === 0 ? '' : i}`}>
              {m}
            </p>
          ))}
        </fieldset>
      )}
      <Field id="schoolCodes" label={ct.schools} hint={ct.schoolsHint} errors={e.get('schoolCodes')}>
        <textarea
          id="schoolCodes"
          name="schoolCodes"
          rows={3}
          aria-invalid={e.has('schoolCodes') ? 'true' : undefined}
          aria-describedby={described('schoolCodes', true, e.get('schoolCodes'))}
        >
          {v.schoolCodes}
        </textarea>
      </Field>
      <Field id="opensAt" label={ct.opensAt} hint={ct.opensHint} errors={e.get('opensAt')}>
        <DateInput id="opensAt" value={v.opensAt} errors={e.get('opensAt')} />
      </Field>
      <Field id="dueAt" label={ct.dueAt} hint={ct.dueHint} errors={e.get('dueAt')}>
        <DateInput id="dueAt" value={v.dueAt} errors={e.get('dueAt')} required />
      </Field>
      <div class="field">
        <label class="check">
          <input type="checkbox" name="announce" value="1" checked={v.announce} aria-describedby="announce-hint" />{' '}
          {ct.announce}
        </label>
        <div class="muted" id="announce-hint">
          {ct.announceHint}
        </div>
      </div>
      <p>
        <strong>{ct.audience}: </strong>
        <output id="audience-count" aria-live="polite" data-url={officePath(o, '/campaigns/audience')}>
          {props.count === undefined ? ct.audienceLater : ct.audienceCount(props.count)}
        </output>
      </p>
      <button type="submit">{ct.create}</button>
    </form>
  );
}

/** The form's fields as typed (for showing them again) and as the API's body (dates read as Thai dates). */
function readForm(f: URLSearchParams, today: string): { values: FormValues; body: unknown; issues: FieldIssue[] } {
  const values: FormValues = {
    titleTh: f.get('titleTh') ?? '',
    checklist: f.get('checklist') ?? '',
    roles: f.getAll('roles'),
    clusterCodes: f.getAll('clusterCodes'),
    schoolCodes: f.get('schoolCodes') ?? '',
    opensAt: (f.get('opensAt') ?? '').trim(),
    dueAt: (f.get('dueAt') ?? '').trim(),
    announce: f.get('announce') === '1',
  };
  const issues: FieldIssue[] = [];
  const date = (field: 'opensAt' | 'dueAt', text: string): string | undefined => {
    if (text === '') {
      if (field === 'dueAt') issues.push({ field, message: ct.required });
      return undefined;
    }
    const d = parseThaiDate(text, today);
    if (d.ok) return d.value;
    issues.push({ field, message: ct.badDate(text) });
    return undefined;
  };
  const opensAt = date('opensAt', values.opensAt);
  const dueAt = date('dueAt', values.dueAt);
  if (values.titleTh.trim() === '') issues.push({ field: 'titleTh', message: ct.required });
  if (values.roles.length === 0) issues.push({ field: 'roles', message: ct.chooseRole });
  const [key = '', version = ''] = values.checklist.split('@');
  if (key === '') issues.push({ field: 'checklistKey', message: ct.chooseChecklist });
  const body = {
    titleTh: values.titleTh,
    checklistKey: key,
    ...(/^\d+$/.test(version) ? { checklistVersion: Number(version) } : {}),
    roles: values.roles,
    schoolCodes: splitCodes(values.schoolCodes),
    clusterCodes: values.clusterCodes,
    ...(opensAt === undefined ? {} : { opensAt }),
    dueAt: dueAt ?? '',
    announce: values.announce,
  };
  return { values, body, issues };
}

function invalidIssues(err: unknown): FieldIssue[] | undefined {
  return err instanceof AppError && err.code === 'invalid_request' ? (err.issues ?? []) : undefined;
}

async function campaignOf(db: Db, o: OfficeRow, id: string | undefined): Promise<CampaignView> {
  const [view] = id !== undefined && isUuid(id) ? await listCampaignsPage(db, o.id, { id }, null, 1) : [];
  if (view === undefined) throw new AppError('not_found', 'No such campaign in this office');
  return view;
}

export function campaignFormPages(app: Hono<AppEnv>): void {
  app.get('/offices/:office/campaigns/new', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const options = await formOptions(c.var.deps.db, o.id);
    return page(
      c,
      { title: ct.newCampaign, office: o, active: 'campaigns', script: CAMPAIGN_SCRIPT },
      <CampaignForm o={o} values={empty} errors={new Map()} options={options} />,
    );
  });

  // The live count (JSON): who the chosen roles, clusters and schools hold now, through the one audience().
  app.get('/offices/:office/campaigns/audience', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const q = new URL(c.req.url).searchParams;
    const [key = '', version = ''] = (q.get('checklist') ?? '').split('@');
    const a = parseBody(audienceQuery, {
      roles: q.getAll('roles'),
      schoolCodes: splitCodes(q.get('schoolCodes') ?? ''),
      clusterCodes: q.getAll('clusterCodes'),
      ...(key === '' ? {} : { checklistKey: key }),
      ...(/^\d+$/.test(version) ? { checklistVersion: Number(version) } : {}),
    });
    const count = await countAudience(c.var.deps.db, o.id, a);
    c.header('Cache-Control', 'no-store');
    return c.json({ ...count, text: ct.audienceCount(count) });
  });

  app.post('/offices/:office/campaigns', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const today = localDate(now(), await officeTimeZone(db, o.id));
    const form = readForm(await formBody(c), today);
    const rerender = async (issues: FieldIssue[]) => {
      const options = await formOptions(db, o.id);
      const body = form.body as { roles: Role[]; schoolCodes: string[]; clusterCodes: string[]; checklistKey: string };
      const count = await countAudience(db, o.id, {
        roles: body.roles.filter((r) => (roles as readonly string[]).includes(r)),
        schoolCodes: body.schoolCodes.slice(0, 5000),
        clusterCodes: body.clusterCodes.slice(0, 1000),
        ...(body.checklistKey === '' ? {} : { checklistKey: body.checklistKey.slice(0, 64) }),
      });
      return page(
        c,
        { title: ct.newCampaign, office: o, active: 'campaigns', status: 400, script: CAMPAIGN_SCRIPT },
        <CampaignForm o={o} values={form.values} errors={errorsByField(issues)} options={options} count={count} />,
      );
    };
    if (form.issues.length > 0) return rerender(form.issues);
    try {
      const body = parseBody(campaignBody, form.body);
      const out = await createCampaign(db, o.id, body, { now: now(), actor: actorOf(c) });
      return c.redirect(officePath(o, `/campaigns/${out.view.id}?saved=1`), 303);
    } catch (err) {
      const issues = invalidIssues(err);
      if (issues === undefined) throw err;
      return rerender(issues);
    }
  });

  app.get('/offices/:office/campaigns/:id', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const db = c.var.deps.db;
    const v = await campaignOf(db, o, c.req.param('id'));
    const tz = await officeTimeZone(db, o.id);
    return editPage(c, o, tz, v, new Map(), c.req.query('saved') === '1' ? ct.saved : undefined);
  });

  app.post('/offices/:office/campaigns/:id', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const v = await campaignOf(db, o, c.req.param('id'));
    if (v.closedAt !== null) throw new AppError('conflict', 'Closed');
    const f = await formBody(c);
    const tz = await officeTimeZone(db, o.id);
    const dueText = (f.get('dueAt') ?? '').trim();
    const d = parseThaiDate(dueText, localDate(now(), tz));
    if (!d.ok) {
      const errors = new Map([['dueAt', [dueText === '' ? ct.required : ct.badDate(dueText)]]]);
      return editPage(c, o, tz, v, errors, undefined, { dueAt: dueText, announce: f.get('announce') === '1' }, 400);
    }
    try {
      await updateCampaign(
        db,
        o.id,
        v.id,
        { dueAt: d.value, announce: f.get('announce') === '1' },
        { now: now(), actor: actorOf(c) },
      );
    } catch (err) {
      const issues = invalidIssues(err);
      if (issues === undefined) throw err;
      return editPage(
        c,
        o,
        tz,
        v,
        errorsByField(issues),
        undefined,
        { dueAt: dueText, announce: f.get('announce') === '1' },
        400,
      );
    }
    return c.redirect(officePath(o, `/campaigns/${v.id}?saved=1`), 303);
  });

  // Closing is irreversible: a page that asks, then a POST with confirm=yes.
  app.get('/offices/:office/campaigns/:id/close', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const v = await campaignOf(c.var.deps.db, o, c.req.param('id'));
    return page(
      c,
      { title: ct.closeConfirmTitle, office: o, active: 'campaigns' },
      <>
        <p role="alert">{ct.closeConfirm(v.titleTh)}</p>
        <p class="muted">
          {num(v.submitted)} / {num(v.expected)} ส่งแล้ว / submitted
        </p>
        <form method="post" action={officePath(o, `/campaigns/${v.id}/close`)}>
          <input type="hidden" name="confirm" value="yes" />
          <button type="submit" class="danger">
            {ct.closeYes}
          </button>{' '}
          <a href={officePath(o, `/campaigns/${v.id}`)}>{ct.cancel}</a>
        </form>
      </>,
    );
  });

  app.post('/offices/:office/campaigns/:id/close', async (c) => {
    need(c, 'office.write');
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const v = await campaignOf(db, o, c.req.param('id'));
    const f = await formBody(c);
    if (f.get('confirm') !== 'yes') return c.redirect(officePath(o, `/campaigns/${v.id}/close`), 303);
    await updateCampaign(db, o.id, v.id, { close: true }, { now: now(), actor: actorOf(c) });
    return c.redirect(officePath(o, '/campaigns?closed=1'), 303);
  });
}

function editPage(
  c: Ctx,
  o: OfficeRow,
  tz: string,
  v: CampaignView,
  errors: Map<string, string[]>,
  notice?: string,
  typed?: { dueAt: string; announce: boolean },
  status: 200 | 400 = 200,
) {
  const dueValue = typed?.dueAt ?? thaiDateInput(Date.parse(v.dueAt), tz);
  const announce = typed?.announce ?? v.announce;
  return page(
    c,
    { title: `${ct.editCampaign}: ${v.titleTh}`, office: o, active: 'campaigns', status, script: CAMPAIGN_SCRIPT },
    <>
      {notice === undefined ? null : (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <dl class="figures">
        <dt>{ct.checklist}</dt>
        <dd>
          {v.checklistKey} ฉบับ {v.checklistVersion}
        </dd>
        <dt>{ct.roles}</dt>
        <dd>{v.roles.map((r) => roleLabel[r]).join(', ')}</dd>
        <dt>{ct.opened}</dt>
        <dd>{thaiShortDate(Date.parse(v.opensAt), tz)}</dd>
        <dt>{ct.audience}</dt>
        <dd>
          {num(v.submitted)} / {num(v.expected)}
        </dd>
      </dl>
      {v.closedAt !== null ? (
        <p>{ct.alreadyClosed}</p>
      ) : (
        <>
          <form method="post" action={officePath(o, `/campaigns/${v.id}`)} class="stack" novalidate>
            {errors.size > 0 ? (
              <p class="error" role="alert">
                {ct.fixErrors}
              </p>
            ) : null}
            <Field id="dueAt" label={ct.dueAt} hint={ct.dueHint} errors={errors.get('dueAt')}>
              <DateInput id="dueAt" value={dueValue} errors={errors.get('dueAt')} required />
            </Field>
            <div class="field">
              <label class="check">
                <input type="checkbox" name="announce" value="1" checked={announce} aria-describedby="announce-hint" />{' '}
                {ct.announce}
              </label>
              <div class="muted" id="announce-hint">
                {ct.announceHint}
              </div>
            </div>
            <button type="submit">{ct.save}</button>
          </form>
          <p>
            <a href={officePath(o, `/campaigns/${v.id}/close`)} class="danger">
              {ct.close}
            </a>
          </p>
        </>
      )}
      <p>
        <a href={officePath(o, '/campaigns')}>{ct.back}</a>
      </p>
    </>,
  );
}

/** "31/12/2569": an instant's office-local date as the date fields take it (B.E.). */
function thaiDateInput(at: number, tz: string): string {
  const [y = '0', m = '0', d = '0'] = localDate(at, tz).split('-');
  return `${Number(d)}/${Number(m)}/${Number(y) + 543}`;
}

/**
 * The campaign form's progressive script: the live audience count (debounced fetch of …/campaigns/audience on any
 * change of the checklist, roles, clusters or schools) and the calendar pickers that write a Thai B.E. date into
 * their text field. Without it the form works the same; the count shows after each submit.
 */
export const CAMPAIGN_FORM_JS = `(() => {
  for (const p of document.querySelectorAll('input.picker')) {
    p.hidden = false;
    p.addEventListener('change', () => {
      const m = /^(\\d{4})-(\\d{2})-(\\d{2})$/.exec(p.value);
      const field = document.getElementById(p.dataset.for);
      if (m && field) { field.value = Number(m[3]) + '/' + Number(m[2]) + '/' + (Number(m[1]) + 543); field.dispatchEvent(new Event('change')); }
    });
  }
  const form = document.getElementById('campaign-form');
  const out = document.getElementById('audience-count');
  if (!form || !out) return;
  let timer = 0, seq = 0;
  const update = () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const q = new URLSearchParams();
      const fd = new FormData(form);
      for (const k of ['roles', 'clusterCodes']) for (const v of fd.getAll(k)) q.append(k, v);
      q.set('schoolCodes', fd.get('schoolCodes') || '');
      q.set('checklist', fd.get('checklist') || '');
      const mine = ++seq;
      try {
        const res = await fetch(out.dataset.url + '?' + q.toString(), { credentials: 'same-origin' });
        if (!res.ok || mine !== seq) return;
        const body = await res.json();
        out.textContent = body.text;
        out.dataset.people = String(body.people);
      } catch {}
    }, 250);
  };
  form.addEventListener('change', update);
  form.addEventListener('input', (e) => { if (e.target && e.target.name === 'schoolCodes') update(); });
  update();
})();
`;
