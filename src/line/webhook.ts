// One webhook delivery: events oldest first, each in its own atomic turn; replies collected for after commit.
// Group and room events keep no state: the bot says once that it works in 1:1 chat.
import { errorFields } from '../log.js';
import type { Deps } from '../deps.js';
import { markEventProcessed } from '../conversation/conversation.queries.js';
import { toInput } from '../conversation/input.js';
import { runTurn } from '../conversation/turn.js';
import { apologize, failureCode, failureKind } from '../conversation/failure.js';
import type { Channel } from './channels.js';
import { LIMITS, type Message, textMessage } from './messages.js';
import { th } from '../i18n/th.js';
import { type EventBase, eventBase, messageContent } from './webhook.schema.js';

/** processed_events are kept this long (the tick removes older ones). */
export const DEDUPE_WINDOW_MS = 7 * 86_400_000;

export interface PendingReply {
  replyToken: string;
  messages: Message[];
}

export interface DeliveryResult {
  replies: PendingReply[];
  /** Evidence photos to fetch from LINE once the response is sent. */
  evidenceIds: string[];
  /** Set when an event could not be committed: answer 5xx so LINE redelivers; duplicates are then skipped. */
  failed: boolean;
}

export async function handleEvents(
  deps: Deps,
  channel: Channel,
  rawEvents: unknown[],
  publicBaseUrl: string,
): Promise<DeliveryResult> {
  const events: EventBase[] = [];
  for (const raw of rawEvents) {
    const parsed = eventBase.safeParse(raw);
    if (parsed.success) events.push(parsed.data);
    else deps.log.warn('webhook event ignored: unreadable', { channel: channel.id });
  }
  events.sort((a, b) => a.timestamp - b.timestamp);

  const replies: PendingReply[] = [];
  const evidenceIds: string[] = [];
  for (const event of events) {
    // Processed ids are kept for the dedupe window only: an event older than that could be a replay we no longer
    // recognise, so it is refused (and LINE never redelivers that late).
    if (deps.now() - event.timestamp > DEDUPE_WINDOW_MS) {
      deps.log.warn('webhook event ignored: older than the dedupe window', {
        channel: channel.id,
        event: event.webhookEventId,
      });
      continue;
    }
    try {
      const { messages, evidence } = await handleEvent(deps, channel, event, publicBaseUrl);
      evidenceIds.push(...evidence);
      if (messages.length > 0 && event.replyToken !== undefined) {
        if (messages.length > LIMITS.messagesPerReply) {
          deps.log.warn('reply trimmed to 5 messages', { event: event.webhookEventId, count: messages.length });
        }
        replies.push({ replyToken: event.replyToken, messages: messages.slice(0, LIMITS.messagesPerReply) });
      }
    } catch (thrown) {
      let err = thrown;
      if (failureKind(err) === 'permanent' && event.source?.type === 'user') {
        // It would fail the same way on every redelivery: settle it now, say sorry, and go on with the batch.
        deps.log.error('turn failed for good', {
          channel: channel.id,
          event: event.webhookEventId,
          code: failureCode(err),
        });
        try {
          const key = { channelId: channel.id, lineUserId: event.source.userId, webhookEventId: event.webhookEventId };
          const { replies: sorry } = await apologize(deps.db, channel, key, deps.now());
          if (sorry.length > 0 && event.replyToken !== undefined) {
            replies.push({ replyToken: event.replyToken, messages: sorry });
          }
          continue;
        } catch (markErr) {
          err = markErr;
        }
      }
      // Transient: stop here. Later events wait for the redelivery, so each user's events still apply in order.
      deps.log.error('webhook event failed', { channel: channel.id, event: event.webhookEventId, ...errorFields(err) });
      return { replies, evidenceIds, failed: true };
    }
  }
  return { replies, evidenceIds, failed: false };
}

async function handleEvent(
  deps: Deps,
  channel: Channel,
  event: EventBase,
  publicBaseUrl: string,
): Promise<{ messages: Message[]; evidence: string[] }> {
  const none = { messages: [], evidence: [] };
  const source = event.source;
  const now = deps.now();
  if (source === undefined) {
    deps.log.info('webhook event ignored: no source', { type: event.type, event: event.webhookEventId });
    return none;
  }
  if (source.type !== 'user') {
    if (!addressedToBot(event)) return none;
    const fresh = await markEventProcessed(deps.db, channel.id, event.webhookEventId, new Date(now).toISOString());
    return { messages: fresh ? [textMessage(th.groupOnly)] : [], evidence: [] };
  }
  const input = toInput(event);
  if (input === null) {
    deps.log.info('webhook event ignored: unsupported type', { type: event.type, event: event.webhookEventId });
    return none;
  }
  const key = { channelId: channel.id, lineUserId: source.userId, webhookEventId: event.webhookEventId };
  const outcome = await (deps.runTurn ?? runTurn)(deps.db, channel, key, input, now, {
    publicBaseUrl,
    secretsKey: deps.config.secretsKey,
  });
  if (outcome.stateReset) deps.log.warn('conversation state unreadable; restarted', { event: event.webhookEventId });
  if (outcome.status === 'duplicate') deps.log.info('duplicate event skipped', { event: event.webhookEventId });
  return { messages: outcome.replies, evidence: outcome.evidenceIds };
}

/** In a group the bot speaks when it joins and when someone mentions it; otherwise it stays quiet. */
function addressedToBot(event: EventBase): boolean {
  if (event.type === 'join') return true;
  if (event.type !== 'message') return false;
  const msg = messageContent.safeParse(event.message);
  return (
    msg.success && msg.data.type === 'text' && (msg.data.mention?.mentionees.some((m) => m.isSelf === true) ?? false)
  );
}
