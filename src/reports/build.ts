// The reports of a term and of an academic year (seed 000 §5.5, seed 001 steps 6–8): the office's supervision
// report, a cluster's, and one school's. Built from a fixed handful of set-based statements (facts.queries.ts)
// whatever the number of schools, then put together here in TypeScript: coverage, achieved / not achieved per
// indicator and per SAR standard, the common strengths and points to improve grouped by the standard or indicator
// they were written under (ranked phrases, phrases.ts), best practices, recommendations, and for one school its
// visits, ratings beside its own, actions and SAR.
import { feedbackOf as sarFeedbackOf } from '../sar/feedback.queries.js';
import { honourListsOf } from '../honours/honours.queries.js';
import { RATING_LEVELS } from '../checklists/answers.js';
import {
  achieved,
  feedbackOf,
  type FeedbackKind,
  type FormDefinition,
  outcomesOf,
  targetOf,
} from '../checklists/definition.js';
import type { Db } from '../db/client.js';
import { AppError, type FieldIssue } from '../errors.js';
import { percent } from '../i18n/percent.js';
import { localDate, thaiLongDate } from '../time/thai.js';
import { type CalendarTerm, termOn, usualTermDates } from '../time/term.js';
import { SELF_ASSESSMENT_KEY } from '../visits/visits.queries.js';
import { addDays, localInstant } from '../time/zone.js';
import { ratingPairs, type RatingPair } from './compare.js';
import {
  actionFacts,
  definitionsById,
  latestResponses,
  officeCalendarNow,
  officeTerms,
  type SchoolFilter,
  type SchoolRow,
  schoolsInScope,
  visitFacts,
} from './facts.queries.js';
import { commonPhrases, type Phrase } from './phrases.js';
import { isEmptyCut, type SchoolCut } from '../checklists/audience.queries.js';
import { cutLabel } from '../org/cut.js';
import { msg } from '../i18n/msg.js';

export const reportKinds = ['office', 'cluster', 'school'] as const;
export type ReportKind = (typeof reportKinds)[number];

export interface Period {
  year: number;
  term: number | null;
  /** First and last day, office time. */
  from: string;
  to: string;
  label: string;
  /** True when the office calendar has no such term and the usual Thai dates were used. */
  assumed: boolean;
}

export interface IndicatorCount {
  key: string;
  label: string;
  under: string | null;
  achieved: number;
  notAchieved: number;
  selfAchieved: number;
  selfNotAchieved: number;
  /** Mean gap (supervisor − self) over visits rated by both; null if none. */
  meanGap: number | null;
}

export interface Theme {
  kind: FeedbackKind;
  /** The standard or indicator it was written under (null: the visit as a whole). */
  under: string | null;
  phrases: Phrase[];
  /** Texts written (before grouping into phrases). */
  texts: number;
}

export interface SchoolVisit {
  when: string;
  supervisor: string;
  status: string;
  decision: 'achieved' | 'not_yet' | null;
  overall: string | null;
  strengths: string | null;
  improve: string | null;
  suggestions: string | null;
  bestPractice: string | null;
  ratings: RatingPair[];
}

export interface Report {
  kind: ReportKind;
  title: string;
  office: string;
  scopeName: string;
  /** The schools' attributes the report was cut to (Thai), or null for all of them. */
  cut: string | null;
  period: Period;
  generatedAt: string;
  coverage: { schools: number; visited: number; visits: number; recorded: number; percent: number | null };
  byCluster: { name: string; schools: number; visited: number }[];
  decisions: { achieved: number; notYet: number };
  indicators: IndicatorCount[];
  sarStandards: { label: string; achieved: number; notAchieved: number }[];
  sarSubmitted: number;
  themes: Theme[];
  bestPractices: { school: string; text: string; by: string }[];
  actions: { open: number; done: number; overdue: number };
  /** The honour lists the office published for the period (office reports of the whole office only). */
  honours?: {
    title: string;
    message: string;
    published: string;
    schools: { rank: number; code: string; name: string; why: string }[];
  }[];
  school?: {
    visits: SchoolVisit[];
    actions: { what: string; owner: string | null; due: string | null; status: 'open' | 'done' }[];
    sar: { label: string; level: number | null; target: number | null; achieved: boolean | null }[];
    self: { label: string; level: number | null; achieved: boolean | null }[];
    /** The supervisors' SAR feedback of the academic year and the principal's answer. */
    sarFeedback: { standard: string; body: string; by: string; when: string; answer: string }[];
  };
}

export interface ReportParams {
  year?: string | undefined;
  term?: string | undefined;
  cluster?: string | undefined;
  school?: string | undefined;
  /** A cut by school attributes (readCut), and the problems found reading it (each names its parameter). */
  cut?: SchoolCut | undefined;
  cutIssues?: FieldIssue[] | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function parseParams(kind: ReportKind, p: ReportParams, today: string, terms: readonly CalendarTerm[]) {
  const issues: FieldIssue[] = [...(p.cutIssues ?? [])];
  const { year, term } = yearTermOf(p, today, issues, terms);
  const need = (field: 'cluster' | 'school', v: string | undefined) => {
    if (v === undefined || v === '') issues.push({ field, message: msg.reports.need(field) });
    else if (!UUID.test(v)) issues.push({ field, message: msg.reports.badId(field, v) });
  };
  if (kind === 'cluster') need('cluster', p.cluster);
  if (kind === 'school') need('school', p.school);
  if (issues.length > 0) throw new AppError('invalid_request', 'Invalid report parameters', issues);
  return { year, term };
}

/**
 * The academic year (B.E.) and term (1, 2, or null for the year) asked for; bad ones to `issues`. The default
 * year is today's: by the office calendar's term holding today (`terms`), else the usual split.
 */
export function yearTermOf(
  p: { year?: string | undefined; term?: string | undefined },
  today: string,
  issues: FieldIssue[],
  terms: readonly CalendarTerm[],
): { year: number; term: number | null } {
  let year = termOn(today, terms).year;
  if (p.year !== undefined && p.year !== '') {
    const n = /^\d{4}$/.test(p.year) ? Number(p.year) : NaN;
    if (Number.isNaN(n) || n < 2500 || n > 2700) issues.push({ field: 'year', message: msg.reports.badYear(p.year) });
    else year = n;
  }
  let term: number | null = null;
  if (p.term !== undefined && p.term !== '') {
    if (p.term === '1' || p.term === '2') term = Number(p.term);
    else issues.push({ field: 'term', message: msg.reports.badTerm(p.term) });
  }
  return { year, term };
}

/** The period from the office calendar's terms; without them, the usual dates (usualTermDates in src/time/term.ts). */
export function periodOf(
  year: number,
  term: number | null,
  terms: { term: number | null; starts_on: string; ends_on: string }[],
): Period {
  const chosen = terms.filter((t) => t.term !== null && (term === null || t.term === term));
  const label = term === null ? msg.reports.yearLabel(year) : msg.reports.termLabel(term, year);
  if (chosen.length > 0) {
    const from = chosen.map((t) => t.starts_on).sort()[0] ?? '';
    const to =
      chosen
        .map((t) => t.ends_on)
        .sort()
        .at(-1) ?? '';
    return { year, term, from, to, label, assumed: false };
  }
  return { year, term, ...usualTermDates(year, term), label, assumed: true };
}

/** A period as instants [from, to): its first day's midnight to the midnight after its last, office time. */
export function instantsOf(period: Pick<Period, 'from' | 'to'>, tz: string): [string, string] {
  return [
    new Date(localInstant(period.from, 0, 0, tz)).toISOString(),
    new Date(localInstant(addDays(period.to, 1), 0, 0, tz)).toISOString(),
  ];
}

const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);
const levelText = (v: unknown) => {
  const l = RATING_LEVELS.find((x) => x.value === v);
  return l === undefined ? null : `${l.value} ${l.th}`;
};

/** Builds a report. `scope` narrows the schools (a supervisor's own); a school or cluster outside it is a 404. */
export async function buildReport(
  db: Db,
  officeId: string,
  kind: ReportKind,
  params: ReportParams,
  ctx: { now: number; supervisorId?: string | undefined },
): Promise<Report> {
  const { timeZone: tz, terms: nowTerms } = await officeCalendarNow(db, officeId, ctx.now);
  const today = localDate(ctx.now, tz);
  const { year, term } = parseParams(kind, params, today, nowTerms);
  const yearTerms = await officeTerms(db, officeId, year);
  const office = yearTerms[0]?.office_name ?? '';
  const period = periodOf(year, term, yearTerms);
  const [fromIso, toIso] = instantsOf(period, tz);
  // SARs are yearly: the year's, even in a term report.
  const yearPeriod = term === null ? period : periodOf(year, null, yearTerms);
  const [yearFrom, yearTo] = instantsOf(yearPeriod, tz);

  const filter: SchoolFilter = {
    ...(kind === 'cluster' ? { clusterId: params.cluster } : {}),
    ...(kind === 'school' ? { schoolId: params.school } : {}),
    ...(ctx.supervisorId === undefined ? {} : { supervisorId: ctx.supervisorId }),
    ...(kind === 'school' || params.cut === undefined || isEmptyCut(params.cut) ? {} : { cut: params.cut }),
  };
  const schools = await schoolsInScope(db, officeId, filter);
  if (kind !== 'office' && schools.length === 0) throw new AppError('not_found', msg.reports.notFound(kind));
  const [visits, actions, sars, selfs] = [
    await visitFacts(db, officeId, fromIso, toIso, filter),
    await actionFacts(db, officeId, fromIso, toIso, filter),
    await latestResponses(db, officeId, 'sar-%', yearFrom, yearTo, filter),
    kind === 'school' ? await latestResponses(db, officeId, SELF_ASSESSMENT_KEY, fromIso, toIso, filter) : [],
  ];
  const defs = await definitionsById(db, [
    ...visits.flatMap((v) => (v.checklist_id === null ? [] : [v.checklist_id])),
    ...sars.map((s) => s.checklist_id),
    ...selfs.map((s) => s.checklist_id),
  ]);
  const schoolName = new Map(schools.map((s) => [s.id, s.name]));
  const pairs = ratingPairs(visits, defs);

  // Coverage.
  const visited = new Set(visits.filter((v) => v.status === 'done').map((v) => v.school_id));
  const clusters = new Map<string, { name: string; schools: number; visited: number }>();
  for (const s of schools) {
    const key = s.cluster_id ?? '';
    const c = clusters.get(key) ?? { name: s.cluster_name ?? msg.reports.noCluster, schools: 0, visited: 0 };
    c.schools++;
    if (visited.has(s.id)) c.visited++;
    clusters.set(key, c);
  }

  // Indicators: achieved / not achieved per indicator (the supervisor's decision), and the school's own.
  const indicators = new Map<string, IndicatorCount & { gaps: number[] }>();
  for (const p of pairs) {
    const k = `${p.key}\u0000${p.label}`;
    const row = indicators.get(k) ?? {
      key: p.key,
      label: p.label,
      under: p.under,
      achieved: 0,
      notAchieved: 0,
      selfAchieved: 0,
      selfNotAchieved: 0,
      meanGap: null,
      gaps: [],
    };
    if (p.achieved === true) row.achieved++;
    if (p.achieved === false) row.notAchieved++;
    if (p.selfAchieved === true) row.selfAchieved++;
    if (p.selfAchieved === false) row.selfNotAchieved++;
    if (p.gap !== null) row.gaps.push(p.gap);
    indicators.set(k, row);
  }

  // SAR standards.
  const sarStandards = new Map<string, { label: string; achieved: number; notAchieved: number }>();
  const texts: { kind: FeedbackKind; under: string | null; school: string; text: string; by: string }[] = [];
  const feedbackTexts = (def: FormDefinition, answers: Record<string, unknown>, school: string, by: string) => {
    const labels = new Map(outcomesOf(def).map((o) => [o.key, o.label.th]));
    for (const f of feedbackOf(def)) {
      const t = str(answers[f.key]);
      if (t !== null)
        texts.push({
          kind: f.feedback,
          under: f.under === null ? null : (labels.get(f.under) ?? null),
          school,
          text: t,
          by,
        });
    }
  };
  for (const s of sars) {
    const def = defs.get(s.checklist_id);
    if (def === undefined) continue;
    const answers = s.answers ?? {};
    for (const o of outcomesOf(def)) {
      if (o.achieve !== 'standard') continue;
      const row = sarStandards.get(o.label.th) ?? { label: o.label.th, achieved: 0, notAchieved: 0 };
      const a = achieved(answers[o.key], targetOf(o, answers));
      if (a === true) row.achieved++;
      if (a === false) row.notAchieved++;
      sarStandards.set(o.label.th, row);
    }
    feedbackTexts(def, answers, schoolName.get(s.school_id) ?? '', msg.reports.bySar);
  }
  for (const v of visits) {
    const def = v.checklist_id === null ? undefined : defs.get(v.checklist_id);
    if (def === undefined || v.answers === null) continue;
    feedbackTexts(def, v.answers, schoolName.get(v.school_id) ?? '', v.supervisor);
  }

  // Themes: per kind and the standard or indicator written under; phrases shared by schools (any, for one school).
  const minSchools = schools.length > 1 ? 2 : 1;
  const groups = new Map<
    string,
    { kind: FeedbackKind; under: string | null; docs: { school: string; text: string }[] }
  >();
  for (const t of texts) {
    if (t.kind === 'best_practice') continue;
    const k = `${t.kind}\u0000${t.under ?? ''}`;
    const g = groups.get(k) ?? { kind: t.kind, under: t.under, docs: [] };
    g.docs.push({ school: t.school, text: t.text });
    groups.set(k, g);
  }
  const order: FeedbackKind[] = ['strength', 'improve', 'recommendation'];
  const themes = [...groups.values()]
    .map((g) => ({
      kind: g.kind,
      under: g.under,
      texts: g.docs.length,
      phrases: commonPhrases(g.docs, { minSchools }),
    }))
    .sort(
      (a, b) => order.indexOf(a.kind) - order.indexOf(b.kind) || (a.under ?? '').localeCompare(b.under ?? '', 'th'),
    );

  const todayIso = today;
  const report: Report = {
    kind,
    title: msg.reports.title(kind),
    office,
    scopeName:
      kind === 'office'
        ? office
        : kind === 'cluster'
          ? (schools[0]?.cluster_name ?? msg.reports.noCluster)
          : (schools[0]?.name ?? ''),
    cut: filter.cut === undefined ? null : cutLabel(filter.cut),
    period,
    generatedAt: thaiLongDate(ctx.now, tz),
    coverage: {
      schools: schools.length,
      visited: visited.size,
      visits: visits.filter((v) => v.status === 'done').length,
      recorded: visits.filter((v) => v.checklist_id !== null).length,
      percent: schools.length === 0 ? null : percent(visited.size, schools.length, 1),
    },
    byCluster: [...clusters.values()],
    decisions: {
      achieved: visits.filter((v) => v.decision === 'achieved').length,
      notYet: visits.filter((v) => v.decision === 'not_yet').length,
    },
    indicators: [...indicators.values()].map(({ gaps, ...r }) => ({
      ...r,
      meanGap: gaps.length === 0 ? null : Math.round((gaps.reduce((a, b) => a + b, 0) / gaps.length) * 10) / 10,
    })),
    sarStandards: [...sarStandards.values()],
    sarSubmitted: sars.length,
    themes,
    bestPractices: texts
      .filter((t) => t.kind === 'best_practice')
      .map((t) => ({ school: t.school, text: t.text, by: t.by })),
    actions: {
      open: actions.filter((a) => a.status === 'open').length,
      done: actions.filter((a) => a.status === 'done').length,
      overdue: actions.filter((a) => a.status === 'open' && a.due_on !== null && a.due_on < todayIso).length,
    },
  };
  if (kind === 'office' && ctx.supervisorId === undefined) {
    report.honours = (await honourListsOf(db, officeId, year, term)).map((l) => ({
      title: l.title_th,
      message: l.message_th,
      published: thaiLongDate(l.published_ms, tz),
      schools: l.schools.map((h) => ({ rank: h.rank, code: h.code, name: h.name, why: h.why })),
    }));
  }
  if (kind === 'school') {
    const from = Date.parse(yearFrom);
    const to = Date.parse(yearTo);
    const feedback = (await sarFeedbackOf(db, officeId, [params.school ?? ''])).filter(
      (f) => f.created_ms >= from && f.created_ms < to,
    );
    report.school = {
      ...schoolPart(visits, pairs, actions, sars, selfs, defs, tz),
      sarFeedback: feedback.map((f) => ({
        standard:
          f.standard === null
            ? msg.reports.sarFeedback.overall
            : msg.reports.sarFeedback.standard(f.standard.replace(/^s/, '')),
        body: f.body,
        by: f.supervisor ?? '',
        when: thaiLongDate(f.created_ms, tz),
        answer:
          f.reply !== null
            ? msg.reports.sarFeedback.replied(f.reply)
            : f.acknowledged_ms !== null
              ? msg.reports.sarFeedback.acknowledged
              : msg.reports.sarFeedback.pending,
      })),
    };
  }
  return report;
}

function schoolPart(
  visits: Awaited<ReturnType<typeof visitFacts>>,
  pairs: RatingPair[],
  actions: Awaited<ReturnType<typeof actionFacts>>,
  sars: Awaited<ReturnType<typeof latestResponses>>,
  selfs: Awaited<ReturnType<typeof latestResponses>>,
  defs: Map<string, FormDefinition>,
  tz: string,
): Omit<NonNullable<Report['school']>, 'sarFeedback'> {
  const levels = (r: (typeof sars)[number] | undefined, only?: 'standard') => {
    const def = r === undefined ? undefined : defs.get(r.checklist_id);
    if (r === undefined || def === undefined) return [];
    const answers = r.answers ?? {};
    return outcomesOf(def)
      .filter((o) => only === undefined || o.achieve === only)
      .map((o) => {
        const level = typeof answers[o.key] === 'number' ? (answers[o.key] as number) : null;
        const target = targetOf(o, answers);
        return { label: o.label.th, level, target, achieved: achieved(level, target) };
      });
  };
  return {
    visits: visits.map((v) => {
      const a = v.answers ?? {};
      return {
        when: thaiLongDate(Date.parse(v.starts_at), tz),
        supervisor: v.supervisor,
        status: v.status,
        decision: v.decision,
        overall: levelText(a.overall_level),
        strengths: str(a.strengths),
        improve: str(a.improve),
        suggestions: str(a.suggestions),
        bestPractice: str(a.best_practice),
        ratings: pairs.filter((p) => p.visitId === v.visit_id),
      };
    }),
    actions: actions.map((a) => ({
      what: a.what,
      owner: a.owner,
      due: a.due_on === null ? null : thaiLongDate(Date.parse(`${a.due_on}T12:00:00Z`), tz),
      status: a.status,
    })),
    sar: levels(sars[0], 'standard'),
    self: levels(selfs[0]).map(({ label, level, achieved: ok }) => ({ label, level, achieved: ok })),
  };
}

export type { SchoolRow };
