// Small typed builders for LINE messages, so flows say what they send, not how LINE spells it.
// Limits the API enforces (quick reply ≤ 13 items, label ≤ 20, postback data ≤ 300) are kept here.
import type { messagingApi } from '@line/bot-sdk';

export type Message = messagingApi.Message;
export type QuickReplyItem = messagingApi.QuickReplyItem;

export const LIMITS = {
  messagesPerReply: 5,
  textLength: 5000,
  quickReplyItems: 13,
  quickReplyLabel: 20,
  postbackData: 300,
  altText: 1500,
  bubbleBytes: 30_000,
  carouselBytes: 50_000,
  carouselBubbles: 12,
} as const;

/** Cuts to LINE's limit counting UTF-16 units, as LINE does, without splitting a surrogate pair. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

export function textMessage(text: string, quick?: QuickReplyItem[]): Message {
  const msg: messagingApi.TextMessage = { type: 'text', text: clip(text, LIMITS.textLength) };
  if (quick !== undefined && quick.length > 0) msg.quickReply = { items: quick.slice(0, LIMITS.quickReplyItems) };
  return msg;
}

/** A quick reply that sends its label as text: typing the same word does the same thing. */
export function quickText(label: string, text = label): QuickReplyItem {
  return { type: 'action', action: { type: 'message', label: clip(label, LIMITS.quickReplyLabel), text } };
}

export function quickPostback(label: string, data: string, displayText = label): QuickReplyItem {
  if (data.length > LIMITS.postbackData) throw new Error(`postback data over ${LIMITS.postbackData} characters`);
  return {
    type: 'action',
    action: { type: 'postback', label: clip(label, LIMITS.quickReplyLabel), data, displayText },
  };
}

/** Postback data: `a` is the action; `s`, when present, ties the button to one prompt (see state.seq). */
export function postbackData(action: string, fields: Record<string, string | number> = {}, seq?: number): string {
  const fast = plainPostbackData(action, fields, seq);
  if (fast !== null) return fast;
  const params = new URLSearchParams();
  if (seq !== undefined) params.set('s', String(seq));
  params.set('a', action);
  for (const [k, v] of Object.entries(fields)) params.set(k, String(v));
  return params.toString();
}

/** Characters application/x-www-form-urlencoded leaves as they are (URLSearchParams.toString()). */
const FORM_PLAIN = /^[\w*.-]*$/;

/**
 * postbackData's text when no character needs escaping and no field is named `s` or `a`: the same string
 * URLSearchParams would make, without building one (each question carries about seven of these).
 */
function plainPostbackData(action: string, fields: Record<string, string | number>, seq?: number): string | null {
  if (!FORM_PLAIN.test(action)) return null;
  let out = seq === undefined ? `a=${action}` : `s=${seq}&a=${action}`;
  for (const k in fields) {
    if (!Object.hasOwn(fields, k)) continue;
    const v = fields[k];
    const text = typeof v === 'number' ? String(v) : v;
    if (k === 's' || k === 'a' || text === undefined || !FORM_PLAIN.test(k) || !FORM_PLAIN.test(text)) return null;
    out += `&${k}=${text}`;
  }
  return out;
}

export interface ParsedPostback {
  action: string;
  seq: number | undefined;
  fields: URLSearchParams;
}

export function parsePostbackData(data: string): ParsedPostback | null {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(data);
  } catch {
    return null;
  }
  const action = params.get('a');
  if (action === null || action === '') return null;
  const s = params.get('s');
  const seq = s !== null && /^\d{1,9}$/.test(s) ? Number(s) : undefined;
  return { action, seq, fields: params };
}
