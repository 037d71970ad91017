DROP INDEX "campaigns_office_system_uq";--> statement-breakpoint
-- Visits' pre-visit self-assessments opened before this migration are the visits' own, never the office's campaigns.
UPDATE "campaigns" SET "system" = true WHERE "id" IN (SELECT "self_assessment_campaign_id" FROM "visits");
