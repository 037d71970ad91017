// Table tests of the pure visit code: typed Thai times, the ranking of schools, clash and holiday flags, and
// transition(flows, ) rows for visit inputs (roles, stale and forged postbacks, replays), with no database.
import { flows } from '../../src/flows/index.js';
import { describe, expect, it } from 'vitest';
import { initialState, type ConversationState } from '../../src/conversation/state.js';
import { type Ctx, type PersonView, transition } from '../../src/conversation/transition.js';
import { defaultPrivacyNotice } from '../../src/i18n/th.js';
import type { Message } from '../../src/line/messages.js';
import { flags, rankSchools } from '../../src/visits/prompts.js';
import { visitReminders } from '../../src/visits/reminders.js';
import type { LoadedVisits, VisitSchool, VisitView } from '../../src/visits/visits.queries.js';
import { parsePickerValue, parsePlanTime, parseWhen } from '../../src/visits/when.js';
import { localInstant } from '../../src/time/zone.js';
import { type IdSlot, rowId } from '../../src/ids/row-id.js';

const NOW = Date.parse('2026-11-20T02:00:00Z'); // Friday 09:00 in Bangkok
const TZ = 'Asia/Bangkok';
const TODAY = '2026-11-20';
const S1 = '10000000-0000-4000-8000-000000000001';
const S2 = '10000000-0000-4000-8000-000000000002';
const OTHER = '10000000-0000-4000-8000-000000000009';
const V1 = '20000000-0000-4000-8000-000000000001';
const EVENT = 'test-channel:visit-event';
/** The visit's and its self-assessment campaign's ids, derived from the turn's event. */
const ID1 = rowId(EVENT, 'visit');
const ID2 = rowId(EVENT, 'campaign');

describe('parsePlanTime (the annual plan’s start times)', () => {
  it.each([
    ['2026-12-01 09:00', '2026-12-01T02:00:00.000Z'],
    ['2026-12-01T09:00', '2026-12-01T02:00:00.000Z'],
    [' 2026-12-01 13:30 ', '2026-12-01T06:30:00.000Z'],
    ['2026-12-01T09:00:00+07:00', '2026-12-01T02:00:00.000Z'],
    ['2026-12-01T02:00:00.000Z', '2026-12-01T02:00:00.000Z'],
    ['2026-12-01T09:00Z', '2026-12-01T09:00:00.000Z'],
  ])('%s', (text, want) => {
    expect(new Date(parsePlanTime(text, TZ) ?? 0).toISOString()).toBe(want);
  });

  it.each([
    '',
    'พรุ่งนี้ 9 โมง',
    '2026-12-01',
    '2026-02-30 09:00',
    '2026-12-01 24:00',
    '2026-12-01 09:60',
    '01/12/2026 09:00',
  ])('unreadable: %s', (text) => {
    expect(parsePlanTime(text, TZ)).toBeNull();
  });
});

describe('parseWhen (typed Thai date and time)', () => {
  it.each([
    ['25/11/2569 09:30', { date: '2026-11-25', hour: 9, minute: 30 }],
    ['25/11/2569 9.30 น.', { date: '2026-11-25', hour: 9, minute: 30 }],
    ['๒๕/๑๑/๒๕๖๙ ๐๙:๓๐', { date: '2026-11-25', hour: 9, minute: 30 }],
    ['พรุ่งนี้ 9 โมง', { date: '2026-11-21', hour: 9, minute: 0 }],
    ['พรุ่งนี้ 9 โมงครึ่ง', { date: '2026-11-21', hour: 9, minute: 30 }],
    ['3 ธ.ค. บ่ายโมง', { date: '2026-12-03', hour: 13, minute: 0 }],
    ['3 ธ.ค. 69 บ่าย 2', { date: '2026-12-03', hour: 14, minute: 0 }],
    ['วันพฤหัสบดีที่ 26 พ.ย. 2569 เวลา 13:00 น.', { date: '2026-11-26', hour: 13, minute: 0 }],
    ['26 พฤศจิกายน 2569 เที่ยง', { date: '2026-11-26', hour: 12, minute: 0 }],
    ['2026-11-26 08:00', { date: '2026-11-26', hour: 8, minute: 0 }],
    ['25/11/2569 09:30 ครับ', { date: '2026-11-25', hour: 9, minute: 30 }],
  ])('%s', (text, want) => {
    expect(parseWhen(text, TODAY)).toEqual({ ok: true, ...want });
  });

  it.each([
    ['25/11/2569', 'time'],
    ['พรุ่งนี้', 'time'],
    ['9 โมง', 'date'],
    ['สวัสดีครับ', 'date'],
    ['25/11/2569 25:00', 'time'],
    ['x'.repeat(200), 'date'],
  ])('%s is refused (%s missing or wrong)', (text, reason) => {
    expect(parseWhen(text, TODAY)).toEqual({ ok: false, reason });
  });

  it('reads the datetime picker and turns local times into instants', () => {
    expect(parsePickerValue('2026-11-25T09:30')).toEqual({ date: '2026-11-25', hour: 9, minute: 30 });
    expect(parsePickerValue('2026-11-25')).toBeNull();
    expect(parsePickerValue(undefined)).toBeNull();
    expect(new Date(localInstant('2026-11-25', 9, 30, TZ)).toISOString()).toBe('2026-11-25T02:30:00.000Z');
    expect(new Date(localInstant('2026-03-29', 9, 0, 'Europe/Paris')).toISOString()).toBe('2026-03-29T07:00:00.000Z');
  });
});

const school = (over: Partial<VisitSchool>): VisitSchool => ({
  id: S1,
  name: 'ก',
  kind: 'main',
  learningArea: null,
  lastVisitAt: null,
  nextVisitAt: null,
  openActions: 0,
  overdue: 0,
  belowTarget: 0,
  ...over,
});

describe('rankSchools', () => {
  it('puts the longest unvisited and riskiest first, and schools with a visit planned last', () => {
    const day = 86_400_000;
    const ranked = rankSchools(
      [
        school({ id: 'a', name: 'เพิ่งไป', lastVisitAt: NOW - 10 * day }),
        school({ id: 'b', name: 'ไม่เคยไป' }),
        school({ id: 'c', name: 'นัดแล้ว', nextVisitAt: NOW + day }),
        school({ id: 'd', name: 'เพิ่งไปแต่เสี่ยง', lastVisitAt: NOW - 10 * day, belowTarget: 2, openActions: 1 }),
        school({ id: 'e', name: 'ไปนานแล้ว', lastVisitAt: NOW - 200 * day }),
      ],
      NOW,
    );
    expect(ranked.map((s) => s.id)).toEqual(['b', 'e', 'd', 'a', 'c']);
  });
});

const supervisor: PersonView = {
  id: 'sup-1',
  officeId: 'o1',
  role: 'supervisor',
  name: 'นางอัญชลี นิเทศงาม',
  status: 'active',
  schoolName: null,
  officeName: 'สพป.ตัวอย่าง',
  muted: false,
  reminderHour: 8,
};
const principal: PersonView = { ...supervisor, id: 'pri-1', role: 'principal', name: 'ผอ.สมศรี', schoolName: 'ก' };

const visit = (over: Partial<VisitView>): VisitView => ({
  id: V1,
  schoolId: S1,
  schoolName: 'โรงเรียนก',
  supervisorId: 'sup-1',
  supervisorName: 'นางอัญชลี นิเทศงาม',
  startsAt: NOW + 5 * 86_400_000,
  purpose: 'ติดตาม',
  status: 'planned',
  revision: 1,
  responseId: null,
  responseStatus: null,
  responseChecklistId: null,
  acknowledged: false,
  decision: null,
  followUpOf: null,
  recordedAt: null,
  ...over,
});

const loaded = (over: Partial<LoadedVisits> = {}): LoadedVisits => ({
  formChecklistId: null,
  schools: [school({ id: S1, name: 'โรงเรียนก' }), school({ id: S2, name: 'โรงเรียนข' })],
  visits: [],
  holidays: [],
  terms: [],
  previous: null,
  actions: [],
  ...over,
});

const ctx = (person: PersonView, visits: LoadedVisits): Ctx => ({
  now: NOW,
  eventId: EVENT,
  timeZone: TZ,
  person,
  invite: null,
  channelOfficeId: null,
  privacyNotice: defaultPrivacyNotice,
  checklists: {
    today: TODAY,
    schoolId: null,
    open: [],
    definitions: new Map(),
    answers: {},
    assignedSchools: [],
  },
  visits,
});

const home = (seq = 5): ConversationState => ({ ...initialState(), seq, flow: { flow: 'home' } });
const texts = (ms: Message[]) => ms.map((m) => ('text' in m ? m.text : 'altText' in m ? m.altText : '')).join('\n');
const txt = (text: string) => ({ kind: 'text' as const, text });
const pb = (data: string, params: Record<string, string> = {}) => ({ kind: 'postback' as const, data, params });

describe('flags', () => {
  it('names a clash within two hours with the supervisor’s own planned visit, and office holidays', () => {
    const v = loaded({
      visits: [visit({ startsAt: NOW + 3_600_000 }), visit({ id: 'x', supervisorId: 'other', startsAt: NOW })],
      holidays: [{ from: '2026-11-20', to: '2026-11-20', title: 'วันหยุด' }],
    });
    const c = {
      now: NOW,
      timeZone: TZ,
      person: supervisor,
      visits: v,
      checklists: ctx(supervisor, v).checklists as never,
      newId: (slot: IdSlot) => rowId(EVENT, slot),
    };
    expect(flags(c, NOW, undefined)).toEqual([
      expect.stringMatching(/ชนกับนัดนิเทศ โรงเรียนก เวลา 10:00/),
      expect.stringMatching(/วันหยุด/),
    ]);
    expect(flags(c, NOW, V1)).toEqual([expect.stringMatching(/วันหยุด/)]);
    expect(flags(c, NOW + 3 * 86_400_000, undefined)).toEqual([]);
  });
});

describe('visitReminders', () => {
  it('the afternoon before, the morning of, and two hours after; an evening visit is recorded the next morning', () => {
    const at = (r: { notBefore: string | null }[]) => r.map((x) => x.notBefore);
    expect(
      at(visitReminders({ id: V1, school: 'ก', purpose: 'p', startsAt: Date.parse('2026-11-25T02:30:00Z') }, TZ)),
    ).toEqual(['2026-11-24T09:00:00.000Z', '2026-11-25T00:00:00.000Z', '2026-11-25T04:30:00.000Z']);
    expect(
      at(visitReminders({ id: V1, school: 'ก', purpose: 'p', startsAt: Date.parse('2026-11-25T00:15:00Z') }, TZ)),
    ).toEqual([
      '2026-11-24T09:00:00.000Z',
      '2026-11-24T23:15:00.000Z', // a 07:15 visit: an hour before it
      '2026-11-25T02:15:00.000Z',
    ]);
    expect(
      at(visitReminders({ id: V1, school: 'ก', purpose: 'p', startsAt: Date.parse('2026-11-25T11:00:00Z') }, TZ))[2],
    ).toBe('2026-11-26T01:00:00.000Z');
  });
});

describe('transition for visits', () => {
  const run = (state: ConversationState, input: Parameters<typeof transition>[2], c: Ctx) =>
    transition(flows, state, input, c);

  it('นัดนิเทศ starts planning for a supervisor; a teacher or principal is told it is for supervisors', () => {
    const r = run(home(), txt('นัดนิเทศ'), ctx(supervisor, loaded()));
    expect(r.state.flow).toEqual({ flow: 'visit', step: 'school' });
    expect(texts(r.replies)).toMatch(/เลือกโรงเรียน \(2 โรงเรียน/);
    const p = run(home(), txt('นัดนิเทศ'), ctx(principal, loaded({ schools: [] })));
    expect(texts(p.replies)).toMatch(/เฉพาะศึกษานิเทศก์/);
    expect(p.effects).toEqual([]);
  });

  it('a supervisor without schools is told so', () => {
    expect(texts(run(home(), txt('นัดนิเทศ'), ctx(supervisor, loaded({ schools: [] }))).replies)).toMatch(/ยังไม่มีโรงเรียน/);
  });

  const atSchool: ConversationState = { ...initialState(), seq: 7, flow: { flow: 'visit', step: 'school' } };
  it.each([
    ['a forged school id with the current step', pb(`s=7&a=vsch&sc=${OTHER}`), /ไม่อยู่ในความรับผิดชอบ/, 'school'],
    ['a stale button', pb(`s=3&a=vsch&sc=${S1}`), /คำถามก่อนหน้า/, 'school'],
    ['a number out of range', txt('9'), /ไม่พบโรงเรียนนี้/, 'school'],
    ['a school by number (Thai digits are folded upstream)', txt('2'), /โรงเรียนข: วันและเวลาใด/, 'when'],
    ['a school by name', txt('โรงเรียนก'), /โรงเรียนก: วันและเวลาใด/, 'when'],
    ['a tapped school', pb(`s=7&a=vsch&sc=${S2}`), /โรงเรียนข: วันและเวลาใด/, 'when'],
  ])('at the school step, %s', (_, input, reply, step) => {
    const r = run(atSchool, input, ctx(supervisor, loaded()));
    expect(texts(r.replies)).toMatch(reply);
    expect(r.effects).toEqual([]);
    expect(r.state.flow.flow === 'visit' ? r.state.flow.step : '').toBe(step);
  });

  it('a re-asked step keeps its step token, so the buttons on screen stay valid', () => {
    const r = run(atSchool, { kind: 'sticker' }, ctx(supervisor, loaded()));
    expect(r.state.seq).toBe(7);
  });

  it('confirming plans the visit with the principal’s notice and three reminders; the SQL re-checks scope', () => {
    const state: ConversationState = {
      ...initialState(),
      seq: 9,
      flow: { flow: 'visit', step: 'confirm', schoolId: S1, startsAt: NOW + 86_400_000, purpose: 'ติดตาม' },
    };
    const r = run(state, pb('s=9&a=vok'), ctx(supervisor, loaded()));
    expect(r.state.flow).toEqual({ flow: 'home' });
    expect(r.effects).toHaveLength(1);
    const e = r.effects[0];
    if (e?.type !== 'planVisit') throw new Error('expected planVisit');
    expect(e).toMatchObject({ visitId: ID1, campaignId: ID2, schoolId: S1, supervisorId: 'sup-1', purpose: 'ติดตาม' });
    expect(e.reminders.map((x) => x.kind)).toEqual(['eve', 'morning', 'record']);
    // The same tap again (a replay) is stale: it plans nothing.
    const again = run(r.state, pb('s=9&a=vok'), ctx(supervisor, loaded()));
    expect(again.effects).toEqual([]);
  });

  it('moving and cancelling work only on the supervisor’s own planned visits', () => {
    const own = loaded({ visits: [visit({})] });
    const other = loaded({ visits: [visit({ supervisorId: 'someone-else' })] });
    expect(run(home(), pb(`a=vmove&v=${V1}`), ctx(supervisor, own)).state.flow).toMatchObject({
      step: 'when',
      visitId: V1,
    });
    expect(texts(run(home(), pb(`a=vmove&v=${V1}`), ctx(supervisor, other)).replies)).toMatch(/ไม่พบนัดนิเทศนี้/);
    expect(texts(run(home(), pb(`a=vcancel&v=${V1}`), ctx(supervisor, other)).replies)).toMatch(/ไม่พบนัดนิเทศนี้/);
    const cancelling: ConversationState = {
      ...initialState(),
      seq: 4,
      flow: { flow: 'visit', step: 'cancel', visitId: V1, schoolId: S1 },
    };
    const done = run(cancelling, pb('s=4&a=vcx'), ctx(supervisor, own));
    expect(done.effects).toEqual([
      expect.objectContaining({ type: 'cancelVisit', visitId: V1, supervisorId: 'sup-1' }),
    ]);
    const typedKeep = run(cancelling, txt('ยกเลิก'), ctx(supervisor, own));
    expect(typedKeep.effects).toEqual([]);
    expect(typedKeep.state.flow).toEqual({ flow: 'home' });
  });

  it('a principal acknowledges only a recorded visit of their school, and a second time is answered kindly', () => {
    const recorded = loaded({ schools: [], visits: [visit({ status: 'done' })] });
    const r = run(home(), pb(`a=vack&v=${V1}`), ctx(principal, recorded));
    expect(r.effects).toEqual([
      expect.objectContaining({ type: 'ackVisit', visitId: V1, personId: 'pri-1', comment: null }),
    ]);
    const acked = loaded({ schools: [], visits: [visit({ status: 'done', acknowledged: true })] });
    expect(run(home(), pb(`a=vack&v=${V1}`), ctx(principal, acked)).effects).toEqual([]);
    expect(texts(run(home(), pb(`a=vack&v=${OTHER}`), ctx(principal, recorded)).replies)).toMatch(/ไม่ใช่ของโรงเรียนท่าน/);
    expect(run(home(), pb(`a=vack&v=${V1}`), ctx(supervisor, recorded)).effects).toEqual([]);
    expect(run(home(), txt('รับทราบ'), ctx(principal, recorded)).effects).toHaveLength(1);
  });

  it('recording before the visit time is refused; without the form loaded nothing is created', () => {
    const ahead = loaded({ visits: [visit({})] });
    expect(texts(run(home(), pb(`a=vrec&v=${V1}`), ctx(supervisor, ahead)).replies)).toMatch(/ยังไม่ถึงเวลานิเทศ/);
    const started = loaded({ visits: [visit({ startsAt: NOW - 3_600_000 })] });
    const r = run(home(), pb(`a=vrec&v=${V1}`), ctx(supervisor, started));
    expect(r.effects).toEqual([]);
  });

  it('visit buttons without the visit block loaded fall back to the menu', () => {
    const c = { ...ctx(supervisor, loaded()), visits: null };
    const r = run(home(), pb(`a=vrec&v=${V1}`), c);
    expect(r.effects).toEqual([]);
    expect(texts(r.replies)).toMatch(/เมนูหลัก/);
  });
});
