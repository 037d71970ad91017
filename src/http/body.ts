// Request bodies with limits, and the one rule that refuses NUL in anything a caller sends. Every body is read
// through readCapped (a declared Content-Length over the limit is refused before reading, a chunked body is counted
// as it streams), every JSON body through readJsonBody (1 MiB unless a route says more), so none is read whole
// before its size is known. Postgres cannot store NUL in text or jsonb: refused here, it is a 400 naming the field
// instead of a 500 from the database.
import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';

/** Every JSON route's limit unless it needs more; a 5,000-row bulk body of short fields is well under it. */
export const JSON_BODY_LIMIT = 1024 * 1024;

/** The 413 every capped body read answers (Hono's and Node's lean webhook path alike). */
export const tooLarge = (limit: number) =>
  new AppError('payload_too_large', `Request body too large (limit ${limit} bytes)`, [
    { field: '(body)', message: `ขนาดเกิน ${limit} ไบต์ / over the ${limit}-byte limit` },
  ]);

/**
 * The raw body, refusing more than `limit` bytes whether the client declared a Content-Length or streams it
 * chunked. (Hono's bodyLimit does the same but makes the Node adapter build a full web Request each time.)
 */
export async function readCapped(req: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > limit) throw tooLarge(limit);
  if (req.body === null) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = (req.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const chunk: ReadableStreamReadResult<Uint8Array> = await reader.read();
    if (chunk.done) break;
    const value = chunk.value;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1 && chunks[0] !== undefined) return chunks[0];
  const out = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** The JSON body, at most `limit` bytes of UTF-8; not JSON is a 400, a NUL anywhere in it a 400 naming where. */
export async function readJsonBody(req: Request, limit = JSON_BODY_LIMIT): Promise<unknown> {
  const raw = await readCapped(req, limit);
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw));
  } catch {
    throw new AppError('bad_request', 'Body is not valid JSON');
  }
  refuseNul(value);
  return value;
}

/** The dotted path of the first string (or key) holding NUL, or null. */
export function nulPath(value: unknown, path: string[] = []): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(body)' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = nulPath(value[i], [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) return [...path, k.split('\u0000').join('\\0')].join('.');
      const found = nulPath(v, [...path, k]);
      if (found !== null) return found;
    }
  }
  return null;
}

const nulIssue = (field: string) =>
  new AppError('invalid_request', 'The request has invalid fields', [
    { field, message: 'มีอักขระ NUL ซึ่งใช้ไม่ได้ / contains a NUL character' },
  ]);

/** The shared refinement: a NUL in any string of a body, a query or a path is a 400 naming the field. */
export function refuseNul(value: unknown, prefix?: string): void {
  const found = nulPath(value);
  if (found !== null) throw nulIssue(prefix === undefined ? found : `${prefix}${found === '(body)' ? '' : found}`);
}

/** Every request: a NUL in the path or in a query parameter is refused before any route sees it. */
export const refuseNulInUrl: MiddlewareHandler = async (c, next) => {
  const url = new URL(c.req.url);
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    throw new AppError('bad_request', 'The path is not valid percent-encoding');
  }
  if (path.includes('\u0000')) throw nulIssue('path');
  for (const [name, value] of url.searchParams) {
    if (name.includes('\u0000')) throw nulIssue('query');
    if (value.includes('\u0000')) throw nulIssue(name);
  }
  await next();
};
