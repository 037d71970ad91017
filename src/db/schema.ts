// The database schema. drizzle-kit generates the migrations in drizzle/ from this file; the migrations are the truth.
// Every row that belongs to an office carries office_id, and every query filters by it.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { SchoolCut as DigestCut } from '../checklists/audience.queries.js';

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
const ts = (name: string) => timestamp(name, { withTimezone: true });

/** `committee`: a member of the office's ก.ต.ป.น. from outside (an expert, with no school); sees only the committee's. */
export const roles = ['teacher', 'principal', 'supervisor', 'director', 'admin', 'committee'] as const;
export type Role = (typeof roles)[number];

export const personStatuses = ['invited', 'active', 'blocked', 'erased'] as const;
export type PersonStatus = (typeof personStatuses)[number];

export const offices = pgTable('offices', {
  id: uuid('id').primaryKey().defaultRandom(),
  /** The office's own short code, e.g. "DEMO1"; a natural key for imports and the CLI. */
  code: text('code').notNull().unique(),
  nameTh: text('name_th').notNull(),
  nameEn: text('name_en'),
  /** Office-specific privacy notice (PDPA); the built-in Thai notice is used when null. */
  privacyNoticeTh: text('privacy_notice_th'),
  timeZone: text('time_zone').notNull().default('Asia/Bangkok'),
  /** No pushes in local hours [quietStart, 24) ∪ [0, quietEnd). */
  quietStart: smallint('quiet_start').notNull().default(20),
  quietEnd: smallint('quiet_end').notNull().default(7),
  /** The office's monthly push quota as LINE reports it (null until first checked). */
  pushQuota: integer('push_quota'),
  /** Set when LINE answers the monthly-quota 429: no pushes for this office until then. */
  sendsPausedUntil: ts('sends_paused_until'),
  sendsPausedReason: text('sends_paused_reason'),
  /**
   * The basic (or premium) id of the office's LINE Official Account, "@123abcde": the invite sheets' QR codes
   * open https://line.me/R/ti/p/<id> to add it as a friend. Null until the office sets it.
   */
  lineBasicId: text('line_basic_id'),
  createdAt: createdAt(),
});

/**
 * A LINE Official Account. The env channel is the row with id 'default' and no stored credentials;
 * registered channels keep their secret and token AES-GCM encrypted. A null office (only the env channel)
 * accepts people of any office: a single-office deployment.
 */
export const lineChannels = pgTable(
  'line_channels',
  {
    id: text('id').primaryKey(),
    officeId: uuid('office_id').references(() => offices.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** LINE's channel id (numeric string) shown in the console; informational. */
    lineChannelId: text('line_channel_id'),
    secretEnc: text('secret_enc'),
    accessTokenEnc: text('access_token_enc'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('line_channels_office_idx').on(t.officeId)],
);

export const clusters = pgTable(
  'clusters',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    nameTh: text('name_th').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('clusters_office_code_uq').on(t.officeId, t.code)],
);

export const schools = pgTable(
  'schools',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    clusterId: uuid('cluster_id').references(() => clusters.id, { onDelete: 'set null' }),
    /** OBEC school code (10 digits); the natural key for imports. */
    code: text('code').notNull(),
    nameTh: text('name_th').notNull(),
    /** Levels taught (src/org/attributes.ts): early_childhood, primary, lower_secondary, upper_secondary, special. */
    levels: text('levels')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** OBEC size class: small, medium, large, extra_large. */
    size: text('size'),
    subdistrict: text('subdistrict'),
    district: text('district'),
    province: text('province'),
    /** Free tags: projects and programmes (โรงเรียนคุณภาพประจำตำบล ...). */
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('schools_office_code_uq').on(t.officeId, t.code),
    index('schools_cluster_idx').on(t.clusterId),
    // Lists and reports filtered by level, tag or place.
    index('schools_levels_idx').using('gin', t.levels),
    index('schools_tags_idx').using('gin', t.tags),
    index('schools_office_place_idx').on(t.officeId, t.province, t.district),
  ],
);

export const people = pgTable(
  'people',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roles }).notNull(),
    schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'set null' }),
    /** An office-side identifier (staff number, or email) for imports; optional. */
    externalId: text('external_id'),
    displayName: text('display_name').notNull(),
    /** Learning areas taught (กลุ่มสาระ, src/org/attributes.ts). */
    learningAreas: text('learning_areas')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /** Position (ตำแหน่ง): a school's head may be its director, a deputy or an acting head. */
    position: text('position'),
    /**
     * A director's weekly digest counts only the schools in this cut (src/org/cut.ts's shape, the reports' filter;
     * applied by schoolInCut). Null: the whole office.
     */
    digestCut: jsonb('digest_cut').$type<DigestCut>(),
    status: text('status', { enum: personStatuses }).notNull().default('invited'),
    channelId: text('channel_id').references(() => lineChannels.id, { onDelete: 'set null' }),
    lineUserId: text('line_user_id'),
    linkedAt: ts('linked_at'),
    /** When the person was shown the privacy notice and then linked (PDPA record). */
    privacyNoticeAt: ts('privacy_notice_at'),
    muted: boolean('muted').notNull().default(false),
    reminderHour: smallint('reminder_hour').notNull().default(8),
    /**
     * The role whose rich menu is linked to this LINE user now (null: none). The tick links the menu of `role`
     * wherever the two differ, so a role change or a new link is reconciled without a call inside the turn.
     */
    richMenuRole: text('rich_menu_role', { enum: roles }),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('people_channel_line_user_uq').on(t.channelId, t.lineUserId),
    uniqueIndex('people_office_external_uq').on(t.officeId, t.externalId),
    index('people_office_role_idx').on(t.officeId, t.role),
    index('people_school_idx').on(t.schoolId),
    index('people_learning_areas_idx').using('gin', t.learningAreas),
    check('people_reminder_hour_ck', sql`${t.reminderHour} between 0 and 23`),
    // The rich-menu reconciler's work list: linked people whose menu is not their role's; small when in sync.
    index('people_rich_menu_pending_idx')
      .on(t.channelId)
      .where(sql`${t.lineUserId} IS NOT NULL AND ${t.richMenuRole} IS DISTINCT FROM ${t.role}`),
  ],
);

/** Invite codes are stored hashed; the plain code is shown once, to the admin who issued it. */
export const invites = pgTable(
  'invites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull().unique(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    revokedAt: ts('revoked_at'),
    createdAt: createdAt(),
  },
  (t) => [index('invites_person_idx').on(t.personId)],
);

/**
 * One row per LINE user per channel: the versioned JSON state of their conversation with the bot. Every turn
 * rewrites it, so it has no index but its key: an update that changes no indexed column can be HOT (no index
 * entries, the new version on the same page; the migration leaves room with fillfactor 80). The retention delete
 * finds an office's idle rows through the key's channel prefix.
 */
export const conversations = pgTable(
  'conversations',
  {
    channelId: text('channel_id')
      .notNull()
      .references(() => lineChannels.id, { onDelete: 'cascade' }),
    lineUserId: text('line_user_id').notNull(),
    state: jsonb('state'),
    /** Optimistic-concurrency counter: every write checks and bumps it. */
    version: integer('version').notNull().default(0),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.lineUserId] })],
);

/**
 * Webhook event ids already handled, kept 7 days: LINE's redelivery makes duplicates normal. Rows arrive in time
 * order, so the retention delete's index on the time is a BRIN (a few pages, next to nothing per insert).
 */
export const processedEvents = pgTable(
  'processed_events',
  {
    channelId: text('channel_id').notNull(),
    webhookEventId: text('webhook_event_id').notNull(),
    receivedAt: ts('received_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.channelId, t.webhookEventId] }),
    index('processed_events_received_brin').using('brin', t.receivedAt),
  ],
);

export const outboxStatuses = ['pending', 'sent', 'dead'] as const;

/**
 * Every push goes through here, as what is due rather than rendered messages: whom (person, channel), which local
 * day, what kind, and the frozen bundle it carries (`body`, a row of outbox_bodies shared by everyone with the same
 * bundle). The row id is LINE's X-Line-Retry-Key. Hot and national (about 225,000 rows a day): no foreign keys (the
 * sender checks the person at claim time anyway), and two index entries per row. A day's bundle row has the id
 * `outboxRowId(person, local day)` (src/outbox/enqueue.queries.ts), so the primary key is also the
 * one-push-per-person-per-day rule: a third index for that rule was a third of the cost of writing the day's rows.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id'),
    channelId: text('channel_id').notNull(),
    personId: uuid('person_id'),
    /** The person's local day this push belongs to: at most one push per person per local day (unique below). */
    localDay: date('local_day', { mode: 'string' }),
    kind: text('kind').notNull(),
    /** outbox_bodies.hash: what to render. Rows with the same body and channel go out as one multicast. */
    body: uuid('body').notNull(),
    /** Only for rows outside the daily bundle that must be planned once (none in production today; tests). */
    dedupeKey: text('dedupe_key'),
    notBefore: ts('not_before').notNull().defaultNow(),
    status: text('status', { enum: outboxStatuses }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    firstAttemptAt: ts('first_attempt_at'),
    lastError: text('last_error'),
    sentAt: ts('sent_at'),
    /** Set on first attempt of a multicast: the retry key of that request, reused by every retry of it. */
    batchId: uuid('batch_id'),
    createdAt: createdAt(),
  },
  (t) => [
    // What an office's send unit claims (its pending rows by time), and the office's view of its rows by status
    // (the dashboard, retention).
    index('outbox_office_status_idx').on(t.officeId, t.status, t.notBefore),
    uniqueIndex('outbox_dedupe_uq')
      .on(t.dedupeKey)
      .where(sql`${t.dedupeKey} IS NOT NULL`),
    index('outbox_batch_idx')
      .on(t.batchId)
      .where(sql`${t.batchId} IS NOT NULL`),
  ],
);

/**
 * The frozen content of outbox rows, stored once per distinct bundle (20,000 bodies for 225,000 pushes on a national
 * day): `hash` is md5 of the body, so the same bundle planned twice is one row, and a retry renders the same body.
 * Bodies are data (item references with the titles and dates as they were), rendered by src/outbox/bundle.ts.
 */
export const outboxBodies = pgTable('outbox_bodies', {
  hash: uuid('hash').primaryKey(),
  body: jsonb('body').notNull(),
  /** Last planned; bodies unused for longer than the outbox keeps rows are dropped. */
  usedAt: ts('used_at').notNull().defaultNow(),
});

/**
 * What will go in a person's next daily bundle besides the reminders computed at planning time: notices from the
 * chat (a visit planned, moved or cancelled; a checklist submitted; a follow-up due), announcements and published
 * notices. Written by the shared enqueue helper (src/outbox/enqueue.queries.ts), once per person and key; the
 * planner takes those due by the planning instant into the bundle and stamps `bundled_on`.
 */
export const outboxItems = pgTable(
  'outbox_items',
  {
    personId: uuid('person_id').notNull(),
    key: text('key').notNull(),
    officeId: uuid('office_id').notNull(),
    kind: text('kind').notNull(),
    /** Frozen, small: what the bundle renders (titles, instants, ids), never rendered messages. */
    data: jsonb('data').notNull(),
    /** Not bundled before this instant. */
    dueAt: ts('due_at').notNull(),
    /** Before this instant the item may pull the person's bundle earlier in the day (a visit soon). */
    urgentBy: ts('urgent_by'),
    /** The local day of the bundle that carried it; null while waiting. */
    bundledOn: date('bundled_on', { mode: 'string' }),
    /**
     * Why the bundle that carried it never reached the person (its outbox row died: blocked, refused by LINE, gave
     * up); null while waiting or once sent. The item stays bundled, so it is shown as failed, never bundled again.
     */
    failed: text('failed'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.personId, t.key] }),
    index('outbox_items_waiting_idx')
      .on(t.officeId, t.dueAt)
      .where(sql`${t.bundledOn} IS NULL`),
    // Retention: an office's items bundled before a day.
    index('outbox_items_bundled_idx')
      .on(t.officeId, t.bundledOn)
      .where(sql`${t.bundledOn} IS NOT NULL`),
  ],
);

/**
 * Planning markers: (office, local day, slot) planned once. Slots are `h07`…`h19` (the bundles of people whose
 * reminder hour it is) and `digest` (Monday's digests staged). An idle tick reads these and stops.
 */
export const planMarks = pgTable(
  'plan_marks',
  {
    officeId: uuid('office_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    slot: text('slot').notNull(),
    at: ts('at').notNull(),
    /** Outbox rows the office's own planning unit wrote (0 when it was planned in a batch of offices). */
    rows: integer('rows').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.officeId, t.day, t.slot] })],
);

/**
 * Who still has to answer each campaign: one row per (campaign, subject) until the subject submits. Kept by
 * triggers (drizzle/ migration "bundle"): a campaign written or reopened, a person added or moved (role, school,
 * status), a school moved to another cluster, a response submitted. Planning reads who is due and the escalations'
 * counts from here instead of scanning people and responses.
 */
export const pendingAssignments = pgTable(
  'pending_assignments',
  {
    campaignId: uuid('campaign_id').notNull(),
    /** The person, or the school for a school-scope campaign. */
    subjectKey: uuid('subject_key').notNull(),
    officeId: uuid('office_id').notNull(),
    schoolId: uuid('school_id'),
    /** Null for a school-scope campaign (answered by the school's principal). */
    personId: uuid('person_id'),
    role: text('role'),
    /** A response exists (in progress): the reminder's button says "continue" rather than "start". */
    started: boolean('started').notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.campaignId, t.subjectKey] }),
    index('pending_assignments_person_idx')
      .on(t.personId)
      .where(sql`${t.personId} IS NOT NULL`),
    // The person and school triggers recompute a school's rows.
    index('pending_assignments_school_idx')
      .on(t.schoolId)
      .where(sql`${t.schoolId} IS NOT NULL`),
  ],
);

/** Pushes counted per office per calendar month (Asia/Bangkok), as LINE's quota counts them. */
export const pushUsage = pgTable(
  'push_usage',
  {
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    month: text('month').notNull(),
    pushes: integer('pushes').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.officeId, t.month] })],
);

export const calendarKinds = ['term', 'holiday', 'meeting', 'deadline', 'report'] as const;

/**
 * The office's calendar as data: academic terms per year, holidays (no reminders on them), and dated events
 * (ก.ต.ป.น. meetings, the SAR deadline, report dates) that people with the listed roles are reminded of.
 */
export const calendarEvents = pgTable(
  'calendar_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: calendarKinds }).notNull(),
    titleTh: text('title_th').notNull(),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    /** Buddhist-Era academic year (e.g. 2569) and term (1 or 2) for kind 'term'. */
    academicYear: smallint('academic_year'),
    term: smallint('term'),
    roles: text('roles')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    createdAt: createdAt(),
  },
  (t) => [
    index('calendar_events_office_dates_idx').on(t.officeId, t.startsOn, t.endsOn),
    check('calendar_events_dates_ck', sql`${t.endsOn} >= ${t.startsOn}`),
  ],
);

/** Who did what as an admin: reads, exports and changes (PDPA). Details never hold message text. */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    officeId: uuid('office_id').references(() => offices.id, { onDelete: 'set null' }),
    actor: text('actor').notNull(),
    action: text('action').notNull(),
    targetType: text('target_type'),
    targetId: text('target_id'),
    detail: jsonb('detail'),
    at: ts('at').notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_office_at_idx').on(t.officeId, t.at),
    // Pages and the API filter the log by action (PDPA requests, sign-in failures), newest first by id.
    index('audit_log_office_action_idx').on(t.officeId, t.action, t.id),
    // Failed sign-ins are one row per client per window (at = the window's start), counted in detail.count.
    uniqueIndex('audit_log_signin_failed_uq')
      .on(t.targetId, t.at)
      .where(sql`${t.action} = 'admin.signin_failed'`),
  ],
);

// ── Checklists ──

/** One row per checklist version; a definition never changes once stored. Built-ins have no office. */
export const checklists = pgTable(
  'checklists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id').references(() => offices.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    version: integer('version').notNull(),
    titleTh: text('title_th').notNull(),
    scope: text('scope', { enum: ['person', 'school'] }).notNull(),
    definition: jsonb('definition').notNull(),
    createdAt: createdAt(),
  },
  (t) => [unique('checklists_office_key_version_uq').on(t.officeId, t.key, t.version).nullsNotDistinct()],
);

/** A checklist version sent to an audience between two dates. Empty audience arrays mean "all". */
export const campaigns = pgTable(
  'campaigns',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    checklistId: uuid('checklist_id')
      .notNull()
      .references(() => checklists.id),
    titleTh: text('title_th').notNull(),
    roles: text('roles').array().notNull(),
    schoolIds: uuid('school_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    clusterIds: uuid('cluster_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    /** Only members of the office's ก.ต.ป.น. (committee_members), whatever their role: a meeting's attendance. */
    committeeOnly: boolean('committee_only').notNull().default(false),
    /** Audience filters on school and people attributes (src/org/attributes.ts); empty means any. */
    schoolLevels: text('school_levels')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    schoolSizes: text('school_sizes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    schoolTags: text('school_tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    subdistricts: text('subdistricts')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    districts: text('districts')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    provinces: text('provinces')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    learningAreas: text('learning_areas')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    positions: text('positions')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    opensAt: ts('opens_at').notNull(),
    dueAt: ts('due_at').notNull(),
    closedAt: ts('closed_at'),
    /** Announced when it opens: one push (in the day's bundle) to each person in its audience, with a start button. */
    announce: boolean('announce').notNull().default(false),
    /** When the announcement was queued (null: not yet, or not announced). */
    announcedAt: ts('announced_at'),
    /**
     * Internal to visits, never listed, exported, edited or counted as one of the office's campaigns: the one
     * campaign visit records belong to (VISIT_RECORD_CAMPAIGN, created by the first record), and each school's
     * pre-visit self-assessment of a term (opened by its first visit of the term, answered by its principal).
     */
    system: boolean('system').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    index('campaigns_office_due_idx').on(t.officeId, t.dueAt),
    uniqueIndex('campaigns_office_title_uq').on(t.officeId, t.titleTh),
  ],
);

export const responseStatuses = ['in_progress', 'submitted'] as const;

/** One response per person (or per school, for school-scope checklists) per campaign, pinned to its version. */
export const responses = pgTable(
  'responses',
  {
    id: uuid('id').primaryKey(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),
    checklistId: uuid('checklist_id')
      .notNull()
      .references(() => checklists.id),
    /** The person id, or the school id for school-scope checklists: one response per subject. */
    subjectKey: uuid('subject_key').notNull(),
    schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'set null' }),
    startedBy: uuid('started_by').references(() => people.id, { onDelete: 'set null' }),
    status: text('status', { enum: responseStatuses }).notNull().default('in_progress'),
    startedAt: ts('started_at').notNull(),
    submittedAt: ts('submitted_at'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('responses_campaign_subject_uq').on(t.campaignId, t.subjectKey),
    index('responses_school_idx').on(t.schoolId),
  ],
);

/** One row per item per repeat instance (0 outside repeats) per response: the constraint is the dedupe. */
export const answers = pgTable(
  'answers',
  {
    responseId: uuid('response_id')
      .notNull()
      .references(() => responses.id, { onDelete: 'cascade' }),
    itemKey: text('item_key').notNull(),
    repeatIndex: integer('repeat_index').notNull().default(0),
    value: jsonb('value').notNull(),
    // No foreign key: people are never deleted (erasure is a status), so its ON DELETE never ran, and its check
    // locked the person's row (FOR KEY SHARE: a lock record in the WAL) on every answer.
    answeredBy: uuid('answered_by'),
    answeredAt: ts('answered_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.responseId, t.itemKey, t.repeatIndex] })],
);

/** 'erased': its sender erased their data (src/pdpa/erase.queries.ts); its blobs go on the next retention unit. */
export const evidenceStatuses = ['pending', 'stored', 'failed', 'erased'] as const;

/** Evidence photos and documents: LINE's message id on arrival, the stored file once fetched from LINE's content API. */
export const evidenceFiles = pgTable(
  'evidence_files',
  {
    id: uuid('id').primaryKey(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    responseId: uuid('response_id')
      .notNull()
      .references(() => responses.id, { onDelete: 'cascade' }),
    itemKey: text('item_key').notNull(),
    repeatIndex: integer('repeat_index').notNull().default(0),
    channelId: text('channel_id').notNull(),
    lineMessageId: text('line_message_id').notNull(),
    /** A document's name as sent (report.pdf); null for photos. */
    fileName: text('file_name'),
    status: text('status', { enum: evidenceStatuses }).notNull().default('pending'),
    contentType: text('content_type'),
    sizeBytes: integer('size_bytes'),
    storageKey: text('storage_key'),
    /** A photo's small preview as LINE makes it (a JPEG), shown in the chat's review card; null: none. */
    thumbKey: text('thumb_key'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('evidence_files_message_uq').on(t.channelId, t.lineMessageId),
    index('evidence_files_pending_idx')
      .on(t.createdAt)
      .where(sql`${t.status} = 'pending'`),
    index('evidence_files_response_idx').on(t.responseId),
  ],
);

/** A supervisor's schools: one school, or a whole cluster; main (นิเทศหลัก) or joint (นิเทศร่วม). */
export const supervisorAssignments = pgTable(
  'supervisor_assignments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    supervisorId: uuid('supervisor_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    schoolId: uuid('school_id').references(() => schools.id, { onDelete: 'cascade' }),
    clusterId: uuid('cluster_id').references(() => clusters.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['main', 'joint'] })
      .notNull()
      .default('main'),
    /** A learning area (กลุ่มสาระ) the supervisor covers across these schools; null for all areas. */
    learningArea: text('learning_area'),
    createdAt: createdAt(),
  },
  (t) => [
    index('supervisor_assignments_supervisor_idx').on(t.supervisorId),
    index('supervisor_assignments_school_idx').on(t.schoolId),
    index('supervisor_assignments_cluster_idx').on(t.clusterId),
    check('supervisor_assignments_target_ck', sql`(${t.schoolId} IS NULL) <> (${t.clusterId} IS NULL)`),
    // The natural key of an assignment, so imports can upsert and be repeated safely.
    unique('supervisor_assignments_target_uq').on(t.supervisorId, t.schoolId, t.clusterId).nullsNotDistinct(),
  ],
);

/**
 * Admin API credentials for one office (the env ADMIN_TOKEN is the deployment's own, for every office). Only a
 * SHA-256 hash of the token is kept; the token is shown once, when it is created.
 */
export const adminTokens = pgTable(
  'admin_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    lastUsedAt: ts('last_used_at'),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('admin_tokens_office_idx').on(t.officeId)],
);

export const adminSessionKinds = ['deployment', 'office', 'person'] as const;

/**
 * A signed-in browser of the web pages. The cookie holds a random id; only its SHA-256 is kept here. The server
 * decides when it ends: expires_at (12 hours), revoked_at (sign-out), the office token that made it revoked, the
 * deployment token rotated (token_tag), or the person no longer an active admin, director or supervisor.
 */
export const adminSessions = pgTable(
  'admin_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    kind: text('kind', { enum: adminSessionKinds }).notNull(),
    officeId: uuid('office_id').references(() => offices.id, { onDelete: 'cascade' }),
    personId: uuid('person_id').references(() => people.id, { onDelete: 'cascade' }),
    tokenId: uuid('token_id').references(() => adminTokens.id, { onDelete: 'cascade' }),
    /** Deployment sessions: a keyed fingerprint of the ADMIN_TOKEN that made them; a new token ends them. */
    tokenTag: text('token_tag'),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
    revokedAt: ts('revoked_at'),
  },
  (t) => [
    index('admin_sessions_expires_idx').on(t.expiresAt),
    index('admin_sessions_person_idx').on(t.personId),
    index('admin_sessions_token_idx').on(t.tokenId),
    check(
      'admin_sessions_kind_ck',
      sql`(${t.kind} = 'deployment' AND ${t.tokenTag} IS NOT NULL)
          OR (${t.kind} = 'office' AND ${t.officeId} IS NOT NULL AND ${t.tokenId} IS NOT NULL)
          OR (${t.kind} = 'person' AND ${t.officeId} IS NOT NULL AND ${t.personId} IS NOT NULL)`,
    ),
  ],
);

/** One-time sign-in links sent in chat (`เข้าเว็บ`): 10 minutes, used once, only the SHA-256 of the token kept. */
export const adminSigninLinks = pgTable(
  'admin_signin_links',
  {
    tokenHash: text('token_hash').primaryKey(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    personId: uuid('person_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [
    index('admin_signin_links_person_idx').on(t.personId),
    index('admin_signin_links_expires_idx').on(t.expiresAt),
  ],
);

/**
 * A rich menu created on a channel for a role (`npm run cli -- richmenu sync`). The content hash says whether the
 * definition or image changed since, so a sync with nothing new makes no LINE calls.
 */
export const richMenus = pgTable(
  'rich_menus',
  {
    channelId: text('channel_id')
      .notNull()
      .references(() => lineChannels.id, { onDelete: 'cascade' }),
    role: text('role', { enum: roles }).notNull(),
    richMenuId: text('rich_menu_id').notNull(),
    aliasId: text('alias_id').notNull(),
    contentHash: text('content_hash').notNull(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.role] })],
);

// ── Supervision visits ──

export const visitStatuses = ['planned', 'done', 'cancelled'] as const;
export type VisitStatus = (typeof visitStatuses)[number];

/**
 * A supervision visit: planned in chat (or imported with the annual plan), reminded through the outbox, recorded
 * with the supervision-visit checklist (the response whose subject is the visit), acknowledged by the principal.
 */
export const visits = pgTable(
  'visits',
  {
    id: uuid('id').primaryKey(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    supervisorId: uuid('supervisor_id')
      .notNull()
      .references(() => people.id, { onDelete: 'cascade' }),
    startsAt: ts('starts_at').notNull(),
    purposeTh: text('purpose_th').notNull(),
    status: text('status', { enum: visitStatuses }).notNull().default('planned'),
    /** Bumped on every reschedule: notices of a move are deduplicated per revision. */
    revision: integer('revision').notNull().default(1),
    /** 'chat' or 'plan' (the annual supervision plan, imported by an admin). */
    source: text('source', { enum: ['chat', 'plan'] })
      .notNull()
      .default('chat'),
    /** The visit this one follows up (a "not yet" decision). */
    followUpOf: uuid('follow_up_of'),
    /** The recording: a response of the supervision-visit checklist whose subject_key is this visit's id. */
    responseId: uuid('response_id').references(() => responses.id, { onDelete: 'set null' }),
    /** The school's pre-visit self-assessment campaign, opened for its principal when the visit was planned. */
    selfAssessmentCampaignId: uuid('self_assessment_campaign_id').references(() => campaigns.id, {
      onDelete: 'set null',
    }),
    decision: text('decision', { enum: ['achieved', 'not_yet'] }),
    recordedAt: ts('recorded_at'),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: uuid('acknowledged_by').references(() => people.id, { onDelete: 'set null' }),
    principalComment: text('principal_comment'),
    cancelledAt: ts('cancelled_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [
    index('visits_office_starts_idx').on(t.officeId, t.startsAt),
    index('visits_school_starts_idx').on(t.schoolId, t.startsAt),
    index('visits_supervisor_starts_idx').on(t.supervisorId, t.startsAt),
  ],
);

/**
 * A supervisor's written feedback (ข้อเสนอแนะ) on a school's SAR: on one standard (`s1`, …) or overall (null),
 * pushed to the school's principal in their daily bundle; the principal acknowledges it or replies.
 */
export const sarFeedback = pgTable(
  'sar_feedback',
  {
    id: uuid('id').primaryKey(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    /** The SAR response read when the feedback was written (the school's latest submitted one). */
    responseId: uuid('response_id').references(() => responses.id, { onDelete: 'set null' }),
    supervisorId: uuid('supervisor_id').references(() => people.id, { onDelete: 'set null' }),
    /** The standard's key (`s1`, …), or null for the SAR as a whole. */
    standard: text('standard'),
    bodyTh: text('body_th').notNull(),
    acknowledgedAt: ts('acknowledged_at'),
    acknowledgedBy: uuid('acknowledged_by').references(() => people.id, { onDelete: 'set null' }),
    replyTh: text('reply_th'),
    repliedAt: ts('replied_at'),
    createdAt: createdAt(),
  },
  (t) => [index('sar_feedback_school_idx').on(t.schoolId, t.createdAt)],
);

/** Agreed actions from a visit record: the school's follow-ups until done, shown again at the next visit. */
export const visitActions = pgTable(
  'visit_actions',
  {
    id: uuid('id').primaryKey(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    visitId: uuid('visit_id')
      .notNull()
      .references(() => visits.id, { onDelete: 'cascade' }),
    /** The repeat instance of the visit form's action group (1-based). */
    position: smallint('position').notNull(),
    whatTh: text('what_th').notNull(),
    ownerTh: text('owner_th'),
    dueOn: date('due_on', { mode: 'string' }),
    status: text('status', { enum: ['open', 'done'] })
      .notNull()
      .default('open'),
    doneAt: ts('done_at'),
    doneBy: uuid('done_by').references(() => people.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('visit_actions_visit_position_uq').on(t.visitId, t.position),
    index('visit_actions_school_idx')
      .on(t.schoolId)
      .where(sql`${t.status} = 'open'`),
  ],
);

export const workUnitStatuses = ['queued', 'running', 'done', 'failed', 'dead'] as const;
export type WorkUnitStatus = (typeof workUnitStatuses)[number];

/**
 * The scheduled work, one row per office, kind and slot (src/scheduler/units.ts): the cron (or Node's timer)
 * inserts a slot's units once, the primary key making a repeated run insert nothing, and a Queues consumer (or
 * Node's runner, with SKIP LOCKED) claims each one. Failed and dead units are what the admin sees.
 */
export const workUnits = pgTable(
  'work_units',
  {
    /** `<kind>:<office id or "deployment">:<slot>`: the same work at the same slot always has the same id. */
    id: text('id').primaryKey(),
    kind: text('kind').notNull(),
    /** Null only for deployment housekeeping that belongs to no office (the env channel's retention). */
    officeId: uuid('office_id').references(() => offices.id, { onDelete: 'cascade' }),
    /** The instant the unit runs as of (a run later than this runs as of its own time). */
    at: ts('at').notNull(),
    status: text('status', { enum: workUnitStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    /** queued/failed: not claimed before this (the backoff); running: the lease, after which it may be taken over. */
    notBefore: ts('not_before').notNull().defaultNow(),
    /** Workers: when a queue message was last sent for it (a unit queued long ago without a run is sent again). */
    enqueuedAt: ts('enqueued_at'),
    /** The error class, SQLSTATE or HTTP status and a short message of the last failed attempt; no personal data. */
    lastError: text('last_error'),
    /** Counts from the last successful run (rows planned, pushes sent...). */
    result: jsonb('result'),
    /** Wall time of the last attempt. */
    ms: integer('ms'),
    createdAt: createdAt(),
    finishedAt: ts('finished_at'),
    /** Set on a failed or dead unit when a later unit of the same kind and office succeeded: the admin's "fixed since". */
    resolvedAt: ts('resolved_at'),
  },
  (t) => [
    index('work_units_due_idx')
      .on(t.notBefore)
      .where(sql`${t.status} IN ('queued', 'running', 'failed')`),
    index('work_units_failed_idx')
      .on(t.officeId, t.finishedAt)
      .where(sql`${t.status} IN ('failed', 'dead')`),
    index('work_units_at_idx').on(t.at),
  ],
);

/**
 * The /dev simulator's clock (dev mode only; one row): the simulated time it last moved to and the real time at
 * that moment. A restart goes on at real time plus that offset, so the demo's data (due dates, conversations,
 * the outbox) never lies in the clock's future after a restart (src/dev/clock.ts).
 */
export const devClock = pgTable(
  'dev_clock',
  {
    id: smallint('id').primaryKey().default(1),
    simulatedAt: ts('simulated_at').notNull(),
    realAt: ts('real_at').notNull(),
  },
  (t) => [check('dev_clock_one_row_ck', sql`${t.id} = 1`)],
);

// ── The office's own work (issue 16): the ก.ต.ป.น. committee, follow-ups ──

export const committeeRoles = ['chair', 'member', 'expert', 'secretary'] as const;

/**
 * The members of the office's committee for monitoring, inspection, evaluation and supervision (ก.ต.ป.น., seed 004):
 * people of any role (office staff, principals) and outside experts (role `committee`, no school).
 */
export const committeeMembers = pgTable(
  'committee_members',
  {
    personId: uuid('person_id')
      .primaryKey()
      .references(() => people.id, { onDelete: 'cascade' }),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    committeeRole: text('committee_role', { enum: committeeRoles }).notNull().default('member'),
    createdAt: createdAt(),
  },
  (t) => [index('committee_members_office_idx').on(t.officeId)],
);

export const meetingStatuses = ['planned', 'held', 'cancelled'] as const;

/** A committee meeting: when, where, the agenda and documents; minutes once held; attendance by a campaign. */
export const committeeMeetings = pgTable(
  'committee_meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    titleTh: text('title_th').notNull(),
    startsAt: ts('starts_at').notNull(),
    placeTh: text('place_th').notNull(),
    /** [{ titleTh }]: the agenda items in order. */
    agenda: jsonb('agenda')
      .notNull()
      .default(sql`'[]'::jsonb`),
    /** [{ titleTh, url }]: documents as evidence. */
    documents: jsonb('documents')
      .notNull()
      .default(sql`'[]'::jsonb`),
    minutesTh: text('minutes_th'),
    status: text('status', { enum: meetingStatuses }).notNull().default('planned'),
    /** The attendance campaign (members answer in chat: attend or not, and why). */
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [index('committee_meetings_office_starts_idx').on(t.officeId, t.startsAt)],
);

export const monitoringAreas = ['academic', 'personnel', 'budget', 'general'] as const;

/** The monitoring plan (seed 004 §2): per academic year, the area, what is monitored, its tools and its schedule. */
export const committeePlanItems = pgTable(
  'committee_plan_items',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    academicYear: smallint('academic_year').notNull(),
    area: text('area', { enum: monitoringAreas }).notNull(),
    titleTh: text('title_th').notNull(),
    /** Checklist keys used as tools. */
    tools: text('tools')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('committee_plan_items_office_year_idx').on(t.officeId, t.academicYear),
    check('committee_plan_items_dates_ck', sql`${t.endsOn} >= ${t.startsOn}`),
  ],
);

export const taskSources = ['resolution', 'office_sar', 'agency'] as const;

/**
 * The office's follow-ups, one machinery for a committee resolution, an office-SAR step and an agency stage: what,
 * whose, by when, with documents; reminders through the outbox (queued when written: on the day before and on the
 * due day, in the owner's daily bundle) and withdrawn when done.
 */
export const officeTasks = pgTable(
  'office_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    source: text('source', { enum: taskSources }).notNull(),
    /** The meeting, office SAR or agency work it belongs to. */
    sourceId: uuid('source_id').notNull(),
    titleTh: text('title_th').notNull(),
    ownerId: uuid('owner_id').references(() => people.id, { onDelete: 'set null' }),
    dueOn: date('due_on', { mode: 'string' }).notNull(),
    documents: jsonb('documents')
      .notNull()
      .default(sql`'[]'::jsonb`),
    status: text('status', { enum: ['open', 'done'] })
      .notNull()
      .default('open'),
    doneAt: ts('done_at'),
    noteTh: text('note_th'),
    createdAt: createdAt(),
  },
  (t) => [
    index('office_tasks_source_idx').on(t.sourceId),
    index('office_tasks_open_idx')
      .on(t.officeId, t.dueOn)
      .where(sql`${t.status} = 'open'`),
    index('office_tasks_owner_idx').on(t.ownerId),
  ],
);

// ── The office's groups and its own SAR (issue 16, seed 003) ──

/** The office's groups (กลุ่มอำนวยการ, กลุ่มนโยบายและแผน …) as data, with their people. */
export const officeGroups = pgTable(
  'office_groups',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    code: text('code').notNull(),
    nameTh: text('name_th').notNull(),
    memberIds: uuid('member_ids')
      .array()
      .notNull()
      .default(sql`'{}'::uuid[]`),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('office_groups_office_code_uq').on(t.officeId, t.code)],
);

/** The office standard as a versioned definition (src/officesar/standard.ts); a version never changes once saved. */
export const officeStandards = pgTable(
  'office_standards',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    definition: jsonb('definition').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('office_standards_office_version_uq').on(t.officeId, t.version)],
);

/** One office SAR per year: its standard version, its start (the step calendar counts from it), its results. */
export const officeSars = pgTable(
  'office_sars',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    /** Buddhist-Era year. */
    year: smallint('year').notNull(),
    standardId: uuid('standard_id')
      .notNull()
      .references(() => officeStandards.id),
    startsOn: date('starts_on', { mode: 'string' }).notNull(),
    /** { "<indicator code>": { level: 1–5, resultTh } }: what each responsible group reported. */
    results: jsonb('results')
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('office_sars_office_year_uq').on(t.officeId, t.year)],
);

/**
 * A published honour list (issue 15 item 6): the schools an office honoured for a term or a year, ranked by the
 * criteria it chose, with each school's figures and reason as they stood when published (the office report shows
 * this snapshot). The dedupe key is the list's content, so publishing the same list again writes and tells nothing.
 */
export const honourLists = pgTable(
  'honour_lists',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    /** Buddhist-Era academic year. */
    academicYear: smallint('academic_year').notNull(),
    /** 1 or 2; 0 for the whole academic year. */
    term: smallint('term').notNull(),
    titleTh: text('title_th').notNull(),
    messageTh: text('message_th').notNull(),
    /** The criteria in the order they ranked ('sar', 'improvement', 'actions'). */
    criteria: text('criteria').array().notNull(),
    /** Who was told: 'principals', 'schools' (principals and teachers) or 'everyone'. */
    audience: text('audience').notNull(),
    /** [{ schoolId, code, name, rank, figures, why }], in rank order. */
    schools: jsonb('schools').notNull(),
    dedupeKey: text('dedupe_key').notNull(),
    recipients: integer('recipients').notNull(),
    publishedBy: text('published_by').notNull(),
    publishedAt: ts('published_at').notNull(),
  },
  (t) => [
    uniqueIndex('honour_lists_office_key_uq').on(t.officeId, t.dedupeKey),
    index('honour_lists_office_year_idx').on(t.officeId, t.academicYear, t.term),
  ],
);

// ── Work with other agencies (issue 16 item 5, seed 000 part 3) ──

/** The manual's four steps, in order; `closed` once the last is reported. */
export const agencyStages = ['study', 'propose', 'coordinate', 'report'] as const;

/**
 * A piece of work with (or in support of) another agency, inside or outside the office. Each stage is one follow-up
 * (office_tasks, source 'agency'): its owner, dates, documents and reminders; `stages` records which task is which.
 */
export const agencyProjects = pgTable(
  'agency_projects',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    titleTh: text('title_th').notNull(),
    agencyTh: text('agency_th').notNull(),
    /** Inside the office (another group) or outside it (another agency). */
    scope: text('scope', { enum: ['inside', 'outside'] }).notNull(),
    stage: text('stage', { enum: [...agencyStages, 'closed'] })
      .notNull()
      .default('study'),
    /** [{ stage, taskId, startsOn }] in order: the follow-up of each stage reached so far. */
    stages: jsonb('stages')
      .notNull()
      .default(sql`'[]'::jsonb`),
    closedAt: ts('closed_at'),
    createdAt: createdAt(),
  },
  (t) => [index('agency_projects_office_idx').on(t.officeId, t.createdAt, t.id)],
);

/**
 * A school's external quality assessment by สมศ. (seed 000 §5.2.6, §5.3.1; issue 16 item 4): the IQA steps the office
 * has seen it complete (src/eqa/readiness.ts names them), the date สมศ. scheduled, a note. One row per school.
 */
export const eqaSchools = pgTable(
  'eqa_schools',
  {
    schoolId: uuid('school_id')
      .primaryKey()
      .references(() => schools.id, { onDelete: 'cascade' }),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    /** IQA steps done, by key (src/eqa/readiness.ts IQA_STEPS); the SAR sent (4.2.6) is read from the SAR itself. */
    iqaSteps: text('iqa_steps')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    scheduledOn: date('scheduled_on', { mode: 'string' }),
    noteTh: text('note_th'),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('eqa_schools_office_idx').on(t.officeId, t.scheduledOn)],
);

/** สมศ.'s result for a school: its level (1–5) per standard on the assessment's date, typed or imported. */
export const eqaResults = pgTable(
  'eqa_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    assessedOn: date('assessed_on', { mode: 'string' }).notNull(),
    /** The SAR standard's number (1, 2, 3 …), as the school's SAR numbers its standards (s1_level …). */
    standard: smallint('standard').notNull(),
    level: smallint('level').notNull(),
    recordedBy: text('recorded_by').notNull(),
    recordedAt: ts('recorded_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('eqa_results_school_uq').on(t.schoolId, t.assessedOn, t.standard),
    index('eqa_results_office_idx').on(t.officeId, t.assessedOn),
  ],
);

/**
 * Import files kept between the check and the confirm (blob imports/<office>/<sha>): a spreadsheet may list staff,
 * so the confirm deletes the blob, and the office's retention unit deletes one left unconfirmed for a day.
 */
export const importUploads = pgTable(
  'import_uploads',
  {
    officeId: uuid('office_id')
      .notNull()
      .references(() => offices.id, { onDelete: 'cascade' }),
    sha: text('sha').notNull(),
    uploadedAt: ts('uploaded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.officeId, t.sha] })],
);
