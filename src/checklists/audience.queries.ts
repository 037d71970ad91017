// Who a campaign is for, as one SQL predicate shared by every query that counts or lists its audience (digests,
// exports, the admin API's counts, the web dashboard, the SAR synthesis), so "expected" means the same everywhere.
// It follows loadTurn's `open` CTE (src/conversation/conversation.queries.ts), which decides who is offered the
// campaign in chat and calls attributeFilter() below: change them together.
import { type SQL, sql } from 'drizzle-orm';

/**
 * The campaign's filters on school and people attributes (src/org/attributes.ts), each empty array meaning "any":
 * campaign `c`, person `p`, school `s` (the person's school; its columns may come from any alias that has them).
 * Parameter-free, so the pending set's function can be generated from it (src/checklists/pending.queries.ts).
 */
export function attributeFilter(c = 'c', p = 'p', s = 's'): SQL {
  const [C, P, S] = [sql.raw(c), sql.raw(p), sql.raw(s)];
  return sql`(cardinality(${C}.school_levels) = 0 OR ${S}.levels && ${C}.school_levels)
  AND (cardinality(${C}.school_sizes) = 0 OR ${S}.size = ANY(${C}.school_sizes))
  AND (cardinality(${C}.school_tags) = 0 OR ${S}.tags && ${C}.school_tags)
  AND (cardinality(${C}.subdistricts) = 0 OR ${S}.subdistrict = ANY(${C}.subdistricts))
  AND (cardinality(${C}.districts) = 0 OR ${S}.district = ANY(${C}.districts))
  AND (cardinality(${C}.provinces) = 0 OR ${S}.province = ANY(${C}.provinces))
  AND (cardinality(${C}.learning_areas) = 0 OR ${P}.learning_areas && ${C}.learning_areas)
  AND (cardinality(${C}.positions) = 0 OR ${P}.position = ANY(${C}.positions))`;
}

/**
 * Person `p` (whose school is `s`) is in campaign `c`'s audience. `scope` is the SQL naming the checklist's scope
 * ('person' or 'school'): `ck.scope` when checklists are joined as ck, or `c.scope` when the campaign row carries it.
 */
export function audience(p = 'p', s = 's', scope = 'ck.scope'): SQL {
  const [P, S, scopeSql] = [sql.raw(p), sql.raw(s), sql.raw(scope)];
  return sql`${P}.office_id = c.office_id AND ${P}.status <> 'erased' AND ${P}.role = ANY(c.roles)
  AND (cardinality(c.school_ids) = 0 OR ${P}.school_id = ANY(c.school_ids))
  AND (cardinality(c.cluster_ids) = 0 OR ${S}.cluster_id = ANY(c.cluster_ids))
  AND ${attributeFilter('c', p, s)}
  AND (${scopeSql} = 'person' OR ${P}.school_id IS NOT NULL)`;
}
