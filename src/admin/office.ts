// The office a /offices/:office route is about, by id or code; an unknown office is a 404, and so is any office
// but its own for an office token or a person's session: it cannot tell another office from one that does not exist.
import type { Context } from 'hono';
import type { AppEnv } from '../deps.js';
import { AppError } from '../errors.js';
import { findOffice } from './admin.queries.js';

export type OfficeRow = NonNullable<Awaited<ReturnType<typeof findOffice>>>;

export async function officeOf(c: Context<AppEnv>): Promise<OfficeRow> {
  const row = await findOffice(c.var.deps.db, c.req.param('office') ?? '');
  const admin = c.var.admin;
  if (row === undefined || (admin !== undefined && admin.kind !== 'deployment' && admin.officeId !== row.id)) {
    throw new AppError('not_found', 'Unknown office');
  }
  return row;
}
