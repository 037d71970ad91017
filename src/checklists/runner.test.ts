// Table tests of the checklist runner, driven through transition(flows, ) as a turn drives it. Each turn's effects are
// applied to an in-memory response (answers, status, evidence), so the next turn sees what the database would
// hold; buttons are pressed by reading them from the message the bot just sent. Every reply of every turn is
// checked against LINE's limits and its OpenAPI document.
import { flows } from '../flows/index.js';
import { describe, expect, it } from 'vitest';
import { validateMessagingRequest } from '../../test/support/fake-line.js';
import type { Effect } from '../conversation/effects.js';
import type { ChecklistEffect } from './effects.js';
import { responseEffects } from './response-effects.queries.js';
import type { Input } from '../conversation/input.js';
import { normalizeText } from '../conversation/normalize.js';
import type { ConversationState } from '../conversation/state.js';
import { type Ctx, type PersonView, type Result, transition } from '../conversation/transition.js';
import { defaultPrivacyNotice } from '../i18n/th.js';
import { LIMITS, type Message, postbackData } from '../line/messages.js';
import { localDate } from '../time/thai.js';
import { type AnswerMap, type AnswerValue, answerKey } from './answers.js';
import { type Definition, DEFINITION_SCHEMA, flattenForm, validateFormDefinition } from './definition.js';
import { ASKED_WITHOUT_REASON, fixtureDefinition, fixtureDefinitionV2 } from './runner.fixture.js';
import type { CampaignView } from './runner.js';
import { testPerson } from '../../test/support/conversation.js';
import { type IdSlot, rowId } from '../ids/row-id.js';

const NOW = Date.parse('2026-11-20T02:00:00Z'); // Friday 09:00 in Bangkok
const DUE = Date.parse('2026-11-30T10:00:00Z');
const TODAY = '2026-11-20';
const OFFICE = '00000000-0000-4000-8000-000000000001';
const SCHOOL = '00000000-0000-4000-8000-0000000000a1';
const A = 'checklist-a';
const B = 'checklist-b';
const CAMPAIGN = 'campaign-1';
const RESPONSE = 'response-1';
const TITLE = fixtureDefinition.title.th;
const N = ASKED_WITHOUT_REASON.length; // 10 questions while has_plan is 'yes' and no finding is added

const teacher: PersonView = testPerson({ id: 'person-1', officeId: OFFICE });

// ── A tiny world: the conversation state and one response, persisted by applying each turn's effects ──

interface World {
  state: ConversationState;
  answers: AnswerMap;
  campaign: CampaignView;
  definitions: Map<string, Definition>;
  person: PersonView;
  schoolId: string | null;
  now: number;
  lastId: number;
  log: Effect[];
}

function newWorld(over: Partial<World> = {}): World {
  return {
    state: { v: 1, seq: 7, noticeShownAt: NOW - 86_400_000, flow: { flow: 'home' } },
    answers: {},
    campaign: {
      campaignId: CAMPAIGN,
      checklistId: A,
      title: TITLE,
      scope: 'person',
      dueAt: DUE,
      responseId: null,
      status: null,
    },
    definitions: new Map([[A, fixtureDefinition]]),
    person: teacher,
    schoolId: SCHOOL,
    now: NOW,
    lastId: 0,
    log: [],
    ...over,
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** The id turn `n` of a world derives for a row of kind `slot`. */
const idOf = (n: number, slot: IdSlot) => rowId(`evt-${n}`, slot);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function ctxOf(w: World): Ctx {
  return {
    now: w.now,
    // One event per turn: turn n creates rows with ids derived from evt-n (idOf below).
    eventId: `evt-${++w.lastId}`,
    timeZone: 'Asia/Bangkok',
    person: w.person,
    invite: null,
    channelOfficeId: OFFICE,
    privacyNotice: defaultPrivacyNotice,
    checklists: {
      today: localDate(w.now, 'Asia/Bangkok'),
      schoolId: w.schoolId,
      open: [{ ...w.campaign }],
      definitions: w.definitions,
      // Frozen: the runner must derive, never mutate, what it was given.
      answers: deepFreeze(structuredClone(w.answers)),
      assignedSchools: [],
    },
  };
}

const checklistEffects = new Set<string>(Object.keys(responseEffects));
const isChecklistEffect = (e: Effect): e is ChecklistEffect => checklistEffects.has(e.type);

/** Applies effects as conversation.queries.ts does, to the one response of this world. */
function persist(w: World, effects: Effect[]): void {
  for (const e of effects) {
    w.log.push(e);
    // Any other flow's effect (src/flows/index.ts) is a bug in a checklist turn.
    if (!isChecklistEffect(e)) throw new Error(`a checklist turn produced ${e.type}`);
    switch (e.type) {
      case 'createResponse':
        w.campaign = { ...w.campaign, responseId: e.responseId, status: 'in_progress' };
        break;
      case 'saveAnswer':
        w.answers = { ...w.answers, [answerKey(e.key, e.repeat)]: e.value };
        break;
      case 'addEvidence': {
        const k = answerKey(e.key, e.repeat);
        const have = w.answers[k];
        w.answers = { ...w.answers, [k]: [...(Array.isArray(have) ? have : []), e.evidenceId] };
        break;
      }
      case 'submitResponse': {
        const next = { ...w.answers };
        for (const c of e.calculated) next[answerKey(c.key, c.repeat)] = c.value;
        for (const r of e.removed) delete next[answerKey(r.key, r.repeat)];
        w.answers = next;
        w.campaign = { ...w.campaign, status: 'submitted' };
        break;
      }
      case 'notifySupervisors':
        break;
    }
  }
}

/** LINE's limits and OpenAPI document, for every reply of every turn. */
function expectSendable(messages: Message[]): void {
  expect(messages.length).toBeGreaterThan(0);
  expect(messages.length).toBeLessThanOrEqual(LIMITS.messagesPerReply);
  for (const m of messages) {
    const items = m.quickReply?.items ?? [];
    expect(items.length).toBeLessThanOrEqual(LIMITS.quickReplyItems);
    for (const q of items) expect(q.action?.label?.length ?? 0).toBeLessThanOrEqual(LIMITS.quickReplyLabel);
  }
  expect(validateMessagingRequest('POST', '/v2/bot/message/reply', { replyToken: 't', messages })).toEqual([]);
}

/** One turn: transition, LINE checks, then the effects are persisted and the state kept. */
function turn(w: World, input: Input): Result {
  const before = structuredClone(w.state);
  const r = transition(flows, w.state, input, ctxOf(w));
  expect(w.state).toEqual(before);
  expectSendable(r.replies);
  w.state = r.state;
  persist(w, r.effects);
  return r;
}

// ── Inputs, and reading what was said ──

/** Typed text arrives normalised (Thai digits → 0–9), as toInput() delivers it. */
const typed = (raw: string): Input => ({ kind: 'text', text: normalizeText(raw) });
const OPEN: Input = { kind: 'postback', data: postbackData('open', { c: CAMPAIGN }), params: {} };
const image = (messageId: string): Input => ({ kind: 'media', media: 'image', messageId });

interface Button {
  type: string;
  label: string;
  data: string;
}

function collectActions(node: unknown, out: Button[]): Button[] {
  if (Array.isArray(node)) {
    for (const n of node) collectActions(n, out);
  } else if (typeof node === 'object' && node !== null) {
    const o = node as Record<string, unknown>;
    const a = o.action;
    if (typeof a === 'object' && a !== null) {
      const act = a as Record<string, unknown>;
      out.push({
        type: typeof act.type === 'string' ? act.type : '',
        label: typeof act.label === 'string' ? act.label : '',
        data: typeof act.data === 'string' ? act.data : '',
      });
    }
    for (const v of Object.values(o)) collectActions(v, out);
  }
  return out;
}

/** Every button the replies offer: quick replies, and postback actions inside Flex. */
const buttons = (r: Result): Button[] => collectActions(r.replies, []);
const labels = (r: Result) => buttons(r).map((b) => b.label);

/** Presses the button with this label in these replies, as LINE would post it back. */
function press(r: Result, label: string, params: Record<string, string> = {}): Input {
  const b = buttons(r).find((x) => x.label === label);
  if (b === undefined) throw new Error(`no button "${label}" in [${labels(r).join(', ')}]`);
  if (b.type !== 'postback' && b.type !== 'datetimepicker') throw new Error(`"${label}" is a ${b.type} button`);
  return { kind: 'postback', data: b.data, params };
}

const texts = (r: Result) =>
  r.replies.map((m) => (m.type === 'text' ? m.text : m.type === 'flex' ? m.altText : m.type));
const lastText = (r: Result) => texts(r).at(-1) ?? '';

/** Where the conversation is: an item key (with #n inside a repeat), 'more', 'review', or 'home'. */
function where(s: ConversationState): string {
  if (s.flow.flow !== 'checklist') return s.flow.flow;
  const at = s.flow.at;
  if (at.kind === 'item') return at.repeat === 0 ? at.key : `${at.key}#${at.repeat}`;
  return at.kind;
}

const LABEL: Record<string, string> = {
  has_plan: 'โรงเรียนมีแผนพัฒนาคุณภาพการศึกษาหรือไม่',
  plan_reason: 'เหตุผลที่ยังไม่มีแผน',
  level: 'ระดับที่เปิดสอน',
  subjects: 'กลุ่มสาระที่ได้รับการนิเทศ',
  students: 'จำนวนนักเรียนทั้งหมด',
  comment: 'ข้อเสนอแนะเพิ่มเติม',
  visit_date: 'วันที่รับการนิเทศ',
  r1: 'ด้านคุณภาพผู้เรียน',
  r2: 'ด้านกระบวนการบริหารและการจัดการ',
  r3: 'ด้านการจัดการเรียนการสอน',
  evidence: 'รูปหลักฐานการนิเทศ',
  finding_text: 'รายละเอียดข้อค้นพบ',
  finding_photo: 'รูปประกอบข้อค้นพบ',
};
const label = (key: string) => LABEL[key.split('#')[0] ?? ''] ?? key;

/** The question for a position: its label, or the repeat's "add another?" or the review. */
function promptOf(pos: string): RegExp {
  if (pos === 'more') return /"ข้อค้นพบ"/;
  if (pos === 'review') return /ตรวจทานคำตอบ|ที่ส่งแล้ว/;
  return new RegExp(label(pos));
}

// Stored answers for each question, in asking order: what a finished response holds.
const CANNED: [string, AnswerValue][] = [
  ['has_plan', 'yes'],
  ['level', 'primary'],
  ['subjects', ['thai', 'sci']],
  ['students', 120],
  ['comment', 'ดีมาก'],
  ['visit_date', '2027-01-05'],
  ['r1', 3],
  ['r2', 4],
  ['r3', 4],
  ['evidence', ['ev-1']],
];

function answersBefore(target: string): AnswerMap {
  const out: AnswerMap = {};
  for (const [k, v] of CANNED) {
    if (k === target) break;
    out[answerKey(k, 0)] = v;
  }
  if (target === 'review') out[answerKey('findings', 0)] = 'done:0';
  return out;
}

/** A response already started, with every question before `target` answered, opened (resumed) from the list. */
function worldAt(target: string, over: Partial<World> = {}): { w: World; r: Result } {
  const w = newWorld({
    answers: answersBefore(target),
    campaign: { ...newWorld().campaign, responseId: RESPONSE, status: 'in_progress' },
    ...over,
  });
  const r = turn(w, OPEN);
  expect(where(w.state)).toBe(target);
  expect(r.effects).toEqual([]);
  return { w, r };
}

const saved = (key: string, value: AnswerValue, repeat = 0): Effect => ({
  type: 'saveAnswer',
  responseId: RESPONSE,
  personId: teacher.id,
  key,
  repeat,
  value,
});

const numberOf = (key: string) => ASKED_WITHOUT_REASON.indexOf(key as never) + 1;

// ── Opening ──

describe('runner: opening a campaign', () => {
  it('creates the response on the first open and asks question 1 under its note heading', () => {
    const w = newWorld();
    const r = turn(w, OPEN);
    expect(r.effects).toEqual([
      {
        type: 'createResponse',
        responseId: idOf(1, 'response'),
        officeId: OFFICE,
        campaignId: CAMPAIGN,
        checklistId: A,
        subjectKey: teacher.id,
        schoolId: SCHOOL,
        personId: teacher.id,
      },
    ]);
    expect(r.state).toEqual({
      v: 1,
      seq: 8,
      noticeShownAt: NOW - 86_400_000,
      flow: {
        flow: 'checklist',
        responseId: idOf(1, 'response'),
        checklistId: A,
        campaignId: CAMPAIGN,
        at: { kind: 'item', key: 'has_plan', repeat: 0 },
        returnToReview: false,
        editing: false,
      },
    });
    expect(r.replies).toHaveLength(1);
    // About N + 1: the reason question waits on has_plan, so the total is an upper bound until it is answered.
    expect(texts(r)[0]?.split('\n').slice(0, 3)).toEqual([
      'ส่วนที่ 1: ข้อมูลโรงเรียน',
      `ข้อ 1/ประมาณ ${N + 1}`,
      LABEL.has_plan,
    ]);
    // The first question offers no "back"; a required one offers no "skip".
    expect(labels(r)).toEqual(['ใช่', 'ไม่ใช่', 'พักไว้ก่อน']);
    expect(buttons(r).map((b) => b.data)).toEqual(['s=8&a=ans&v=yes', 's=8&a=ans&v=no', 's=8&a=pause']);
  });

  it('opens from the list: typing เช็กลิสต์, then tapping the campaign (its button has no step token)', () => {
    const w = newWorld();
    const list = turn(w, typed('เช็กลิสต์'));
    expect(list.effects).toEqual([]);
    expect(where(w.state)).toBe('home');
    const open = buttons(list).find((b) => b.data.includes('a=open'));
    expect(open?.data).toBe(`a=open&c=${CAMPAIGN}`);
    const r = turn(w, { kind: 'postback', data: open?.data ?? '', params: {} });
    expect(r.effects.map((e) => e.type)).toEqual(['createResponse']);
    expect(where(w.state)).toBe('has_plan');
  });

  it.each<[string, AnswerMap, string, string]>([
    ['nothing answered yet', {}, 'has_plan', `ข้อ 1/ประมาณ ${N + 1}`],
    ['two answered', answersBefore('subjects'), 'subjects', `ข้อ 3/${N}`],
    ['a later one answered, an earlier one not', { 'has_plan#0': 'yes', 'students#0': 120 }, 'level', `ข้อ 2/${N}`],
    ['a skipped optional answer counts as answered', answersBefore('visit_date'), 'visit_date', `ข้อ 6/${N}`],
    ['has_plan "no" makes the reason question appear', { 'has_plan#0': 'no' }, 'plan_reason', `ข้อ 2/${N + 1}`],
    ['every question answered: the repeat asks first', answersBefore('more'), 'more', '"ข้อค้นพบ"'],
    ['every question answered and no finding to add: the review', answersBefore('review'), 'review', 'ตรวจทาน'],
  ])('resumes an existing response (%s) at the first unanswered position', (_, answers, at, shown) => {
    const w = newWorld({ answers, campaign: { ...newWorld().campaign, responseId: RESPONSE, status: 'in_progress' } });
    const r = turn(w, OPEN);
    expect(r.effects).toEqual([]);
    expect(where(w.state)).toBe(at);
    expect(texts(r).join('\n')).toContain(shown);
    expect(w.state.flow).toMatchObject({ responseId: RESPONSE, returnToReview: false, editing: false });
  });

  it('a submitted response before its due date opens the review for editing', () => {
    const w = newWorld({
      answers: answersBefore('review'),
      campaign: { ...newWorld().campaign, responseId: RESPONSE, status: 'submitted' },
    });
    const r = turn(w, OPEN);
    expect(r.effects).toEqual([]);
    expect(w.state.flow).toMatchObject({ at: { kind: 'review' }, editing: true, returnToReview: true });
    expect(texts(r)[0]).toMatch(/ที่ส่งแล้ว แก้ไขได้ถึงวันครบกำหนด/);
    expect(r.replies[1]?.type).toBe('flex');
    expect(labels(r)).toContain('บันทึกการแก้ไข');
    expect(labels(r)).not.toContain('ส่งคำตอบ');
  });

  it('a submitted response after its due date is closed: a message and the menu, nothing changes', () => {
    const w = newWorld({
      answers: answersBefore('review'),
      campaign: { ...newWorld().campaign, responseId: RESPONSE, status: 'submitted' },
      now: DUE + 1,
    });
    const before = w.state;
    const r = turn(w, OPEN);
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(before);
    expect(texts(r)[0]).toMatch(/เลยวันครบกำหนดแล้ว/);
    expect(texts(r)[1]).toMatch(/เมนูหลัก/);
  });

  it('an unknown campaign says it is closed or not theirs', () => {
    const w = newWorld();
    const r = turn(w, { kind: 'postback', data: postbackData('open', { c: 'campaign-x' }), params: {} });
    expect(r.effects).toEqual([]);
    expect(where(w.state)).toBe('home');
    expect(texts(r)[0]).toMatch(/แบบประเมินนี้ปิดแล้ว/);
  });
});

// ── Answering by typing ──

describe('runner: typed answers', () => {
  it.each<[string, string, AnswerValue, string]>([
    ['has_plan', 'ใช่ครับ', 'yes', 'level'],
    ['has_plan', 'มีค่ะ', 'yes', 'level'],
    ['has_plan', '๑', 'yes', 'level'],
    ['has_plan', 'ไม่ใช่ค่ะ', 'no', 'plan_reason'],
    ['level', '๒', 'secondary', 'subjects'],
    ['level', 'ข้อ 3', 'extended', 'subjects'],
    ['level', 'ขยายโอกาส', 'extended', 'subjects'],
    ['level', 'ประถม', 'primary', 'subjects'],
    ['subjects', '๑, ๓', ['thai', 'sci'], 'students'],
    ['subjects', 'คณิตศาสตร์ และ ภาษาไทย', ['thai', 'math'], 'students'],
    ['subjects', 'ทั้งหมด', ['thai', 'math', 'sci', 'eng'], 'students'],
    ['students', '๑๒๐ คน', 120, 'comment'],
    ['students', '1,200', 1200, 'comment'],
    ['students', '10', 10, 'comment'],
    ['comment', 'ห้องเรียนสะอาด', 'ห้องเรียนสะอาด', 'visit_date'],
    ['visit_date', '5/1/2570', '2027-01-05', 'r1'],
    ['visit_date', '๕/๑/๒๕๗๐', '2027-01-05', 'r1'],
    ['visit_date', '5 ม.ค. 70', '2027-01-05', 'r1'],
    ['visit_date', 'วันนี้', TODAY, 'r1'],
    ['visit_date', 'เมื่อวาน', '2026-11-19', 'r1'],
    ['r1', '๕', 5, 'r2'],
    ['r1', 'ดีเลิศ', 4, 'r2'],
    ['r1', '4 ดีเลิศ', 4, 'r2'],
    ['r1', 'ระดับ 2', 2, 'r2'],
    ['r3', 'กำลังพัฒนา', 1, 'evidence'],
  ])('at %s, typing "%s" saves %j and asks %s', (at, text, value, then) => {
    const { w } = worldAt(at);
    const seq = w.state.seq;
    const r = turn(w, typed(text));
    expect(r.effects).toEqual([saved(at, value)]);
    expect(where(r.state)).toBe(then);
    expect(r.state.seq).toBe(seq + 1);
    expect(r.replies).toHaveLength(1);
    expect(lastText(r)).toMatch(promptOf(then));
    const total = then === 'plan_reason' ? N + 1 : N;
    const number = then === 'plan_reason' ? 2 : numberOf(then);
    expect(lastText(r)).toContain(`ข้อ ${number}/${total}`);
  });
});

// ── Answering by tapping the buttons the prompt offered ──

describe('runner: tapped answers', () => {
  it.each<[string, string, Record<string, string>, AnswerValue, string]>([
    ['has_plan', 'ใช่', {}, 'yes', 'level'],
    ['has_plan', 'ไม่ใช่', {}, 'no', 'plan_reason'],
    ['level', 'ประถมศึกษา', {}, 'primary', 'subjects'],
    ['level', 'มัธยมศึกษา', {}, 'secondary', 'subjects'],
    ['level', 'ขยายโอกาส', {}, 'extended', 'subjects'],
    ['visit_date', 'วันนี้', {}, TODAY, 'r1'],
    ['visit_date', 'เลือกวันที่', { date: '2026-12-01' }, '2026-12-01', 'r1'],
    ['r1', '5 ยอดเยี่ยม', {}, 5, 'r2'],
    ['r2', '3 ดี', {}, 3, 'r3'],
    ['r3', '1 กำลังพัฒนา', {}, 1, 'evidence'],
  ])('at %s, tapping "%s" %j saves %j and asks %s', (at, button, params, value, then) => {
    const { w, r: prompt } = worldAt(at);
    const r = turn(w, press(prompt, button, params));
    expect(r.effects).toEqual([saved(at, value)]);
    expect(where(r.state)).toBe(then);
    expect(lastText(r)).toMatch(promptOf(then));
  });

  it.each<[string, string[]]>([
    ['has_plan', ['ใช่', 'ไม่ใช่', 'พักไว้ก่อน']],
    ['level', ['ประถมศึกษา', 'มัธยมศึกษา', 'ขยายโอกาส', 'ย้อนกลับ', 'พักไว้ก่อน']],
    ['subjects', ['เสร็จ', 'ภาษาไทย', 'คณิตศาสตร์', 'วิทยาศาสตร์', 'ภาษาอังกฤษ', 'ย้อนกลับ', 'พักไว้ก่อน']],
    ['students', ['ย้อนกลับ', 'พักไว้ก่อน']],
    ['comment', ['ข้าม', 'ย้อนกลับ', 'พักไว้ก่อน']],
    ['visit_date', ['เลือกวันที่', 'วันนี้', 'ย้อนกลับ', 'พักไว้ก่อน']],
    ['r1', ['5 ยอดเยี่ยม', '4 ดีเลิศ', '3 ดี', '2 ปานกลาง', '1 กำลังพัฒนา', 'ย้อนกลับ', 'พักไว้ก่อน']],
    ['evidence', ['ถ่ายรูป', 'เลือกจากอัลบั้ม', 'ย้อนกลับ', 'พักไว้ก่อน']],
    ['more', ['เพิ่ม', 'ไม่เพิ่มแล้ว', 'ย้อนกลับ', 'พักไว้ก่อน']],
  ])('at %s the prompt offers %j', (at, expected) => {
    const { r } = worldAt(at);
    expect(labels(r)).toEqual(expected);
  });

  it('the date picker starts at today and posts its date back', () => {
    const { r } = worldAt('visit_date');
    const picker = r.replies[0]?.quickReply?.items?.[0]?.action;
    expect(picker).toMatchObject({ type: 'datetimepicker', mode: 'date', initial: TODAY });
  });

  it('a date picker postback without a date, or with a malformed one, asks again', () => {
    const { w, r: prompt } = worldAt('visit_date');
    const before = w.state;
    for (const params of [{}, { date: '2026-12-01T10:00' }]) {
      const r = turn(w, press(prompt, 'เลือกวันที่', params));
      expect(r.effects).toEqual([]);
      expect(r.state).toEqual(before);
      expect(lastText(r)).toMatch(promptOf('visit_date'));
    }
  });

  it('select_many: toggles keep the step, show ticks, untoggle, then เสร็จ saves in the choices order', () => {
    const { w, r: prompt } = worldAt('subjects');
    const seq = w.state.seq;
    const t1 = turn(w, press(prompt, 'วิทยาศาสตร์'));
    expect(t1.effects).toEqual([]);
    expect(w.state.seq).toBe(seq);
    expect(w.state.flow).toMatchObject({ draft: ['sci'] });
    expect(labels(t1)).toContain('✓ วิทยาศาสตร์');
    // One short line with the updated chips, not the question and its intro again.
    expect(texts(t1)).toEqual(['เลือกแล้ว: วิทยาศาสตร์ — กด "เสร็จ" เมื่อครบ']);
    expect(labels(t1)[0]).toBe('เสร็จ');
    // Buttons of the first prompt are still valid: the toggle kept the step token.
    const t2 = turn(w, press(prompt, 'ภาษาไทย'));
    expect(w.state.flow).toMatchObject({ draft: ['thai', 'sci'] });
    const t3 = turn(w, press(t2, 'คณิตศาสตร์'));
    const t4 = turn(w, press(t3, '✓ คณิตศาสตร์'));
    expect(w.state.flow).toMatchObject({ draft: ['thai', 'sci'] });
    const done = turn(w, press(t4, 'เสร็จ'));
    expect(done.effects).toEqual([saved('subjects', ['thai', 'sci'])]);
    expect(where(w.state)).toBe('students');
    expect(w.state.flow).not.toHaveProperty('draft');
  });

  it('select_many: typing เสร็จ after toggling confirms the picks', () => {
    const { w, r: prompt } = worldAt('subjects');
    turn(w, press(prompt, 'ภาษาอังกฤษ'));
    const r = turn(w, typed('เสร็จแล้ว'));
    expect(r.effects).toEqual([saved('subjects', ['eng'])]);
    expect(where(w.state)).toBe('students');
  });

  it('select_many: เสร็จ with nothing picked on a required question says it is required', () => {
    const { w, r: prompt } = worldAt('subjects');
    const before = w.state;
    const r = turn(w, press(prompt, 'เสร็จ'));
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(before);
    expect(texts(r)[0]).toMatch(/จำเป็นต้องตอบ/);
  });

  it('answers a whole checklist by tapping only, from open to submit', () => {
    const w = newWorld();
    let r = turn(w, OPEN);
    for (const b of ['ใช่', 'ขยายโอกาส', 'ภาษาไทย', 'คณิตศาสตร์', 'เสร็จ']) r = turn(w, press(r, b));
    expect(where(w.state)).toBe('students');
    r = turn(w, typed('๓๕๐'));
    r = turn(w, press(r, 'ข้าม'));
    r = turn(w, press(r, 'เลือกวันที่', { date: '2026-11-18' }));
    for (const b of ['3 ดี', '4 ดีเลิศ', '4 ดีเลิศ']) r = turn(w, press(r, b));
    expect(where(w.state)).toBe('evidence');
    r = turn(w, image('line-1'));
    r = turn(w, press(r, 'เสร็จ'));
    expect(where(w.state)).toBe('more');
    r = turn(w, press(r, 'ไม่เพิ่มแล้ว'));
    expect(where(w.state)).toBe('review');
    const done = turn(w, press(r, 'ส่งคำตอบ'));
    expect(texts(done)[0]).toMatch(/^ส่ง "แบบนิเทศทดสอบ" เรียบร้อยแล้ว/);
    expect(where(w.state)).toBe('home');
    expect(w.answers).toEqual({
      'has_plan#0': 'yes',
      'level#0': 'extended',
      'subjects#0': ['thai', 'math'],
      'students#0': 350,
      'comment#0': null,
      'visit_date#0': '2026-11-18',
      'r1#0': 3,
      'r2#0': 4,
      'r3#0': 4,
      'overall#0': 4,
      'evidence#0': [expect.stringMatching(UUID)],
      'findings#0': 'done:0',
    });
    expect(w.campaign.status).toBe('submitted');
  });
});

// ── Answers that cannot be used ──

describe('runner: invalid answers', () => {
  it.each<[string, string, RegExp]>([
    ['has_plan', 'บางที', /กรุณาตอบ "ใช่" หรือ "ไม่ใช่"/],
    ['has_plan', 'ใช่ ไม่ใช่', /มีทั้ง "ใช่" และ "ไม่ใช่"/],
    ['has_plan', 'ครับ', /กรุณาตอบ "ใช่" หรือ "ไม่ใช่"/],
    ['level', '7', /ไม่มีตัวเลือกที่ 7/],
    ['level', 'อนุบาล', /ไม่พบตัวเลือก "อนุบาล"/],
    ['level', '1, 2', /เลือกได้เพียงตัวเลือกเดียว/],
    ['subjects', '๙', /ไม่มีตัวเลือกที่ 9/],
    ['subjects', 'ดนตรี', /ไม่พบตัวเลือก/],
    ['students', 'สิบคน', /กรุณาพิมพ์ตัวเลข 0–3,000/],
    ['students', '12.5', /กรุณาพิมพ์จำนวนเต็ม/],
    ['students', '5000', /5,000 อยู่นอกช่วงที่รับได้/],
    ['students', '-3', /อยู่นอกช่วงที่รับได้/],
    ['students', '๕', /^โรงเรียนต้องมีนักเรียนอย่างน้อย 10 คน$/],
    ['students', '9 คน', /^โรงเรียนต้องมีนักเรียนอย่างน้อย 10 คน$/],
    ['comment', 'ก'.repeat(31), /ข้อความยาว 31 ตัวอักษร เกินกำหนด 30/],
    ['visit_date', '31/2/2570', /ไม่มีวันที่ 31\/2\/2570/],
    ['visit_date', '5/13/2570', /ไม่มีเดือนที่ 13/],
    ['visit_date', 'เมื่อไหร่ก็ได้', /กรุณาพิมพ์วันที่/],
    ['r1', '6', /กรุณาพิมพ์ระดับคุณภาพ/],
    ['r1', '4 ยอดเยี่ยม', /ไม่ตรงกับระดับ "ยอดเยี่ยม"/],
    ['evidence', 'รูปอยู่ในกลุ่มไลน์', /รับเฉพาะรูปภาพ/],
    ['review', 'โอเค', /ไม่เข้าใจคำตอบนี้/],
    ['more', 'อาจจะ', /กรุณาตอบ "ใช่" หรือ "ไม่ใช่"/],
  ])('at %s, "%s" is explained and the same question asked again', (at, text, explanation) => {
    const { w } = worldAt(at);
    const before = w.state;
    const answers = w.answers;
    const r = turn(w, typed(text));
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(before);
    expect(w.answers).toBe(answers);
    expect(texts(r)[0]).toMatch(explanation);
    expect(texts(r).join('\n')).toMatch(promptOf(at));
  });

  it('a postback for another question type or with a made-up choice changes nothing', () => {
    const { w } = worldAt('level');
    const before = w.state;
    const s = before.seq;
    for (const data of [
      postbackData('ans', { v: 9 }, s),
      postbackData('toggle', { v: 1 }, s),
      postbackData('date', {}, s),
      postbackData('submit', {}, s),
      postbackData('more', { v: 'yes' }, s),
      postbackData('nonsense', {}, s),
      'garbage',
    ]) {
      const r = turn(w, { kind: 'postback', data, params: { date: '2026-12-01' } });
      expect(r.effects).toEqual([]);
      expect(r.state).toEqual(before);
      expect(lastText(r)).toMatch(promptOf('level'));
    }
  });
});

// ── Stale buttons ──

describe('runner: stale buttons', () => {
  it.each<[string, string, string]>([
    ['an answer button of the previous question', 'has_plan', 'ใช่'],
    ['a choice button of the previous question', 'level', 'มัธยมศึกษา'],
    ['a rating button of the previous question', 'r1', '5 ยอดเยี่ยม'],
    ['the date picker of the previous question', 'visit_date', 'เลือกวันที่'],
  ])('%s gets the stale notice and the current question, nothing saved', (_, from, button) => {
    const { w, r: old } = worldAt(from);
    // Answer the question by typing, so the old prompt's buttons are one step behind.
    const answer: Record<string, string> = { has_plan: 'ใช่', level: '1', r1: '3', visit_date: 'วันนี้' };
    turn(w, typed(answer[from] ?? ''));
    const now = w.state;
    const answers = w.answers;
    const r = turn(w, press(old, button, { date: '2026-12-01' }));
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(now);
    expect(w.answers).toBe(answers);
    expect(texts(r)[0]).toMatch(/^ปุ่มนี้เป็นของคำถามก่อนหน้า/);
    expect(lastText(r)).toMatch(promptOf(where(now)));
  });

  it('an edit row of an old review is stale once the review has moved on', () => {
    const { w, r: review } = worldAt('review');
    turn(w, typed('แก้ข้อ 2'));
    const now = w.state;
    const r = turn(w, press(review, 'แก้ข้อ 5'));
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(now);
    expect(texts(r)[0]).toMatch(/^ปุ่มนี้เป็นของคำถามก่อนหน้า/);
  });

  it('a submit button of an old review does not submit', () => {
    const { w, r: review } = worldAt('review');
    turn(w, typed('แก้ข้อ 2'));
    const r = turn(w, press(review, 'ส่งคำตอบ'));
    expect(r.effects).toEqual([]);
    expect(where(w.state)).toBe('level');
  });
});

// ── Stickers, locations, media ──

describe('runner: non-text input', () => {
  it.each<[string, string, Input, RegExp]>([
    ['level', 'sticker', { kind: 'sticker' }, /ขอบคุณสำหรับสติกเกอร์/],
    ['students', 'location', { kind: 'location' }, /ไม่ต้องส่งตำแหน่ง/],
    ['has_plan', 'image', image('m-1'), /ข้อนี้ไม่ได้ขอรูป/],
    [
      'visit_date',
      'file',
      { kind: 'media', media: 'file', messageId: 'm-2', fileName: 'plan.pdf', fileSize: 1000 },
      /ข้อนี้ไม่ได้ขอรูป/,
    ],
    ['more', 'image', image('m-3'), /ข้อนี้ไม่ได้ขอรูป/],
    ['review', 'image', image('m-4'), /ข้อนี้ไม่ได้ขอรูป/],
    ['evidence', 'video', { kind: 'media', media: 'video', messageId: 'm-5' }, /รับเฉพาะรูปภาพ/],
    ['evidence', 'voice message', { kind: 'media', media: 'audio', messageId: 'm-6' }, /รับเฉพาะรูปภาพ/],
    ['evidence', 'sticker', { kind: 'sticker' }, /ขอบคุณสำหรับสติกเกอร์/],
  ])('at %s, a %s gets a kind word and the same question', (at, _, input, word) => {
    const { w } = worldAt(at);
    const before = w.state;
    const r = turn(w, input);
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(before);
    expect(texts(r)[0]).toMatch(word);
    expect(texts(r).join('\n')).toMatch(promptOf(at));
  });
});

// ── Photos ──

describe('runner: photos', () => {
  it('an image adds evidence with its LINE message id; the second (maxFiles 2) moves on', () => {
    const { w } = worldAt('evidence');
    const seq = w.state.seq;
    const first = turn(w, image('line-msg-1'));
    expect(first.effects).toEqual([
      {
        type: 'addEvidence',
        evidenceId: idOf(2, 'evidence'),
        officeId: OFFICE,
        responseId: RESPONSE,
        personId: teacher.id,
        key: 'evidence',
        repeat: 0,
        lineMessageId: 'line-msg-1',
      },
    ]);
    expect(where(w.state)).toBe('evidence');
    expect(w.state.seq).toBe(seq);
    expect(lastText(first)).toContain('ได้รับรูปที่ 1 แล้ว ส่งเพิ่ม หรือกด "เสร็จ"');
    expect(labels(first)).toEqual(['ถ่ายรูป', 'เลือกจากอัลบั้ม', 'เสร็จ', 'ย้อนกลับ', 'พักไว้ก่อน']);

    const second = turn(w, image('line-msg-2'));
    expect(second.effects).toMatchObject([
      { type: 'addEvidence', evidenceId: idOf(3, 'evidence'), lineMessageId: 'line-msg-2' },
    ]);
    expect(texts(second)[0]).toBe('ได้รับรูปที่ 2 แล้ว');
    expect(where(w.state)).toBe('more');
    expect(w.state.seq).toBe(seq + 1);
    expect(w.answers['evidence#0']).toEqual([idOf(2, 'evidence'), idOf(3, 'evidence')]);
  });

  it.each<[string, Input | 'button']>([
    ['typed เสร็จ', typed('เสร็จ')],
    ['typed done', typed('Done')],
    ['the เสร็จ button', 'button'],
  ])('one image then %s moves on with one photo', (_, done) => {
    const { w } = worldAt('evidence');
    const r1 = turn(w, image('line-msg-1'));
    const r = turn(w, done === 'button' ? press(r1, 'เสร็จ') : done);
    expect(r.effects).toEqual([]);
    expect(where(w.state)).toBe('more');
    expect(w.answers['evidence#0']).toEqual([idOf(2, 'evidence')]);
  });

  it('เสร็จ with no photo on a required photo question explains, and saves nothing', () => {
    const { w } = worldAt('evidence');
    const before = w.state;
    const r = turn(w, typed('เสร็จ'));
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(before);
    expect(texts(r)[0]).toMatch(/ต้องมีรูปหลักฐานอย่างน้อย 1 รูป/);
  });

  it('เสร็จ with no photo on an optional photo question skips it', () => {
    const { w } = worldAt('more');
    turn(w, typed('มี'));
    turn(w, typed('ห้องสมุดมีหนังสือใหม่'));
    expect(where(w.state)).toBe('finding_photo#1');
    const r = turn(w, typed('เสร็จ'));
    expect(r.effects).toEqual([saved('finding_photo', null, 1)]);
    expect(where(w.state)).toBe('more');
  });
});

// ── Skip and back ──

describe('runner: skip', () => {
  it.each<[string, Input | 'button']>([
    ['typed ข้าม', typed('ข้าม')],
    ['typed ข้ามครับ', typed('ข้ามครับ')],
    ['typed skip', typed('skip')],
    ['the ข้าม button', 'button'],
  ])('%s on an optional question saves null and moves on', (_, input) => {
    const { w, r: prompt } = worldAt('comment');
    expect(lastText(prompt)).toContain('(ไม่บังคับ');
    const r = turn(w, input === 'button' ? press(prompt, 'ข้าม') : input);
    expect(r.effects).toEqual([saved('comment', null)]);
    expect(where(w.state)).toBe('visit_date');
  });

  it.each(['has_plan', 'level', 'students', 'evidence'])('ข้าม on required %s says it is required', (at) => {
    const { w } = worldAt(at);
    const before = w.state;
    const r = turn(w, typed('ข้าม'));
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(before);
    expect(texts(r)[0]).toMatch(/^ข้อนี้จำเป็นต้องตอบ ข้ามไม่ได้/);
    expect(lastText(r)).toMatch(promptOf(at));
  });

  it('ข้าม at "add another?" closes the repeat', () => {
    const { w } = worldAt('more');
    const r = turn(w, typed('ข้าม'));
    expect(r.effects).toEqual([saved('findings', 'done:0')]);
    expect(where(w.state)).toBe('review');
  });
});

describe('runner: back', () => {
  it.each<[string, string, Input | 'button', string]>([
    ['level', 'typed ย้อนกลับ', typed('ย้อนกลับ'), 'has_plan'],
    ['level', 'typed กลับครับ', typed('กลับครับ'), 'has_plan'],
    ['level', 'the ย้อนกลับ button', 'button', 'has_plan'],
    ['visit_date', 'typed back', typed('back'), 'comment'],
    ['more', 'typed ย้อนกลับ', typed('ย้อนกลับ'), 'evidence'],
    ['review', 'typed ย้อนกลับ', typed('ย้อนกลับ'), 'evidence'],
  ])('at %s, %s goes to %s without touching answers', (at, _, input, to) => {
    const { w, r: prompt } = worldAt(at);
    const answers = w.answers;
    const seq = w.state.seq;
    const r = turn(w, input === 'button' ? press(prompt, 'ย้อนกลับ') : input);
    expect(r.effects).toEqual([]);
    expect(w.answers).toBe(answers);
    expect(where(w.state)).toBe(to);
    expect(w.state.seq).toBe(seq + 1);
    expect(lastText(r)).toContain(`ข้อ ${numberOf(to)}/${N}`);
  });

  it('at the first question says so and asks it again', () => {
    const { w } = worldAt('has_plan');
    const before = w.state;
    const r = turn(w, typed('ย้อนกลับ'));
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(before);
    expect(texts(r)[0]).toMatch(/^นี่คือข้อแรกแล้ว/);
    expect(lastText(r)).toMatch(promptOf('has_plan'));
  });

  it('re-answering after back continues at the first unanswered question', () => {
    const { w } = worldAt('students');
    turn(w, typed('ย้อนกลับ'));
    turn(w, typed('ย้อนกลับ'));
    expect(where(w.state)).toBe('level');
    const r = turn(w, typed('2'));
    expect(r.effects).toEqual([saved('level', 'secondary')]);
    expect(where(w.state)).toBe('students');
  });
});

// ── Editing from the review ──

describe('runner: edit a question', () => {
  it.each<[string, Input | number, string, Input, Effect]>([
    ['typed แก้ข้อ 2', typed('แก้ข้อ 2'), 'level', typed('๓'), saved('level', 'extended')],
    ['typed แก้ไขข้อที่ ๔', typed('แก้ไขข้อที่ ๔'), 'students', typed('250'), saved('students', 250)],
    ['typed edit 7', typed('edit 7'), 'r1', typed('5'), saved('r1', 5)],
    ['the edit row of question 6', 6, 'visit_date', typed('1/12/2569'), saved('visit_date', '2026-12-01')],
    ['the edit row of question 1', 1, 'has_plan', typed('ใช่'), saved('has_plan', 'yes')],
  ])('%s goes to that question, then back to the review after answering', (_, edit, to, answer, effect) => {
    const { w, r: review } = worldAt('review');
    const r = turn(w, typeof edit === 'number' ? press(review, `แก้ข้อ ${edit}`) : edit);
    expect(r.effects).toEqual([]);
    expect(where(w.state)).toBe(to);
    expect(w.state.flow).toMatchObject({ returnToReview: true });
    expect(lastText(r)).toMatch(promptOf(to));
    const done = turn(w, answer);
    expect(done.effects).toEqual([effect]);
    expect(where(w.state)).toBe('review');
    expect(texts(done)[0]).toMatch(/^ตรวจทานคำตอบ "แบบนิเทศทดสอบ" ก่อนส่ง/);
  });

  it('the review lists every question with its answer and a submit button', () => {
    const { r } = worldAt('review');
    expect(r.replies).toHaveLength(2);
    const rows = labels(r).filter((l) => l.startsWith('แก้ข้อ'));
    expect(rows).toEqual(ASKED_WITHOUT_REASON.map((_, i) => `แก้ข้อ ${i + 1}`));
    expect(labels(r).at(-1)).toBe('ส่งคำตอบ');
    const json = JSON.stringify(r.replies[1]);
    for (const shown of ['ใช่', 'ประถมศึกษา', 'ภาษาไทย, วิทยาศาสตร์', '120 คน', 'ดีมาก', '3 ดี', '4 ดีเลิศ', 'รูป 1 รูป'])
      expect(json).toContain(shown);
  });

  it('แก้ข้อ with a number that does not exist says so', () => {
    const { w } = worldAt('review');
    const before = w.state;
    const r = turn(w, typed('แก้ข้อ 99'));
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(before);
    expect(texts(r)[0]).toMatch(/^ไม่มีข้อ 99 \(มีข้อ 1–10\)/);
  });

  it('skipping an optional question reached from the review returns to the review', () => {
    const { w } = worldAt('review');
    turn(w, typed('แก้ข้อ 5'));
    const r = turn(w, typed('ข้าม'));
    expect(r.effects).toEqual([saved('comment', null)]);
    expect(where(w.state)).toBe('review');
  });

  it('back from a question reached from the review continues forward, not to the review', () => {
    const { w } = worldAt('review');
    turn(w, typed('แก้ข้อ 3'));
    turn(w, typed('ย้อนกลับ'));
    expect(w.state.flow).toMatchObject({ at: { key: 'level' }, returnToReview: false });
    turn(w, typed('1'));
    // Every later question is answered, so "onward" is the review.
    expect(where(w.state)).toBe('review');
  });
});

// ── Relevance ──

describe('runner: relevant', () => {
  it('the reason question is not asked after "yes", and is asked after "no": the total never grows', () => {
    const yes = worldAt('has_plan');
    expect(lastText(yes.r)).toContain(`ข้อ 1/ประมาณ ${N + 1}`);
    const ry = turn(yes.w, typed('ใช่'));
    expect(where(yes.w.state)).toBe('level');
    expect(lastText(ry)).toContain(`ข้อ 2/${N}`);

    const no = worldAt('has_plan');
    const rn = turn(no.w, typed('ไม่ใช่'));
    expect(where(no.w.state)).toBe('plan_reason');
    expect(lastText(rn)).toContain(`ข้อ 2/${N + 1}`);
    const r = turn(no.w, typed('รออนุมัติจากกรรมการสถานศึกษา'));
    expect(where(no.w.state)).toBe('level');
    expect(lastText(r)).toContain(`ข้อ 3/${N + 1}`);
  });

  it('changing the answer later drops the now-irrelevant answer at submit', () => {
    const { w } = worldAt('review', {
      answers: { ...answersBefore('review'), 'has_plan#0': 'no', 'plan_reason#0': 'รอประชุม' },
    });
    const before = turn(w, typed('แก้ข้อ 1'));
    expect(lastText(before)).toContain(`ข้อ 1/${N + 1}`);
    const review = turn(w, typed('ใช่'));
    expect(where(w.state)).toBe('review');
    expect(labels(review).filter((l) => l.startsWith('แก้ข้อ'))).toHaveLength(N);
    expect(JSON.stringify(review.replies[1])).not.toContain(LABEL.plan_reason);
    // Still stored until the submit says otherwise: going back to "no" would bring it back.
    expect(w.answers['plan_reason#0']).toBe('รอประชุม');
    const r = turn(w, press(review, 'ส่งคำตอบ'));
    expect(r.effects[0]).toMatchObject({ type: 'submitResponse', removed: [{ key: 'plan_reason', repeat: 0 }] });
    expect(w.answers).not.toHaveProperty('plan_reason#0');
  });

  it('changing to "no" from the review shows the new required question as missing; submit goes there', () => {
    const { w } = worldAt('review');
    turn(w, typed('แก้ข้อ 1'));
    const review = turn(w, typed('ไม่ใช่'));
    expect(where(w.state)).toBe('review');
    expect(JSON.stringify(review.replies[1])).toContain('ยังไม่ได้ตอบ (จำเป็น)');
    const r = turn(w, press(review, 'ส่งคำตอบ'));
    expect(r.effects).toEqual([]);
    expect(texts(r)[0]).toBe('ยังมีข้อที่จำเป็นต้องตอบอีก 1 ข้อ ขอพาไปข้อแรกที่ยังไม่ได้ตอบ');
    expect(where(w.state)).toBe('plan_reason');
    expect(lastText(r)).toContain(`ข้อ 2/${N + 1}`);
    turn(w, typed('ยังไม่ได้ประชุม'));
    // After the missing one, onward: everything else is answered, so the review.
    expect(where(w.state)).toBe('review');
  });
});

// ── Repeats ──

describe('runner: repeat', () => {
  it('yes → instance 1, asked again after it, yes → instance 2, then maxCount closes the group', () => {
    const { w, r: ask } = worldAt('more');
    expect(lastText(ask)).toBe('มี "ข้อค้นพบ" ที่ต้องบันทึกไหม?');
    const r1 = turn(w, press(ask, 'เพิ่ม'));
    expect(r1.effects).toEqual([saved('findings', 1)]);
    expect(where(w.state)).toBe('finding_text#1');
    expect(lastText(r1)).toContain(`ข้อ 11/12 · ข้อค้นพบ รายการที่ 1`);
    turn(w, typed('ห้องสมุดมีหนังสือใหม่'));
    expect(where(w.state)).toBe('finding_photo#1');
    const photo = turn(w, image('line-f1'));
    expect(photo.effects).toMatchObject([{ type: 'addEvidence', key: 'finding_photo', repeat: 1 }]);
    expect(where(w.state)).toBe('more');
    expect(lastText(photo)).toBe('มี "ข้อค้นพบ" แล้ว 1 รายการ — เพิ่มอีกไหม?');

    const r2 = turn(w, typed('มีครับ'));
    expect(r2.effects).toEqual([saved('findings', 2)]);
    expect(where(w.state)).toBe('finding_text#2');
    expect(lastText(r2)).toContain(`ข้อ 13/14 · ข้อค้นพบ รายการที่ 2`);
    turn(w, typed('สนามเด็กเล่นชำรุด'));
    const last = turn(w, typed('ข้าม'));
    expect(last.effects).toEqual([saved('finding_photo', null, 2)]);
    // Two is the most: no "add another?" a third time.
    expect(where(w.state)).toBe('review');
    expect(labels(last).filter((l) => l.startsWith('แก้ข้อ'))).toHaveLength(N + 4);
    expect(JSON.stringify(last.replies[1])).toContain('รายละเอียดข้อค้นพบ (ข้อค้นพบ 2)');
    expect(w.answers).toMatchObject({
      'findings#0': 2,
      'finding_text#1': 'ห้องสมุดมีหนังสือใหม่',
      'finding_photo#1': [expect.stringMatching(UUID)],
      'finding_text#2': 'สนามเด็กเล่นชำรุด',
      'finding_photo#2': null,
    });
  });

  it.each<[string, Input | 'button']>([
    ['typed ไม่มี', typed('ไม่มี')],
    ['typed ไม่ค่ะ', typed('ไม่ค่ะ')],
    ['the ไม่เพิ่มแล้ว button', 'button'],
  ])('%s at "add another?" moves on', (_, input) => {
    const { w, r: ask } = worldAt('more');
    const r = turn(w, input === 'button' ? press(ask, 'ไม่เพิ่มแล้ว') : input);
    expect(r.effects).toEqual([saved('findings', 'done:0')]);
    expect(where(w.state)).toBe('review');
  });

  it('no after one instance closes the group at one', () => {
    const { w } = worldAt('more');
    turn(w, typed('มี'));
    turn(w, typed('ห้องน้ำสะอาด'));
    turn(w, typed('เสร็จ'));
    const r = turn(w, typed('ไม่'));
    expect(r.effects).toEqual([saved('findings', 'done:1')]);
    expect(where(w.state)).toBe('review');
  });

  it('back from the first question of an instance goes to the last question before it', () => {
    const { w } = worldAt('more');
    turn(w, typed('มี'));
    turn(w, typed('ย้อนกลับ'));
    expect(where(w.state)).toBe('evidence');
  });
});

// ── Submitting ──

describe('runner: submit', () => {
  const notice = {
    type: 'notifySupervisors',
    officeId: OFFICE,
    schoolId: SCHOOL,
    dedupeKey: `submitted:${RESPONSE}`,
    text: 'สมศรี ใจดี (โรงเรียนบ้านหนองน้ำใส) ส่ง "แบบนิเทศทดสอบ" แล้ว',
  };

  it.each<[string, Input | 'button']>([
    ['the ส่งคำตอบ button', 'button'],
    ['typed ส่ง', typed('ส่ง')],
    ['typed ส่งคำตอบ', typed('ส่งคำตอบ')],
    ['typed Submit', typed('Submit')],
  ])('%s submits with the calculation, notifies supervisors, and goes home', (_, input) => {
    const { w, r: review } = worldAt('review');
    const seq = w.state.seq;
    const r = turn(w, input === 'button' ? press(review, 'ส่งคำตอบ') : input);
    expect(r.effects).toEqual([
      {
        type: 'submitResponse',
        responseId: RESPONSE,
        personId: teacher.id,
        calculated: [{ key: 'overall', repeat: 0, value: 4 }],
        removed: [],
        resubmit: false,
      },
      notice,
    ]);
    expect(r.state).toEqual({ ...w.state, seq: seq + 1, flow: { flow: 'home' } });
    expect(texts(r)).toEqual([
      'ส่ง "แบบนิเทศทดสอบ" เรียบร้อยแล้ว เมื่อ วันศุกร์ที่ 20 พฤศจิกายน พ.ศ. 2569 09:00 น. ขอบคุณครับ 🙏\n(Submitted. Thank you!)',
    ]);
    expect(w.campaign.status).toBe('submitted');
  });

  it.each<[number, number, number, number]>([
    [3, 4, 4, 4],
    [3, 3, 4, 3],
    [1, 2, 2, 2],
    [5, 5, 4, 5],
    [2, 3, 4, 3],
    [1, 1, 1, 1],
  ])('ratings %i, %i, %i → overall %i', (r1, r2, r3, overall) => {
    const { w } = worldAt('review', {
      answers: { ...answersBefore('review'), 'r1#0': r1, 'r2#0': r2, 'r3#0': r3 },
    });
    const r = turn(w, typed('ส่ง'));
    expect(r.effects[0]).toMatchObject({ calculated: [{ key: 'overall', repeat: 0, value: overall }] });
  });

  it.each<[string, boolean, Partial<World>]>([
    ['a teacher with a school', true, {}],
    ['a teacher without a school', false, { schoolId: null }],
    ['a supervisor', false, { person: { ...teacher, role: 'supervisor', schoolName: null } }],
  ])('%s: supervisors notified = %s', (_, notified, over) => {
    const { w } = worldAt('review', over);
    const r = turn(w, typed('ส่ง'));
    expect(r.effects.some((e) => e.type === 'notifySupervisors')).toBe(notified);
  });

  it('with a required question missing, submit jumps there with a message', () => {
    const { w, r: review } = worldAt('review');
    // From the review, "no plan" makes the required reason relevant; the review comes back with it missing.
    turn(w, press(review, 'แก้ข้อ 1'));
    const back = turn(w, typed('ไม่ใช่'));
    expect(where(w.state)).toBe('review');
    expect(JSON.stringify(back.replies[1])).toContain('ยังไม่ได้ตอบ (จำเป็น)');
    const r = turn(w, press(back, 'ส่งคำตอบ'));
    expect(r.effects).toEqual([]);
    expect(texts(r)[0]).toBe('ยังมีข้อที่จำเป็นต้องตอบอีก 1 ข้อ ขอพาไปข้อแรกที่ยังไม่ได้ตอบ');
    expect(where(w.state)).toBe('plan_reason');
    expect(w.state.flow).toMatchObject({ returnToReview: false });
  });

  it('"แก้ข้อ N" part-way carries on from there instead of jumping to the review', () => {
    const { w } = worldAt('level');
    turn(w, typed('แก้ข้อ 1'));
    turn(w, typed('ใช่'));
    expect(where(w.state)).toBe('level');
  });

  it('an optional question skipped on the way does not block the submit', () => {
    const answers = answersBefore('review');
    delete answers['comment#0'];
    // Resuming opens at the one unanswered (optional) question; skipping it leads to the review.
    const { w } = worldAt('comment', { answers });
    const review = turn(w, typed('ข้าม'));
    expect(where(w.state)).toBe('review');
    expect(JSON.stringify(review.replies[1])).not.toContain('ยังไม่ได้ตอบ');
    const r = turn(w, press(review, 'ส่งคำตอบ'));
    expect(r.effects.map((e) => e.type)).toEqual(['submitResponse', 'notifySupervisors']);
    expect(w.answers['comment#0']).toBeNull();
  });

  it('after submitting, opening again shows the review for editing; saving edits resubmits without a notice', () => {
    const { w, r: review } = worldAt('review');
    turn(w, press(review, 'ส่งคำตอบ'));
    const reopened = turn(w, OPEN);
    expect(w.state.flow).toMatchObject({ editing: true, at: { kind: 'review' } });
    const edit = turn(w, press(reopened, 'แก้ข้อ 8'));
    const back = turn(w, press(edit, '2 ปานกลาง'));
    expect(back.effects).toEqual([saved('r2', 2)]);
    expect(where(w.state)).toBe('review');
    const r = turn(w, press(back, 'บันทึกการแก้ไข'));
    expect(r.effects).toEqual([
      {
        type: 'submitResponse',
        responseId: RESPONSE,
        personId: teacher.id,
        calculated: [{ key: 'overall', repeat: 0, value: 3 }],
        removed: [],
        resubmit: true,
      },
    ]);
    expect(texts(r)).toEqual(['บันทึกการแก้ไข "แบบนิเทศทดสอบ" เรียบร้อยแล้ว\n(Your changes are saved.)']);
    expect(where(w.state)).toBe('home');
  });

  it('typed ส่ง before the review is just an answer to a text question', () => {
    const { w } = worldAt('comment');
    const r = turn(w, typed('ส่ง'));
    expect(r.effects).toEqual([saved('comment', 'ส่ง')]);
  });
});

// ── Pausing, info ──

describe('runner: menu, cancel, status, help', () => {
  it.each(['เมนู', 'ยกเลิก', 'เมนูครับ', 'cancel', 'หน้าหลัก'])(
    '"%s" pauses with answers untouched; opening again resumes',
    (word) => {
      const { w } = worldAt('students');
      const answers = w.answers;
      const seq = w.state.seq;
      const r = turn(w, typed(word));
      expect(r.effects).toEqual([]);
      expect(w.answers).toBe(answers);
      expect(r.state).toEqual({ ...r.state, seq: seq + 1, flow: { flow: 'home' } });
      expect(texts(r)[0]).toMatch(/^พัก "แบบนิเทศทดสอบ" ไว้ก่อน/);
      expect(texts(r)[1]).toMatch(/มีแบบประเมินที่รอท่านอยู่ 1 รายการ/);
      const again = turn(w, OPEN);
      expect(again.effects).toEqual([]);
      expect(where(w.state)).toBe('students');
      expect(lastText(again)).toContain(`ข้อ 4/${N}`);
    },
  );

  it('the paused menu offers the checklist list, whose button reopens the checklist', () => {
    const { w } = worldAt('students');
    const paused = turn(w, typed('เมนู'));
    const list = turn(w, press(paused, 'เช็กลิสต์'));
    expect(list.replies[0]?.type).toBe('flex');
    const open = buttons(list).find((b) => b.data.includes('a=open'));
    turn(w, { kind: 'postback', data: open?.data ?? '', params: {} });
    expect(where(w.state)).toBe('students');
  });

  it.each<[string, string, RegExp]>([
    ['students', 'สถานะ', /^"แบบนิเทศทดสอบ": ตอบแล้ว 3 จาก 10 ข้อ$/],
    ['has_plan', 'สถานะค่ะ', /^"แบบนิเทศทดสอบ": ตอบแล้ว 0 จาก 10 ข้อ$/],
    ['review', 'status', /^"แบบนิเทศทดสอบ": ตอบแล้ว 10 จาก 10 ข้อ$/],
    ['students', 'ช่วยเหลือ', /^ตอบทีละข้อ.*แก้ข้อ 3/s],
    ['more', '?', /^ตอบทีละข้อ/],
  ])('at %s, "%s" gives the info and the same question', (at, word, info) => {
    const { w } = worldAt(at);
    const before = w.state;
    const r = turn(w, typed(word));
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(before);
    expect(texts(r)[0]).toMatch(info);
    expect(texts(r).join('\n')).toMatch(promptOf(at));
  });

  it('a status postback (rich menu, no step token) also answers inside a checklist', () => {
    const { w } = worldAt('students');
    const before = w.state;
    const r = turn(w, { kind: 'postback', data: postbackData('status'), params: {} });
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(before);
    expect(texts(r)[0]).toMatch(/ตอบแล้ว 3 จาก 10 ข้อ/);
  });
});

// ── Versions ──

describe('runner: version safety', () => {
  const both = () => new Map([...newWorld().definitions, [B, fixtureDefinitionV2]]);

  it('a response pinned to version A keeps answering A while B is also loaded', () => {
    const { w } = worldAt('level', { definitions: both() });
    expect(w.state.flow).toMatchObject({ checklistId: A });
    const r = turn(w, typed('1'));
    expect(r.effects).toEqual([saved('level', 'primary')]);
    expect(where(w.state)).toBe('subjects');
    expect(lastText(r)).toContain(`ข้อ 3/${N}`);
    expect(lastText(r)).not.toContain('จำนวนครู');
  });

  it('a new response to a campaign on version B asks B', () => {
    const w = newWorld({ definitions: both(), campaign: { ...newWorld().campaign, checklistId: B } });
    const r = turn(w, OPEN);
    expect(r.effects).toMatchObject([{ type: 'createResponse', checklistId: B }]);
    expect(lastText(r)).toContain('จำนวนครูทั้งหมด');
    expect(lastText(r)).toContain(`ข้อ 1/ประมาณ ${N + 2}`);
  });

  it('a state pinned to a version no longer loaded ends the checklist kindly', () => {
    const { w } = worldAt('level');
    w.definitions = new Map([[B, fixtureDefinitionV2]]);
    const r = turn(w, typed('1'));
    expect(r.effects).toEqual([]);
    expect(where(w.state)).toBe('home');
    expect(texts(r)[0]).toMatch(/แบบประเมินนี้ปิดแล้ว/);
  });
});

describe('regressions found in review', () => {
  it('B1: a stale skip button never acts (it would overwrite a newer answer)', () => {
    const { w, r: old } = worldAt('comment');
    turn(w, typed('ดีมาก'));
    turn(w, typed('ย้อนกลับ'));
    const now = w.state;
    const r = turn(w, press(old, 'ข้าม'));
    expect(r.effects).toEqual([]);
    expect(r.state).toEqual(now);
    expect(texts(r)[0]).toMatch(/^ปุ่มนี้เป็นของคำถามก่อนหน้า/);
    expect(w.answers['comment#0']).toBe('ดีมาก');
  });

  it.each([
    ['tapped', 'tap'],
    ['typed', 'type'],
  ])('B2: "เสร็จ" %s on an unchanged multi-choice keeps the answer shown', (_, how) => {
    const { w, r: review } = worldAt('review');
    const e = turn(w, press(review, 'แก้ข้อ 3'));
    const r = turn(w, how === 'tap' ? press(e, 'เสร็จ') : typed('เสร็จ'));
    expect(r.effects).toEqual([saved('subjects', ['thai', 'sci'])]);
    expect(where(w.state)).toBe('review');
  });

  it.each([
    ['เพิ่ม', 1],
    ['ไม่เพิ่มแล้ว', 'done:0'],
  ])('B3: typing the button word %j at "add another?" works', (word, value) => {
    const { w } = worldAt('more');
    const r = turn(w, typed(word));
    expect(r.effects).toEqual([saved('findings', value)]);
  });

  it('B4: edits to a submitted response stop at the due date, even from a review opened before it', () => {
    const { w, r: review } = worldAt('review');
    turn(w, press(review, 'ส่งคำตอบ'));
    const reopened = turn(w, OPEN);
    expect(where(w.state)).toBe('review');
    w.now = w.campaign.dueAt + 60_000;
    const r = turn(w, press(reopened, 'แก้ข้อ 7'));
    expect(r.effects).toEqual([]);
    expect(texts(r)[0]).toMatch(/เลยวันครบกำหนดแล้ว/);
    expect(w.state.flow.flow).toBe('home');
  });

  it('B5: a photo beyond the maximum is explained, not silently dropped', () => {
    const answers = { ...answersBefore('review'), 'evidence#0': ['e1', 'e2'] };
    const { w, r: review } = worldAt('review', { answers });
    turn(w, press(review, 'แก้ข้อ 10'));
    expect(where(w.state)).toBe('evidence');
    const r = turn(w, { kind: 'media', media: 'image', messageId: '999' });
    expect(r.effects).toEqual([]);
    expect(texts(r)[0]).toMatch(/สูงสุด 2 รูป/);
  });
});

// ── What XLSForm adds, in chat: sections, acknowledge, default, required_message, note hints, answers in labels,
// aggregates over a repeat and position(..) ──

const XLS = 'checklist-xls';
const xlsForm = (() => {
  const r = validateFormDefinition({
    schema: DEFINITION_SCHEMA,
    key: 'xls-form',
    version: 1,
    title: { th: 'แบบสำรวจจาก Excel' },
    scope: 'person',
    items: [
      { type: 'text', key: 'teacher', label: { th: 'ชื่อครูผู้รับการนิเทศ' } },
      {
        type: 'section',
        key: 'part1',
        label: { th: 'ตอนที่ 1 ห้องเรียน' },
        items: [
          { type: 'note', key: 'intro', label: { th: 'ตอบตามจริง' }, hint: { th: 'ไม่มีผลต่อการประเมิน' } },
          {
            type: 'number',
            key: 'rooms',
            label: { th: 'ห้องเรียนของ ${teacher}' },
            integer: true,
            min: 1,
            max: 5,
            default: '2',
          },
        ],
      },
      {
        type: 'acknowledge',
        key: 'read',
        label: { th: 'รับทราบแนวทางการนิเทศ' },
        requiredMessage: { th: 'ต้องกดรับทราบก่อนนะครับ' },
      },
      {
        type: 'repeat',
        key: 'plans',
        label: { th: 'แผนงาน' },
        maxCount: 3,
        items: [
          { type: 'number', key: 'budget', label: { th: 'งบประมาณ' } },
          { type: 'calculate', key: 'no', label: { th: 'ลำดับ' }, expression: 'position(..)' },
        ],
      },
      { type: 'calculate', key: 'total', label: { th: 'งบรวม' }, expression: 'sum(${budget})' },
    ],
  });
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return flattenForm(r.definition);
})();

describe('XLSForm additions in chat', () => {
  const xlsWorld = () => {
    const w = newWorld({ definitions: new Map([[XLS, xlsForm]]) });
    w.campaign = { ...w.campaign, checklistId: XLS, title: xlsForm.title.th };
    return w;
  };

  it('walks sections, answers in labels, a default, acknowledge and aggregates over a repeat', () => {
    const w = xlsWorld();
    turn(w, OPEN);
    let r = turn(w, typed('ครูสมใจ'));
    // The section's heading and the note with its hint head the first question in the section.
    expect(lastText(r)).toMatch(/^ตอนที่ 1 ห้องเรียน\nตอบตามจริง\nไม่มีผลต่อการประเมิน\nข้อ 2\/3/);
    expect(lastText(r)).toMatch(/ห้องเรียนของ ครูสมใจ/);
    expect(lastText(r)).toMatch(/คำตอบที่ตั้งไว้: 2/);
    turn(w, press(r, 'ใช้คำตอบนี้'));
    expect(w.answers['rooms#0']).toBe(2);
    expect(where(w.state)).toBe('read');
    r = turn(w, typed('ข้าม'));
    expect(texts(r)[0]).toBe('ต้องกดรับทราบก่อนนะครับ');
    r = turn(w, typed('ไม่'));
    expect(where(w.state)).toBe('read');
    r = turn(w, press(r, 'รับทราบ'));
    expect(w.answers['read#0']).toBe('OK');
    turn(w, press(r, 'เพิ่ม'));
    turn(w, typed('1500'));
    turn(w, typed('เพิ่ม'));
    r = turn(w, typed('2500'));
    r = turn(w, press(r, 'ไม่เพิ่มแล้ว'));
    expect(where(w.state)).toBe('review');
    turn(w, press(r, 'ส่งคำตอบ'));
    expect(w.answers).toMatchObject({ 'total#0': 4000, 'no#1': 1, 'no#2': 2 });
  });

  it('a typed answer replaces the default, and the default is offered only while unanswered', () => {
    const w = xlsWorld();
    turn(w, OPEN);
    turn(w, typed('ครูสมใจ'));
    turn(w, typed('4'));
    expect(w.answers['rooms#0']).toBe(4);
    const r = turn(w, typed('ย้อนกลับ'));
    expect(where(w.state)).toBe('rooms');
    expect(lastText(r)).not.toMatch(/คำตอบที่ตั้งไว้/);
    expect(labels(r)).not.toContain('ใช้คำตอบนี้');
  });
});

describe('XLSForm choices and counts in chat', () => {
  const CF = 'checklist-cf';
  const th = (t: string) => ({ th: t });
  const form = (() => {
    const r = validateFormDefinition({
      schema: DEFINITION_SCHEMA,
      key: 'cf-form',
      version: 1,
      title: th('สำรวจความต้องการ'),
      scope: 'person',
      items: [
        {
          type: 'select_one',
          key: 'province',
          label: th('จังหวัด'),
          choices: [
            { value: 'kk', label: th('ขอนแก่น') },
            { value: 'ud', label: th('อุดรธานี') },
          ],
        },
        {
          type: 'select_one',
          key: 'district',
          label: th('อำเภอ'),
          choiceFilter: '${province} = prov',
          choices: [
            { value: 'muang', label: th('เมืองขอนแก่น'), attributes: { prov: 'kk' } },
            { value: 'phon', label: th('พล'), attributes: { prov: 'kk' } },
            { value: 'muang', label: th('เมืองอุดรธานี'), attributes: { prov: 'ud' } },
            { value: 'kumphawapi', label: th('กุมภวาปี'), attributes: { prov: 'ud' } },
          ],
        },
        {
          type: 'select_many',
          key: 'needs',
          label: th('ความต้องการ'),
          orOther: true,
          choices: [
            { value: 'books', label: th('หนังสือ') },
            { value: 'net', label: th('อินเทอร์เน็ต') },
          ],
        },
        { type: 'number', key: 'n', label: th('จำนวนครูที่ขาด'), integer: true, min: 0, max: 3 },
        {
          type: 'repeat',
          key: 'kids',
          label: th('ครูที่ขาด'),
          count: '${n}',
          items: [{ type: 'text', key: 'subject', label: th('วิชา') }],
        },
        {
          type: 'select_one',
          key: 'big',
          label: th('โรงเรียนคู่พัฒนา'),
          choices: Array.from({ length: 120 }, (_, i) => ({
            value: `s${i + 1}`,
            label: th(`โรงเรียนบ้านหนองที่ ${i + 1}`),
          })),
        },
      ],
    });
    if (!r.ok) throw new Error(JSON.stringify(r.issues));
    return flattenForm(r.definition);
  })();

  it('filters choices by earlier answers, asks for "other", repeats a counted group, and lists long lists short', () => {
    const w = newWorld({ definitions: new Map([[CF, form]]) });
    w.campaign = { ...w.campaign, checklistId: CF, title: form.title.th };
    turn(w, OPEN);
    let r = turn(w, typed('อุดร'));
    expect(labels(r).slice(0, 2)).toEqual(['เมืองอุดรธานี', 'กุมภวาปี']);
    expect(lastText(r)).not.toMatch(/พล|เมืองขอนแก่น/);
    r = turn(w, typed('2'));
    expect(w.answers['district#0']).toBe('kumphawapi');
    expect(lastText(r)).toMatch(/3\. อื่นๆ/);
    r = turn(w, typed('1, 3'));
    expect(w.answers['needs#0']).toEqual(['books', 'other']);
    expect(lastText(r)).toMatch(/โปรดระบุ "อื่นๆ" ของข้อ: ความต้องการ/);
    turn(w, typed('ครูวิทยาศาสตร์'));
    expect(w.answers['needs_other#0']).toBe('ครูวิทยาศาสตร์');
    turn(w, typed('2'));
    expect(where(w.state)).toBe('subject#1');
    turn(w, typed('คณิตศาสตร์'));
    r = turn(w, typed('ภาษาอังกฤษ'));
    // Counted: no "add another?" after the second.
    expect(where(w.state)).toBe('big');
    expect(lastText(r)).toMatch(/30\. โรงเรียนบ้านหนองที่ 30\n… และอีก 90 ตัวเลือก/);
    expect(lastText(r)).not.toMatch(/ที่ 31/);
    turn(w, typed('โรงเรียนบ้านหนองที่ 117'));
    expect(w.answers['big#0']).toBe('s117');
    expect(where(w.state)).toBe('review');
  });

  it('asks "other" only when it is chosen, and a smaller count drops the extra instances on submit', () => {
    const answers = {
      'province#0': 'kk',
      'district#0': 'phon',
      'needs#0': ['net'],
      'n#0': 1,
      'subject#1': 'ไทย',
      'subject#2': 'สังคม',
      'big#0': 's1',
    };
    const w = newWorld({ definitions: new Map([[CF, form]]), answers });
    w.campaign = { ...w.campaign, checklistId: CF, title: form.title.th, responseId: RESPONSE, status: 'in_progress' };
    const r = turn(w, OPEN);
    expect(where(w.state)).toBe('review');
    turn(w, press(r, 'ส่งคำตอบ'));
    expect(w.answers['subject#2']).toBeUndefined();
    expect(w.answers['subject#1']).toBe('ไทย');
  });
});
