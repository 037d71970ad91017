// The reply to a digest's "ดูรายชื่อ" button (postback `a=names&k=<kind>[&c=<campaignId>]`): who has not
// submitted, which schools are overdue, which are below their SAR targets — only within the asker's scope
// (director: the office, or only the schools in their digest cut; supervisor: assigned schools; principal: own school; anyone else: nothing). The
// postback carries no step token and may be forged, so every id in it is checked against the asker's office.
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { LIMITS, type Message, textMessage } from '../line/messages.js';
import { thaiShortDate } from '../time/thai.js';
import {
  type Asker,
  belowTargetNames,
  directorCut,
  type DigestRole,
  type NameRow,
  type NamesResult,
  overdueSchoolNames,
  pendingNames,
  schoolPendingNames,
} from './digests.queries.js';
import { isUuid } from '../ids/uuid.js';
import { msg } from '../i18n/msg.js';

export type NamesKind = 'pending' | 'overdue' | 'sar';

/** Rows fetched per reply: more than five LINE texts can hold, so the "และอีก N" count is exact. */
export const NAMES_LIMIT = 1500;
export const MAX_MESSAGES = LIMITS.messagesPerReply;
const LINE_CHARS = 200;

const digestRoles: readonly Role[] = ['director', 'supervisor', 'principal'];
const isDigestRole = (r: Role): r is DigestRole => digestRoles.includes(r);

export async function namesFor(
  db: Db,
  person: { id: string; role: Role; officeId: string; schoolId: string | null },
  params: { kind: string; campaignId?: string | undefined },
  /** The turn's clock (ctx.now); "open" and "overdue" are judged at this instant. */
  at: number = Date.now(),
): Promise<Message[]> {
  const { role } = person;
  if (!isDigestRole(role)) return [textMessage(msg.digest.namesNotAllowed)];
  if (role === 'principal' && person.schoolId === null) return [textMessage(msg.digest.namesNoSchool)];
  // A director's digest cut narrows the names the same way it narrows the digest (schoolInCut).
  const cut = role === 'director' ? await directorCut(db, person.id) : null;
  const asker: Asker = { id: person.id, role, officeId: person.officeId, schoolId: person.schoolId, cut };
  const iso = new Date(at).toISOString();
  const campaignId = params.campaignId === undefined || params.campaignId === '' ? null : params.campaignId;
  if (campaignId !== null && !isUuid(campaignId)) return [textMessage(msg.digest.namesNotFound)];

  switch (params.kind) {
    case 'pending': {
      if (campaignId === null) return [textMessage(msg.digest.namesUnknown)];
      const res = await pendingNames(db, asker, campaignId, iso, NAMES_LIMIT);
      if (res.campaign === null) return [textMessage(msg.digest.namesNotFound)];
      if (res.total === 0) return [textMessage(msg.digest.pendingNone(res.campaign.title))];
      const school = res.campaign.scope === 'school';
      const unit = school ? msg.digest.unitSchool : msg.digest.unitPerson;
      const header = msg.digest.pendingHeader(
        res.campaign.title,
        thaiShortDate(res.campaign.due_ms, res.campaign.tz),
        res.total,
        unit,
      );
      // People are listed under their school; schools (school-scope campaigns) under their cluster.
      return pack(
        header,
        lines(res.rows, (r) => (school ? (r.cluster ?? msg.digest.noCluster) : schoolHeading(r)), nameOf),
        res.total,
        unit,
      );
    }
    case 'overdue': {
      // A principal's "ค้างส่ง": who at their school has not submitted what is open (their school is theirs alone).
      if (role === 'principal' && campaignId === null) {
        const res = await schoolPendingNames(db, asker, iso, NAMES_LIMIT);
        if (res.total === 0) return [textMessage(msg.digest.schoolPendingNone)];
        return pack(
          msg.digest.schoolPendingHeader(res.total),
          lines(res.rows, groupOf, nameOf),
          res.total,
          msg.digest.unitPerson,
        );
      }
      const res = await overdueSchoolNames(db, asker, campaignId, iso, NAMES_LIMIT);
      if (campaignId !== null && res.campaign === null) return [textMessage(msg.digest.namesNotFound)];
      if (res.total === 0) return [textMessage(msg.digest.overdueNone)];
      return pack(
        msg.digest.overdueHeader(res.total),
        lines(res.rows, groupOf, schoolOf),
        res.total,
        msg.digest.unitSchool,
      );
    }
    case 'sar': {
      const res: NamesResult = await belowTargetNames(db, asker, NAMES_LIMIT);
      if (res.total === 0) return [textMessage(msg.digest.sarNone)];
      return pack(
        msg.digest.sarHeader(res.total),
        lines(res.rows, groupOf, schoolOf),
        res.total,
        msg.digest.unitSchool,
      );
    }
    default:
      return [textMessage(msg.digest.namesUnknown)];
  }
}

const clipLine = (s: string) => (s.length > LINE_CHARS ? `${s.slice(0, LINE_CHARS - 1)}…` : s);
const schoolHeading = (r: NameRow) =>
  r.school === null ? msg.digest.noSchool : r.cluster === null ? r.school : `${r.school} (${r.cluster})`;
const groupOf = (r: NameRow) => r.group ?? '';
const nameOf = (r: NameRow) => (r.linked === false ? `${r.name} ${msg.digest.notLinked}` : r.name);
const schoolOf = (r: NameRow) => (r.cluster === null ? r.name : `${r.name} (${r.cluster})`);

interface Line {
  text: string;
  /** Whether the line names one person or school (headings do not count toward "และอีก N"). */
  item: boolean;
}

/** Rows (already ordered by group) as a heading per group followed by one bullet per name. */
function lines(rows: NameRow[], heading: (r: NameRow) => string, label: (r: NameRow) => string): Line[] {
  const out: Line[] = [];
  let current: string | null = null;
  for (const r of rows) {
    const h = heading(r);
    if (h !== current) {
      out.push({ text: `\n▪ ${clipLine(h)}`, item: false });
      current = h;
    }
    out.push({ text: `• ${clipLine(label(r))}`, item: true });
  }
  return out;
}

/**
 * Fills up to five texts of at most 5,000 characters; what does not fit (or was not fetched) is counted in a
 * closing "และอีก N". The last text keeps room for that line.
 */
export function pack(header: string, body: Line[], total: number, unit: string): Message[] {
  const max = LIMITS.textLength;
  const reserve = 80;
  const texts: string[] = [header];
  let shown = 0;
  for (const line of body) {
    const last = texts.length - 1;
    const limit = texts.length === MAX_MESSAGES ? max - reserve : max;
    const current = texts[last] ?? '';
    if (current.length + 1 + line.text.length <= limit) {
      texts[last] = `${current}\n${line.text}`;
    } else if (texts.length < MAX_MESSAGES) {
      texts.push(line.text.trimStart());
    } else break;
    if (line.item) shown++;
  }
  const rest = total - shown;
  if (rest > 0) {
    const more = msg.digest.andMore(rest, unit);
    const last = texts.length - 1;
    const current = texts[last] ?? '';
    if (current.length + 1 + more.length <= max) texts[last] = `${current}\n${more}`;
    else texts.push(more);
  }
  return texts.map((t) => textMessage(t));
}
