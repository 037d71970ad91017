// From the set-based rows of one office to one recipient's digest: a director sees the office by cluster, a
// supervisor their assigned schools one by one, a principal their own school with the names still missing.
// Pure: no I/O, no clock (`at` and the office's time zone come in).
import type {
  DigestCampaign,
  DigestGroup,
  DigestInput,
  DigestBelowTargetRow,
  DigestOverdueRow,
} from '../../flex-templates/digest-card.js';
import { percent } from '../i18n/percent.js';
import { postbackData } from '../line/messages.js';
import { thaiLongDate, thaiShortDate } from '../time/thai.js';
import type {
  BelowTargetRow,
  CampaignRow,
  DigestRole,
  PendingNameRow,
  ProgressRow,
  TermRow,
  VisitCountRow,
} from './digests.queries.js';
import { msg } from '../i18n/msg.js';

/** Everything the digests of one office are built from. */
export interface OfficeData {
  campaigns: CampaignRow[];
  progress: ProgressRow[];
  belowTarget: BelowTargetRow[];
  pending: PendingNameRow[];
  term: TermRow | undefined;
  /** Null: there is no supervision-visit data (yet). */
  visits: VisitCountRow[] | null;
}

export interface DigestRecipient {
  personId: string;
  role: DigestRole;
  officeName: string;
  timeZone: string;
  schoolId: string | null;
  schoolName: string | null;
  /** A supervisor's schools. */
  schools: string[] | null;
  /** A director's digest cut: only these schools are counted, and the heading names the cut. */
  cut?: { label: string; schools: ReadonlySet<string> } | null;
}

const WEEK_MS = 7 * 86_400_000;
/** Names shown inline in a principal's digest per campaign; the button lists the rest. */
export const INLINE_NAMES = 8;

export const namesData = (kind: 'pending' | 'overdue' | 'sar', campaignId?: string) =>
  postbackData('names', campaignId === undefined ? { k: kind } : { k: kind, c: campaignId });

interface Tally {
  answered: number;
  expected: number;
  week: number;
}
const add = (t: Tally, r: ProgressRow) => {
  t.answered += r.answered;
  t.expected += r.expected;
  t.week += r.answered_week;
};

/** The recipient's digest. Who gets one at all is decided by dueRecipients, so this always has an answer. */
export function buildDigest(r: DigestRecipient, data: OfficeData, at: number): DigestInput {
  const supervised = new Set(r.schools ?? []);
  const cut = r.role === 'director' ? (r.cut ?? null) : null;
  const inScope = (schoolId: string | null): boolean =>
    r.role === 'director'
      ? cut === null || (schoolId !== null && cut.schools.has(schoolId))
      : schoolId !== null && (r.role === 'supervisor' ? supervised.has(schoolId) : schoolId === r.schoolId);

  const progress = data.progress.filter((p) => inScope(p.school_id));
  const byCampaign = new Map<string, ProgressRow[]>();
  for (const p of progress) {
    const list = byCampaign.get(p.campaign_id);
    if (list === undefined) byCampaign.set(p.campaign_id, [p]);
    else list.push(p);
  }

  const campaigns: DigestCampaign[] = [];
  const overdue: DigestOverdueRow[] = [];
  const completedThisWeek: string[] = [];
  const groupTally = new Map<string, Tally & { label: string }>();
  let submittedThisWeek = 0;

  for (const c of data.campaigns) {
    const rows = byCampaign.get(c.id) ?? [];
    // Directors see every open campaign (an empty audience is worth noticing); others only those that reach them.
    if (rows.length === 0 && r.role !== 'director') continue;
    const total: Tally = { answered: 0, expected: 0, week: 0 };
    const groups = new Map<string, Tally & { label: string }>();
    for (const p of rows) {
      add(total, p);
      const key =
        r.role === 'director' ? (p.school_id === null ? 'none' : (p.cluster_id ?? 'nocluster')) : (p.school_id ?? '');
      const label =
        r.role === 'director'
          ? p.school_id === null
            ? msg.digest.noSchool
            : (p.cluster_name ?? msg.digest.noCluster)
          : (p.school_name ?? msg.digest.noSchool);
      const g = groups.get(key) ?? { label, answered: 0, expected: 0, week: 0 };
      add(g, p);
      groups.set(key, g);
      if (p.school_id !== null) {
        const gt = groupTally.get(key) ?? { label, answered: 0, expected: 0, week: 0 };
        add(gt, p);
        groupTally.set(key, gt);
      }
    }
    submittedThisWeek += total.week;
    const lastSubmitted = Math.max(0, ...rows.map((p) => p.last_submitted_ms ?? 0));
    if (total.expected > 0 && total.answered >= total.expected && lastSubmitted > at - WEEK_MS)
      completedThisWeek.push(c.title_th);
    const isOverdue = c.due_ms < at;
    if (c.scope === 'school' && isOverdue) {
      const late = rows.reduce((n, p) => n + Math.max(0, p.expected - p.answered), 0);
      if (late > 0) overdue.push({ title: c.title_th, schools: late });
    }
    const names =
      r.role === 'principal' ? data.pending.filter((n) => n.campaign_id === c.id && n.school_id === r.schoolId) : [];
    const missing = total.expected - total.answered;
    campaigns.push({
      title: c.title_th,
      due: thaiShortDate(c.due_ms, r.timeZone),
      overdue: isOverdue && missing > 0,
      unit: c.scope === 'school' ? msg.digest.unitSchool : msg.digest.unitPerson,
      answered: total.answered,
      expected: total.expected,
      groupsTitle: r.role === 'director' ? msg.digest.byCluster : msg.digest.bySchool,
      groups:
        r.role === 'principal'
          ? []
          : [...groups.values()]
              .map((g): DigestGroup => ({ label: g.label, answered: g.answered, expected: g.expected }))
              .sort(
                (a, b) =>
                  percent(a.answered, a.expected) - percent(b.answered, b.expected) ||
                  a.label.localeCompare(b.label, 'th'),
              ),
      pendingNames: names.map((n) => n.name),
      pendingMore: r.role === 'principal' && c.scope === 'person' ? Math.max(0, missing - names.length) : 0,
      namesData: missing > 0 ? namesData('pending', c.id) : null,
    });
  }

  const sar = new Map<string, DigestBelowTargetRow>();
  for (const b of data.belowTarget) {
    if (!inScope(b.school_id)) continue;
    const key = `${b.checklist_key}:${b.standard}`;
    const row = sar.get(key) ?? {
      label: msg.digest.standardLabel(b.standard_label ?? b.standard, b.checklist_title),
      schools: 0,
    };
    row.schools += 1;
    sar.set(key, row);
  }

  // A supervisor's own visits; a director's to the office's schools, or only to those in their cut.
  const visits =
    data.visits?.filter((v) => (r.role === 'director' ? inScope(v.school_id) : v.supervisor_id === r.personId)) ?? null;
  const overdueTotal = overdue.reduce((n, o) => n + o.schools, 0);

  const highlights: string[] = completedThisWeek.map(msg.digest.completedThisWeek);
  if (r.role !== 'principal') {
    const best = [...groupTally.values()]
      .filter((g) => g.expected > 0 && g.answered > 0)
      .sort((a, b) => b.answered / b.expected - a.answered / a.expected || b.week - a.week)[0];
    if (best !== undefined && groupTally.size > 1)
      highlights.push(
        (r.role === 'director' ? msg.digest.fastestCluster : msg.digest.fastestSchool)(
          best.label,
          percent(best.answered, best.expected),
        ),
      );
  }
  if (submittedThisWeek > 0) highlights.push(msg.digest.submittedThisWeek(submittedThisWeek));

  return {
    title: msg.digest.title,
    scope:
      r.role === 'director'
        ? cut === null
          ? r.officeName
          : msg.digest.cutScope(cut.label, r.officeName)
        : r.role === 'supervisor'
          ? msg.digest.supervisorScope((r.schools ?? []).length, r.officeName)
          : (r.schoolName ?? r.officeName),
    date: thaiLongDate(at, r.timeZone),
    term: data.term === undefined ? null : msg.digest.term(data.term.term, data.term.academic_year),
    highlights,
    overdue:
      r.role === 'principal'
        ? null
        : {
            total: overdueTotal,
            rows: overdue.sort((a, b) => b.schools - a.schools),
            namesData: overdueTotal > 0 ? namesData('overdue') : null,
          },
    belowTarget:
      r.role === 'principal' ? null : { rows: [...sar.values()], namesData: sar.size > 0 ? namesData('sar') : null },
    visits:
      r.role === 'principal'
        ? null
        : visits === null
          ? 'none'
          : visits.length === 0
            ? 'none'
            : {
                done: visits.reduce((n, v) => n + v.done, 0),
                planned: visits.reduce((n, v) => n + v.planned, 0),
              },
    campaigns,
  };
}
