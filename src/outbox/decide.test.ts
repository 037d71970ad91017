// The sender's decisions as a table: what each LINE answer does to a unit's rows and to the run, with no I/O.
import { describe, expect, it } from 'vitest';
import { LineApiError } from '../line/client.js';
import type { ClaimedRow } from './outbox.queries.js';
import { classify, decide, gate, OUTBOX_TIMING, toUnits, type Unit } from './decide.js';

const AT = Date.parse('2026-11-23T01:00:00Z');
const unit = (over: Partial<Unit> = {}): Unit => ({
  kind: 'push',
  key: '00000000-0000-4000-8000-000000000001',
  channelId: 'ch',
  officeId: 'office',
  rows: [{ id: 'r1', attempts: 1, to: 'U1' }],
  messages: [{ type: 'text', text: 'x' }],
  ...over,
});
const lineError = (status: number, body = '{}') => new LineApiError(`HTTP ${status}`, status, body);

describe('decide', () => {
  it.each([
    ['sent', { kind: 'sent' as const }, { kind: 'sent' }],
    ['409', { kind: 'already_sent' as const }, { kind: 'already_sent' }],
    ['dead', { kind: 'dead' as const, error: 'HTTP 400' }, { kind: 'dead', error: 'HTTP 400', rejected: true }],
  ])('%s settles the rows', (_, result, expected) => {
    expect(decide(unit(), result, AT)).toEqual(expected);
  });

  it('retries a 5xx with backoff from 15 to 45 seconds on the first attempt, the channel going on', () => {
    const s = decide(unit(), { kind: 'retry', error: 'HTTP 500', rateLimited: false }, AT);
    expect(s.kind).toBe('retry');
    expect(s.stopChannel).toBeUndefined();
    expect(s.notBefore).toBeGreaterThanOrEqual(AT + OUTBOX_TIMING.retryBaseMs / 2);
    expect(s.notBefore).toBeLessThan(AT + (OUTBOX_TIMING.retryBaseMs * 3) / 2);
  });

  it('stops the channel for the run on the rate limit, and backs off longer', () => {
    const s = decide(unit(), { kind: 'retry', error: 'HTTP 429: rate limit', rateLimited: true }, AT);
    expect(s.stopChannel).toBe(OUTBOX_TIMING.stoppedChannelMs.rateLimit);
    expect(s.notBefore).toBeGreaterThanOrEqual(AT + OUTBOX_TIMING.rateLimitBaseMs / 2);
  });

  it('hands the rows back untried on the monthly limit and pauses the office', () => {
    expect(decide(unit(), { kind: 'monthly_limit' }, AT)).toEqual({
      kind: 'release',
      notBefore: AT + OUTBOX_TIMING.stoppedChannelMs.monthlyLimit,
      stopChannel: OUTBOX_TIMING.stoppedChannelMs.monthlyLimit,
      pauseOffice: true,
    });
    expect(decide(unit({ officeId: null }), { kind: 'monthly_limit' }, AT).pauseOffice).toBe(false);
  });

  it('classifies LINE answers: monthly limit, rate limit, retryable, refused', () => {
    expect(classify(lineError(429, '{"message":"You have reached your monthly limit."}'))).toEqual({
      kind: 'monthly_limit',
    });
    expect(classify(lineError(429))).toMatchObject({ kind: 'retry', rateLimited: true });
    expect(classify(lineError(503))).toMatchObject({ kind: 'retry', error: 'HTTP 503', rateLimited: false });
    expect(classify(lineError(400, '{"message":"bad","details":[{"property":"messages[0]","message":"x"}]}'))).toEqual({
      kind: 'dead',
      error: 'HTTP 400: bad (messages[0]: x)',
    });
    expect(classify(new Error('boom'))).toMatchObject({ kind: 'retry', error: 'error' });
  });
});

describe('gate', () => {
  it('holds back a stopped channel, a paused office and a unit past the send window; lets the rest go', () => {
    expect(gate(AT, 60_000, false, 0, 1000)).toEqual({ kind: 'release', notBefore: AT + 60_000 });
    expect(gate(AT, undefined, true, 0, 1000)?.kind).toBe('release');
    expect(gate(AT, undefined, false, 1001, 1000)).toEqual({
      kind: 'release',
      notBefore: AT + OUTBOX_TIMING.retryBaseMs,
    });
    expect(gate(AT, undefined, false, 999, 1000)).toBeNull();
  });
});

describe('toUnits', () => {
  it('makes a push per plain row and one multicast per batch, members in row-id order, each body rendered', () => {
    const row = (id: string, batch: string | null, to: string, body: string): ClaimedRow => ({
      id,
      office_id: 'o',
      channel_id: 'ch',
      status: 'pending',
      attempts: 1,
      batch_id: batch,
      last_error: null,
      body,
      line_user_id: to,
    });
    const rendered: string[] = [];
    const units = toUnits(
      [row('b', 'B1', 'U2', 'h1'), row('a', 'B1', 'U1', 'h1'), row('c', null, 'U3', 'h2')],
      (body) => {
        rendered.push(body ?? '');
        return [{ type: 'text', text: body ?? '' }];
      },
    );
    expect(units.map((u) => [u.kind, u.key, u.rows.map((r) => r.to)])).toEqual([
      ['multicast', 'B1', ['U1', 'U2']],
      ['push', 'c', ['U3']],
    ]);
    expect(units[1]?.messages).toEqual([{ type: 'text', text: 'h2' }]);
    expect(rendered).toEqual(['h1', 'h2']);
  });
});
