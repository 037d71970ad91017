// The tick step that gives each linked person their role's rich menu. It reads the work list in one query, calls
// LINE's bulk link once per channel, role and 500 people, and records success afterwards, so a failed call leaves
// its people pending for the next tick and a repeated call links the same menu again (no duplicate effect).
// Linking costs no message quota and is not a message, so it does not go through the outbox.
import type { Db } from '../db/client.js';
import type { Role } from '../db/schema.js';
import type { Channel } from '../line/channels.js';
import type { Logger } from '../log.js';
import { errorFields } from '../log.js';
import { BULK_LINK_MAX, type RichMenuApi } from './line.js';
import { markLinked, type PendingLink, pendingLinks } from './richmenu.queries.js';

/** People per tick: 20 bulk calls, a few seconds at most; a backlog (first sync of a big office) takes a few ticks. */
export const LINK_PER_TICK = 10_000;

export interface LinkDeps {
  db: Db;
  log: Logger;
  channel: (id: string) => Promise<Channel | null>;
  api: (channel: Channel) => RichMenuApi;
}

export interface LinkReport {
  linked: number;
  unlinked: number;
  /** People left pending because their call failed or their channel has no credentials. */
  pending: number;
  calls: number;
}

interface Batch {
  channelId: string;
  role: Role;
  richMenuId: string | null;
  people: PendingLink[];
}

/** Runs of the same channel, role and menu, cut at LINE's 500 user ids per call. */
function batches(rows: PendingLink[]): Batch[] {
  const out: Batch[] = [];
  for (const r of rows) {
    const last = out.at(-1);
    if (
      last !== undefined &&
      last.channelId === r.channel_id &&
      last.role === r.role &&
      last.richMenuId === r.rich_menu_id &&
      last.people.length < BULK_LINK_MAX
    )
      last.people.push(r);
    else out.push({ channelId: r.channel_id, role: r.role, richMenuId: r.rich_menu_id, people: [r] });
  }
  return out;
}

export async function linkRichMenus(
  deps: LinkDeps,
  opts: { channelId?: string; officeId?: string; limit?: number } = {},
): Promise<LinkReport> {
  const rows = await pendingLinks(deps.db, opts.limit ?? LINK_PER_TICK, opts.channelId, opts.officeId);
  const report: LinkReport = { linked: 0, unlinked: 0, pending: 0, calls: 0 };
  const apis = new Map<string, RichMenuApi | null>();
  for (const b of batches(rows)) {
    if (!apis.has(b.channelId)) {
      const ch = await deps.channel(b.channelId);
      apis.set(b.channelId, ch === null ? null : deps.api(ch));
    }
    const api = apis.get(b.channelId) ?? null;
    if (api === null) {
      report.pending += b.people.length;
      continue;
    }
    const userIds = b.people.map((p) => p.line_user_id);
    const ids = b.people.map((p) => p.person_id);
    try {
      report.calls++;
      if (b.richMenuId === null) {
        await api.bulkUnlink(userIds);
        report.unlinked += await markLinked(deps.db, ids, b.role, null);
      } else {
        await api.bulkLink(b.richMenuId, userIds);
        report.linked += await markLinked(deps.db, ids, b.role, b.role);
      }
    } catch (err) {
      // Left pending: the next tick sends the same call again, which LINE applies idempotently.
      report.pending += b.people.length;
      deps.log.warn('richmenu link failed', {
        channel: b.channelId,
        role: b.role,
        people: b.people.length,
        ...errorFields(err),
      });
    }
  }
  return report;
}
