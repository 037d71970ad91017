// Who a campaign is for, as SQL predicates shared by every query that counts, lists or offers its audience (the
// chat's open checklists in loadTurn, digests, exports, the admin API's counts, the web dashboard, the SAR
// synthesis, a supervisor's school page, published notices), so "expected" means the same everywhere. This is the
// only place the rule is written.
import { type SQL, sql } from 'drizzle-orm';

/** An audience as SQL expressions: a campaign row's columns, or bound arrays (a published notice). */
interface AudienceColumns {
  roles: SQL;
  schoolIds: SQL;
  clusterIds: SQL;
}

const campaignColumns = (c: string): AudienceColumns => {
  const C = sql.raw(c);
  return { roles: sql`${C}.roles`, schoolIds: sql`${C}.school_ids`, clusterIds: sql`${C}.cluster_ids` };
};

/** School `s` (its id and cluster_id) is among the audience's schools: no school or cluster list, or on one. */
export function schoolInScope(s: string, a: AudienceColumns, schoolId: SQL = sql`${sql.raw(s)}.id`): SQL {
  const S = sql.raw(s);
  return sql`(cardinality(${a.schoolIds}) = 0 OR ${schoolId} = ANY(${a.schoolIds}))
  AND (cardinality(${a.clusterIds}) = 0 OR ${S}.cluster_id = ANY(${a.clusterIds}))`;
}

/** Person `p` (whose school row, or a row with its cluster_id, is `s`) has a role and a place in the audience. */
export function personInAudience(p: string, s: string, a: AudienceColumns): SQL {
  return sql`${sql.raw(p)}.status <> 'erased' AND ${placeInAudience(p, s, a)}`;
}

/** personInAudience without the status: an erased person who answered still answered (countedSubject). */
function placeInAudience(p: string, s: string, a: AudienceColumns): SQL {
  const P = sql.raw(p);
  return sql`${P}.role = ANY(${a.roles}) AND ${schoolInScope(s, a, sql`${P}.school_id`)}`;
}

/** School attribute filters as SQL text[] expressions (a campaign's columns, or bound arrays); empty means "any". */
export interface SchoolAttributeColumns {
  levels: SQL;
  sizes: SQL;
  tags: SQL;
  subdistricts: SQL;
  districts: SQL;
  provinces: SQL;
}

const campaignAttributeColumns = (c: string): SchoolAttributeColumns => {
  const C = sql.raw(c);
  return {
    levels: sql`${C}.school_levels`,
    sizes: sql`${C}.school_sizes`,
    tags: sql`${C}.school_tags`,
    subdistricts: sql`${C}.subdistricts`,
    districts: sql`${C}.districts`,
    provinces: sql`${C}.provinces`,
  };
};

/** School `s` has one of the levels, sizes and tags, and lies in one of the places (each empty list: any). */
function schoolAttributes(s: string, f: SchoolAttributeColumns): SQL {
  const S = sql.raw(s);
  return sql`(cardinality(${f.levels}) = 0 OR ${S}.levels && ${f.levels})
  AND (cardinality(${f.sizes}) = 0 OR ${S}.size = ANY(${f.sizes}))
  AND (cardinality(${f.tags}) = 0 OR ${S}.tags && ${f.tags})
  AND (cardinality(${f.subdistricts}) = 0 OR ${S}.subdistrict = ANY(${f.subdistricts}))
  AND (cardinality(${f.districts}) = 0 OR ${S}.district = ANY(${f.districts}))
  AND (cardinality(${f.provinces}) = 0 OR ${S}.province = ANY(${f.provinces}))`;
}

/**
 * The campaign's filters on school and people attributes (src/org/attributes.ts), each empty array meaning "any":
 * campaign `c`, person `p`, school `s` (the person's school; its columns may come from any alias that has them).
 * Parameter-free, so the pending set's function can be generated from it (src/checklists/pending.queries.ts).
 */
export function attributeFilter(c = 'c', p = 'p', s = 's'): SQL {
  const [C, P] = [sql.raw(c), sql.raw(p)];
  return sql`${schoolAttributes(s, campaignAttributeColumns(c))}
  AND (cardinality(${C}.learning_areas) = 0 OR ${P}.learning_areas && ${C}.learning_areas)
  AND (cardinality(${C}.positions) = 0 OR ${P}.position = ANY(${C}.positions))
  AND (NOT ${C}.committee_only OR EXISTS (SELECT 1 FROM committee_members cm WHERE cm.person_id = ${P}.id))`;
}

/** A cut of schools by their attributes (a report's filter): the school half of attributeFilter, on given lists. */
export interface SchoolCut {
  levels: readonly string[];
  sizes: readonly string[];
  tags: readonly string[];
  subdistricts: readonly string[];
  districts: readonly string[];
  provinces: readonly string[];
}

export const isEmptyCut = (f: SchoolCut): boolean => Object.values(f).every((v: readonly string[]) => v.length === 0);

/** School `s` is in the cut: the same rule as a campaign's school filters (schoolAttributes), the lists bound. */
export function schoolInCut(s: string, f: SchoolCut): SQL {
  const arr = (v: readonly string[]) => sql`${sql.param([...v])}::text[]`;
  return schoolAttributes(s, {
    levels: arr(f.levels),
    sizes: arr(f.sizes),
    tags: arr(f.tags),
    subdistricts: arr(f.subdistricts),
    districts: arr(f.districts),
    provinces: arr(f.provinces),
  });
}

/**
 * Person `p` (whose school is `s`) is in campaign `c`'s audience. `scope` is the SQL naming the checklist's scope
 * ('person' or 'school'): `ck.scope` when checklists are joined as ck, or `c.scope` when the campaign row carries it.
 * A school-scope checklist is only for people with a school.
 */
export function audience(p = 'p', s = 's', scope = 'ck.scope', c = 'c'): SQL {
  const [P, C, scopeSql] = [sql.raw(p), sql.raw(c), sql.raw(scope)];
  return sql`${P}.office_id = ${C}.office_id AND ${personInAudience(p, s, campaignColumns(c))}
  AND ${attributeFilter(c, p, s)}
  AND (${scopeSql} = 'person' OR ${P}.school_id IS NOT NULL)`;
}

/**
 * Person `p` (school `s`) is one a campaign's counts are taken against: what every "answered n of m" and every
 * list of who is missing uses (not who may answer: that is audience()). Beside audience(): an erased person whose
 * (anonymised) response was submitted still counts as submitted, and a school imported after the campaign's due
 * time is not counted against it unless it answered anyway.
 */
export function countedSubject(p = 'p', s = 's', scope = 'ck.scope', c = 'c'): SQL {
  const [P, C, scopeSql] = [sql.raw(p), sql.raw(c), sql.raw(scope)];
  const submitted = sql`EXISTS (SELECT 1 FROM responses cr WHERE cr.campaign_id = ${C}.id AND cr.status = 'submitted'
      AND cr.subject_key = CASE WHEN ${scopeSql} = 'school' THEN ${P}.school_id ELSE ${P}.id END)`;
  return sql`${P}.office_id = ${C}.office_id AND ${placeInAudience(p, s, campaignColumns(c))}
  AND ${attributeFilter(c, p, s)}
  AND (${scopeSql} = 'person' OR ${P}.school_id IS NOT NULL)
  AND ((${P}.status <> 'erased' AND NOT ${importedAfterDue(s, c)}) OR ${submitted})`;
}

/**
 * School `s` came after campaign `c` was due: imported after its due time and after the campaign itself was made
 * (so seeded data, whose rows are stamped with the real clock while campaigns carry simulated dates, still count).
 */
export function importedAfterDue(s = 's', c = 'c'): SQL {
  const [S, C] = [sql.raw(s), sql.raw(c)];
  return sql`coalesce(${S}.created_at > ${C}.due_at AND ${S}.created_at > ${C}.created_at, false)`;
}

/** School `s` is one campaign `c` asks about: it has roles, and the school is on its lists (or there are none). */
export function schoolInAudience(s = 's', c = 'c'): SQL {
  return sql`cardinality(${sql.raw(c)}.roles) > 0 AND ${schoolInScope(s, campaignColumns(c))}`;
}
