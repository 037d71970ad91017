/** @jsxImportSource hono/jsx */
// What the office's own pages share (the office SAR's, the agencies'): the notice after a change and the alert over a
// refused form, the links between the office SAR's pages, and the form's value and error maps.
import type { Child } from 'hono/jsx';
import type { OfficeRow } from '../../admin/office.js';
import { officePath } from './render.js';
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
