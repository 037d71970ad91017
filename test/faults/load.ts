// A steady webhook load for fault tests: teachers linking their invite and answering the demo's needs survey,
// each user sending one event per delivery and waiting for the 200 the way a chat goes. A 5xx or a timeout is
// redelivered (marked isRedelivery) until acknowledged, as LINE does. Some acknowledged deliveries are sent
// again later; "shuffle" users send their events newest first. Expected effects come from a reference user
// driven through the same script before any fault, so the assertions compare counts, not intentions.
import { sql } from 'drizzle-orm';
import { leafItem } from '../../src/checklists/answers.js';
import { readBuiltins } from '../../src/checklists/builtin-files.js';
import type { Definition } from '../../src/checklists/definition.js';
import { queryRows } from '../../src/db/client.js';
import { issueInvites } from '../../src/onboarding/invites.js';
import { typedAnswer } from '../support/answerer.js';
import { body, ev, userId } from '../support/events.js';
import type { Harness } from '../support/harness.js';
import { count, one } from '../support/sql.js';

type Event = ReturnType<typeof ev.text> | ReturnType<typeof ev.follow> | ReturnType<typeof ev.postback>;

export interface Script {
  /** What a user does after linking: texts and postbacks, in order. */
  steps: ({ kind: 'text'; text: string } | { kind: 'postback'; data: string })[];
  /** Effects of the whole script (follow + invite + steps) on one user, measured on the reference user. */
  expect: { answers: number; responseStatus: string; outbox: number; audit: number };
}

export interface LoadUser {
  user: string;
  personId: string;
  events: Event[];
}

/** New teachers of the demo's first school, each with an invite code. */
export async function newTeachers(h: Harness, officeId: string, tag: string, n: number) {
  const people = await queryRows<{ id: string }>(
    h.db.db,
    sql`INSERT INTO people (office_id, role, school_id, display_name)
          SELECT ${officeId}, 'teacher', (SELECT id FROM schools WHERE office_id = ${officeId} AND code = '9999000001'),
                 'ครูทดสอบ ' || g FROM generate_series(1, ${n}::int) g
          RETURNING id`,
  );
  const invites = await issueInvites(
    h.db.db,
    officeId,
    people.map((p) => p.id),
    h.clock.now,
  );
  return invites.map((inv, i) => ({ user: userId(`${tag}-${i}`), personId: inv.personId, code: inv.code }));
}

async function needsSurvey(h: Harness, officeId: string): Promise<{ campaignId: string; def: Definition }> {
  const def = (await readBuiltins()).flatMap((f) =>
    f.ok && f.definition.key === 'needs-survey' ? [f.definition] : [],
  )[0];
  if (def === undefined) throw new Error('no needs-survey built-in');
  const row = await one<{ id: string }>(
    h.db.db,
    sql`SELECT c.id FROM campaigns c JOIN checklists k ON k.id = c.checklist_id
         WHERE c.office_id = ${officeId} AND k.key = 'needs-survey'`,
  );
  return { campaignId: row.id, def };
}

const COPY = 'ขอสำเนาข้อมูล';

/** Drives one teacher through the survey with state reads between turns, and records what worked. */
export async function referenceScript(h: Harness, officeId: string): Promise<Script> {
  const { campaignId, def } = await needsSurvey(h, officeId);
  const [ref] = await newTeachers(h, officeId, 'reference', 1);
  if (ref === undefined) throw new Error('no reference teacher');
  // Notices the turns queue for the daily bundles (outbox_items), which the tick then plans and sends.
  const outboxBefore = await count(h.db.db, sql`outbox_items`);
  const auditBefore = await count(h.db.db, sql`audit_log`);
  const send = async (e: unknown) => {
    const res = await h.webhook(body(e));
    if (res.status !== 200) throw new Error(`reference turn answered ${res.status}`);
  };
  await send(ev.follow({ user: ref.user }));
  await send(ev.text(ref.code, { user: ref.user }));
  await send(ev.text('ใช่', { user: ref.user })); // whose account it is: confirmed
  // A copy of my data (PDPA) is a read that writes an audit row: one more effect to count.
  const steps: Script['steps'] = [
    { kind: 'text', text: COPY },
    { kind: 'postback', data: `a=open&c=${campaignId}` },
  ];
  await send(ev.text(COPY, { user: ref.user }));
  await send(ev.postback(`a=open&c=${campaignId}`, { user: ref.user }));
  for (let turn = 0; turn < 100; turn++) {
    const { state } = await one<{ state: { flow: { flow: string; at?: { kind: string; key: string } } } }>(
      h.db.db,
      sql`SELECT state FROM conversations WHERE line_user_id = ${ref.user}`,
    );
    if (state.flow.flow !== 'checklist') break;
    const at = state.flow.at;
    if (at === undefined) throw new Error('checklist without a position');
    let text: string;
    if (at.kind === 'review') text = 'ส่ง';
    else if (at.kind === 'more') text = 'ไม่ใช่';
    else {
      const answer = typedAnswer(leafItem(def, at.key));
      if (answer.kind !== 'text') throw new Error('the load script answers by text only');
      text = answer.text;
    }
    steps.push({ kind: 'text', text });
    await send(ev.text(text, { user: ref.user }));
  }
  steps.push({ kind: 'text', text: COPY });
  await send(ev.text(COPY, { user: ref.user }));
  await h.settle();
  const response = await one<{ id: string; status: string }>(
    h.db.db,
    sql`SELECT id, status FROM responses WHERE campaign_id = ${campaignId} AND subject_key = ${ref.personId}`,
  );
  return {
    steps,
    expect: {
      answers: await count(h.db.db, sql`answers WHERE response_id = ${response.id}`),
      responseStatus: response.status,
      outbox: (await count(h.db.db, sql`outbox_items`)) - outboxBefore,
      audit: (await count(h.db.db, sql`audit_log`)) - auditBefore,
    },
  };
}

export function scriptedUsers(teachers: Awaited<ReturnType<typeof newTeachers>>, script: Script): LoadUser[] {
  return teachers.map((t) => ({
    user: t.user,
    personId: t.personId,
    events: [
      ev.follow({ user: t.user }),
      ev.text(t.code, { user: t.user }),
      ev.text('ใช่', { user: t.user }), // whose account it is: confirmed
      ...script.steps.map((s) =>
        s.kind === 'text' ? ev.text(s.text, { user: t.user }) : ev.postback(s.data, { user: t.user }),
      ),
    ],
  }));
}

/** Deterministic PRNG so a failing run can be repeated. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LoadStats {
  deliveries: number;
  acked: number;
  /** Statuses other than 200, by status ('timeout' for no answer in time). */
  failures: Record<string, number>;
  /** Events that were answered 5xx or timed out at least once before being acknowledged. */
  redelivered: Set<string>;
  /** Acknowledged deliveries sent again later (duplicates). */
  duplicates: number;
  /** Any status that is neither 200 nor 503 nor a timeout: a bug. */
  unexpected: string[];
  /** When each acknowledged delivery was sent (ms since epoch). */
  ackedSentAt: number[];
}

export function emptyStats(): LoadStats {
  return {
    deliveries: 0,
    acked: 0,
    failures: {},
    redelivered: new Set(),
    duplicates: 0,
    unexpected: [],
    ackedSentAt: [],
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const redelivery = <T extends { deliveryContext: unknown }>(e: T): T => ({
  ...e,
  deliveryContext: { isRedelivery: true },
});

/**
 * Delivers `events` as one body until it is acknowledged (200): 503s and timeouts are redelivered after
 * `retryMs`. Deliveries that time out keep running; they are collected in `inflight` to be awaited.
 */
export async function deliver(
  h: Harness,
  events: Event[],
  stats: LoadStats,
  opts: { timeoutMs: number; retryMs: number; inflight: Promise<unknown>[] },
): Promise<void> {
  let payload = events;
  for (;;) {
    stats.deliveries++;
    const sentAt = Date.now();
    const pending = h.webhook(body(...payload)).then((r) => r.status);
    opts.inflight.push(pending.catch(() => 0));
    const status = await Promise.race([pending, sleep(opts.timeoutMs).then(() => 'timeout' as const)]);
    if (status === 200) {
      stats.acked++;
      stats.ackedSentAt.push(sentAt);
      return;
    }
    stats.failures[status] = (stats.failures[status] ?? 0) + 1;
    if (status !== 503 && status !== 'timeout') stats.unexpected.push(String(status));
    for (const e of payload) stats.redelivered.add(e.webhookEventId);
    payload = payload.map(redelivery);
    await sleep(opts.retryMs);
  }
}

/**
 * Every user sends its events one delivery at a time, `gapMs` apart, all users at once; after an acknowledged
 * event, with probability `dupRate`, one of the user's earlier events is delivered again.
 * Returns the deliveries still running (timed out but not yet answered), to be awaited before asserting.
 */
export async function runUsers(
  h: Harness,
  users: LoadUser[],
  stats: LoadStats,
  opts: { gapMs: number; timeoutMs: number; retryMs: number; dupRate: number; seed: number },
): Promise<Promise<unknown>[]> {
  const inflight: Promise<unknown>[] = [];
  const random = rng(opts.seed);
  await Promise.all(
    users.map(async (u, ui) => {
      await sleep((ui * opts.gapMs) / users.length);
      for (let i = 0; i < u.events.length; i++) {
        await deliver(h, [u.events[i] as Event], stats, { ...opts, inflight });
        if (i > 0 && random() < opts.dupRate) {
          // LINE sends an acknowledged event again, in a later body, next to the user's newer event.
          const again = u.events[Math.floor(random() * i)] as Event;
          stats.duplicates++;
          await deliver(h, [redelivery(again)], stats, { ...opts, inflight });
        }
        await sleep(opts.gapMs);
      }
    }),
  );
  return inflight;
}

/** Users whose events arrive newest first, two per body, in reverse order across bodies. */
export function shuffledUsers(tag: string, n: number, perUser: number): LoadUser[] {
  return Array.from({ length: n }, (_, i) => {
    const user = userId(`${tag}-${i}`);
    const events: Event[] = Array.from({ length: perUser }, (_, k) =>
      k % 2 === 0 ? ev.text(`สวัสดีครับ ${k}`, { user }) : ev.follow({ user }),
    );
    return { user, personId: '', events: events.reverse() };
  });
}

/** What an exactly-once run leaves behind for one user, read from the database. */
export async function effectsOf(h: Harness, u: LoadUser, campaignId: string | null) {
  const ids = u.events.map((e) => e.webhookEventId);
  const processed = await count(h.db.db, sql`processed_events WHERE webhook_event_id IN ${ids}`);
  const conv = await queryRows<{ version: number }>(
    h.db.db,
    sql`SELECT version FROM conversations WHERE line_user_id = ${u.user}`,
  );
  const response =
    campaignId === null
      ? []
      : await queryRows<{ status: string; answers: number }>(
          h.db.db,
          sql`SELECT r.status, (SELECT count(*)::int FROM answers a WHERE a.response_id = r.id) AS answers
                FROM responses r WHERE r.campaign_id = ${campaignId} AND r.subject_key = ${u.personId}`,
        );
  return { processed, version: conv[0]?.version ?? 0, responses: response };
}

export async function surveyCampaign(h: Harness, officeId: string): Promise<string> {
  return (await needsSurvey(h, officeId)).campaignId;
}
