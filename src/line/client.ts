// Our LINE Messaging API client: the official SDK's MessagingApiClient with base URLs from config, a timeout
// (the SDK sets none), X-Line-Retry-Key on pushes, and errors reduced to what a caller decides on.
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import type { Message } from './messages.js';

export interface LineApiOptions {
  channelAccessToken: string;
  apiBaseUrl: string;
  dataApiBaseUrl: string;
  timeoutMs?: number;
  /** The reply call, when the runtime has a cheaper one than the SDK's (Node: src/runtime/keepalive-reply.ts). */
  reply?: ReplyTransport | undefined;
}

/** Sends one reply (the SDK's request type); resolves once LINE accepted it, a non-2xx answer is a LineApiError. */
export type ReplyTransport = (
  apiBaseUrl: string,
  channelAccessToken: string,
  request: messagingApi.ReplyMessageRequest,
) => Promise<unknown>;

export class LineApiError extends Error {
  override name = 'LineApiError';
  constructor(
    message: string,
    /** HTTP status, or 0 for a timeout or network failure. */
    readonly status: number,
    readonly body: string,
  ) {
    super(message);
  }
  /** 5xx, timeouts and network failures may succeed later with the same retry key; 429 is handled apart. */
  get retryable(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

export interface LineApi {
  reply(replyToken: string, messages: Message[]): Promise<void>;
  /** `retryKey` must be a UUID; LINE answers 409 for a key it already accepted, which counts as delivered. */
  push(to: string, messages: Message[], retryKey: string): Promise<'sent' | 'already_sent'>;
  multicast(to: string[], messages: Message[], retryKey: string): Promise<'sent' | 'already_sent'>;
  /**
   * A message's content (an evidence photo), bounded: the type and the declared Content-Length are checked before
   * reading, the bytes are counted as they stream and the read stops past `maxBytes`, and `timeoutMs` covers the
   * whole body, not only the headers. A refused content is a ContentRefused; a timeout, a LineApiError (status 0).
   */
  getContent(messageId: string, limits: ContentLimits): Promise<{ data: Uint8Array; contentType: string }>;
  /** LINE's own small preview of an image message (a JPEG), bounded like getContent. */
  getPreview(messageId: string, limits: ContentLimits): Promise<{ data: Uint8Array; contentType: string }>;
}

export interface ContentLimits {
  maxBytes: number;
  /** Media types (lower case, without parameters) that may be read. */
  types: ReadonlySet<string>;
  timeoutMs: number;
}

/** A content LINE sent that we will not keep (not a photo, or too large): retrying would get the same. */
export class ContentRefused extends Error {
  override name = 'ContentRefused';
  constructor(
    readonly reason: 'type' | 'size',
    message: string,
  ) {
    super(message);
  }
}

async function boundedContent(
  url: string,
  accessToken: string,
  limits: ContentLimits,
): Promise<{ data: Uint8Array; contentType: string }> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), limits.timeoutMs);
  try {
    const res = await fetch(url, { headers: { authorization: `Bearer ${accessToken}` }, signal: abort.signal });
    if (!res.ok) {
      await res.body?.cancel();
      throw new LineApiError(`content: HTTP ${res.status}`, res.status, '');
    }
    const contentType = res.headers.get('content-type') ?? 'application/octet-stream';
    const type = contentType.split(';')[0]?.trim().toLowerCase() ?? '';
    if (!limits.types.has(type)) {
      await res.body?.cancel();
      throw new ContentRefused('type', `type ${type} is not a photo`);
    }
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (declared > limits.maxBytes) {
      await res.body?.cancel();
      throw new ContentRefused('size', `${declared} bytes declared, over the limit`);
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = res.body?.getReader();
    for (;;) {
      const chunk = reader === undefined ? { done: true as const, value: undefined } : await reader.read();
      if (chunk.done) break;
      const value: unknown = chunk.value;
      if (!(value instanceof Uint8Array)) throw new LineApiError('content: not a byte stream', 0, '');
      size += value.length;
      if (size > limits.maxBytes) {
        await reader?.cancel();
        throw new ContentRefused('size', `more than ${limits.maxBytes} bytes, over the limit`);
      }
      chunks.push(value);
    }
    const data = new Uint8Array(size);
    let offset = 0;
    for (const c of chunks) {
      data.set(c, offset);
      offset += c.length;
    }
    return { data, contentType: type };
  } catch (err) {
    if (err instanceof ContentRefused || err instanceof LineApiError) throw err;
    if (abort.signal.aborted) throw new LineApiError(`content: timed out after ${limits.timeoutMs} ms`, 0, '');
    throw new LineApiError(`content: ${err instanceof Error ? err.message : 'network error'}`, 0, '');
  } finally {
    clearTimeout(timer);
  }
}

/** Races a LINE call against a timeout and reduces its failure to a LineApiError. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LineApiError(`${what}: timed out after ${ms} ms`, 0, '')), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } catch (err) {
    if (err instanceof LineApiError) throw err;
    if (err instanceof HTTPFetchError) throw new LineApiError(`${what}: HTTP ${err.status}`, err.status, err.body);
    throw new LineApiError(`${what}: ${err instanceof Error ? err.message : 'network error'}`, 0, '');
  } finally {
    clearTimeout(timer);
  }
}

export function createLineApi(opts: LineApiOptions): LineApi {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // Made on first use: a turn's lineApi usually only replies.
  let sdk: messagingApi.MessagingApiClient | undefined;
  const client = () =>
    (sdk ??= new messagingApi.MessagingApiClient({
      channelAccessToken: opts.channelAccessToken,
      baseURL: opts.apiBaseUrl,
    }));
  const transport = opts.reply;
  const sentOr409 = async (work: Promise<unknown>, what: string): Promise<'sent' | 'already_sent'> => {
    try {
      await withTimeout(work, timeoutMs, what);
      return 'sent';
    } catch (err) {
      if (err instanceof LineApiError && err.status === 409) return 'already_sent';
      throw err;
    }
  };
  return {
    async reply(replyToken, messages) {
      const request: messagingApi.ReplyMessageRequest = { replyToken, messages };
      const sent =
        transport === undefined
          ? client().replyMessage(request)
          : transport(opts.apiBaseUrl, opts.channelAccessToken, request);
      await withTimeout(sent, timeoutMs, 'reply');
    },
    push(to, messages, retryKey) {
      return sentOr409(client().pushMessage({ to, messages }, retryKey), 'push');
    },
    multicast(to, messages, retryKey) {
      return sentOr409(client().multicast({ to, messages }, retryKey), 'multicast');
    },
    getContent(messageId, limits) {
      // Not through the SDK: its blob client reads the body without a bound or a timeout on it.
      const url = `${opts.dataApiBaseUrl}/v2/bot/message/${encodeURIComponent(messageId)}/content`;
      return boundedContent(url, opts.channelAccessToken, limits);
    },
    getPreview(messageId, limits) {
      const url = `${opts.dataApiBaseUrl}/v2/bot/message/${encodeURIComponent(messageId)}/content/preview`;
      return boundedContent(url, opts.channelAccessToken, limits);
    },
  };
}
