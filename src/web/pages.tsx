/** @jsxImportSource hono/jsx */
// Web admin pages, server-rendered with Hono JSX and mounted at /admin (after the API at /admin/api/v1), for the
// supervision group's secretary and the office's admin staff: sign-in, an office dashboard, people and invites,
// campaigns, export links, PDPA requests and the audit log. No script: links and forms only. The guards are registered per path,
// never on '*', because a '*' here would also sit in front of the API's own paths under /admin.
import type { Context } from 'hono';
import { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { actorOf, ADMIN_COOKIE, adminToken, sessionPrincipal } from '../admin/auth.js';
import { audit } from '../admin/admin.queries.js';
import { listOfficesPage } from '../admin/org.queries.js';
import { officeOf, type OfficeRow } from '../admin/office.js';
import { personStatuses, roles, type PersonStatus, type Role } from '../db/schema.js';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { errorFields } from '../log.js';
import { roleLabel } from '../i18n/th.js';
import { issueInvites } from '../onboarding/invites.js';
import { thaiShortDate } from '../time/thai.js';
import { Layout, type Section } from './layout.js';
import { attemptSignIn, formBody, requireSession, sameOrigin, signOut } from './session.js';
import { signinLinkRoutes } from './signin.js';
import { st } from './signin.th.js';
import {
  auditActions,
  auditPage,
  campaignCompletion,
  invitablePerson,
  officeHealth,
  pdpaPage,
  peoplePage,
  schoolOptions,
  type CampaignCompletionRow,
  type PdpaRequestRow,
} from './web.queries.js';
import { num, pct, statusLabel, t, thaiAge, thaiDateTime } from './web.th.js';
import { uuidOrUndefined } from '../ids/uuid.js';

export const PEOPLE_PAGE_SIZE = 50;
export const AUDIT_PAGE_SIZE = 50;
export const PDPA_PAGE_SIZE = 50;
/** Days a web-issued invite stays valid, as the API's default. */
const INVITE_DAYS = 30;

const oneOf = <T extends string>(list: readonly T[], v: string | undefined): T | undefined => list.find((x) => x === v);

type Ctx = Context<AppEnv>;

function page(
  c: Ctx,
  opts: { title: string; office?: OfficeRow; active?: Section; status?: ContentfulStatusCode; signedIn?: boolean },
  body: Child,
) {
  // No script, frames, images or foreign form targets on any page: a framed invite button cannot be clickjacked,
  // and injected markup (if escaping ever failed) could run nothing. Inline styles are the only allowance.
  c.header(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  );
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'same-origin');
  c.header('X-Content-Type-Options', 'nosniff');
  // Pages hold names and, once, an invite code: nothing is kept in a shared or back-button cache.
  c.header('Cache-Control', 'no-store');
  return c.html(
    <Layout
      title={opts.title}
      signedIn={opts.signedIn ?? true}
      {...(opts.office === undefined ? {} : { office: opts.office })}
      {...(opts.active === undefined ? {} : { active: opts.active })}
    >
      {body}
    </Layout>,
    opts.status ?? 200,
  );
}

const officePath = (o: OfficeRow, rest = '') => `/admin/offices/${encodeURIComponent(o.code)}${rest}`;
const apiPath = (o: OfficeRow, rest: string) => `/admin/api/v1/offices/${encodeURIComponent(o.code)}${rest}`;

function SignInForm(props: { error: boolean; retryAfterSeconds?: number }): Child {
  return (
    <form method="post" action="/admin/login">
      <p class="muted">{t.signInTitleEn}</p>
      <p class="muted">{st.formHint}</p>
      {props.retryAfterSeconds !== undefined ? (
        <p class="error" role="alert">
          {t.tooManyTries(Math.ceil(props.retryAfterSeconds / 60))}
          <br />
          {t.tooManyTriesEn}
        </p>
      ) : props.error ? (
        <p class="error" role="alert">
          {t.wrongToken}
          <br />
          {t.wrongTokenEn}
        </p>
      ) : null}
      <p>
        <label for="token">{t.tokenLabel}</label>
        <br />
        <input id="token" name="token" type="password" autocomplete="current-password" required size={40} />
      </p>
      <button type="submit">{t.signIn}</button>
    </form>
  );
}

// ── Dashboard ──

function Bar(props: { part: number; whole: number }): Child {
  const w = props.whole === 0 ? 0 : Math.min(100, Math.round((props.part / props.whole) * 100));
  return (
    <span class="bar" aria-hidden="true">
      <span style={`width:${w}%`} />
    </span>
  );
}

const overdueOf = (c: CampaignCompletionRow, now: number) =>
  c.due_ms < now ? Math.max(0, c.expected - c.submitted) : 0;

function CompletionTable(props: { rows: CampaignCompletionRow[]; now: number; tz: string }): Child {
  if (props.rows.length === 0) return <p>{t.noOpenCampaigns}</p>;
  return (
    <table>
      <caption>{t.completion}</caption>
      <thead>
        <tr>
          <th scope="col">{t.campaign}</th>
          <th scope="col">{t.due}</th>
          <th scope="col">{t.submitted}</th>
          <th scope="col">{t.expected}</th>
          <th scope="col">{t.percent}</th>
          <th scope="col">{t.overdue}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((c) => (
          <tr data-campaign={c.id}>
            <th scope="row">{c.title_th}</th>
            <td>{thaiShortDate(c.due_ms, props.tz)}</td>
            <td class="n" data-figure="submitted">
              {num(c.submitted)}
            </td>
            <td class="n" data-figure="expected">
              {num(c.expected)}
            </td>
            <td class="n" data-figure="percent">
              {pct(c.submitted, c.expected)}
              <Bar part={c.submitted} whole={c.expected} />
            </td>
            <td class="n" data-figure="overdue">
              {num(overdueOf(c, props.now))}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// ── PDPA requests ──

/** Against the kind's limit: day 90 of an erasure is the last day in time, so one answered (or open) 91 days is late. */
function pdpaStatus(r: PdpaRequestRow): string {
  if (r.days > r.limit_days) return r.completed_ms === null ? `${t.late} · ${t.openFor(r.days)}` : t.late;
  return r.completed_ms === null ? t.openFor(r.days) : t.onTime;
}

function PdpaFigures(props: { open: number; overdue: number; late?: number }): Child {
  return (
    <dl class="figures">
      <dt>{t.pdpaOpen}</dt>
      <dd data-figure="pdpa-open">{num(props.open)}</dd>
      <dt>{t.pdpaOverdue}</dt>
      <dd data-figure="pdpa-overdue" class={props.overdue > 0 ? 'error' : undefined}>
        {num(props.overdue)}
      </dd>
      {props.late === undefined ? null : (
        <>
          <dt>{t.pdpaLate}</dt>
          <dd data-figure="pdpa-late">{num(props.late)}</dd>
        </>
      )}
    </dl>
  );
}

// ── People ──

interface PeopleQuery {
  role: Role | undefined;
  schoolId: string | undefined;
  status: PersonStatus | undefined;
  search: string | undefined;
  after: string | undefined;
}

function peopleQuery(c: Ctx): PeopleQuery {
  const search = c.req.query('q')?.trim().slice(0, 100);
  return {
    role: oneOf(roles, c.req.query('role')),
    schoolId: uuidOrUndefined(c.req.query('school')),
    status: oneOf(personStatuses, c.req.query('status')),
    search: search === '' ? undefined : search,
    after: uuidOrUndefined(c.req.query('after')),
  };
}

function queryString(q: Record<string, string | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== '') p.set(k, v);
  const s = p.toString();
  return s === '' ? '' : `?${s}`;
}

function Options<T extends string>(props: { values: readonly T[]; label: (v: T) => string; selected?: string }) {
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

// ── Routes ──

export function adminPages() {
  const app = new Hono<AppEnv>();

  for (const path of ['/login', '/logout', '/offices/*']) app.use(path, sameOrigin);
  app.use('/offices', requireSession);
  app.use('/offices/*', requireSession);
  signinLinkRoutes(app);

  app.get('/', async (c) => {
    adminToken(c); // without ADMIN_TOKEN there is no sign-in form: a 404, as for the API
    if ((await sessionPrincipal(c)) !== undefined) return c.redirect('/admin/offices', 303);
    return page(c, { title: t.signInTitle, signedIn: false }, <SignInForm error={false} />);
  });

  app.post('/login', async (c) => {
    const token = (await formBody(c)).get('token') ?? '';
    const result = await attemptSignIn(c, token);
    if (result.ok) return c.redirect('/admin/offices', 303);
    if (result.retryAfterSeconds !== undefined) {
      c.header('Retry-After', String(result.retryAfterSeconds));
      return page(
        c,
        { title: t.signInTitle, status: 429, signedIn: false },
        <SignInForm error={true} retryAfterSeconds={result.retryAfterSeconds} />,
      );
    }
    return page(c, { title: t.signInTitle, status: 401, signedIn: false }, <SignInForm error={true} />);
  });

  app.post('/logout', async (c) => {
    await signOut(c);
    return c.redirect('/admin', 303);
  });

  app.get('/offices', async (c) => {
    // Every office fits one page: a deployment serves at most the ~245 offices of the country. An office's own
    // token or person sees its office only, and goes straight to it.
    const admin = c.var.admin;
    const only = admin === undefined || admin.kind === 'deployment' ? undefined : admin.officeId;
    const offices = await listOfficesPage(c.var.deps.db, null, 1000, only);
    const own = offices[0];
    if (only !== undefined && own !== undefined)
      return c.redirect(`/admin/offices/${encodeURIComponent(own.code)}`, 303);
    return page(
      c,
      { title: t.offices },
      offices.length === 0 ? (
        <p>{t.noOffices}</p>
      ) : (
        <ul>
          {offices.map((o) => (
            <li>
              <a href={`/admin/offices/${encodeURIComponent(o.code)}`}>{o.nameTh}</a>{' '}
              <span class="muted">({o.code})</span>
            </li>
          ))}
        </ul>
      ),
    );
  });

  app.get('/offices/:office', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const at = now();
    const [open, health] = await Promise.all([campaignCompletion(db, o.id, at, true), officeHealth(db, o.id, at)]);
    if (health === undefined) throw new AppError('not_found', 'Unknown office');
    const tz = health.time_zone;
    return page(
      c,
      { title: t.dashboard, office: o, active: 'dashboard' },
      <>
        <CompletionTable rows={open} now={at} tz={tz} />
        <h2>{t.visits}</h2>
        <dl class="figures">
          <dt>{t.visitedThisTerm}</dt>
          <dd data-figure="visited">
            {health.schools_visited === null ? (
              t.noTerm
            ) : (
              <>
                {num(health.schools_visited)} / {num(health.schools_with_main)} (
                {pct(health.schools_visited, health.schools_with_main)}) · ภาคเรียนที่ {health.term}/{health.term_year}
              </>
            )}
          </dd>
          <dt>{t.schoolsWithMain}</dt>
          <dd data-figure="with-main">{num(health.schools_with_main)}</dd>
          <dt>{t.plannedNext14}</dt>
          <dd data-figure="planned-14">{num(health.planned_next_14)}</dd>
        </dl>
        <h2>{t.outbox}</h2>
        <dl class="figures">
          <dt>{t.pending}</dt>
          <dd data-figure="pending">{num(health.outbox_pending)}</dd>
          <dt>{t.dead}</dt>
          <dd data-figure="dead">{num(health.outbox_dead)}</dd>
          <dt>{t.oldestPending}</dt>
          <dd data-figure="oldest-pending">
            {health.oldest_pending_ms === null ? '–' : thaiAge(at - health.oldest_pending_ms)}
          </dd>
          <dt>{t.sentToday}</dt>
          <dd data-figure="sent-today">{num(health.sent_today)}</dd>
          <dt>{t.pushes}</dt>
          <dd data-figure="pushes">
            {num(health.pushes)} / {health.push_quota === null ? t.quotaUnknown : num(health.push_quota)}
            {health.push_quota === null ? null : <Bar part={health.pushes} whole={health.push_quota} />}
          </dd>
          {health.paused_until_ms === null ? null : (
            <>
              <dt>{t.pausedUntil}</dt>
              <dd>{thaiDateTime(health.paused_until_ms, tz)}</dd>
            </>
          )}
        </dl>
        <h2>
          <a href={officePath(o, '/pdpa')}>{t.pdpa}</a>
        </h2>
        <PdpaFigures open={health.pdpa_open} overdue={health.pdpa_overdue} />
      </>,
    );
  });

  app.get('/offices/:office/people', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const q = peopleQuery(c);
    const [rows, schools] = await Promise.all([
      peoplePage(db, o.id, q, now(), PEOPLE_PAGE_SIZE),
      schoolOptions(db, o.id),
    ]);
    const shown = rows.slice(0, PEOPLE_PAGE_SIZE);
    const more = rows.length > PEOPLE_PAGE_SIZE;
    // Reading names is reading personal data (PDPA): audited with the filters, never the search text itself.
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'people.read',
      targetType: 'people',
      detail: {
        role: q.role ?? null,
        school: q.schoolId ?? null,
        status: q.status ?? null,
        search: q.search !== undefined,
        page: q.after === undefined ? 'first' : 'next',
        rows: shown.length,
      },
    });
    const filters = { role: q.role, school: q.schoolId, status: q.status, q: q.search };
    const tz = 'Asia/Bangkok';
    return page(
      c,
      { title: t.people, office: o, active: 'people' },
      <>
        <form class="filters" method="get" action={officePath(o, '/people')}>
          <label>
            {t.role}
            <select name="role">
              <Options values={roles} label={(r) => roleLabel[r]} {...(q.role ? { selected: q.role } : {})} />
            </select>
          </label>
          <label>
            {t.school}
            <select name="school">
              <option value="">{t.all}</option>
              {schools.map((s) => (
                <option value={s.id} selected={q.schoolId === s.id}>
                  {s.name_th}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t.status}
            <select name="status">
              <Options
                values={personStatuses}
                label={(s) => statusLabel[s]}
                {...(q.status ? { selected: q.status } : {})}
              />
            </select>
          </label>
          <label>
            {t.search}
            <input type="search" name="q" value={q.search ?? ''} maxlength={100} />
          </label>
          <button type="submit">{t.filter}</button>
        </form>
        {shown.length === 0 ? (
          <p>{t.noPeople}</p>
        ) : (
          <table>
            <caption>{t.people}</caption>
            <thead>
              <tr>
                <th scope="col">{t.name}</th>
                <th scope="col">{t.role}</th>
                <th scope="col">{t.school}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.line}</th>
                <th scope="col">{t.invite}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr data-person={p.id}>
                  <th scope="row">
                    {p.display_name}
                    {p.external_id === null ? null : <div class="muted">{p.external_id}</div>}
                  </th>
                  <td>{roleLabel[p.role]}</td>
                  <td>{p.school_name ?? '–'}</td>
                  <td>{statusLabel[p.status]}</td>
                  <td data-figure="linked">
                    {p.linked ? (
                      <>
                        {t.linked}
                        {p.linked_ms === null ? null : <div class="muted">{thaiShortDate(p.linked_ms, tz)}</div>}
                      </>
                    ) : (
                      t.notLinked
                    )}
                  </td>
                  <td>
                    {p.invite_expires_ms === null ? null : (
                      <div class="muted">
                        {t.inviteUntil} {thaiShortDate(p.invite_expires_ms, tz)}
                      </div>
                    )}
                    {p.status === 'erased' ? null : (
                      <form method="post" action={officePath(o, `/people/${p.id}/invite`)}>
                        <button type="submit" aria-label={`${t.issueInvite}: ${p.display_name}`}>
                          {t.issueInvite}
                        </button>
                      </form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav class="pager" aria-label="หน้า / Pages">
          {q.after === undefined ? null : <a href={officePath(o, `/people${queryString(filters)}`)}>{t.firstPage}</a>}
          {more ? (
            <a
              rel="next"
              href={officePath(o, `/people${queryString({ ...filters, after: shown[shown.length - 1]?.id })}`)}
            >
              {t.nextPage}
            </a>
          ) : null}
        </nav>
      </>,
    );
  });

  app.post('/offices/:office/people/:person/invite', async (c) => {
    const o = await officeOf(c);
    const id = uuidOrUndefined(c.req.param('person'));
    const { db, now } = c.var.deps;
    const person = id === undefined ? undefined : await invitablePerson(db, o.id, id);
    if (person === undefined) throw new AppError('not_found', 'Unknown person');
    // The invite and its audit row commit together.
    const [invite] = await db.transaction(async (tx) => {
      const issued = await issueInvites(tx, o.id, [person.id], now(), INVITE_DAYS);
      if (issued.length === 0) throw new AppError('conflict', 'No invite was issued');
      await audit(tx, {
        actor: actorOf(c),
        officeId: o.id,
        action: 'invites.issue',
        targetType: 'person',
        targetId: person.id,
      });
      return issued;
    });
    if (invite === undefined) throw new AppError('conflict', 'No invite was issued');
    // The plain code exists only in this response (page() marks it no-store): it is never shown again.
    return page(
      c,
      { title: t.inviteIssued, office: o, active: 'people' },
      <>
        <p>
          {person.display_name}:{' '}
          <output class="code" data-figure="invite-code">
            {invite.code}
          </output>
        </p>
        <p>
          {t.expires}: {thaiShortDate(Date.parse(invite.expiresAt))}
        </p>
        <p>{t.inviteOnce}</p>
        <p>
          <a href={officePath(o, '/people')}>{t.backToPeople}</a>
        </p>
      </>,
    );
  });

  app.get('/offices/:office/campaigns', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const at = now();
    const rows = await campaignCompletion(db, o.id, at, false);
    const status = (r: CampaignCompletionRow) =>
      r.closed_ms !== null && r.closed_ms <= at
        ? t.closed
        : r.opens_ms > at
          ? t.notYetOpen
          : r.due_ms < at
            ? t.pastDue
            : t.open;
    return page(
      c,
      { title: t.campaigns, office: o, active: 'campaigns' },
      rows.length === 0 ? (
        <p>{t.noCampaigns}</p>
      ) : (
        <table>
          <caption>{t.campaigns}</caption>
          <thead>
            <tr>
              <th scope="col">{t.campaign}</th>
              <th scope="col">{t.checklist}</th>
              <th scope="col">{t.audience}</th>
              <th scope="col">{t.dates}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{t.completion}</th>
              <th scope="col">{t.exports}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-campaign={r.id}>
                <th scope="row">{r.title_th}</th>
                <td>
                  {r.checklist_title}
                  <div class="muted">
                    {r.checklist_key} v{r.checklist_version}
                  </div>
                </td>
                <td>
                  {r.roles
                    .map((x) => oneOf(roles, x))
                    .map((x) => (x === undefined ? '' : roleLabel[x]))
                    .join(', ')}
                  <div class="muted">
                    {r.school_count === 0 && r.cluster_count === 0
                      ? 'ทุกโรงเรียน / all schools'
                      : `${r.school_count} โรงเรียน, ${r.cluster_count} กลุ่มโรงเรียน / schools, clusters`}
                  </div>
                </td>
                <td>
                  {thaiShortDate(r.opens_ms)} – {thaiShortDate(r.due_ms)}
                </td>
                <td>{status(r)}</td>
                <td class="n" data-figure="completion">
                  {num(r.submitted)} / {num(r.expected)} ({pct(r.submitted, r.expected)})
                </td>
                <td>
                  <a href={officePath(o, `/exports#c-${r.id}`)}>{t.exportLinks}</a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ),
    );
  });

  app.get('/offices/:office/exports', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const rows = await campaignCompletion(db, o.id, now(), false);
    const links = (path: string, campaign?: string) => (
      <>
        {(['csv', 'xlsx'] as const).map((format, i) => (
          <>
            {i === 0 ? null : ' · '}
            <a href={apiPath(o, `${path}${queryString({ campaign, format })}`)} download>
              {format.toUpperCase()}
            </a>
          </>
        ))}
      </>
    );
    return page(
      c,
      { title: t.exports, office: o, active: 'exports' },
      <>
        <p class="muted">{t.exportsNote}</p>
        <h2>{t.visitLog}</h2>
        <p data-export="visits">{links('/exports/visits')}</p>
        <h2>{t.campaigns}</h2>
        {rows.length === 0 ? (
          <p>{t.noCampaigns}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t.campaign}</th>
                <th scope="col">{t.responses}</th>
                <th scope="col">{t.completionExport}</th>
                <th scope="col">{t.sar}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr id={`c-${r.id}`} data-campaign={r.id}>
                  <th scope="row">{r.title_th}</th>
                  <td>{links('/exports/responses', r.id)}</td>
                  <td>{links('/exports/completion', r.id)}</td>
                  {/* The SAR synthesis reads the standards of a SAR checklist; other checklists have none. */}
                  <td>{r.checklist_key.startsWith('sar') ? links('/exports/sar', r.id) : '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </>,
    );
  });

  app.get('/offices/:office/audit', async (c) => {
    const o = await officeOf(c);
    const db = c.var.deps.db;
    const actionParam = c.req.query('action')?.trim();
    const beforeParam = Number(c.req.query('before'));
    const before = Number.isSafeInteger(beforeParam) && beforeParam > 0 ? beforeParam : undefined;
    const actions = await auditActions(db, o.id);
    const action = actions.find((a) => a === actionParam);
    const rows = await auditPage(db, o.id, { action, before }, AUDIT_PAGE_SIZE);
    const shown = rows.slice(0, AUDIT_PAGE_SIZE);
    const last = shown[shown.length - 1];
    const tz = 'Asia/Bangkok';
    return page(
      c,
      { title: t.audit, office: o, active: 'audit' },
      <>
        <form class="filters" method="get" action={officePath(o, '/audit')}>
          <label>
            {t.action}
            <select name="action">
              <Options values={actions} label={(a) => a} {...(action ? { selected: action } : {})} />
            </select>
          </label>
          <button type="submit">{t.filter}</button>
        </form>
        {shown.length === 0 ? (
          <p>{t.noAudit}</p>
        ) : (
          <table>
            <caption>{t.audit}</caption>
            <thead>
              <tr>
                <th scope="col">{t.time}</th>
                <th scope="col">{t.action}</th>
                <th scope="col">{t.actor}</th>
                <th scope="col">{t.target}</th>
                <th scope="col">{t.detail}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr data-audit={String(r.id)}>
                  <td>{thaiDateTime(r.at_ms, tz)}</td>
                  <td data-figure="action">{r.action}</td>
                  <td>{r.actor_name ?? r.actor}</td>
                  <td>{r.target_type === null ? '–' : `${r.target_type} ${r.target_id ?? ''}`.trim()}</td>
                  <td>
                    <code>{r.detail === null ? '' : JSON.stringify(r.detail)}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav class="pager" aria-label="หน้า / Pages">
          {before === undefined ? null : <a href={officePath(o, `/audit${queryString({ action })}`)}>{t.firstPage}</a>}
          {rows.length > AUDIT_PAGE_SIZE && last !== undefined ? (
            <a rel="next" href={officePath(o, `/audit${queryString({ action, before: String(last.id) })}`)}>
              {t.nextPage}
            </a>
          ) : null}
        </nav>
      </>,
    );
  });

  app.get('/offices/:office/pdpa', async (c) => {
    const o = await officeOf(c);
    const { db, now } = c.var.deps;
    const at = now();
    const beforeParam = Number(c.req.query('before'));
    const before = Number.isSafeInteger(beforeParam) && beforeParam > 0 ? beforeParam : undefined;
    const { tally, rows } = await pdpaPage(db, o.id, { before }, at, PDPA_PAGE_SIZE);
    const shown = rows.slice(0, PDPA_PAGE_SIZE);
    const last = shown[shown.length - 1];
    // Who asked for what is personal data too: the read is audited like the people page.
    await audit(db, {
      actor: actorOf(c),
      officeId: o.id,
      action: 'pdpa.read',
      targetType: 'pdpa_requests',
      detail: { page: before === undefined ? 'first' : 'next', rows: shown.length },
    });
    const tz = 'Asia/Bangkok';
    return page(
      c,
      { title: t.pdpa, office: o, active: 'pdpa' },
      <>
        <p class="muted">{t.pdpaNote}</p>
        <PdpaFigures open={tally.open} overdue={tally.overdue} late={tally.late} />
        {shown.length === 0 ? (
          <p>{t.noPdpa}</p>
        ) : (
          <table>
            <caption>{t.pdpa}</caption>
            <thead>
              <tr>
                <th scope="col">{t.pdpaKind}</th>
                <th scope="col">{t.requested}</th>
                <th scope="col">{t.completed}</th>
                <th scope="col">{t.daysTaken}</th>
                <th scope="col">{t.status}</th>
                <th scope="col">{t.personId}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr data-pdpa={String(r.id)}>
                  <th scope="row">{r.action === 'pdpa.erase' ? t.pdpaErase : t.pdpaCopy}</th>
                  <td>{thaiDateTime(r.requested_ms, tz)}</td>
                  <td>{r.completed_ms === null ? '–' : thaiDateTime(r.completed_ms, tz)}</td>
                  <td class="n" data-figure="days">
                    {r.completed_ms === null ? '–' : num(r.days)}
                  </td>
                  <td data-figure="pdpa-status">{pdpaStatus(r)}</td>
                  <td>
                    <code>{r.target_id ?? '–'}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav class="pager" aria-label="หน้า / Pages">
          {before === undefined ? null : <a href={officePath(o, '/pdpa')}>{t.firstPage}</a>}
          {rows.length > PDPA_PAGE_SIZE && last !== undefined ? (
            <a rel="next" href={officePath(o, `/pdpa${queryString({ before: String(last.id) })}`)}>
              {t.nextPage}
            </a>
          ) : null}
        </nav>
      </>,
    );
  });

  // Errors on these pages are pages too (not the API's JSON); internal details never reach the browser.
  app.onError((err, c) => {
    const known = err instanceof AppError ? err : undefined;
    if (known === undefined) c.var.deps?.log.error('admin page error', { path: c.req.path, ...errorFields(err) });
    const status = known?.status ?? 500;
    const text = status === 403 ? t.forbidden : status === 404 ? t.notFound : t.error;
    const signedIn = getCookie(c, ADMIN_COOKIE) !== undefined;
    return page(c, { title: text, status, signedIn }, <p role="alert">{text}</p>);
  });

  return app;
}
