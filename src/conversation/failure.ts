// What a failed turn means. Transient failures (the database unreachable, a serialisation failure, a timeout) leave
// the event unprocessed so LINE redelivers it; permanent ones (a data error the database refuses, SQLSTATE class 22
// or 23, or an exception from the pure part of the turn) would fail the same way on every redelivery and wedge the
// channel, so the event is marked processed and the user gets an apology with the current question again.
import { pgErrorCode, type Db } from '../db/client.js';
import { th } from '../i18n/th.js';
import type { Channel } from '../line/channels.js';
import { textMessage, type Message } from '../line/messages.js';
import { loadTurn, markEventProcessed, type TurnKey } from './conversation.queries.js';
import { cachedDefinitionIds } from '../checklists/definitions-cache.js';
import { flows } from '../flows/index.js';
import { transition } from './transition.js';
import { PureTurnError, turnContext } from './turn.js';
import { msg } from '../i18n/msg.js';

type FailureKind = 'transient' | 'permanent';

/** Data exceptions (22) and integrity violations (23): the same input fails the same way every time. */
const PERMANENT_CLASSES = new Set(['22', '23']);

export function failureKind(err: unknown): FailureKind {
  if (err instanceof PureTurnError) return 'permanent';
  const code = pgErrorCode(err);
  return code !== undefined && PERMANENT_CLASSES.has(code.slice(0, 2)) ? 'permanent' : 'transient';
}

/** For the log: the SQLSTATE, or the name of what the pure code threw. Never the message (it may quote input). */
export function failureCode(err: unknown): string {
  if (err instanceof PureTurnError) {
    return `pure:${err.original instanceof Error ? err.original.name : typeof err.original}`;
  }
  return pgErrorCode(err) ?? (err instanceof Error ? err.name : 'unknown');
}

/** The kind remarks a sticker gets; the apology takes their place in front of the current question. */
const stickerRemarks = new Set<string>([th.stickerWhereText, msg.checklist.stickerHere]);

/**
 * Marks the event processed (false: it already was, so nothing is said twice) and builds the apology: the current
 * question, as the conversation would show it again after a sticker, with the apology in place of the sticker remark.
 * Reads only; the conversation's state is not written. If even that fails in pure code, the apology alone.
 */
export async function apologize(
  db: Db,
  channel: Channel,
  key: TurnKey,
  now: number,
): Promise<{ fresh: boolean; replies: Message[] }> {
  const nowIso = new Date(now).toISOString();
  const fresh = await markEventProcessed(db, key.channelId, key.webhookEventId, nowIso);
  if (!fresh) return { fresh, replies: [] };
  const apology = textMessage(th.turnFailed);
  // The load sees the event as processed now; what it loads of the conversation is the same.
  const loaded = await loadTurn(
    db,
    key,
    {
      inviteHash: null,
      focusCampaign: null,
      cachedDefinitions: cachedDefinitionIds(),
      now: nowIso,
      visits: false,
      focusVisit: null,
    },
    flows.loadFragments,
  );
  try {
    const state = flows.parseState(loaded.rawState).state;
    const again = transition(flows, state, { kind: 'sticker' }, turnContext(loaded, channel, key, now)).replies;
    const question = again.filter((m) => !(m.type === 'text' && stickerRemarks.has(m.text)));
    return { fresh, replies: [apology, ...question].slice(0, 5) };
  } catch {
    return { fresh, replies: [apology] };
  }
}
