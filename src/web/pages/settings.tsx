/** @jsxImportSource hono/jsx */
// The office's settings, for admins: names, quiet hours, the privacy notice and the LINE Official Account's id
// (the invite sheets' QR). The form is checked by the API's own schema (officePatch) and saved by the same action
// (updateOffice, audited); each error is shown next to its field and tied to it with aria-describedby.
// Below it, the office's tokens: listed without the token (only its hash is kept), made with a label (the token
// shown once, on the answer's no-store page) and revoked after a confirmation page, through the API's own actions
// (src/admin/tokens.actions.ts, audited). A session started by an office token may not make or revoke tokens, as on
// the API: a token mints no credentials.
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { actorOf, type AdminPrincipal } from '../../admin/auth.js';
import { officePatch, updateOffice } from '../../admin/offices.actions.js';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { officeView, type OfficeView } from '../../admin/org.queries.js';
import { createOfficeToken, revokeOfficeToken, tokenBody } from '../../admin/tokens.actions.js';
import { listTokensPage, type TokenView } from '../../admin/tokens.queries.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { isUuid } from '../../ids/uuid.js';
import { formBody } from '../session.js';
import { thaiDateTime } from '../web.th.js';
import { Field } from './fields.js';
import { guard, officePath, page, type Ctx } from './render.js';
import { msg } from '../../i18n/msg.js';

/** Tokens listed on the page: an office has a handful; more than this is a sign of a leak to clean up by API. */
const TOKENS_SHOWN = 100;

/** Whether this session may make or revoke tokens: a person or the deployment, never an office token's session. */
const mintsTokens = (p: AdminPrincipal | undefined) => p !== undefined && p.kind !== 'office';

function Tokens(props: {
  o: OfficeRow;
  rows: TokenView[];
  tz: string;
  mints: boolean;
  label: string;
  error?: string | undefined;
}): Child {
  const { o, tz } = props;
  const at = (iso: string | null) => (iso === null ? msg.web.sheets.tokenNever : thaiDateTime(Date.parse(iso), tz));
  return (
    <section aria-labelledby="tokens">
      <h2 id="tokens">{msg.web.sheets.tokens}</h2>
      <p class="muted">{msg.web.sheets.tokensIntro}</p>
      {props.rows.length === 0 ? (
        <p>{msg.web.sheets.noTokens}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{msg.web.sheets.tokenLabel}</th>
              <th scope="col">{msg.web.sheets.tokenCreatedAt}</th>
              <th scope="col">{msg.web.sheets.tokenLastUsed}</th>
              <th scope="col">{msg.web.sheets.tokenState}</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => (
              <tr data-token={r.id}>
                <th scope="row">{r.label}</th>
                <td>{at(r.createdAt)}</td>
                <td>{at(r.lastUsedAt)}</td>
                <td>
                  {r.revokedAt === null
                    ? msg.web.sheets.tokenActive
                    : `${msg.web.sheets.tokenRevoked} ${at(r.revokedAt)}`}
                  {r.revokedAt !== null || !props.mints ? null : (
                    <>
                      {' · '}
                      <a
                        href={officePath(o, `/settings/tokens/${r.id}/revoke`)}
                        aria-label={`${msg.web.sheets.revoke}: ${r.label}`}
                      >
                        {msg.web.sheets.revoke}
                      </a>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.mints ? (
        <form method="post" action={officePath(o, '/settings/tokens')} class="stack" novalidate>
          <Field
            name="label"
            label={msg.web.sheets.tokenLabel}
            hint={msg.web.sheets.tokenLabelHint}
            error={props.error}
            control={(a) => <input {...a} type="text" value={props.label} maxlength={200} autocomplete="off" />}
          />
          <div>
            <button type="submit">{msg.web.sheets.tokenCreate}</button>
          </div>
        </form>
      ) : (
        <p class="muted">{msg.web.sheets.tokenByToken}</p>
      )}
    </section>
  );
}

async function settingsData(c: Ctx, o: OfficeRow): Promise<{ view: OfficeView; tokens: TokenView[] }> {
  const db = c.var.deps.db;
  const [view, tokens] = await Promise.all([officeView(db, o.id), listTokensPage(db, o.id, null, TOKENS_SHOWN)]);
  if (view === undefined) throw new AppError('not_found', 'Unknown office');
  return { view, tokens: tokens.slice(0, TOKENS_SHOWN) };
}

function needMint(c: Ctx): void {
  if (!mintsTokens(c.var.admin)) throw new AppError('forbidden', 'An office token cannot make or revoke tokens');
}

type Field = 'nameTh' | 'nameEn' | 'quietStart' | 'quietEnd' | 'privacyNoticeTh' | 'lineBasicId';
type Values = Record<Field, string>;

const errorText: Record<Field, string> = {
  nameTh: msg.web.sheets.errRequired,
  nameEn: msg.web.sheets.errTooLong,
  quietStart: msg.web.sheets.errHour,
  quietEnd: msg.web.sheets.errHour,
  privacyNoticeTh: msg.web.sheets.errPrivacy,
  lineBasicId: msg.web.sheets.errBasicId,
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
      <Input name="nameTh" label={msg.web.sheets.nameTh} {...f} />
      <Input name="nameEn" label={msg.web.sheets.nameEn} {...f} />
      <fieldset>
        <legend>{msg.web.sheets.quietHint}</legend>
        <Input name="quietStart" label={msg.web.sheets.quietStart} type="number" {...f} />
        <Input name="quietEnd" label={msg.web.sheets.quietEnd} type="number" {...f} />
      </fieldset>
      <Input name="lineBasicId" label={msg.web.sheets.basicId} hint={msg.web.sheets.basicIdHint} {...f} />
      <Input
        name="privacyNoticeTh"
        label={msg.web.sheets.privacy}
        hint={msg.web.sheets.privacyHint}
        type="textarea"
        {...f}
      />
      <button type="submit">{msg.web.sheets.save}</button>
    </form>
  );
}

const hourOf = (v: string) => (/^\d{1,2}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN);

export function settingsPages(app: Hono<AppEnv>): void {
  guard(app, '/settings', 'office.write');

  app.get('/offices/:office/settings', async (c) => {
    const o = await officeOf(c);
    const { view, tokens } = await settingsData(c, o);
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
      { title: msg.web.sheets.settings, office: o, active: 'settings' },
      <>
        {c.req.query('saved') === '1' ? (
          <p role="status" class="saved">
            {msg.web.sheets.saved}
          </p>
        ) : null}
        {c.req.query('revoked') === '1' ? (
          <p role="status" class="notice">
            {msg.web.sheets.revoked}
          </p>
        ) : null}
        <SettingsForm action={officePath(o, '/settings')} values={values} errors={{}} />
        <Tokens o={o} rows={tokens} tz={view.timeZone} mints={mintsTokens(c.var.admin)} label="" />
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
        { title: msg.web.sheets.settings, office: o, active: 'settings', status: 400 },
        <>
          <p class="error" role="alert">
            {msg.web.sheets.fixErrors}
          </p>
          <SettingsForm action={officePath(o, '/settings')} values={values} errors={errors} />
        </>,
      );
    }
    await updateOffice(c.var.deps, o.id, actorOf(c), parsed.data);
    return c.redirect(officePath(o, '/settings?saved=1'), 303);
  });

  app.post('/offices/:office/settings/tokens', async (c) => {
    needMint(c);
    const o = await officeOf(c);
    const label = (await formBody(c)).get('label') ?? '';
    const parsed = tokenBody.safeParse({ label });
    if (!parsed.success) {
      const { view, tokens } = await settingsData(c, o);
      return page(
        c,
        { title: msg.web.sheets.settings, office: o, active: 'settings', status: 400 },
        <Tokens o={o} rows={tokens} tz={view.timeZone} mints label={label} error={msg.web.sheets.errLabel} />,
      );
    }
    const { row, token } = await createOfficeToken(c.var.deps.db, o.id, parsed.data.label, actorOf(c));
    // The token exists only in this response (page() marks it no-store): the list never shows it.
    return page(
      c,
      { title: msg.web.sheets.tokenCreated, office: o, active: 'settings' },
      <>
        <p>
          {row.label}:{' '}
          <output class="code" data-figure="office-token">
            {token}
          </output>
        </p>
        <p role="alert">{msg.web.sheets.tokenOnce}</p>
        <p>
          <a href={officePath(o, '/settings#tokens')}>{msg.web.sheets.settings}</a>
        </p>
      </>,
    );
  });

  const tokenOf = async (c: Ctx, o: OfficeRow): Promise<TokenView> => {
    const id = c.req.param('token') ?? '';
    const rows = isUuid(id) ? (await settingsData(c, o)).tokens : [];
    const row = rows.find((r) => r.id === id && r.revokedAt === null);
    if (row === undefined) throw new AppError('not_found', 'No such token');
    return row;
  };

  // The confirmation: nothing is revoked by a GET.
  app.get('/offices/:office/settings/tokens/:token/revoke', async (c) => {
    needMint(c);
    const o = await officeOf(c);
    const row = await tokenOf(c, o);
    return page(
      c,
      { title: msg.web.sheets.revokeTitle(row.label), office: o, active: 'settings' },
      <form method="post" action={officePath(o, `/settings/tokens/${row.id}/revoke`)}>
        <p>{msg.web.sheets.revokeBody}</p>
        <div class="actions">
          <button type="submit" class="danger">
            {msg.web.sheets.revokeConfirm}
          </button>
          <a href={officePath(o, '/settings#tokens')}>{msg.web.sheets.cancel}</a>
        </div>
      </form>,
    );
  });

  app.post('/offices/:office/settings/tokens/:token/revoke', async (c) => {
    needMint(c);
    const o = await officeOf(c);
    const id = c.req.param('token');
    if (!isUuid(id)) throw new AppError('not_found', 'No such token');
    await revokeOfficeToken(c.var.deps.db, o.id, id, c.var.deps.now(), actorOf(c));
    return c.redirect(officePath(o, '/settings?revoked=1#tokens'), 303);
  });
}
