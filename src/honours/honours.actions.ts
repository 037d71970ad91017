// Ranking an office's schools and publishing an honour list: one implementation for the admin API
// (honours.routes.ts) and the web page (src/web/pages/honours.tsx). The ranking is a fixed handful of set-based
// statements whatever the number of schools (the report's facts: the year's and last year's SARs and
// self-assessments, the period's visit follow-ups). Publishing stores the list with its figures, queues one notice
// per person of the audience through the outbox (publishNotice: inside each person's next daily push) and audits it,
// in one transaction; the same list published again is recognised by its dedupe key and tells nobody twice.
import * as z from 'zod';
import { tokenHash } from '../admin/auth.js';
import { audit } from '../audit/audit.queries.js';
import type { Db } from '../db/client.js';
import { AppError, type FieldIssue } from '../errors.js';
import { publishNotice, type Audience } from '../outbox/enqueue.queries.js';
import { instantsOf, periodOf, type Period, yearTermOf } from '../reports/build.js';
import {
  actionFacts,
  definitionsById,
  latestResponses,
  officeCalendarNow,
  officeTerms,
  schoolsInScope,
} from '../reports/facts.queries.js';
import { localDate } from '../time/thai.js';
import { SELF_ASSESSMENT_KEY } from '../visits/visits.queries.js';
import {
  honourListByKey,
  type HonouredSchool,
  type HonourListRow,
  honourListsOf,
  insertHonourList,
  setRecipients,
} from './honours.queries.js';
import { audiences } from './honours.th.js';
import { criteria, type Criterion, figureText, figuresOf, rankSchools, type RankedSchool } from './rank.js';
import { msg } from '../i18n/msg.js';

export const DEFAULT_CRITERIA: readonly Criterion[] = criteria;
export const audienceKinds = ['principals', 'schools', 'everyone'] as const;
export type AudienceKind = (typeof audienceKinds)[number];

const AUDIENCE_ROLES: Record<AudienceKind, string[]> = {
  principals: ['principal'],
  schools: ['principal', 'teacher'],
  everyone: ['principal', 'teacher', 'supervisor', 'director', 'admin'],
};

/** At most this many schools on one list: an honour list is short, and it rides in a daily push. */
export const MAX_HONOURED = 20;

export interface Ranking {
  office: string;
  period: Period;
  criteria: Criterion[];
  schools: RankedSchool[];
}

export interface RankParams {
  year?: string | undefined;
  term?: string | undefined;
  /** Comma-separated criteria in order, e.g. "improvement,sar". */
  by?: string | undefined;
}

function criteriaOf(v: string | undefined, issues: FieldIssue[]): Criterion[] {
  if (v === undefined || v.trim() === '') return [...DEFAULT_CRITERIA];
  const list = v
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  const ok = list.filter((x): x is Criterion => (criteria as readonly string[]).includes(x));
  if (ok.length !== list.length || new Set(ok).size !== ok.length || ok.length === 0 || ok.length > 3) {
    issues.push({ field: 'by', message: msg.honours.badCriteria(v) });
  }
  return ok;
}

/** The office's schools ranked for a term (1, 2) or an academic year by the criteria in order. */
export async function rankOffice(db: Db, officeId: string, params: RankParams, now: number): Promise<Ranking> {
  const { timeZone: tz, terms: nowTerms } = await officeCalendarNow(db, officeId, now);
  const issues: FieldIssue[] = [];
  const { year, term } = yearTermOf(params, localDate(now, tz), issues, nowTerms);
  const by = criteriaOf(params.by, issues);
  if (issues.length > 0) throw new AppError('invalid_request', 'Invalid ranking parameters', issues);
  const [yearTerms, lastTerms] = [await officeTerms(db, officeId, year), await officeTerms(db, officeId, year - 1)];
  const period = periodOf(year, term, yearTerms);
  const [from, to] = instantsOf(period, tz);
  const [yearFrom, yearTo] = instantsOf(periodOf(year, null, yearTerms), tz);
  const [lastFrom, lastTo] = instantsOf(periodOf(year - 1, null, lastTerms), tz);
  const schools = await schoolsInScope(db, officeId, {});
  const facts = {
    sar: await latestResponses(db, officeId, 'sar-%', yearFrom, yearTo),
    sarLastYear: await latestResponses(db, officeId, 'sar-%', lastFrom, lastTo),
    self: await latestResponses(db, officeId, SELF_ASSESSMENT_KEY, yearFrom, yearTo),
    selfLastYear: await latestResponses(db, officeId, SELF_ASSESSMENT_KEY, lastFrom, lastTo),
    actions: await actionFacts(db, officeId, from, to),
  };
  const defs = await definitionsById(
    db,
    [...facts.sar, ...facts.sarLastYear, ...facts.self, ...facts.selfLastYear].map((r) => r.checklist_id),
  );
  return {
    office: yearTerms[0]?.office_name ?? '',
    period,
    criteria: by,
    schools: rankSchools(figuresOf(schools, facts, defs), by),
  };
}

/** The ranking as the page and the API read it, with the lists published for its period; the read is audited. */
export async function readRanking(
  db: Db,
  officeId: string,
  params: RankParams,
  ctx: { now: number; actor: string },
): Promise<Ranking & { published: HonourListRow[] }> {
  const ranking = await rankOffice(db, officeId, params, ctx.now);
  const published = await honourListsOf(db, officeId, ranking.period.year, ranking.period.term);
  await audit(db, {
    actor: ctx.actor,
    officeId,
    action: 'honours.read',
    targetType: 'office',
    targetId: officeId,
    detail: { year: ranking.period.year, term: ranking.period.term, criteria: ranking.criteria },
  });
  return { ...ranking, published };
}

const unique = (xs: readonly string[]) => new Set(xs).size === xs.length;

export const publishBody = z.strictObject({
  year: z.number().int().min(2500).max(2700),
  term: z
    .union([z.literal(1), z.literal(2)])
    .nullable()
    .optional(),
  by: z.array(z.enum(criteria)).min(1).max(3).refine(unique, 'no criterion twice').optional(),
  schoolIds: z.array(z.uuid()).min(1).max(MAX_HONOURED).refine(unique, 'no school twice'),
  title: z.string().trim().min(1).max(120),
  message: z.string().trim().max(500).default(''),
  audience: z.enum(audienceKinds),
});
export type PublishBody = z.infer<typeof publishBody>;

export interface HonourNotice {
  year: number;
  term: number | null;
  criteria: Criterion[];
  title: string;
  /** The notice's text: the message, then the honoured schools in rank order. */
  text: string;
  audience: AudienceKind;
  audienceLabel: string;
  schools: HonouredSchool[];
}

/** The notice a body would publish, checked against the ranking (a school outside it is a 400 naming its row). */
export async function honourNotice(db: Db, officeId: string, body: PublishBody, now: number): Promise<HonourNotice> {
  const ranking = await rankOffice(
    db,
    officeId,
    { year: String(body.year), term: body.term == null ? undefined : String(body.term), by: body.by?.join(',') },
    now,
  );
  const chosen = new Set(body.schoolIds);
  const ranked = new Set(ranking.schools.map((s) => s.schoolId));
  const issues = body.schoolIds.flatMap((id, i): FieldIssue[] =>
    ranked.has(id) ? [] : [{ field: `schoolIds.${i}`, message: msg.honours.notRanked(id) }],
  );
  if (issues.length > 0) throw new AppError('invalid_request', 'Unknown schools', issues);
  const schools = ranking.schools
    .filter((s) => chosen.has(s.schoolId))
    .map((s): HonouredSchool => ({
      schoolId: s.schoolId,
      code: s.code,
      name: s.name,
      rank: s.rank,
      figures: ranking.criteria.map((c) => `${msg.honours.criterion(c)} ${figureText(s, c)}`),
      why: s.why,
    }));
  const lines = schools.map((s) => msg.honours.noticeLine(s.rank, s.name));
  return {
    year: ranking.period.year,
    term: ranking.period.term,
    criteria: ranking.criteria,
    title: body.title,
    text: [body.message, ...lines].filter((l) => l !== '').join('\n'),
    audience: body.audience,
    audienceLabel: audiences[body.audience],
    schools,
  };
}

export interface Published {
  list: HonourListRow;
  /** People newly told (0 when the same list was published before). */
  recipients: number;
  republished: boolean;
}

/** Publishes an honour list: stored, queued to its audience's next daily push, audited; a repeat does nothing. */
export async function publishHonours(
  db: Db,
  officeId: string,
  body: PublishBody,
  actor: string,
  now: number,
): Promise<Published> {
  const n = await honourNotice(db, officeId, body, now);
  const key = (
    await tokenHash(
      JSON.stringify([n.year, n.term, n.criteria, [...body.schoolIds].sort(), n.title, n.text, n.audience]),
    )
  ).slice(0, 32);
  return db.transaction(async (tx) => {
    const list = await insertHonourList(tx, {
      officeId,
      year: n.year,
      term: n.term ?? 0,
      title: n.title,
      message: body.message,
      criteria: n.criteria,
      audience: n.audience,
      schools: n.schools,
      dedupeKey: key,
      publishedBy: actor,
      publishedAt: now,
    });
    if (list === undefined) {
      const before = await honourListByKey(tx, officeId, key);
      if (before === undefined) throw new Error('honour list conflict without a row');
      return { list: before, recipients: 0, republished: true };
    }
    const audience: Audience = { roles: AUDIENCE_ROLES[n.audience] };
    const recipients = await publishNotice(
      tx,
      officeId,
      audience,
      { key: `honour-${key}`, title: n.title, text: n.text },
      now,
    );
    await setRecipients(tx, list.id, recipients);
    await audit(tx, {
      actor,
      officeId,
      action: 'honours.publish',
      targetType: 'honour_list',
      targetId: list.id,
      detail: {
        year: n.year,
        term: n.term,
        criteria: n.criteria,
        schools: body.schoolIds,
        audience: n.audience,
        recipients,
      },
    });
    return { list: { ...list, recipients }, recipients, republished: false };
  });
}
