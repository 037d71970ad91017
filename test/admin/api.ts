// The admin API as its tests call it: JSON in and out with the bearer token, and a walk over every page of a list.
import { expect } from 'vitest';
import type { FieldIssue } from '../../src/errors.js';
import { ADMIN, type Harness } from '../support/harness.js';

export interface ApiResult {
  status: number;
  // Tests read whichever fields the route answers; the assertions check their shape.
  json: Record<string, unknown> & { error?: { code: string; message: string; issues?: FieldIssue[] } };
}

export type Api = (method: string, path: string, json?: unknown, token?: string | null) => Promise<ApiResult>;

export function adminApi(h: Harness): Api {
  return async (method, path, json, token = ADMIN) => {
    const res = await h.fetch(`/admin/api/v1${path}`, {
      method,
      headers: {
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        'content-type': 'application/json',
      },
      ...(json === undefined ? {} : { body: typeof json === 'string' ? json : JSON.stringify(json) }),
    });
    const text = await res.text();
    return { status: res.status, json: text === '' ? {} : (JSON.parse(text) as ApiResult['json']) };
  };
}

/** Follows nextCursor from the first page to the last; every page must be 200 and at most `limit` long. */
export async function walk<T>(api: Api, path: string, limit: number): Promise<{ pages: number; items: T[] }> {
  const items: T[] = [];
  let cursor: string | null = null;
  let pages = 0;
  const sep = path.includes('?') ? '&' : '?';
  do {
    const res: ApiResult = await api(
      'GET',
      `${path}${sep}limit=${limit}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`,
    );
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const page = res.json.items as T[];
    expect(page.length).toBeLessThanOrEqual(limit);
    items.push(...page);
    cursor = res.json.nextCursor as string | null;
    pages += 1;
    if (pages > 1000) throw new Error('pagination does not end');
  } while (cursor !== null);
  return { pages, items };
}
