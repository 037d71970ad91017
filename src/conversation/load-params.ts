// The values of the turn's one load statement (conversation.queries.ts), as placeholders: the statement's text
// for each shape (which flows' fragments it holds) is built once, and each turn sends only these values.
// Flows' load fragments (FlowDef.load) write them where a turn's value goes.
import { sql } from 'drizzle-orm';

export const loadParam = {
  channelId: sql.placeholder('channelId'),
  lineUserId: sql.placeholder('lineUserId'),
  webhookEventId: sql.placeholder('webhookEventId'),
  /** The turn's time, ISO. */
  now: sql.placeholder('now'),
  /** The checklist versions this isolate already holds (uuid[]). */
  cachedDefinitions: sql.placeholder('cachedDefinitions'),
  /** LoadWants' values (null when not asked; ids only when they are UUIDs). */
  inviteHash: sql.placeholder('inviteHash'),
  focusCampaign: sql.placeholder('focusCampaign'),
  visits: sql.placeholder('visits'),
  focusVisit: sql.placeholder('focusVisit'),
  focusFeedback: sql.placeholder('focusFeedback'),
} as const;
