// The authorization matrix of the chat: roles (teacher, principal, supervisor, director, an unlinked LINE user, a
// user of another office on that office's own channel) × scopes (own, another school or person of the same
// office, another office) × operations, driven through signed webhooks with forged postbacks (ids the person must
// not use, stale or missing step tokens, another office's ids) and typed commands. A denied cell must answer
// politely in Thai (or not at all), write nothing (responses, answers, visits, follow-ups, people, campaigns,
// audit, outbox, evidence) and show nothing of the other scope; every operation also has its allowed cell, so a
// check that denied everything would fail. The describe and test names carry the counts per operation.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignSupervisor, publishChecklist, upsertCampaign } from '../../src/checklists/checklists.queries.js';
import { DEFINITION_SCHEMA, validateDefinition, type Definition } from '../../src/checklists/definition.js';
import { queryRows } from '../../src/db/client.js';
import { DEMO_PEOPLE, DEMO_SCHOOLS } from '../../src/demo/demo-data.js';
import { seedDemo, type DemoSeed } from '../../src/demo/seed.js';
import { th } from '../../src/i18n/th.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { body, ev, userId } from '../support/events.js';
import { ADMIN, replyTexts, startHarness, type Harness } from '../support/harness.js';
import { one } from '../support/sql.js';
import { msg } from '../../src/i18n/msg.js';

/** Seeding and linking on embedded PGlite, on two cores shared with other work, can outlast the default. */
const SETUP_MS = 180_000;

// ── The cast ──

type Channel = 'env' | 'offb';
interface Who {
  key: string;
  user: string;
  channel: Channel;
  /** people.id once linked (none for the unlinked user). */
  id: string;
}

const B_SECRET = '0123456789abcdef0123456789abcdef';
const B_TOKEN = 'office-b-access-token-0123456789';
const B_SCHOOL_NAME = 'โรงเรียนต่างเขตพัฒนศึกษา';
const B_OFFICE_NAME = 'สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาต่างเขต';
const B_TEACHER = 'ครูต่างเขต ทดสอบสิทธิ์';

const who: Record<string, Who> = {};
const W = (key: string): Who => {
  const w = who[key];
  if (w === undefined) throw new Error(`no ${key}`);
  return w;
};

let h: Harness;
let demo: DemoSeed;
const school: Record<string, string> = {};
const campaign: Record<string, string> = {};
const visit: Record<string, string> = {};
let actionId = '';
let bActionId = '';

const A_PEOPLE: Record<string, string> = {
  T1: 'demo-teacher-1-1',
  T2: 'demo-teacher-2-1',
  T3: 'demo-teacher-1-2',
  P1: 'demo-principal-1',
  P2: 'demo-principal-2',
  S1: 'demo-supervisor-1',
  S2: 'demo-supervisor-2',
  D: 'demo-director',
};
/** Demo teachers' names repeat across schools; the test renames them uniquely so "absent" means something. */
const teacherName = (school: number, k: number) => `ครูทดสอบ [${school + 1}-${k}]`;
const nameOf = (externalId: string) => {
  const t = /^demo-teacher-(\d+)-(\d+)$/.exec(externalId);
  if (t !== null) return teacherName(Number(t[1]) - 1, Number(t[2]));
  return DEMO_PEOPLE.find((p) => p.externalId === externalId)?.displayName ?? '?';
};
const SCHOOL1 = DEMO_SCHOOLS[0]?.nameTh ?? '';
const SCHOOL2 = DEMO_SCHOOLS[1]?.nameTh ?? '';
const C2_SCHOOL = DEMO_SCHOOLS[6]?.nameTh ?? '';
/** Teacher names of the schools (by index) that pass `inside`. */
const teachersOf = (inside: (i: number) => boolean): string[] =>
  DEMO_SCHOOLS.flatMap((_, i) => (inside(i) ? [1, 2, 3].map((k) => teacherName(i, k)) : []));

// ── Talking ──

interface Said {
  texts: string[];
  /** Every reply body as JSON (Flex contents included), for "nothing of the other scope" checks. */
  raw: string;
}

async function say(w: Who, event: unknown): Promise<Said> {
  const before = h.line.replies().length;
  const res =
    w.channel === 'env'
      ? await h.webhook(body(event))
      : await h.webhook(body(event), { path: '/webhook/offb', secret: B_SECRET });
  expect(res.status).toBe(200);
  await h.settle();
  expect(h.line.invalid()).toEqual([]);
  const bodies = h.line
    .replies()
    .slice(before)
    .map((r) => r.body);
  return { texts: bodies.flatMap((b) => replyTexts(b)), raw: JSON.stringify(bodies) };
}
const text = (w: Who, t: string) => say(w, ev.text(t, { user: w.user }));
const tap = (w: Who, data: string, params?: Record<string, string>) =>
  say(w, ev.postback(data, { user: w.user, ...(params === undefined ? {} : { params }) }));

async function seqOf(w: Who): Promise<number> {
  const rows = await queryRows<{ seq: number | null }>(
    h.db.db,
    sql`SELECT (state->>'seq')::int AS seq FROM conversations WHERE line_user_id = ${w.user}`,
  );
  return rows[0]?.seq ?? 0;
}

/** What a denied cell must leave unchanged: every table a chat turn can write, but the conversation itself. */
interface Snapshot {
  responses: string;
  answers: string;
  visits: string;
  actions: string;
  people: string;
  campaigns: string;
  evidence: number;
  outbox: number;
  audit: number;
}
async function snapshot(): Promise<Snapshot> {
  const digest = (q: string) =>
    sql.raw(`(SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM (${q}) x)`);
  return one<Snapshot & Record<string, unknown>>(
    h.db.db,
    sql`SELECT ${digest('SELECT id, status, subject_key, started_by, submitted_at, updated_at FROM responses')} AS responses,
               ${digest('SELECT response_id, item_key, repeat_index, value, answered_by, answered_at FROM answers')} AS answers,
               ${digest(`SELECT id, school_id, supervisor_id, starts_at, status, revision, response_id, decision,
                                acknowledged_at, acknowledged_by, principal_comment FROM visits`)} AS visits,
               ${digest('SELECT id, status, done_by FROM visit_actions')} AS actions,
               ${digest('SELECT id, status, display_name, channel_id, line_user_id, muted, reminder_hour FROM people')} AS people,
               ${digest('SELECT id, closed_at, due_at FROM campaigns')} AS campaigns,
               (SELECT count(*)::int FROM evidence_files) AS evidence,
               (SELECT count(*)::int FROM outbox) AS outbox,
               (SELECT count(*)::int FROM audit_log) AS audit`,
  );
}

const THAI = /[\u0E00-\u0E7F]/u;
/** An event, or a function building it when its turn comes (to read the current step token). */
type Step = object | (() => Promise<unknown>);

/**
 * A denied cell: the events change nothing but the conversation; every reply is Thai; `reply` is in the answer;
 * nothing in `forbid` is. A read that was refused may still be audited (`audit`: the attempt is recorded).
 */
async function denied(
  w: Who,
  steps: Step[],
  o: { reply?: string | RegExp; forbid?: string[]; audit?: string } = {},
): Promise<Said> {
  const before = await snapshot();
  const said: Said = { texts: [], raw: '' };
  for (const s of steps) {
    const event = typeof s === 'function' ? await s() : s;
    const r = await say(w, event);
    said.texts.push(...r.texts);
    said.raw += r.raw;
  }
  const after = await snapshot();
  if (o.audit !== undefined) {
    const last = await one<{ action: string; actor: string }>(
      h.db.db,
      sql`SELECT action, actor FROM audit_log ORDER BY id DESC LIMIT 1`,
    );
    expect(last).toEqual({ action: o.audit, actor: `person:${w.id}` });
    expect(after.audit).toBe(before.audit + 1);
    after.audit = before.audit;
  }
  expect(after).toEqual(before);
  for (const t of said.texts) expect(t).toMatch(THAI);
  const all = said.texts.join('\n');
  if (o.reply !== undefined) {
    if (typeof o.reply === 'string') expect(all).toContain(o.reply);
    else expect(all).toMatch(o.reply);
  }
  for (const f of o.forbid ?? []) expect(said.raw).not.toContain(f);
  return said;
}

const pb = (w: Who, data: string) => ev.postback(data, { user: w.user });
/** A postback from `w` carrying the current step token of `tokenOf` (by default w's own, read when the step runs). */
const pbNow =
  (w: Who, data: (seq: number) => string, tokenOf: Who = w) =>
  async () =>
    pb(w, data(await seqOf(tokenOf)));

// ── The matrix ──

type Scope = 'own' | 'same office' | 'other office' | 'unlinked';
type Verdict = 'allowed' | 'denied';
interface Cell {
  op: string;
  actor: string;
  scope: Scope;
  verdict: Verdict;
  what: string;
  run: () => Promise<void>;
}
const cells: Cell[] = [];
const cell = (op: string, actor: string, scope: Scope, verdict: Verdict, what: string, run: () => Promise<void>) =>
  cells.push({ op, actor, scope, verdict, what, run });

const responseOf = async (campaignId: string, subject: string) =>
  queryRows<{ id: string; status: string; started_by: string }>(
    h.db.db,
    sql`SELECT id, status, started_by FROM responses WHERE campaign_id = ${campaignId} AND subject_key = ${subject}`,
  );
const answerOf = async (responseId: string, key: string) =>
  (
    await queryRows<{ v: unknown }>(
      h.db.db,
      sql`SELECT value AS v FROM answers WHERE response_id = ${responseId} AND item_key = ${key}`,
    )
  )[0]?.v;
const T1_NOTE = 'บันทึกของครูคนแรกเท่านั้น';

// checklist.open: `a=open&c=<campaign>` (no step token: lists and reminders carry it).
cell(
  'checklist.open',
  'teacher',
  'own',
  'allowed',
  'opens a campaign for teachers: its response is created',
  async () => {
    const r = await tap(W('T1'), `a=open&c=${campaign.teach}`);
    expect(r.texts.join()).toContain('ได้วางแผนการสอนล่วงหน้าหรือไม่');
    const rows = await responseOf(campaign.teach ?? '', W('T1').id);
    expect(rows).toEqual([{ id: expect.any(String), status: 'in_progress', started_by: W('T1').id }]);
  },
);
cell(
  'checklist.open',
  'teacher',
  'same office',
  'denied',
  'a campaign for principals (not targeted at me)',
  async () => {
    await denied(W('T1'), [pb(W('T1'), `a=open&c=${campaign.prin}`)], { reply: msg.checklist.campaignGone });
  },
);
cell('checklist.open', 'teacher', 'same office', 'denied', 'a campaign for another school only', async () => {
  await denied(W('T1'), [pb(W('T1'), `a=open&c=${campaign.school2}`)], { reply: msg.checklist.campaignGone });
});
cell('checklist.open', 'teacher', 'other office', 'denied', "another office's campaign id", async () => {
  await denied(W('T1'), [pb(W('T1'), `a=open&c=${campaign.teachB}`)], {
    reply: msg.checklist.campaignGone,
    forbid: [B_OFFICE_NAME],
  });
});
cell('checklist.open', 'teacher of B', 'other office', 'denied', "office A's campaign on B's channel", async () => {
  await denied(W('TB'), [pb(W('TB'), `a=open&c=${campaign.teach}`)], { reply: msg.checklist.campaignGone });
});
cell('checklist.open', 'unlinked', 'unlinked', 'denied', 'any campaign: only the invite question', async () => {
  await denied(W('U'), [pb(W('U'), `a=open&c=${campaign.teach}`)], { reply: th.askInviteCode });
});
cell('checklist.open', 'supervisor', 'same office', 'denied', 'the teachers’ campaign', async () => {
  await denied(W('S1'), [pb(W('S1'), `a=open&c=${campaign.teach}`)], { reply: msg.checklist.campaignGone });
});
cell('checklist.open', 'director', 'same office', 'denied', 'the teachers’ campaign', async () => {
  await denied(W('D'), [pb(W('D'), `a=open&c=${campaign.teach}`)], { reply: msg.checklist.campaignGone });
});
cell('checklist.open', 'director', 'own', 'allowed', 'the directors’ campaign', async () => {
  await tap(W('D'), `a=open&c=${campaign.dir}`);
  expect(await responseOf(campaign.dir ?? '', W('D').id)).toHaveLength(1);
  await text(W('D'), 'เมนู');
});
cell(
  'checklist.open',
  'principal',
  'own',
  'allowed',
  'the school-scope campaign: a response for my school',
  async () => {
    await tap(W('P1'), `a=open&c=${campaign.prin}`);
    const rows = await responseOf(campaign.prin ?? '', school.s1 ?? '');
    expect(rows).toEqual([{ id: expect.any(String), status: 'in_progress', started_by: W('P1').id }]);
    await text(W('P1'), 'ใช่');
    expect(await answerOf(rows[0]?.id ?? '', 'q1')).toBe('yes');
  },
);
cell(
  'checklist.open',
  'principal',
  'same office',
  'denied',
  "another school's school-scope response (forged r=): I get my own school's",
  async () => {
    const p1Response = (await responseOf(campaign.prin ?? '', school.s1 ?? ''))[0]?.id ?? '';
    const before = await snapshot();
    const r = await tap(W('P2'), `a=open&c=${campaign.prin}&r=${p1Response}`);
    expect(r.raw).not.toContain(SCHOOL1);
    const after = await snapshot();
    expect(after.answers).toBe(before.answers);
    const own = await responseOf(campaign.prin ?? '', school.s2 ?? '');
    expect(own).toHaveLength(1);
    expect(own[0]?.id).not.toBe(p1Response);
    const state = await one<{ rid: string }>(
      h.db.db,
      sql`SELECT state->'flow'->>'responseId' AS rid FROM conversations WHERE line_user_id = ${W('P2').user}`,
    );
    expect(state.rid).toBe(own[0]?.id);
    await text(W('P2'), 'เมนู');
  },
);

cell('checklist.open', 'supervisor', 'same office', 'denied', 'the directors’ campaign (director-only)', async () => {
  await denied(W('S1'), [pb(W('S1'), `a=open&c=${campaign.dir}`)], { reply: msg.checklist.campaignGone });
});
cell('checklist.open', 'principal', 'same office', 'denied', 'the directors’ campaign (director-only)', async () => {
  await denied(W('P1'), [pb(W('P1'), `a=open&c=${campaign.dir}`)], { reply: msg.checklist.campaignGone });
});

// checklist.answer: `s=<seq>&a=ans&v=…` and typed answers, only into the response the conversation holds.
cell('checklist.answer', 'teacher', 'own', 'allowed', 'a button with the current step token', async () => {
  await tap(W('T1'), `s=${await seqOf(W('T1'))}&a=ans&v=yes`);
  const rid = (await responseOf(campaign.teach ?? '', W('T1').id))[0]?.id ?? '';
  expect(await answerOf(rid, 'q1')).toBe('yes');
});
cell('checklist.answer', 'teacher', 'own', 'denied', 'a stale step token (an old button) changes nothing', async () => {
  await denied(W('T1'), [pbNow(W('T1'), (s) => `s=${s - 1}&a=ans&v=no`)], { reply: /ปุ่มนี้เป็นของคำถามก่อนหน้า/ });
});
cell('checklist.answer', 'teacher', 'own', 'allowed', 'a typed answer', async () => {
  await text(W('T1'), T1_NOTE);
  const rid = (await responseOf(campaign.teach ?? '', W('T1').id))[0]?.id ?? '';
  expect(await answerOf(rid, 'q2')).toBe(T1_NOTE);
  const at = await one<{ kind: string }>(
    h.db.db,
    sql`SELECT state->'flow'->'at'->>'kind' AS kind FROM conversations WHERE line_user_id = ${W('T1').user}`,
  );
  expect(at.kind).toBe('review');
});
cell(
  'checklist.answer',
  'teacher',
  'same office',
  'denied',
  "another teacher's response (forged r=, T1's token)",
  async () => {
    const rid = (await responseOf(campaign.teach ?? '', W('T1').id))[0]?.id ?? '';
    await denied(
      W('T2'),
      [pbNow(W('T2'), (s) => `s=${s}&a=ans&v=no&r=${rid}`, W('T1')), pb(W('T2'), `a=ans&v=no&r=${rid}`)],
      {
        forbid: [T1_NOTE],
      },
    );
  },
);
cell('checklist.answer', 'teacher of B', 'other office', 'denied', "office A's response id", async () => {
  const rid = (await responseOf(campaign.teach ?? '', W('T1').id))[0]?.id ?? '';
  await denied(W('TB'), [pb(W('TB'), `s=1&a=ans&v=no&r=${rid}`), ev.text('ไม่ใช่', { user: W('TB').user })], {
    forbid: [T1_NOTE, SCHOOL1],
  });
});
cell('checklist.answer', 'unlinked', 'unlinked', 'denied', 'a forged answer', async () => {
  const rid = (await responseOf(campaign.teach ?? '', W('T1').id))[0]?.id ?? '';
  await denied(W('U'), [pb(W('U'), `s=1&a=ans&v=no&r=${rid}`)], { reply: th.askInviteCode, forbid: [T1_NOTE] });
});

// checklist.submit: `s=<seq>&a=submit` at the review.
cell('checklist.submit', 'teacher', 'own', 'denied', 'a stale submit button', async () => {
  await denied(W('T1'), [pbNow(W('T1'), (s) => `s=${s - 1}&a=submit`)]);
  expect((await responseOf(campaign.teach ?? '', W('T1').id))[0]?.status).toBe('in_progress');
});
cell('checklist.submit', 'teacher', 'same office', 'denied', "another teacher's response", async () => {
  const rid = (await responseOf(campaign.teach ?? '', W('T1').id))[0]?.id ?? '';
  await denied(
    W('T2'),
    [pb(W('T2'), `a=submit&r=${rid}`), pbNow(W('T2'), (s) => `s=${s}&a=submit&r=${rid}`, W('T1'))],
    {
      forbid: [T1_NOTE],
    },
  );
});
cell('checklist.submit', 'teacher of B', 'other office', 'denied', "office A's response", async () => {
  const rid = (await responseOf(campaign.teach ?? '', W('T1').id))[0]?.id ?? '';
  await denied(W('TB'), [pb(W('TB'), `a=submit&r=${rid}`), ev.text('ส่ง', { user: W('TB').user })]);
});
cell('checklist.submit', 'teacher', 'own', 'denied', 'a submit button without a step token (forged)', async () => {
  await denied(W('T1'), [pb(W('T1'), 'a=submit')], { reply: /ปุ่มนี้เป็นของคำถามก่อนหน้า/ });
  expect((await responseOf(campaign.teach ?? '', W('T1').id))[0]?.status).toBe('in_progress');
});
cell('checklist.submit', 'teacher', 'own', 'allowed', 'the current submit button', async () => {
  await tap(W('T1'), `s=${await seqOf(W('T1'))}&a=submit`);
  expect((await responseOf(campaign.teach ?? '', W('T1').id))[0]?.status).toBe('submitted');
});
cell('checklist.submit', 'principal', 'own', 'allowed', "my school's response, typed", async () => {
  await tap(W('P1'), `a=open&c=${campaign.prin}`);
  await text(W('P1'), 'ส่ง');
  expect((await responseOf(campaign.prin ?? '', school.s1 ?? ''))[0]?.status).toBe('submitted');
});

// checklist.edit: reopening a submitted response (before its due date) and saving again.
cell('checklist.edit', 'teacher', 'own', 'allowed', 'edit after submit, before the due date (audited)', async () => {
  const rid = (await responseOf(campaign.teach ?? '', W('T1').id))[0]?.id ?? '';
  await tap(W('T1'), `a=open&c=${campaign.teach}`);
  await text(W('T1'), 'แก้ข้อ 1');
  await text(W('T1'), 'ไม่ใช่');
  await text(W('T1'), 'บันทึก');
  expect(await answerOf(rid, 'q1')).toBe('no');
  const audit = await one<{ actor: string; target_id: string }>(
    h.db.db,
    sql`SELECT actor, target_id FROM audit_log WHERE action = 'response.edit'`,
  );
  expect(audit).toEqual({ actor: `person:${W('T1').id}`, target_id: rid });
});
cell('checklist.edit', 'teacher', 'same office', 'denied', "another teacher's submitted response", async () => {
  const rid = (await responseOf(campaign.teach ?? '', W('T1').id))[0]?.id ?? '';
  const r = await tap(W('T2'), `a=open&c=${campaign.teach}&r=${rid}`);
  expect(r.raw).not.toContain(T1_NOTE);
  expect((await responseOf(campaign.teach ?? '', W('T2').id))[0]?.started_by).toBe(W('T2').id);
  await denied(W('T2'), [ev.text('แก้ข้อ 2', { user: W('T2').user })], { forbid: [T1_NOTE] });
  await text(W('T2'), 'เมนู');
  expect(await answerOf(rid, 'q2')).toBe(T1_NOTE);
});
cell('checklist.edit', 'principal', 'same office', 'denied', "another school's submitted school response", async () => {
  const rid = (await responseOf(campaign.prin ?? '', school.s1 ?? ''))[0]?.id ?? '';
  await denied(W('P2'), [pb(W('P2'), `a=edit&n=1&r=${rid}`), ev.text('แก้ข้อ 1', { user: W('P2').user })], {
    forbid: [SCHOOL1],
  });
  expect(await answerOf(rid, 'q1')).toBe('yes');
});
cell('checklist.edit', 'teacher', 'own', 'denied', 'edit after the due date', async () => {
  const saved = h.clock.now;
  h.clock.now = saved + 40 * 86_400_000;
  try {
    await denied(W('T1'), [pb(W('T1'), `a=open&c=${campaign.teach}`), ev.text('แก้ข้อ 1', { user: W('T1').user })], {
      reply: msg.checklist.editClosed,
    });
  } finally {
    h.clock.now = saved;
  }
});

// names.view: a digest's "ดูรายชื่อ", `a=names&k=pending&c=<campaign>` (no step token; a read, audited).
const C1_ONLY = teachersOf((i) => i < 6);
const C2_ONLY = teachersOf((i) => i >= 6);
const S1_SCHOOL_ONLY = teachersOf((i) => i === 0);
const S2_SCHOOL_ONLY = teachersOf((i) => i === 1);
cell('names.view', 'director', 'own', 'allowed', 'the whole office', async () => {
  const r = await tap(W('D'), `a=names&k=pending&c=${campaign.teach}`);
  for (const n of teachersOf((i) => i === 2 || i === 7)) expect(r.raw).toContain(n);
});
cell('names.view', 'supervisor', 'own', 'allowed', 'assigned schools only', async () => {
  const r = await tap(W('S1'), `a=names&k=pending&c=${campaign.teach}`);
  expect(C1_ONLY.some((n) => r.raw.includes(n))).toBe(true);
  for (const n of C2_ONLY) expect(r.raw).not.toContain(n);
  expect(r.raw).not.toContain(C2_SCHOOL);
});
cell('names.view', 'principal', 'own', 'allowed', 'my school only', async () => {
  const r = await tap(W('P1'), `a=names&k=pending&c=${campaign.teach}`);
  expect(S1_SCHOOL_ONLY.some((n) => r.raw.includes(n))).toBe(true);
  for (const n of S2_SCHOOL_ONLY) expect(r.raw).not.toContain(n);
  expect(r.raw).not.toContain(SCHOOL2);
});
cell('names.view', 'teacher', 'same office', 'denied', 'a teacher sees no lists', async () => {
  await denied(W('T1'), [pb(W('T1'), `a=names&k=pending&c=${campaign.teach}`)], {
    reply: msg.digest.namesNotAllowed,
    forbid: [...C1_ONLY, ...C2_ONLY],
    audit: 'names.view',
  });
});
cell(
  'names.view',
  'teacher',
  'same office',
  'denied',
  'overdue schools and SAR targets (director-level lists)',
  async () => {
    await denied(W('T1'), [pb(W('T1'), 'a=names&k=overdue')], {
      reply: msg.digest.namesNotAllowed,
      audit: 'names.view',
    });
    await denied(W('T1'), [pb(W('T1'), 'a=names&k=sar')], { reply: msg.digest.namesNotAllowed, audit: 'names.view' });
  },
);
cell('names.view', 'director of B', 'other office', 'denied', "office A's campaign id", async () => {
  await denied(W('DB'), [pb(W('DB'), `a=names&k=pending&c=${campaign.teach}`)], {
    reply: msg.digest.namesNotFound,
    forbid: [...C1_ONLY, ...C2_ONLY, SCHOOL1],
    audit: 'names.view',
  });
});
cell('names.view', 'supervisor', 'other office', 'denied', "office B's campaign id", async () => {
  await denied(W('S1'), [pb(W('S1'), `a=names&k=pending&c=${campaign.teachB}`)], {
    reply: msg.digest.namesNotFound,
    forbid: [B_SCHOOL_NAME, B_TEACHER],
    audit: 'names.view',
  });
});
cell(
  'names.view',
  'supervisor',
  'same office',
  'denied',
  'the directors’ campaign: no office staff listed',
  async () => {
    await denied(W('S1'), [pb(W('S1'), `a=names&k=pending&c=${campaign.dir}`)], {
      forbid: [nameOf('demo-director'), nameOf('demo-admin')],
      audit: 'names.view',
    });
  },
);
cell('names.view', 'unlinked', 'unlinked', 'denied', 'no list, no audit row', async () => {
  await denied(W('U'), [pb(W('U'), `a=names&k=pending&c=${campaign.teach}`)], {
    reply: th.askInviteCode,
    forbid: [...C1_ONLY, ...C2_ONLY],
  });
});

// visit.plan: "นัดนิเทศ" → `s=<seq>&a=vsch&sc=<school>` → when → purpose → confirm.
cell('visit.plan', 'supervisor', 'own', 'allowed', 'an assigned school, typed and tapped', async () => {
  await text(W('S1'), 'นัดนิเทศ');
  await tap(W('S1'), `s=${await seqOf(W('S1'))}&a=vsch&sc=${school.s1}`);
  await text(W('S1'), '๒๕/๑๑/๒๕๖๙ ๐๙:๓๐');
  await text(W('S1'), 'ติดตามการจัดการเรียนรู้เชิงรุก');
  await text(W('S1'), 'ยืนยัน');
  const v = await one<{ id: string; school_id: string }>(
    h.db.db,
    sql`SELECT id, school_id FROM visits WHERE purpose_th = 'ติดตามการจัดการเรียนรู้เชิงรุก'`,
  );
  expect(v.school_id).toBe(school.s1);
  visit.s1Chat = v.id;
});
cell('visit.plan', 'supervisor', 'same office', 'denied', 'a school not assigned to me (forged sc=)', async () => {
  await denied(
    W('S1'),
    [
      ev.text('นัดนิเทศ', { user: W('S1').user }),
      pbNow(W('S1'), (s) => `s=${s}&a=vsch&sc=${school.c2}`),
      // Carrying on as if the pick had worked: a time, a purpose, a confirmation.
      ev.text('๒๖/๑๑/๒๕๖๙ ๐๙:๓๐', { user: W('S1').user }),
      ev.text('นิเทศโรงเรียนที่ไม่ได้รับมอบหมาย', { user: W('S1').user }),
      ev.text('ยืนยัน', { user: W('S1').user }),
    ],
    { reply: msg.visits.notYourSchool, forbid: [C2_SCHOOL] },
  );
});
cell('visit.plan', 'supervisor', 'other office', 'denied', 'a school of office B (forged sc=)', async () => {
  await denied(W('S1'), [pbNow(W('S1'), (s) => `s=${s}&a=vsch&sc=${school.b}`)], {
    reply: msg.visits.notYourSchool,
    forbid: [B_SCHOOL_NAME],
  });
  await text(W('S1'), 'ยกเลิก');
});
cell('visit.plan', 'supervisor of B', 'other office', 'denied', 'a school of office A (forged sc=)', async () => {
  await denied(
    W('SB'),
    [ev.text('นัดนิเทศ', { user: W('SB').user }), pbNow(W('SB'), (s) => `s=${s}&a=vsch&sc=${school.s1}`)],
    { reply: msg.visits.notYourSchool, forbid: [SCHOOL1] },
  );
  await text(W('SB'), 'ยกเลิก');
});
cell('visit.plan', 'principal', 'same office', 'denied', '"นัดนิเทศ" and the plan button', async () => {
  await denied(W('P1'), [ev.text('นัดนิเทศ', { user: W('P1').user }), pb(W('P1'), 'a=vplan')], {
    reply: msg.visits.onlySupervisors,
  });
});
cell('visit.plan', 'teacher', 'same office', 'denied', '"นัดนิเทศ" and a forged school pick', async () => {
  await denied(W('T1'), [ev.text('นัดนิเทศ', { user: W('T1').user }), pb(W('T1'), `s=1&a=vsch&sc=${school.s1}`)]);
});
cell('visit.plan', 'director', 'same office', 'denied', '"นัดนิเทศ"', async () => {
  await denied(W('D'), [ev.text('นัดนิเทศ', { user: W('D').user })]);
});
cell('visit.plan', 'unlinked', 'unlinked', 'denied', '"นัดนิเทศ"', async () => {
  await denied(W('U'), [ev.text('นัดนิเทศ', { user: W('U').user })], { reply: th.askInviteCode });
});

// visit.reschedule: `a=vmove&v=<visit>` → when → confirm (`s=<seq>&a=vok`).
cell(
  'visit.reschedule',
  'supervisor',
  'same office',
  'denied',
  "another supervisor's visit (a joint supervisor of the school)",
  async () => {
    await denied(W('S2'), [pb(W('S2'), `a=vmove&v=${visit.s1Future}`)], { reply: msg.visits.visitGone });
  },
);
cell(
  'visit.reschedule',
  'supervisor',
  'same office',
  'denied',
  "another supervisor's visit at a school not mine",
  async () => {
    await denied(W('S1'), [pb(W('S1'), `a=vmove&v=${visit.s2}`)], { reply: msg.visits.visitGone, forbid: [C2_SCHOOL] });
  },
);
cell('visit.reschedule', 'supervisor', 'other office', 'denied', 'a visit of office B', async () => {
  await denied(W('S1'), [pb(W('S1'), `a=vmove&v=${visit.b}`)], {
    reply: msg.visits.visitGone,
    forbid: [B_SCHOOL_NAME],
  });
});
cell('visit.reschedule', 'supervisor of B', 'other office', 'denied', 'a visit of office A', async () => {
  await denied(W('SB'), [pb(W('SB'), `a=vmove&v=${visit.s1Future}`)], {
    reply: msg.visits.visitGone,
    forbid: [SCHOOL1],
  });
});
cell('visit.reschedule', 'principal', 'same office', 'denied', "my school's visit", async () => {
  await denied(W('P1'), [pb(W('P1'), `a=vmove&v=${visit.s1Future}`)], { reply: msg.visits.onlySupervisors });
});
cell('visit.reschedule', 'supervisor', 'own', 'denied', 'a stale confirm button', async () => {
  await denied(
    W('S1'),
    [
      pb(W('S1'), `a=vmove&v=${visit.s1Future}`),
      ev.text('๓๐/๑๑/๒๕๖๙ ๑๐:๐๐', { user: W('S1').user }),
      pbNow(W('S1'), (s) => `s=${s - 1}&a=vok`),
    ],
    { reply: th.staleButton },
  );
  await text(W('S1'), 'ยกเลิก');
});
cell('visit.reschedule', 'supervisor', 'own', 'denied', 'a confirm without a step token (forged)', async () => {
  await denied(
    W('S1'),
    [
      pb(W('S1'), `a=vmove&v=${visit.s1Future}`),
      ev.text('๓๐/๑๑/๒๕๖๙ ๑๐:๐๐', { user: W('S1').user }),
      pb(W('S1'), 'a=vok'),
    ],
    { reply: th.staleButton },
  );
  await text(W('S1'), 'ยกเลิก');
});
cell('visit.reschedule', 'supervisor', 'own', 'allowed', 'my visit', async () => {
  await tap(W('S1'), `a=vmove&v=${visit.s1Future}`);
  await text(W('S1'), '๓๐/๑๑/๒๕๖๙ ๑๐:๐๐');
  await tap(W('S1'), `s=${await seqOf(W('S1'))}&a=vok`);
  const v = await one<{ revision: number; starts_at: string }>(
    h.db.db,
    sql`SELECT revision, starts_at::text FROM visits WHERE id = ${visit.s1Future}`,
  );
  expect(v.revision).toBe(2);
  expect(new Date(v.starts_at).toISOString()).toBe('2026-11-30T03:00:00.000Z');
});

// visit.cancel: `a=vcancel&v=<visit>` → `s=<seq>&a=vcx`.
cell('visit.cancel', 'supervisor', 'same office', 'denied', "another supervisor's visit", async () => {
  await denied(W('S2'), [pb(W('S2'), `a=vcancel&v=${visit.s1Future}`), pbNow(W('S2'), (s) => `s=${s}&a=vcx`)], {
    reply: msg.visits.visitGone,
  });
});
cell('visit.cancel', 'supervisor', 'other office', 'denied', 'a visit of office B', async () => {
  await denied(W('S1'), [pb(W('S1'), `a=vcancel&v=${visit.b}`)], {
    reply: msg.visits.visitGone,
    forbid: [B_SCHOOL_NAME],
  });
});
cell('visit.cancel', 'principal', 'same office', 'denied', "my school's visit", async () => {
  await denied(W('P1'), [pb(W('P1'), `a=vcancel&v=${visit.s1Future}`)], { reply: msg.visits.onlySupervisors });
});
cell('visit.cancel', 'supervisor', 'own', 'denied', 'a confirm without the question (no step token)', async () => {
  await denied(W('S1'), [pb(W('S1'), `a=vcx&v=${visit.s1Future}`)]);
});
cell('visit.cancel', 'supervisor', 'own', 'denied', 'a stale confirm button', async () => {
  await denied(W('S1'), [pb(W('S1'), `a=vcancel&v=${visit.s1Future}`), pbNow(W('S1'), (s) => `s=${s - 1}&a=vcx`)], {
    reply: th.staleButton,
  });
  await text(W('S1'), 'ยกเลิก');
});
cell('visit.cancel', 'supervisor', 'own', 'allowed', 'my visit', async () => {
  await tap(W('S1'), `a=vcancel&v=${visit.s1Future}`);
  await tap(W('S1'), `s=${await seqOf(W('S1'))}&a=vcx`);
  const v = await one<{ status: string }>(h.db.db, sql`SELECT status FROM visits WHERE id = ${visit.s1Future}`);
  expect(v.status).toBe('cancelled');
});

// visit.record: `a=vrec&v=<visit>` opens the visit form for a visit that has started.
cell(
  'visit.record',
  'supervisor',
  'same office',
  'denied',
  "another supervisor's visit (joint on that school)",
  async () => {
    await denied(W('S2'), [pb(W('S2'), `a=vrec&v=${visit.s1Past}`)], { reply: msg.visits.visitGone });
  },
);
cell('visit.record', 'supervisor of B', 'other office', 'denied', 'a visit of office A', async () => {
  await denied(W('SB'), [pb(W('SB'), `a=vrec&v=${visit.s1Past}`)], { reply: msg.visits.visitGone, forbid: [SCHOOL1] });
});
cell('visit.record', 'principal', 'same office', 'denied', "my school's visit", async () => {
  await denied(W('P1'), [pb(W('P1'), `a=vrec&v=${visit.s1Past}`), ev.text('บันทึกนิเทศ', { user: W('P1').user })], {
    reply: msg.visits.onlySupervisors,
  });
});
cell('visit.record', 'teacher', 'same office', 'denied', 'a visit of my school', async () => {
  await denied(W('T1'), [pb(W('T1'), `a=vrec&v=${visit.s1Past}`)]);
});
cell('visit.record', 'supervisor', 'own', 'allowed', 'my visit: the form starts, its response is created', async () => {
  await tap(W('S1'), `a=vrec&v=${visit.s1Past}`);
  const v = await one<{ response_id: string | null }>(
    h.db.db,
    sql`SELECT response_id FROM visits WHERE id = ${visit.s1Past}`,
  );
  expect(v.response_id).not.toBeNull();
  await text(W('S1'), 'เมนู');
});

// visit.ack: `a=vack&v=<visit>` and `a=vcom&v=<visit>` on a recorded visit.
cell(
  'visit.ack',
  'principal',
  'same office',
  'denied',
  "another school's recorded visit (ack and comment)",
  async () => {
    await denied(W('P2'), [pb(W('P2'), `a=vack&v=${visit.done}`), pb(W('P2'), `a=vcom&v=${visit.done}`)], {
      reply: msg.visits.notYourVisit,
      forbid: [SCHOOL1],
    });
  },
);
cell('visit.ack', 'principal of B', 'other office', 'denied', 'a recorded visit of office A', async () => {
  await denied(W('PB'), [pb(W('PB'), `a=vack&v=${visit.done}`)], { reply: msg.visits.notYourVisit, forbid: [SCHOOL1] });
});
cell('visit.ack', 'teacher', 'same office', 'denied', "my school's recorded visit", async () => {
  await denied(W('T1'), [pb(W('T1'), `a=vack&v=${visit.done}`)]);
});
cell('visit.ack', 'supervisor', 'own', 'denied', 'acknowledging my own record', async () => {
  await denied(W('S1'), [pb(W('S1'), `a=vack&v=${visit.done}`)], { reply: msg.visits.notYourVisit });
});
cell('visit.ack', 'principal', 'own', 'allowed', "my school's recorded visit", async () => {
  await tap(W('P1'), `a=vack&v=${visit.done}`);
  const v = await one<{ by: string | null }>(
    h.db.db,
    sql`SELECT acknowledged_by AS by FROM visits WHERE id = ${visit.done}`,
  );
  expect(v.by).toBe(W('P1').id);
});

// visit.follow-up: `a=vdone&x=<action>` closes an agreed action; `a=vfollow&v=<visit>` plans the next visit.
cell('visit.follow-up', 'principal', 'same office', 'denied', "another school's action", async () => {
  await denied(W('P2'), [pb(W('P2'), `a=vdone&x=${actionId}`)], { reply: msg.visits.actionGone });
});
cell('visit.follow-up', 'principal of B', 'other office', 'denied', 'an action of office A', async () => {
  await denied(W('PB'), [pb(W('PB'), `a=vdone&x=${actionId}`)], { reply: msg.visits.actionGone });
});
cell('visit.follow-up', 'principal', 'other office', 'denied', 'an action of office B', async () => {
  await denied(W('P1'), [pb(W('P1'), `a=vdone&x=${bActionId}`)], { reply: msg.visits.actionGone });
});
cell('visit.follow-up', 'supervisor', 'own', 'denied', 'closing the school’s action for it', async () => {
  await denied(W('S1'), [pb(W('S1'), `a=vdone&x=${actionId}`)], { reply: msg.visits.actionGone });
});
cell('visit.follow-up', 'teacher', 'same office', 'denied', "my school's action", async () => {
  await denied(W('T1'), [pb(W('T1'), `a=vdone&x=${actionId}`)]);
});
cell(
  'visit.follow-up',
  'supervisor',
  'same office',
  'denied',
  "a follow-up visit of another supervisor's visit",
  async () => {
    await denied(W('S2'), [pb(W('S2'), `a=vfollow&v=${visit.done}`)], { reply: msg.visits.visitGone });
  },
);
cell('visit.follow-up', 'principal', 'own', 'allowed', "my school's action", async () => {
  await tap(W('P1'), `a=vdone&x=${actionId}`);
  const a = await one<{ status: string; done_by: string }>(
    h.db.db,
    sql`SELECT status, done_by FROM visit_actions WHERE id = ${actionId}`,
  );
  expect(a).toEqual({ status: 'done', done_by: W('P1').id });
});
cell('visit.follow-up', 'supervisor', 'own', 'allowed', 'a follow-up of my visit asks when', async () => {
  const r = await tap(W('S1'), `a=vfollow&v=${visit.done}`);
  expect(r.texts.join()).toContain(SCHOOL1);
  await text(W('S1'), 'ยกเลิก');
});

// pdpa.copy: "ขอสำเนาข้อมูลของฉัน" (a read, audited).
cell('pdpa.copy', 'teacher', 'own', 'allowed', 'my own data only', async () => {
  const r = await text(W('T1'), 'ขอสำเนาข้อมูลของฉัน');
  expect(r.raw).toContain(nameOf(A_PEOPLE.T1 ?? ''));
  expect(r.raw).not.toContain(nameOf(A_PEOPLE.T3 ?? ''));
  const a = await one<{ actor: string; target_id: string }>(
    h.db.db,
    sql`SELECT actor, target_id FROM audit_log WHERE action = 'pdpa.copy' ORDER BY id DESC LIMIT 1`,
  );
  expect(a).toEqual({ actor: `person:${W('T1').id}`, target_id: W('T1').id });
});
cell('pdpa.copy', 'teacher of B', 'own', 'allowed', 'my own data, nothing of office A', async () => {
  const r = await text(W('TB'), 'ขอสำเนาข้อมูลของฉัน');
  expect(r.raw).toContain(B_TEACHER);
  expect(r.raw).not.toContain(demo.office.nameTh);
});
cell(
  'pdpa.copy',
  'teacher',
  'same office',
  'denied',
  "another person's data (by name, by forged postback)",
  async () => {
    const other = nameOf(A_PEOPLE.T3 ?? '');
    await denied(
      W('T1'),
      [ev.text(`ขอสำเนาข้อมูลของ ${other}`, { user: W('T1').user }), pb(W('T1'), `a=copy&p=${W('T3').id}`)],
      { forbid: [other] },
    );
  },
);
cell('pdpa.copy', 'unlinked', 'unlinked', 'denied', 'nothing held, nothing shown', async () => {
  await denied(W('U'), [ev.text('ขอสำเนาข้อมูลของฉัน', { user: W('U').user })], { reply: th.askInviteCode });
});

// pdpa.erase: "ลบข้อมูลของฉัน" → "ยืนยันลบ" or `s=<seq>&a=erase`.
cell('pdpa.erase', 'teacher', 'own', 'denied', 'a stale confirm button cancels', async () => {
  await denied(W('T3'), [ev.text('ลบข้อมูลของฉัน', { user: W('T3').user }), pbNow(W('T3'), (s) => `s=${s - 1}&a=erase`)], {
    reply: th.staleButton,
  });
});
cell('pdpa.erase', 'teacher', 'same office', 'denied', "someone else's confirm token", async () => {
  await text(W('T3'), 'ลบข้อมูลของฉัน');
  await denied(W('T2'), [
    pbNow(W('T2'), (s) => `s=${s}&a=erase&p=${W('T3').id}`, W('T3')),
    pb(W('T2'), `a=erase&p=${W('T3').id}`),
  ]);
  await text(W('T3'), msg.pdpa.keepWord);
});
cell('pdpa.erase', 'teacher of B', 'other office', 'denied', 'an A person id', async () => {
  await denied(W('TB'), [pb(W('TB'), `s=1&a=erase&p=${W('T3').id}`)]);
});
cell('pdpa.erase', 'unlinked', 'unlinked', 'denied', 'a forged confirm', async () => {
  await denied(
    W('U'),
    [pb(W('U'), `s=1&a=erase&p=${W('T3').id}`), ev.text(msg.pdpa.confirmWord, { user: W('U').user })],
    {
      reply: th.askInviteCode,
    },
  );
});
cell('pdpa.erase', 'teacher', 'own', 'allowed', 'my own data, confirmed (audited), nobody else touched', async () => {
  const before = await queryRows<{ id: string; status: string }>(
    h.db.db,
    sql`SELECT id, status FROM people WHERE id <> ${W('T3').id} ORDER BY id`,
  );
  await text(W('T3'), 'ลบข้อมูลของฉัน');
  await text(W('T3'), msg.pdpa.confirmWord);
  const p = await one<{ status: string; line_user_id: string | null }>(
    h.db.db,
    sql`SELECT status, line_user_id FROM people WHERE id = ${W('T3').id}`,
  );
  expect(p).toEqual({ status: 'erased', line_user_id: null });
  expect(await queryRows(h.db.db, sql`SELECT id, status FROM people WHERE id <> ${W('T3').id} ORDER BY id`)).toEqual(
    before,
  );
  const a = await one<{ actor: string }>(h.db.db, sql`SELECT actor FROM audit_log WHERE action = 'pdpa.erase'`);
  expect(a.actor).toBe(`person:${W('T3').id}`);
});

cell('pdpa.erase', 'unlinked', 'unlinked', 'denied', 'after erasure the same LINE user is a stranger', async () => {
  await denied(
    W('T3'),
    [pb(W('T3'), `a=open&c=${campaign.teach}`), ev.text('ขอสำเนาข้อมูลของฉัน', { user: W('T3').user })],
    {
      reply: th.askInviteCode,
      forbid: [nameOf(A_PEOPLE.T3 ?? ''), SCHOOL1],
    },
  );
});

// settings: "ตั้งค่า" → `s=<seq>&a=mute` (changes the linked person's row only).
cell('settings', 'teacher', 'own', 'denied', 'a stale mute button', async () => {
  await denied(W('T1'), [ev.text('ตั้งค่า', { user: W('T1').user }), pbNow(W('T1'), (s) => `s=${s - 1}&a=mute`)], {
    reply: th.staleButton,
  });
  await text(W('T1'), 'เมนู');
});
cell('settings', 'teacher', 'same office', 'denied', "another person's token and id", async () => {
  await text(W('T1'), 'ตั้งค่า');
  await denied(W('T2'), [pbNow(W('T2'), (s) => `s=${s}&a=mute&p=${W('T1').id}`, W('T1'))]);
  await text(W('T1'), 'เมนู');
});
cell('settings', 'teacher of B', 'other office', 'denied', 'an A person id', async () => {
  await denied(W('TB'), [pb(W('TB'), `s=1&a=hour&h=9&p=${W('T1').id}`)]);
});
cell('settings', 'unlinked', 'unlinked', 'denied', 'a forged mute', async () => {
  await denied(W('U'), [pb(W('U'), `s=1&a=mute&p=${W('T1').id}`), ev.text('ตั้งค่า', { user: W('U').user })], {
    reply: th.askInviteCode,
  });
});
cell('settings', 'teacher', 'own', 'denied', 'a mute button without a step token (forged), in the menu', async () => {
  await denied(W('T1'), [ev.text('ตั้งค่า', { user: W('T1').user }), pb(W('T1'), 'a=mute')], { reply: th.staleButton });
  await text(W('T1'), 'เมนู');
});
cell('settings', 'teacher', 'own', 'denied', 'an hour button without a step token (forged), when asked', async () => {
  await denied(
    W('T1'),
    [
      ev.text('ตั้งค่า', { user: W('T1').user }),
      ev.text(msg.settings.changeHour, { user: W('T1').user }),
      pb(W('T1'), 'a=hour&h=9'),
    ],
    { reply: th.staleButton },
  );
  await text(W('T1'), 'เมนู');
});
cell(
  'settings',
  'teacher',
  'own',
  'allowed',
  "the rich menu's settings tile (no step token) opens settings",
  async () => {
    const r = await tap(W('T1'), 'a=settings');
    expect(r.texts.join('\n')).toContain(msg.settings.summary(8, false));
    await text(W('T1'), 'เมนู');
  },
);
cell('settings', 'teacher', 'own', 'allowed', 'mute my reminders', async () => {
  await text(W('T1'), 'ตั้งค่า');
  await tap(W('T1'), `s=${await seqOf(W('T1'))}&a=mute`);
  const rows = await queryRows<{ id: string }>(h.db.db, sql`SELECT id FROM people WHERE muted`);
  expect(rows).toEqual([{ id: W('T1').id }]);
});

// checklist.transfer: a principal moved to another school (by the admin) in the middle of the former school's
// school-scope response. The conversation still names that response; it must stop taking answers.
cell('checklist.transfer', 'principal', 'same office', 'denied', "the former school's response, mid-edit", async () => {
  const rid = (await responseOf(campaign.prin ?? '', school.s1 ?? ''))[0]?.id ?? '';
  await tap(W('P1'), `a=open&c=${campaign.prin}`);
  await text(W('P1'), 'แก้ข้อ 1');
  await h.db.db.execute(sql`UPDATE people SET school_id = ${school.s3} WHERE id = ${W('P1').id}`);
  try {
    await denied(W('P1'), [ev.text('ไม่ใช่', { user: W('P1').user }), ev.text('บันทึก', { user: W('P1').user })], {
      reply: msg.checklist.campaignGone,
    });
    expect(await answerOf(rid, 'q1')).toBe('yes');
  } finally {
    await h.db.db.execute(sql`UPDATE people SET school_id = ${school.s1} WHERE id = ${W('P1').id}`);
  }
});
cell('checklist.transfer', 'principal', 'own', 'allowed', "the new school's response", async () => {
  await h.db.db.execute(sql`UPDATE people SET school_id = ${school.s3} WHERE id = ${W('P1').id}`);
  try {
    await tap(W('P1'), `a=open&c=${campaign.prin}`);
    await text(W('P1'), 'ไม่ใช่');
    const rows = await responseOf(campaign.prin ?? '', school.s3 ?? '');
    expect(rows).toEqual([{ id: expect.any(String), status: 'in_progress', started_by: W('P1').id }]);
    expect(await answerOf(rows[0]?.id ?? '', 'q1')).toBe('no');
    await text(W('P1'), 'เมนู');
  } finally {
    await h.db.db.execute(sql`UPDATE people SET school_id = ${school.s1} WHERE id = ${W('P1').id}`);
  }
});

// ── Set-up: office A (demo, env channel), office B (admin API, its own channel), a second school campaign ──

function definition(key: string, scope: 'person' | 'school'): Definition {
  const r = validateDefinition({
    schema: DEFINITION_SCHEMA,
    key,
    version: 1,
    title: { th: scope === 'person' ? 'แบบทดสอบสิทธิ์รายบุคคล' : 'แบบทดสอบสิทธิ์รายโรงเรียน' },
    scope,
    items: [
      { type: 'yes_no', key: 'q1', label: { th: 'ได้วางแผนการสอนล่วงหน้าหรือไม่' } },
      ...(scope === 'person' ? [{ type: 'text', key: 'q2', label: { th: 'บันทึกเพิ่มเติม' }, maxLength: 100 }] : []),
    ],
  });
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('; '));
  return r.definition;
}

async function admin(method: string, path: string, json: unknown) {
  const res = await h.fetch(`/admin/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(json),
  });
  expect(res.status).toBeLessThan(300);
  return res.json<Record<string, unknown>>();
}

async function link(key: string, channel: Channel, personId: string, officeId: string) {
  const w: Who = { key, user: userId(`authz-${key}`), channel, id: personId };
  const [invite] = await issueInvites(h.db.db, officeId, [personId], h.clock.now);
  expect((await text(w, invite?.code ?? '')).texts.join()).toMatch(/ใช่ไหม/);
  const r = await text(w, 'ใช่');
  expect(r.texts.join()).toMatch(/ยินดีต้อนรับ/);
  who[key] = w;
}

beforeAll(async () => {
  h = await startHarness();
  demo = await seedDemo(h.db.db, h.clock.now); // Friday 20 November 2026, 09:00 in Bangkok
  const db = h.db.db;
  const A = demo.office.id;
  const schools = await queryRows<{ id: string; code: string }>(
    db,
    sql`SELECT id, code FROM schools WHERE office_id = ${A} ORDER BY code`,
  );
  school.s1 = schools[0]?.id ?? '';
  school.s2 = schools[1]?.id ?? '';
  school.s3 = schools[2]?.id ?? '';
  school.c2 = schools[6]?.id ?? '';
  const people = await queryRows<{ id: string; external_id: string }>(
    db,
    sql`SELECT id, external_id FROM people WHERE office_id = ${A}`,
  );
  await db.execute(sql`UPDATE people SET display_name = 'ครูทดสอบ [' || substr(external_id, 14) || ']'
                        WHERE office_id = ${A} AND external_id LIKE 'demo-teacher-%'`);
  for (const [key, ext] of Object.entries(A_PEOPLE))
    await link(key, 'env', people.find((p) => p.external_id === ext)?.id ?? '', A);
  who.U = { key: 'U', user: userId('authz-unlinked'), channel: 'env', id: '' };

  // Office B, its own channel, one school, one person per role.
  const b = await admin('POST', '/offices', { code: 'OFFB', nameTh: B_OFFICE_NAME });
  const B = String(b.id);
  await admin('PUT', '/offices/OFFB/channel', {
    id: 'offb',
    name: 'Office B',
    channelSecret: B_SECRET,
    channelAccessToken: B_TOKEN,
  });
  await admin('POST', '/offices/OFFB/schools', {
    schools: [{ code: '2020202020', nameTh: B_SCHOOL_NAME, clusterCode: 'NB', clusterNameTh: 'เครือข่ายต่างเขต' }],
  });
  const bPeople = [
    { key: 'TB', displayName: B_TEACHER, role: 'teacher', schoolCode: '2020202020', externalId: 'b-teacher' },
    {
      key: 'PB',
      displayName: 'ผอ.ต่างเขต ทดสอบ',
      role: 'principal',
      schoolCode: '2020202020',
      externalId: 'b-principal',
    },
    { key: 'SB', displayName: 'นายศึกษานิเทศก์ ต่างเขต', role: 'supervisor', externalId: 'b-supervisor' },
    { key: 'DB', displayName: 'ดร.ผู้อำนวยการ ต่างเขต', role: 'director', externalId: 'b-director' },
  ];
  const created = await admin('POST', '/offices/OFFB/people', {
    people: bPeople.map(({ key: _k, ...p }) => p),
    issueInvites: false,
  });
  const ids = (created.people as { id: string }[]).map((p) => p.id);
  for (const [i, p] of bPeople.entries()) await link(p.key, 'offb', ids[i] ?? '', B);
  school.b = (await one<{ id: string }>(db, sql`SELECT id FROM schools WHERE office_id = ${B}`)).id;
  await assignSupervisor(db, B, { supervisorId: W('SB').id, schoolId: school.b, clusterId: null, kind: 'main' });

  // Campaigns: teachers (all schools), teachers of school 2 only, principals (school scope), directors; and B's.
  const personA = await publishChecklist(db, A, definition('authz-person', 'person'));
  const schoolA = await publishChecklist(db, A, definition('authz-school', 'school'));
  const personB = await publishChecklist(db, B, definition('authz-person', 'person'));
  const window = {
    schoolIds: [] as string[],
    clusterIds: [] as string[],
    opensAt: new Date(h.clock.now - 86_400_000).toISOString(),
    dueAt: new Date(h.clock.now + 14 * 86_400_000).toISOString(),
  };
  const mk = async (
    officeId: string,
    checklistId: string,
    titleTh: string,
    roles: ('teacher' | 'principal' | 'director')[],
    schoolIds: string[] = [],
  ) => (await upsertCampaign(db, { ...window, officeId, checklistId, titleTh, roles, schoolIds })).id;
  campaign.teach = await mk(A, personA.id, 'ทดสอบสิทธิ์: ครูทุกโรงเรียน', ['teacher']);
  campaign.school2 = await mk(A, personA.id, 'ทดสอบสิทธิ์: ครูโรงเรียนที่สองเท่านั้น', ['teacher'], [school.s2]);
  campaign.prin = await mk(A, schoolA.id, 'ทดสอบสิทธิ์: ผู้บริหารรายโรงเรียน', ['principal']);
  campaign.dir = await mk(A, personA.id, 'ทดสอบสิทธิ์: ผู้อำนวยการเขต', ['director']);
  campaign.teachB = await mk(B, personB.id, 'ทดสอบสิทธิ์: ครูต่างเขต', ['teacher']);

  // Visits: S1's coming visit and S1's started one at school 1, S2's at a C2 school, a recorded one at school 1
  // with an open follow-up, and B's own visit and follow-up.
  const at = (hours: number) => new Date(h.clock.now + hours * 3_600_000).toISOString();
  const ins = async (
    key: string,
    officeId: string,
    schoolId: string,
    sup: string,
    startsAt: string,
    status: string,
  ) => {
    const id = crypto.randomUUID();
    await db.execute(sql`INSERT INTO visits (id, office_id, school_id, supervisor_id, starts_at, purpose_th, status,
                                             recorded_at, created_at, updated_at)
      VALUES (${id}, ${officeId}, ${schoolId}, ${sup}, ${startsAt}, 'นิเทศทดสอบสิทธิ์', ${status},
              ${status === 'done' ? startsAt : null}, ${at(0)}, ${at(0)})`);
    visit[key] = id;
    return id;
  };
  await ins('s1Future', A, school.s1, W('S1').id, at(24 * 3), 'planned');
  await ins('s1Past', A, school.s1, W('S1').id, at(-2), 'planned');
  await ins('s2', A, school.c2, W('S2').id, at(24 * 4), 'planned');
  const done = await ins('done', A, school.s1, W('S1').id, at(-24 * 3), 'done');
  const bDone = await ins('b', B, school.b, W('SB').id, at(24 * 5), 'planned');
  actionId = crypto.randomUUID();
  bActionId = crypto.randomUUID();
  await db.execute(sql`INSERT INTO visit_actions (id, office_id, school_id, visit_id, position, what_th)
    VALUES (${actionId}, ${A}, ${school.s1}, ${done}, 1, 'จัดทำแผนพัฒนาการอ่าน'),
           (${bActionId}, ${B}, ${school.b}, ${bDone}, 1, 'ทบทวนหลักสูตรสถานศึกษา')`);
}, SETUP_MS);
afterAll(() => h.close());

// ── Running the table, one describe per operation with its counts ──

const ops = [...new Set(cells.map((c) => c.op))];
const tally = (list: Cell[]) => ({
  allowed: list.filter((c) => c.verdict === 'allowed').length,
  denied: list.filter((c) => c.verdict === 'denied').length,
});
for (const op of ops) {
  const mine = cells.filter((c) => c.op === op);
  const t = tally(mine);
  describe(`${op}: ${t.allowed} allowed, ${t.denied} denied`, () => {
    for (const c of mine) it(`${c.verdict.toUpperCase()} ${c.actor} × ${c.scope}: ${c.what}`, c.run);
  });
}

describe('the chat matrix as a whole', () => {
  const t = tally(cells);
  const roles = new Set(cells.map((c) => c.actor));
  const scopes = new Set(cells.map((c) => c.scope));
  it(`${cells.length} cells over ${ops.length} operations, ${roles.size} actors, ${scopes.size} scopes: ${t.allowed} allowed, ${t.denied} denied`, () => {
    // Every operation has a cell that must succeed and one that must be refused.
    for (const op of ops) {
      const o = tally(cells.filter((c) => c.op === op));
      expect(o.allowed, op).toBeGreaterThan(0);
      expect(o.denied, op).toBeGreaterThan(0);
    }
    expect([...scopes].sort()).toEqual(['other office', 'own', 'same office', 'unlinked']);
  });
});
