/** @jsxImportSource hono/jsx */
// The office standard (issue 16 item 2, seed 003): its standards and indicators, each with lead and co-host groups,
// target, target level and outputs; what the manual leaves unsaid is shown as such until the office fills it in.
// Editing an indicator saves a new version of the whole definition (SARs already started keep theirs), through
// src/officesar/officesar.actions.ts as the API does. Under the office SAR's guard (office-sar.tsx).
import type { Hono } from 'hono';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { can } from '../../admin/scope.js';
import { actionCtx } from '../../committee/committee.actions.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { currentStandard, saveIndicator } from '../../officesar/officesar.actions.js';
import { listGroups } from '../../officesar/officesar.queries.js';
import type { Indicator } from '../../officesar/standard.js';
import { formBody } from '../session.js';
import { Field, LevelField, SelectField, TextArea, TextField } from './fields.js';
import { SarNav, Status, type Errors, type Values } from './office-parts.js';
import { officePath, page, scopeOfPage, type Ctx } from './render.js';
import { msg } from '../../i18n/msg.js';

async function standardPage(c: Ctx, o: OfficeRow) {
  const write = can(scopeOfPage(c), 'office.write');
  const db = c.var.deps.db;
  const [std, groups] = await Promise.all([currentStandard({ db, officeId: o.id }), listGroups(db, o.id)]);
  const name = new Map(groups.map((g) => [g.code, g.nameTh]));
  const groupTh = (code: string) => name.get(code) ?? code;
  return page(
    c,
    { title: msg.web.officeSar.standard, office: o, active: 'office-sar' },
    <>
      <SarNav o={o} />
      <Status saved={c.req.query('saved') === '1'} failed={false} />
      <p data-figure="version">
        {std.builtIn ? msg.web.officeSar.builtIn : `${msg.web.officeSar.version} ${std.version}`}
      </p>
      <h2>{msg.web.officeSar.standards}</h2>
      <ol>
        {std.definition.standards.map((s) => (
          <li value={s.no}>{s.titleTh}</li>
        ))}
      </ol>
      <h2>{msg.web.officeSar.indicators}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{msg.web.officeSar.indicator}</th>
            <th scope="col">{msg.web.officeSar.standardNo}</th>
            <th scope="col">{msg.web.officeSar.lead}</th>
            <th scope="col">{msg.web.officeSar.coHosts}</th>
            <th scope="col">{msg.web.officeSar.target}</th>
            <th scope="col">{msg.web.officeSar.outputs}</th>
            <th scope="col">{msg.web.officeSar.unsaid}</th>
          </tr>
        </thead>
        <tbody>
          {std.definition.indicators.map((i) => (
            <tr data-indicator={i.code}>
              <td>
                {i.code} {i.titleTh ?? msg.web.officeSar.notSaid}
                {write ? (
                  <>
                    {' '}
                    <a href={officePath(o, `/office-sar/standard/indicators/${encodeURIComponent(i.code)}`)}>
                      {msg.web.officeSar.edit}
                    </a>
                  </>
                ) : null}
              </td>
              <td>{i.standard === 0 ? msg.web.officeSar.notSaid : i.standard}</td>
              <td>{i.leadGroup === null ? '—' : groupTh(i.leadGroup)}</td>
              <td>{i.coGroups.map(groupTh).join(', ') || '—'}</td>
              <td>
                {i.targetTh ?? msg.web.officeSar.notSaid} ({i.targetLevel ?? '—'})
              </td>
              <td>{i.outputsTh ?? msg.web.officeSar.notSaid}</td>
              <td data-cell="unsaid">{i.unspecified.join(' ') || '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>,
  );
}

async function indicatorPage(c: Ctx, o: OfficeRow, form?: { values: Values; co: string[]; errors: Errors }) {
  const db = c.var.deps.db;
  const [std, groups] = await Promise.all([currentStandard({ db, officeId: o.id }), listGroups(db, o.id)]);
  const i = std.definition.indicators.find((x) => x.code === c.req.param('code'));
  if (i === undefined) throw new AppError('not_found', 'No such indicator');
  const values: Values = form?.values ?? {
    titleTh: i.titleTh ?? '',
    standard: String(i.standard),
    leadGroup: i.leadGroup ?? '',
    targetTh: i.targetTh ?? '',
    targetLevel: i.targetLevel === null ? '' : String(i.targetLevel),
    outputsTh: i.outputsTh ?? '',
  };
  const co = new Set(form?.co ?? i.coGroups);
  const errors = form?.errors ?? {};
  return page(
    c,
    { title: msg.web.officeSar.editTitle(i.code), office: o, active: 'office-sar', ...(form ? { status: 400 } : {}) },
    <>
      <p>
        <a href={officePath(o, '/office-sar/standard')}>← {msg.web.officeSar.standard}</a>
      </p>
      <Status saved={false} failed={form !== undefined} />
      <p class="muted">{msg.web.officeSar.editHint}</p>
      {i.unspecified.length === 0 ? null : <p class="notice">{i.unspecified.join(' ')}</p>}
      <form
        method="post"
        action={officePath(o, `/office-sar/standard/indicators/${encodeURIComponent(i.code)}`)}
        class="stack"
        novalidate
      >
        <TextField name="titleTh" label={msg.web.officeSar.indicatorTitle} max={500} values={values} errors={errors} />
        <Field
          name="standard"
          label={msg.web.officeSar.standardNo}
          error={errors.standard}
          control={(a) => (
            <select {...a}>
              <option value="0">{msg.web.officeSar.standardNone}</option>
              {std.definition.standards.map((s) => (
                <option value={String(s.no)} selected={values.standard === String(s.no)}>
                  {s.no}. {s.titleTh.slice(0, 80)}
                </option>
              ))}
            </select>
          )}
        />
        <SelectField
          name="leadGroup"
          label={msg.web.officeSar.lead}
          error={errors.leadGroup}
          options={groups.map((g) => [g.code, g.nameTh] as const)}
          value={values.leadGroup}
          blank={msg.web.officeSar.chooseOne}
        />
        <fieldset>
          <legend>{msg.web.officeSar.coHosts}</legend>
          {groups.map((g) => (
            <label class="check">
              <input type="checkbox" name="coGroups" value={g.code} checked={co.has(g.code)} /> {g.nameTh}
            </label>
          ))}
          {errors.coGroups === undefined ? null : <p class="field-error">{errors.coGroups}</p>}
        </fieldset>
        <TextField name="targetTh" label={msg.web.officeSar.target} max={500} values={values} errors={errors} />
        <LevelField
          name="targetLevel"
          label={msg.web.officeSar.targetLevel}
          choose={msg.web.officeSar.chooseOne}
          values={values}
          errors={errors}
        />
        <TextArea name="outputsTh" label={msg.web.officeSar.outputs} max={2000} values={values} errors={errors} />
        <button type="submit">{msg.web.officeSar.save}</button>
      </form>
    </>,
  );
}

export function officeStandardPages(app: Hono<AppEnv>): void {
  app.get('/offices/:office/office-sar/standard', async (c) => standardPage(c, await officeOf(c)));

  app.get('/offices/:office/office-sar/standard/indicators/:code', async (c) => indicatorPage(c, await officeOf(c)));

  app.post('/offices/:office/office-sar/standard/indicators/:code', async (c) => {
    const o = await officeOf(c);
    const f = await formBody(c);
    const values: Values = Object.fromEntries(
      ['titleTh', 'standard', 'leadGroup', 'targetTh', 'targetLevel', 'outputsTh'].map((k) => [
        k,
        (f.get(k) ?? '').trim(),
      ]),
    );
    const co = f.getAll('coGroups');
    const errors: Errors = {};
    const orNull = (v: string | undefined) => (v === undefined || v === '' ? null : v);
    const limits: [string, number][] = [
      ['titleTh', 500],
      ['targetTh', 500],
      ['outputsTh', 2000],
    ];
    for (const [k, max] of limits) if ((values[k] ?? '').length > max) errors[k] = msg.web.officeSar.errTooLong;
    if (!/^\d{1,2}$/.test(values.standard ?? '')) errors.standard = msg.web.officeSar.errStandard;
    if (!/^[1-5]?$/.test(values.targetLevel ?? '')) errors.targetLevel = msg.web.officeSar.errLevel;
    const fields: Omit<Indicator, 'code' | 'unspecified'> = {
      titleTh: orNull(values.titleTh),
      standard: Number(values.standard),
      leadGroup: orNull(values.leadGroup),
      coGroups: co.filter((g) => g !== values.leadGroup),
      targetTh: orNull(values.targetTh),
      targetLevel: values.targetLevel === '' ? null : Number(values.targetLevel),
      outputsTh: orNull(values.outputsTh),
    };
    if (Object.keys(errors).length > 0) return indicatorPage(c, o, { values, co, errors });
    try {
      await saveIndicator(actionCtx(c, o.id), c.req.param('code'), fields);
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'invalid_request') throw e;
      const refused: Errors = {};
      for (const i of e.issues) refused[i.field] ??= i.message;
      return indicatorPage(c, o, { values, co, errors: refused });
    }
    return c.redirect(officePath(o, '/office-sar/standard?saved=1'), 303);
  });
}
