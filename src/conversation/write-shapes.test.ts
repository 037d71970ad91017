// writeTurn's statement is built once per shape (ShapedStatements): for every effect type of the registry, a
// repeated shape with other values reuses the built text, and the text and values sent are exactly what drizzle
// builds from the same SQL; a value that changes the text (a branch, an array's length) is a shape of its own.
import { PgDialect } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { ShapedStatements } from '../db/client.js';
import { flows } from '../flows/index.js';
import { textMessage } from '../line/messages.js';
import type { Effect } from './effects.js';
import { initialState } from './state.js';
import { writeStatement } from './conversation.queries.js';

const dialect = new PgDialect();
const id = (n: number, k: number) => `00000000-0000-4000-8000-${String(n * 100 + k).padStart(12, '0')}`;
const msg = (n: number) => textMessage(`ข้อความ ${n}`);

/** One effect of each type, with values that differ by `n` but keep the shape. */
function everyEffect(n: number): Effect[] {
  const day = `2026-12-0${n}`;
  return [
    { type: 'setPersonStatus', personId: id(n, 1), to: n % 2 === 0 ? 'active' : 'blocked' },
    {
      type: 'audit',
      officeId: id(n, 2),
      personId: id(n, 1),
      action: 'names.read',
      targetType: 'school',
      targetId: null,
    },
    {
      type: 'createResponse',
      responseId: id(n, 3),
      officeId: id(n, 2),
      campaignId: id(n, 4),
      checklistId: id(n, 5),
      subjectKey: id(n, 6),
      schoolId: n % 2 === 0 ? id(n, 6) : null,
      personId: id(n, 1),
    },
    { type: 'saveAnswer', responseId: id(n, 3), personId: id(n, 1), key: `q${n}`, repeat: n, value: n },
    {
      type: 'addEvidence',
      evidenceId: id(n, 7),
      officeId: id(n, 2),
      responseId: id(n, 3),
      personId: id(n, 1),
      key: 'photo',
      repeat: 0,
      lineMessageId: `m${n}`,
      ...(n % 2 === 0 ? { fileName: `file-${n}.pdf` } : {}),
    },
    {
      type: 'submitResponse',
      responseId: id(n, 3),
      personId: id(n, 1),
      calculated: [{ key: 'total', repeat: 0, value: n }],
      removed: [],
      resubmit: true,
    },
    { type: 'notifySupervisors', officeId: id(n, 2), schoolId: id(n, 6), dedupeKey: `sub:${n}`, text: `ส่งแล้ว ${n}` },
    { type: 'linkPerson', inviteId: id(n, 8), personId: id(n, 1) },
    { type: 'updateSettings', personId: id(n, 1), muted: n % 2 === 0, reminderHour: 8 + n },
    { type: 'issueSigninLink', officeId: id(n, 2), personId: id(n, 1), tokenHash: `h${n}`, expiresAt: `${day}T01:00Z` },
    { type: 'erasePerson', personId: id(n, 1), requestedAt: `${day}T00:00:00.000Z` },
    {
      type: 'sarFeedback',
      id: id(n, 9),
      supervisorId: id(n, 1),
      schoolId: id(n, 6),
      responseId: id(n, 3),
      standard: 's1',
      text: `ดีมาก ${n}`,
      principalMessage: msg(n),
    },
    {
      type: 'sarFeedbackAck',
      feedbackId: id(n, 9),
      personId: id(n, 1),
      reply: `ขอบคุณ ${n}`,
      dedupeKey: `ack:${n}`,
      supervisorMessage: msg(n),
    },
    {
      type: 'planVisit',
      visitId: id(n, 10),
      supervisorId: id(n, 1),
      schoolId: id(n, 6),
      startsAt: `${day}T02:00:00.000Z`,
      purpose: `นิเทศ ${n}`,
      followUpOf: null,
      campaignId: id(n, 11),
      campaignTitle: `ประเมินตนเอง ${n}`,
      reminders: [{ kind: 'day-before', notBefore: `${day}T00:00:00.000Z`, messages: [msg(n)] }],
    },
    {
      type: 'moveVisit',
      visitId: id(n, 10),
      supervisorId: id(n, 1),
      startsAt: `${day}T03:00:00.000Z`,
      revision: n,
      principalMessages: [msg(n)],
      reminders: [{ kind: 'day-before', notBefore: null, messages: [] }],
    },
    { type: 'cancelVisit', visitId: id(n, 10), supervisorId: id(n, 1), principalMessages: [msg(n)] },
    {
      type: 'startVisitRecord',
      visitId: id(n, 10),
      supervisorId: id(n, 1),
      responseId: id(n, 12),
      checklistId: id(n, 5),
      prefill: [{ key: 'school', repeat: 0, value: id(n, 6) }],
    },
    {
      type: 'completeVisit',
      visitId: id(n, 10),
      supervisorId: id(n, 1),
      responseId: id(n, 12),
      decision: 'achieved',
      actions: [{ position: 1, what: `ติดตาม ${n}`, owner: null, dueOn: day }],
      principalMessages: [msg(n)],
      actionReminders: [{ position: 1, notBefore: `${day}T00:00:00.000Z` }],
    },
    {
      type: 'ackVisit',
      visitId: id(n, 10),
      personId: id(n, 1),
      comment: null,
      dedupeKey: `va:${n}`,
      supervisorMessages: [],
    },
    { type: 'closeVisitAction', actionId: id(n, 13), personId: id(n, 1) },
  ];
}

const key = (n: number) => ({ channelId: 'ch-shape', lineUserId: `U-${n}`, webhookEventId: `ev-${n}` });
const now = (n: number) => `2026-12-0${n}T05:00:00.000Z`;
const statementOf = (n: number, effects: Effect[]) =>
  writeStatement(key(n), n, initialState(), effects, now(n), flows.effectSql);

describe('writeTurn statement shapes', () => {
  const types = everyEffect(1).map((e) => e.type);

  it('has an example of every effect type the registry handles', () => {
    // A handler added without an example here fails its lookup below rather than going untested.
    for (const type of types)
      expect(() => flows.effectSql(everyEffect(1)[types.indexOf(type)]!, 0, key(1), now(1))).not.toThrow();
    expect(new Set(types).size).toBe(types.length);
  });

  it.each(types)('%s: built once, then the same text and values as drizzle builds', (type) => {
    const shapes = new ShapedStatements('t_write');
    const runs = [1, 2, 3, 4].map((n) => {
      const effect = everyEffect(n).find((e) => e.type === type)!;
      const statement = statementOf(n, [effect]);
      return { shaped: shapes.statement(type, statement), drizzle: dialect.sqlToQuery(statement) };
    });
    for (const { shaped, drizzle } of runs) {
      expect(shaped.statement.query.sql).toBe(drizzle.sql);
      expect(shaped.params).toEqual(drizzle.params);
      expect(shaped.params).toHaveLength(drizzle.params.length);
    }
    // Values differ between runs (not a cached copy of the first run's).
    expect(runs[1]!.shaped.params).not.toEqual(runs[0]!.shaped.params);
    // Shapes a value decides (null or not, a branch) are built once each: at most two here, never one per run.
    expect(shapes.built).toBeLessThanOrEqual(2);
    expect(new Set(runs.map((r) => r.shaped.statement.name)).size).toBe(shapes.built);
  });

  it('builds a turn of every effect at once a single time', () => {
    const shapes = new ShapedStatements('t_write');
    const keyOf = types.join(',');
    for (const n of [1, 3, 5, 7]) {
      const statement = statementOf(n, everyEffect(n));
      const shaped = shapes.statement(keyOf, statement);
      const drizzle = dialect.sqlToQuery(statement);
      expect(shaped.statement.query.sql).toBe(drizzle.sql);
      expect(shaped.params).toEqual(drizzle.params);
    }
    expect(shapes.built).toBe(1);
  });

  it('gives a value that changes the text its own shape, and keeps both', () => {
    const shapes = new ShapedStatements('t_write');
    const submit = (n: number, resubmit: boolean, removed: number) =>
      statementOf(n, [
        {
          type: 'submitResponse',
          responseId: id(n, 3),
          personId: id(n, 1),
          calculated: [],
          removed: Array.from({ length: removed }, (_, i) => ({ key: `q${i}`, repeat: 0 })),
          resubmit,
        },
      ]);
    const first = shapes.statement('submitResponse', submit(1, false, 0));
    const audited = shapes.statement('submitResponse', submit(2, true, 0));
    expect(audited.statement.query.sql).toBe(dialect.sqlToQuery(submit(2, true, 0)).sql);
    expect(audited.statement.name).not.toBe(first.statement.name);
    expect(shapes.built).toBe(2);
    // The removed list is one JSON value, so its length leaves the text alone; both shapes are reused.
    expect(shapes.statement('submitResponse', submit(3, false, 4)).statement).toBe(first.statement);
    expect(shapes.statement('submitResponse', submit(4, true, 2)).statement).toBe(audited.statement);
    expect(shapes.built).toBe(2);
  });

  it('matches SQL arrays by length and builds afresh whatever it cannot follow', () => {
    const shapes = new ShapedStatements('t_any');
    const list = (xs: number[]) => sql`SELECT * FROM t WHERE a IN ${xs} AND b = ${'x'}`;
    expect(shapes.statement('k', list([1, 2])).params).toEqual([1, 2, 'x']);
    expect(shapes.statement('k', list([3, 4])).params).toEqual([3, 4, 'x']);
    expect(shapes.built).toBe(1);
    const three = shapes.statement('k', list([5, 6, 7]));
    expect(three.statement.query.sql).toBe('SELECT * FROM t WHERE a IN ($1, $2, $3) AND b = $4');
    expect(shapes.built).toBe(2);
    // A placeholder is not a value: never kept, so built every time, as drizzle builds it.
    const held = sql`SELECT ${sql.placeholder('p')}`;
    expect(shapes.statement('p', held).statement.query.sql).toBe('SELECT $1');
    shapes.statement('p', held);
    expect(shapes.built).toBe(4);
  });
});
