// SAR feedback (ข้อเสนอแนะ) in chat. Reading is a read (src/conversation/read-actions.ts): a supervisor types
// "SAR" for their schools, or "SAR <school>" for one school's latest SAR as a short Thai summary (each standard's
// level against its target, strengths, points to improve) with buttons to give feedback on a standard or overall.
// Writing is the sarfb flow (src/sar/flow.ts; the supervisor's schools come with the visit block): the
// supervisor types the feedback, the school's principals get it in their next bundle with รับทราบ / ตอบกลับ, and
// the supervisor hears of either in theirs. Postbacks may be forged: the SQL re-checks the actor and the school.
import type { Effect } from '../conversation/effects.js';
import type { Step } from '../conversation/flow.js';
import type { Input } from '../conversation/input.js';
import { commandKey } from '../conversation/normalize.js';
import type { ConversationState } from '../conversation/state.js';
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { type Message, postbackData, quickPostback, textMessage } from '../line/messages.js';
import { dedupeKey } from '../outbox/keys.js';
import { thaiShortDate } from '../time/thai.js';
import type { IdSlot } from '../ids/row-id.js';
import { isUuid } from '../ids/uuid.js';
import { schoolSars, type SchoolSarRow } from './feedback.queries.js';
import { levelOf, sarStandards } from './synthesis.js';
import { sarKey } from './keys.js';
import type { SarFeedbackState } from './feedback-effects.js';
import { msg } from '../i18n/msg.js';

/** Postback actions: give feedback (supervisor), acknowledge or reply (principal). No step token. */
export const FEEDBACK_ACTIONS = new Set(['sarfb', 'sarack', 'sarrep']);
export const FEEDBACK_MAX = 1000;

/** "SAR" alone or "SAR <school>", typed at home. */
export function feedbackReadRequest(input: Input, flow: string): { school: string } | null {
  if (input.kind !== 'text' || flow !== 'home') return null;
  const m = /^(?:sar|ดู\s*sar|อ่าน\s*sar)(?:\s+(.+))?$/iu.exec(input.text.trim());
  if (m === null) return null;
  return { school: (m[1] ?? '').trim() };
}

/** A SAR text answer (strengths, points to improve) as one line; null when blank. */
export const textOf = (v: unknown): string | null => {
  const s = Array.isArray(v) ? v.filter((x) => typeof x === 'string').join(', ') : typeof v === 'string' ? v : '';
  return s.trim() === '' ? null : s.trim();
};

/** The summary of one school's latest SAR, with its feedback buttons. Pure. */
export function sarSummary(row: SchoolSarRow, tz: string): Message[] {
  if (row.response_id === null || row.definition === null) return [textMessage(msg.sarFeedback.noSar(row.name))];
  const answers = row.answers ?? {};
  const lines = [msg.sarFeedback.summaryHead(row.name, row.title ?? '', thaiShortDate(row.submitted_ms ?? 0, tz))];
  const standards = sarStandards(row.definition);
  for (const st of standards) {
    lines.push(
      msg.sarFeedback.standardLine(
        st.label,
        levelOf(answers[sarKey.level(st.key)]),
        levelOf(answers[sarKey.target(st.key)]),
      ),
    );
    const s = textOf(answers[`${st.key}_strengths`]);
    if (s !== null) lines.push(msg.sarFeedback.strengths(s));
    const i = textOf(answers[`${st.key}_improve`]);
    if (i !== null) lines.push(msg.sarFeedback.improve(i));
  }
  const button = (label: string, n: string) =>
    quickPostback(label, postbackData('sarfb', { sc: row.school_id, n, r: row.response_id ?? '' }), label);
  return [
    textMessage(lines.join('\n').slice(0, 4900)),
    textMessage(msg.sarFeedback.pickFeedback, [
      ...standards.slice(0, 11).map((st) => button(msg.sarFeedback.standardShort(st.key.slice(1)), st.key)),
      button(msg.sarFeedback.overall, 'all'),
    ]),
  ];
}

/** The read: the supervisor's schools, or one school's summary. */
export async function feedbackReadReply(
  db: Db,
  person: { id: string; role: Role; officeId: string },
  req: { school: string },
  tz: string,
): Promise<Message[]> {
  if (person.role !== 'supervisor') return [textMessage(msg.sarFeedback.onlySupervisors)];
  const rows = await schoolSars(db, { ...person, schoolId: null }, null);
  if (req.school === '') {
    return [
      textMessage(
        msg.sarFeedback.pickSchool(
          rows.map((r, i) => msg.sarFeedback.schoolLine(i + 1, r.name, r.response_id !== null)),
        ),
      ),
    ];
  }
  const n = /^\d{1,3}$/.test(req.school) ? rows[Number(req.school) - 1] : undefined;
  const key = commandKey(req.school).replace(/^(?:โรงเรียน|รร\.?)\s*/u, '');
  const hits = n !== undefined ? [n] : rows.filter((r) => key.length >= 2 && commandKey(r.name).includes(key));
  const exact = rows.find((r) => commandKey(r.name) === commandKey(req.school));
  const row = exact ?? (hits.length === 1 ? hits[0] : undefined);
  return row === undefined ? [textMessage(msg.sarFeedback.notFound)] : sarSummary(row, tz);
}

export interface FeedbackCtx {
  person: { id: string; role: Role; name: string; schoolName: string | null };
  schools: { id: string; name: string }[];
  newId: (slot: IdSlot) => string;
  now: number;
  /** The tapped feedback (sarack / sarrep) is for the person's school: false for a forged or unknown id. */
  feedbackOwn: boolean;
}

const what = (standard: string) =>
  standard === 'all' ? msg.sarFeedback.overall : msg.sarFeedback.standardShort(standard.replace(/^s/, ''));

/**
 * The principal's message of one feedback, with รับทราบ / ตอบกลับ: the same from chat and from the web form.
 * `standard` is `s1`, … or `all`.
 */
export function feedbackMessage(
  id: string,
  f: { supervisor: string; school: string; standard: string; text: string },
): Message {
  return textMessage(
    msg.sarFeedback.toPrincipal({ supervisor: f.supervisor, school: f.school, what: what(f.standard), text: f.text }),
    [
      quickPostback(msg.sarFeedback.ack, postbackData('sarack', { f: id }), msg.sarFeedback.ack),
      quickPostback(msg.sarFeedback.reply, postbackData('sarrep', { f: id }), msg.sarFeedback.reply),
    ],
  );
}

/** A feedback postback (from the summary's buttons or a principal's push). Null: not one of ours. */
export function feedbackPostback(
  state: ConversationState,
  action: string,
  fields: URLSearchParams | Map<string, string>,
  c: FeedbackCtx,
): Step | null {
  const get = (k: string) => fields.get(k) ?? '';
  const next = (flow: ConversationState['flow']): ConversationState => ({ ...state, seq: state.seq + 1, flow });
  switch (action) {
    case 'sarfb': {
      if (c.person.role !== 'supervisor')
        return { state, replies: [textMessage(msg.sarFeedback.onlySupervisors)], effects: [] };
      const school = c.schools.find((s) => s.id === get('sc'));
      const standard = get('n');
      if (school === undefined || !/^(?:s\d{1,2}|all)$/.test(standard))
        return { state, replies: [textMessage(msg.sarFeedback.notFound)], effects: [] };
      return {
        state: next({
          flow: 'sarfb',
          step: 'text',
          schoolId: school.id,
          schoolName: school.name,
          standard,
          ...(isUuid(get('r')) ? { responseId: get('r') } : {}),
        }),
        replies: [textMessage(msg.sarFeedback.askText(school.name, what(standard)))],
        effects: [],
      };
    }
    case 'sarack':
      if (c.person.role !== 'principal')
        return { state, replies: [textMessage(msg.sarFeedback.notPrincipal)], effects: [] };
      return isUuid(get('f')) && c.feedbackOwn
        ? ack(state, c, get('f'), null)
        : { state, replies: [textMessage(msg.sarFeedback.notPrincipal)], effects: [] };
    case 'sarrep':
      if (c.person.role !== 'principal' || !c.feedbackOwn)
        return { state, replies: [textMessage(msg.sarFeedback.notPrincipal)], effects: [] };
      return {
        state: next({ flow: 'sarfb', step: 'reply', feedbackId: get('f') }),
        replies: [textMessage(msg.sarFeedback.askReply)],
        effects: [],
      };
    default:
      return null;
  }
}

function ack(state: ConversationState, c: FeedbackCtx, feedbackId: string, reply: string | null): Step {
  const home: ConversationState = { ...state, flow: { flow: 'home' } };
  const effect: Effect = {
    type: 'sarFeedbackAck',
    feedbackId,
    personId: c.person.id,
    reply,
    dedupeKey: reply === null ? dedupeKey('sarfb', feedbackId, 'ack') : dedupeKey('sarfb', feedbackId, 'reply', c.now),
    supervisorMessage: textMessage(
      reply === null
        ? msg.sarFeedback.toSupervisorAck(c.person.name, c.person.schoolName ?? '')
        : msg.sarFeedback.toSupervisorReply(c.person.name, c.person.schoolName ?? '', reply),
    ),
  };
  return {
    state: home,
    replies: [textMessage(reply === null ? msg.sarFeedback.acknowledged : msg.sarFeedback.replied)],
    effects: [effect],
  };
}

/** The text typed in step sarfb (the feedback) or sarreply (the reply). */
export function feedbackText(
  state: ConversationState & { flow: SarFeedbackState },
  text: string,
  c: FeedbackCtx,
): Step {
  const t = text.trim();
  if (t.length > FEEDBACK_MAX)
    return { state, replies: [textMessage(msg.sarFeedback.tooLong(FEEDBACK_MAX))], effects: [] };
  const flow = state.flow;
  if (flow.step === 'reply') return ack(state, c, flow.feedbackId ?? '', t);
  // The school was checked against the supervisor's when the button was tapped; the SQL checks it again.
  const school = flow.schoolId === undefined ? undefined : { id: flow.schoolId, name: flow.schoolName ?? '' };
  const standard = flow.standard ?? 'all';
  if (school === undefined)
    return {
      state: { ...state, flow: { flow: 'home' } },
      replies: [textMessage(msg.sarFeedback.notFound)],
      effects: [],
    };
  const id = c.newId('feedback');
  const effect: Effect = {
    type: 'sarFeedback',
    id,
    supervisorId: c.person.id,
    schoolId: school.id,
    responseId: flow.responseId ?? null,
    standard: standard === 'all' ? null : standard,
    text: t,
    principalMessage: feedbackMessage(id, { supervisor: c.person.name, school: school.name, standard, text: t }),
  };
  return {
    state: { ...state, flow: { flow: 'home' } },
    replies: [textMessage(msg.sarFeedback.sent(school.name))],
    effects: [effect],
  };
}
