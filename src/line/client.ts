// Our LINE Messaging API client: the official SDK's MessagingApiClient with base URLs from config, a timeout
// (the SDK sets none), X-Line-Retry-Key on pushes, and errors reduced to what a caller decides on.
import { HTTPFetchError, messagingApi } from '@line/bot-sdk';
import type { Message } from './messages.js';

export interface LineApiOptions {
  channelAccessToken: string;
  apiBaseUrl: string;
  dataApiBaseUrl: string;
  timeoutMs?: number;
}

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
  getContent(messageId: string): Promise<{ data: Uint8Array; contentType: string }>;
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
  const client = new messagingApi.MessagingApiClient({
    channelAccessToken: opts.channelAccessToken,
    baseURL: opts.apiBaseUrl,
  });
  const blob = new messagingApi.MessagingApiBlobClient({
    channelAccessToken: opts.channelAccessToken,
    baseURL: opts.dataApiBaseUrl,
  });
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
      await withTimeout(client.replyMessage({ replyToken, messages }), timeoutMs, 'reply');
    },
    push(to, messages, retryKey) {
      return sentOr409(client.pushMessage({ to, messages }, retryKey), 'push');
    },
    multicast(to, messages, retryKey) {
      return sentOr409(client.multicast({ to, messages }, retryKey), 'multicast');
    },
    async getContent(messageId) {
      const res = await withTimeout(blob.getMessageContentWithHttpInfo(messageId), timeoutMs, 'content');
      const chunks: Uint8Array[] = [];
      for await (const chunk of res.body)
        chunks.push(chunk instanceof Uint8Array ? chunk : new TextEncoder().encode(String(chunk)));
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const data = new Uint8Array(total);
      let offset = 0;
      for (const c of chunks) {
        data.set(c, offset);
        offset += c.length;
      }
      return { data, contentType: res.httpResponse.headers.get('content-type') ?? 'application/octet-stream' };
    },
  };
}
