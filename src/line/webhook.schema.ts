// The webhook body as we accept it (vendor/line-openapi/webhook.yml). Tolerant by design: unknown event types,
// message types and fields pass through, so a new LINE feature is ignored and logged, never a 500.
import * as z from 'zod';

/** Ids LINE makes (user, event and message ids) are printable ASCII; anything else is not an event of LINE's. */
const lineId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[\x21-\x7e]+$/);

const source = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('user'), userId: lineId }),
  z.looseObject({ type: z.literal('group'), groupId: z.string().min(1), userId: z.string().optional() }),
  z.looseObject({ type: z.literal('room'), roomId: z.string().min(1), userId: z.string().optional() }),
]);
export type EventSource = z.infer<typeof source>;

/** Fields every event must carry for us to handle it exactly once. */
export const eventBase = z.looseObject({
  type: z.string(),
  webhookEventId: lineId,
  timestamp: z.number().int().nonnegative(),
  mode: z.string().optional(),
  source: source.optional(),
  replyToken: z.string().optional(),
  deliveryContext: z.looseObject({ isRedelivery: z.boolean() }).optional(),
});
export type EventBase = z.infer<typeof eventBase>;

const mentionee = z.looseObject({ type: z.string(), isSelf: z.boolean().optional() });

export const messageContent = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('text'),
    id: lineId,
    text: z.string(),
    mention: z.looseObject({ mentionees: z.array(mentionee) }).optional(),
  }),
  z.looseObject({ type: z.literal('image'), id: lineId }),
  z.looseObject({ type: z.literal('video'), id: lineId }),
  z.looseObject({ type: z.literal('audio'), id: lineId }),
  z.looseObject({
    type: z.literal('file'),
    id: lineId,
    fileName: z.string().optional(),
    fileSize: z.number().optional(),
  }),
  z.looseObject({ type: z.literal('location'), id: lineId }),
  z.looseObject({ type: z.literal('sticker'), id: lineId }),
]);
export type MessageContent = z.infer<typeof messageContent>;

export const postbackContent = z.looseObject({
  data: z.string().max(2000),
  params: z.record(z.string(), z.unknown()).optional(),
});

export const callbackRequest = z.looseObject({
  destination: z.string().max(100).optional(),
  events: z.array(z.unknown()).max(1000),
});
