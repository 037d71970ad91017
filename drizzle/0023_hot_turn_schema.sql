ALTER TABLE "answers" DROP CONSTRAINT "answers_answered_by_people_id_fk";
--> statement-breakpoint
DROP INDEX "conversations_updated_idx";--> statement-breakpoint
DROP INDEX "processed_events_received_idx";--> statement-breakpoint
CREATE INDEX "processed_events_received_brin" ON "processed_events" USING brin ("received_at");--> statement-breakpoint
-- Hand-written: room on each page for a turn's new row version, so the update stays on its page (HOT).
ALTER TABLE "conversations" SET (fillfactor = 80);
