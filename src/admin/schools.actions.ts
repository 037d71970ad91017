// Editing one school's attributes (levels, size, subdistrict / district / province, tags) and name: one
// implementation for the admin API (PATCH …/schools/:id, src/admin/org.routes.ts) and the school edit page
// (src/web/pages/schools.tsx), so both validate, write and audit alike. The change and its audit row are one
// transaction; a refused change writes nothing and names each field.
import * as z from 'zod';
import type { Db } from '../db/client.js';
import { AppError } from '../errors.js';
import { audit } from '../audit/audit.queries.js';
import { schoolLevels, schoolSizes, type SchoolAttrs } from '../org/attributes.js';
import { patchSchool, schoolView, type SchoolView } from './org.queries.js';

const place = z.string().trim().min(1).max(100).nullable().optional();

/** A school's attributes in the API: a field left out keeps what is stored; null or [] clears it. */
export const schoolAttrsShape = {
  levels: z.array(z.enum(schoolLevels)).max(schoolLevels.length).optional(),
  size: z.enum(schoolSizes).nullable().optional(),
  subdistrict: place,
  district: place,
  province: place,
  tags: z.array(z.string().trim().min(1).max(100)).max(50).optional(),
};

/** One school's change: its name and any of its attributes. */
export const schoolPatch = z.strictObject({
  nameTh: z.string().trim().min(1).max(200).optional(),
  ...schoolAttrsShape,
});
export type SchoolPatchBody = z.infer<typeof schoolPatch>;

/** The attributes given, de-duplicated (a key left out stays out: the stored value is kept). */
export function schoolAttrsOf(s: {
  levels?: SchoolAttrs['levels'] | undefined;
  size?: SchoolAttrs['size'] | undefined;
  subdistrict?: string | null | undefined;
  district?: string | null | undefined;
  province?: string | null | undefined;
  tags?: string[] | undefined;
}): SchoolAttrs {
  const out: SchoolAttrs = {};
  if (s.levels !== undefined) out.levels = [...new Set(s.levels)];
  if (s.size !== undefined) out.size = s.size;
  if (s.subdistrict !== undefined) out.subdistrict = s.subdistrict;
  if (s.district !== undefined) out.district = s.district;
  if (s.province !== undefined) out.province = s.province;
  if (s.tags !== undefined) out.tags = [...new Set(s.tags)];
  return out;
}

/** Changes the fields given of one school of the office; returns the school as now stored. */
export async function updateSchool(
  db: Db,
  officeId: string,
  id: string,
  body: SchoolPatchBody,
  ctx: { actor: string },
): Promise<SchoolView> {
  const before = await schoolView(db, officeId, id);
  if (before === undefined) throw new AppError('not_found', 'No such school in this office');
  const attrs = schoolAttrsOf(body);
  await db.transaction(async (tx) => {
    await patchSchool(tx, officeId, id, { ...(body.nameTh === undefined ? {} : { nameTh: body.nameTh }), ...attrs });
    await audit(tx, {
      actor: ctx.actor,
      officeId,
      action: 'school.update',
      targetType: 'school',
      targetId: id,
      detail: { fields: Object.keys(body), code: before.code },
    });
  });
  const after = await schoolView(db, officeId, id);
  if (after === undefined) throw new AppError('not_found', 'No such school in this office');
  return after;
}
