// The audit log's one writer outside a turn: every admin change and every read of someone else's data records who,
// what and which row, in the same transaction as the change (pass the transaction as db). A conversation turn
// writes its audit rows as CTEs of its single write statement instead (src/conversation/conversation.queries.ts).
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';

interface AuditEntry {
  officeId: string | null;
  /** Who: 'deployment-token', 'office-token:<id>', 'admin-session' (the pages), 'cli'; 'admin-token' if unsaid. */
  actor?: string | undefined;
  action: string;
  targetType?: string;
  targetId?: string;
  detail?: unknown;
}

export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db.execute(sql`
    INSERT INTO audit_log (office_id, actor, action, target_type, target_id, detail)
    VALUES (${entry.officeId}, ${entry.actor ?? 'admin-token'}, ${entry.action}, ${entry.targetType ?? null}, ${entry.targetId ?? null},
            ${entry.detail === undefined ? null : JSON.stringify(entry.detail)}::jsonb)`);
}
