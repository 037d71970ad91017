// Who a campaign is for, as one SQL predicate shared by every query that counts or lists its audience (digests,
// exports, the admin API's counts, the web dashboard, the SAR synthesis), so "expected" means the same everywhere.
// It follows loadTurn's `open` CTE (src/conversation/conversation.queries.ts), which decides who is offered the
// campaign in chat: change them together.
import { type SQL, sql } from 'drizzle-orm';

/**
 * Person `p` (whose school is `s`) is in campaign `c`'s audience. `scope` is the SQL naming the checklist's scope
 * ('person' or 'school'): `ck.scope` when checklists are joined as ck, or `c.scope` when the campaign row carries it.
 */
export function audience(p = 'p', s = 's', scope = 'ck.scope'): SQL {
  const [P, S, scopeSql] = [sql.raw(p), sql.raw(s), sql.raw(scope)];
  return sql`${P}.office_id = c.office_id AND ${P}.status <> 'erased' AND ${P}.role = ANY(c.roles)
  AND (cardinality(c.school_ids) = 0 OR ${P}.school_id = ANY(c.school_ids))
  AND (cardinality(c.cluster_ids) = 0 OR ${S}.cluster_id = ANY(c.cluster_ids))
  AND (${scopeSql} = 'person' OR ${P}.school_id IS NOT NULL)`;
}
