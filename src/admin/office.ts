// The office a /offices/:office route is about, by id or code; an unknown office is a 404.
import type { Context } from 'hono';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { findOffice } from './admin.queries.js';

export type OfficeRow = NonNullable<Awaited<ReturnType<typeof findOffice>>>;

export async function officeOf(c: Context<AppEnv>): Promise<OfficeRow> {
  const row = await findOffice(c.var.deps.db, c.req.param('office') ?? '');
  if (row === undefined) throw new AppError('not_found', 'Unknown office');
  return row;
}
