/** @jsxImportSource hono/jsx */
// What the office's own pages share (the office SAR's, the agencies'): the notice after a change and the alert over a
// refused form, the links between the office SAR's pages, the form's value and error maps, and the staff picker's
// search.
import type { Child } from 'hono/jsx';
import { actorOf } from '../../admin/auth.js';
import type { OfficeRow } from '../../admin/office.js';
import { audit } from '../../audit/audit.queries.js';
import type { Db } from '../../db/client.js';
import type { Role } from '../../db/schema.js';
import { findStaff } from '../../officesar/officesar.queries.js';
import type { PersonChoice } from './fields.js';
import { officePath, type Ctx } from './render.js';
import { roleLabel } from '../../i18n/th.js';
import { msg } from '../../i18n/msg.js';

export type Values = Record<string, string>;
export type Errors = Record<string, string>;

/** The notice after a change, and the alert over a refused form. */
export function Status(props: { saved: boolean; failed: boolean }): Child {
  return (
    <>
      {props.saved ? (
        <p role="status" class="notice">
          {msg.web.officeSar.saved}
        </p>
      ) : null}
      {props.failed ? (
        <p class="error" role="alert">
          {msg.web.officeSar.fixErrors}
        </p>
      ) : null}
    </>
  );
}

/** Links between the office SAR's pages. */
export function SarNav(props: { o: OfficeRow }): Child {
  return (
    <p class="actions">
      <a href={officePath(props.o, '/office-sar')}>{msg.web.officeSar.years}</a>
      <a href={officePath(props.o, '/office-sar/groups')}>{msg.web.officeSar.groups}</a>
      <a href={officePath(props.o, '/office-sar/standard')}>{msg.web.officeSar.standard}</a>
    </p>
  );
}

/** Matches a staff picker shows at once: a screenful; a longer list means the name should be typed further. */
export const PICK_LIMIT = 20;

/**
 * A picker's form values as its search sent them (the form sent as a GET to its own page, `who` the search text), or
 * undefined when the page was not opened by a search.
 */
export function searched(c: Ctx, fields: readonly string[]): Values | undefined {
  if (c.req.query('who') === undefined) return undefined;
  return Object.fromEntries([...fields, 'who'].map((k) => [k, c.req.query(k) ?? '']));
}

/** A row a picker's search finds. */
export interface PickRow {
  id: string;
  displayName: string;
  role: Role;
  externalId: string | null;
  schoolName?: string | null;
}

const staffByName = (db: Db, officeId: string, q: string, limit: number) => findStaff(db, officeId, { q }, limit);

/**
 * The people whose name or staff id holds `text` for a PersonPicker (null when nothing was typed): the office's staff
 * unless another finder is given. Reading names is reading personal data (PDPA): audited as the people list is,
 * with the form and the count, never the text.
 */
export async function pickStaff(
  c: Ctx,
  o: OfficeRow,
  text: string,
  form: string,
  find: (db: Db, officeId: string, q: string, limit: number) => Promise<PickRow[]> = staffByName,
): Promise<{ found: PersonChoice[] | null; more: boolean }> {
  const q = text.trim().slice(0, 100);
  if (q === '') return { found: null, more: false };
  const db = c.var.deps.db;
  const rows = await find(db, o.id, q, PICK_LIMIT + 1);
  const found = rows.slice(0, PICK_LIMIT).map((p) => ({
    id: p.id,
    displayName: p.displayName,
    detail: [roleLabel[p.role], p.schoolName, p.externalId].filter((x) => x != null && x !== '').join(' · '),
  }));
  await audit(db, {
    actor: actorOf(c),
    officeId: o.id,
    action: 'people.read',
    targetType: 'people',
    detail: { picker: form, search: true, rows: found.length },
  });
  return { found, more: rows.length > PICK_LIMIT };
}
