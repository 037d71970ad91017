// The weekly digest, staged for the daily bundles: on an office's first working day of the ISO week (Monday, or the
// next day that is no holiday), once (a plan_marks row under the week's Monday), each linked
// active director, supervisor (their schools) and principal (their school) gets a digest item, and their bundle of
// that day carries the digest as its second message, beside the day's reminder card: one push. The data comes
// from a handful of set-based queries for the office; the digest is built here as data (flex-templates/
// digest-card.ts's input), stored once per distinct view. In the first digest after the week a SAR campaign was
// due, directors also get the office's SAR synthesis card (a third message of the same push). A director with a
// digest cut (src/digests/cut.ts) gets both for the schools in it, from the same rows.
import type { Db } from '../db/client.js';
import { sarCardInput } from '../sar/card.js';
import { loadDueSarReports } from '../sar/report.js';
import { buildDigest, INLINE_NAMES, type OfficeData } from './build.js';
import type { DigestInput } from '../../flex-templates/digest-card.js';
import { type CutView, cutViews } from './cut.js';
import {
  belowTarget,
  currentTerms,
  digestRecipient,
  dueRecipients,
  openCampaigns,
  type RecipientRow,
  stageDigests,
  type StagedDigest,
  pendingNamesBySchool,
  progressBySchool,
  visitsThisSemester,
} from './digests.queries.js';

import type { DigestBody } from '../outbox/bundle.js';
import { msg } from '../i18n/msg.js';
import type { SarCardInput } from '../../flex-templates/sar-card.js';
import { claimSlot, officeSlot } from '../reminders/reminders.queries.js';
import { dedupeKey } from '../outbox/keys.js';
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

/**
 * Stages this week's digests of one office, if it is a working day there and they are not staged yet; the office's planning
 * hour calls it first (src/reminders/plan.ts), so it may also run as a unit of its own. Returns the items queued.
 */
export async function planDigests(db: Db, at: number, officeId: string): Promise<{ items: number }> {
  // Its marker and its items commit together (a savepoint inside the planning hour's transaction).
  return db.transaction((tx) => stage(tx, at, officeId));
}

async function stage(db: Db, at: number, officeId: string): Promise<{ items: number }> {
  const iso = new Date(at).toISOString();
  const slot = await officeSlot(db, iso, officeId);
  // The week's first working day (Monday, or the next day that is no holiday), once per ISO week.
  if (slot === undefined || !slot.digest_day || slot.digest_staged) return { items: 0 };
  if (!(await claimSlot(db, officeId, slot.week_start, 'digest', iso))) return { items: 0 };
  const recipients = await dueRecipients(db, iso, officeId);
  if (recipients.length === 0) return { items: 0 };

  const officeIds = [officeId];
  const principalSchools = [
    ...new Set(recipients.flatMap((r) => (r.role === 'principal' && r.school_id !== null ? [r.school_id] : []))),
  ];
  const { view, cuts } = await loadOffice(db, officeId, iso, principalSchools, at, recipients);
  const sar = recipients.some((r) => r.role === 'director') ? await loadDueSarReports(db, officeIds, at) : null;
  // The SAR cards once per distinct view: the office's, and each cut's (its schools only, the cut in the heading).
  const sarCards = new Map<CutView | null, SarCardInput[]>();
  const sarFor = (r: RecipientRow): SarCardInput[] => {
    if (r.role !== 'director' || sar === null) return [];
    const cut = cuts.of(r.digest_cut);
    let cards = sarCards.get(cut);
    if (cards === undefined) {
      const scope = cut === null ? undefined : msg.digest.cutScope(cut.label, r.office_name);
      cards = sar
        .report(cut?.schools ?? null)
        .map((report) => sarCardInput(report, scope))
        .slice(0, MAX_SAR_CARDS);
      sarCards.set(cut, cards);
    }
    return cards;
  };

  // People with the same view (an office's directors) share one body, sent to Postgres once.
  const payloads: string[] = [];
  const payloadIndex = new Map<string, number>();
  const rows: StagedDigest[] = [];
  for (const r of recipients) {
    const body: DigestBody = { digest: view(r), sar: sarFor(r) };
    const json = JSON.stringify(body);
    let index = payloadIndex.get(json);
    if (index === undefined) {
      index = payloads.length;
      payloads.push(json);
      payloadIndex.set(json, index);
    }
    rows.push({ personId: r.person_id, payload: index });
  }
  const week = recipients[0]?.week ?? slot.day;
  return { items: await stageDigests(db, officeId, iso, dedupeKey('digest', week), payloads, rows) };
}

/**
 * The office's digest data as of `iso`, and each recipient's view of it (a principal's reads only their school; a
 * director with a digest cut, only the schools in it: one query per distinct cut among `recipients`).
 */
async function loadOffice(
  db: Db,
  officeId: string,
  iso: string,
  principalSchools: string[],
  at: number,
  recipients: RecipientRow[],
) {
  const officeIds = [officeId];
  const cuts = await cutViews(
    db,
    officeId,
    recipients.map((r) => r.digest_cut),
  );
  // One after another: this runs inside the office's planning transaction, on one connection.
  const campaigns = await openCampaigns(db, officeIds, iso);
  const progress = await progressBySchool(db, officeIds, iso);
  const below = await belowTarget(db, officeIds);
  const pending = await pendingNamesBySchool(db, officeIds, principalSchools, iso, INLINE_NAMES);
  const terms = await currentTerms(db, officeIds, iso);
  const visits = await visitsThisSemester(db, officeIds, iso);
  const office: OfficeData = {
    campaigns,
    progress,
    belowTarget: below,
    pending: [],
    term: terms[0],
    visits: visits ?? null,
  };
  const schoolProgress = groupBy(progress, (r) => r.school_id ?? '');
  const schoolPending = groupBy(pending, (r) => r.school_id);
  const view = (r: RecipientRow): DigestInput =>
    buildDigest(
      {
        personId: r.person_id,
        role: r.role,
        officeName: r.office_name,
        timeZone: r.time_zone,
        schoolId: r.school_id,
        schoolName: r.school_name,
        schools: r.schools,
        cut: cuts.of(r.digest_cut),
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
  return { view, cuts };
}

/**
 * "สรุปสัปดาห์นี้" in chat: the asker's digest as of now, built as Monday's is (a director, supervisor or
 * principal; undefined for anyone else). A read: nothing is queued or stored.
 */
export async function digestNow(db: Db, personId: string, at: number): Promise<DigestInput | undefined> {
  const iso = new Date(at).toISOString();
  const r = await digestRecipient(db, personId, iso);
  if (r === undefined) return undefined;
  const { view } = await loadOffice(db, r.office_id, iso, r.school_id === null ? [] : [r.school_id], at, [r]);
  return view(r);
}
