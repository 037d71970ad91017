// Micro-batched turns with group commit (issue 19 item 3), on Node's pool only. While a batch of checklist
// answers is at the database the next gathers (see MAX_IN_FLIGHT); a batch is one load statement, each event
// through the real transition(), and one write statement (one commit) for all of them. Each event's promise settles only after
// that commit, so its 200 still follows its own commit. Anything else, and any row the batch could not apply (a
// lost version race, a duplicate, effects other than answers, a database error), goes through runTurn, the single
// path, so the outcome of an event is always decided by a commit that included it.
//
// Not on Cloudflare Workers: an I/O object (a connection, a promise waiting on one) cannot cross requests there,
// so one request's turn could never ride another's statement; nor on PGlite (one connection: nothing to share).
// src/node.ts wires this in for node-postgres only, and the Worker bundle never imports this file.
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import { cachedDefinitionIds } from '../checklists/definitions-cache.js';
import type { EvidenceView } from '../checklists/runner.js';
import { thumbSigner } from '../checklists/thumbs.js';
import { flows } from '../flows/index.js';
import type { Channel } from '../line/channels.js';
import { type Loaded, loadedFromRow, rememberLoadNeeds } from './conversation.queries.js';
import { type BatchAnswer, type BatchWriteRow, loadBatch, writeBatch } from './batch.queries.js';
import type { Effect } from './effects.js';
import type { Input } from './input.js';
import { readActionFor } from './read-actions.js';
import type { ConversationState } from './state.js';
import { transition } from './transition.js';
import { evidenceViews, PureTurnError, type RunTurn, runTurn, turnContext, type TurnOutcome } from './turn.js';
import type { LoadWants, PersonView, TurnKey } from './types.js';
import { extend } from '../objects/extend.js';

type TurnOpts = Parameters<RunTurn>[5];

/** The flows' load fragments a batched turn's load holds (batch.queries.ts), or whose column is empty there. */
const BATCH_FRAGMENTS = new Set(['checklist', 'started']);

/** Whether a stored state is a step of the checklist flow (a visit record's checklist is the visits flow's). */
export function batchableState(state: ConversationState): boolean {
  return state.flow.flow === 'checklist' && flows.owner(state.flow).name === 'checklist';
}

/** Inputs a checklist step may take as an answer: typed text and button taps. */
export const batchableInput = (input: Input): boolean => input.kind === 'text' || input.kind === 'postback';

/** Whether what the flows' prepare() asked the load for is all in the batch's load. */
export function batchableWants(wants: LoadWants): boolean {
  // The batch's load has no focus of its own (batch.queries.ts sets these null): a campaign to open, an invite
  // code, a visit or a feedback named is the single path's.
  const noFocus =
    wants.focusCampaign === null &&
    wants.inviteHash === null &&
    !wants.visits &&
    wants.focusVisit === null &&
    (wants.focusFeedback ?? null) === null;
  return noFocus && flows.loadFragments.every((f) => !f.wanted(wants) || BATCH_FRAGMENTS.has(f.name));
}

/** Whether the loaded state and person need no fragment beyond the batch's. */
export function batchableNeeds(rawState: unknown, role: Role | null): boolean {
  return flows.loadFragments.every((f) => f.needed?.(rawState, role) !== true || BATCH_FRAGMENTS.has(f.name));
}

/** The effects a batch writes itself: answers. Anything else (creating or submitting a response, evidence, …) is the single path's. */
export function batchableEffects(effects: readonly Effect[]): effects is Extract<Effect, { type: 'saveAnswer' }>[] {
  return effects.every((e) => e.type === 'saveAnswer');
}

/** Rows (by index) whose answers touch an answer an earlier row of the batch writes: one upsert may not hit a row twice. */
export function answerClashes(rows: readonly (readonly { responseId: string; key: string; repeat: number }[])[]) {
  const seen = new Set<string>();
  const clashing = new Set<number>();
  rows.forEach((answers, i) => {
    const keys = answers.map((a) => `${a.responseId}\n${a.key}\n${a.repeat}`);
    if (keys.some((k) => seen.has(k)) || new Set(keys).size < keys.length) clashing.add(i);
    else for (const k of keys) seen.add(k);
  });
  return clashing;
}

/** What step() makes of one loaded event (see there). */
type Stepped =
  | 'duplicate'
  | null
  | {
      row: BatchWriteRow;
      outcome: TurnOutcome;
      role: Role;
      answers: Omit<BatchAnswer, 'row'>[];
    };

interface Item {
  channel: Channel;
  key: TurnKey;
  input: Input;
  now: number;
  opts: TurnOpts;
  prepared: Awaited<ReturnType<typeof flows.prepare>>;
  resolve: (outcome: TurnOutcome) => void;
  reject: (err: unknown) => void;
}

export interface BatchStats {
  /** Batches written, by size (events loaded in the batch). */
  sizes: Map<number, number>;
  /** Events the batch applied itself. */
  applied: number;
  /** Events answered as duplicates by the batch's load. */
  duplicates: number;
  /** Events a batch loaded and then handed to the single path. */
  fellBack: number;
  /** Batches whose load or write failed (every event went the single path). */
  failed: number;
}

export interface TurnBatcher {
  run: RunTurn;
  stats: BatchStats;
}

const MAX_BATCH = 64;
/**
 * Batches at the database at once. One goes as soon as none is there; while one is, the next gathers, and goes
 * beside it only once SECOND_BATCH_AT answers wait. Waiting for the first to come back made every answer wait a
 * whole batch's round trips and commit in the queue (the peer bench: 16 connections, p50 5.9 ms, nithet's event
 * loop 60% busy, 0.99-1.01× Bottender's rate); a second batch of a handful would spend a batch's fixed costs
 * (round trips, executor start-up, a commit) on a few answers (letting any size go: mean batch 4.2, CPU per
 * answer +25%). With both: 1.10-1.15× the rate at the same CPU per answer (mean batch 7.0-7.1).
 */
const MAX_IN_FLIGHT = 2;
const SECOND_BATCH_AT = 8;
/** Conversations remembered as being at a checklist step (in this process), so their next answer may batch. */
const MAX_REMEMBERED = 50_000;

export function createTurnBatcher(
  db: Db,
  opts: {
    /** Answers waiting that send a batch beside one already at the database (SECOND_BATCH_AT). */
    secondAt?: number;
    /** Tests: runs between a batch's load and its write (to lose a race there), with the LINE users it writes. */
    beforeWrite?: (lineUserIds: readonly string[]) => Promise<void>;
  } = {},
): TurnBatcher {
  const secondAt = opts.secondAt ?? SECOND_BATCH_AT;
  const stats: BatchStats = { sizes: new Map(), applied: 0, duplicates: 0, fellBack: 0, failed: 0 };
  /** Each conversation's last event in flight here: the next waits for it, so one person's events keep order. */
  const tails = new Map<string, Promise<unknown>>();
  /** Conversations whose last turn here left them at a checklist step. */
  const atStep = new Set<string>();
  const queue: Item[] = [];
  let inFlight = 0;

  const convKey = (key: TurnKey) => `${key.channelId}\n${key.lineUserId}`;

  const remember = (key: TurnKey, outcome: TurnOutcome) => {
    if (outcome.state === null) return;
    const k = convKey(key);
    atStep.delete(k);
    if (!batchableState(outcome.state)) return;
    if (atStep.size >= MAX_REMEMBERED) {
      const oldest = atStep.values().next();
      if (oldest.done !== true) atStep.delete(oldest.value);
    }
    atStep.add(k);
  };

  const single = async (channel: Channel, key: TurnKey, input: Input, now: number, o: TurnOpts) => {
    const outcome = await runTurn(db, channel, key, input, now, o);
    remember(key, outcome);
    return outcome;
  };

  const fallBack = (item: Item) => {
    stats.fellBack++;
    single(item.channel, item.key, item.input, item.now, item.opts).then(item.resolve, item.reject);
  };

  const dispatch = async (channel: Channel, key: TurnKey, input: Input, now: number, o: TurnOpts) => {
    if (!batchableInput(input) || !atStep.has(convKey(key))) return single(channel, key, input, now, o);
    const prepared = await flows.prepare(input, o);
    if (!batchableWants(prepared.load)) return single(channel, key, input, now, o);
    return new Promise<TurnOutcome>((resolve, reject) => {
      queue.push({ channel, key, input, now, opts: o, prepared, resolve, reject });
      kick();
    });
  };

  const kick = () => {
    while (queue.length > 0 && inFlight < MAX_IN_FLIGHT && (inFlight === 0 || queue.length >= secondAt)) {
      const batch = queue.splice(0, MAX_BATCH);
      inFlight++;
      void runBatch(batch).finally(() => {
        inFlight--;
        kick();
      });
    }
  };

  const runBatch = async (items: Item[]) => {
    stats.sizes.set(items.length, (stats.sizes.get(items.length) ?? 0) + 1);
    const nows = items.map((it) => new Date(it.now).toISOString());
    let rows;
    try {
      rows = await loadBatch(
        db,
        items.map((it, i) => extend(it.key, { now: nows[i] ?? '' })),
        cachedDefinitionIds(),
      );
    } catch {
      // Nothing was written: each event's own turn decides (it retries, or fails transiently as today).
      stats.failed++;
      items.forEach(fallBack);
      return;
    }
    const writes: {
      item: Item;
      row: BatchWriteRow;
      outcome: TurnOutcome;
      role: Role;
      answers: Omit<BatchAnswer, 'row'>[];
    }[] = [];
    for (const [i, item] of items.entries()) {
      const row = rows[i];
      if (row === undefined || row.n !== i + 1) {
        fallBack(item);
        continue;
      }
      try {
        const stepped = step(item, row, nows[i] ?? '');
        const w = stepped instanceof Promise ? await stepped : stepped;
        if (w === 'duplicate') {
          stats.duplicates++;
          item.resolve({ status: 'duplicate', state: null, replies: [], stateReset: false, evidenceIds: [] });
        } else if (w === null) fallBack(item);
        else writes.push({ item, ...w });
      } catch (err) {
        // The pure part threw: a permanent failure of this event only (the webhook apologises and settles it).
        item.reject(err);
      }
    }
    const clashing = answerClashes(writes.map((w) => w.answers));
    const kept = writes.filter((w, i) => {
      if (clashing.has(i)) fallBack(w.item);
      return !clashing.has(i);
    });
    if (kept.length === 0) return;
    let applied: Set<number>;
    try {
      await opts.beforeWrite?.(kept.map((w) => w.item.key.lineUserId));
      applied = await writeBatch(
        db,
        kept.map((w) => w.row),
        kept.flatMap((w, row) => w.answers.map((a) => extend(a, { row }))),
      );
    } catch {
      // The statement failed as a whole (or its fate is unknown: a lost connection): each event's own turn
      // decides; one that did commit is then a duplicate there.
      stats.failed++;
      kept.forEach((w) => fallBack(w.item));
      return;
    }
    kept.forEach((w, i) => {
      if (!applied.has(i)) return fallBack(w.item);
      stats.applied++;
      remember(w.item.key, w.outcome);
      // The next single-path load of this conversation leaves out what this state does not need (see loadTurn).
      rememberLoadNeeds(flows.loadFragments, w.item.key, w.outcome.state, w.role);
      w.item.resolve(w.outcome);
    });
  };

  /**
   * One loaded event: 'duplicate', null (not for the batch: the single path), or its row and answers. Synchronous
   * unless the response has evidence files to sign (most answers have none: no promise, no wait per event).
   */
  const step = (item: Item, raw: Parameters<typeof loadedFromRow>[0], now: string): Stepped | Promise<Stepped> => {
    const loaded = loadedFromRow(raw, null);
    if (loaded.processed) return 'duplicate' as const;
    const parsed = flows.parseState(loaded.rawState);
    const person = loaded.person;
    if (!parsed.ok || person === null || !batchableState(parsed.state)) return null;
    if (!batchableNeeds(loaded.rawState, person.role)) return null;
    const { channel, input } = item;
    if (readActionFor(input, loaded, channel.timeZone, item.now, parsed.state.flow.flow) !== null) return null;
    const state = parsed.state;
    if (loaded.evidence.length === 0) return stepWith(item, loaded, state, person, now, new Map());
    const sign = thumbSigner(item.opts.secretsKey, item.opts.publicBaseUrl, item.now);
    return evidenceViews(loaded.evidence, sign).then((evidence) =>
      stepWith(item, loaded, state, person, now, evidence),
    );
  };

  const stepWith = (
    item: Item,
    loaded: Loaded,
    state: ConversationState,
    person: PersonView,
    now: string,
    evidence: ReadonlyMap<string, EvidenceView>,
  ): Stepped => {
    const { channel, key, input } = item;
    let result;
    try {
      const ctx = turnContext(loaded, channel, key, item.now, item.prepared.ctx, evidence);
      result = transition(flows, state, input, ctx);
    } catch (err) {
      throw new PureTurnError(err);
    }
    if (!batchableEffects(result.effects)) return null;
    const outcome: TurnOutcome = {
      status: 'applied',
      state: result.state,
      replies: result.replies,
      stateReset: false,
      evidenceIds: [],
    };
    return {
      row: extend(key, { version: loaded.version, state: result.state, now }),
      outcome,
      role: person.role,
      answers: result.effects.map((e) => ({
        responseId: e.responseId,
        personId: e.personId,
        key: e.key,
        repeat: e.repeat,
        value: JSON.stringify(e.value),
      })),
    };
  };

  const run: RunTurn = (conn, channel, key, input, now, o) => {
    // Inside a transaction, or on another database: the single path, as before.
    if (conn !== db) return runTurn(conn, channel, key, input, now, o);
    const k = convKey(key);
    const before = tails.get(k);
    const go = () => dispatch(channel, key, input, now, o);
    const mine = before === undefined ? go() : before.then(go, go);
    // Settles after this event, whatever its outcome; the next event of the conversation waits for it. The last
    // one leaves the map as it settles.
    const settled = () => {
      if (tails.get(k) === tail) tails.delete(k);
    };
    const tail: Promise<void> = mine.then(settled, settled);
    tails.set(k, tail);
    return mine;
  };

  return { run, stats };
}
