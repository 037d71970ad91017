ALTER TABLE "campaigns" ADD COLUMN "system" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "campaigns_office_system_uq" ON "campaigns" USING btree ("office_id") WHERE "campaigns"."system";--> statement-breakpoint
-- The visit records' campaign, created before this column existed, by its reserved title and empty audience.
UPDATE "campaigns" SET "system" = true WHERE "title_th" = 'บันทึกการนิเทศ (ระบบ)' AND cardinality("roles") = 0;
