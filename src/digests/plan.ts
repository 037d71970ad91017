// The weekly digest planner, called by the tick: on Monday from 08:00 in each office's time zone, one outbox row
// per linked active director, supervisor (their schools) and principal (their school), keyed
// `digest:<personId>:<ISO week>` so any number of ticks plan each digest once. The data comes from a handful of
// set-based queries over all due offices; the Flex is built here; the rows go in with one INSERT … SELECT per
// few megabytes of messages. In the first digest after the week a SAR campaign was due, directors also get the
// office's SAR synthesis card as a second message of the same push (one push, no extra quota).
import type { Db } from '../db/client.js';
import { digestMessage } from '../../flex-templates/digest-card.js';
import { sarCardMessage } from '../../flex-templates/sar-card.js';
import { sarCardInput } from '../sar/card.js';
import { loadDueSarReports } from '../sar/report.js';
import { buildDigest, INLINE_NAMES, type OfficeData } from './build.js';
import {
  belowTarget,
  currentTerms,
  dueRecipients,
  insertDigests,
  openCampaigns,
  type OutboxDigest,
  pendingNamesBySchool,
  progressBySchool,
  visitsThisSemester,
} from './digests.queries.js';

/** Local hour from which Monday's digest may be planned. */
export const DIGEST_HOUR = 8;
/** Offices planned per call; later ticks of the same Monday take the rest. */
export const OFFICES_PER_TICK = 25;
/** Message bytes per INSERT: a statement stays a few megabytes however many offices are due. */
const STATEMENT_BYTES = 4_000_000;
/** SAR cards after the digest: a push carries at most five messages, and an office rarely has two SARs due. */
const MAX_SAR_CARDS = 2;

const groupBy = <T>(rows: T[], key: (r: T) => string) => {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list === undefined) m.set(k, [r]);
    else list.push(r);
  }
  return m;
};

export async function planDigests(
  db: Db,
  at: number,
  opts: { maxOffices?: number; officeId?: string } = {},
): Promise<{ rows: number }> {
  const iso = new Date(at).toISOString();
  const recipients = await dueRecipients(db, iso, DIGEST_HOUR, opts.maxOffices ?? OFFICES_PER_TICK, opts.officeId);
  if (recipients.length === 0) return { rows: 0 };

  const officeIds = [...new Set(recipients.map((r) => r.office_id))];
  const principalSchools = [
    ...new Set(recipients.flatMap((r) => (r.role === 'principal' && r.school_id !== null ? [r.school_id] : []))),
  ];
  const [campaigns, progress, below, pending, terms, visits, sarReports] = await Promise.all([
    openCampaigns(db, officeIds, iso),
    progressBySchool(db, officeIds, iso),
    belowTarget(db, officeIds),
    pendingNamesBySchool(db, officeIds, principalSchools, iso, INLINE_NAMES),
    currentTerms(db, officeIds, iso),
    visitsThisSemester(db, officeIds, iso),
    recipients.some((r) => r.role === 'director') ? loadDueSarReports(db, officeIds, at) : Promise.resolve([]),
  ]);
  // One card per SAR, built once per office and shared by its directors.
  const sarCards = groupBy(
    sarReports.map((report) => ({ officeId: report.campaign.officeId, card: sarCardMessage(sarCardInput(report)) })),
    (x) => x.officeId,
  );
  const campaignsBy = groupBy(campaigns, (r) => r.office_id);
  const progressBy = groupBy(progress, (r) => r.office_id);
  const belowBy = groupBy(below, (r) => r.office_id);
  const visitsBy = visits === null ? null : groupBy(visits, (r) => r.office_id);
  // A principal's digest reads only their school's rows: hand them just those, not the office's.
  const schoolProgress = groupBy(progress, (r) => r.school_id ?? '');
  const schoolPending = groupBy(pending, (r) => r.school_id);
  const data = new Map<string, OfficeData>(
    officeIds.map((id) => [
      id,
      {
        campaigns: campaignsBy.get(id) ?? [],
        progress: progressBy.get(id) ?? [],
        belowTarget: belowBy.get(id) ?? [],
        pending: [],
        term: terms.find((t) => t.office_id === id),
        visits: visitsBy === null ? null : (visitsBy.get(id) ?? []),
      },
    ]),
  );

  // People with the same view (an office's directors) share one payload, sent to Postgres once.
  const payloads: string[] = [];
  const payloadIndex = new Map<string, number>();
  const rows: OutboxDigest[] = [];
  for (const r of recipients) {
    const office = data.get(r.office_id);
    if (office === undefined) continue;
    const view = buildDigest(
      {
        personId: r.person_id,
        role: r.role,
        officeName: r.office_name,
        timeZone: r.time_zone,
        schoolId: r.school_id,
        schoolName: r.school_name,
        schools: r.schools,
      },
      r.role === 'principal' && r.school_id !== null
        ? {
            ...office,
            progress: schoolProgress.get(r.school_id) ?? [],
            pending: schoolPending.get(r.school_id) ?? [],
          }
        : office,
      at,
    );
    const sarFor = r.role === 'director' ? (sarCards.get(r.office_id) ?? []).slice(0, MAX_SAR_CARDS) : [];
    const json = JSON.stringify([digestMessage(view), ...sarFor.map((x) => x.card)]);
    let index = payloadIndex.get(json);
    if (index === undefined) {
      index = payloads.length;
      payloads.push(json);
      payloadIndex.set(json, index);
    }
    rows.push({
      officeId: r.office_id,
      channelId: r.channel_id,
      personId: r.person_id,
      dedupeKey: r.dedupe_key,
      localDay: r.local_day,
      payload: index,
    });
  }

  let inserted = 0;
  for (const chunk of chunks(rows, payloads)) inserted += await insertDigests(db, iso, chunk.payloads, chunk.rows);
  return { rows: inserted };
}

/** Splits rows into statements of at most STATEMENT_BYTES of payload, each carrying only the payloads it uses. */
function* chunks(rows: OutboxDigest[], payloads: string[]) {
  let out: { payloads: string[]; rows: OutboxDigest[] } = { payloads: [], rows: [] };
  let local = new Map<number, number>();
  let size = 0;
  const encoder = new TextEncoder();
  for (const r of rows) {
    const payload = payloads[r.payload] ?? '[]';
    let i = local.get(r.payload);
    if (i === undefined) {
      const bytes = encoder.encode(payload).length;
      if (out.rows.length > 0 && size + bytes > STATEMENT_BYTES) {
        yield out;
        out = { payloads: [], rows: [] };
        local = new Map();
        size = 0;
      }
      i = out.payloads.length;
      out.payloads.push(payload);
      local.set(r.payload, i);
      size += bytes;
    }
    out.rows.push({ ...r, payload: i });
  }
  if (out.rows.length > 0) yield out;
}
