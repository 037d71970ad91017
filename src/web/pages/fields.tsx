/** @jsxImportSource hono/jsx */
// One labelled form field for the admin pages' forms: the label tied to the control, an optional hint, and the
// error shown beside the field and tied to it (aria-describedby, aria-invalid), so a screen reader reads the
// error with the field. The control itself is the caller's, given the attributes to spread on it.
import type { Child } from 'hono/jsx';
import { AppError, type FieldIssue } from '../../errors.js';
import type { SchoolOption, SupervisorOption } from '../web.queries.js';
import { msg } from '../../i18n/msg.js';

export interface FieldAttrs {
  id: string;
  name: string;
  'aria-describedby'?: string;
  'aria-invalid'?: 'true';
}

export function Field(props: {
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  control: (attrs: FieldAttrs) => Child;
}): Child {
  const { name, hint, error } = props;
  const ids = [hint === undefined ? null : `${name}-hint`, error === undefined ? null : `${name}-error`]
    .filter((x) => x !== null)
    .join(' ');
  const attrs: FieldAttrs = {
    id: name,
    name,
    ...(ids === '' ? {} : { 'aria-describedby': ids }),
    ...(error === undefined ? {} : { 'aria-invalid': 'true' as const }),
  };
  return (
    <div class="field">
      <label for={name}>{props.label}</label>
      {props.control(attrs)}
      {hint === undefined ? null : (
        <span id={`${name}-hint`} class="muted">
          {hint}
        </span>
      )}
      {error === undefined ? null : (
        <p id={`${name}-error`} class="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A choice among options: each `[value, label]`; `blank` is a first option with an empty value (none / choose one). */
export function SelectField(props: {
  name: string;
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  options: readonly (readonly [value: string, label: Child])[];
  value: string | undefined;
  blank?: string;
  required?: boolean;
}): Child {
  return (
    <Field
      name={props.name}
      label={props.label}
      hint={props.hint}
      error={props.error}
      control={(a) => (
        <select {...a} required={props.required === true}>
          {props.blank === undefined ? null : <option value="">{props.blank}</option>}
          {props.options.map(([value, label]) => (
            <option value={value} selected={props.value === value}>
              {label}
            </option>
          ))}
        </select>
      )}
    />
  );
}

/** The first field error per field of an action's refusal (AppError issues), keyed by field. */
export function errorsByField<F extends string>(
  issues: readonly { field: string }[],
  text: (field: string) => string | undefined,
): Partial<Record<F, string>> {
  const out: Partial<Record<string, string>> = {};
  for (const i of issues) {
    const field = i.field.split('.').at(-1) ?? i.field;
    const msg = text(field);
    if (msg !== undefined && out[field] === undefined) out[field] = msg;
  }
  return out;
}

/** The office's supervisors as a required choice (assignments and the visit plan pick one the same way). */
export function SupervisorField(props: {
  options: SupervisorOption[];
  value: string;
  error?: string | undefined;
}): Child {
  return (
    <SelectField
      name="supervisorId"
      label={msg.web.assignments.supervisor}
      error={props.error}
      options={props.options.map((s) => [s.id, s.display_name] as const)}
      value={props.value}
      blank={msg.web.assignments.chooseOne}
      required
    />
  );
}

/** The office's schools by name and code; required where a school must be named (the plan), optional where a
 * cluster may stand instead (assignments). */
export function SchoolField(props: {
  options: SchoolOption[];
  value: string;
  error?: string | undefined;
  required: boolean;
}): Child {
  return (
    <SelectField
      name="schoolCode"
      label={msg.web.assignments.school}
      error={props.error}
      options={props.options.map((s) => [s.code, `${s.name_th} (${s.code})`] as const)}
      value={props.value}
      blank={msg.web.assignments.chooseOne}
      required={props.required}
    />
  );
}

/** One person a picker offers: the name, and what tells namesakes apart (role, school or staff id). */
export interface PersonChoice {
  id: string;
  displayName: string;
  detail: string;
}

/**
 * One person chosen from an office's hundreds or thousands without listing them all: a search field (`who`) and a button
 * that sends the form as a GET to `action` (the same page, which shows the form again, its typed values kept from the
 * query, with at most a screenful of matches), then a radio per match. It works without JavaScript, and the page
 * carries no list until someone searches. The chosen id is still the caller's to check on the server.
 */
export function PersonPicker(props: {
  /** The chosen person's id field. */
  name: string;
  label: string;
  hint?: string | undefined;
  /** The page that shows this form with the search's results. */
  action: string;
  /** The search's matches (null before any search) and whether more matched than are shown. */
  pick: { found: PersonChoice[] | null; more: boolean };
  /** The form's values (the chosen id by `name`, the search text as `who`) and errors. */
  form: { values: Record<string, string>; errors: Record<string, string> };
}): Child {
  const { name, hint } = props;
  const { found, more } = props.pick;
  const error = props.form.errors[name];
  const value = props.form.values[name];
  const described = [hint === undefined ? null : `${name}-hint`, error === undefined ? null : `${name}-error`]
    .filter((x) => x !== null)
    .join(' ');
  return (
    <fieldset class="picker" id={`${name}-picker`} {...(described === '' ? {} : { 'aria-describedby': described })}>
      <legend>{props.label}</legend>
      {hint === undefined ? null : (
        <p id={`${name}-hint`} class="muted">
          {hint}
        </p>
      )}
      <div class="actions">
        <label for={`${name}-find`}>{msg.web.people.pickFind}</label>
        <input type="search" id={`${name}-find`} name="who" value={props.form.values.who ?? ''} maxlength={100} />
        <button type="submit" formmethod="get" formaction={props.action} formnovalidate>
          {msg.web.people.pickSearch}
        </button>
      </div>
      {found === null ? (
        <p class="muted">{msg.web.people.pickStart}</p>
      ) : found.length === 0 ? (
        <p>{msg.web.people.pickNone}</p>
      ) : (
        found.map((p, i) => (
          <label class="choice">
            <input
              type="radio"
              name={name}
              value={p.id}
              checked={value === p.id}
              required
              {...(i === 0 ? { id: name } : {})}
              {...(error === undefined ? {} : { 'aria-invalid': 'true' })}
            />{' '}
            {p.displayName} <span class="muted">{p.detail}</span>
          </label>
        ))
      )}
      {more && found !== null ? <p class="muted">{msg.web.people.pickMore(found.length)}</p> : null}
      {error === undefined ? null : (
        <p id={`${name}-error`} class="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** Runs an action; a refusal with field issues becomes the form again (400) with each error beside its field. */
export async function orFormErrors<T>(run: () => Promise<T>): Promise<{ ok: T } | { issues: FieldIssue[] }> {
  try {
    return { ok: await run() };
  } catch (err) {
    if (err instanceof AppError && err.code === 'invalid_request' && err.issues.length > 0) {
      return { issues: err.issues };
    }
    throw err;
  }
}

export function zodIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): FieldIssue[] {
  return error.issues.map((i) => ({ field: i.path.map(String).join('.'), message: i.message }));
}

type FormMaps = { values: Record<string, string>; errors: Record<string, string> };

/** A one-line input whose value and error come from the form's maps, by its name. */
export function TextField(
  props: FormMaps & {
    name: string;
    label: string;
    max?: number;
    type?: 'text' | 'date' | 'url' | 'number';
    hint?: string;
  },
): Child {
  return (
    <Field
      name={props.name}
      label={props.label}
      hint={props.hint}
      error={props.errors[props.name]}
      control={(a) => (
        <input
          {...a}
          type={props.type ?? 'text'}
          maxlength={props.type === 'date' || props.type === 'number' ? undefined : props.max}
          value={props.values[props.name] ?? ''}
        />
      )}
    />
  );
}

/** A multi-line text whose value and error come from the form's maps, by its name. */
export function TextArea(props: FormMaps & { name: string; label: string; max: number; rows?: number }): Child {
  return (
    <Field
      name={props.name}
      label={props.label}
      error={props.errors[props.name]}
      control={(a) => (
        <textarea {...a} rows={props.rows ?? 4} maxlength={props.max}>
          {props.values[props.name] ?? ''}
        </textarea>
      )}
    />
  );
}

/** A quality level 1–5 (5 first), with an empty choice first. */
export function LevelField(
  props: FormMaps & { name: string; label: string; choose: string; required?: boolean },
): Child {
  return (
    <SelectField
      name={props.name}
      label={props.label}
      error={props.errors[props.name]}
      options={['5', '4', '3', '2', '1'].map((n) => [n, n] as const)}
      value={props.values[props.name]}
      blank={props.choose}
      required={props.required === true}
    />
  );
}
