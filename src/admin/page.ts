// One pagination convention for every admin list: `?limit=` (1–500, default 100) and an opaque keyset `cursor`,
// answered as { items, nextCursor }. The cursor carries the sort key of the last row sent, so the next page is
// `WHERE (key) > (cursor)`: no OFFSET, no rows skipped or repeated when rows are added between pages.
import * as z from 'zod';
import { AppError } from '../errors.js';
import { isUuid } from '../ids/uuid.js';

export const MAX_LIMIT = 500;

export const pageParams = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(100),
  cursor: z.string().max(2000).optional(),
});

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const b64url = (s: string) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(s)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

export function encodeCursor(key: readonly string[]): string {
  return b64url(JSON.stringify(key));
}

/** What each part of a cursor's sort key is, so a forged cursor is a 400 here and never a cast error in SQL. */
export type CursorPart = 'text' | 'uuid' | 'timestamp' | 'date' | 'int' | 'bigint';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)$/;

const partOk: Record<CursorPart, (v: string) => boolean> = {
  text: (v) => v.length <= 1000 && !v.includes('\u0000'),
  uuid: isUuid,
  timestamp: (v) => INSTANT.test(v) && !Number.isNaN(Date.parse(v)),
  date: (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v),
  int: (v) => /^-?\d{1,9}$/.test(v),
  bigint: (v) => /^\d{1,18}$/.test(v),
};

/**
 * The sort key a cursor carries, checked part by part against `shape`, or null without one. A cursor that is not
 * one of ours (not base64url JSON, the wrong number of parts, a part of the wrong kind) is a 400 naming the field
 * rather than a page from the start, which would repeat rows, or a 500 from a failed cast.
 */
export function decodeCursor(cursor: string | undefined, shape: readonly CursorPart[]): string[] | null {
  if (cursor === undefined || cursor === '') return null;
  const bad = () =>
    new AppError('invalid_request', 'Invalid cursor', [{ field: 'cursor', message: 'not a cursor from this list' }]);
  let value: unknown;
  try {
    const bin = atob(cursor.replace(/-/g, '+').replace(/_/g, '/'));
    value = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0))));
  } catch {
    throw bad();
  }
  if (!Array.isArray(value) || value.length !== shape.length) throw bad();
  const key: unknown[] = value;
  if (!key.every((v, i): v is string => typeof v === 'string' && partOk[shape[i] ?? 'text'](v))) throw bad();
  return key;
}

/** Rows were fetched with LIMIT limit + 1: the extra row only says whether there is a next page. */
export function pageOf<R>(rows: R[], limit: number, key: (row: R) => string[]): Page<R> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null,
  };
}
