/** @jsxImportSource hono/jsx */
// One school's page (issue 13, item 4): its SAR and self-assessments (each standard's and indicator's level beside
// its target), its visits with their findings and agreed actions, its completion of each campaign over time, its
// latest photos, and links to its reports and all its responses. Open to every role whose scope holds the school
// (a supervisor: their assigned schools; another school is the same 404 as an unknown one), read only, audited.
import { sql } from 'drizzle-orm';
import type { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import { officeOf, type OfficeRow } from '../../admin/office.js';
import { leafItem } from '../../checklists/answers.js';
import { achieved, feedbackOf, outcomesOf, targetOf, type Definition } from '../../checklists/definition.js';
import { rememberDefinition } from '../../checklists/definitions-cache.js';
import { can } from '../../admin/scope.js';
import type { AppEnv } from '../../deps.js';
import { AppError } from '../../errors.js';
import { schoolFilter } from '../../admin/scope.js';
import { feedbackBody, feedbackCtx, giveFeedback } from '../../sar/feedback.actions.js';
import { FEEDBACK_MAX, textOf } from '../../sar/feedback-chat.js';
import {
  feedbackOf as sarFeedbackOf,
  sarsWhere,
  type FeedbackRow,
  type SchoolSarRow,
} from '../../sar/feedback.queries.js';
import { sarStandards } from '../../sar/synthesis.js';
import { visitStatus } from '../../exports/labels.th.js';
import { thaiCalendarDate, thaiShortDate } from '../../time/thai.js';
import {
  schoolCompletion,
  schoolHead,
  schoolOutcomes,
  schoolPhotos,
  schoolVisits,
  type OutcomeResponseRow,
  type SchoolHeadRow,
  type SchoolVisitRow,
} from '../reading.queries.js';
import { attributesLine } from './schools.js';
import { EqaSection } from './eqa.js';
import { eqaOfSchool } from '../../eqa/eqa.queries.js';
import { t, thaiDateTime } from '../web.th.js';
import { formBody } from '../session.js';
import { Field } from './fields.js';
import { guard, officePath, page, scopeOfPage, type Ctx } from './render.js';
import { auditRead, CompletionCells, CompletionHeads, evidencePath, idParam, responsePath } from './responses.js';
import { msg } from '../../i18n/msg.js';

/** How many of each section the page shows: the page costs the same statements however much the school has. */
export const SCHOOL_PAGE_LIMITS = { outcomes: 6, visits: 20, campaigns: 24, photos: 12 } as const;

const levelText = (v: unknown): string =>
  typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : msg.web.reading.notAnswered;

function OutcomeTable(props: { o: OfficeRow; r: OutcomeResponseRow; tz: string }): Child {
  const { o, r, tz } = props;
  const def = rememberDefinition(r.checklist_id, r.definition);
  if (def === undefined) return null;
  const answers = r.answers ?? {};
  return (
    <section data-outcomes={r.id}>
      <h3>{r.checklist_title}</h3>
      <p class="muted">
        {r.campaign_title} · {msg.web.reading.submittedAt} {thaiDateTime(r.submitted_ms, tz)} ·{' '}
        <a href={responsePath(o, r.id)}>{msg.web.reading.allResponses}</a>
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">{msg.web.reading.standard}</th>
            <th scope="col">{msg.web.reading.level}</th>
            <th scope="col">{msg.web.reading.target}</th>
            <th scope="col">{msg.web.reading.result}</th>
          </tr>
        </thead>
        <tbody>
          {outcomesOf(def).map((out) => {
            const level = answers[out.key];
            const target = targetOf(out, answers);
            const met = achieved(level, target);
            return (
              <tr data-outcome={out.key}>
                <th scope="row" style={out.achieve === 'indicator' ? 'font-weight:400;padding-left:24px' : undefined}>
                  {out.label.th}
                </th>
                <td class="n" data-figure="level">
                  {levelText(level)}
                </td>
                <td class="n">{target === null ? '–' : String(target)}</td>
                <td data-figure="met">
                  {met === null ? msg.web.reading.noTarget : met ? msg.web.reading.achieved : msg.web.reading.below}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** The school's levels, size, place and tags as the office keeps them (src/org/attributes.ts). */
function SchoolAttributes(props: { head: SchoolHeadRow }): Child {
  const a = attributesLine(props.head);
  return (
    <dl class="figures" data-attributes>
      <dt>{msg.web.schools.levels}</dt>
      <dd data-figure="levels">{a.levels === '' ? '–' : a.levels}</dd>
      <dt>{msg.web.schools.size}</dt>
      <dd data-figure="size">{a.size === '' ? '–' : a.size}</dd>
      <dt>{msg.web.schools.place}</dt>
      <dd data-figure="place">{a.place === '' ? '–' : a.place}</dd>
      <dt>{msg.web.schools.tags}</dt>
      <dd data-figure="tags">{props.head.tags.length === 0 ? '–' : props.head.tags.join(', ')}</dd>
    </dl>
  );
}

/** A visit record's feedback texts (strengths, points to improve, recommendations), each under its question. */
function findingsOf(v: SchoolVisitRow): { label: string; text: string }[] {
  if (v.checklist_id === null || v.answers === null) return [];
  const def: Definition | undefined = rememberDefinition(v.checklist_id, v.definition);
  if (def === undefined) return [];
  const answers = v.answers;
  return feedbackOf(def).flatMap((f) => {
    const text = answers[f.key];
    return typeof text === 'string' && text.trim() !== '' ? [{ label: leafItem(def, f.key).label.th, text }] : [];
  });
}

interface FeedbackForm {
  values: { standard: string; text: string };
  errors: { standard?: string; text?: string };
}

const onWhat = (standard: string | null) =>
  standard === null ? msg.web.reading.overall : msg.web.reading.standardN(standard.replace(/^s/, ''));

/**
 * The school's latest SAR read for feedback (each standard's strengths and points to improve; the levels are in
 * the table above), the feedback given with the principal's acknowledgement or reply, and, for a session that
 * may write (an admin, a supervisor of the school), the form: the chat flow sarfb's action (src/sar/feedback.actions.ts).
 */
function SarFeedback(props: {
  o: OfficeRow;
  schoolId: string;
  sar: SchoolSarRow | undefined;
  feedback: FeedbackRow[];
  tz: string;
  write: boolean;
  form: FeedbackForm | undefined;
  sent: boolean;
}): Child {
  const { o, sar, tz } = props;
  const def = sar?.definition ?? null;
  const standards = def === null ? [] : sarStandards(def);
  const answers = sar?.answers ?? {};
  const form = props.form ?? { values: { standard: 'all', text: '' }, errors: {} };
  return (
    <section id="sar-feedback" data-sar-feedback>
      <h2>{msg.web.reading.sarFeedback}</h2>
      {props.sent ? (
        <p class="notice" role="status">
          {msg.web.reading.feedbackSent}
        </p>
      ) : null}
      {sar === undefined || sar.response_id === null || def === null ? (
        <p>{msg.web.reading.noSar}</p>
      ) : (
        <>
          <p class="muted">{msg.web.reading.sarOf(sar.title ?? '', thaiShortDate(sar.submitted_ms ?? 0, tz))}</p>
          <table data-list="sar-texts">
            <thead>
              <tr>
                <th scope="col">{msg.web.reading.standard}</th>
                <th scope="col">{msg.web.reading.strengths}</th>
                <th scope="col">{msg.web.reading.improve}</th>
              </tr>
            </thead>
            <tbody>
              {standards.map((st) => (
                <tr data-standard={st.key}>
                  <th scope="row">{st.label}</th>
                  <td>{textOf(answers[`${st.key}_strengths`]) ?? '–'}</td>
                  <td>{textOf(answers[`${st.key}_improve`]) ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <h3>{msg.web.reading.feedbackGiven}</h3>
      {props.feedback.length === 0 ? (
        <p class="muted">{msg.web.reading.noFeedback}</p>
      ) : (
        <table data-list="feedback">
          <thead>
            <tr>
              <th scope="col">{msg.web.reading.feedbackOn}</th>
              <th scope="col">{msg.web.reading.feedbackGiven}</th>
              <th scope="col">{msg.web.reading.feedbackBy}</th>
              <th scope="col">{msg.web.reading.feedbackDate}</th>
              <th scope="col">{msg.web.reading.principalAnswer}</th>
            </tr>
          </thead>
          <tbody>
            {props.feedback.map((f) => (
              <tr data-feedback={f.id}>
                <td>{onWhat(f.standard)}</td>
                <td>{f.body}</td>
                <td>{f.supervisor ?? '–'}</td>
                <td>{thaiShortDate(f.created_ms, tz)}</td>
                <td data-figure="answer">
                  {f.acknowledged_ms === null
                    ? msg.web.reading.notAcknowledged
                    : msg.web.reading.acknowledged(thaiShortDate(f.acknowledged_ms, tz))}
                  {f.reply === null ? null : (
                    <p>
                      <b>{msg.web.reading.replied}:</b> {f.reply}
                    </p>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {props.write && sar?.response_id != null && def !== null ? (
        <form
          method="post"
          action={officePath(o, `/schools/${props.schoolId}/sar-feedback`)}
          class="stack"
          novalidate
          data-form="sar-feedback"
        >
          <input type="hidden" name="responseId" value={sar.response_id} />
          <Field
            name="standard"
            label={msg.web.reading.feedbackOn}
            error={form.errors.standard}
            control={(a) => (
              <select {...a}>
                <option value="all" selected={form.values.standard === 'all'}>
                  {msg.web.reading.overall}
                </option>
                {standards.map((st) => (
                  <option value={st.key} selected={form.values.standard === st.key}>
                    {st.label}
                  </option>
                ))}
              </select>
            )}
          />
          <Field
            name="text"
            label={msg.web.reading.feedbackText}
            hint={msg.web.reading.feedbackHint}
            error={form.errors.text}
            control={(a) => (
              <textarea {...a} rows={4} maxlength={FEEDBACK_MAX} required>
                {form.values.text}
              </textarea>
            )}
          />
          <div class="actions">
            <button type="submit">{msg.web.reading.sendFeedback}</button>
          </div>
        </form>
      ) : null}
    </section>
  );
}

export function schoolPages(app: Hono<AppEnv>): void {
  guard(app, '/schools', 'schools.read');

  app.get('/offices/:office/schools/:id', async (c) =>
    schoolPage(c, await officeOf(c), idParam(c, 'id'), undefined, c.req.query('sent') === '1'),
  );

  // Feedback on the SAR: an admin or the school's supervisor (src/web/session.ts lets own.write post here; a
  // director is refused there); a school outside the scope is a 404 and writes nothing.
  app.post('/offices/:office/schools/:id/sar-feedback', async (c) => {
    const o = await officeOf(c);
    const id = idParam(c, 'id');
    const f = await formBody(c);
    const values = { standard: f.get('standard') ?? '', text: f.get('text') ?? '' };
    const responseId = f.get('responseId') ?? '';
    const parsed = feedbackBody.safeParse({
      standard: values.standard,
      text: values.text,
      ...(responseId === '' ? {} : { responseId }),
    });
    if (!parsed.success) {
      const errors: FeedbackForm['errors'] = {};
      for (const i of parsed.error.issues) {
        if (i.path[0] === 'standard') errors.standard = msg.web.reading.errFeedbackOn;
        else errors.text = msg.web.reading.errFeedbackText;
      }
      return schoolPage(c, o, id, { values, errors }, false, 400);
    }
    await giveFeedback(feedbackCtx(c, o.id, scopeOfPage(c)), id, parsed.data);
    return c.redirect(officePath(o, `/schools/${id}?sent=1#sar-feedback`), 303);
  });
}

async function schoolPage(
  c: Ctx,
  o: OfficeRow,
  id: string,
  form: FeedbackForm | undefined,
  sent: boolean,
  status: 400 | 200 = 200,
) {
  const scope = scopeOfPage(c);
  const { db, now } = c.var.deps;
  const head = await schoolHead(db, o.id, scope, id);
  if (head === undefined) throw new AppError('not_found', 'Unknown school');
  const L = SCHOOL_PAGE_LIMITS;
  const [outcomes, visits, campaigns, photos] = [
    await schoolOutcomes(db, o.id, scope, id, L.outcomes),
    await schoolVisits(db, o.id, scope, id, L.visits),
    await schoolCompletion(db, o.id, scope, id, now(), L.campaigns),
    await schoolPhotos(db, o.id, scope, id, L.photos),
  ];
  const [sar] = await sarsWhere(db, o.id, schoolFilter(scope, sql`s.id`), id);
  const feedback = await sarFeedbackOf(db, o.id, [id]);
  const eqa = await eqaOfSchool(db, o.id, id);
  await auditRead(c, o, 'school.view', 'school', id);
  const tz = head.time_zone;
  const report = (format: string) => officePath(o, `/reports/school?school=${id}&format=${format}`);
  return page(
    c,
    { title: head.name_th, office: o, active: 'schools', images: true, status },
    <>
      <p class="muted">
        {head.code} · {msg.web.reading.cluster}: {head.cluster_name ?? '–'}
      </p>
      <SchoolAttributes head={head} />
      {can(scope, 'office.write') ? (
        <p class="actions">
          <a href={officePath(o, `/schools/${id}/edit`)}>{msg.web.schools.edit}</a>
        </p>
      ) : null}
      <nav class="actions" aria-label={msg.web.reading.reports}>
        <a href={officePath(o, `/responses/schools/${id}`)}>{msg.web.reading.allResponses}</a>
        <span>{msg.web.reading.reports}:</span>
        <a href={report('html')} data-report="html">
          {msg.web.reading.reportHtml}
        </a>
        <a href={report('xlsx')} data-report="xlsx">
          {msg.web.reading.reportXlsx}
        </a>
        <a href={report('pdf')} data-report="pdf">
          {msg.web.reading.reportPdf}
        </a>
      </nav>

      <h2>{msg.web.reading.outcomes}</h2>
      {outcomes.length === 0 ? (
        <p>{msg.web.reading.noOutcomes}</p>
      ) : (
        outcomes.map((r) => <OutcomeTable o={o} r={r} tz={tz} />)
      )}

      <EqaSection o={o} schoolId={id} sar={sar} eqa={eqa} now={now()} write={can(scope, 'office.write')} />

      <SarFeedback
        o={o}
        schoolId={id}
        sar={sar}
        feedback={feedback}
        tz={tz}
        write={can(scope, 'own.write')}
        form={form}
        sent={sent}
      />

      <h2>{msg.web.reading.visits}</h2>
      {visits.length === 0 ? (
        <p>{msg.web.reading.noVisits}</p>
      ) : (
        <table data-list="visits">
          <thead>
            <tr>
              <th scope="col">{msg.web.reading.visitDate}</th>
              <th scope="col">{msg.web.reading.supervisor}</th>
              <th scope="col">{t.status}</th>
              <th scope="col">{msg.web.reading.findings}</th>
              <th scope="col">{msg.web.reading.actions}</th>
            </tr>
          </thead>
          <tbody>
            {visits.map((v) => (
              <tr data-visit={v.id}>
                <td>
                  {thaiDateTime(v.starts_ms, tz)}
                  <div class="muted">{v.purpose_th}</div>
                </td>
                <td>{v.supervisor}</td>
                <td>
                  {visitStatus[v.status] ?? v.status}
                  {v.decision === null ? null : (
                    <div>
                      {v.decision === 'achieved' ? msg.web.reading.decisionAchieved : msg.web.reading.decisionNotYet}
                    </div>
                  )}
                </td>
                <td>
                  {findingsOf(v).map((f) => (
                    <p>
                      <b>{f.label}:</b> {f.text}
                    </p>
                  ))}
                  {v.response_id === null ? null : (
                    <a href={responsePath(o, v.response_id)}>{msg.web.reading.record}</a>
                  )}
                </td>
                <td>
                  {(v.actions ?? []).length === 0 ? (
                    '–'
                  ) : (
                    <ul>
                      {(v.actions ?? []).map((a) => (
                        <li data-action-status={a.status}>
                          {a.what}
                          {a.owner === null ? '' : ` (${a.owner})`}
                          {a.due === null ? '' : ` · ${thaiCalendarDate(a.due)}`} ·{' '}
                          <b>{a.status === 'done' ? msg.web.reading.actionDone : msg.web.reading.actionOpen}</b>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {visits.length === L.visits ? <p class="muted">{msg.web.reading.latest(L.visits)}</p> : null}

      <h2>{msg.web.reading.completionOverTime}</h2>
      {campaigns.length === 0 ? (
        <p>{msg.web.reading.noCampaigns}</p>
      ) : (
        <table data-list="completion">
          <thead>
            <tr>
              <th scope="col">{t.campaign}</th>
              <th scope="col">{t.due}</th>
              <CompletionHeads />
            </tr>
          </thead>
          <tbody>
            {campaigns.map((k) => (
              <tr data-campaign={k.id}>
                <th scope="row">
                  {k.system ? (
                    k.title_th
                  ) : (
                    <a href={officePath(o, `/responses/campaigns/${k.id}?view=responses&school=${id}`)}>{k.title_th}</a>
                  )}
                </th>
                <td>{thaiShortDate(k.due_ms, tz)}</td>
                <CompletionCells row={k} />
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>{msg.web.reading.photos}</h2>
      {photos.length === 0 ? (
        <p class="muted">–</p>
      ) : (
        <p class="photos">
          {photos.map((p, i) => (
            <a href={responsePath(o, p.response_id)} data-evidence={p.id}>
              <img
                src={evidencePath(o, p.id)}
                alt={`${p.checklist_title} ${msg.web.reading.photo(i + 1)}`}
                width={120}
                loading="lazy"
              />
            </a>
          ))}
        </p>
      )}
    </>,
  );
}
