CREATE TABLE "work_units" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"office_id" uuid,
	"at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"not_before" timestamp with time zone DEFAULT now() NOT NULL,
	"enqueued_at" timestamp with time zone,
	"last_error" text,
	"result" jsonb,
	"ms" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"resolved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "work_units" ADD CONSTRAINT "work_units_office_id_offices_id_fk" FOREIGN KEY ("office_id") REFERENCES "public"."offices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "work_units_due_idx" ON "work_units" USING btree ("not_before") WHERE "work_units"."status" IN ('queued', 'running', 'failed');--> statement-breakpoint
CREATE INDEX "work_units_failed_idx" ON "work_units" USING btree ("office_id","finished_at") WHERE "work_units"."status" IN ('failed', 'dead');--> statement-breakpoint
CREATE INDEX "work_units_at_idx" ON "work_units" USING btree ("at");