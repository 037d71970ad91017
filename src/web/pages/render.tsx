/** @jsxImportSource hono/jsx */
// What every page shares: the response headers and frame (page()), the office's paths, query strings, select
// options, and the guards that check the session's scope (src/admin/scope.ts) before a page reads anything.
import type { Context, Hono, MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { OfficeRow } from '../../admin/office.js';
import { can, scopeOf, type Capability, type Scope } from '../../admin/scope.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { percent } from '../../i18n/percent.js';
import { Layout, sectionsFor, type Section } from '../layout.js';
import { t } from '../web.th.js';

export type Ctx = Context<AppEnv>;

export const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | undefined =>
  list.find((x) => x === v);

/** The scope of the session that requireSession let in. */
export function scopeOfPage(c: Ctx): Scope {
  const p = c.var.admin;
  if (p === undefined) throw new Error('scopeOfPage outside requireSession');
  return scopeOf(p);
}

/** Refuses (403, nothing read) a request whose session's scope lacks `what`. */
export function need(c: Ctx, what: Capability): Scope {
  const scope = scopeOfPage(c);
  if (!can(scope, what)) throw new AppError('forbidden', `This session may not: ${what}`);
  return scope;
}

/** Guards a page and everything under it with a capability, before its handler reads anything. */
export function guard(app: Hono<AppEnv>, path: string, what: Capability): void {
  const mw: MiddlewareHandler<AppEnv> = async (c, next) => {
    need(c, what);
    await next();
  };
  app.use(`/offices/:office${path}`, mw);
  app.use(`/offices/:office${path}/*`, mw);
}

export function page(
  c: Ctx,
  opts: {
    title: string;
    office?: OfficeRow;
    active?: Section;
    status?: ContentfulStatusCode;
    signedIn?: boolean;
    /** A same-origin script file that enhances the page (a live count); the page works without it. */
    script?: string;
    /** The page shows evidence photos, served from this origin (the evidence route checks the scope). */
    images?: boolean;
  },
  body: Child,
) {
  // No inline script, frames, foreign images or foreign form targets on any page: a framed invite button cannot be
  // clickjacked, and injected markup (if escaping ever failed) could run nothing. Inline styles are the only
  // allowance; a page that asks for its script file may load scripts from this origin and fetch from it.
  const script = opts.script === undefined ? '' : "; script-src 'self'; connect-src 'self'";
  const images = opts.images === true ? "; img-src 'self'" : '';
  c.header(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'${script}${images}`,
  );
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'same-origin');
  c.header('X-Content-Type-Options', 'nosniff');
  // Pages hold names and, once, an invite code: nothing is kept in a shared or back-button cache.
  c.header('Cache-Control', 'no-store');
  const p = c.var.admin;
  return c.html(
    <Layout
      title={opts.title}
      signedIn={opts.signedIn ?? true}
      sections={p === undefined ? [] : sectionsFor(scopeOf(p), { officeGroup: c.var.officeGroup === true })}
      {...(opts.office === undefined ? {} : { office: opts.office })}
      {...(opts.active === undefined ? {} : { active: opts.active })}
      {...(opts.script === undefined ? {} : { script: opts.script })}
    >
      {body}
    </Layout>,
    opts.status ?? 200,
  );
}

export const officePath = (o: OfficeRow, rest = '') => `/admin/offices/${encodeURIComponent(o.code)}${rest}`;
export const apiPath = (o: OfficeRow, rest: string) => `/admin/api/v1/offices/${encodeURIComponent(o.code)}${rest}`;

export function queryString(q: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

export function Options<T extends string>(props: { values: readonly T[]; label: (v: T) => string; selected?: string }) {
  return (
    <>
      <option value="">{t.all}</option>
      {props.values.map((v) => (
        <option value={v} selected={props.selected === v}>
          {props.label(v)}
        </option>
      ))}
    </>
  );
}

export function Bar(props: { part: number; whole: number }): Child {
  const w = percent(props.part, props.whole);
  return (
    <span class="bar" aria-hidden="true">
      <span style={`width:${w}%`} />
    </span>
  );
}

/** The pager under a keyset-paged list: "first page" once past it, "next page" while more rows follow. */
export function Pager(props: { first?: string | undefined; next?: string | undefined }): Child {
  return (
    <nav class="pager" aria-label="หน้า / Pages">
      {props.first === undefined ? null : <a href={props.first}>{t.firstPage}</a>}
      {props.next === undefined ? null : (
        <a rel="next" href={props.next}>
          {t.nextPage}
        </a>
      )}
    </nav>
  );
}
