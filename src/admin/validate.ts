// Turns zod failures into the admin API's 400: every problem with its row (for bulk bodies) and field.
import type { z } from 'zod';
import { AppError, type FieldIssue } from '../errors.js';

export function parseBody<T extends z.ZodType>(schema: T, body: unknown, listKey?: string): z.infer<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issues: FieldIssue[] = parsed.error.issues.slice(0, 200).map((issue) => {
    const path = issue.path.map(String);
    if (listKey !== undefined && path[0] === listKey && path.length >= 2 && /^\d+$/.test(path[1] ?? '')) {
      return { row: Number(path[1]), field: path.slice(2).join('.') || listKey, message: issue.message };
    }
    return { field: path.join('.') || '(body)', message: issue.message };
  });
  throw new AppError('invalid_request', 'The request has invalid fields', issues);
}

export async function readJson(req: { json(): Promise<unknown> }): Promise<unknown> {
  try {
    return await req.json();
  } catch {
    throw new AppError('bad_request', 'Body is not valid JSON');
  }
}
