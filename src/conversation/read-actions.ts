// Inputs that only read — a digest's "ดูรายชื่อ", the SAR summary (src/sar/chat.ts), the PDPA
// "ขอสำเนาข้อมูลของฉัน" — are answered by reply after one or two extra queries, with the conversation state
// untouched and the read recorded in the audit log. Adding another read means adding a case here, not another
// special path in the turn.
import type { Db } from '../db/client.js';

import { namesFor } from '../digests/names.js';
import type { Message } from '../line/messages.js';
import { parsePostbackData } from '../line/messages.js';
import { isCopyRequest } from '../pdpa/chat.js';
import { copyFor } from '../pdpa/copy.js';
import { sarReply, sarRequest } from '../sar/chat.js';
import type { Loaded } from './conversation.queries.js';
import type { Input } from './input.js';
import { isUuid } from '../ids/uuid.js';
import { isWord } from './normalize.js';
import { dueActionsReply, wantsDueActions } from '../visits/actions-chat.js';
import { wantsWeekDigest, weekDigestReply } from '../digests/week-chat.js';
import { feedbackReadReply, feedbackReadRequest } from '../sar/feedback-chat.js';

interface ReadAction {
  /** The audit log's action, and what was read. */
  action: string;
  targetType: string;
  targetId: string | null;
  read(db: Db): Promise<Message[]>;
}

export function readActionFor(
  input: Input,
  loaded: Loaded,
  timeZone: string,
  now: number,
  /** The conversation's flow: typed words are requests only at home (elsewhere they may be answers). */
  flow = 'home',
): ReadAction | null {
  const p = loaded.person;
  if (p === null) return null;
  const names = namesRequest(input, flow);
  if (names !== null) {
    const asker = { id: p.id, role: p.role, officeId: p.officeId, schoolId: loaded.schoolId };
    return {
      action: 'names.view',
      targetType: names.kind,
      targetId: names.campaignId ?? null,
      read: (db) => namesFor(db, asker, names, now),
    };
  }
  const sarReq = sarRequest(input);
  if (sarReq !== null) {
    return {
      action: sarReq.kind === 'card' ? 'sar.view' : 'sar.below',
      targetType: 'campaign',
      // A forged postback's text never reaches the audit log: only a well-formed id is recorded.
      targetId: sarReq.kind === 'below' && isUuid(sarReq.campaignId) ? sarReq.campaignId : null,
      read: (db) => sarReply(db, p, sarReq, now),
    };
  }
  const sarSchool = feedbackReadRequest(input, flow);
  if (sarSchool !== null) {
    return {
      action: 'sar.school.view',
      targetType: 'person',
      targetId: p.id,
      read: (db) => feedbackReadReply(db, p, sarSchool, timeZone),
    };
  }
  if (wantsDueActions(input, flow)) {
    return {
      action: 'actions.view',
      targetType: 'person',
      targetId: p.id,
      read: (db) => dueActionsReply(db, p, loaded.schoolId, now),
    };
  }
  if (wantsWeekDigest(input, flow)) {
    return { action: 'digest.view', targetType: 'person', targetId: p.id, read: (db) => weekDigestReply(db, p, now) };
  }
  if (isCopyRequest(input)) {
    return { action: 'pdpa.copy', targetType: 'person', targetId: p.id, read: (db) => copyFor(db, p.id, timeZone) };
  }
  return null;
}

/** Typed at home, the rich menu's "ค้างส่ง" and "ต่ำกว่าเป้า" tiles (LINE on PC shows no rich menu). */
const overdueWords = new Set(['ค้างส่ง', 'ใครยังไม่ส่ง', 'รายชื่อค้างส่ง', 'ยังไม่ส่ง', 'overdue', 'not submitted']);
const belowWords = new Set(['ต่ำกว่าเป้า', 'ต่ำกว่าเป้าหมาย', 'โรงเรียนต่ำกว่าเป้า', 'below target']);

/**
 * A digest's "ดูรายชื่อ" button: `a=names&k=<kind>[&c=<campaign>]`, no step token (it only reads); or the words
 * of the rich menu's tiles typed at home.
 */
function namesRequest(input: Input, flow: string): { kind: string; campaignId?: string } | null {
  if (input.kind === 'text') {
    if (flow !== 'home') return null;
    if (isWord(overdueWords, input.text)) return { kind: 'overdue' };
    return isWord(belowWords, input.text) ? { kind: 'sar' } : null;
  }
  if (input.kind !== 'postback') return null;
  const pb = parsePostbackData(input.data);
  if (pb?.action !== 'names') return null;
  const campaignId = pb.fields.get('c');
  return { kind: pb.fields.get('k') ?? '', ...(campaignId === null ? {} : { campaignId }) };
}
