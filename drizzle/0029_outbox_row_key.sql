-- A day's bundle row takes its id (LINE's retry key) from (office, person, local day), so the primary key alone
-- keeps one push per person per day (outboxRowId, src/outbox/enqueue.queries.ts). Recent rows get that id first, so
-- a bundle planned after this migration conflicts with one planned before it; rows pending after an attempt keep
-- theirs, because LINE may already hold it as a retry key (they finish or give up within 23 hours).
UPDATE "outbox" SET "id" = md5("office_id"::text || ':' || "person_id"::text || ':' || "local_day"::text)::uuid
 WHERE "office_id" IS NOT NULL AND "person_id" IS NOT NULL AND "local_day" >= current_date - 2
   AND ("status" <> 'pending' OR "attempts" = 0);--> statement-breakpoint
DROP INDEX "outbox_office_due_idx";--> statement-breakpoint
DROP INDEX "outbox_person_day_uq";--> statement-breakpoint
CREATE INDEX "outbox_office_status_idx" ON "outbox" USING btree ("office_id","status","not_before");
