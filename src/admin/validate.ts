// Turns zod failures into the admin API's 400: every problem with its row (for bulk bodies) and field.
import * as z from 'zod';
import { AppError, type FieldIssue } from '../errors.js';
import { JSON_BODY_LIMIT, readJsonBody } from '../http/body.js';
import { isUuid } from '../ids/uuid.js';

export function parseBody<T extends z.ZodType>(schema: T, body: unknown, listKey?: string): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.slice(0, 200).flatMap((issue) => {
    // An unknown key (a misspelt filter or field) is named itself, not the object holding it.
    const paths =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((k) => [...issue.path.map(String), k])
        : [issue.path.map(String)];
    const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message;
    return paths.map((path): FieldIssue => {
      if (listKey !== undefined && path[0] === listKey && path.length >= 2 && /^\d+$/.test(path[1] ?? '')) {
        return { row: Number(path[1]), field: path.slice(2).join('.') || listKey, message };
      }
      return { field: path.join('.') || '(body)', message };
    });
  });
  throw new AppError('invalid_request', 'The request has invalid fields', issues);
}

/** Query parameters are checked like a body: a bad `limit` or `from` is a 400 naming that parameter. */
export const parseQuery = <T extends z.ZodType>(schema: T, query: Record<string, string>): z.infer<T> =>
  parseBody(schema, query);

/** Every admin JSON body: at most 1 MiB (413), JSON (400), no NUL in any string (400 naming the field). */
export async function readJson(req: { raw: Request }, limit = JSON_BODY_LIMIT): Promise<unknown> {
  return readJsonBody(req.raw, limit);
}

/** A calendar date as the API takes and gives it (office-local, Gregorian): YYYY-MM-DD. */
export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'not a calendar date',
  );

/** An instant: ISO 8601 with an offset (2026-12-01T09:00:00+07:00). */
export const isoInstant = z.iso.datetime({ offset: true });

export const uuidParam = (c: { req: { param(name: string): string | undefined } }, name = 'id'): string => {
  const v = c.req.param(name) ?? '';
  // Not a uuid cannot name a row: the same 404 as an id of another office.
  if (!isUuid(v)) throw new AppError('not_found', 'Not found');
  return v;
};

/** Two rows with the same natural key in one request would update one row twice: name both rows. */
export function duplicates(values: (string | undefined)[], list: string, field: string): void {
  const seen = new Map<string, number>();
  const issues: FieldIssue[] = [];
  values.forEach((v, row) => {
    if (v === undefined) return;
    const first = seen.get(v);
    if (first !== undefined) issues.push({ row, field, message: `duplicate of ${list} row ${first}` });
    else seen.set(v, row);
  });
  if (issues.length > 0) throw new AppError('invalid_request', `Duplicate ${field} values`, issues);
}
