// SQL for checklist versions and campaigns. A stored version never changes: publishing different content under
// an existing version is refused, so responses pinned to it and exports by it never shift.
import { sql } from 'drizzle-orm';
import { type AudienceFilters, noFilters } from '../org/attributes.js';
import type { Db } from '../db/client.js';
import { queryRows } from '../db/client.js';
import type { Role } from '../db/schema.js';
import type { FormDefinition } from './definition.js';
import { AppError } from '../errors.js';
import { VISIT_RECORD_CAMPAIGN, reservedTitleMessage } from './system-campaign.js';

export type PublishOutcome = { id: string; status: 'created' | 'unchanged' } | { id: string; status: 'conflict' };

export async function publishChecklist(db: Db, officeId: string | null, def: FormDefinition): Promise<PublishOutcome> {
  const json = JSON.stringify(def);
  const rows = await queryRows<{ id: string; created: boolean; same: boolean }>(
    db,
    sql`WITH ins AS (
          INSERT INTO checklists (office_id, key, version, title_th, scope, definition)
          VALUES (${officeId}::uuid, ${def.key}, ${def.version}, ${def.title.th}, ${def.scope}, ${json}::jsonb)
          ON CONFLICT ON CONSTRAINT checklists_office_key_version_uq DO NOTHING
          RETURNING id)
        SELECT id, true AS created, true AS same FROM ins
        UNION ALL
        SELECT id, false, definition = ${json}::jsonb FROM checklists
         WHERE office_id IS NOT DISTINCT FROM ${officeId}::uuid AND key = ${def.key} AND version = ${def.version}
           AND NOT EXISTS (SELECT 1 FROM ins)`,
  );
  const row = rows[0];
  if (row === undefined) throw new Error('publishChecklist returned no row');
  return { id: row.id, status: row.created ? 'created' : row.same ? 'unchanged' : 'conflict' };
}

export interface ChecklistSummary extends Record<string, unknown> {
  id: string;
  office_id: string | null;
  key: string;
  version: number;
  title_th: string;
  scope: 'person' | 'school';
}

/** A key's latest version visible to the office (its own first, then built-in; null: built-ins only), or an exact version. */
export async function findChecklist(
  db: Db,
  officeId: string | null,
  key: string,
  version?: number,
): Promise<ChecklistSummary | undefined> {
  const rows = await queryRows<ChecklistSummary>(
    db,
    sql`SELECT id, office_id, key, version, title_th, scope FROM checklists
         WHERE key = ${key} AND (office_id = ${officeId} OR office_id IS NULL)
           ${version === undefined ? sql`` : sql`AND version = ${version}`}
         ORDER BY (office_id IS NULL), version DESC LIMIT 1`,
  );
  return rows[0];
}

export interface CampaignInput {
  officeId: string;
  checklistId: string;
  titleTh: string;
  roles: Role[];
  schoolIds: string[];
  clusterIds: string[];
  opensAt: string;
  dueAt: string;
  /** Announce it when it opens (one push in each person's bundle, with a start button); unchanged when omitted. */
  announce?: boolean;
  /** Filters on school and people attributes (src/org/attributes.ts); none when omitted. */
  filters?: AudienceFilters;
  /** Only the office's committee members (a ก.ต.ป.น. meeting's attendance). */
  committeeOnly?: boolean;
}

/** Creates a campaign, or updates the one with the same title in the office (imports and seeds repeat safely). */
export async function upsertCampaign(db: Db, c: CampaignInput): Promise<{ id: string; created: boolean }> {
  const reserved = () =>
    new AppError('invalid_request', 'Reserved campaign title', [{ field: 'titleTh', message: reservedTitleMessage }]);
  if (c.titleTh.trim() === VISIT_RECORD_CAMPAIGN) throw reserved();
  const f = c.filters ?? noFilters();
  const rows = await queryRows<{ id: string; created: boolean }>(
    db,
    sql`INSERT INTO campaigns (office_id, checklist_id, title_th, roles, school_ids, cluster_ids, opens_at, due_at,
                               announce, school_levels, school_sizes, school_tags, subdistricts, districts, provinces,
                               learning_areas, positions, committee_only)
        VALUES (${c.officeId}, ${c.checklistId}, ${c.titleTh}, ${sql.param(c.roles)}::text[],
                ${sql.param(c.schoolIds)}::uuid[], ${sql.param(c.clusterIds)}::uuid[], ${c.opensAt}, ${c.dueAt},
                coalesce(${c.announce ?? null}::boolean, false), ${sql.param(f.levels)}::text[],
                ${sql.param(f.sizes)}::text[], ${sql.param(f.tags)}::text[], ${sql.param(f.subdistricts)}::text[],
                ${sql.param(f.districts)}::text[], ${sql.param(f.provinces)}::text[],
                ${sql.param(f.learningAreas)}::text[], ${sql.param(f.positions)}::text[], ${c.committeeOnly ?? false})
        ON CONFLICT (office_id, title_th) DO UPDATE
           SET roles = excluded.roles, school_ids = excluded.school_ids, cluster_ids = excluded.cluster_ids,
               school_levels = excluded.school_levels, school_sizes = excluded.school_sizes,
               school_tags = excluded.school_tags, subdistricts = excluded.subdistricts, districts = excluded.districts,
               provinces = excluded.provinces, learning_areas = excluded.learning_areas, positions = excluded.positions,
               committee_only = excluded.committee_only,
               opens_at = excluded.opens_at, due_at = excluded.due_at,
               announce = coalesce(${c.announce ?? null}::boolean, campaigns.announce),
               -- The version stays pinned once anyone has answered; otherwise a re-run may move it.
               checklist_id = CASE WHEN EXISTS (SELECT 1 FROM responses r WHERE r.campaign_id = campaigns.id)
                                   THEN campaigns.checklist_id ELSE excluded.checklist_id END
         WHERE NOT campaigns.system
        RETURNING id, (xmax = 0) AS created`,
  );
  const row = rows[0];
  // Only the office's internal campaign is skipped by the conflict's WHERE.
  if (row === undefined) throw reserved();
  return row;
}

/** Supervisor assignments by codes: a supervisor (external id) to schools or clusters (codes). */
export async function assignSupervisor(
  db: Db,
  officeId: string,
  a: { supervisorId: string; schoolId: string | null; clusterId: string | null; kind: 'main' | 'joint' },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO supervisor_assignments (office_id, supervisor_id, school_id, cluster_id, kind)
    SELECT ${officeId}::uuid, ${a.supervisorId}::uuid, ${a.schoolId}::uuid, ${a.clusterId}::uuid, ${a.kind}
     WHERE NOT EXISTS (
       SELECT 1 FROM supervisor_assignments
        WHERE supervisor_id = ${a.supervisorId}::uuid AND school_id IS NOT DISTINCT FROM ${a.schoolId}::uuid
          AND cluster_id IS NOT DISTINCT FROM ${a.clusterId}::uuid)`);
}

export interface StoredChecklist extends ChecklistSummary {
  definition: unknown;
}

/** One version visible to the office with its definition (its own before a built-in of the same key and version). */
export async function findChecklistVersion(
  db: Db,
  officeId: string | null,
  key: string,
  version: number,
): Promise<StoredChecklist | undefined> {
  const rows = await queryRows<StoredChecklist>(
    db,
    sql`SELECT id, office_id, key, version, title_th, scope, definition FROM checklists
         WHERE key = ${key} AND version = ${version} AND (office_id = ${officeId} OR office_id IS NULL)
         ORDER BY (office_id IS NULL) LIMIT 1`,
  );
  return rows[0];
}
