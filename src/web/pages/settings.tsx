/** @jsxImportSource hono/jsx */
// The office's settings, for admins: names, quiet hours, the privacy notice and the LINE Official Account's id
// (the invite sheets' QR). The form is checked by the API's own schema (officePatch) and saved by the same action
// (updateOffice, audited); each error is shown next to its field and tied to it with aria-describedby.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf } from '../../admin/auth.js';
import { officePatch, updateOffice } from '../../admin/offices.actions.js';
import { officeOf } from '../../admin/office.js';
import { officeView } from '../../admin/org.queries.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { formBody } from '../session.js';
import { ts } from '../sheets.th.js';
import { guard, officePath, page } from './render.js';

type Field = 'nameTh' | 'nameEn' | 'quietStart' | 'quietEnd' | 'privacyNoticeTh' | 'lineBasicId';
type Values = Record<Field, string>;

const errorText: Record<Field, string> = {
  nameTh: ts.errRequired,
  nameEn: ts.errTooLong,
  quietStart: ts.errHour,
  quietEnd: ts.errHour,
  privacyNoticeTh: ts.errPrivacy,
  lineBasicId: ts.errBasicId,
};

function Input(props: {
  name: Field;
  label: string;
  hint?: string;
  values: Values;
  errors: Partial<Record<Field, string>>;
  type?: 'text' | 'number' | 'textarea';
}): Child {
  const { name, values, errors } = props;
  const error = errors[name];
  const ids = [props.hint === undefined ? null : `${name}-hint`, error === undefined ? null : `${name}-error`]
    .filter((x) => x !== null)
    .join(' ');
  const common = {
    id: name,
    name,
    'aria-describedby': ids === '' ? undefined : ids,
    'aria-invalid': error === undefined ? undefined : 'true',
  };
  return (
    <p>
      <label for={name}>{props.label}</label>
      <br />
      {props.type === 'textarea' ? (
        <textarea {...common} rows={6} maxlength={5000}>
          {values[name]}
        </textarea>
      ) : props.type === 'number' ? (
        <input {...common} type="number" min={0} max={23} step={1} value={values[name]} inputmode="numeric" required />
      ) : (
        <input {...common} type="text" value={values[name]} />
      )}
      {props.hint === undefined ? null : (
        <>
          <br />
          <span id={`${name}-hint`} class="muted">
            {props.hint}
          </span>
        </>
      )}
      {error === undefined ? null : (
        <span id={`${name}-error`} class="error field-error">
          {error}
        </span>
      )}
    </p>
  );
}

function SettingsForm(props: { action: string; values: Values; errors: Partial<Record<Field, string>> }): Child {
  const f = { values: props.values, errors: props.errors };
  return (
    <form method="post" action={props.action} class="settings" novalidate>
      <Input name="nameTh" label={ts.nameTh} {...f} />
      <Input name="nameEn" label={ts.nameEn} {...f} />
      <fieldset>
        <legend>{ts.quietHint}</legend>
        <Input name="quietStart" label={ts.quietStart} type="number" {...f} />
        <Input name="quietEnd" label={ts.quietEnd} type="number" {...f} />
      </fieldset>
      <Input name="lineBasicId" label={ts.basicId} hint={ts.basicIdHint} {...f} />
      <Input name="privacyNoticeTh" label={ts.privacy} hint={ts.privacyHint} type="textarea" {...f} />
      <button type="submit">{ts.save}</button>
    </form>
  );
}

const hourOf = (v: string) => (/^\d{1,2}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN);

export function settingsPages(app: Hono<AppEnv>): void {
  guard(app, '/settings', 'office.write');

  app.get('/offices/:office/settings', async (c) => {
    const o = await officeOf(c);
    const view = await officeView(c.var.deps.db, o.id);
    if (view === undefined) throw new AppError('not_found', 'Unknown office');
    const values: Values = {
      nameTh: view.nameTh,
      nameEn: view.nameEn ?? '',
      quietStart: String(view.quietStart),
      quietEnd: String(view.quietEnd),
      privacyNoticeTh: view.privacyNoticeTh ?? '',
      lineBasicId: view.lineBasicId ?? '',
    };
    return page(
      c,
      { title: ts.settings, office: o, active: 'settings' },
      <>
        {c.req.query('saved') === '1' ? (
          <p role="status" class="saved">
            {ts.saved}
          </p>
        ) : null}
        <SettingsForm action={officePath(o, '/settings')} values={values} errors={{}} />
      </>,
    );
  });

  app.post('/offices/:office/settings', async (c) => {
    const o = await officeOf(c);
    const form = await formBody(c);
    const values: Values = {
      nameTh: form.get('nameTh') ?? '',
      nameEn: form.get('nameEn') ?? '',
      quietStart: form.get('quietStart') ?? '',
      quietEnd: form.get('quietEnd') ?? '',
      privacyNoticeTh: form.get('privacyNoticeTh') ?? '',
      lineBasicId: form.get('lineBasicId') ?? '',
    };
    const blankToNull = (v: string) => (v.trim() === '' ? null : v);
    const parsed = officePatch.safeParse({
      nameTh: values.nameTh,
      nameEn: blankToNull(values.nameEn),
      quietStart: hourOf(values.quietStart),
      quietEnd: hourOf(values.quietEnd),
      privacyNoticeTh: blankToNull(values.privacyNoticeTh),
      lineBasicId: blankToNull(values.lineBasicId),
    });
    if (!parsed.success) {
      const errors: Partial<Record<Field, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if (typeof field === 'string' && field in errorText) errors[field as Field] = errorText[field as Field];
      }
      return page(
        c,
        { title: ts.settings, office: o, active: 'settings', status: 400 },
        <>
          <p class="error" role="alert">
            {ts.fixErrors}
          </p>
          <SettingsForm action={officePath(o, '/settings')} values={values} errors={errors} />
        </>,
      );
    }
    await updateOffice(c.var.deps, o.id, actorOf(c), parsed.data);
    return c.redirect(officePath(o, '/settings?saved=1'), 303);
  });
}
