// Turns a LINE user event into the conversation's Input: the only shape transition() knows.
// Unknown event and message types become null (ignored by the caller). Every string is cleaned (cleanText) here.
import type { EventBase } from '../line/webhook.schema.js';
import { messageContent, postbackContent } from '../line/webhook.schema.js';
import { cleanText, normalizeText } from './normalize.js';

export type Input =
  | { kind: 'follow' }
  | { kind: 'unfollow' }
  | { kind: 'text'; text: string }
  | { kind: 'postback'; data: string; params: Record<string, string> }
  | { kind: 'media'; media: 'image' | 'video' | 'audio'; messageId: string }
  | { kind: 'media'; media: 'file'; messageId: string; fileName: string; fileSize: number }
  | { kind: 'sticker' }
  | { kind: 'location' };

export function toInput(event: EventBase): Input | null {
  switch (event.type) {
    case 'follow':
      return { kind: 'follow' };
    case 'unfollow':
      return { kind: 'unfollow' };
    case 'postback': {
      const pb = postbackContent.safeParse(event.postback);
      if (!pb.success) return null;
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(pb.data.params ?? {})) if (typeof v === 'string') params[k] = cleanText(v);
      return { kind: 'postback', data: cleanText(pb.data.data), params };
    }
    case 'message': {
      const msg = messageContent.safeParse(event.message);
      if (!msg.success) return null;
      const m = msg.data;
      switch (m.type) {
        case 'text':
          return { kind: 'text', text: normalizeText(cleanText(m.text)) };
        case 'image':
        case 'video':
        case 'audio':
          return { kind: 'media', media: m.type, messageId: m.id };
        case 'file':
          return {
            kind: 'media',
            media: 'file',
            messageId: m.id,
            fileName: cleanText(m.fileName ?? ''),
            fileSize: m.fileSize ?? 0,
          };
        case 'sticker':
          return { kind: 'sticker' };
        case 'location':
          return { kind: 'location' };
      }
      return null;
    }
    default:
      return null;
  }
}
